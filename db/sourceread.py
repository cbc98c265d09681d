"""Sources as the read API gives them: their citations, texts, abstracts and findings, the
evidence passages that cite them, and the glossary and laws drawn from them."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from paradiplo.db.errors import NotFound
from paradiplo.db.i18n import N_, _
from paradiplo.db.models import Evidence, Excerpt, GlossaryTerm, LegalBasis, Source, Span
from paradiplo.db.text import clip, json_list

_list = json_list

UNDATED = N_("undated")
SOURCE_KIND_LABELS = {
    # Marked for the catalog: the app shows them translated; citations keep the English.
    "news": N_("news piece"),
    "opinion": N_("opinion piece"),
    "journal_article": N_("journal article"),
    "report": N_("report"),
    "book": N_("book"),
    "web": N_("web page"),
    "official": N_("official document"),
    "citation": N_("citation"),
    "other": N_("source"),
}


# ------------------------------------------------------------------ sources and evidence
def _citation(row: sqlite3.Row | tuple[Any, ...]) -> tuple[str, str]:
    """(short label, full citation) for a source row (id, file, kind, title, outlet, authors,
    published, citation)."""
    sid, file, kind, title, outlet, authors_raw, published, citation = row
    authors = _list(authors_raw)
    if citation and not (title or outlet):
        return (clip(citation, 60), citation)
    who = ", ".join(authors) if authors else None
    parts = [
        who,
        f"“{title}”" if title else None,
        outlet,
        SOURCE_KIND_LABELS.get(kind, kind),
        published or UNDATED,
        f"file {file}" if file else None,
    ]
    label = outlet or (authors[0] if authors else None) or title or sid
    label = f"{label}, {published[:4]}" if published else f"{label} ({UNDATED})"
    return label, ". ".join(p for p in parts if p) + "."


# The end of a citation `_citation` builds: ". <kind>. <date or undated>[. file <name>]."
_BUILT_END = re.compile(
    r"\. (?P<kind>[a-z ]+)\. (?P<date>undated|[0-9][0-9-]*)(?:\. file (?P<file>\S+))?\.$"
)


def shown_citation(citation: str) -> str:
    """A citation as the interface shows it: the words this app wrote into it (the kind of
    source, "undated", "file") in the interface language; names, titles and dates as they
    are. Machine output (`--json`, exports) keeps the English `citation`. A citation the user
    typed (a citation-only source) does not end the way ours do and is shown as it is."""
    found = _BUILT_END.search(citation)
    if found is None or found["kind"] not in SOURCE_KIND_LABELS.values():
        return citation
    date = _(UNDATED) if found["date"] == UNDATED else found["date"]
    end = f". {_(found['kind'])}. {date}"
    if found["file"]:
        end += ". " + _("file {name}").format(name=found["file"])
    return citation[: found.start()] + end + "."


def shown_source_label(label: str) -> str:
    """A source's short label ('Kompasiana (undated)') with "undated" in the interface
    language."""
    if label.endswith(f" ({UNDATED})"):
        return label.removesuffix(f" ({UNDATED})") + f" ({_(UNDATED)})"
    return label


_SOURCE_COLS = "id, file, kind, title, outlet, authors, published, citation"


def _evidence(conn: sqlite3.Connection, record_type: str, record_id: str) -> list[Evidence]:
    out = []
    for eid, sid, quote, start, end, supports, *src in conn.execute(
        'SELECT e.id, e.source_id, e.quote, e.start, e."end", e.supports, s.id, s.file, s.kind,'
        " s.title, s.outlet, s.authors, s.published, s.citation FROM evidence e"
        " JOIN sources s ON s.id = e.source_id WHERE e.record_type = ? AND e.record_id = ?"
        " ORDER BY e.id",
        (record_type, record_id),
    ):
        label, citation = _citation(tuple(src))
        out.append(Evidence(eid, sid, label, citation, quote, start, end, _list(supports)))
    return out


def _source(
    row: tuple[Any, ...], text: str = "", extracts: dict[str, list[Any]] | None = None
) -> Source:
    (
        sid,
        file,
        kind,
        title,
        outlet,
        authors,
        affiliation,
        published,
        language,
        keywords,
        notes,
        citation,
        origin,
        inferred,
        url,
        accessed,
    ) = row
    label, full = _citation((sid, file, kind, title, outlet, authors, published, citation))
    parts = (extracts or {}).get(sid, [])
    return Source(
        sid,
        file,
        kind,
        title,
        outlet,
        _list(authors),
        affiliation,
        published,
        language,
        _list(keywords),
        _list(notes),
        full,
        label,
        origin,
        text,
        _list(inferred),
        [x for part, x in parts if part == "abstract"],
        [x for part, x in parts if part == "findings"],
        url,
        accessed,
    )


_SOURCE_FULL = (
    "id, file, kind, title, outlet, authors, affiliation, published, language, keywords, notes,"
    " citation, origin, inferred, url, accessed"
)


def _extracts(conn: sqlite3.Connection, source_ids: list[str]) -> dict[str, list[Any]]:
    """The abstract and findings passages of bundled sources (verbatim, with offsets)."""
    out: dict[str, list[Any]] = {}
    for i in range(0, len(source_ids), 500):
        chunk = source_ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for sid, quote, start, end, supports in conn.execute(
            'SELECT record_id, quote, start, "end", supports FROM evidence'
            f" WHERE record_type = 'source' AND record_id IN ({marks})"
            " AND (supports LIKE '%\"abstract\"%' OR supports LIKE '%\"findings\"%')"
            " ORDER BY id",
            chunk,
        ):
            facts = _list(supports)
            lang = next((f[9:] for f in facts if str(f).startswith("language:")), None)
            for part in ("abstract", "findings"):
                if part in facts:
                    out.setdefault(sid, []).append((part, Excerpt(quote, start, end, lang)))
    return out


def list_sources(
    conn: sqlite3.Connection, limit: int | None = None, offset: int = 0
) -> list[Source]:
    """Sources, bundled first, then by id; a page of them with `limit`.

    An import adds one citation source per distinct citation, so a large collection has tens
    of thousands: a list on screen should page (`limit`/`offset`, `count_sources`).
    """
    rows = conn.execute(
        f"SELECT {_SOURCE_FULL} FROM sources ORDER BY origin DESC, id LIMIT ? OFFSET ?",
        (-1 if limit is None else limit, offset),
    ).fetchall()
    extracts = _extracts(conn, [r[0] for r in rows if r[-2] == "seed" or r[1]])
    return [_source(tuple(r), extracts=extracts) for r in rows]


def count_sources(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM sources").fetchone()[0])


def get_source(conn: sqlite3.Connection, source_id: str) -> Source:
    r = conn.execute(f"SELECT {_SOURCE_FULL}, text FROM sources WHERE id = ?", (source_id,))
    row = r.fetchone()
    if row is None:
        raise NotFound(_("No source with id '{id}'.").format(id=source_id))
    return _source(tuple(row[:-1]), row[-1], _extracts(conn, [source_id]))


def source_spans(conn: sqlite3.Connection, source_id: str) -> list[Span]:
    """Every evidence passage in a source, in text order, with the record it supports."""
    return [
        Span(start, end, rtype, rid, eid)
        for eid, rtype, rid, start, end in conn.execute(
            'SELECT id, record_type, record_id, start, "end" FROM evidence'
            " WHERE source_id = ? AND start IS NOT NULL ORDER BY start, id",
            (source_id,),
        )
    ]


def glossary(conn: sqlite3.Connection) -> list[GlossaryTerm]:
    from paradiplo.db import laws

    return [
        GlossaryTerm(
            tid,
            term,
            definition,
            bool(ref),
            _evidence(conn, "term", tid),
            laws.conflicts_about(conn, f"term:{tid}"),
        )
        for tid, term, definition, ref in conn.execute(
            "SELECT id, term, definition, reference FROM glossary ORDER BY term COLLATE NOCASE"
        )
    ]


def legal_bases(conn: sqlite3.Connection) -> list[LegalBasis]:
    """Every law: official titles, the sources' claims, the outside reference (db/laws.py)."""
    from paradiplo.db import laws

    return laws.laws(conn)
