"""The rows of a case the user adds or edits: its region and partner actors (an existing one
or a new one), its country, its id, sectors and evidence (db/collection.py calls these inside
its one write transaction)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from paradiplo.db import places, schema, searchdocs
from paradiplo.db.casepreview import CaseInput, CasePreview, region_actor_name
from paradiplo.db.casewrite import adjust_summaries
from paradiplo.db.dates import year_of
from paradiplo.db.derive import derive_category, derive_stage
from paradiplo.db.text import slugify
from paradiplo.db.usersources import LocatedQuote
from paradiplo.db.usersources import clean as _clean
from paradiplo.db.usersources import sutils as _sutils


def _ensure_region_actor(w: sqlite3.Connection, region: places.RegionMatch) -> dict[str, Any]:
    """The actor for a home-side region (an existing one with its official code, else new)."""
    area = region.area
    if area is not None:
        row = w.execute(
            "SELECT id FROM actors WHERE area_code = ? AND country_code = 'ID'"
            " ORDER BY origin DESC LIMIT 1",
            (area.code,),
        ).fetchone()
        prov = area.province_code or area.code
        actor = {
            "id": row[0] if row else _new_actor_id(w, area.name, "ID"),
            "name": area.name,
            "country_code": "ID",
            "level": area.level,
            "kind": "sub_state",
            "area_code": area.code,
            "province_code": prov,
        }
        if row is None:
            _sutils(w)["actors"].insert({**actor, "origin": "user"})
        return {**actor, "area_code": None if area.level == "province" else area.code}
    # Kept as stated (ambiguity "keep"): like the seeds' "Malang (city or regency not stated)".
    name = region_actor_name(region)
    codes = [a.code for a in region.candidates]
    provs = {a.province_code or a.code for a in region.candidates}
    row = w.execute(
        "SELECT id FROM actors WHERE name = ? AND country_code = 'ID' LIMIT 1", (name,)
    ).fetchone()
    actor = {
        "id": row[0] if row else _new_actor_id(w, name, "ID"),
        "name": name,
        "as_stated": region.as_stated,
        "country_code": "ID",
        "level": "regency_or_city",
        "kind": "sub_state",
        "area_code": None,
        "province_code": provs.pop() if len(provs) == 1 else None,
        "candidates": json.dumps(codes),
        "unclear": json.dumps(
            [f"'{region.as_stated}' may be any of: " + ", ".join(
                f"{a.name} ({a.code})" for a in region.candidates
            )],
            ensure_ascii=False,
        ),
    }  # fmt: skip
    if row is None:
        _sutils(w)["actors"].insert({**actor, "origin": "user"})
    return actor


def _new_actor_id(w: sqlite3.Connection, name: str, country: str) -> str:
    base = slugify(name) + ("" if country == "ID" else f"-{country.lower()}")
    aid, n = base, 2
    while w.execute("SELECT 1 FROM actors WHERE id = ?", (aid,)).fetchone():
        aid, n = f"{base}-{n}", n + 1
    return aid


def _ensure_country(w: sqlite3.Connection, country: places.Country | None) -> str | None:
    if country is None:
        return None
    w.execute(
        "INSERT OR IGNORE INTO countries(code, name_en, name_id, origin) VALUES (?, ?, ?, 'user')",
        (country.code, country.name_en, country.name_id or country.name_en),
    )
    return country.code


def _ensure_partner_actor(
    w: sqlite3.Connection, name: str, country: str | None, kind: str | None
) -> tuple[str, str, str]:
    """(actor id, kind, stored name) of the partner: an existing actor of that country whose name matches
    with prefixes aside ("Kota Braunschweig" is "Braunschweig"), else a new one."""
    key = places.partner_key(name)
    for aid, aname, akind in w.execute(
        "SELECT id, name, kind FROM actors WHERE country_code IS ? AND coalesce(level, '') NOT IN"
        " ('province', 'regency', 'city', 'regency_or_city') ORDER BY origin DESC",
        (country,),
    ):
        if places.partner_key(aname) == key:
            return aid, akind, aname
    aid = _new_actor_id(w, name, country or "xx")
    _sutils(w)["actors"].insert(
        {
            "id": aid,
            "name": name,
            "country_code": country,
            "kind": kind or "unknown",
            "origin": "user",
        }
    )
    return aid, kind or "unknown", name


def new_case_id(
    w: sqlite3.Connection, region: str, partner: str | None, type_id: str, date: str | None
) -> str:
    base = slugify(" ".join(p for p in (region, partner or "", type_id, (date or "")[:4]) if p))[
        :80
    ]
    cid, n = base, 2
    while w.execute(
        "SELECT 1 FROM cases WHERE id = ? UNION ALL SELECT 1 FROM case_bin WHERE id = ?",
        (cid, cid),
    ).fetchone():
        cid, n = f"{base}-{n}", n + 1
    return cid


def case_row(
    w: sqlite3.Connection, case: CaseInput, p: CasePreview
) -> tuple[dict[str, Any], list[str]]:
    """The cases row for a previewed case (actors and countries written as needed)."""
    region = _ensure_region_actor(w, p.region)
    partner_country = _ensure_country(w, p.partner_country)
    partner_id = None
    partner_name = None
    kind = case.partner_kind
    if p.partner:
        partner_id, actor_kind, partner_name = _ensure_partner_actor(
            w, p.partner, partner_country, kind
        )
        kind = kind or actor_kind
    category, basis = derive_category("ID", kind, year_of(case.date), partner_name)
    stage, stage_basis = derive_stage(p.type_id, _clean(case.status))
    row = {
        "title": p.title,
        "region_id": region["id"],
        "partner_id": partner_id,
        "partner_as_stated": p.partner if partner_name != p.partner else None,
        "partner_kind": kind,
        "type": p.type_id,
        "date": case.date or None,
        "date_as_stated": _clean(case.date_as_stated),
        "year": year_of(case.date),
        "status": _clean(case.status),
        "summary": _clean(case.summary),
        "category": category,
        "category_basis": basis,
        "stage": stage,
        "stage_basis": stage_basis,
        "region_name": region["name"],
        "region_country": "ID",
        "province_code": region["province_code"],
        "area_code": region["area_code"],
        "partner_name": partner_name or "(not named)",
        "partner_country": partner_country,
    }
    return row, list(p.sector_ids)


def write_sectors(w: sqlite3.Connection, case_id: str, sector_ids: Sequence[str]) -> None:
    w.execute("DELETE FROM case_sectors WHERE case_id = ?", (case_id,))
    if sector_ids:
        schema.write_case_sectors(w, {case_id: [(s, None) for s in sector_ids]})


def write_evidence(
    w: sqlite3.Connection, case_id: str, quotes: Sequence[LocatedQuote]
) -> list[int]:
    table = _sutils(w)["evidence"]
    ids = []
    for q in quotes:
        table.insert(
            {
                "record_type": "case",
                "record_id": case_id,
                "source_id": q.source_id,
                "quote": q.quote,
                "start": q.start,
                "end": q.end,
                "supports": json.dumps(list(q.supports)),
                "origin": "user",
            }
        )
        ids.append(int(table.last_rowid))
    return ids


def after_case_change(w: sqlite3.Connection, case_ids: Sequence[str]) -> None:
    """After writing cases: their counts in the summaries, their search documents."""
    adjust_summaries(w, case_ids, +1)
    searchdocs.refresh_cases(w, case_ids)
