"""One resolver for the names people type: Indonesian places and countries.

Public API (everything else here is private):

    resolve_place(text, *, province=None, level=None, suggest=True)
        -> Resolved[Place] | Ambiguous[Place] | Unknown
        An Indonesian province, regency or city from any common written form: the official
        name ("Kota Malang", "Jawa Timur"), its prefixed forms ("Kab. Malang", "Kabupaten
        Malang", "Provinsi Jawa Timur", "Pemkot Kediri", "Pemkab Trenggalek", "Pemprov Jabar",
        "Pemda Banyuwangi"), English forms ("Malang City", "Malang Regency", "East Java",
        "East Java Province"), abbreviations ("Jatim", "DIY", "NTB", "Kaltim", ...), former
        and popular names where unambiguous ("Jakarta", "NAD", "Irian Jaya Barat", "Solo"),
        or the official code ("35.73", "35"). "Kota Malang, Jawa Timur" narrows by province;
        so does `province` (any form of a province); `level` ("province", "regency", "city")
        keeps only places of that level (a province field: "Bengkulu" is the province);
        `suggest=False` skips looking for the nearest names of an unknown one (~10 ms).
    resolve_country(text, *, suggest=True) -> Resolved[Country] | Ambiguous[Country] | Unknown
        A country from its English or Indonesian name (pycountry and its Indonesian
        translation), ISO alpha-2/alpha-3 code, or a common short form ("Korsel", "RRT",
        "Tiongkok", "AS", "UEA", "UK", ...).
    place(code) -> Place | None,  country(code) -> Country | None,  country_codes()
    place_forms(code) -> tuple[str, ...],  country_forms(code) -> tuple[str, ...]
        The written forms of a place or country worth indexing for search and the palette
        ("Jawa Timur", "Provinsi Jawa Timur", "East Java", "Jatim"), original casing.
    places() -> tuple[Place, ...]   every province, regency and city in the official list
    province_groups()               each province's names that mean only it (search synonyms)
    written_names() -> list[str]    every name known here, cheaply (the analyser never stems them)
    normalise(text) -> str          the matching key: case, accents, punctuation, extra and
                                    invisible spaces folded away
    visible(text) -> str            `text` with invisible or unusual spaces spelled out
                                    ("Kota<U+00A0>Malang"), for error messages

Every result says what the typed text became: `describe()` gives "Jatim → Provinsi Jawa
Timur", "'Malang' is ambiguous: Kota Malang (35.73) or Kabupaten Malang (35.07)" or
"'Surabya' is not ...; did you mean Kota Surabaya?". Tables are built once, on first use.

For the command line (they read the database): `region_filter`, `region_key`, `country_key`,
`sector_id` turn a typed filter into filter keys of db/queries.py.

Places are resolved here; the results and the matching key are in db/resolved.py, countries in
db/countries.py and the tables of written forms in db/name_tables.py (all importable from here).
"""

from __future__ import annotations

import csv
import difflib
import re
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from paradiplo.db.countries import (
    country,
    country_codes,
    country_forms,
    pycountry_names,
    resolve_country,
)
from paradiplo.db.errors import NotFound
from paradiplo.db.i18n import _
from paradiplo.db.name_tables import (
    AREA_SHORT,
    CITY_PREFIXES,
    CITY_SUFFIXES,
    COUNTRY_ID,
    COUNTRY_SHORT,
    GOVERNMENT_OF,
    PROVINCE_EN,
    PROVINCE_PREFIXES,
    PROVINCE_SHARED,
    PROVINCE_SHORT,
    PROVINCE_SUFFIXES,
    REGENCY_PREFIXES,
    REGENCY_SUFFIXES,
)
from paradiplo.db.record import record
from paradiplo.db.resolved import (
    Ambiguous,
    Country,
    CountryResult,
    Entry,
    Level,
    Place,
    PlaceResult,
    Resolved,
    Unknown,
    did_you_mean,
    lookup_keys,
    normalise,
    visible,
)
from paradiplo.db.text import json_list

# The public names, wherever they are defined (callers import them from here).
__all__ = [
    "Ambiguous",
    "Country",
    "CountryResult",
    "Level",
    "Place",
    "PlaceResult",
    "RegionFilter",
    "Resolved",
    "Unknown",
    "country",
    "country_codes",
    "country_forms",
    "country_key",
    "normalise",
    "place",
    "place_forms",
    "places",
    "province_groups",
    "region_filter",
    "region_key",
    "resolve_country",
    "resolve_place",
    "sector_id",
    "visible",
    "written_names",
]


@dataclass
class _PlaceTables:
    by_code: dict[str, Place]
    by_key: dict[str, list[Entry]]
    squashed: dict[str, list[Entry]]  # the same keys without spaces: "pangkalpinang"
    forms: dict[str, tuple[str, ...]]  # code -> indexable written forms
    suggest_keys: dict[str, str]  # normalised name -> label, for suggestions


_lock = threading.Lock()


def _read_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("paradiplo.seeds").joinpath("idn-area", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _spellings(name: str) -> set[str]:
    """A name and its usual variant spellings (Sumatera/Sumatra, Yogyakarta/Jogjakarta)."""
    out = {name}
    for a, b in (("sumatera", "sumatra"), ("yogyakarta", "jogjakarta"), ("kepulauan", "kep")):
        for n in list(out):
            if a in n:
                out.add(n.replace(a, b))
    return out


@lru_cache(maxsize=1)
def _places() -> _PlaceTables:
    with _lock:
        provinces = _read_csv("provinces.csv")
        regencies = _read_csv("regencies.csv")
        by_code: dict[str, Place] = {}
        prov_names = {r["code"]: r["name"] for r in provinces}
        for r in provinces:
            by_code[r["code"]] = Place(r["code"], r["name"], "province", r["code"], r["name"])
        for r in regencies:
            level: Level = "city" if int(r["code"].split(".")[1]) >= 71 else "regency"
            pc = r["province_code"]
            by_code[r["code"]] = Place(r["code"], r["name"], level, pc, prov_names[pc])

        by_key: dict[str, list[Entry]] = {}
        squashed: dict[str, list[Entry]] = {}
        forms: dict[str, list[str]] = {}
        suggest: dict[str, str] = {}

        def put(keys: Iterable[str], code: str, form: str, rank: int) -> None:
            for k in keys:
                for table, key in ((by_key, k), (squashed, k.replace(" ", ""))):
                    entries = table.setdefault(key, [])
                    if not any(e.code == code for e in entries):
                        entries.append(Entry(code, form, rank))

        def add(name: str, code: str, form: str, rank: int) -> set[str]:
            """Key `name` (in its variant spellings); returns those keys."""
            keys = _spellings(normalise(name))
            put(keys, code, form, rank)
            return keys

        def affixed(
            keys: set[str], code: str, prefixes: tuple[str, ...], suffixes: tuple[str, ...]
        ) -> None:
            """Key the prefixed and suffixed forms of a name's keys (prefixes: lower case)."""
            for pre in prefixes:
                rank = 1 if pre != "pemda" else 2
                put((f"{pre} {k}" for k in keys), code, "official name", rank)
            for suf in suffixes:
                put((f"{k} {suf}" for k in keys), code, "English name", 1)
                put((f"{suf} of {k}" for k in keys), code, "English name", 1)
            for gov in GOVERNMENT_OF:
                put((f"{gov} {k}" for k in keys), code, "regional government", 2)

        for p in by_code.values():
            shown = forms.setdefault(p.code, [])
            put((normalise(p.code),), p.code, "code", 0)
            if p.level == "province":
                bare = p.name
                # A bare province name can also be a city's or regency's bare name
                # ("Bengkulu", "Gorontalo"): same rank as those, so it is ambiguous.
                keys = add(bare, p.code, "official name", 3)
                shown += [bare, p.label]
                suggest[normalise(p.label)] = p.label
                for en in PROVINCE_EN[p.code]:
                    same = normalise(en) == normalise(bare)
                    keys |= add(en, p.code, "English name", 3 if same else 1)
                    shown.append(en)
                for short in PROVINCE_SHORT.get(p.code, ()):
                    keys |= add(short, p.code, "abbreviation or popular name", 1)
                    shown.append(short)
                    suggest[normalise(short)] = p.label
                for popular in PROVINCE_SHARED.get(p.code, ()):
                    add(popular, p.code, "popular name", 3)
                affixed(keys, p.code, PROVINCE_PREFIXES, PROVINCE_SUFFIXES)
                continue
            kind, _, bare = p.name.partition(" ")
            bare = re.sub(r"^Administrasi\s+", "", bare)
            add(p.name, p.code, "official name", 0)
            add(f"{kind} {bare}", p.code, "official name", 0)
            shown += [p.name, bare] if bare not in shown else [p.name]
            suggest[normalise(p.name)] = p.name
            prefixes, suffixes = (
                (CITY_PREFIXES, CITY_SUFFIXES)
                if p.level == "city"
                else (REGENCY_PREFIXES, REGENCY_SUFFIXES)
            )
            keys = set()
            for n in (bare, *AREA_SHORT.get(p.code, ())):
                keys |= add(n, p.code, "name without Kota/Kabupaten", 3)
            shown += list(AREA_SHORT.get(p.code, ()))
            affixed(keys, p.code, prefixes, suffixes)
        return _PlaceTables(
            by_code,
            by_key,
            squashed,
            {c: tuple(dict.fromkeys(v)) for c, v in forms.items()},
            suggest,
        )


def written_names() -> list[str]:
    """Every name this module knows, cheaply (no tables built, pycountry's own data files
    read directly): official names of places with and without Kota/Kabupaten, the English,
    short and popular names, and every country's names in English and Indonesian. For the
    search analyser, which never stems them (db/analyze.py:proper_names)."""
    out: list[str] = []
    for r in _read_csv("provinces.csv"):
        out.append(r["name"])
    for r in _read_csv("regencies.csv"):
        out.append(r["name"])
    for table in (PROVINCE_EN, PROVINCE_SHORT, PROVINCE_SHARED, AREA_SHORT):
        out += [n for names in table.values() for n in names]
    out += list(COUNTRY_SHORT) + list(COUNTRY_ID.values())
    out += pycountry_names()
    return out


@lru_cache(maxsize=1)
def province_groups() -> tuple[tuple[str, ...], ...]:
    """Each province's names that mean only it: official name, English names, abbreviations
    and former names ("Jawa Timur", "East Java", "Jatim"), for search synonyms. Cheap: reads
    the province list only."""
    return tuple(
        tuple(
            dict.fromkeys((r["name"], *PROVINCE_EN[r["code"]], *PROVINCE_SHORT.get(r["code"], ())))
        )
        for r in _read_csv("provinces.csv")
    )


def places() -> tuple[Place, ...]:
    """Every province, regency and city in the official list, in code order."""
    return tuple(sorted(_places().by_code.values(), key=lambda p: p.code))


def place(code: str) -> Place | None:
    """The place with this Kemendagri code, or None."""
    return _places().by_code.get(code.strip())


def place_forms(code: str) -> tuple[str, ...]:
    """Written forms of a place worth indexing: official name, label, English name,
    abbreviations and popular names ("Jawa Timur", "Provinsi Jawa Timur", "East Java",
    "Jatim"); for a regency or city its official name and bare name ("Kota Malang",
    "Malang")."""
    return _places().forms.get(code, ())


def _split_province(text: str) -> tuple[str, str | None]:
    """'Kota Malang, Jawa Timur' -> ('Kota Malang', 'Jawa Timur')."""
    head, sep, tail = text.rpartition(",")
    if sep and head.strip() and tail.strip():
        return head, tail
    return text, None


def _province_code(text: str) -> str | None:
    found = resolve_place(text, level="province")
    if isinstance(found, Resolved) and found.value.level == "province":
        return found.value.code
    return None


def resolve_place(
    text: str,
    *,
    province: str | None = None,
    level: Level | None = None,
    suggest: bool = True,
) -> PlaceResult:
    """The Indonesian place `text` names (see the module docstring for the forms read),
    within `province` if given, of `level` if given (a province field: "Bengkulu" is then
    the province, not Kota Bengkulu)."""
    tables = _places()
    name, tail = _split_province(text)
    prov_code = None
    for hint in (province, tail):
        if hint and hint.strip():
            prov_code = _province_code(hint)
            if prov_code is None:
                if hint is tail:
                    name, tail = text, None  # the comma is part of the name after all
                    continue
                return Unknown(hint, "place", _suggest_places(hint))
    entries = next((e for k in lookup_keys(name) if (e := tables.by_key.get(k))), [])
    key = normalise(name)
    if not entries:  # written joined or apart: "Pangkalpinang", "Pematang Siantar", "Bau-Bau"
        entries = tables.squashed.get(key.replace(" ", ""), [])
    if not entries and (" adm " in f" {key} " or " administrasi " in f" {key} "):
        # "Kab. Adm. Kepulauan Seribu": Jakarta's administrative regency and cities
        bare = " ".join(w for w in key.split() if w not in ("adm", "administrasi"))
        entries = tables.by_key.get(bare, [])
    if prov_code is not None:
        entries = [e for e in entries if tables.by_code[e.code].province_code == prov_code]
    if level is not None:
        entries = [e for e in entries if tables.by_code[e.code].level == level]
    if not entries:
        return Unknown(text, "place", _suggest_places(name) if suggest else ())
    best = min(e.rank for e in entries)
    top = [e for e in entries if e.rank == best]
    if len(top) == 1:
        return Resolved(text, tables.by_code[top[0].code], top[0].form)
    candidates = sorted(
        (tables.by_code[e.code] for e in entries),
        key=lambda p: (p.level != "province", p.level != "city", p.code),
    )
    return Ambiguous(text, tuple(candidates))


def _suggest_places(text: str) -> tuple[str, ...]:
    tables = _places()
    key = normalise(text)
    if not key:
        return ()
    # "Kota Sidoarjo" -> Kabupaten Sidoarjo: the same name at another level.
    words = key.split(" ")
    for n in range(min(3, len(words) - 1), 0, -1):
        if " ".join(words[:n]) in _PREFIX_PHRASES:
            same = tables.by_key.get(" ".join(words[n:]), [])
            if same:
                return tuple(tables.by_code[e.code].label for e in same)
    found = difflib.get_close_matches(key, tables.suggest_keys, n=6, cutoff=0.75)
    if not found:
        # A name close to the bare name of a regency or city: "Surabya" -> Kota Surabaya.
        bare = {
            normalise(re.sub(r"^(Kota|Kabupaten)\s+(Administrasi\s+)?", "", p.name)): p.name
            for p in tables.by_code.values()
            if p.level != "province"
        }
        word = key.split(" ", 1)[-1] if key.split(" ", 1)[0] in _PREFIX_WORDS else key
        found_bare = difflib.get_close_matches(word, bare, n=4, cutoff=0.75)
        return tuple(dict.fromkeys(bare[b] for b in found_bare))
    return tuple(dict.fromkeys(tables.suggest_keys[f] for f in found))[:4]


_PREFIX_PHRASES = frozenset((*PROVINCE_PREFIXES, *REGENCY_PREFIXES, *CITY_PREFIXES, *GOVERNMENT_OF))
_PREFIX_WORDS = frozenset(
    w for p in (*PROVINCE_PREFIXES, *REGENCY_PREFIXES, *CITY_PREFIXES) for w in p.split()
)


# ----------------------------------------------------------------------------- CLI filters
@record
class RegionFilter:
    """What `--region TEXT` filters on: `key` (a db/queries.py region key), the keys of
    regions that MAY be it (an actor whose source leaves open which of several areas it is,
    e.g. "Malang, city or regency not stated" for Kota Malang), and what the text became."""

    key: str
    possible: tuple[str, ...]
    resolution: str


def region_filter(conn: sqlite3.Connection, text: str) -> RegionFilter:
    """Resolve a typed region filter: a place in any form, a country (home side), a region
    actor by name, or a region-tree key ('p:35', 'a:35.73', 'c:ID', 'r:ID')."""
    value = text.strip(" \t\r\n")
    if re.match(r"^(c|p|a|r):", value):
        return RegionFilter(value, (), value)
    found = resolve_place(value)
    if isinstance(found, Resolved):
        p = found.value
        key = f"p:{p.code}" if p.level == "province" else f"a:{p.code}"
        possible: tuple[str, ...] = ()
        if p.level != "province":
            possible = tuple(
                f"r:{aid}"
                for aid, candidates in conn.execute(
                    "SELECT id, candidates FROM actors WHERE candidates LIKE ?",
                    (f'%"{p.code}"%',),
                )
                if p.code in json_list(candidates)
            )
        return RegionFilter(key, possible, f"{found.describe()} ({p.code})")
    if isinstance(found, Ambiguous):
        hint = ""
        row = conn.execute(
            "SELECT name FROM actors WHERE lower(as_stated) = lower(?) AND candidates != '[]'"
            " AND id IN (SELECT region_id FROM cases) LIMIT 1",
            (value,),
        ).fetchone()
        if row:  # "Malang (city or regency not stated)"
            hint = _(" (cases whose source does not say which: --region '{name}')").format(
                name=row[0]
            )
        raise NotFound(
            _("{problem}. Give the full name or the code{hint}.").format(
                problem=found.describe(), hint=hint
            )
        )
    # A region actor of that name (an imported region abroad, or one the official list
    # cannot place, such as "Malang (city or regency not stated)").
    row = conn.execute(
        "SELECT id, name FROM actors WHERE (lower(name) = lower(?) OR lower(as_stated) ="
        " lower(?) OR id = ?) AND id IN (SELECT region_id FROM cases) LIMIT 1",
        (value, value, value),
    ).fetchone()
    if row:
        return RegionFilter(f"r:{row[0]}", (), f"{visible(value)} → {row[1]}")
    home = _country_code(conn, value)
    if (
        home is not None
        and conn.execute("SELECT 1 FROM cases WHERE region_country = ? LIMIT 1", (home,)).fetchone()
    ):
        return RegionFilter(f"c:{home}", (), f"{visible(value)} → {home}")
    raise NotFound(
        _(
            "No region named '{name}' (not in the official list of Indonesia's provinces,"
            " regencies and cities{hint}). 'paradiplo-tui regions' lists those with cases."
        ).format(name=visible(value), hint=did_you_mean(found.suggestions))
    )


def region_key(conn: sqlite3.Connection, text: str) -> str:
    """'Jatim', 'Surabaya', 'Kota Surabaya', '35.78', 'p:35' -> a region-tree key."""
    return region_filter(conn, text).key


def _country_code(conn: sqlite3.Connection, text: str) -> str | None:
    found = resolve_country(text)
    if isinstance(found, Resolved):
        return found.value.code
    # Countries an import added by name (codes "X-...").
    key = normalise(text)
    for code, en, idl, syn in conn.execute(
        "SELECT code, name_en, name_id, synonyms FROM countries"
    ):
        if key in {normalise(n) for n in (code, en or "", idl or "", *json_list(syn))}:
            return str(code)
    return None


def country_key(conn: sqlite3.Connection, text: str) -> str:
    """'Korsel', 'South Korea', 'KR' -> the partner-country filter key 'pc:KR'."""
    code = _country_code(conn, text)
    if code is None:
        found = resolve_country(text)
        problem = found.describe()
        raise NotFound(problem if problem.endswith("?") else f"{problem}.")
    return f"pc:{code}"


def sector_id(conn: sqlite3.Connection, text: str) -> str:
    folded = text.strip().casefold()
    row = conn.execute(
        "SELECT id FROM sectors WHERE id = ? OR lower(label_en) = ? OR lower(label_id) = ?",
        (folded, folded, folded),
    ).fetchone()
    if row is None:
        raise NotFound(
            _("No sector '{name}'. 'paradiplo-tui sectors' lists the vocabulary.").format(name=text)
        )
    return str(row[0])
