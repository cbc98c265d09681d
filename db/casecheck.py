"""Checking imported case records: every field validated, names resolved, quotes found.

`Checker.check(where, record)` returns the row to write (or None) and the problems of that
record, each naming the record and field ("line 4, field 'date': ..."). Names go through
db/resolve.py (the one resolver); a bare name shared by a Kota and a Kabupaten is settled by
the import's `ambiguous` choice. The `Resolver` keeps what the import will create (actors,
countries, citation sources) until the rows are written (db/casewrite.py).
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from paradiplo.db import places, resolve
from paradiplo.db.casefields import CASE_FIELDS, PARTNER_KINDS, REQUIRED
from paradiplo.db.dates import date_problem, year_of
from paradiplo.db.derive import derive_category, derive_stage
from paradiplo.db.i18n import _
from paradiplo.db.text import clean_user_text, display_safe, find_quote, slugify
from paradiplo.db.text import json_list as _list

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


@dataclass
class Resolver:
    conn: sqlite3.Connection
    ambiguous: str = "error"  # one of AMBIGUOUS_CHOICES
    countries: dict[str, str] = field(default_factory=dict)  # lower name/code -> code
    new_countries: dict[str, str] = field(default_factory=dict)  # code -> name
    actors: dict[tuple[str, str], tuple[str, str, str | None]] = field(default_factory=dict)
    actor_ids: set[str] = field(default_factory=set)
    new_actors: dict[str, dict[str, Any]] = field(default_factory=dict)
    sectors: dict[str, str] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # id -> text
    new_sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Caches so that resolving a row never queries the database (large imports).
    actor_geo: dict[str, tuple[str, str | None, str | None]] = field(default_factory=dict)
    new_by_citation: dict[str, str] = field(default_factory=dict)  # citation -> new source id
    region_memo: dict[tuple[str, str, str], tuple[str, str | None, str | None]] = field(
        default_factory=dict
    )
    # official area code -> the actor of that region (seed actors first)
    by_area: dict[str, str] = field(default_factory=dict)
    # (partner key, country) -> an actor: partners compared with government prefixes aside.
    partner_keys: dict[tuple[str, str], tuple[str, str, str | None]] = field(default_factory=dict)

    def load(self) -> None:
        c = self.conn
        for code, en, idl, syn in c.execute(
            "SELECT code, name_en, name_id, synonyms FROM countries"
        ):
            for name in [code, en, idl, *_list(syn)]:
                if name:
                    self.countries.setdefault(str(name).casefold(), code)
        for aid, name, country, kind, prov, area, level in c.execute(
            "SELECT id, name, country_code, kind, province_code, area_code, level FROM actors"
            " ORDER BY origin DESC, id"
        ):
            self.actors[(name.casefold(), country or "")] = (aid, kind, prov)
            if country != "ID" and level not in ("province", "regency", "city"):
                pkey = (places.partner_key(name), country or "")
                self.partner_keys.setdefault(pkey, (aid, kind, prov))
            self.actor_ids.add(aid)
            self.actor_geo[aid] = (name, prov, area)
            if country == "ID" and area:
                self.by_area.setdefault(area, aid)
        for sid, en, idl, _syn in c.execute("SELECT id, label_en, label_id, synonyms FROM sectors"):
            for name in (sid, en, idl):
                self.sectors[name.casefold()] = sid
        for tid, en, idl, syn in c.execute(
            "SELECT id, label_en, label_id, synonyms FROM case_types"
        ):
            for name in (tid, en, idl, *_list(syn)):
                self.types.setdefault(str(name).casefold(), tid)
        self.sources = dict(c.execute("SELECT id, text FROM sources").fetchall())

    def country(self, value: str) -> str:
        key = value.strip().casefold()
        if key in self.countries:
            return self.countries[key]
        found = resolve.resolve_country(value)
        if isinstance(found, resolve.Resolved):
            code = found.value.code
            if code not in self.countries.values():
                self.new_countries[code] = found.value.name
            self.countries[key] = code
            return code
        code = "X-" + slugify(value).upper()
        self.countries[key] = code
        self.new_countries[code] = value.strip()
        return code

    def new_actor_id(self, name: str, country: str) -> str:
        base = slugify(name) + ("" if country == "ID" else f"-{country.lower()}")
        aid, n = base, 2
        while aid in self.actor_ids:
            aid, n = f"{base}-{n}", n + 1
        self.actor_ids.add(aid)
        return aid

    def region(
        self, name: str, country: str, province: str, problems: list[str], where: str
    ) -> tuple[str, str | None, str | None] | None:
        """(actor id, province code, area code) for a home-side region, creating an actor.

        Memoised per (name, country, province): a large import names the same few hundred
        regions over and over. Only successes are kept, so every bad row reports its problem.
        """
        key = (name, country, province)
        known = self.region_memo.get(key)
        if known is None:
            known = self._region(name, country, province, problems, where)
            if known is not None:
                self.region_memo[key] = known
        return known

    def region_name(self, actor_id: str) -> str:
        """The stored name of an actor (existing or about to be created)."""
        if actor_id in self.new_actors:
            return str(self.new_actors[actor_id]["name"])
        geo = self.actor_geo.get(actor_id)
        return geo[0] if geo else actor_id

    def _region(
        self, name: str, country: str, province: str, problems: list[str], where: str
    ) -> tuple[str, str | None, str | None] | None:
        existing = self.actors.get((name.casefold(), country))
        if existing:
            aid = existing[0]
            geo = self.actor_geo.get(aid)
            if geo is None:
                new = self.new_actors[aid]
                return aid, new["province_code"], new["area_code"]
            return aid, geo[1], geo[2]
        if country != "ID":
            aid = self.new_actor_id(name, country)
            self.new_actors[aid] = {
                "id": aid,
                "name": name,
                "country_code": country,
                "level": None,
                "kind": "sub_state",
                "area_code": None,
                "province_code": None,
            }
            self.actors[(name.casefold(), country)] = (aid, "sub_state", None)
            return aid, None, None
        province_code = None
        if province:
            hint = resolve.resolve_place(province, level="province")
            if not isinstance(hint, resolve.Resolved):
                problems.append(
                    field_problem(
                        where,
                        "province",
                        _(
                            "'{province}' is not one of Indonesia's 38 provinces in the official "
                            "list"
                        ).format(province=display_safe(province)),
                    )
                )
                return None
            province_code = hint.value.code
        found = resolve.resolve_place(name, province=province_code)
        if isinstance(found, resolve.Unknown):
            problems.append(
                field_problem(
                    where,
                    "region",
                    _("{found}; use its official name (e.g. 'Kota Surabaya')").format(
                        found=found.describe()
                    ),
                )
            )
            return None
        if isinstance(found, resolve.Ambiguous):
            pick = [p for p in found.candidates if p.level == self.ambiguous]
            if self.ambiguous in ("city", "regency") and len(pick) == 1:
                found = resolve.Resolved(name, pick[0], "chosen by --ambiguous")
            elif self.ambiguous == "keep":
                return self._as_stated(name, found.candidates)
            else:
                problems.append(
                    field_problem(
                        where,
                        "region",
                        _(
                            "{found}; write the full name (or import with --ambiguous city, "
                            "regency or keep)"
                        ).format(found=found.describe()),
                    )
                )
                return None
        place = found.value
        code, official, level = place.code, place.name, place.level
        prov = None if level == "province" else place.province_code
        # The region's actor, whatever its name ("Provinsi Jawa Barat" in the seeds for
        # "West Java"): one actor per official region.
        known = self.by_area.get(code)
        existing = self.actors.get((official.casefold(), "ID"))
        if known or existing:
            aid = known or existing[0]  # type: ignore[index]
            return aid, prov or code, None if level == "province" else code
        aid = self.new_actor_id(official, "ID")
        self.new_actors[aid] = {
            "id": aid,
            "name": official,
            "country_code": "ID",
            "level": level,
            "kind": "sub_state",
            "area_code": code,
            "province_code": prov or code,
        }
        self.actors[(official.casefold(), "ID")] = (aid, "sub_state", prov or code)
        self.by_area[code] = aid
        return aid, prov or code, None if level == "province" else code

    def _as_stated(
        self, name: str, candidates: tuple[resolve.Place, ...]
    ) -> tuple[str, str | None, None]:
        """A bare name kept as stated and marked unresolved, as the seeds keep 'Malang':
        an actor "Malang (city or regency not stated)" listing the official candidates."""
        label = f"{name} (city or regency not stated)"
        existing = self.actors.get((label.casefold(), "ID"))
        provinces = {p.province_code for p in candidates}
        prov = provinces.pop() if len(provinces) == 1 else None
        if existing:
            return existing[0], prov, None
        aid = self.new_actor_id(label, "ID")
        self.new_actors[aid] = {
            "id": aid,
            "name": label,
            "as_stated": name,
            "country_code": "ID",
            "level": "regency_or_city",
            "kind": "sub_state",
            "area_code": None,
            "province_code": prov,
            "candidates": json.dumps([p.code for p in candidates]),
            "unclear": json.dumps(
                [f"'{name}' may be " + " or ".join(f"{p.name} ({p.code})" for p in candidates)],
                ensure_ascii=False,
            ),
        }
        self.actors[(label.casefold(), "ID")] = (aid, "sub_state", prov)
        return aid, prov, None

    def partner(self, name: str, country: str | None, kind: str) -> tuple[str, str]:
        key = (name.casefold(), country or "")
        existing = self.actors.get(key)
        if existing:
            return existing[0], existing[1]
        # The same partner written with or without a government prefix ("Kota Braunschweig",
        # "Braunschweig"): one actor.
        same = self.partner_keys.get((places.partner_key(name), country or ""))
        if same:
            self.actors[key] = same
            return same[0], same[1]
        aid = self.new_actor_id(name, country or "xx")
        self.new_actors[aid] = {
            "id": aid,
            "name": name,
            "country_code": country,
            "level": None,
            "kind": kind or "unknown",
            "area_code": None,
            "province_code": None,
        }
        self.actors[key] = (aid, kind or "unknown", None)
        self.partner_keys.setdefault(
            (places.partner_key(name), country or ""), (aid, kind or "unknown", None)
        )
        return aid, kind or "unknown"

    def source(self, value: str) -> str:
        value = value.strip()
        if value in self.sources:
            return value
        known = self.new_by_citation.get(value)
        if known is not None:
            return known
        sid = "cite-" + hashlib.sha1(value.encode()).hexdigest()[:10]
        self.new_sources[sid] = {"id": sid, "citation": value}
        self.new_by_citation[value] = sid
        self.sources[sid] = ""
        return sid


def field_problem(where: str, name: str, problem: str) -> str:
    """A problem of one field of one record: "line 4, field 'date': ..."."""
    return _("{where}, field '{field}': {problem}").format(where=where, field=name, problem=problem)


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
