"""The interface language: English or Bahasa Indonesia.

Messages go through gettext catalogs (`db/locale/<lang>/LC_MESSAGES/paradiplo.po`, extracted and
compiled with Babel: `make catalogs`), so a translator edits a `.po` file. The language comes
from `--lang`, then `PARADIPLO_LANG`, then the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`: `id_ID…`
gives Indonesian), then English.

- `_("...")` translates now; `N_("...")` only marks a string for the catalog (for text defined
  at import time, such as key bindings' descriptions, translated where it is shown).
- `data_label(kind, key, english)` shows vocabulary data (sectors, case types, countries) and
  the curated text of the bundled seeds (case titles, what the sources leave unclear, glossary
  definitions, law descriptions, ...: `db/datatext.py`) in the chosen language where the data
  has both. The derived category and stage bases: `derive.basis_text`.
- `number(n)` and `date_text(iso)` format as the language does (26.081 / 26,081; 13 November
  2017 with Indonesian month names).

Machine output never changes with the language: `--json` and CSV use ids and fixed keys.
"""

from __future__ import annotations

import gettext
import os
from functools import cache
from pathlib import Path

DOMAIN = "paradiplo"
LANGUAGES = ("en", "id")
LANGUAGE_NAMES = {"en": "English", "id": "Bahasa Indonesia"}
LOCALE_DIR = Path(__file__).with_name("locale")
ENV_LANG = "PARADIPLO_LANG"

_current = "en"
_explicit = False  # chosen by --lang or $PARADIPLO_LANG (which come before the app's setting)
_translation: gettext.NullTranslations = gettext.NullTranslations()

MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def choose_language(explicit: str | None = None, environ: dict[str, str] | None = None) -> str:
    """The language to use: `explicit` (from --lang), else $PARADIPLO_LANG, else the locale,
    else English. Unknown values fall through to the next source."""
    env = os.environ if environ is None else environ
    for value in (explicit, env.get(ENV_LANG)):
        lang = _normalise(value)
        if lang:
            return lang
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            # The first locale variable that is set decides (as gettext does).
            return _normalise(value) or "en"
    return "en"


def _normalise(value: str | None) -> str | None:
    if not value:
        return None
    code = value.strip().lower().replace("-", "_").split(".")[0].split("@")[0]
    code = code.split("_")[0]
    if code in ("id", "in", "ind", "indonesian", "indonesia", "bahasa"):
        return "id"
    if code in ("en", "eng", "english", "c", "posix"):
        return "en"
    return None


def set_language(lang: str | None = None) -> str:
    """Switch the interface language (resolved by `choose_language`) and return it."""
    global _current, _translation, _explicit
    chosen = choose_language(lang)
    _explicit = bool(_normalise(lang) or _normalise(os.environ.get(ENV_LANG)))
    _current = chosen
    _translation = gettext.translation(
        DOMAIN, localedir=str(LOCALE_DIR), languages=[chosen], fallback=True
    )
    return chosen


def language() -> str:
    return _current


def chosen_explicitly() -> bool:
    """Whether --lang or $PARADIPLO_LANG chose the language (the app's setting then waits)."""
    return _explicit


def _(message: str) -> str:
    """The message in the interface language."""
    return _translation.gettext(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """The message in the interface language, in a context (a short label that another
    place words differently)."""
    return _translation.pgettext(context, message)


def N_(message: str) -> str:
    """Mark a message for the catalog without translating it now."""
    return message


# ------------------------------------------------------------------------------ data
@cache
def _vocabulary() -> dict[tuple[str, str], str]:
    """(kind, key) -> Indonesian label, from the seeds' vocabulary."""
    from paradiplo.db.datatext import seed_file

    data = seed_file("vocabulary.toml")
    out: dict[tuple[str, str], str] = {}
    for kind, key in (("sector", "id"), ("type", "id"), ("country", "code")):
        for rec in data.get(kind, []):
            if isinstance(rec, dict) and rec.get(key) and rec.get("id_label"):
                out[(kind, str(rec[key]))] = str(rec["id_label"])
    return out


@cache
def _country_id(code: str) -> str | None:
    """A country's Indonesian name from pycountry's translations, when it ships them."""
    try:
        import pycountry
    except ImportError:
        return None
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return None
    try:
        names = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=["id"], fallback=False
        )
    except OSError:
        return None
    name = str(getattr(country, "common_name", None) or country.name)
    translated = names.gettext(name)
    return translated if translated != name else None


def data_label(kind: str, key: str | None, english: str) -> str:
    """A data label in the interface language: `kind` is sector, type or country (`key` its
    id, a country's ISO code), or a kind of curated text of the bundled seeds
    (`datatext.FIELDS`: case_title, case_summary, case_unclear, actor_name, term_definition,
    law_description, claim, ...; `key` the record's id, or None for an actor's name wherever
    it is shown without its id). English, and anything without an Indonesian version (a text
    that is not the seeds' own), is shown as `english`."""
    if _current != "id":
        return english
    from paradiplo.db import datatext

    if kind in datatext.FIELDS:
        if key is None and kind != "actor_name":
            return english
        return datatext.indonesian(kind, key, english) or english
    if not key:
        return english
    label = _vocabulary().get((kind, key))
    if label is None and kind == "country" and len(key) == 2:
        label = _country_id(key)
    return label or english


def record_title(kind: str, key: str | None, title: str) -> str:
    """The title or name of a record in a list of mixed records (search results, the
    palette), in the interface language: `kind` is case, term, region or partner, `key` its
    id. Other kinds, and names that are not ours, are shown as they are."""
    if kind == "case":
        return data_label("case_title", key, title)
    if kind == "term":
        return data_label("term", key, title)
    if kind in ("region", "partner"):
        return data_label("actor_name", None, title)
    return title


def number(n: int) -> str:
    """An integer with the language's thousands separator: 26,081 / 26.081."""
    text = f"{n:,}"
    return text.replace(",", ".") if _current == "id" else text


def date_text(iso: str | None) -> str:
    """'2017-11-13' as '13 November 2017' (Indonesian month names in Indonesian); '2017-11' as
    'November 2017'; a bare year or anything else unchanged."""
    if not iso:
        return ""
    parts = iso.split("-")
    months = MONTHS_ID if _current == "id" else MONTHS_EN
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {months[int(parts[1]) - 1]} {int(parts[0])}"
        if len(parts) == 2:
            return f"{months[int(parts[1]) - 1]} {int(parts[0])}"
    except (ValueError, IndexError):
        return iso
    return iso
