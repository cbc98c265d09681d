"""The read API: what the CLI and the TUI ask of the database. Every list is paged in SQL.

Gathered here by topic from db/caselist.py (filters, counts, pages), db/trees.py (region,
partner and sector counts), db/casedetail.py (one case in full) and db/sourceread.py
(sources, evidence, glossary, laws); this module adds the palette's name lookup, the table
counts and the database check.
"""

from __future__ import annotations

import sqlite3

from paradiplo.db.casedetail import case_detail, find_case_id
from paradiplo.db.caselist import (
    _memoised,
    _reference,
    case_position,
    count_cases,
    list_cases,
    narrowing_conditions,
    sector_where,
    where_clause,
)
from paradiplo.db.models import Filters
from paradiplo.db.schema import case_sector_problems, summary_problems
from paradiplo.db.sourceread import (
    SOURCE_KIND_LABELS,
    _citation,
    _evidence,
    count_sources,
    get_source,
    glossary,
    legal_bases,
    list_sources,
    source_spans,
)
from paradiplo.db.trees import partner_tree, region_tree, sector_counts

__all__ = [
    "SOURCE_KIND_LABELS",
    "Filters",
    "_citation",
    "_evidence",
    "_memoised",
    "_reference",
    "case_detail",
    "case_position",
    "check",
    "count_cases",
    "count_sources",
    "find_by_name",
    "find_case_id",
    "get_source",
    "glossary",
    "legal_bases",
    "list_cases",
    "list_sources",
    "narrowing_conditions",
    "partner_tree",
    "region_tree",
    "sector_counts",
    "sector_where",
    "source_spans",
    "stats",
    "where_clause",
]


# What the palette looks up by name: (kind, key prefix, SQL giving key, label[, Indonesian
# label]) with :like and :limit. Regions and partner countries only where a case has them.
_NAMED: tuple[tuple[str, str, str], ...] = (
    (
        "sector",
        "",
        "SELECT id, label_en, label_id FROM sectors WHERE label_en LIKE :like ESCAPE '\\'"
        " OR label_id LIKE :like ESCAPE '\\' LIMIT :limit",
    ),
    (
        "region",
        "p:",
        "SELECT code, name FROM areas a WHERE level = 'province' AND name LIKE :like ESCAPE '\\'"
        " AND EXISTS (SELECT 1 FROM cases c WHERE c.province_code = a.code) LIMIT :limit",
    ),
    (
        "region",
        "a:",
        "SELECT code, name FROM areas a WHERE level != 'province' AND name LIKE :like ESCAPE '\\'"
        " AND EXISTS (SELECT 1 FROM cases c WHERE c.area_code = a.code) LIMIT :limit",
    ),
    (
        "partner",
        "pc:",
        "SELECT code, name_en, name_id FROM countries co WHERE (name_en LIKE :like ESCAPE '\\'"
        " OR name_id LIKE :like ESCAPE '\\') AND EXISTS (SELECT 1 FROM cases c"
        " WHERE c.partner_country = co.code) LIMIT :limit",
    ),
    (
        "source",
        "",
        "SELECT id, coalesce(title, outlet, citation, id) FROM sources WHERE"
        " coalesce(title, '') || ' ' || coalesce(outlet, '') || ' ' || id LIKE :like ESCAPE '\\'"
        " LIMIT :limit",
    ),
    (
        "case",
        "",
        "SELECT id, title FROM cases WHERE title LIKE :like ESCAPE '\\' OR id LIKE :like"
        " ESCAPE '\\' ORDER BY title LIMIT :limit",
    ),
)


def find_by_name(
    conn: sqlite3.Connection, text: str, limit: int = 20
) -> list[tuple[str, str, str]]:
    """(kind, key, label) of cases, regions, sectors and sources whose name contains `text`.

    For the command palette: cheap LIKE lookups, each capped at `limit`. A name with an
    Indonesian version is labelled 'English / Indonesian'.
    """
    like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    params = {"like": like, "limit": limit}
    out: list[tuple[str, str, str]] = []
    for kind, prefix, sql in _NAMED:
        for key, *labels in conn.execute(sql, params):
            out.append((kind, prefix + key, " / ".join(str(x) for x in labels)))
    return out


def stats(conn: sqlite3.Connection) -> dict[str, int]:
    tables = [
        "sources",
        "passages",
        "actors",
        "cases",
        "case_sectors",
        "sectors",
        "evidence",
        "people",
        "events",
        "legal_bases",
        "claims",
        "conflicts",
        "glossary",
        "areas",
        "countries",
        "notes",
        "search_docs",
    ]
    out = {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}
    out["notes"] = int(
        conn.execute("SELECT count(*) FROM notes WHERE deleted_at IS NULL").fetchone()[0]
    )
    out["user_cases"] = int(
        conn.execute("SELECT count(*) FROM cases WHERE origin = 'user'").fetchone()[0]
    )
    return out


def check(conn: sqlite3.Connection) -> list[str]:
    """Integrity, foreign keys and provenance. Returns a list of problems (empty when sound)."""
    problems: list[str] = []
    integrity = conn.execute("PRAGMA integrity_check").fetchall()
    if [tuple(r) for r in integrity] != [("ok",)]:
        problems += [f"integrity: {r[0]}" for r in integrity[:20]]
    for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check").fetchall()[:50]:
        problems.append(f"foreign key: {table} row {rowid} points to a missing {parent}")
    texts = dict(conn.execute("SELECT id, text FROM sources").fetchall())
    from paradiplo.db.text import find_quote

    for eid, rtype, rid, sid, quote, start, end in conn.execute(
        'SELECT id, record_type, record_id, source_id, quote, start, "end" FROM evidence'
        " WHERE quote IS NOT NULL"
    ):
        text = texts.get(sid)
        if text is None:
            problems.append(f"evidence {eid} ({rtype} {rid}) cites missing source {sid}")
            continue
        if not text and start is None and end is None:
            continue  # a citation-only source has no text to check the quote against
        if start is None or end is None or find_quote(text[start:end], quote) is None:
            problems.append(
                f"evidence {eid} ({rtype} {rid}): quote not at its stored offsets in {sid}"
            )
    for (cid,) in conn.execute(
        "SELECT id FROM cases c WHERE NOT EXISTS (SELECT 1 FROM evidence e"
        " WHERE e.record_type = 'case' AND e.record_id = c.id)"
    ):
        problems.append(f"case {cid} has no evidence (no source cited)")
    for (cid,) in conn.execute(
        "SELECT id FROM cases c WHERE origin = 'seed' AND NOT EXISTS (SELECT 1 FROM evidence e"
        " WHERE e.record_type = 'case' AND e.record_id = c.id AND e.quote IS NOT NULL)"
    ):
        problems.append(f"seed case {cid} has no verified quote")
    wrong = summary_problems(conn)
    if wrong:
        problems.append(f"summary counts out of step: {wrong} row(s) differ from a recount")
    stale = case_sector_problems(conn)
    if stale:
        problems.append(
            f"sector index out of step: {stale} case_sectors row(s) disagree with their case"
        )
    n_docs = conn.execute("SELECT count(*) FROM search_docs").fetchone()[0]
    n_fts = conn.execute("SELECT count(*) FROM search_docs_fts").fetchone()[0]
    if n_docs != n_fts:
        problems.append(f"search index out of step: {n_docs} documents, {n_fts} indexed")
    return problems
