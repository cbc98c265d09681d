"""Countries from what people type: English or Indonesian names (pycountry and its
Indonesian translation), ISO alpha-2/alpha-3 codes and common short forms ("Korsel", "RRT",
"Tiongkok", "AS", "UEA", "UK", ...). Read through db/resolve.py.
"""

from __future__ import annotations

import difflib
import json
import threading
from dataclasses import dataclass
from functools import lru_cache

from paradiplo.db.name_tables import COUNTRY_ID, COUNTRY_SHORT
from paradiplo.db.resolved import (
    Ambiguous,
    Country,
    CountryResult,
    Entry,
    Resolved,
    Unknown,
    lookup_keys,
    normalise,
)

_lock = threading.Lock()


@dataclass
class _CountryTables:
    by_code: dict[str, Country]
    by_key: dict[str, list[Entry]]
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
        by_key: dict[str, list[Entry]] = {}
        forms: dict[str, list[str]] = {}
        suggest: dict[str, str] = {}

        def add(name: str, code: str, form: str, rank: int, *, show: bool = True) -> None:
            key = normalise(name)
            if not key:
                return
            entries = by_key.setdefault(key, [])
            if not any(e.code == code for e in entries):
                entries.append(Entry(code, form, rank))
            if show and name not in forms[code]:
                forms[code].append(name)

        for c in pycountry.countries:
            code = c.alpha_2
            official = getattr(c, "official_name", None)
            common = getattr(c, "common_name", None)
            english = common or c.name
            indonesian = COUNTRY_ID.get(code) or translate(common or c.name)
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
        for short, code in COUNTRY_SHORT.items():
            by_key[normalise(short)] = [Entry(code, "short form", 0)]
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
    entries = next((e for k in lookup_keys(text) if (e := tables.by_key.get(k))), [])
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


def pycountry_names() -> list[str]:
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
