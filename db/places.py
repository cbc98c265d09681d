"""Names of places as people write them, resolved: Indonesian regions and countries.

The one seam through which `import cases`, `cases add`, the case form and `suggest` resolve
names (`resolve_region`, `resolve_country`, `Gazetteer.regions_in` / `countries_in`). It
reads the official list (the `areas` table), the English names of the provinces, the
abbreviations news uses (Jatim, Jabar, DKI, ...), government prefixes (Pemkot/Pemkab/Pemprov,
Kota/Kab./Kabupaten, "City of", "... Regency") and, for countries, the collection's own
vocabulary plus ISO 3166 (pycountry) in English and Indonesian.
"""

from __future__ import annotations

import gettext
import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

Ambiguity = Literal["error", "city", "regency", "keep"]
AMBIGUITY_CHOICES: tuple[str, ...] = ("error", "city", "regency", "keep")

# English names and abbreviations of the provinces -> official code.
PROVINCE_ALIASES: dict[str, str] = {
    "aceh": "11",
    "nanggroe aceh darussalam": "11",
    "nad": "11",
    "north sumatra": "12",
    "north sumatera": "12",
    "sumut": "12",
    "west sumatra": "13",
    "west sumatera": "13",
    "sumbar": "13",
    "riau": "14",
    "jambi": "15",
    "south sumatra": "16",
    "south sumatera": "16",
    "sumsel": "16",
    "bengkulu": "17",
    "lampung": "18",
    "bangka belitung": "19",
    "bangka belitung islands": "19",
    "babel": "19",
    "riau islands": "21",
    "kepri": "21",
    "jakarta": "31",
    "dki jakarta": "31",
    "dki": "31",
    "special capital region of jakarta": "31",
    "jakarta special capital region": "31",
    "daerah khusus jakarta": "31",
    "west java": "32",
    "jabar": "32",
    "central java": "33",
    "jateng": "33",
    "di yogyakarta": "34",
    "diy": "34",
    "special region of yogyakarta": "34",
    "daerah istimewa yogyakarta": "34",
    "east java": "35",
    "jatim": "35",
    "banten": "36",
    "bali": "51",
    "west nusa tenggara": "52",
    "ntb": "52",
    "east nusa tenggara": "53",
    "ntt": "53",
    "west kalimantan": "61",
    "kalbar": "61",
    "central kalimantan": "62",
    "kalteng": "62",
    "south kalimantan": "63",
    "kalsel": "63",
    "east kalimantan": "64",
    "kaltim": "64",
    "north kalimantan": "65",
    "kaltara": "65",
    "north sulawesi": "71",
    "sulut": "71",
    "central sulawesi": "72",
    "sulteng": "72",
    "south sulawesi": "73",
    "sulsel": "73",
    "southeast sulawesi": "74",
    "south east sulawesi": "74",
    "sultra": "74",
    "gorontalo": "75",
    "west sulawesi": "76",
    "sulbar": "76",
    "maluku": "81",
    "moluccas": "81",
    "north maluku": "82",
    "malut": "82",
    "papua": "91",
    "west papua": "92",
    "south papua": "93",
    "central papua": "94",
    "highland papua": "95",
    "papua highlands": "95",
    "southwest papua": "96",
}
# English forms of regency/city names that differ from the official bare name.
AREA_ALIASES: dict[str, str] = {
    "central jakarta": "jakarta pusat",
    "north jakarta": "jakarta utara",
    "west jakarta": "jakarta barat",
    "south jakarta": "jakarta selatan",
    "east jakarta": "jakarta timur",
    "thousand islands": "kepulauan seribu",
    "jogja": "yogyakarta",
    "jogjakarta": "yogyakarta",
    "djogjakarta": "yogyakarta",
}

# A government prefix or suffix and the level it names (None: any level).
_PREFIXES: tuple[tuple[re.Pattern[str], str | None], ...] = tuple(
    (re.compile(p, re.I), level)
    for p, level in (
        (r"^(pemerintah\s+kota|pemkot|kota\s+administrasi|kota\s+adm\.?|kotamadya|kota|city\s+of)\s+", "city"),
        (r"^(pemerintah\s+kabupaten|pemkab|kabupaten\s+administrasi|kabupaten|kab\.?|regency\s+of)\s+", "regency"),
        (r"^(pemerintah\s+provinsi|pemprov|provinsi|prov\.?|province\s+of)\s+", "province"),
        (r"^(pemerintah\s+daerah|pemda|pemerintah)\s+", None),
    )
)  # fmt: skip
_SUFFIXES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.I), level)
    for p, level in (
        (r"\s+(city|municipality)$", "city"),
        (r"\s+regency$", "regency"),
        (r"\s+province$", "province"),
    )
)
_OFFICIAL_PREFIX = re.compile(
    r"^(kota administrasi|kabupaten administrasi|kota|kabupaten)\s+", re.I
)


def fold(text: str) -> str:
    """Case-, accent- and spacing-insensitive form of a name ("Kab.  Bandung" -> "kab. bandung")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.replace("\u2019", "'").casefold().split()).strip(" ,;:")


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    level: str  # province | regency | city
    province_code: str | None


@dataclass(frozen=True)
class RegionMatch:
    """What a home-side name resolves to.

    `status` is "resolved" (`area` is the official region), "ambiguous" (`candidates` are
    the official regions it could be: kept as stated only with ambiguity "keep") or "unknown".
    """

    as_stated: str
    status: Literal["resolved", "ambiguous", "unknown"]
    area: Area | None = None
    candidates: tuple[Area, ...] = ()

    @property
    def name(self) -> str:
        return self.area.name if self.area else self.as_stated

    def describe(self) -> str:
        """One line saying what the name resolves to (for forms and error messages)."""
        if self.area:
            return f"{self.area.name} ({self.area.level}, {self.area.code})"
        if self.candidates:
            return "ambiguous: " + " or ".join(f"{a.name} ({a.code})" for a in self.candidates)
        return "not in the official list of Indonesia's regions"


@dataclass(frozen=True)
class Country:
    code: str
    name_en: str
    name_id: str | None = None


@dataclass(frozen=True)
class Mention:
    """A name found in a text: where, as written, and what it is."""

    start: int
    end: int
    text: str
    kind: Literal["region", "country"]
    region: RegionMatch | None = None
    country: Country | None = None


@dataclass
class Gazetteer:
    """The official regions and the countries, loaded once from a database (a few ms).

    Cheap to keep for the length of an import; `for_connection` caches one per database.
    """

    areas: dict[str, Area] = field(default_factory=dict)
    by_bare: dict[str, list[Area]] = field(default_factory=dict)  # folded bare name -> areas
    countries: dict[str, Country] = field(default_factory=dict)  # folded name/code -> country

    @classmethod
    def load(cls, conn: sqlite3.Connection) -> Gazetteer:
        g = cls()
        for code, name, level, prov in conn.execute(
            "SELECT code, name, level, province_code FROM areas"
        ):
            area = Area(code, name, level, prov)
            g.areas[code] = area
            bare = _OFFICIAL_PREFIX.sub("", name)
            keys = {fold(bare)}
            if level == "province":
                keys.add(fold(name))
            for key in keys:
                g.by_bare.setdefault(key, []).append(area)
        for alias, code in PROVINCE_ALIASES.items():
            province = g.areas.get(code)
            if province and province not in g.by_bare.get(alias, []):
                g.by_bare.setdefault(alias, []).append(province)
        for alias, bare in AREA_ALIASES.items():
            for area in g.by_bare.get(bare, []):
                if area not in g.by_bare.get(alias, []):
                    g.by_bare.setdefault(alias, []).append(area)
        g._load_countries(conn)
        return g

    def _load_countries(self, conn: sqlite3.Connection) -> None:
        for code, en, idl, syn in conn.execute(
            "SELECT code, name_en, name_id, synonyms FROM countries"
        ):
            country = Country(code, en, idl)
            for name in (code, en, idl, *_json_list(syn)):
                if name:
                    self.countries.setdefault(fold(str(name)), country)
        for key, country in _iso_countries().items():
            self.countries.setdefault(key, country)

    # ------------------------------------------------------------------ regions
    def resolve_region(self, text: str, ambiguous: Ambiguity = "error") -> RegionMatch:
        """Resolve a home-side name ("Pemkot Surabaya", "Kab. Malang", "East Java",
        "Bandung"). A bare name shared by a Kota and a Kabupaten is ambiguous unless
        `ambiguous` is "city" or "regency" (then that one)."""
        stated = " ".join(text.split())
        key = fold(stated)
        level: str | None = None
        for pattern, lvl in _PREFIXES:
            m = pattern.match(key)
            if m:
                key, level = key[m.end() :].strip(), lvl
                break
        else:
            for pattern, lvl in _SUFFIXES:
                m = pattern.search(key)
                if m and key[: m.start()].strip():
                    key, level = key[: m.start()].strip(), lvl
                    break
        found = list(self.by_bare.get(key, []))
        if level:
            found = [a for a in found if a.level == level]
        if not found:
            return RegionMatch(stated, "unknown")
        if len(found) == 1:
            return RegionMatch(stated, "resolved", found[0])
        pick = (
            [a for a in found if a.level == ambiguous] if ambiguous in ("city", "regency") else []
        )
        if len(pick) == 1:
            return RegionMatch(stated, "resolved", pick[0], tuple(found))
        return RegionMatch(stated, "ambiguous", None, tuple(found))

    def province_of(self, area: Area) -> Area:
        return self.areas.get(area.province_code or "", area)

    # ------------------------------------------------------------------ countries
    def resolve_country(self, text: str) -> Country | None:
        """A country by code (ID, IDN), English or Indonesian name, or a synonym."""
        key = fold(text)
        if not key:
            return None
        return self.countries.get(key) or self.countries.get(key.removeprefix("the "))

    # ------------------------------------------------------------------ in running text
    def mentions(self, text: str) -> Iterator[Mention]:
        """Names of Indonesian regions and of countries in running text, left to right,
        longest first where they overlap (for `suggest`)."""
        yield from _scan(self, text)


def _json_list(raw: str | None) -> list[str]:
    try:
        value = json.loads(raw or "[]")
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


@lru_cache(maxsize=1)
def _iso_countries() -> dict[str, Country]:
    """ISO 3166 countries by folded English name, official and common name, codes, and
    Indonesian name (pycountry's translations)."""
    try:
        import pycountry
    except ImportError:  # pragma: no cover - a dependency; the vocabulary still resolves
        return {}
    try:
        indonesian: gettext.NullTranslations = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=["id"]
        )
    except OSError:  # pragma: no cover
        indonesian = gettext.NullTranslations()
    to_id = indonesian.gettext
    out: dict[str, Country] = {}
    for c in pycountry.countries:
        common = getattr(c, "common_name", None) or c.name
        country = Country(c.alpha_2, common, to_id(c.name))
        names = [c.alpha_2, c.alpha_3, c.name, common, getattr(c, "official_name", None)]
        names.append(to_id(c.name))
        if "," in c.name:  # "Korea, Republic of" -> also "Republic of Korea"
            head, _, tail = c.name.partition(",")
            names.append(f"{tail.strip()} {head.strip()}")
        for name in names:
            if name:
                out.setdefault(fold(name), country)
    extra = {
        "usa": "US",
        "america": "US",
        "amerika": "US",
        "uk": "GB",
        "britain": "GB",
        "great britain": "GB",
        "inggris": "GB",
        "england": "GB",
        "south korea": "KR",
        "korea selatan": "KR",
        "north korea": "KP",
        "korea utara": "KP",
        "taiwan": "TW",
        "russia": "RU",
        "rusia": "RU",
        "vietnam": "VN",
        "viet nam": "VN",
        "tiongkok": "CN",
        "cina": "CN",
        "china": "CN",
        "perancis": "FR",
        "prancis": "FR",
        "belanda": "NL",
        "the netherlands": "NL",
        "holland": "NL",
        "jerman": "DE",
        "jepang": "JP",
        "turki": "TR",
        "turkey": "TR",
        "iran": "IR",
        "laos": "LA",
        "brunei": "BN",
        "timor leste": "TL",
        "east timor": "TL",
        "czech republic": "CZ",
        "ceko": "CZ",
        "selandia baru": "NZ",
        "arab saudi": "SA",
        "uni emirat arab": "AE",
        "mesir": "EG",
        "filipina": "PH",
        "thailand": "TH",
        "singapura": "SG",
        "spanyol": "ES",
        "italia": "IT",
        "swiss": "CH",
        "austria": "AT",
        "belgia": "BE",
        "polandia": "PL",
        "hongaria": "HU",
        "kanada": "CA",
        "meksiko": "MX",
        "brasil": "BR",
        "afrika selatan": "ZA",
        "india": "IN",
    }
    by_code = {c.code: c for c in out.values()}
    for name, code in extra.items():
        if code in by_code:
            out[fold(name)] = by_code[code]
    return out


# --------------------------------------------------------------------------- scanning text
_WORD_CHARS = r"[^\W_]"


@lru_cache(maxsize=8)
def _pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    alts = sorted(names, key=len, reverse=True)
    body = "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in alts)
    return re.compile(rf"(?<!{_WORD_CHARS})(?:{body})(?!{_WORD_CHARS})", re.I)


_REGION_LEAD = (
    r"(?:pemerintah\s+(?:kota|kabupaten|provinsi)|pemkot|pemkab|pemprov|kota\s+administrasi|"
    r"kota|kabupaten|kab\.|provinsi|prov\.|city\s+of)\s+"
)
# Bare names that are also ordinary words or too short to trust in running text.
_NOT_ALONE = {"riau", "bali", "papua", "maluku", "jambi", "banten", "lampung", "aceh"}
_ALWAYS_ALONE = set(PROVINCE_ALIASES) | {"jakarta"}


def _scan(g: Gazetteer, text: str) -> Iterator[Mention]:
    """Regions with a government prefix ("Pemkot Surabaya", "Kab. Malang"), province names
    and abbreviations, and bare names of regencies/cities written capitalised; countries by
    name. Overlaps keep the longest."""
    found: list[Mention] = []
    bare_names = tuple(k for k in g.by_bare if len(k) >= 4)
    lead = re.compile(_REGION_LEAD, re.I)
    for m in _pattern(bare_names).finditer(text):
        start, end = m.start(), m.end()
        word = m.group(0)
        before = text[max(0, start - 40) : start]
        prefix = None
        for pm in lead.finditer(before):
            if pm.end() == len(before):
                prefix = pm
        if prefix is not None:
            start -= len(before) - prefix.start()
        elif not word[:1].isupper():
            continue
        elif fold(word) in _NOT_ALONE and fold(word) not in _ALWAYS_ALONE:
            pass
        stated = text[start:end]
        match = g.resolve_region(stated)
        if match.status == "unknown":
            continue
        found.append(Mention(start, end, stated, "region", region=match))
    country_names = tuple(k for k in g.countries if len(k) >= 4 and not k.isupper())
    for m in _pattern(country_names).finditer(text):
        word = m.group(0)
        if not word[:1].isupper():
            continue
        country = g.resolve_country(word)
        if country is None or country.code == "ID":
            continue
        found.append(Mention(m.start(), m.end(), word, "country", country=country))
    found.sort(key=lambda x: (x.start, -(x.end - x.start)))
    last_end = -1
    for mention in found:
        if mention.start >= last_end:
            yield mention
            last_end = mention.end


# --------------------------------------------------------------------------- conveniences
_CACHE: dict[tuple[int, int], Gazetteer] = {}


def for_connection(conn: sqlite3.Connection) -> Gazetteer:
    """The gazetteer of this database, cached while its areas and countries are unchanged."""
    n_countries = conn.execute("SELECT count(*) FROM countries").fetchone()[0]
    key = (id(conn), int(n_countries))
    g = _CACHE.get(key)
    if g is None:
        if len(_CACHE) > 8:
            _CACHE.clear()
        g = _CACHE[key] = Gazetteer.load(conn)
    return g


def resolve_region(
    conn: sqlite3.Connection, text: str, ambiguous: Ambiguity = "error"
) -> RegionMatch:
    """`Gazetteer.resolve_region` on this database's official list."""
    return for_connection(conn).resolve_region(text, ambiguous)


def resolve_country(conn: sqlite3.Connection, text: str) -> Country | None:
    """`Gazetteer.resolve_country` on this database's vocabulary and ISO 3166."""
    return for_connection(conn).resolve_country(text)


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
