"""Command palette (Ctrl+P): find regions, partners, countries, sectors, sources, laws,
glossary terms and cases by name.

Lookups run `db.palette.find` in a thread, so typing never waits on the database: words in
any order, each a prefix, through every written form of a name and the search synonyms. Names are shown literally: the palette renders plain strings as
markup, so every prompt here is a `Content` and every help line is escaped.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from paradiplo.db import palette
from paradiplo.db.i18n import N_, _, record_title
from paradiplo.db.text import display_safe
from paradiplo.tui.widgets.dbwork import app_of

KIND_WORDS = {
    "case": N_("Case"),
    "region": N_("Region"),
    "country": N_("Partner country"),
    "partner": N_("Partner"),
    "sector": N_("Sector"),
    "source": N_("Source"),
    "law": N_("Law"),
    "term": N_("Glossary"),
}

# The citation styles' names, shown in the palette's entries.
STYLE_LABELS = {
    "apa": N_("APA 7th edition"),
    "chicago": N_("Chicago author-date"),
    "apa-id": N_("APA 7th edition, Bahasa Indonesia"),
}

# (label, help, method name on the app, argument); label and help are translated where shown.
COMMANDS: list[tuple[str, str, str, tuple[Any, ...]]] = [
    (
        N_("Search everything"),
        N_("Full-text search of cases, passages, notes, terms and laws (/)"),
        "action_search",
        (),
    ),
    (N_("Sources"), N_("Every source with its provenance (s)"), "action_sources", ()),
    (N_("Glossary and legal bases"), N_("Concepts the sources define (g)"), "action_glossary", ()),
    (N_("Notes"), N_("All your notes (N)"), "action_notes", ()),
    (
        N_("Export notes as Markdown"),
        N_("Write your notes to a Markdown file"),
        "export_notes",
        ("md",),
    ),
    (N_("Export notes as JSON"), N_("Write your notes to a JSON file"), "export_notes", ("json",)),
    (N_("Keys and help"), N_("Every key binding in force (?)"), "action_help", ()),
    *(
        (
            N_("Citation style: {label}"),
            N_("y and c copy citations in {label}"),
            "set_cite_style",
            (sid,),
        )
        for sid in STYLE_LABELS
    ),
    (N_("Clear filters"), N_("Show every case"), "clear_filters", ()),
    # Bilingual as it stands: found by either language's words.
    (
        "Language: English / Bahasa Indonesia",
        "Switch the interface language (Ganti bahasa antarmuka)",
        "action_switch_language",
        (),
    ),
]


_WORD = re.compile(r"\w+")


def _highlight(label: str, query: str) -> Content:
    """The label with each word that starts with a typed word underlined."""
    typed = [w.casefold() for w in _WORD.findall(query)]
    content = Content(label)
    for m in _WORD.finditer(label):
        if any(m.group().casefold().startswith(t) for t in typed):
            content = content.stylize("bold underline", m.start(), m.end())
    return content


class PaletteCommands(Provider):
    """Jump to a case, region, partner country, sector or source; run the app's commands."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        app = app_of(self.screen)
        out: list[tuple[str, str, Callable[[], Any]]] = []
        for label, help_text, method, args in COMMANDS:
            if method == "set_cite_style":
                style = _(STYLE_LABELS[args[0]])
                label, help_text = _(label).format(label=style), _(help_text).format(label=style)
            elif method != "action_switch_language":
                label, help_text = _(label), _(help_text)
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
        rows = await asyncio.to_thread(lambda: palette.find(store.conn, text, 20))
        for hit in rows:
            shown = record_title(hit.kind, hit.key, hit.label)
            label = " ".join(display_safe(shown).split())
            word = _(KIND_WORDS.get(hit.kind, hit.kind))
            prompt = Content.assemble((word + ": ", "dim"), _highlight(label, text))
            detail = " ".join(display_safe(hit.detail).split())
            yield Hit(
                hit.score,
                prompt,
                partial(self._jump, hit.kind, hit.key, label),
                text=f"{word}: {label}",
                help=escape(" · ".join(x for x in (detail, _help(hit.kind)) if x)),
            )

    def _jump(self, kind: str, key: str, label: str) -> None:
        app: Any = self.app
        if kind == "case":
            app.open_case(key)
        elif kind == "source":
            app.open_source(key, None)
        elif kind in ("law", "term"):
            app.action_glossary(key)
        elif kind in ("country", "partner"):
            app.apply_filter("partner", key, label.split(" / ")[0])
        elif kind in ("region", "sector"):
            app.apply_filter(kind, key, label.split(" / ")[0])


def _help(kind: str) -> str:
    text = {
        "case": N_("Show this case"),
        "region": N_("Filter the agreements to this region"),
        "country": N_("Filter the agreements to this partner country"),
        "partner": N_("Filter the agreements to this partner"),
        "law": N_("Show this legal basis"),
        "term": N_("Show this glossary term"),
        "sector": N_("Narrow the agreements to this sector"),
        "source": N_("Open this source in the reader"),
    }.get(kind, "")
    return _(text) if text else text
