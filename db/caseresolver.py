"""The names of an import resolved, and what the import will create: countries, actors
(home regions and partners), citation sources. Names go through db/resolve.py (the one
resolver); a bare name shared by a Kota and a Kabupaten is settled by the import's `ambiguous`
choice. What is new is kept here until the rows are written (db/casewrite.py);
db/casecheck.py asks it for each record.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from paradiplo.db import places, resolve
from paradiplo.db.caseformats import field_problem
from paradiplo.db.i18n import _
from paradiplo.db.text import display_safe, slugify
from paradiplo.db.text import json_list as _list


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
