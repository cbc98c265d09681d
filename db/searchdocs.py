"""Keep `search_docs` (and so its FTS index, synced by triggers) up to date.

Every write path (seed build, import, notes) calls these in the same transaction as the
change, so search never shows a record that is not there, nor misses one that is. Large
writes (an import of thousands of cases, a reindex) set the insert trigger aside and index
in batches (`bulk`), and an import analyses its documents in a thread while SQLite works
(`index_cases_while`).
"""

from __future__ import annotations

import gc
import hashlib
import json
import queue
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from functools import lru_cache
from typing import NamedTuple

from paradiplo.db import fts, schema
from paradiplo.db.analyze import ANALYZER_VERSION, search_terms, tokens
from paradiplo.db.text import clip, display_safe

CHUNK = 500


def _chunks(ids: Sequence[str], size: int = CHUNK) -> Iterable[Sequence[str]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _marks(n: int) -> str:
    return ",".join("?" * n)


def delete(conn: sqlite3.Connection, kind: str, ref_ids: Sequence[str]) -> None:
    for chunk in _chunks(list(ref_ids)):
        conn.execute(
            f"DELETE FROM search_docs WHERE kind = ? AND ref_id IN ({_marks(len(chunk))})",
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


Doc = tuple[str, str, str, str, str, int | None, int | None]
"""A search document to write: (kind, ref_id, title, body, extra terms, anchor start, end)."""


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


# ------------------------------------------------------------------------- filter keys
# Cases (and notes on cases) carry their pane-filter keys as index tokens, so search can
# restrict to the filtered cases inside FTS5 itself: a token per key, made of a private-use
# character (which no typed query can produce) and a digest of the key.
FILTER_MARK = "\ue010"


@lru_cache(maxsize=65536)
def filter_token(key: str) -> str:
    """The index token for one filter key: 'p:35', 'pc:JP', 'pc:' (no country), 's:tourism'."""
    digest = hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]
    return FILTER_MARK + digest


def case_filter_keys(conn: sqlite3.Connection, case_ids: Sequence[str]) -> dict[str, list[str]]:
    """Every filter key each case matches, mirroring `db.queries.where_clause`."""
    out: dict[str, list[str]] = {}
    for chunk in _chunks(list(case_ids)):
        marks = _marks(len(chunk))
        for cid, rc, prov, area, rid, pc, pid in conn.execute(
            "SELECT id, region_country, province_code, area_code, region_id, partner_country,"
            f" partner_id FROM cases WHERE id IN ({marks})",
            chunk,
        ):
            keys = [f"r:{rid}", f"pc:{pc or ''}", f"pa:{pid or ''}"]
            keys += [f"{p}:{v}" for p, v in (("c", rc), ("p", prov), ("a", area)) if v]
            out[cid] = keys
        for cid, sector in conn.execute(
            f"SELECT case_id, sector_id FROM case_sectors WHERE case_id IN ({marks})", chunk
        ):
            out.setdefault(cid, []).append(f"s:{sector}")
    return out


def _synonyms(raw: str | None) -> str:
    try:
        return " ".join(json.loads(raw or "[]"))
    except ValueError:
        return ""


class CaseFields(NamedTuple):
    """What a case's search document is made of (as `_case_docs` reads it from the database)."""

    id: str
    title: str
    summary: str | None
    region_name: str
    partner_name: str
    date_as_stated: str | None
    type_as_stated: str | None
    type_en: str | None
    type_id: str | None
    type_synonyms: str | None
    region_country_en: str | None
    region_country_id: str | None
    region_country_synonyms: str | None
    partner_country_en: str | None
    partner_country_id: str | None
    partner_country_synonyms: str | None
    region_as_stated: str | None
    partner_actor_as_stated: str | None
    partner_as_stated: str | None
    status_as_stated: str | None
    # (label_en, label_id, as stated, synonyms) of each sector, by sector id.
    sectors: list[tuple[str, str, str | None, str | None]]
    quotes: list[str]  # in evidence order
    # Names a reader may search by (db/resolve.py gives their written forms): the region's
    # province and area, the partner's country; people named in the case's evidence and
    # events; the legal bases its sources cite (short name and title).
    province_code: str | None = None
    area_code: str | None = None
    partner_country: str | None = None
    people: tuple[str, ...] = ()
    laws: tuple[str, ...] = ()


@lru_cache(maxsize=1024)
def _province_label(province_code: str | None, area_code: str | None) -> str:
    """ " (Jawa Timur)" after a regency or city, "" for a province or abroad."""
    if not province_code or not area_code:
        return ""
    from paradiplo.db import resolve

    place = resolve.place(province_code)
    return f" ({place.name})" if place else ""


@lru_cache(maxsize=4096)
def region_names(province_code: str | None, area_code: str | None, shown: str) -> str:
    """The written forms of a case's province and area ("Provinsi East Java Jatim") that the
    words `shown` (its region's name and its province's, in the body) leave out."""
    from paradiplo.db import resolve

    forms: list[str] = []
    for code in (province_code, area_code):
        if code:
            forms += resolve.place_forms(code)
    return _new_words(forms, shown)


@lru_cache(maxsize=1024)
def country_names(country: str | None, shown: str) -> str:
    """The written forms of a partner country ("Korsel") that `shown` (its names and
    synonyms, indexed with the case already) leave out."""
    from paradiplo.db import resolve

    return _new_words(list(resolve.country_forms(country)) if country else [], shown)


def _new_words(forms: list[str], shown: str) -> str:
    """The words of `forms` not in `shown` nor in an earlier form, in order; a form all of
    whose words are new is kept whole ("East Java": its words make a phrase)."""
    seen = set(tokens(shown))
    kept: list[str] = []
    for form in forms:
        words = tokens(form)
        new = [w for w in words if w not in seen]
        kept += words if len(new) == len(words) else new
        seen.update(words)
    return " ".join(kept)


def case_document(c: CaseFields, synonyms: Callable[[str | None], str]) -> Doc:
    """A case's (unanalysed) search document: title; parties, countries in both languages,
    type, summary, sectors and quotes in the body; labels and synonyms as extra terms."""
    province = _province_label(c.province_code, c.area_code)
    parts = [
        f"{c.region_name}{province} – {c.partner_name}"
        + (f" ({c.partner_country_en} / {c.partner_country_id})" if c.partner_country_en else ""),
        " · ".join(x for x in (c.type_en, c.type_id, c.type_as_stated, c.date_as_stated) if x),
        c.summary or "",
        "; ".join(
            f"{en} / {idl}" + (f" ({stated})" if stated else "") for en, idl, stated, _ in c.sectors
        ),
        *c.quotes,
        ("People: " + ", ".join(c.people)) if c.people else "",
        ("Legal bases: " + "; ".join(c.laws)) if c.laws else "",
    ]
    body = "\n".join(p for p in parts if p)
    extra = " ".join(
        x or ""
        for x in (
            synonyms(c.type_synonyms),
            c.region_country_en,
            c.region_country_id,
            synonyms(c.region_country_synonyms),
            synonyms(c.partner_country_synonyms),
            c.region_as_stated,
            c.partner_actor_as_stated,
            c.partner_as_stated,
            c.status_as_stated,
            " ".join(synonyms(syn) for *_, syn in c.sectors),
        )
    )
    # The other forms of the names of its places, each on a line of its own: analysed once
    # per place (see analyze.search_terms).
    region = region_names(c.province_code, c.area_code, f"{c.region_name} {province}")
    abroad = country_names(
        c.partner_country,
        f"{c.partner_country_en} {c.partner_country_id} {synonyms(c.partner_country_synonyms)}",
    )
    extra += "".join(f"\n{x}" for x in (region, abroad) if x)
    return ("case", c.id, c.title, body, extra, None, None)


def case_keys(
    region_country: str | None,
    province_code: str | None,
    area_code: str | None,
    region_id: str,
    partner_country: str | None,
    partner_id: str | None,
    sector_ids: Iterable[str],
) -> list[str]:
    """Every filter key a case matches, mirroring `db.queries.where_clause` (sector ids in
    id order)."""
    keys = [f"r:{region_id}", f"pc:{partner_country or ''}", f"pa:{partner_id or ''}"]
    keys += [
        f"{p}:{v}" for p, v in (("c", region_country), ("p", province_code), ("a", area_code)) if v
    ]
    return keys + [f"s:{sector}" for sector in sector_ids]


def _case_docs(
    conn: sqlite3.Connection, chunk: Sequence[str], synonyms: Callable[[str | None], str]
) -> tuple[list[Doc], dict[str, list[str]]]:
    """The (unanalysed) search documents of some cases, and each case's filter keys."""
    marks = _marks(len(chunk))
    sectors: dict[str, list[tuple[str, str, str | None, str | None]]] = {}
    sector_ids: dict[str, list[str]] = {}
    for cid, sid, en, idl, stated, syn in conn.execute(
        "SELECT cs.case_id, cs.sector_id, s.label_en, s.label_id, cs.as_stated, s.synonyms"
        f" FROM case_sectors cs JOIN sectors s ON s.id = cs.sector_id"
        f" WHERE cs.case_id IN ({marks}) ORDER BY cs.case_id, cs.sector_id",
        chunk,
    ):
        sectors.setdefault(cid, []).append((en, idl, stated, syn))
        sector_ids.setdefault(cid, []).append(sid)
    quotes: dict[str, list[str]] = {}
    for rid, quote in conn.execute(
        "SELECT record_id, quote FROM evidence WHERE record_type = 'case'"
        f" AND record_id IN ({marks}) AND quote IS NOT NULL ORDER BY id",
        chunk,
    ):
        quotes.setdefault(rid, []).append(quote)
    people: dict[str, list[str]] = {}
    for cid, name in conn.execute(
        "SELECT cp.case_id, p.name FROM case_people cp JOIN people p ON p.id = cp.person_id"
        f" WHERE cp.case_id IN ({marks}) UNION SELECT e.case_id, p.name FROM events e,"
        " json_each(e.people) j JOIN people p ON p.id = j.value"
        f" WHERE e.case_id IN ({marks}) ORDER BY 1, 2",
        [*chunk, *chunk],
    ):
        people.setdefault(cid, []).append(name)
    laws = case_laws(conn, chunk)
    rows: list[Doc] = []
    keys: dict[str, list[str]] = {}
    for r in conn.execute(
        "SELECT c.id, c.title, c.summary, c.region_name, c.partner_name, c.date_as_stated,"
        " c.type_as_stated, t.label_en, t.label_id, t.synonyms,"
        " rc.name_en, rc.name_id, rc.synonyms, pc.name_en, pc.name_id, pc.synonyms,"
        " ra.as_stated, pa.as_stated, c.partner_as_stated, c.status_as_stated,"
        " c.region_country, c.province_code, c.area_code, c.region_id, c.partner_country,"
        " c.partner_id"
        " FROM cases c LEFT JOIN case_types t ON t.id = c.type"
        " LEFT JOIN countries rc ON rc.code = c.region_country"
        " LEFT JOIN countries pc ON pc.code = c.partner_country"
        " LEFT JOIN actors ra ON ra.id = c.region_id"
        " LEFT JOIN actors pa ON pa.id = c.partner_id"
        f" WHERE c.id IN ({marks})",
        chunk,
    ):
        cid = r[0]
        fields = CaseFields._make(
            [
                *r[:20],
                sectors.get(cid, []),
                quotes.get(cid, []),
                r[21],
                r[22],
                r[24],
                tuple(people.get(cid, ())),
                laws.get(cid, ()),
            ]
        )
        rows.append(case_document(fields, synonyms))
        rc, prov, area, rid, pc, pid = r[20:]
        keys[cid] = case_keys(rc, prov, area, rid, pc, pid, sector_ids.get(cid, []))
    return rows, keys


def source_laws(conn: sqlite3.Connection) -> dict[str, tuple[str, ...]]:
    """Source id -> the short names and titles of the legal bases it cites (a case citing
    that source is found by them, as its detail view lists them)."""
    out: dict[str, list[str]] = {}
    # A source cites a law when one of its claims is about it (db/laws.py, the same rule as
    # the detail view's "legal bases cited in its sources").
    for sid, short, title in conn.execute(
        "SELECT DISTINCT c.source_id, l.short, l.title FROM legal_bases l JOIN claims c"
        " ON EXISTS (SELECT 1 FROM json_each(c.about) j WHERE j.value = 'law:' || l.id)"
        " ORDER BY l.year, l.id"
    ):
        out.setdefault(sid, []).extend((short, title))
    return {k: tuple(v) for k, v in out.items()}


def laws_of(sources: Iterable[str], by_source: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The legal bases (short name, title) of a case citing `sources`."""
    return tuple(dict.fromkeys(x for s in sorted(set(sources)) for x in by_source.get(s, ())))


def case_laws(conn: sqlite3.Connection, case_ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
    by_source = source_laws(conn)
    if not by_source:
        return {}
    cited: dict[str, set[str]] = {}
    for cid, sid in conn.execute(
        "SELECT record_id, source_id FROM evidence WHERE record_type = 'case'"
        f" AND record_id IN ({_marks(len(case_ids))})",
        list(case_ids),
    ):
        cited.setdefault(cid, set()).add(sid)
    return {cid: laws_of(sids, by_source) for cid, sids in cited.items()}


def case_synonyms() -> Callable[[str | None], str]:
    """`_synonyms` cached: the same few lists (sectors, types, countries) recur on every case."""
    return lru_cache(maxsize=4096)(_synonyms)


def refresh_cases(conn: sqlite3.Connection, case_ids: Sequence[str]) -> None:
    """(Re)index cases (see `case_document`), and the notes on them (they carry the case's
    filter keys)."""
    synonyms = case_synonyms()
    for chunk in _chunks(list(case_ids)):
        rows, keys = _case_docs(conn, chunk, synonyms)
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
    for chunk in _chunks(list(note_ids)):
        delete(conn, "note", chunk)
        rows: list[tuple[str, str, str, str, str, int | None, int | None]] = []
        on_cases: dict[str, str] = {}
        for nid, body, tags, ttype, tid in conn.execute(
            "SELECT id, body, tags, target_type, target_id FROM notes"
            f" WHERE id IN ({_marks(len(chunk))}) AND deleted_at IS NULL ORDER BY updated_at, id",
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
            f" AND target_id IN ({_marks(len(case_ids))})",
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


def _id_chunks(conn: sqlite3.Connection, sql: str) -> Iterator[list[str]]:
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
        for ids in _id_chunks(conn, "SELECT id FROM cases WHERE id > ? ORDER BY id LIMIT ?"):
            refresh_cases(conn, ids)
        for ids in _id_chunks(conn, "SELECT id FROM sources WHERE id > ? ORDER BY id LIMIT ?"):
            refresh_passages(conn, ids)
        refresh_terms(conn)
        # Notes on existing cases were indexed with their cases; the rest (on sources, regions,
        # or on cases no longer there) now.
        for ids in _id_chunks(
            conn,
            "SELECT id FROM notes n WHERE id > ? AND deleted_at IS NULL AND NOT EXISTS (SELECT 1"
            " FROM search_docs d WHERE d.kind = 'note' AND d.ref_id = n.id) ORDER BY id LIMIT ?",
        ):
            refresh_notes(conn, ids)
    fts.rebuild_fts(conn)
    record_analyzer_version(conn)
    return int(conn.execute("SELECT count(*) FROM search_docs").fetchone()[0])
