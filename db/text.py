"""Text helpers: whitespace-normalised quote location and safe display of user text."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import UTC, datetime

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


def json_list(raw: str | None) -> list[str]:
    """A JSON array stored in a text column, as strings; [] if empty or not an array."""
    try:
        value = json.loads(raw or "[]")
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


def now_iso(timespec: str = "milliseconds") -> str:
    """The time now in UTC, ISO 8601 (as stored in the database)."""
    return datetime.now(UTC).isoformat(timespec=timespec)
