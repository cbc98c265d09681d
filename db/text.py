"""Text helpers: whitespace-normalised quote location and safe display of user text."""

from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")
# C0/C1 control characters except tab and newline; ESC sequences are caught by this too.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidi embeddings, overrides and isolates: an unclosed one reorders the text after it in
# terminals that do bidi ("Trojan Source" spoofing). Arabic or Hebrew letters themselves stay.
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")


def normalise_ws(text: str) -> str:
    return _WS.sub(" ", text).strip()


def find_quote(haystack: str, quote: str) -> tuple[int, int] | None:
    """Find `quote` in `haystack` ignoring differences in whitespace.

    Returns (start, end) character offsets into the original haystack, or None.
    """
    words = quote.split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    m = re.search(pattern, haystack)
    if m is None:
        return None
    return m.start(), m.end()


def strip_control(text: str) -> str:
    """Remove terminal escape sequences and control characters (keeps tab and newline)."""
    return _CONTROL.sub("", _ANSI.sub("", text))


def clean_user_text(text: str) -> str:
    """What we store for user-entered text: as written, but without NUL and with \\n newlines.

    Escape sequences are kept in storage (the text is the user's) and removed at display
    time with `display_safe`.
    """
    return unicodedata.normalize("NFC", text.replace("\x00", "").replace("\r\n", "\n"))


def display_safe(text: str) -> str:
    """Text fit for a terminal: escape sequences, control characters and bidi overrides
    removed (tab and newline kept)."""
    return _BIDI_CONTROL.sub("", strip_control(text))


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "item"


# What each evidence `supports` key means, in a reader's words.
FACT_LABELS = {
    "region": "Indonesian party",
    "partner": "Partner",
    "partner_country": "Partner's country",
    "partner_kind": "Partner's kind",
    "facilitator": "Facilitator",
    "type": "Type",
    "date": "Date",
    "status": "Status",
    "scope_article": "Scope article",
    "summary": "Summary",
    "people": "People",
    "event": "Event",
    "category": "Category",
    "level": "Level",
    "name": "Name",
    "office": "Office",
    "definition": "Definition",
    "title": "Title",
    "country": "Country",
    "province": "Province",
    "place": "Place",
    "kind": "Kind",
    "description": "Description",
}


def fact_label(fact: str, sectors: dict[str, str] | None = None) -> str:
    """A reader's word for an evidence `supports` key: 'sector:trade-investment' becomes the
    sector's label ('Trade and investment') when `sectors` knows it, 'date' becomes 'Date'."""
    kind, _, rest = fact.partition(":")
    if kind == "sector" and rest:
        label = (sectors or {}).get(rest) or rest.replace("-", " ")
        return label[:1].upper() + label[1:]
    if rest:
        return f"{FACT_LABELS.get(kind, kind)} {rest.replace('-', ' ')}"
    label = FACT_LABELS.get(fact, fact.replace("_", " "))
    return label[:1].upper() + label[1:]


def facts_label(facts: list[str], sectors: dict[str, str] | None = None) -> str:
    return ", ".join(fact_label(f, sectors) for f in facts)


_REGION_KEY_WORDS = {
    "c": "country",
    "p": "province",
    "a": "regency or city",
    "r": "region",
    "pc": "partner country",
    "pa": "partner",
}


def target_word(target_type: str, target_id: str, label: str = "") -> str:
    """What a note is on, in words: 'case', 'source', 'a passage of', and for the region tree's
    entries 'province', 'city', 'regency', 'partner country' or 'partner' (not 'region')."""
    if target_type == "passage":
        return "a passage of"
    if target_type != "region":
        return target_type or "item"
    prefix = target_id.partition(":")[0]
    word = _REGION_KEY_WORDS.get(prefix, "region")
    if prefix == "a":
        if label.startswith("Kota "):
            return "city"
        if label.startswith(("Kabupaten ", "Kab. ")):
            return "regency"
    return word
