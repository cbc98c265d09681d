"""The glossary: concepts the sources define, and the laws, with quotes.

A law shows its official title, what the bundled sources claim about it (their quotes), and,
kept apart and marked as such, its status and description from outside the bundled texts with
their citations; laws no bundled text cites are listed as references. A term shows where the
sources disagree about it, each side with its quotes.

↑/↓ move, Enter opens the source at the first quote, `y` copies it, Escape goes back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from paradiplo.db import queries
from paradiplo.db.i18n import _, data_label
from paradiplo.db.laws import status_words
from paradiplo.db.models import Conflict, Evidence, GlossaryTerm, LegalBasis
from paradiplo.db.sourceread import shown_citation, shown_source_label
from paradiplo.tui.keys import back_binding, jk_bindings
from paradiplo.tui.screens.list_detail import ListDetailScreen
from paradiplo.tui.widgets.case_sections import legal_basis_text
from paradiplo.tui.widgets.dbwork import DbResult, app_of, db_work
from paradiplo.tui.widgets.text import one_line, plain


@dataclass
class GlossaryLoaded(DbResult):
    terms: list[GlossaryTerm]
    laws: list[LegalBasis]


def quotes_text(evidence: list[Evidence]) -> Text:
    text = Text()
    for i, e in enumerate(evidence, 1):
        text.append(f"\n{i}  “", style="bold")
        text.append_text(plain(e.quote or _("(the source as a whole)"), style="italic"))
        text.append("”\n   — ")
        text.append_text(plain(shown_citation(e.citation), style="dim"))
        text.append("\n")
    return text


def conflicts_text(conflicts: list[Conflict]) -> Text:
    """Where the sources disagree: the question, then each source's claim with its quotes."""
    text = Text()
    for k in conflicts:
        text.append("\n" + _("Sources disagree:") + " ", style="bold reverse")
        text.append(" ")
        text.append_text(plain(data_label("conflict_question", k.id, k.question), style="bold"))
        for c in k.claims:
            text.append("\n")
            text.append_text(one_line(f"{shown_source_label(c.source_label)}: ", style="bold"))
            text.append_text(plain(data_label("claim", c.id, c.claim)))
            for e in c.evidence:
                text.append("\n   “")
                text.append_text(plain(e.quote or "", style="italic"))
                text.append("”")
        if k.note:
            text.append("\n")
            text.append_text(plain(data_label("conflict_note", k.id, k.note), style="dim"))
        text.append("\n")
    return text


class GlossaryScreen(ListDetailScreen[None]):
    DEFAULT_CSS = "GlossaryScreen #glossary-body { height: 1fr; }"

    NAME = "glossary"
    BINDINGS = [
        back_binding("glossary"),
        *jk_bindings("glossary"),
    ]

    def __init__(self, term_id: str | None = None) -> None:
        super().__init__()
        self.want = term_id
        self.entries: dict[str, GlossaryTerm | LegalBasis] = {}

    def make_list(self, **kwargs: Any) -> Widget:
        return OptionList(**kwargs)

    def compose_detail(self) -> ComposeResult:
        yield Static(id="glossary-entry")

    def on_mount(self) -> None:
        self.query_one("#glossary-list").border_title = _("Glossary · laws")
        self.query_one("#glossary-detail").border_title = _("Definition and sources")
        self.load()
        self.query_one("#glossary-list").focus()

    @db_work("glossary")
    def load(self) -> GlossaryLoaded:
        conn = app_of(self).store.conn
        return GlossaryLoaded(queries.glossary(conn), queries.legal_bases(conn))

    def on_glossary_loaded(self, message: GlossaryLoaded) -> None:
        if message.stale:
            return
        options: list[Option | None] = []
        # Alphabetical in the interface language (the database orders the English terms).
        named = sorted(
            ((data_label("term", t.id, t.term), t) for t in message.terms),
            key=lambda pair: pair[0].casefold(),
        )
        for label, term in named:
            self.entries["t:" + term.id] = term
            prompt = one_line(label)
            if term.reference:
                prompt.append("  " + _("(reference)"), style="dim")
            options.append(Option(prompt, id="t:" + term.id))
        if message.laws:
            options.append(None)
            for law in message.laws:
                self.entries["l:" + law.id] = law
                mark = "  " + (_("(law)") if law.cited else _("(law; reference, not in the texts)"))
                prompt = one_line(law.short, style="bold") + Text(mark, style="dim")
                if law.reference is not None and law.reference.status in ("replaced", "revoked"):
                    prompt.append(f"  {status_words(law.reference.status)}", style="italic")
                options.append(Option(prompt, id="l:" + law.id))
        olist = self.query_one("#glossary-list", OptionList)
        olist.set_options(options)
        if self.want:
            self.select_term(self.want)
        elif message.terms or message.laws:
            olist.highlighted = 0

    def select_term(self, term_id: str) -> None:
        olist = self.query_one("#glossary-list", OptionList)
        for key in ("t:" + term_id, "l:" + term_id, term_id):
            if key in self.entries:
                olist.highlighted = olist.get_option_index(key)
                return

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        entry = self.entries.get(event.option.id or "")
        static = self.query_one("#glossary-entry", Static)
        if isinstance(entry, GlossaryTerm):
            static.update(
                Group(
                    one_line(data_label("term", entry.id, entry.term), style="bold"),
                    plain(data_label("term_definition", entry.id, entry.definition)),
                    quotes_text(entry.evidence),
                    conflicts_text(entry.conflicts),
                )
            )
        elif isinstance(entry, LegalBasis):
            heading = Text(
                _("What the bundled sources say about it") if entry.claims else "",
                style="underline",
            )
            static.update(
                Group(legal_basis_text(entry), Text(), heading, quotes_text(entry.evidence))
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        entry = self.entries.get(event.option.id or "")
        if entry is None or not entry.evidence:
            return
        e = entry.evidence[0]
        app_of(self).open_source(e.source_id, e.start)

    def current_quote_text(self) -> str | None:
        olist = self.query_one("#glossary-list", OptionList)
        option = olist.highlighted_option
        entry = self.entries.get(option.id or "") if option else None
        if entry is None or not entry.evidence or not entry.evidence[0].quote:
            return None
        e = entry.evidence[0]
        return f"“{e.quote}” — {e.citation}"

    def action_back(self) -> None:
        self.dismiss(None)

    def action_down(self) -> None:
        self.query_one("#glossary-list", OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one("#glossary-list", OptionList).action_cursor_up()
