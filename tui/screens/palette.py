"""Command palette (Ctrl+P): find cases, regions, partners, sectors and sources by name.

Lookups run `queries.find_by_name` in a thread (with that thread's own connection), so typing
never waits on the database. Names are shown literally: the palette renders plain strings as
markup, so every prompt here is a `Content` and every help line is escaped.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from db import queries
from db.text import display_safe
from tui.widgets.dbwork import app_of

KIND_WORDS = {
    "case": "Case",
    "region": "Region",
    "partner": "Partner country",
    "sector": "Sector",
    "source": "Source",
}

# (label, help, method name on the app, argument)
COMMANDS: list[tuple[str, str, str, tuple[Any, ...]]] = [
    (
        "Search everything",
        "Full-text search of cases, passages, notes, terms (/)",
        "action_search",
        (),
    ),
    ("Sources", "Every source with its provenance (s)", "action_sources", ()),
    ("Glossary and legal bases", "Concepts the sources define (g)", "action_glossary", ()),
    ("Notes", "All your notes (N)", "action_notes", ()),
    ("Export notes as Markdown", "Write your notes to a Markdown file", "export_notes", ("md",)),
    ("Export notes as JSON", "Write your notes to a JSON file", "export_notes", ("json",)),
    ("Keys and help", "Every key binding in force (?)", "action_help", ()),
    ("Clear filters", "Show every case", "clear_filters", ()),
]


def _highlight(label: str, offsets: tuple[int, ...] | list[int]) -> Content:
    content = Content(label)
    for i in offsets:
        if 0 <= i < len(label) and not label[i].isspace():
            content = content.stylize("bold underline", i, i + 1)
    return content


class PaletteCommands(Provider):
    """Jump to a case, region, partner country, sector or source; run the app's commands."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        app = app_of(self.screen)
        out: list[tuple[str, str, Callable[[], Any]]] = []
        for label, help_text, method, args in COMMANDS:
            if method == "clear_filters":
                out.append((label, help_text, app.main.action_clear_filters))
            else:
                out.append((label, help_text, partial(getattr(app, method), *args)))
        return out

    async def discover(self) -> Hits:
        for label, help_text, callback in self._commands():
            yield DiscoveryHit(Content(label), callback, text=label, help=escape(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, help_text, callback in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(escape(label)),
                    callback,
                    text=label,
                    help=escape(help_text),
                )
        app = app_of(self.screen)
        text = query.strip()
        if not app.store_is_open or not text:
            return
        store = app.store
        rows = await asyncio.to_thread(lambda: queries.find_by_name(store.conn, text, 15))
        for kind, key, raw_label in rows:
            label = " ".join(display_safe(raw_label).split())
            score = matcher.match(label)
            _score, offsets = matcher.fuzzy_search.match(matcher.query, label)
            prompt = Content.assemble(
                (KIND_WORDS.get(kind, kind) + ": ", "dim"), _highlight(label, list(offsets))
            )
            yield Hit(
                max(score, 0.3),
                prompt,
                partial(self._jump, kind, key, label),
                text=f"{KIND_WORDS.get(kind, kind)}: {label}",
                help=escape(_help(kind)),
            )

    def _jump(self, kind: str, key: str, label: str) -> None:
        app: Any = self.app
        if kind == "case":
            app.open_case(key)
        elif kind == "source":
            app.open_source(key, None)
        elif kind in ("region", "partner", "sector"):
            app.apply_filter(kind, key, label.split(" / ")[0])


def _help(kind: str) -> str:
    return {
        "case": "Show this case",
        "region": "Filter the agreements to this region",
        "partner": "Filter the agreements to this partner country",
        "sector": "Narrow the agreements to this sector",
        "source": "Open this source in the reader",
    }.get(kind, "")
