"""One case in full (its parties, sectors, evidence, people, events, laws and conflicts), and
finding a case by its id or the beginning of it."""

from __future__ import annotations

import sqlite3

from paradiplo.db.errors import NotFound, no_case
from paradiplo.db.i18n import _
from paradiplo.db.models import Actor, CaseDetail, Event, Person, SectorTag
from paradiplo.db.sourceread import _evidence
from paradiplo.db.text import json_list

_list = json_list


def _actor(conn: sqlite3.Connection, actor_id: str | None) -> Actor | None:
    if not actor_id:
        return None
    r = conn.execute(
        "SELECT a.id, a.name, a.as_stated, a.country_code, co.name_en, a.level, a.kind,"
        " a.area_code, ar.name, a.province_code, pr.name, a.candidates, a.resolution, a.unclear,"
        " a.origin FROM actors a LEFT JOIN countries co ON co.code = a.country_code"
        " LEFT JOIN areas ar ON ar.code = a.area_code"
        " LEFT JOIN areas pr ON pr.code = a.province_code WHERE a.id = ?",
        (actor_id,),
    ).fetchone()
    if r is None:
        return None
    return Actor(
        r[0],
        r[1],
        r[2],
        r[3],
        r[4],
        r[5],
        r[6],
        r[7],
        r[8],
        r[9],
        r[10],
        _list(r[11]),
        r[12],
        _list(r[13]),
        r[14],
        _evidence(conn, "actor", actor_id),
    )


def find_case_id(conn: sqlite3.Connection, text: str) -> tuple[str, bool]:
    """(case id, whether it was completed from a prefix) for an id as typed: the whole id, or a
    unique beginning of one ('jabar-shizuoka-m'). An unknown or ambiguous beginning is refused,
    naming the candidates."""
    wanted = text
    if conn.execute("SELECT 1 FROM cases WHERE id = ?", (wanted,)).fetchone():
        return wanted, False
    like = wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    found = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM cases WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 11", (like,)
        )
    ]
    if len(found) == 1:
        return found[0], True
    if not found:
        raise no_case(wanted)
    more = ", …" if len(found) > 10 else ""
    message = (
        _("'{text}' begins more than 10 case ids: {ids}. Type more of the id.")
        if more
        else _("'{text}' begins {n} case ids: {ids}. Type more of the id.")
    )
    raise NotFound(message.format(text=wanted, n=len(found), ids=", ".join(found[:10]) + more))


def case_detail(conn: sqlite3.Connection, case_id: str) -> CaseDetail:
    r = conn.execute(
        "SELECT c.id, c.title, c.summary, c.region_id, c.partner_id, c.partner_as_stated,"
        " c.partner_kind, c.facilitator_id, c.type, coalesce(t.label_en, c.type, ''),"
        " c.type_as_stated, c.date, c.date_as_stated, c.status, c.status_as_stated,"
        " c.scope_article, c.category, c.category_basis, c.unclear, c.related, c.origin,"
        " c.stage, c.stage_basis, c.status_gloss, c.date_note"
        " FROM cases c LEFT JOIN case_types t ON t.id = c.type WHERE c.id = ?",
        (case_id,),
    ).fetchone()
    if r is None:
        raise no_case(case_id)
    region = _actor(conn, r[3])
    assert region is not None
    related = []
    for rid in _list(r[19]):
        t = conn.execute("SELECT title FROM cases WHERE id = ?", (rid,)).fetchone()
        gone = _("{id} (no longer in the collection)")
        related.append((rid, t[0] if t else gone.format(id=rid)))
    sectors = [
        SectorTag(*row)
        for row in conn.execute(
            "SELECT s.id, s.label_en, s.label_id, cs.as_stated FROM case_sectors cs"
            " JOIN sectors s ON s.id = cs.sector_id WHERE cs.case_id = ? ORDER BY s.position",
            (case_id,),
        )
    ]
    evidence = _evidence(conn, "case", case_id)
    people = [
        Person(pid, name, office, stated, _evidence(conn, "person", pid))
        for pid, name, office, stated in conn.execute(
            "SELECT p.id, p.name, p.office, p.office_as_stated FROM case_people cp"
            " JOIN people p ON p.id = cp.person_id WHERE cp.case_id = ? ORDER BY p.name",
            (case_id,),
        )
    ]
    names = dict(conn.execute("SELECT id, name FROM people").fetchall())
    events = [
        Event(
            eid,
            date,
            stated,
            place,
            desc,
            [names.get(p, p) for p in _list(ppl)],
            _evidence(conn, "event", eid),
            gloss,
        )
        for eid, date, stated, place, desc, ppl, gloss in conn.execute(
            "SELECT id, date, date_as_stated, place, description, people, date_gloss FROM events"
            " WHERE case_id = ? ORDER BY date IS NULL, date, id",
            (case_id,),
        )
    ]
    from paradiplo.db import laws
    from paradiplo.db.derive import STAGE_LABELS

    source_ids = sorted({e.source_id for e in evidence})
    legal = laws.laws_cited_in(conn, source_ids)
    return CaseDetail(
        id=r[0],
        title=r[1],
        summary=r[2],
        region=region,
        partner=_actor(conn, r[4]),
        partner_as_stated=r[5],
        partner_kind=r[6],
        facilitator=_actor(conn, r[7]),
        type=r[8],
        type_label=r[9],
        type_as_stated=r[10],
        date=r[11],
        date_as_stated=r[12],
        status=r[13],
        status_as_stated=r[14],
        scope_article=r[15],
        category=r[16],
        category_basis=r[17],
        unclear=_list(r[18]),
        related=related,
        origin=r[20],
        sectors=sectors,
        evidence=evidence,
        people=people,
        events=events,
        legal_bases=legal,
        stage=r[21],
        stage_label=STAGE_LABELS.get(r[21] or "", r[21]),
        stage_basis=r[22],
        status_gloss=r[23],
        date_note=r[24],
        conflicts=laws.conflicts_of_sources(conn, source_ids),
    )
