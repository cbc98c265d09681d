"""Text helpers: whitespace-normalised quote location and safe display of user text."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from paradiplo.db.i18n import N_, date_text

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


def as_text(value: object) -> str:
    """A stored value as text, whatever SQLite handed back (a column declared TEXT can hold
    a blob or a number written by another program): bytes are decoded, None is empty."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", errors="replace")
    return "" if value is None else str(value)


def strip_control(text: str) -> str:
    """Remove terminal escape sequences and control characters (keeps tab and newline)."""
    if not isinstance(text, str):
        text = as_text(text)
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


_NOT_PLAIN = re.compile(r"[^\x20-\x7e\t\n]")
# Characters that draw nothing (or a blank) yet make two names differ: no-break and other
# spaces, zero-width spaces and joiners, soft hyphen, byte order mark, bidi marks, Hangul fillers.
_BLANK_LETTERS = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")


def _is_invisible(ch: str) -> bool:
    return ch in _BLANK_LETTERS or unicodedata.category(ch) in ("Cf", "Zs", "Zl", "Zp")


def _mark(ch: str) -> str:
    return f"<U+{ord(ch):04X}>"


def show_invisible(text: str) -> str:
    """`text` with every invisible or blank-looking character other than the ordinary space,
    tab and newline written as <U+XXXX>, so that 'Surabaya<U+00A0>' does not look like a
    valid 'Surabaya'."""
    return _NOT_PLAIN.sub(lambda m: _mark(m[0]) if _is_invisible(m[0]) else m[0], text)


def quote_value(value: object, limit: int = 80) -> str:
    """A value from the user's input, quoted for an error message: at most `limit` characters,
    control characters and invisible ones shown as <U+XXXX>, escape sequences harmless.

    Every error message that quotes user input goes through this (or through the message
    itself: `ParadiploError` applies `show_invisible` to whatever it is given).
    """
    text = value if isinstance(value, str) else repr(value)
    short = text[:limit]
    shown = "".join(
        _mark(ch) if ch in "\t\n" or unicodedata.category(ch) == "Cc" else ch for ch in short
    )
    more = "…" if len(text) > limit else ""
    if not isinstance(value, str):  # a number, a list: as written in JSON-like form, unquoted
        return show_invisible(shown) + more
    return f"'{show_invisible(shown)}'" + more


def clip(text: str, limit: int, more: str = "") -> str:
    """`text` made display-safe, then cut to `limit` characters (`more` marks a cut).

    In this order: cut first, an escape sequence broken at the cut no longer looks like one
    and its tail (`]8;;http://ev`) would be shown.
    """
    safe = display_safe(text)
    return safe if len(safe) <= limit else safe[:limit] + more


def local_time(iso: str) -> str:
    """A stored UTC timestamp in local time, its date as the interface writes dates:
    '2 March 2025 11:30' ('2 Maret 2025 11:30' in Indonesian); as stored if it cannot be read."""
    stamp = local_stamp(iso)
    try:
        when = datetime.strptime(stamp, "%Y-%m-%d %H:%M")
    except ValueError:
        return stamp
    day = date_text(f"{when.year:04d}-{when.month:02d}-{when.day:02d}")
    return f"{day} {when.hour:02d}:{when.minute:02d}"


def local_stamp(iso: object) -> str:
    """A stored UTC timestamp as local 'YYYY-MM-DD HH:MM'; what cannot be read or moved to
    local time (not a timestamp, the year 1 or 9999 pushed out of range by the time zone)
    is shown as stored, never raised."""
    text = display_safe(iso if isinstance(iso, str) else str(iso))
    try:
        d = datetime.fromisoformat(text).astimezone()
        # Not strftime: its %Y writes the year 1 as "1" on some systems.
        return f"{d.year:04d}-{d.month:02d}-{d.day:02d} {d.hour:02d}:{d.minute:02d}"
    except (ValueError, OverflowError, OSError):
        return text[:16].replace("T", " ")


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "item"


# What each evidence `supports` key means, in a reader's words (marked for the catalog: the
# app passes `tr=_` to show them in the interface language; exports keep the English).
FACT_LABELS = {
    "region": N_("Indonesian party"),
    "partner": N_("Partner"),
    "partner_country": N_("Partner's country"),
    "partner_kind": N_("Partner's kind"),
    "facilitator": N_("Facilitator"),
    "type": N_("Type"),
    "date": N_("Date"),
    "status": N_("Status"),
    "scope_article": N_("Scope article"),
    "summary": N_("Summary"),
    "people": N_("People"),
    "event": N_("Event"),
    "category": N_("Category"),
    "level": N_("Level"),
    "name": N_("Name"),
    "office": N_("Office"),
    "definition": N_("Definition"),
    "title": N_("Title"),
    "country": N_("Country"),
    "province": N_("Province"),
    "place": N_("Place"),
    "kind": N_("Kind"),
    "description": N_("Description"),
    "claim": N_("Claim"),
    "title_as_cited": N_("Title as cited"),
}


def fact_label(
    fact: str, sectors: dict[str, str] | None = None, tr: Callable[[str], str] | None = None
) -> str:
    """A reader's word for an evidence `supports` key: 'sector:trade-investment' becomes the
    sector's label ('Trade and investment') when `sectors` knows it, 'date' becomes 'Date'."""
    kind, _, rest = fact.partition(":")
    if kind == "sector" and rest:
        label = (sectors or {}).get(rest) or rest.replace("-", " ")
        return label[:1].upper() + label[1:]
    tr = tr or str
    if rest:
        return f"{tr(FACT_LABELS.get(kind, kind))} {rest.replace('-', ' ')}"
    label = tr(FACT_LABELS[fact]) if fact in FACT_LABELS else fact.replace("_", " ")
    return label[:1].upper() + label[1:]


def facts_label(
    facts: list[str], sectors: dict[str, str] | None = None, tr: Callable[[str], str] | None = None
) -> str:
    return ", ".join(fact_label(f, sectors, tr) for f in facts)


# The words target_word returns, marked for the catalog (the app translates them where shown).
TARGET_WORDS = (
    N_("case"),
    N_("source"),
    N_("passage"),
    N_("a passage of"),
    N_("item"),
    N_("city"),
    N_("regency"),
)
_REGION_KEY_WORDS = {
    "c": N_("country"),
    "p": N_("province"),
    "a": N_("regency or city"),
    "r": N_("region"),
    "pc": N_("partner country"),
    "pa": N_("partner"),
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


def json_array(raw: object) -> list[Any]:
    """A JSON array stored in a text column, its items as decoded; [] if empty or not an
    array (or if another program stored something else there: a blob, a number, deep
    nesting)."""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    if not isinstance(raw, str):
        return []
    try:
        value = json.loads(raw or "[]")
    except (ValueError, RecursionError):
        return []
    return value if isinstance(value, list) else []


def json_list(raw: object) -> list[str]:
    """`json_array` with every item as a string (names, codes, synonyms)."""
    return [str(v) for v in json_array(raw)]


def now_iso(timespec: str = "milliseconds") -> str:
    """The time now in UTC, ISO 8601 (as stored in the database)."""
    return datetime.now(UTC).isoformat(timespec=timespec)
