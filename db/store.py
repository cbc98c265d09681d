"""Opening a paradiplo database: create, build, check, upgrade; connections per thread."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from db import schema, seeds
from db.errors import DatabaseProblem, ReadOnlyError

SQLITE_HEADER = b"SQLite format 3\x00"


class Store:
    """A paradiplo database. Safe to share across threads: each thread gets its own connection.

    Use `open_store()` to get one; it creates, builds, checks and upgrades as needed.
    """

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        self.readonly = readonly
        self.readonly_reason = ""
        self.backup_path: Path | None = None
        self.rebuilt_seeds = False
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    @property
    def conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = schema.open_connection(self.path, readonly=self.readonly)
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                try:
                    conn.close()
                except sqlite3.Error:
                    pass
            self._all.clear()
        self._local = threading.local()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE), retried while another writer holds the lock."""
        if self.readonly:
            raise ReadOnlyError(
                f"{self.path} is open read-only ({self.readonly_reason or 'not writable'}); "
                "nothing was changed."
            )
        conn = self.conn
        deadline = time.monotonic() + 30
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise translate(exc, self.path) from exc
                if time.monotonic() > deadline:
                    raise DatabaseProblem(
                        f"{self.path} stayed locked by another program for 30 s; "
                        "nothing was changed. Close the other program and try again."
                    ) from exc
                time.sleep(0.05)
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def translate(exc: sqlite3.Error, path: Path) -> DatabaseProblem:
    """Turn a raw SQLite error into a message a user can act on."""
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return ReadOnlyError(f"{path} is read-only: {text}. Nothing was changed.")
    if "locked" in text or "busy" in text:
        return DatabaseProblem(f"{path} is locked by another program ({text}). Try again.")
    if "disk is full" in text or "full" in text:
        return DatabaseProblem(f"The disk holding {path} is full; nothing was saved. Free space.")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return DatabaseProblem(
            f"{path} is damaged or not a database ({text}). Run 'paradiplo-tui db build "
            "--force' to make a new one (the old file is kept as a backup), or use --db."
        )
    return DatabaseProblem(f"{path}: {text}")


def _is_writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def open_store(path: Path, *, create: bool = True, build_seeds: bool = True) -> Store:
    """Open (and if needed create, build and upgrade) the database at `path`."""
    if path.is_dir():
        raise DatabaseProblem(f"{path} is a directory, not a database file. Use --db FILE.")
    fresh = not path.exists() or path.stat().st_size == 0
    if fresh:
        if not create:
            raise DatabaseProblem(
                f"No database at {path}. Run 'paradiplo-tui db build' to create it."
            )
        if path.exists() and not _is_writable(path):
            raise DatabaseProblem(f"{path} is an empty, read-only file; use another --db path.")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseProblem(f"Cannot create {path.parent}: {exc.strerror}.") from exc
    else:
        with path.open("rb") as fh:
            header = fh.read(16)
        if header != SQLITE_HEADER:
            raise DatabaseProblem(
                f"{path} is not a SQLite database. Use --db to choose another file, or move "
                "it aside and run 'paradiplo-tui db build'."
            )
    readonly = not fresh and not _is_writable(path)
    store = Store(path, readonly=readonly)
    if readonly:
        store.readonly_reason = "the file or its folder is not writable"
    try:
        conn = store.conn
        if fresh:
            try:
                schema.create_schema(conn)
            except sqlite3.Error as exc:
                raise translate(exc, path) from exc
            if build_seeds:
                seeds.build(conn, seeds.load_seeds())
                store.rebuilt_seeds = True
            return store
        if _check_ours(conn, path) and not readonly:
            schema.create_schema(conn)
            if build_seeds:
                seeds.build(conn, seeds.load_seeds())
                store.rebuilt_seeds = True
            return store
        version = schema.user_version(conn)
        if version != schema.SCHEMA_VERSION:
            if version > schema.SCHEMA_VERSION:
                store.readonly = True
                schema.upgrade(conn, path)  # raises a clear message
            if readonly:
                raise DatabaseProblem(
                    f"{path} needs an upgrade (schema {version} to {schema.SCHEMA_VERSION}) "
                    "but is read-only. Make it writable and open it again."
                )
            store.backup_path = schema.upgrade(conn, path)
        if build_seeds and not readonly:
            row = conn.execute("SELECT value FROM meta WHERE key = 'seed_digest'").fetchone()
            bundled = seeds.load_seeds()
            if row is None or row[0] != bundled.digest:
                seeds.build(conn, bundled)
                store.rebuilt_seeds = True
        return store
    except sqlite3.Error as exc:
        store.close()
        raise translate(exc, path) from exc
    except BaseException:
        store.close()
        raise


def _check_ours(conn: sqlite3.Connection, path: Path) -> bool:
    """Raise unless the file is a paradiplo database; True if it is an empty SQLite file."""
    try:
        app_id = schema.application_id(conn)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise translate(exc, path) from exc
    if app_id != schema.APPLICATION_ID:
        if not tables:
            return True
        raise DatabaseProblem(
            f"{path} is a SQLite database from another program, not a paradiplo database. "
            "Use --db to choose another file."
        )
    return False
