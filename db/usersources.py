"""The user's own sources: checking and storing a text verbatim, finding a quote in it.

Part of the collection API (db/collection.py re-exports everything public here): the command
line's `sources add` and the app's add-source dialog call `add_source`; `locate_quote` checks a
quote (by its words, whitespace aside, or by offsets) against a source's text.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from paradiplo.db import searchdocs
from paradiplo.db.casefields import SOURCE_KINDS as SOURCE_KINDS  # the CLI reads it here
from paradiplo.db.dates import date_problem
from paradiplo.db.errors import NotFound, ParadiploError
from paradiplo.db.i18n import _, number
from paradiplo.db.record import record
from paradiplo.db.seeds import split_passages
from paradiplo.db.store import Store
from paradiplo.db.text import clean_user_text, find_quote, normalise_ws, slugify

LANGUAGES: tuple[str, ...] = ("id", "en")
MAX_SOURCE_CHARS = 5_000_000


# --------------------------------------------------------------------------- errors
class CollectionError(ParadiploError):
    """A request to add or change the collection was refused; nothing was written."""


class CaseProblem(CollectionError):
    """A case (or an edit) has problems; `problems` lists each, one line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(problems[0] if len(problems) == 1 else "; ".join(problems))


class QuoteNotFound(CollectionError):
    """A quote is not in its source's text. `nearest` is the passage of the text most like it."""

    def __init__(self, source_id: str, quote: str, nearest: str | None) -> None:
        self.source_id = source_id
        self.quote = quote
        self.nearest = nearest
        shown = quote if len(quote) <= 80 else quote[:77] + "..."
        msg = _('Quote not found in source {id}: "{quote}".').format(id=source_id, quote=shown)
        if nearest:
            near = nearest if len(nearest) <= 200 else nearest[:197] + "..."
            msg += " " + _('The nearest passage the text has: "{passage}"').format(passage=near)
        else:
            msg += " " + _("That source has no text to quote (a citation only).")
        super().__init__(msg)


class DuplicateCase(CollectionError):
    """A case with the same region, partner and type exists; `existing` lists (id, title)."""

    def __init__(self, existing: list[tuple[str, str]]) -> None:
        self.existing = existing
        cid, title = existing[0]
        super().__init__(
            _(
                "A case with the same region, partner and type is already in the collection: "
                "{id} ({title}). Use --force to add this one as well, or edit that case."
            ).format(id=cid, title=title)
        )


class DuplicateSource(CollectionError):
    """The same text is already a source; `source_id` names it."""

    def __init__(self, source_id: str) -> None:
        self.source_id = source_id
        super().__init__(
            _("This text is already in the collection as source {id}.").format(id=source_id)
        )


class SeedCaseError(CollectionError):
    """A bundled case cannot be edited or deleted."""


@record
class NewSource:
    """A source the user adds: its verbatim text and provenance (all optional but the text)."""

    text: str
    title: str | None = None
    authors: tuple[str, ...] = ()
    outlet: str | None = None
    published: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    url: str | None = None
    accessed: str | None = None  # YYYY-MM-DD (or YYYY, YYYY-MM)
    language: str | None = None  # id | en
    kind: str = "other"  # one of SOURCE_KINDS
    file: str | None = None  # the file name it was read from, if any


@record
class QuoteSpec:
    """A passage of a source given as its words (`quote`) or its offsets (`start`, `end`),
    and the facts it supports ("region", "partner", "date", "sector:tourism", ...)."""

    quote: str | None = None
    start: int | None = None
    end: int | None = None
    supports: tuple[str, ...] = ()


@record
class LocatedQuote:
    source_id: str
    quote: str  # the source's own words at [start, end)
    start: int
    end: int
    supports: tuple[str, ...] = ()


# --------------------------------------------------------------------------- helpers
def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def clean(value: str | None) -> str | None:
    """A one-line field as stored: NUL removed, NFC, whitespace collapsed; None if empty."""
    if value is None:
        return None
    text = normalise_ws(clean_user_text(value))
    return text or None


def sutils(conn: sqlite3.Connection) -> Any:
    """sqlite-utils over this connection (imported here: it costs ~65 ms to import)."""
    import sqlite_utils

    return sqlite_utils.Database(conn)


def writing(store: Store) -> Any:
    """`store.write()` with raw SQLite errors put in words (db.notes.writing)."""
    from paradiplo.db import notes

    return notes.writing(store)


# --------------------------------------------------------------------------- sources
def source_problems(src: NewSource) -> list[str]:
    """What is wrong with a new source's fields (empty when it can be added)."""
    problems = []
    if not src.text.strip():
        problems.append(_("the text is empty: nothing to add"))
    elif len(src.text) > MAX_SOURCE_CHARS:
        problems.append(
            _("the text is longer than {n} characters").format(n=number(MAX_SOURCE_CHARS))
        )
    if src.kind not in SOURCE_KINDS:
        problems.append(
            _("unknown kind '{kind}'; use one of {kinds}").format(
                kind=src.kind, kinds=", ".join(SOURCE_KINDS)
            )
        )
    if src.language is not None and src.language not in LANGUAGES:
        problems.append(
            _("unknown language '{language}'; use id or en").format(language=src.language)
        )
    for name, value in (("published", src.published), ("accessed", src.accessed)):
        if value:
            why = date_problem(value)
            if why:
                problems.append(f"{name}: {why}")
    if src.url and (any(ch.isspace() for ch in src.url) or "://" not in src.url):
        problems.append(_("url '{url}' is not a web address (https://...)").format(url=src.url))
    return problems


def source_id_for(src: NewSource) -> str:
    """The id a source gets: a slug of its title (or file) and a hash of its text."""
    digest = hashlib.sha1(src.text.encode("utf-8")).hexdigest()[:12]
    words = slugify(src.title or src.file or src.outlet or "source")[:40].strip("-")
    return f"user_{words}_{digest}"


def add_source(store: Store, src: NewSource) -> str:
    """Store a source's text verbatim (NUL removed, newlines as \\n), split into passages,
    indexed for search; returns its id. Raises CollectionError (nothing stored) for an empty
    text or a bad field, DuplicateSource if the same text is already a source."""
    text = clean_user_text(src.text)
    src = replace(src, text=text)
    problems = source_problems(src)
    if problems:
        raise CaseProblem(problems)
    sid = source_id_for(src)
    digest = sid.rsplit("_", 1)[1]
    stamp = now_iso()
    with writing(store) as w:
        for (existing,) in w.execute(
            "SELECT id FROM sources WHERE id = ? OR (substr(id, 1, 5) = 'user_'"
            " AND substr(id, -12) = ?)",
            (sid, digest),
        ).fetchall():
            raise DuplicateSource(existing)
        db = sutils(w)
        db["sources"].insert(
            {
                "id": sid,
                "file": src.file,
                "kind": src.kind,
                "title": clean(src.title),
                "outlet": clean(src.outlet),
                "authors": json.dumps(
                    [a for a in map(clean, src.authors) if a], ensure_ascii=False
                ),
                "published": src.published or None,
                "language": src.language,
                "text": text,
                "origin": "user",
                "added_at": stamp,
                "url": src.url or None,
                "accessed": src.accessed or None,
            }
        )
        db["passages"].insert_all(
            {"source_id": sid, "seq": i, "start": a, "end": b, "text": t}
            for i, (a, b, t) in enumerate(split_passages(text))
        )
        searchdocs.refresh_passages(w, [sid])
    return sid


def source_text(conn: sqlite3.Connection, source_id: str) -> str:
    row = conn.execute("SELECT text FROM sources WHERE id = ?", (source_id,)).fetchone()
    if row is None:
        raise NotFound(
            _("No source with id '{id}'. 'paradiplo-tui sources' lists them.").format(id=source_id)
        )
    return str(row[0] or "")


# --------------------------------------------------------------------------- quotes
_WORD = re.compile(r"\w+", re.UNICODE)


def nearest_passage(conn: sqlite3.Connection, source_id: str, quote: str) -> str | None:
    """The passage of a source sharing the most words with `quote` (None if it has none)."""
    wanted = {w.casefold() for w in _WORD.findall(quote)}
    best: tuple[float, str] | None = None
    for (passage,) in conn.execute(
        "SELECT text FROM passages WHERE source_id = ? ORDER BY seq", (source_id,)
    ):
        words = {w.casefold() for w in _WORD.findall(passage)}
        if not words:
            continue
        score = len(wanted & words) / (len(wanted) or 1) + 0.001 / len(words)
        if best is None or score > best[0]:
            best = (score, str(passage))
    if best is None:
        return None
    text = str(best[1])
    # Of a long passage, the sentence most like the quote.
    if len(text) > 240:
        sentences = re.split(r"(?<=[.!?])\s+", text)
        text = max(
            sentences,
            key=lambda s: len(wanted & {w.casefold() for w in _WORD.findall(s)}),
        )
    return text


def locate_quote(conn: sqlite3.Connection, source_id: str, spec: QuoteSpec) -> LocatedQuote:
    """Check a quote against its source's text and find its offsets (by words, ignoring
    whitespace, or by the offsets given). Raises QuoteNotFound naming the nearest passage."""
    text = source_text(conn, source_id)
    if spec.start is not None or spec.end is not None:
        start, end = spec.start, spec.end
        if start is None or end is None or not 0 <= start < end <= len(text):
            raise CollectionError(
                _(
                    "Offsets {start}-{end} are not a passage of source {id} (its text has {n} "
                    "characters)."
                ).format(start=spec.start, end=spec.end, id=source_id, n=len(text))
            )
        words = text[start:end]
        if not words.strip():
            raise CollectionError(
                _("Offsets {start}-{end} of source {id} hold no words.").format(
                    start=start, end=end, id=source_id
                )
            )
        if spec.quote and find_quote(words, spec.quote) is None:
            raise QuoteNotFound(source_id, spec.quote, words)
        return LocatedQuote(source_id, words, start, end, tuple(spec.supports))
    quote = clean_user_text(spec.quote or "").strip()
    if not quote:
        raise CollectionError(_("An empty quote: give the words of the source to cite."))
    found = find_quote(text, quote) if text else None
    if found is None:
        raise QuoteNotFound(source_id, quote, nearest_passage(conn, source_id, quote))
    start, end = found
    return LocatedQuote(source_id, text[start:end], start, end, tuple(spec.supports))


def passage_count(conn: sqlite3.Connection, source_id: str) -> int:
    """How many passages a source's text was split into."""
    row = conn.execute("SELECT count(*) FROM passages WHERE source_id = ?", (source_id,))
    return int(row.fetchone()[0])
