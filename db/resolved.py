"""What a typed name became (db/resolve.py's results) and the key names are matched by.

`Place` and `Country` are what a name can mean; `Resolved`, `Ambiguous` and `Unknown` say
what the typed text became, and `describe()` says it in words. `normalise` is the matching
key; `visible` spells out invisible characters for messages.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import field
from typing import Generic, Literal, TypeVar

from paradiplo.db.i18n import _, pgettext
from paradiplo.db.record import record

Level = Literal["province", "regency", "city"]


# ----------------------------------------------------------------------------- results
@record
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


@record
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


@record
class Resolved(Generic[T]):
    """`typed` names exactly one place or country, `value`; `form` says how it was read."""

    typed: str
    value: T
    form: str  # "official name", "abbreviation", "English name", "ISO code", ...

    def describe(self) -> str:
        return f"{quoted(self.typed)} → {self.value.label}"


@record
class Ambiguous(Generic[T]):
    """`typed` fits more than one: the candidates, best known first."""

    typed: str
    candidates: tuple[T, ...]

    def describe(self) -> str:
        return _("'{typed}' is ambiguous: {names}").format(
            typed=quoted(self.typed), names=either(str(c) for c in self.candidates)
        )


@record
class Unknown:
    """Nothing of that name; `suggestions` are the nearest names (official labels)."""

    typed: str
    kind: Literal["place", "country"]
    suggestions: tuple[str, ...] = field(default=())

    def describe(self) -> str:
        text = (
            _(
                "'{typed}' is not in the official list of Indonesia's provinces, regencies and cities"
            )
            if self.kind == "place"
            else _("'{typed}' is not a country name or code")
        ).format(typed=quoted(self.typed))
        return text + did_you_mean(self.suggestions)


def either(names: Iterable[str]) -> str:
    """Names joined as alternatives: 'Kota Malang (35.73) or Kabupaten Malang (35.07)'."""
    word = pgettext("between names", "or")
    return f" {word} ".join(names)


def did_you_mean(names: Iterable[str]) -> str:
    """'; did you mean Kota Surabaya?' ('' for no names), to end a message about a name."""
    names = list(names)
    return _("; did you mean {names}?").format(names=either(names)) if names else ""


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


def quoted(text: str) -> str:
    """Typed text as an error quotes it: outer ASCII blanks dropped, the rest made visible."""
    return visible(text.strip(" \t\r\n"))


def lookup_keys(text: str) -> tuple[str, ...]:
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


@record
class Entry:
    """A written form in a lookup table: what it names (`code`), how it reads, how specific."""

    code: str
    form: str
    rank: int  # lower is a more specific form
