"""Getting the user's notes and drafts back out of a database that had to be replaced.

`paradiplo-tui db build --force` moves an unusable file aside (damaged, too new, another
program's) and builds a new database. The curated data comes back from the seeds; the notes and
drafts are the user's own work, so they are copied from the old file, row by row, skipping only
what the damage made unreadable. The old file is never written to.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from db import searchdocs
from db.store import Store

NOTE_COLS = (
    "id",
    "target_type",
    "target_id",
    "anchor_start",
    "anchor_end",
    "anchor_quote",
    "body",
    "tags",
    "created_at",
    "updated_at",
    "version",
    "deleted_at",
)
DRAFT_COLS = (
    "key",
    "note_id",
    "target_type",
    "target_id",
    "body",
    "tags",
    "base_version",
    "updated_at",
)
# When a table cannot be read in one pass, rows are probed one rowid at a time; give up after
# this many rowids in a row that hold nothing readable.
MAX_GAP = 2000


@dataclass
class Salvage:
    notes: int = 0
    drafts: int = 0
    unreadable: bool = False  # some rows (or a whole table) could not be read
    opened: bool = True  # False: not a database SQLite could open at all

    def describe(self) -> str:
        if not self.opened:
            return "no notes could be read from the old file"
        text = f"copied {self.notes} note(s) and {self.drafts} draft(s) from it"
        if self.unreadable:
            text += "; some rows were too damaged to read (they stay in the backup file)"
        return text


def _open_old(path: Path) -> sqlite3.Connection:
    """Read-only, seeing its write-ahead log; `immutable` (no log) only if that fails."""
    base = path.absolute().as_uri()
    for query in ("?mode=ro", "?mode=ro&immutable=1"):
        conn = sqlite3.connect(base + query, uri=True)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error:
            conn.close()
            continue
        return conn
    raise sqlite3.DatabaseError(f"{path} cannot be read")


def _rows(
    conn: sqlite3.Connection, table: str, cols: tuple[str, ...]
) -> Iterator[tuple[object, ...]]:
    """Every readable row; falls back to one rowid at a time when a page is damaged.

    Raises sqlite3.Error only if the table cannot be read at all.
    """
    select = f"SELECT {', '.join(cols)} FROM {table}"
    try:
        rows = conn.execute(select).fetchall()
    except sqlite3.DatabaseError:
        pass
    else:
        yield from rows
        return
    try:
        top = conn.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0]
    except sqlite3.DatabaseError:
        top = None
    rowid, gap = 0, 0
    while (top is None and gap < MAX_GAP) or (top is not None and rowid < top):
        rowid += 1
        try:
            row = conn.execute(f"{select} WHERE rowid = ?", (rowid,)).fetchone()
        except sqlite3.DatabaseError:
            row = None
        if row is None:
            gap += 1
            continue
        gap = 0
        yield row
    raise sqlite3.DatabaseError("some rows could not be read")


def _tags(raw: object) -> list[str]:
    try:
        value = json.loads(str(raw or "[]"))
    except ValueError:
        return []
    return [str(t) for t in value] if isinstance(value, list) else []


def salvage_notes(old: Path, store: Store) -> Salvage:
    """Copy the notes and drafts of the database file `old` into `store` (none overwritten)."""
    result = Salvage()
    try:
        src = _open_old(old)
    except sqlite3.Error:
        result.opened = False
        return result
    try:
        try:
            tables = {r[0] for r in src.execute("SELECT name FROM sqlite_master")}
        except sqlite3.Error:
            tables = set()
        if "notes" not in tables:
            result.opened = False
            return result
        notes = _collect(src, "notes", NOTE_COLS, result)
        drafts = _collect(src, "note_drafts", DRAFT_COLS, result)
    finally:
        src.close()
    marks = ", ".join("?" * len(NOTE_COLS))
    with store.write() as conn:
        for row in notes:
            cur = conn.execute(
                f"INSERT OR IGNORE INTO notes({', '.join(NOTE_COLS)}) VALUES ({marks})", row
            )
            if cur.rowcount != 1:
                continue
            result.notes += 1
            nid = str(row[0])
            conn.executemany(
                "INSERT OR IGNORE INTO note_tags(note_id, tag) VALUES (?, ?)",
                [(nid, t) for t in _tags(row[7])],
            )
            searchdocs.refresh_note(conn, nid)
        dmarks = ", ".join("?" * len(DRAFT_COLS))
        for row in drafts:
            cur = conn.execute(
                f"INSERT OR IGNORE INTO note_drafts({', '.join(DRAFT_COLS)}) VALUES ({dmarks})",
                row,
            )
            result.drafts += cur.rowcount == 1
    return result


def _collect(
    src: sqlite3.Connection, table: str, cols: tuple[str, ...], result: Salvage
) -> list[tuple[object, ...]]:
    """The readable rows of one table whose required fields are present."""
    out: list[tuple[object, ...]] = []
    try:
        for row in _rows(src, table, cols):
            out.append(row)
    except sqlite3.Error:
        result.unreadable = True
    required = {"id", "key", "target_type", "target_id", "body", "created_at", "updated_at"}
    need = [i for i, c in enumerate(cols) if c in required]
    return [r for r in out if all(r[i] is not None for i in need)]
