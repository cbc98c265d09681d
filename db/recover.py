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
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from paradiplo.db import pages, searchdocs
from paradiplo.db.i18n import _
from paradiplo.db.notes import TARGET_TYPES
from paradiplo.db.store import Store

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
    opened: bool = True  # False: nothing could be read at all, not even page by page
    lost: int = 0  # notes known to have existed that could not be read (at least this many)
    from_pages: int = 0  # notes and drafts read from the pages (SQLite could not read them)

    def describe(self) -> str:
        if not self.opened:
            return _("no notes could be read from the old file")
        text = _("copied {notes} note(s) and {drafts} draft(s) from it").format(
            notes=self.notes, drafts=self.drafts
        )
        if self.from_pages:
            text += _(" ({n} read page by page from the damaged file)").format(n=self.from_pages)
        if self.lost:
            text += _(
                "; at least {n} note(s) could not be read (what is left of them stays in the "
                "backup file)"
            ).format(n=self.lost)
        elif self.unreadable:
            text += _("; some rows were too damaged to read (they stay in the backup file)")
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
    """Every readable row (its rowid first); one rowid at a time when a page is damaged.

    Raises sqlite3.Error only if the table cannot be read at all.
    """
    select = f"SELECT rowid, {', '.join(cols)} FROM {table}"
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


# ------------------------------------------------------------------ what a row looks like
def _text(v: object) -> bool:
    return isinstance(v, str)


def _opt_text(v: object) -> bool:
    return v is None or isinstance(v, str)


def _opt_int(v: object) -> bool:
    return v is None or (isinstance(v, int) and not isinstance(v, bool))


def _stamp(v: object) -> bool:
    return isinstance(v, str) and len(v) >= 10 and v[:4].isdigit() and v[4] == "-"


def _is_note(row: tuple[object, ...]) -> bool:
    """A row of the notes table, column for column (NOTE_COLS), as this app writes it."""
    if len(row) != len(NOTE_COLS):
        return False
    nid, ttype, tid, a_start, a_end, a_quote, body, tags, created, updated, version, deleted = row
    return (
        _text(nid)
        and bool(nid)
        and ttype in TARGET_TYPES
        and _text(tid)
        and _opt_int(a_start)
        and _opt_int(a_end)
        and _opt_text(a_quote)
        and _text(body)
        and _text(tags)
        and _stamp(created)
        and _stamp(updated)
        and isinstance(version, int)
        and _opt_text(deleted)
    )


def _is_draft(row: tuple[object, ...]) -> bool:
    if len(row) != len(DRAFT_COLS):
        return False
    key, note_id, ttype, tid, body, tags, base_version, updated = row
    return (
        _text(key)
        and bool(key)
        and _opt_text(note_id)
        and ttype in TARGET_TYPES
        and _text(tid)
        and _text(body)
        and _text(tags)
        and _opt_int(base_version)
        and _stamp(updated)
    )


def _newer(a: tuple[object, ...], b: tuple[object, ...], at: tuple[int, ...]) -> bool:
    """True if row `a` is a later state than `b` (compared on the columns `at`)."""
    return tuple(str(a[i]).zfill(20) for i in at) > tuple(str(b[i]).zfill(20) for i in at)


# ------------------------------------------------------------------------------ salvage
@dataclass
class _Found:
    notes: dict[str, tuple[object, ...]]
    drafts: dict[str, tuple[object, ...]]
    rowids: set[int]  # of the notes read
    known: set[str]  # ids of notes the file shows existed (their search entries)
    complete: bool  # SQLite read both tables whole
    top_rowid: int = 0  # a row number the notes' b-tree shows was used
    missing_pages: int = 0  # pages of the notes' b-tree that are gone (one note each, at least)


def _by_sqlite(old: Path, result: Salvage) -> _Found:
    found = _Found({}, {}, set(), set(), complete=False)
    try:
        src = _open_old(old)
    except sqlite3.Error:
        return found
    try:
        try:
            tables = {r[0] for r in src.execute("SELECT name FROM sqlite_master")}
        except sqlite3.Error:
            tables = set()
        if "notes" not in tables:
            return found
        complete = True
        for table, cols, check, into in (
            ("notes", NOTE_COLS, _is_note, found.notes),
            ("note_drafts", DRAFT_COLS, _is_draft, found.drafts),
        ):
            try:
                for rowid, *values in _rows(src, table, cols):
                    row = tuple(values)
                    if check(row):
                        into[str(row[0])] = row
                        if table == "notes" and isinstance(rowid, int):
                            found.rowids.add(rowid)
            except sqlite3.Error:
                complete = False
                result.unreadable = True
        found.complete = complete
        if not complete:
            with suppress(sqlite3.Error):
                found.known = {
                    str(r[0])
                    for r in src.execute("SELECT ref_id FROM search_docs WHERE kind = 'note'")
                }
    finally:
        src.close()
    return found


def _by_pages(old: Path, found: _Found, result: Salvage) -> None:
    """Add what the pages of the file still hold (see db/pages.py) to what SQLite read."""
    scan = pages.table_rows(old)
    if scan.damaged_cells:
        result.unreadable = True
    notes: dict[str, tuple[int, tuple[object, ...]]] = {}
    drafts: dict[str, tuple[object, ...]] = {}
    note_pages: set[int] = set()
    for page, rowid, row in scan.rows:
        if _is_note(row):
            note_pages.add(page)
            nid = str(row[0])
            if nid not in notes or _newer(row, notes[nid][1], (10, 9)):  # version, updated_at
                notes[nid] = (rowid, row)
        elif _is_draft(row):
            key = str(row[0])
            if key not in drafts or _newer(row, drafts[key], (7,)):
                drafts[key] = row
        elif len(row) == 8 and row[1] == "note" and isinstance(row[2], str):
            found.known.add(row[2])  # a search entry: this note existed
    for nid, (rowid, row) in notes.items():
        if nid not in found.notes:
            found.notes[nid] = row
            found.rowids.add(rowid)
            result.from_pages += 1
    for key, row in drafts.items():
        if key not in found.drafts:
            found.drafts[key] = row
            result.from_pages += 1
    # The notes' b-tree, as far as its interior pages are left, tells of rows that are gone:
    # a child page that is missing held at least one note, and the keys name row numbers.
    tree = scan.tree_of(note_pages)
    children = [c for number in tree for c in scan.interiors[number]]
    found.missing_pages = sum(1 for child, _key in children if child not in scan.present)
    keys = [key for _child, key in children if key is not None]
    if keys:
        found.top_rowid = max(keys)


def salvage_notes(old: Path, store: Store) -> Salvage:
    """Copy the notes and drafts of the database file `old` into `store` (none overwritten).

    SQLite reads what it can; if it cannot read both tables whole (a damaged or truncated
    file, a schema page missing), the file's pages are read one by one as well, and every
    note or draft found there is added. `lost` counts the notes that are known to have
    existed (by their row numbers, which notes never give back, and their search entries)
    but could not be read.
    """
    result = Salvage()
    found = _by_sqlite(old, result)
    if not found.complete:
        _by_pages(old, found, result)
        # Notes are never removed (a deletion only marks them), so their row numbers run
        # from 1 without gaps: each number not read is a note lost.
        top = max([found.top_rowid, *found.rowids]) if found.rowids else 0
        gaps = top - len(found.rowids)
        result.lost = max(gaps, found.missing_pages, len(found.known - set(found.notes)), 0)
        result.unreadable = result.unreadable or result.lost > 0
    if not found.notes and not found.drafts and not found.complete:
        result.opened = result.from_pages > 0 or bool(found.known)
    marks = ", ".join("?" * len(NOTE_COLS))
    with store.write() as conn:
        for row in found.notes.values():
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
        for row in found.drafts.values():
            cur = conn.execute(
                f"INSERT OR IGNORE INTO note_drafts({', '.join(DRAFT_COLS)}) VALUES ({dmarks})",
                row,
            )
            result.drafts += cur.rowcount == 1
    return result
