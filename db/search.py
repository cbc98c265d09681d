"""Full-text search over cases, source passages, notes and glossary terms (SQLite FTS5).

Any string is a valid query: it is analysed into words (see db/analyze.py) and each word is
quoted before it reaches FTS5, so operators, quotes and punctuation are never syntax.
"""

from __future__ import annotations

import sqlite3

from db.analyze import index_terms, tokens
from db.models import SearchHit

HL_OPEN = "\x02"
HL_CLOSE = "\x03"
MAX_QUERY = 500


def fts_query(text: str) -> str | None:
    """The FTS5 MATCH expression for user text, or None if it has no searchable word."""
    words = tokens(text[:MAX_QUERY])
    if not words:
        return None
    terms = index_terms(" ".join(words)).split()
    parts = [f'"{t}"' for t in terms]
    if parts and not text.rstrip().endswith((" ", '"')):
        parts[-1] += "*"
    return " AND ".join(parts)


def search(conn: sqlite3.Connection, text: str, *, limit: int = 50) -> list[SearchHit]:
    query = fts_query(text)
    if query is None:
        return []
    rows = conn.execute(
        "SELECT d.kind, d.ref_id, d.title,"
        f" snippet(search_docs_fts, 1, '{HL_OPEN}', '{HL_CLOSE}', '…', 16), bm25(search_docs_fts),"
        " d.anchor_start, d.anchor_end FROM search_docs_fts"
        " JOIN search_docs d ON d.id = search_docs_fts.rowid"
        " WHERE search_docs_fts MATCH ? ORDER BY bm25(search_docs_fts) LIMIT ?",
        (query, limit),
    ).fetchall()
    hits = []
    for kind, ref_id, title, snippet, score, a, b in rows:
        case_id = ref_id if kind == "case" else None
        source_id = ref_id.split("#")[0] if kind == "passage" else None
        if kind == "note":
            row = conn.execute(
                "SELECT target_type, target_id FROM notes WHERE id = ?", (ref_id,)
            ).fetchone()
            if row and row[0] == "case":
                case_id = row[1]
        hits.append(SearchHit(kind, ref_id, title, snippet, float(score), case_id, source_id, a, b))
    return hits
