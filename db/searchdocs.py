"""Keep `search_docs` (and so its FTS index, synced by triggers) up to date.

Every write path (seed build, import, notes) calls these in the same transaction as the
change, so search never shows a record that is not there, nor misses one that is. Large
writes (an import of thousands of cases, a reindex) set the insert trigger aside and index
in batches (`bulk`), and an import analyses its documents in a thread while SQLite works
(`index_cases_while`).
"""

from __future__ import annotations

import gc
import json
import queue
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress

from paradiplo.db import fts, schema
from paradiplo.db.analyze import ANALYZER_VERSION, search_terms
from paradiplo.db.casedocs import (
    Doc,
    case_docs,
    case_filter_keys,
    case_synonyms,
    chunks,
    filter_token,
    qmarks,
)
from paradiplo.db.text import clip, display_safe

# db/search.py reads filter_token here.
__all__ = ["filter_token"]


def delete(conn: sqlite3.Connection, kind: str, ref_ids: Sequence[str]) -> None:
    for chunk in chunks(list(ref_ids)):
        conn.execute(
            f"DELETE FROM search_docs WHERE kind = ? AND ref_id IN ({qmarks(len(chunk))})",
            [kind, *chunk],
        )


def delete_kind(conn: sqlite3.Connection, kind: str) -> None:
    conn.execute("DELETE FROM search_docs WHERE kind = ?", (kind,))


def delete_prefix(conn: sqlite3.Connection, kind: str, prefix: str) -> None:
    conn.execute(
        "DELETE FROM search_docs WHERE kind = ? AND substr(ref_id, 1, ?) = ?",
        (kind, len(prefix), prefix),
    )


# Search documents live in one rowid range per kind, newest highest within each, so that a
# broad query can rank the newest matches of each range quickly (see db/search.py) and the
# user's notes, passages and glossary terms are never crowded out by a large case import.
RANGE = 1 << 40
KIND_BASE = {"case": 0, "passage": RANGE, "term": 2 * RANGE, "law": 2 * RANGE, "note": 3 * RANGE}
OTHERS_BASE = RANGE  # every kind but cases lives at or above this rowid


def _top(conn: sqlite3.Connection, base: int) -> int:
    """The highest rowid in the range starting at `base`, or `base` if it is empty."""
    row = conn.execute(
        "SELECT max(id) FROM search_docs WHERE id >= ? AND id < ?", (base, base + RANGE)
    ).fetchone()
    return base if row[0] is None else int(row[0])


def _next_id(conn: sqlite3.Connection, kind: str) -> int:
    base = KIND_BASE.get(kind, 3 * RANGE)
    # Inside `bulk`, new documents go above the range's highest rowid at its start, even
    # where documents were deleted since: the rowids up to there are the indexed ones.
    floor = _in_bulk.get(id(conn), {}).get(base, base)
    return max(_top(conn, base), floor) + 1


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection meanwhile (for a large import or reindex).

    They make millions of small objects, none in cycles; Python's collector would still scan
    them again and again (about a tenth of an import of 100,000 cases). Plain reference
    counting frees them as usual; collection resumes afterwards.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# Connections (by id) writing with the FTS insert trigger set aside (`bulk`, `reindex_all`),
# with the highest rowid of each kind's range (by base) that is indexed already.
_in_bulk: dict[int, dict[int, int]] = {}


@contextmanager
def _untriggered(conn: sqlite3.Connection, marks: dict[int, int] | None = None) -> Iterator[None]:
    _in_bulk[id(conn)] = marks or {}
    try:
        yield
    finally:
        _in_bulk.pop(id(conn), None)


def analysed(rows: Sequence[Doc], keys: dict[str, list[str]] | None = None) -> list[Doc]:
    """The documents with their `terms` (in place of the extra terms): the analyser's work,
    pure Python, no database (so it can run in a thread while the database is busy).

    `keys` maps a ref_id to its filter keys (see `filter_token`), stored with its terms.
    """
    docs: list[Doc] = []
    for kind, ref_id, title, body, extra, a, b in rows:
        terms = search_terms(f"{title}\n{body}", extra)
        if keys and keys.get(ref_id):
            terms += " " + " ".join(filter_token(k) for k in keys[ref_id])
        docs.append((kind, ref_id, title, body, terms, a, b))
    return docs


def _store(conn: sqlite3.Connection, docs: Sequence[Doc]) -> None:
    """Insert or replace analysed documents (see `analysed`).

    Each document gets the next rowid of its kind's range (see KIND_BASE). Rows go in as one
    INSERT of many rows per 1,000 (`schema.insert_rows`) rather than one statement per row:
    the FTS5 trigger then runs inside a single statement, which makes a bulk import several
    times faster (100,000 documents: about 3 s instead of 8 s).
    """
    for kind in {d[0] for d in docs}:
        delete(conn, kind, [d[1] for d in docs if d[0] == kind])
    # Kinds sharing a range (terms and laws) take their rowids from one count.
    next_ids = {
        KIND_BASE.get(kind, 3 * RANGE): _next_id(conn, kind) for kind in {d[0] for d in docs}
    }
    rows = []
    for kind, ref_id, title, body, terms, a, b in docs:
        base = KIND_BASE.get(kind, 3 * RANGE)
        rows.append((next_ids[base], kind, ref_id, title, body, terms, a, b))
        next_ids[base] += 1
    schema.insert_rows(
        conn,
        "INSERT INTO search_docs(id, kind, ref_id, title, body, terms, anchor_start, anchor_end)"
        " VALUES",
        rows,
    )


def _put(
    conn: sqlite3.Connection, rows: Sequence[Doc], keys: dict[str, list[str]] | None = None
) -> None:
    """Analyse and store documents (kind, ref_id, title, body, extra terms, anchors)."""
    _store(conn, analysed(rows, keys))


def refresh_cases(conn: sqlite3.Connection, case_ids: Sequence[str]) -> None:
    """(Re)index cases (see `case_document`), and the notes on them (they carry the case's
    filter keys)."""
    synonyms = case_synonyms()
    for chunk in chunks(list(case_ids)):
        rows, keys = case_docs(conn, chunk, synonyms)
        _put(conn, rows, keys)
        _refresh_case_notes(conn, chunk, keys)


STORE_BATCH = 10_000  # documents analysed, then written and indexed, at a time
SWITCH_INTERVAL = 0.0005  # seconds (Python's default: 0.005)


def index_cases_while(
    conn: sqlite3.Connection,
    build: Callable[[], Iterator[tuple[list[Doc], dict[str, list[str]]]]],
    meanwhile: Callable[[], None],
) -> None:
    """Index cases whose documents `build()` makes without the database (see
    `case_document`; batches of documents with their cases' filter keys), and the notes on
    them, with `meanwhile()` run alongside. Inside `bulk`.

    For a large import. Python runs one thread at a time, but SQLite lets go of Python's lock
    while a statement runs: so `build` and the analyser (pure Python) run in a thread, on the
    other core, while this one runs long statements: first `meanwhile` (building indexes,
    counting summaries), then, as batches of analysed documents come, their INSERT and FTS5
    indexing. (Thousands of short statements would each wait for the lock instead.) The
    thread never touches the database.
    """
    # A short queue: this thread is the slower one, and waiting batches only take memory.
    batches: queue.Queue[tuple[list[Doc], dict[str, list[str]]] | BaseException | None] = (
        queue.Queue(maxsize=2)
    )
    stop = threading.Event()

    def work() -> None:
        try:
            for rows, keys in build():
                for i in range(0, len(rows), STORE_BATCH):
                    if stop.is_set():
                        return
                    part = rows[i : i + STORE_BATCH]
                    batches.put((analysed(part, keys), {d[1]: keys.get(d[1], []) for d in part}))
        except BaseException as exc:  # raised again below, in the caller's thread
            batches.put(exc)
        finally:
            batches.put(None)

    worker = threading.Thread(target=work, name="paradiplo-analyse", daemon=True)
    # Each statement hands Python's lock back and waits to get it again; while the analyser
    # holds it, by default up to 5 ms. A shorter switch interval keeps this thread going.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL)
    worker.start()
    try:
        meanwhile()
        while (item := batches.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            docs, keys = item
            _store(conn, docs)
            _refresh_case_notes(conn, [d[1] for d in docs], keys)
            index_pending(conn)
    finally:
        stop.set()
        while worker.is_alive():  # unblock a worker waiting to put a batch
            with suppress(queue.Empty):
                batches.get(timeout=0.05)
        worker.join()
        sys.setswitchinterval(interval)


def refresh_passages(conn: sqlite3.Connection, source_ids: Sequence[str]) -> None:
    """(Re)index a source's passages, one search document each, anchored by offsets."""
    for sid in source_ids:
        delete_prefix(conn, "passage", f"{sid}#")
        row = conn.execute(
            "SELECT coalesce(title, outlet, id) FROM sources WHERE id = ?", (sid,)
        ).fetchone()
        if row is None:
            continue
        label = str(row[0])
        # Only the first passage carries the source's title: otherwise a word of the title
        # would make every passage of the source a hit. Search shows the label on all of them.
        rows: list[tuple[str, str, str, str, str, int | None, int | None]] = [
            ("passage", f"{sid}#{seq}", label if i == 0 else "", text, "", start, end)
            for i, (seq, start, end, text) in enumerate(
                conn.execute(
                    'SELECT seq, start, "end", text FROM passages WHERE source_id = ? ORDER BY seq',
                    (sid,),
                )
            )
        ]
        _put(conn, rows)


def refresh_terms(conn: sqlite3.Connection) -> None:
    """(Re)index the glossary terms and the legal bases (kind "law": its short name as the
    title, its full title and summary as the body)."""
    delete_kind(conn, "term")
    delete_kind(conn, "law")
    _put(
        conn,
        [
            ("term", tid, term, definition, "", None, None)
            for tid, term, definition in conn.execute("SELECT id, term, definition FROM glossary")
        ]
        + [
            (
                "law",
                lid,
                short,
                f"{title}\n{summary or ''}",
                f"{kind or ''} {year or ''}",
                None,
                None,
            )
            for lid, short, title, summary, kind, year in conn.execute(
                "SELECT id, short, title, summary, kind, year FROM legal_bases"
            )
        ],
    )


def refresh_note(conn: sqlite3.Connection, note_id: str) -> None:
    refresh_notes(conn, [note_id])


def refresh_notes(
    conn: sqlite3.Connection,
    note_ids: Sequence[str],
    case_keys: dict[str, list[str]] | None = None,
) -> None:
    """(Re)index notes: deleted ones leave the index. A note on a case carries the case's
    filter keys (`case_keys` if the caller has them), so filtered search finds it."""
    for chunk in chunks(list(note_ids)):
        delete(conn, "note", chunk)
        rows: list[tuple[str, str, str, str, str, int | None, int | None]] = []
        on_cases: dict[str, str] = {}
        for nid, body, tags, ttype, tid in conn.execute(
            "SELECT id, body, tags, target_type, target_id FROM notes"
            f" WHERE id IN ({qmarks(len(chunk))}) AND deleted_at IS NULL ORDER BY updated_at, id",
            list(chunk),
        ):
            try:
                tag_list = json.loads(tags or "[]")
            except (ValueError, TypeError):  # not JSON, or not text at all
                tag_list = []
            if not isinstance(tag_list, list):
                tag_list = []
            tag_text = " ".join(f"#{t}" for t in tag_list)
            body = body if isinstance(body, str) else str(body or "")
            safe = display_safe(body).strip()  # escapes out before the line is cut
            first = clip(safe.splitlines()[0], 80) if safe else "(empty note)"
            rows.append(("note", nid, first, body, f"{tag_text} {ttype} {tid}", None, None))
            if ttype == "case":
                on_cases[nid] = tid
        known = case_keys or {}
        missing = [t for t in set(on_cases.values()) if t not in known]
        if missing:
            known = {**known, **case_filter_keys(conn, missing)}
        _put(conn, rows, {nid: known.get(tid, []) for nid, tid in on_cases.items()})


def _refresh_case_notes(
    conn: sqlite3.Connection, case_ids: Sequence[str], case_keys: dict[str, list[str]]
) -> None:
    """Re-index the notes on these cases: they carry the cases' filter keys."""
    note_ids = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM notes WHERE target_type = 'case' AND deleted_at IS NULL"
            f" AND target_id IN ({qmarks(len(case_ids))})",
            list(case_ids),
        )
    ]
    if note_ids:
        refresh_notes(conn, note_ids, case_keys)


# ------------------------------------------------------------------------- analyzer version
ANALYZER_KEY = schema.ANALYZER_KEY


def stored_analyzer_version(conn: sqlite3.Connection) -> str | None:
    """The analyzer version the search index was built with (None: unknown or never built)."""
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (ANALYZER_KEY,)).fetchone()
    except sqlite3.OperationalError:
        return None
    return None if row is None else str(row[0])


def record_analyzer_version(conn: sqlite3.Connection) -> None:
    """Note that every search document is analysed with this version of db/analyze.py."""
    conn.execute(
        "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (ANALYZER_KEY, ANALYZER_VERSION)
    )


# The FTS table and its triggers are made by db/schema.py (with prefix indexes since schema 2).
FTS_PREFIX = fts.FTS_PREFIX
fts_is_current = fts.fts_is_current


# ------------------------------------------------------------------------- bulk writes
BULK_DOCS = 1000  # from this many documents, `bulk` indexes them in one pass at the end


def _setting(conn: sqlite3.Connection, key: str, default: int) -> int:
    row = conn.execute("SELECT v FROM search_docs_fts_config WHERE k = ?", (key,)).fetchone()
    return int(row[0]) if row else default


def _fts_config(conn: sqlite3.Connection, key: str, value: int) -> None:
    conn.execute("INSERT INTO search_docs_fts(search_docs_fts, rank) VALUES (?, ?)", (key, value))


def _bulk_triggers(conn: sqlite3.Connection, marks: dict[int, int]) -> None:
    """The delete and update triggers, limited to documents indexed already (rowids up to
    their range's mark); no insert trigger."""
    fts.drop_fts_triggers(conn)
    ranges = " ".join(f"WHEN {b // RANGE} THEN {m}" for b, m in sorted(marks.items()))
    indexed = f"WHEN old.id <= CASE old.id / {RANGE} {ranges} ELSE {marks[max(marks)]} END"
    for sql in fts.FTS_TRIGGERS:
        if "AFTER INSERT" not in sql:
            conn.execute(sql.replace(" BEGIN\n", f" {indexed} BEGIN\n", 1))


def index_pending(conn: sqlite3.Connection) -> None:
    """Inside `bulk`: index the documents written since it began (or since the last call) now,
    in one statement per kind's range. A no-op elsewhere."""
    marks = _in_bulk.get(id(conn))
    if not marks:
        return
    moved = False
    for base, mark in sorted(marks.items()):
        top = _top(conn, base)
        if top > mark:
            conn.execute(
                'INSERT INTO search_docs_fts(rowid, "title", "body", "terms")'
                ' SELECT id, "title", "body", "terms" FROM search_docs WHERE id > ? AND id <= ?',
                (mark, top),
            )
            marks[base] = top
            moved = True
    if moved:
        _bulk_triggers(conn, marks)


@contextmanager
def bulk(conn: sqlite3.Connection, n: int) -> Iterator[None]:
    """Write about `n` search documents in the caller's transaction, indexing them in batches.

    Through the insert trigger, FTS5 writes what it has gathered at the end of every statement
    (a segment per 500 documents) and keeps merging them. For a large write the trigger is set
    aside: new documents (above each kind's highest indexed rowid, see KIND_BASE) are indexed
    by one INSERT ... SELECT per `index_pending` call and at the end, with a 32 MiB buffer and
    no merging meanwhile (100,000 cases: ~3 s instead of ~9 s). Deleting a document that was
    indexed still removes it from the index (a trigger limited to those rowids), so `_put`,
    `delete` and the rest work as usual inside. On an exception nothing is restored here: the
    caller's transaction rolls back, and with it the triggers and settings.
    """
    if n < BULK_DOCS:
        yield
        return
    if not conn.in_transaction:
        raise RuntimeError("searchdocs.bulk runs inside a write transaction")
    marks = {base: _top(conn, base) for base in set(KIND_BASE.values())}
    automerge = _setting(conn, "automerge", 4)
    hashsize = _setting(conn, "hashsize", fts.FTS_DEFAULT_HASHSIZE)
    pages = _fts_pages(conn)
    _bulk_triggers(conn, marks)
    _fts_config(conn, "automerge", 0)
    _fts_config(conn, "hashsize", fts.FTS_BULK_HASHSIZE)
    with _untriggered(conn, marks):
        yield
        index_pending(conn)
    fts.create_fts_triggers(conn)
    # The new documents sit in large segments on FTS5's first level. Left there, the 16th
    # small write after the import (a note) would merge them all at once, a pause of a
    # second or more; merged now (as much work again as the pages written), they move up.
    _fts_config(conn, "merge", -2 * (_fts_pages(conn) - pages) - 64)
    _fts_config(conn, "automerge", automerge)
    _fts_config(conn, "hashsize", hashsize)


def _fts_pages(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM search_docs_fts_data").fetchone()[0])


# ------------------------------------------------------------------------- reindex
REINDEX_CHUNK = 2000  # cases (or notes) read and indexed at a time


def _idchunks(conn: sqlite3.Connection, sql: str) -> Iterator[list[str]]:
    """Ids from `sql` (keyset: "... WHERE id > ? ... ORDER BY id LIMIT ?") a chunk at a time,
    so that no list of every id is ever held."""
    last = ""
    while True:
        ids = [r[0] for r in conn.execute(sql, (last, REINDEX_CHUNK))]
        if not ids:
            return
        yield ids
        last = ids[-1]


def reindex_all(conn: sqlite3.Connection) -> int:
    """Rebuild every search document (cases, passages, terms, notes) with the current analyzer.

    Runs in the caller's transaction, so a reindex is all or nothing. Needed when
    db/analyze.py (or the compounds and phrases of seeds/synonyms.toml) change: stored `terms`
    are the old analysis and queries analysed the new way would miss them. The FTS table is
    dropped first (its pages are reused for the new documents) and made again from them in
    one pass at the end (`fts.rebuild_fts`). Cases and notes are read in chunks, so memory
    stays flat however large the collection.
    Returns the number of documents written.
    """
    fts.drop_fts_triggers(conn)
    conn.execute('DROP TABLE IF EXISTS "search_docs_fts"')
    conn.execute("DELETE FROM search_docs")
    with _untriggered(conn):
        for ids in _idchunks(conn, "SELECT id FROM cases WHERE id > ? ORDER BY id LIMIT ?"):
            refresh_cases(conn, ids)
        for ids in _idchunks(conn, "SELECT id FROM sources WHERE id > ? ORDER BY id LIMIT ?"):
            refresh_passages(conn, ids)
        refresh_terms(conn)
        # Notes on existing cases were indexed with their cases; the rest (on sources, regions,
        # or on cases no longer there) now.
        for ids in _idchunks(
            conn,
            "SELECT id FROM notes n WHERE id > ? AND deleted_at IS NULL AND NOT EXISTS (SELECT 1"
            " FROM search_docs d WHERE d.kind = 'note' AND d.ref_id = n.id) ORDER BY id LIMIT ?",
        ):
            refresh_notes(conn, ids)
    fts.rebuild_fts(conn)
    record_analyzer_version(conn)
    return int(conn.execute("SELECT count(*) FROM search_docs").fetchone()[0])
