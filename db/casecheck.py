"""Checking imported case records: every field validated, names resolved, quotes found.

`Checker.check(where, record)` returns the row to write (or None) and the problems of that
record, each naming the record and field ("line 4, field 'date': ..."). Names go through
db/resolve.py (the one resolver); a bare name shared by a Kota and a Kabupaten is settled by
the import's `ambiguous` choice. The `Resolver` (db/caseresolver.py) keeps what the import
will create (actors, countries, citation sources) until the rows are written (db/casewrite.py).
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from paradiplo.db import resolve
from paradiplo.db.casefields import CASE_FIELDS, PARTNER_KINDS, REQUIRED
from paradiplo.db.caseformats import field_problem
from paradiplo.db.caseresolver import Resolver
from paradiplo.db.dates import date_problem, year_of
from paradiplo.db.derive import derive_category, derive_stage
from paradiplo.db.i18n import _
from paradiplo.db.text import clean_user_text, find_quote, slugify

__all__ = ["MAX_FIELD", "TEXT_FIELDS", "Checker", "Resolver"]

# The fields that hold plain text: every field of the export but the lists and the derived ones.
TEXT_FIELDS = tuple(
    f
    for f in CASE_FIELDS
    if f not in ("sectors", "evidence", "unclear", "category", "stage", "origin")
)
_TEXT_SET = frozenset(TEXT_FIELDS)
_BAD = "\x00not text"  # what `_s` returns for a non-text value; user text never holds a NUL
MAX_FIELD = 100_000
PARTNER_KINDS_OR_EMPTY = {*PARTNER_KINDS, ""}


def _s(rec: dict[str, Any], key: str) -> str:
    value = rec.get(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return _BAD
    text = str(value)
    if not text.isascii() or "\x00" in text or "\r" in text:
        text = clean_user_text(text)  # plain ASCII is already clean (and NFC): skip the work
    return text.strip()


def _is_text(value: Any) -> bool:
    return value is None or (isinstance(value, str | int | float) and not isinstance(value, bool))


def _shape_problems(rec: dict[str, Any], where: str) -> list[str]:
    """Evidence items and 'unclear' entries that are not text where text is expected."""
    problems = []
    evidence = rec.get("evidence")
    if isinstance(evidence, list):
        for i, e in enumerate(evidence, 1):
            if isinstance(e, dict) and not (_is_text(e.get("source")) and _is_text(e.get("quote"))):
                problems.append(
                    field_problem(
                        where,
                        "evidence",
                        _("item {i}: source and quote must be text").format(i=i),
                    )
                )
    unclear = rec.get("unclear")
    texts = isinstance(unclear, list) and all(isinstance(u, str) for u in unclear)
    if unclear is not None and not isinstance(unclear, str) and not texts:
        problems.append(field_problem(where, "unclear", _("must be a text or a list of texts")))
    return problems


def _clean(value: str) -> str:
    """`_s` of a str value. Plain ASCII is already clean (and NFC): only stripped."""
    if value.isascii() and "\x00" not in value and "\r" not in value:
        return value.strip()
    return clean_user_text(value).strip()


class _Fields(dict[str, str]):
    """A record's text fields, cleaned (as `_s` does); a field the record lacks reads ""."""

    def __missing__(self, key: str) -> str:
        return ""


@dataclass
class Checker:
    """Checks the records of one import against one database (see the module doc)."""

    conn: sqlite3.Connection
    stamp: str
    ambiguous: str = "error"
    res: Resolver = field(init=False)
    seed_ids: set[str] = field(init=False)
    seen: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.res = Resolver(self.conn, ambiguous=self.ambiguous)
        self.res.load()
        self.seed_ids = {
            r[0] for r in self.conn.execute("SELECT id FROM cases WHERE origin = 'seed'")
        }

    def seed_record(self, cid: str) -> dict[str, Any] | None:
        from paradiplo.db.io import iter_case_records

        return next(iter_case_records(self.conn, [cid]), None)

    def check(self, where: str, rec: dict[str, Any]) -> tuple[dict[str, Any] | None, list[str]]:
        """The row to write for one record (None if it has problems or is a bundled case
        unchanged... see `unchanged`), and its problems."""
        stamp = self.stamp
        if "\x00not an object" in rec:
            return None, [f"{where}: {_('not an object')}"]
        v = _Fields()
        problems: list[str] = []
        before = 0
        res, seen = self.res, self.seen
        # One pass over the record: length and type checks, and each text field cleaned once.
        for key, value in rec.items():
            if type(value) is str:
                if len(value) > MAX_FIELD:
                    problems.append(
                        field_problem(
                            where,
                            key,
                            _("longer than {n} characters").format(n=MAX_FIELD),
                        )
                    )
                if key in _TEXT_SET:
                    ascii_clean = value.isascii() and "\x00" not in value and "\r" not in value
                    v[key] = value.strip() if ascii_clean else _clean(value)
            elif key in _TEXT_SET:
                if not _is_text(value):
                    problems.append(field_problem(where, key, _("must be text")))
                v[key] = _s(rec, key)
        title, region = v["title"], v["region"]
        for f in REQUIRED:
            if not v[f]:
                problems.append(field_problem(where, f, _("required but empty")))
        if "evidence" in rec or "unclear" in rec:
            problems += _shape_problems(rec, where)
        cid = v["id"] or slugify(f"{region} {v['partner']} {title}")[:80]
        if cid in seen:
            problems.append(
                field_problem(where, "id", _("duplicate id '{id}' in this file").format(id=cid))
            )
        seen.add(cid)
        date = v["date"]
        why = date_problem(date) if date and date != _BAD else None
        if why:
            problems.append(
                field_problem(
                    where,
                    "date",
                    _("{why} (put other wording in date_as_stated)").format(why=why),
                )
            )
        type_raw = v["type"]
        type_id = res.types.get(type_raw.casefold()) if type_raw else None
        if type_raw and type_id is None:
            problems.append(
                field_problem(
                    where,
                    "type",
                    _("unknown type '{type}'; known: {known}").format(
                        type=type_raw, known=", ".join(sorted({v for v in res.types.values()}))
                    ),
                )
            )
        sectors_raw = rec.get("sectors") or []
        if isinstance(sectors_raw, str):
            sectors_raw = [s.strip() for s in re.split(r"[;|]", sectors_raw) if s.strip()]
        sector_ids = []
        if not isinstance(sectors_raw, list):
            problems.append(field_problem(where, "sectors", _("must be a list of sector labels")))
            sectors_raw = []
        for s in sectors_raw:
            sid = res.sectors.get(str(s).strip().casefold())
            if sid is None:
                problems.append(
                    field_problem(
                        where,
                        "sectors",
                        _(
                            "unknown sector '{sector}'; see 'paradiplo-tui sectors' for the "
                            "vocabulary"
                        ).format(sector=s),
                    )
                )
            elif sid not in sector_ids:
                sector_ids.append(sid)
        kind = v["partner_kind"]
        if kind not in PARTNER_KINDS_OR_EMPTY and kind != _BAD:
            problems.append(
                field_problem(
                    where,
                    "partner_kind",
                    _("'{kind}' must be state, sub_state, non_state or unknown").format(kind=kind),
                )
            )
        evidence = rec.get("evidence") or []
        if not isinstance(evidence, list) or not all(isinstance(e, dict) for e in evidence):
            problems.append(
                field_problem(
                    where,
                    "evidence",
                    _("must be a list of {example}").format(
                        example='{"source": ..., "quote": ...}'
                    ),
                )
            )
            evidence = []
        source = v["source"]
        if not source and not evidence:
            problems.append(
                field_problem(
                    where,
                    "source",
                    _("every case names its source (a source id or a citation)"),
                )
            )
        if len(problems) > before:
            return None, problems
        rc_raw = v["region_country"] or "ID"
        region_country = res.country(rc_raw)
        resolved = res.region(region, region_country, v["province"], problems, where)
        if resolved is None:
            return None, problems
        region_id, province_code, area_code = resolved
        partner_name = v["partner"]
        pc_raw = v["partner_country"]
        partner_country = res.country(pc_raw) if pc_raw else None
        if partner_country is not None and partner_country.startswith("X-"):
            # Not a country by any name or code: a typo, or a place put in the country field.
            unknown = resolve.resolve_country(pc_raw)
            problems.append(
                field_problem(
                    where,
                    "partner_country",
                    _(
                        "{found}; write the country in English or Indonesian, or as its ISO "
                        "code (e.g. DE, Jerman, Germany)"
                    ).format(found=unknown.describe()),
                )
            )
            return None, problems
        partner_id = None
        actor_partner: str | None = None
        stated_partner: str | None = None
        if partner_name:
            partner_id, actor_kind = res.partner(partner_name, partner_country, kind)
            # The partner's stored name (one per actor, as the summaries group them); the
            # record's own wording is kept when it differs ("Kota Braunschweig").
            actor_partner = res.region_name(partner_id)
            if actor_partner != partner_name:
                stated_partner = partner_name
            kind = kind or actor_kind
        ev_rows = []
        for e in evidence:
            esrc = str(e.get("source") or source or "").strip()
            quote = clean_user_text(str(e.get("quote") or "")).strip() or None
            if not esrc:
                problems.append(field_problem(where, "evidence", _("a quote without a source")))
                continue
            sid = res.source(esrc)
            text = res.sources.get(sid, "")
            start = end = None
            if quote and text:
                found = find_quote(text, quote)
                if found is None:
                    problems.append(
                        field_problem(
                            where,
                            "evidence",
                            _('quote not found in source {id}: "{quote}"').format(
                                id=sid, quote=quote[:60]
                            ),
                        )
                    )
                    continue
                start, end = found
            ev_rows.append((sid, quote, start, end))
        if not ev_rows and source:
            ev_rows.append((res.source(source), None, None, None))
        if cid in self.seed_ids:
            existing = self.seed_record(cid)
            keys = ("title", "date", "type", "region", "partner")
            mine = {k: v[k] or None for k in keys}
            theirs = {k: existing.get(k) for k in keys} if existing else {}
            if mine != theirs:
                problems.append(
                    field_problem(
                        where,
                        "id",
                        _("'{id}' is a bundled case; give your record another id").format(id=cid),
                    )
                )
            else:
                return {"id": cid, "unchanged": True}, problems
            return None, problems
        category, basis = derive_category(
            region_country, kind or None, year_of(date), partner_name or None
        )
        stage, stage_basis = derive_stage(type_id, v["status"] or None)
        unclear = rec.get("unclear") or []
        row = {
            "id": cid,
            "title": title,
            "region_id": region_id,
            "partner_id": partner_id,
            "partner_as_stated": stated_partner,
            "partner_kind": kind or None,
            "type": type_id,
            "date": date or None,
            "date_as_stated": v["date_as_stated"] or None,
            "year": year_of(date),
            "status": v["status"] or None,
            "summary": v["summary"] or None,
            "category": category,
            "category_basis": basis,
            "stage": stage,
            "stage_basis": stage_basis,
            "unclear": "[]"
            if not unclear
            else json.dumps(
                unclear if isinstance(unclear, list) else [str(unclear)], ensure_ascii=False
            ),
            "origin": "user",
            "added_at": stamp,
            "region_name": res.region_name(region_id),
            "region_country": region_country,
            "province_code": province_code,
            "area_code": area_code,
            "partner_name": actor_partner or "(not named)",
            "partner_country": partner_country,
            "_sectors": sector_ids,
            "_evidence": ev_rows,
        }
        return row, problems
