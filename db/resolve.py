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
"""

from __future__ import annotations

import csv
import difflib
import json
import re
import sqlite3
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Generic, Literal, TypeVar

from paradiplo.db.errors import NotFound
from paradiplo.db.text import json_list

Level = Literal["province", "regency", "city"]


# ----------------------------------------------------------------------------- results
@dataclass(frozen=True)
class Place:
    """A province, regency or city of Indonesia's official list (seeds/idn-area)."""

    code: str  # Kemendagri code: "35" (province), "35.73" (regency/city)
    name: str  # official name as listed: "Jawa Timur", "Kota Malang"
    level: Level
    province_code: str  # the province itself for a province
    province_name: str

    @property
    def label(self) -> str:
        """The name as a reader expects it: provinces with "Provinsi" in front."""
        return f"Provinsi {self.name}" if self.level == "province" else self.name

    def __str__(self) -> str:
        return f"{self.label} ({self.code})"


@dataclass(frozen=True)
class Country:
    """A country of ISO 3166-1 (pycountry)."""

    code: str  # alpha-2: "KR"
    name: str  # English common name: "South Korea"
    name_id: str  # Indonesian: "Korea Selatan"

    @property
    def label(self) -> str:
        return self.name

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


T = TypeVar("T", Place, Country)


@dataclass(frozen=True)
class Resolved(Generic[T]):
    """`typed` names exactly one place or country, `value`; `form` says how it was read."""

    typed: str
    value: T
    form: str  # "official name", "abbreviation", "English name", "ISO code", ...

    def describe(self) -> str:
        return f"{_quoted(self.typed)} → {self.value.label}"


@dataclass(frozen=True)
class Ambiguous(Generic[T]):
    """`typed` fits more than one: the candidates, best known first."""

    typed: str
    candidates: tuple[T, ...]

    def describe(self) -> str:
        names = " or ".join(str(c) for c in self.candidates)
        return f"'{_quoted(self.typed)}' is ambiguous: {names}"


@dataclass(frozen=True)
class Unknown:
    """Nothing of that name; `suggestions` are the nearest names (official labels)."""

    typed: str
    kind: Literal["place", "country"]
    suggestions: tuple[str, ...] = field(default=())

    def describe(self) -> str:
        what = (
            "in the official list of Indonesia's provinces, regencies and cities"
            if self.kind == "place"
            else "a country name or code"
        )
        text = f"'{_quoted(self.typed)}' is not {what}"
        if self.suggestions:
            text += "; did you mean " + " or ".join(self.suggestions) + "?"
        return text


PlaceResult = Resolved[Place] | Ambiguous[Place] | Unknown
CountryResult = Resolved[Country] | Ambiguous[Country] | Unknown


# ----------------------------------------------------------------------------- text
# Characters that are not shown, or look like a plain space: dropped or made a space.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u180e"),
    None,
)
_ASCII_SEPARATORS = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})
_NON_WORD = re.compile(r"[^\w]+|_+")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def normalise(text: str) -> str:
    """The key names are matched by: 'Kab.\\u00a0MALANG ' -> 'kab malang', 'Türkiye' ->
    'turkiye'. Punctuation separates words; apostrophes join them ("People's" -> "peoples");
    invisible characters are dropped ("Sura\\u200bbaya" -> "surabaya")."""
    if text.isascii():
        return " ".join(text.lower().replace("'", "").translate(_ASCII_SEPARATORS).split())
    text = unicodedata.normalize("NFKD", text.translate(_INVISIBLE)).casefold()
    text = _COMBINING.sub("", text).replace("'", "").replace("\u2019", "")
    return " ".join(_NON_WORD.sub(" ", text).split())


def _quoted(text: str) -> str:
    """Typed text as an error quotes it: outer ASCII blanks dropped, the rest made visible."""
    return visible(text.strip(" \t\r\n"))


def _keys(text: str) -> tuple[str, ...]:
    """The lookup keys of typed text: invisible characters dropped, then (a zero-width space
    between words, "Kota\\u200bMalang") read as a space."""
    first = normalise(text)
    spaced = normalise(text.translate(_INVISIBLE_AS_SPACE))
    return (first,) if spaced == first else (first, spaced)


_INVISIBLE_AS_SPACE = {k: " " for k in _INVISIBLE}


def visible(text: str) -> str:
    """`text` with invisible characters and unusual spaces written as <U+XXXX> (the one rule
    every error message follows: db.text.show_invisible)."""
    from paradiplo.db.text import show_invisible

    return show_invisible(text)


# ----------------------------------------------------------------------------- places
# English names of the 38 provinces (code -> names; the first is the usual one).
_PROVINCE_EN: dict[str, tuple[str, ...]] = {
    "11": ("Aceh",),
    "12": ("North Sumatra",),
    "13": ("West Sumatra",),
    "14": ("Riau",),
    "15": ("Jambi",),
    "16": ("South Sumatra",),
    "17": ("Bengkulu",),
    "18": ("Lampung",),
    "19": ("Bangka Belitung Islands", "Bangka Belitung"),
    "21": ("Riau Islands",),
    "31": ("Jakarta", "Special Capital Region of Jakarta", "Special Region of Jakarta"),
    "32": ("West Java",),
    "33": ("Central Java",),
    "34": ("Special Region of Yogyakarta", "Yogyakarta Special Region"),
    "35": ("East Java",),
    "36": ("Banten",),
    "51": ("Bali",),
    "52": ("West Nusa Tenggara",),
    "53": ("East Nusa Tenggara",),
    "61": ("West Kalimantan",),
    "62": ("Central Kalimantan",),
    "63": ("South Kalimantan",),
    "64": ("East Kalimantan",),
    "65": ("North Kalimantan",),
    "71": ("North Sulawesi",),
    "72": ("Central Sulawesi",),
    "73": ("South Sulawesi",),
    "74": ("Southeast Sulawesi",),
    "75": ("Gorontalo",),
    "76": ("West Sulawesi",),
    "81": ("Maluku", "Moluccas"),
    "82": ("North Maluku", "North Moluccas"),
    "91": ("Papua",),
    "92": ("West Papua",),
    "93": ("South Papua",),
    "94": ("Central Papua",),
    "95": ("Highland Papua", "Papua Highlands"),
    "96": ("Southwest Papua",),
}

# Abbreviations, former and popular names of provinces (each names one province only).
_PROVINCE_SHORT: dict[str, tuple[str, ...]] = {
    "11": ("NAD", "Nanggroe Aceh Darussalam", "Daerah Istimewa Aceh"),
    "12": ("Sumut",),
    "13": ("Sumbar",),
    "16": ("Sumsel",),
    "19": ("Babel", "Bangka Belitung"),
    "21": ("Kepri",),
    "31": ("DKI", "DKI Jakarta", "Jakarta", "Daerah Khusus Jakarta", "Daerah Khusus Ibukota"),
    "32": ("Jabar",),
    "33": ("Jateng",),
    "34": ("DIY", "DI Yogyakarta", "Daerah Istimewa Yogyakarta"),
    "35": ("Jatim",),
    "52": ("NTB",),
    "53": ("NTT",),
    "61": ("Kalbar",),
    "62": ("Kalteng",),
    "63": ("Kalsel",),
    "64": ("Kaltim",),
    "65": ("Kaltara",),
    "71": ("Sulut",),
    "72": ("Sulteng",),
    "73": ("Sulsel",),
    "74": ("Sultra",),
    "76": ("Sulbar",),
    "82": ("Malut",),
    "92": ("Pabar", "Irian Jaya Barat", "Irjabar"),
    "93": ("Pasel",),
    "94": ("Papteng",),
    "95": ("Papeg",),
    "96": ("PBD",),
}

# Popular names a province shares with a city: "Yogyakarta" may be either.
_PROVINCE_SHARED: dict[str, tuple[str, ...]] = {
    "34": ("Yogyakarta", "Jogja", "Yogya", "Jogjakarta")
}

# Popular or former names of regencies and cities.
_AREA_SHORT: dict[str, tuple[str, ...]] = {
    "34.71": ("Jogja", "Yogya"),
    "33.72": ("Solo",),  # Kota Surakarta
    "73.71": ("Ujung Pandang",),  # Kota Makassar
    "31.71": ("Jakpus", "Central Jakarta"),
    "31.72": ("Jakut", "North Jakarta"),
    "31.73": ("Jakbar", "West Jakarta"),
    "31.74": ("Jaksel", "South Jakarta"),
    "31.75": ("Jaktim", "East Jakarta"),
    "31.01": ("Thousand Islands",),
    "36.74": ("Tangsel",),  # Kota Tangerang Selatan
    "73.10": ("Pangkep",),  # Kabupaten Pangkajene dan Kepulauan
    "12.12": ("Toba Samosir", "Tobasa"),  # Kabupaten Toba, so named until 2020
    "12.72": ("Siantar",),  # Kota Pematangsiantar
    "12.77": ("Padang Sidempuan",),  # Kota Padangsidimpuan
    "12.01": ("Tapteng",),
    "12.02": ("Taput",),
    "12.03": ("Tapsel",),
    "12.22": ("Labusel",),
    "12.23": ("Labura",),
}

# How each kind of written form reads, in order of preference when a name is ambiguous
# (an official name beats a bare one).
_PROVINCE_PREFIXES = ("provinsi", "prov", "propinsi", "pemprov", "pemerintah provinsi", "pemda")
_PROVINCE_SUFFIXES = ("province",)  # "East Java Province", "Province of East Java"
_REGENCY_PREFIXES = ("kabupaten", "kab", "pemkab", "pemerintah kabupaten", "pemda")
_REGENCY_SUFFIXES = ("regency",)
_CITY_PREFIXES = (
    "kota",
    "pemkot",
    "pemerintah kota",
    "kotamadya",
    "kota madya",
    "kodya",
    "pemda",
)
_CITY_SUFFIXES = ("city",)
_GOVERNMENT_OF = ("pemerintah daerah", "pemerintah", "regional government of", "government of")


@dataclass(frozen=True)
class _Entry:
    code: str
    form: str
    rank: int  # lower is a more specific form


@dataclass
class _PlaceTables:
    by_code: dict[str, Place]
    by_key: dict[str, list[_Entry]]
    squashed: dict[str, list[_Entry]]  # the same keys without spaces: "pangkalpinang"
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

        by_key: dict[str, list[_Entry]] = {}
        squashed: dict[str, list[_Entry]] = {}
        forms: dict[str, list[str]] = {}
        suggest: dict[str, str] = {}

        def put(keys: Iterable[str], code: str, form: str, rank: int) -> None:
            for k in keys:
                for table, key in ((by_key, k), (squashed, k.replace(" ", ""))):
                    entries = table.setdefault(key, [])
                    if not any(e.code == code for e in entries):
                        entries.append(_Entry(code, form, rank))

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
            for gov in _GOVERNMENT_OF:
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
                for en in _PROVINCE_EN[p.code]:
                    same = normalise(en) == normalise(bare)
                    keys |= add(en, p.code, "English name", 3 if same else 1)
                    shown.append(en)
                for short in _PROVINCE_SHORT.get(p.code, ()):
                    keys |= add(short, p.code, "abbreviation or popular name", 1)
                    shown.append(short)
                    suggest[normalise(short)] = p.label
                for popular in _PROVINCE_SHARED.get(p.code, ()):
                    add(popular, p.code, "popular name", 3)
                affixed(keys, p.code, _PROVINCE_PREFIXES, _PROVINCE_SUFFIXES)
                continue
            kind, _, bare = p.name.partition(" ")
            bare = re.sub(r"^Administrasi\s+", "", bare)
            add(p.name, p.code, "official name", 0)
            add(f"{kind} {bare}", p.code, "official name", 0)
            shown += [p.name, bare] if bare not in shown else [p.name]
            suggest[normalise(p.name)] = p.name
            prefixes, suffixes = (
                (_CITY_PREFIXES, _CITY_SUFFIXES)
                if p.level == "city"
                else (_REGENCY_PREFIXES, _REGENCY_SUFFIXES)
            )
            keys = set()
            for n in (bare, *_AREA_SHORT.get(p.code, ())):
                keys |= add(n, p.code, "name without Kota/Kabupaten", 3)
            shown += list(_AREA_SHORT.get(p.code, ()))
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
    for table in (_PROVINCE_EN, _PROVINCE_SHORT, _PROVINCE_SHARED, _AREA_SHORT):
        out += [n for names in table.values() for n in names]
    out += list(_COUNTRY_SHORT) + list(_COUNTRY_ID.values())
    out += _pycountry_names()
    return out


def _pycountry_names() -> list[str]:
    """Country names from pycountry's data files, English and Indonesian, without importing
    pycountry (its import reads package metadata, ~50 ms)."""
    import gettext
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("pycountry")
    if spec is None or not spec.origin:
        return []
    root = Path(spec.origin).parent
    try:
        data = json.loads((root / "databases" / "iso3166-1.json").read_text(encoding="utf-8"))
        with (root / "locales" / "id" / "LC_MESSAGES" / "iso3166-1.mo").open("rb") as fh:
            translate = gettext.GNUTranslations(fh).gettext
    except (OSError, ValueError):
        return []
    out: list[str] = []
    for rec in data.get("3166-1", []):
        for key in ("name", "common_name", "official_name"):
            if rec.get(key):
                out += [rec[key], translate(rec[key])]
    return out


@lru_cache(maxsize=1)
def province_groups() -> tuple[tuple[str, ...], ...]:
    """Each province's names that mean only it: official name, English names, abbreviations
    and former names ("Jawa Timur", "East Java", "Jatim"), for search synonyms. Cheap: reads
    the province list only."""
    return tuple(
        tuple(
            dict.fromkeys(
                (r["name"], *_PROVINCE_EN[r["code"]], *_PROVINCE_SHORT.get(r["code"], ()))
            )
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
    entries = next((e for k in _keys(name) if (e := tables.by_key.get(k))), [])
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


_PREFIX_PHRASES = frozenset(
    (*_PROVINCE_PREFIXES, *_REGENCY_PREFIXES, *_CITY_PREFIXES, *_GOVERNMENT_OF)
)
_PREFIX_WORDS = frozenset(
    w for p in (*_PROVINCE_PREFIXES, *_REGENCY_PREFIXES, *_CITY_PREFIXES) for w in p.split()
)


# ----------------------------------------------------------------------------- countries
# Short and colloquial forms pycountry does not have (Indonesian and English usage).
# These win over ISO codes: "AS" is Amerika Serikat here, not American Samoa.
_COUNTRY_SHORT: dict[str, str] = {
    "Korsel": "KR",
    "Korea": "KR",
    "South Korea": "KR",
    "Republic of Korea": "KR",
    "Republik Korea": "KR",
    "Korut": "KP",
    "North Korea": "KP",
    "RRT": "CN",
    "RRC": "CN",
    "Tiongkok": "CN",
    "Cina": "CN",
    "PRC": "CN",
    "Republik Rakyat Cina": "CN",
    "AS": "US",
    "USA": "US",
    "Amerika": "US",
    "America": "US",
    "United States of America": "US",
    "UEA": "AE",
    "UAE": "AE",
    "Emirat Arab": "AE",
    "UK": "GB",
    "Inggris": "GB",
    "Britain": "GB",
    "Great Britain": "GB",
    "England": "GB",
    "Inggris Raya": "GB",
    "Holland": "NL",
    "Rusia": "RU",
    "Russia": "RU",
    "Turkey": "TR",
    "Vietnam": "VN",
    "Prancis": "FR",
    "Perancis": "FR",
    "Ceko": "CZ",
    "Brunei": "BN",
    "Timor Leste": "TL",
    "East Timor": "TL",
    "Palestina": "PS",
    "Palestine": "PS",
    "Suriah": "SY",
    "Syria": "SY",
    "Laos": "LA",
    "Makau": "MO",
    "Macau": "MO",
    "Hongkong": "HK",
    "Vatikan": "VA",
    "Vatican": "VA",
    "Arab Saudi": "SA",
    "Saudi": "SA",
    "KSA": "SA",
    "Filipina": "PH",
    "Selandia Baru": "NZ",
    "Jepang": "JP",
    "Nippon": "JP",
}

# Indonesian display names where the usual Indonesian name differs from pycountry's.
_COUNTRY_ID: dict[str, str] = {"CN": "Tiongkok", "GB": "Inggris", "TL": "Timor Leste"}


@dataclass
class _CountryTables:
    by_code: dict[str, Country]
    by_key: dict[str, list[_Entry]]
    forms: dict[str, tuple[str, ...]]
    suggest_keys: dict[str, str]


@lru_cache(maxsize=1)
def _countries() -> _CountryTables:
    import gettext

    import pycountry

    with _lock:
        try:
            tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["id"])
            translate = tr.gettext
        except OSError:  # pragma: no cover - pycountry always ships it

            def translate(message: str) -> str:
                return message

        by_code: dict[str, Country] = {}
        by_key: dict[str, list[_Entry]] = {}
        forms: dict[str, list[str]] = {}
        suggest: dict[str, str] = {}

        def add(name: str, code: str, form: str, rank: int, *, show: bool = True) -> None:
            key = normalise(name)
            if not key:
                return
            entries = by_key.setdefault(key, [])
            if not any(e.code == code for e in entries):
                entries.append(_Entry(code, form, rank))
            if show and name not in forms[code]:
                forms[code].append(name)

        for c in pycountry.countries:
            code = c.alpha_2
            official = getattr(c, "official_name", None)
            common = getattr(c, "common_name", None)
            english = common or c.name
            indonesian = _COUNTRY_ID.get(code) or translate(common or c.name)
            by_code[code] = Country(code, english, indonesian)
            forms[code] = []
            suggest[normalise(english)] = english
            suggest[normalise(indonesian)] = english
            names_en = [n for n in (common, c.name, official) if n]
            names_id = [translate(n) for n in names_en]
            for n in (english, indonesian, *names_en, *names_id):
                add(n, code, "name", 1, show=n in (english, indonesian))
                head, sep, tail = n.partition(", ")
                if sep:  # "Korea, Republic of" -> "Republic of Korea"
                    add(f"{tail} {head}", code, "name", 1, show=False)
            add(code, code, "ISO code", 2, show=False)
            add(c.alpha_3, code, "ISO code", 2, show=False)
        for short, code in _COUNTRY_SHORT.items():
            by_key[normalise(short)] = [_Entry(code, "short form", 0)]
            if short not in forms[code]:
                forms[code].append(short)
            suggest.setdefault(normalise(short), by_code[code].name)
        return _CountryTables(by_code, by_key, {c: tuple(v) for c, v in forms.items()}, suggest)


def country_codes() -> tuple[str, ...]:
    """The ISO alpha-2 code of every country, sorted."""
    return tuple(sorted(_countries().by_code))


def country(code: str) -> Country | None:
    """The country with this ISO alpha-2 code, or None."""
    return _countries().by_code.get(code.strip().upper())


def country_forms(code: str) -> tuple[str, ...]:
    """Written forms of a country worth indexing: English and Indonesian names and short
    forms ("South Korea", "Korea Selatan", "Korsel")."""
    return _countries().forms.get(code.strip().upper(), ())


def resolve_country(text: str, *, suggest: bool = True) -> CountryResult:
    """The country `text` names: English or Indonesian name, ISO code or a short form."""
    tables = _countries()
    key = normalise(text)
    entries = next((e for k in _keys(text) if (e := tables.by_key.get(k))), [])
    if not entries and not suggest:
        return Unknown(text, "country")
    if not entries:
        found = difflib.get_close_matches(key, tables.suggest_keys, n=4, cutoff=0.75)
        return Unknown(text, "country", tuple(dict.fromkeys(tables.suggest_keys[f] for f in found)))
    best = min(e.rank for e in entries)
    top = [e for e in entries if e.rank == best]
    if len(top) == 1:
        return Resolved(text, tables.by_code[top[0].code], top[0].form)
    return Ambiguous(text, tuple(tables.by_code[e.code] for e in entries))


# ----------------------------------------------------------------------------- CLI filters
@dataclass(frozen=True)
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
            hint = f" (cases whose source does not say which: --region '{row[0]}')"
        raise NotFound(f"{found.describe()}. Give the full name or the code{hint}.")
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
    hint = f"; did you mean {' or '.join(found.suggestions)}?" if found.suggestions else ""
    raise NotFound(
        f"No region named '{visible(value)}' (not in the official list of Indonesia's"
        f" provinces, regencies and cities{hint}). 'paradiplo-tui regions' lists those"
        " with cases."
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
        raise NotFound(f"{found.describe()}.")
    return f"pc:{code}"


def sector_id(conn: sqlite3.Connection, text: str) -> str:
    folded = text.strip().casefold()
    row = conn.execute(
        "SELECT id FROM sectors WHERE id = ? OR lower(label_en) = ? OR lower(label_id) = ?",
        (folded, folded, folded),
    ).fetchone()
    if row is None:
        raise NotFound(f"No sector '{text}'. 'paradiplo-tui sectors' lists the vocabulary.")
    return str(row[0])
