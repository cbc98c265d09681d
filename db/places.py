"""Places and countries in what people write: the seam between db/resolve.py (THE resolver
of names) and the collection's writers (`import cases`, `cases add`, the case form, `suggest`).

`resolve_region` / `resolve_country` turn one typed name into what the collection stores
(a name shared by a Kota and a Kabupaten is settled by the caller's `ambiguous` choice);
`Gazetteer.mentions` finds names of regions and countries in running text, using every
written form the resolver knows (official names, English names, abbreviations); the
government prefixes before a bare name (Pemkot/Pemkab/Pemprov, Kota/Kab.) are read back
through the resolver. `partner_key` compares foreign partners with prefixes aside.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from paradiplo.db import resolve
from paradiplo.db.i18n import N_, _
from paradiplo.db.record import record
from paradiplo.db.resolved import either

Ambiguity = Literal["error", "city", "regency", "keep"]
AMBIGUITY_CHOICES: tuple[str, ...] = ("error", "city", "regency", "keep")

# A region's level in words, in the interface language where shown.
LEVEL_WORDS = {"province": N_("province"), "regency": N_("regency"), "city": N_("city")}


def level_word(level: str) -> str:
    """'city' / 'kota': a level of the official list in the interface language."""
    return _(LEVEL_WORDS[level]) if level in LEVEL_WORDS else level


_OFFICIAL_PREFIX = re.compile(
    r"^(kota administrasi|kabupaten administrasi|kota|kabupaten)\s+", re.I
)


def fold(text: str) -> str:
    """Case-, accent- and spacing-insensitive form of a name ("Kab.  Bandung" -> "kab. bandung")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.replace("\u2019", "'").casefold().split()).strip(" ,;:")


@record
class Area:
    code: str
    name: str
    level: str  # province | regency | city
    province_code: str | None  # None for a province


@record
class RegionMatch:
    """What a home-side name resolves to.

    `status` is "resolved" (`area` is the official region), "ambiguous" (`candidates` are
    the official regions it could be: kept as stated only with ambiguity "keep") or "unknown"
    (`detail` says so, with the nearest names if any).
    """

    as_stated: str
    status: Literal["resolved", "ambiguous", "unknown"]
    area: Area | None = None
    candidates: tuple[Area, ...] = ()
    detail: str = ""

    @property
    def name(self) -> str:
        return self.area.name if self.area else self.as_stated

    def describe(self) -> str:
        """One line saying what the name resolves to (for forms and error messages)."""
        if self.area:
            return f"{self.area.name} ({level_word(self.area.level)}, {self.area.code})"
        if self.candidates:
            return _("ambiguous: {names}").format(names=self.candidates_text())
        return self.detail or _("not in the official list of Indonesia's regions")

    @property
    def suggestions(self) -> tuple[str, ...]:
        """For an unknown name, the nearest official names ('Kota Surabaya' for 'Surabya')."""
        if self.status != "unknown":
            return ()
        found = resolve.resolve_place(self.as_stated)
        return found.suggestions if isinstance(found, resolve.Unknown) else ()

    def candidates_text(self) -> str:
        """The official regions an ambiguous name may be: 'Kota Malang (35.73) or Kabupaten
        Malang (35.07)'."""
        return either(f"{a.name} ({a.code})" for a in self.candidates)


@record
class Country:
    code: str
    name_en: str
    name_id: str | None = None


@record
class Mention:
    """A name found in a text: where, as written, and what it is."""

    start: int
    end: int
    text: str
    kind: Literal["region", "country"]
    region: RegionMatch | None = None
    country: Country | None = None


def _area(p: resolve.Place) -> Area:
    return Area(p.code, p.name, p.level, None if p.level == "province" else p.province_code)


@dataclass
class Gazetteer:
    """The written forms of every official region and country (from db/resolve.py), for
    completion and for finding names in running text. Built once (module-level cache)."""

    areas: dict[str, Area] = field(default_factory=dict)
    by_bare: dict[str, list[Area]] = field(default_factory=dict)  # folded form -> areas
    countries: dict[str, Country] = field(default_factory=dict)  # folded name -> country

    @classmethod
    def load(cls, conn: sqlite3.Connection | None = None) -> Gazetteer:
        g = cls()
        for p in resolve.places():
            area = _area(p)
            g.areas[p.code] = area
            for form in {_OFFICIAL_PREFIX.sub("", f) for f in resolve.place_forms(p.code)}:
                key = fold(form)
                if key and area not in g.by_bare.get(key, []):
                    g.by_bare.setdefault(key, []).append(area)
        import pycountry

        for c in pycountry.countries:
            country = _country(resolve.country(c.alpha_2))
            if country is None:
                continue
            for form in resolve.country_forms(c.alpha_2):
                g.countries.setdefault(fold(form), country)
        return g

    # ------------------------------------------------------------------ regions
    def resolve_region(self, text: str, ambiguous: Ambiguity = "error") -> RegionMatch:
        """Resolve a home-side name ("Pemkot Surabaya", "Kab. Malang", "East Java",
        "Bandung") with db/resolve.py. A bare name shared by a Kota and a Kabupaten is
        ambiguous unless `ambiguous` is "city" or "regency" (then that one)."""
        stated = " ".join(text.split())
        found = resolve.resolve_place(stated)
        if isinstance(found, resolve.Resolved):
            return RegionMatch(stated, "resolved", _area(found.value))
        if isinstance(found, resolve.Ambiguous):
            candidates = tuple(_area(p) for p in found.candidates)
            pick = [a for a in candidates if a.level == ambiguous]
            if ambiguous in ("city", "regency") and len(pick) == 1:
                return RegionMatch(stated, "resolved", pick[0], candidates)
            return RegionMatch(stated, "ambiguous", None, candidates, found.describe())
        return RegionMatch(stated, "unknown", detail=found.describe())

    # ------------------------------------------------------------------ countries
    def resolve_country(self, text: str) -> Country | None:
        """A country by code (DE, DEU), English or Indonesian name, or a short form."""
        return resolve_country_name(text)

    # ------------------------------------------------------------------ in running text
    def mentions(self, text: str) -> Iterator[Mention]:
        """Names of Indonesian regions and of countries in running text, left to right,
        longest first where they overlap (for `suggest`)."""
        yield from _scan(self, text)


def _country(c: resolve.Country | None) -> Country | None:
    return None if c is None else Country(c.code, c.name, c.name_id)


def resolve_country_name(text: str) -> Country | None:
    """db/resolve.py's country for `text`, or None (unknown, or ambiguous)."""
    if not text.strip():
        return None
    found = resolve.resolve_country(text)
    return _country(found.value) if isinstance(found, resolve.Resolved) else None


# --------------------------------------------------------------------------- scanning text
_WORD_CHARS = r"[^\W_]"


@lru_cache(maxsize=8)
def _pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    alts = sorted(names, key=len, reverse=True)
    body = "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in alts)
    return re.compile(rf"(?<!{_WORD_CHARS})(?:{body})(?!{_WORD_CHARS})", re.I)


_REGION_LEAD = re.compile(
    r"(?:pemerintah\s+(?:kota|kabupaten|provinsi)|pemkot|pemkab|pemprov|kota\s+administrasi|"
    r"kota|kabupaten|kab\.|provinsi|prov\.|city\s+of)\s+$",
    re.I,
)


def _scan(g: Gazetteer, text: str) -> Iterator[Mention]:
    """Regions with a government prefix ("Pemkot Surabaya", "Kab. Malang"), names of
    provinces (English too) and abbreviations, bare names of regencies and cities written
    capitalised; countries by name. Overlaps keep the longest."""
    found: list[Mention] = []
    for m in _pattern(_scan_keys(g)).finditer(text):
        start, end = m.start(), m.end()
        word = m.group(0)
        lead = _REGION_LEAD.search(text[max(0, start - 40) : start])
        if lead is not None:
            start -= lead.end() - lead.start()
        elif not word[:1].isupper():
            continue
        stated = text[start:end]
        match = g.resolve_region(stated)
        if match.status == "unknown" and lead is not None:  # "Kota Bogor" beside a bare name
            start, stated = m.start(), word
            match = g.resolve_region(stated)
        if match.status == "unknown":
            continue
        found.append(Mention(start, end, stated, "region", region=match))
    for m in _pattern(_country_keys(g)).finditer(text):
        word = m.group(0)
        if not word[:1].isupper():
            continue
        country = g.countries.get(fold(word))
        if country is None or country.code == "ID":
            continue
        found.append(Mention(m.start(), m.end(), word, "country", country=country))
    found.sort(key=lambda x: (x.start, -(x.end - x.start)))
    last_end = -1
    for mention in found:
        if mention.start >= last_end:
            yield mention
            last_end = mention.end


_KEYS: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _scan_keys(g: Gazetteer) -> tuple[str, ...]:
    return _keys_of(g)[0]


def _country_keys(g: Gazetteer) -> tuple[str, ...]:
    return _keys_of(g)[1]


def _keys_of(g: Gazetteer) -> tuple[tuple[str, ...], tuple[str, ...]]:
    got = _KEYS.get(id(g))
    if got is None:
        regions = tuple(k for k in g.by_bare if len(k) >= 3 and k not in ("indonesia",))
        countries = tuple(k for k in g.countries if len(k) >= 4)
        got = _KEYS[id(g)] = (regions, countries)
    return got


# --------------------------------------------------------------------------- conveniences
_GAZETTEER: Gazetteer | None = None


def for_connection(conn: sqlite3.Connection | None = None) -> Gazetteer:
    """The gazetteer (the official list and ISO countries: the same for every database)."""
    global _GAZETTEER
    if _GAZETTEER is None:
        _GAZETTEER = Gazetteer.load(conn)
    return _GAZETTEER


def resolve_region(
    conn: sqlite3.Connection | None, text: str, ambiguous: Ambiguity = "error"
) -> RegionMatch:
    """`Gazetteer.resolve_region`: db/resolve.py, with the caller's choice for a name
    shared by a Kota and a Kabupaten."""
    return for_connection(conn).resolve_region(text, ambiguous)


def resolve_country(conn: sqlite3.Connection | None, text: str) -> Country | None:
    """db/resolve.py's country for `text`, or None."""
    return resolve_country_name(text)


# Government prefixes of a partner's name ("Kota Braunschweig", "City of Kitakyushu",
# "Kitakyushu City", "Prefektur Osaka"): dropped to compare partners for duplicates.
_PARTNER_AFFIXES = re.compile(
    r"^(pemerintah\s+)?(kota|kabupaten|provinsi|prefektur|negara\s+bagian|city\s+of|"
    r"county\s+of|state\s+of|province\s+of|prefecture\s+of|the\s+city\s+of|the)\s+"
    r"|\s+(city|prefecture|province|state|county|municipality|metropolitan\s+city)$",
    re.I,
)


def partner_key(name: str) -> str:
    """A partner's name for comparing: folded, government prefixes and suffixes dropped
    ("Kota Braunschweig", "City of Braunschweig", "Braunschweig" -> "braunschweig")."""
    key = fold(name)
    while True:
        stripped = _PARTNER_AFFIXES.sub("", key).strip()
        if stripped == key or not stripped:
            return key
        key = stripped


# --------------------------------------------------------------------------- completion
def complete_regions(conn: sqlite3.Connection, text: str, limit: int = 20) -> list[tuple[str, str]]:
    """(name, what it is) of official regions whose name contains `text` (English province
    names and abbreviations too), for a form's completion."""
    key = fold(text)
    g = for_connection(conn)
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for alias, areas in sorted(
        g.by_bare.items(), key=lambda kv: (not kv[0].startswith(key), kv[0])
    ):
        if key and key not in alias:
            continue
        for a in areas:
            if a.code in seen:
                continue
            seen.add(a.code)
            prov = g.areas.get(a.province_code or "")
            where = f", {prov.name}" if prov else ""
            out.append((a.name, f"{level_word(a.level)}, {a.code}{where}"))
            if len(out) >= limit:
                return out
    return out


def complete_countries(
    conn: sqlite3.Connection, text: str, limit: int = 20
) -> list[tuple[str, str]]:
    """(English name, Indonesian name and code) of countries matching `text`."""
    key = fold(text)
    g = for_connection(conn)
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for name, c in sorted(g.countries.items(), key=lambda kv: (not kv[0].startswith(key), kv[0])):
        if (key and key not in name) or c.code in seen:
            continue
        seen.add(c.code)
        out.append((c.name_en, f"{c.name_id or c.name_en}, {c.code}"))
        if len(out) >= limit:
            break
    return out


def complete_sectors(conn: sqlite3.Connection, text: str) -> list[tuple[str, str]]:
    """(English label, Indonesian label) of sectors matching `text`."""
    key = fold(text)
    return [
        (en, idl)
        for sid, en, idl in conn.execute(
            "SELECT id, label_en, label_id FROM sectors ORDER BY position"
        )
        if not key or key in fold(f"{sid} {en} {idl}")
    ]
