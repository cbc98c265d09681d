"""Laws, what the bundled sources claim about them, and where the sources disagree.

Read API over the schema 3 tables (law_references, claims, conflicts) and legal_bases. Three
voices are kept apart in what it returns: a `Claim` is a source's own claim with its quotes; a
`LawReference` is from outside the bundled texts, with a citation for each part; a
`Conflict`'s question and note are the app's.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from paradiplo.db.errors import NotFound
from paradiplo.db.i18n import N_, _
from paradiplo.db.models import Citation, Claim, Conflict, LawReference, LegalBasis
from paradiplo.db.text import json_array

STATUS_WORDS = {
    "in_force": N_("in force"),
    "amended": N_("in force, amended"),
    "replaced": N_("replaced"),
    "revoked": N_("revoked"),
}


def _claims(conn: sqlite3.Connection, where: str, params: Iterable[Any]) -> list[Claim]:
    from paradiplo.db.queries import _citation, _evidence

    out = []
    for cid, sid, about, claim, cited, *src in conn.execute(
        "SELECT c.id, c.source_id, c.about, c.claim, c.title_as_cited, s.id, s.file, s.kind,"
        " s.title, s.outlet, s.authors, s.published, s.citation FROM claims c"
        f" LEFT JOIN sources s ON s.id = c.source_id {where} ORDER BY c.source_id, c.id",
        list(params),
    ):
        label = _citation(tuple(src))[0] if src[0] else sid
        out.append(
            Claim(cid, sid, label, json_array(about), claim, cited, _evidence(conn, "claim", cid))
        )
    return out


def claims_about(conn: sqlite3.Connection, topic: str) -> list[Claim]:
    """The claims about one topic ('law:uu-32-2004', 'term:paradiplomasi')."""
    return _claims(
        conn, "WHERE EXISTS (SELECT 1 FROM json_each(c.about) j WHERE j.value = ?)", [topic]
    )


def claims_about_ids(conn: sqlite3.Connection, claim_ids: list[str]) -> list[Claim]:
    """The claims with these ids."""
    if not claim_ids:
        return []
    return _claims(conn, f"WHERE c.id IN ({','.join('?' * len(claim_ids))})", claim_ids)


def _reference(conn: sqlite3.Connection, law_id: str) -> LawReference | None:
    row = conn.execute(
        "SELECT r.status, r.status_text, r.replaced_by, l.short, r.amended_by, r.description,"
        " r.citations, r.checked FROM law_references r"
        " LEFT JOIN legal_bases l ON l.id = r.replaced_by WHERE r.law_id = ?",
        (law_id,),
    ).fetchone()
    if row is None:
        return None
    status, status_text, replaced_by, replaced_short, amended, description, cites, checked = row
    citations = [
        Citation(
            str(c.get("publication", "")),
            str(c.get("database", "")),
            str(c.get("address", "")),
            [str(s) for s in c.get("supports", [])],
        )
        for c in json_array(cites)
        if isinstance(c, dict)
    ]
    return LawReference(
        status,
        status_text,
        replaced_by,
        replaced_short or replaced_by,
        [str(a) for a in json_array(amended)],
        description,
        citations,
        checked,
    )


def _law(conn: sqlite3.Connection, row: tuple[Any, ...]) -> LegalBasis:
    lid, short, title, summary, kind, number, year, reference = row
    claims = claims_about(conn, f"law:{lid}")
    return LegalBasis(
        lid,
        short,
        title,
        summary,
        [e for c in claims for e in c.evidence],
        kind,
        number,
        year,
        not reference,
        claims,
        _reference(conn, lid),
    )


_LAW_COLS = "id, short, title, summary, kind, number, year, reference"


def laws(conn: sqlite3.Connection) -> list[LegalBasis]:
    """Every law: those the bundled texts cite first, then the framing references; by year."""
    rows = conn.execute(
        f"SELECT {_LAW_COLS} FROM legal_bases ORDER BY reference, year, id"
    ).fetchall()
    return [_law(conn, tuple(r)) for r in rows]


def law(conn: sqlite3.Connection, law_id: str) -> LegalBasis:
    row = conn.execute(f"SELECT {_LAW_COLS} FROM legal_bases WHERE id = ?", (law_id,)).fetchone()
    if row is None:
        raise NotFound(
            _("No law with id '{id}'. 'paradiplo-tui laws' lists them.").format(id=law_id)
        )
    return _law(conn, tuple(row))


def laws_cited_in(conn: sqlite3.Connection, source_ids: list[str]) -> list[LegalBasis]:
    """The laws that claims of these sources are about, each with only those sources' claims
    (and its outside reference, so that a replaced law shows as replaced)."""
    if not source_ids:
        return []
    marks = ",".join("?" * len(source_ids))
    rows = conn.execute(
        f"SELECT DISTINCT {', '.join('l.' + c.strip() for c in _LAW_COLS.split(','))}"
        " FROM legal_bases l JOIN claims c ON EXISTS (SELECT 1 FROM json_each(c.about) j"
        " WHERE j.value = 'law:' || l.id)"
        f" WHERE c.source_id IN ({marks}) ORDER BY l.year, l.id",
        source_ids,
    ).fetchall()
    out = []
    for row in rows:
        full = _law(conn, tuple(row))
        mine = [c for c in full.claims if c.source_id in source_ids]
        out.append(
            LegalBasis(
                full.id,
                full.short,
                full.title,
                full.summary,
                [e for c in mine for e in c.evidence],
                full.kind,
                full.number,
                full.year,
                full.cited,
                mine,
                full.reference,
            )
        )
    return out


def _conflict(conn: sqlite3.Connection, row: tuple[Any, ...]) -> Conflict:
    kid, question, about, claim_ids, note = row
    ids = [str(c) for c in json_array(claim_ids)]
    by_id = {}
    if ids:
        marks = ",".join("?" * len(ids))
        by_id = {c.id: c for c in _claims(conn, f"WHERE c.id IN ({marks})", ids)}
    return Conflict(kid, question, json_array(about), [by_id[i] for i in ids if i in by_id], note)


def conflicts(conn: sqlite3.Connection) -> list[Conflict]:
    """Every recorded disagreement between sources."""
    rows = conn.execute(
        "SELECT id, question, about, claims, note FROM conflicts ORDER BY id"
    ).fetchall()
    return [_conflict(conn, tuple(r)) for r in rows]


def conflicts_about(conn: sqlite3.Connection, topic: str) -> list[Conflict]:
    """The disagreements on one topic ('term:paradiplomasi')."""
    return [k for k in conflicts(conn) if topic in k.about]


def conflicts_of_sources(conn: sqlite3.Connection, source_ids: list[str]) -> list[Conflict]:
    """The disagreements in which one of these sources takes a side."""
    wanted = set(source_ids)
    return [k for k in conflicts(conn) if any(c.source_id in wanted for c in k.claims)]


def status_words(status: str) -> str:
    """A law's status in words, in the interface language ('in force' / 'berlaku')."""
    return _(STATUS_WORDS[status]) if status in STATUS_WORDS else status
