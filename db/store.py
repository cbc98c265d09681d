"""Opening a paradiplo database: create, build, check, upgrade; connections per thread."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from paradiplo.db import schema
from paradiplo.db.dbfile import (
    MOVE_ASIDE,
    SQLITE_ERRORS,
    UnusableDatabase,
    check_header,
    disk_nearly_full,
    free_text,
    is_sqlite_error,
    is_writable,
    refuse_fresh,
    refuse_special,
    translate,
)
from paradiplo.db.errors import DatabaseProblem, ReadOnlyError
from paradiplo.db.i18n import _
from paradiplo.db.staleindex import reindex_if_stale
from paradiplo.db.stamps import seeds_current

# The names the app, the command line and db/notes.py import from here.
__all__ = ["SQLITE_ERRORS", "UnusableDatabase", "is_sqlite_error", "translate"]

ENV_READONLY = "PARADIPLO_READONLY"
# How long a write waits for another program's write lock before giving up with a message.
LOCK_WAIT_SECONDS = 30.0


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
        self.written_by_newer = False  # opened read-only because a newer version wrote it
        self.damaged = False  # opened read-only because getting it ready hit a damaged page
        self.reindexed = False  # the search index was rebuilt for a new analyzer on opening
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    @property
    def conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def _connect(self) -> sqlite3.Connection:
        """A new connection; read-only ones fall back to `immutable` when they must.

        A read-only WAL database in a folder that cannot be written has no -shm file and
        cannot get one, so SQLite refuses to open it; `immutable=1` reads it without one (it
        then does not see changes another program makes while we run, which is said).
        """
        if not self.readonly:
            return schema.open_connection(self.path)
        conn: sqlite3.Connection | None = None
        try:
            conn = schema.open_connection(self.path, readonly=True)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError as exc:
            # Reading a WAL database needs its -shm file: in a folder that cannot be written,
            # or on a full disk, it cannot be made ("unable to open", "attempt to write a
            # readonly database", "disk I/O error").
            if not any(w in str(exc) for w in ("unable to open", "readonly", "disk I/O")):
                raise
            if conn is not None:
                conn.close()
            conn = schema.open_connection(self.path, readonly=True, immutable=True)
            if "changes" not in self.readonly_reason:
                self.readonly_reason += "; changes other programs make now are not seen"
        _shadow_missing_user_tables(conn)
        return conn

    def checkpoint(self) -> None:
        """Move the write-ahead log into the main file and empty it (before the file is moved
        or copied, so that the file alone holds everything)."""
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

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
                _("{path} is open read-only ({reason}); nothing was changed.").format(
                    path=self.path, reason=self.readonly_reason or _("not writable")
                )
            )
        conn = self.conn
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise translate(exc, self.path) from exc
                if time.monotonic() > deadline:
                    raise DatabaseProblem(
                        _(
                            "{path} stayed locked by another program for {seconds:.0f} s; "
                            "nothing was changed. Close the other program and try again."
                        ).format(path=self.path, seconds=LOCK_WAIT_SECONDS)
                    ) from exc
                time.sleep(0.05)
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            schema.rollback(conn)
            raise


# The user-data tables a published copy leaves out (db/publish.py). A read-only connection to
# such a file gets empty TEMP tables of the same names (temp tables are this connection's own,
# and writable even on a read-only file), so the app and the commands read "no notes".
_USER_TABLES = ("notes", "note_tags", "note_drafts")


def _shadow_missing_user_tables(conn: sqlite3.Connection) -> None:
    have = {
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (?, ?, ?)",
            _USER_TABLES,
        )
    }
    if len(have) == len(_USER_TABLES):
        return
    for st in schema._ddl_statements():
        for table in _USER_TABLES:
            if table not in have and st.startswith(f"CREATE TABLE IF NOT EXISTS {table} ("):
                conn.execute(st.replace("CREATE TABLE", "CREATE TEMP TABLE", 1))


def readonly_requested() -> bool:
    """True if the user asked to open databases read-only ($PARADIPLO_READONLY or --read-only).

    This is the one way to browse without writing that also works for root, for whom file
    permissions never stop a write.
    """
    return os.environ.get(ENV_READONLY, "").strip().lower() not in ("", "0", "no", "false")


def open_store(
    path: Path,
    *,
    create: bool = True,
    build_seeds: bool = True,
    readonly: bool | None = None,
) -> Store:
    """Open (and if needed create, build and upgrade) the database at `path`.

    `readonly=None` follows $PARADIPLO_READONLY. A file that cannot be written, or that a newer
    paradiplo-tui wrote, opens read-only (browsing works, writes raise ReadOnlyError) with
    `store.readonly_reason` saying why.
    """
    asked = readonly_requested() if readonly is None else readonly
    refuse_special(path)
    created = not path.exists() or path.stat().st_size == 0
    if created:
        refuse_fresh(path, create, asked)
        _create(path, build_seeds=build_seeds)
    check_header(path)
    store = Store(path, readonly=asked or not is_writable(path))
    if store.readonly:
        store.readonly_reason = (
            _("read-only mode was asked for")
            if asked
            else _("the file or its folder is not writable")
        )
    try:
        _prepare(store, build_seeds=build_seeds)
        store.rebuilt_seeds = store.rebuilt_seeds or (created and build_seeds)
        return store
    except sqlite3.Error as exc:
        store.close()
        problem = translate(exc, path)
        if isinstance(problem, UnusableDatabase):
            damaged = _open_damaged(path, exc)
            if damaged is not None:
                return damaged
        elif not store.readonly and _write_failed(exc):
            reading = _open_unwritable(path, exc)
            if reading is not None:
                return reading
        raise problem from exc
    except BaseException:
        store.close()
        raise


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def _create(path: Path, *, build_seeds: bool) -> None:
    """Build a new database beside `path`, then link it into place complete.

    A process killed half-way through the first build so leaves no half-made file behind (one
    would look like another program's database), and two processes creating the same database
    at once both end up using one file: whoever links second uses the first one's.
    """
    for side in _sidecars(path):  # a log left by a deleted database must not replay onto ours
        if side.exists():
            side.rename(side.with_name(f"{side.name}.orphaned-{int(time.time())}.bak"))
    tmp = path.with_name(f".{path.name}.new-{os.getpid()}-{threading.get_ident()}")
    for stale in (tmp, *_sidecars(tmp)):
        stale.unlink(missing_ok=True)
    for old in path.parent.glob(f".{path.name}.new-*"):  # left by a build that was killed
        try:
            if time.time() - old.stat().st_mtime > 600:
                old.unlink()
        except OSError:
            pass
    from paradiplo.db import searchdocs, seeds

    store = Store(tmp)
    try:
        conn = store.conn
        schema.create_schema(conn)
        if build_seeds:
            seeds.build(conn, seeds.load_seeds())
        searchdocs.record_analyzer_version(conn)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.close()
        dest = path.resolve() if path.is_symlink() else path  # a link keeps pointing there
        try:
            there: os.stat_result | None = dest.lstat()
        except FileNotFoundError:
            there = None
        if there is not None and stat.S_ISREG(there.st_mode) and there.st_size == 0:
            dest.unlink(missing_ok=True)  # an empty regular file, never a device or a pipe
        try:
            os.link(tmp, dest)
        except FileExistsError:
            pass  # another process created it meanwhile: use theirs
        except OSError:  # no hard links on this file system: a rename is nearly as good
            if not dest.exists():
                os.replace(tmp, dest)
    except sqlite3.Error as exc:
        raise translate(exc, path) from exc
    finally:
        store.close()
        for leftover in (tmp, *_sidecars(tmp)):
            leftover.unlink(missing_ok=True)


def _prepare(store: Store, *, build_seeds: bool) -> Store:
    """Check, upgrade and refresh an opened store (see `open_store`)."""
    # The seed and search modules are loaded here, when needed, not by importing this module
    # (the app imports it at start-up; they are needed only to build, reseed or reindex).
    path, conn = store.path, store.conn
    if _check_ours(conn, path) and not store.readonly:
        from paradiplo.db import searchdocs, seeds

        schema.create_schema(conn)
        if build_seeds:
            seeds.build(conn, seeds.load_seeds())
            store.rebuilt_seeds = True
        searchdocs.record_analyzer_version(conn)
        return store
    version = schema.user_version(conn)
    if version > schema.SCHEMA_VERSION:
        _open_newer_readonly(store, version)
    elif version != schema.SCHEMA_VERSION:
        if version == 0:
            raise DatabaseProblem(
                _(
                    "{path} is an empty SQLite file and is read-only; make it writable or run "
                    "'paradiplo-tui db build' with another --db path."
                ).format(path=path)
            )
        if store.readonly:
            raise DatabaseProblem(
                _(
                    "{path} needs an upgrade (schema {old} to {new}) but is read-only "
                    "({reason}). Open it writable once to upgrade it (a backup is written first)."
                ).format(
                    path=path,
                    old=version,
                    new=schema.SCHEMA_VERSION,
                    reason=store.readonly_reason,
                )
            )
        store.backup_path = _upgrade(store, version)
    if store.readonly:
        return store
    if build_seeds and not seeds_current(conn):
        from paradiplo.db import seeds

        seeds.build(conn, seeds.load_seeds())
        store.rebuilt_seeds = True
    reindex_if_stale(store)
    _add_missing_indexes(conn)
    return store


def _add_missing_indexes(conn: sqlite3.Connection) -> None:
    """Create the indexes this version adds to a database of the same schema (a second or
    two, once, at 100,000 cases); a database locked by another writer gets them next time."""
    if not schema.missing_indexes(conn):
        return
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            schema.ensure_indexes(conn)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    except sqlite3.OperationalError:
        pass
    finally:
        conn.execute(f"PRAGMA busy_timeout = {schema.BUSY_TIMEOUT_MS}")


def _upgrade(store: Store, version: int) -> Path | None:
    """`migrations.upgrade`, with a failed migration put in words: where it stopped, the backup."""
    from paradiplo.db import migrations

    path = store.path
    try:
        return migrations.upgrade(store.conn, path)
    except DatabaseProblem:
        raise
    except Exception as exc:
        now = schema.user_version(store.conn)
        backups = sorted(path.parent.glob(f"{path.name}.v{version}-*.bak"))
        kept = (
            _(" A copy from before the upgrade is at {path}.").format(path=backups[-1])
            if backups
            else ""
        )
        raise DatabaseProblem(
            _(
                "Upgrading {path} from schema {old} to {new} failed ({error}); the file is "
                "unchanged at schema {now}.{kept} Please report this."
            ).format(
                path=path,
                old=version,
                new=schema.SCHEMA_VERSION,
                error=f"{type(exc).__name__}: {exc}",
                now=now,
                kept=kept,
            )
        ) from exc


def _open_damaged(path: Path, exc: sqlite3.Error) -> Store | None:
    """Browse a damaged database read-only if its notes and cases can still be read.

    Reads that reach a damaged page fail later with the same advice; writing could spread the
    damage, so notes are off until `db build --force` makes a new file (copying the notes).
    """
    store = Store(path, readonly=True)
    try:
        conn = store.conn
        if schema.application_id(conn) != schema.APPLICATION_ID:
            raise DatabaseProblem("not ours")
        if schema.user_version(conn) != schema.SCHEMA_VERSION:
            raise DatabaseProblem("another version")
        for table in ("notes", "note_drafts", "cases"):
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    except (sqlite3.Error, DatabaseProblem):
        store.close()
        return None
    store.damaged = True
    store.readonly_reason = _(
        "the file is damaged ({error}); run 'paradiplo-tui db build --force' to make a new one "
        "with your notes copied into it"
    ).format(error=exc)
    return store


def _write_failed(exc: sqlite3.Error) -> bool:
    """The error says writing is impossible (full disk, I/O, read-only), not that the file
    is wrong: reading may still work."""
    text = str(exc)
    return any(w in text for w in ("full", "disk I/O", "readonly", "read-only"))


def _open_unwritable(path: Path, exc: sqlite3.Error) -> Store | None:
    """Getting the database ready for writing failed because nothing can be written (a full
    disk, mostly): open it read-only instead, saying why, so that browsing still works."""
    store = Store(path, readonly=True)
    if disk_nearly_full(path):
        store.readonly_reason = _(
            "the disk holding it is full: {free} free ({error}); free some space to take "
            "notes again"
        ).format(free=free_text(path), error=exc)
    else:
        store.readonly_reason = _("it cannot be written now ({error})").format(error=exc)
    try:
        _prepare(store, build_seeds=False)
    except (sqlite3.Error, DatabaseProblem):
        store.close()
        return None
    return store


def _open_newer_readonly(store: Store, version: int) -> None:
    """A newer paradiplo-tui wrote this file: browse it read-only if its tables still fit.

    Writing could break what the newer version expects, so notes are disabled; if the tables
    changed shape, reading could fail half-way, so the file is refused instead.
    """
    missing = _missing_columns(store.conn)
    if missing:
        raise UnusableDatabase(
            _(
                "{path} was written by a newer paradiplo-tui (schema {version}; this one reads "
                "up to {newest}) and cannot be read by this version ({missing} is missing). "
                "Upgrade paradiplo-tui, or use --db to open another file."
            ).format(
                path=store.path,
                version=version,
                newest=schema.SCHEMA_VERSION,
                missing=missing[0],
            )
        )
    store.readonly = True
    store.written_by_newer = True
    store.readonly_reason = _(
        "it was written by a newer paradiplo-tui (schema {version}); upgrade paradiplo-tui "
        "to take notes in it"
    ).format(version=version)


def _missing_columns(conn: sqlite3.Connection) -> list[str]:
    """Tables or columns of the current schema that the database lacks ("table.column")."""
    ref = sqlite3.connect(":memory:", isolation_level=None)
    try:
        schema.create_tables(ref)
        wanted = {
            t: [c[1] for c in ref.execute(f"PRAGMA table_info({t})")]
            for (t,) in ref.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    finally:
        ref.close()
    missing: list[str] = []
    for table, cols in wanted.items():
        have = {c[1] for c in conn.execute(f"PRAGMA table_info({table})")}
        missing += [f"{table}.{c}" for c in cols if c not in have]
    return missing


def find_damage(store: Store) -> str | None:
    """The first problem `PRAGMA quick_check` finds, or None if the file is sound.

    Reads every page, so it is for explicit rebuilds and checks, not for every start.
    """
    try:
        rows = store.conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None if [tuple(r) for r in rows] == [("ok",)] else str(rows[0][0])


def swap_in(new: Path, path: Path, label: str = "unreadable") -> Path:
    """Put the complete database `new` in place of `path`, keeping the old file as a backup.

    The old file is linked (or copied) to the backup name before it is replaced, and the
    replacement is one rename: killed at any moment, `path` is the old file or the new one,
    never missing or half-written. Its -wal/-shm go with the backup, so an old log can never
    replay onto the new file. Returns the backup's path.
    """
    backup = path.with_name(f"{path.name}.{label}.bak")
    n = 1
    while backup.exists():
        backup = path.with_name(f"{path.name}.{label}-{n}.bak")
        n += 1
    try:
        os.link(path, backup)
    except OSError:  # no hard links on this file system
        shutil.copy2(path, backup)
    for side in _sidecars(path):
        if side.exists():
            side.rename(backup.with_name(backup.name + side.name[len(path.name) :]))
    os.replace(new, path)
    return backup


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
        raise UnusableDatabase(
            _(
                "{path} is a SQLite database from another program, not a paradiplo database. "
                "{move_aside} to move it aside (it is kept) and build a new one, or use --db to "
                "choose another file."
            ).format(path=path, move_aside=_(MOVE_ASIDE))
        )
    return False
