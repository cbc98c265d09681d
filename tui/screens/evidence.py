"""Attach a selected passage to a case as evidence, choosing the facts it supports.

Type to narrow the cases (title, id, region or partner); ↑/↓ choose one; the facts of that case
are listed below (Space ticks one: the passage states the region, the partner, the date, a
sector…); Ctrl+S attaches. The passage is checked against the source's text by
`db.collection.attach_evidence` and stored with its offsets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from paradiplo.db.errors import ParadiploError
from paradiplo.db.i18n import _, data_label, ngettext, number, record_title
from paradiplo.db.store import Store
from paradiplo.db.text import fact_label
from paradiplo.tui.screens.form_dialog import FormDialog, Made, Refused, save_cancel_bindings
from paradiplo.tui.widgets.dbwork import DbResult, is_current, run_db
from paradiplo.tui.widgets.text import one_line


@dataclass
class CasesFound(DbResult):
    cases: list[tuple[str, str, str]]  # (id, title, origin)


@dataclass
class FactsRead(DbResult):
    case_id: str
    facts: list[tuple[str, str]]  # (supports key, what it says)


def case_facts(detail: Any) -> list[tuple[str, str]]:
    """The facts of a case a passage can support, each with what the case says, in the
    interface language (names and wordings as stated stay as they are)."""
    from paradiplo.db.datatext import actor_name
    from paradiplo.tui.widgets.case_sections import KIND_WORDS

    out: list[tuple[str, str]] = [("region", actor_name(detail.region))]
    if detail.partner is not None:
        out.append(("partner", actor_name(detail.partner)))
        if detail.partner.country_name:
            country = detail.partner.country_code
            out.append(
                ("partner_country", data_label("country", country, detail.partner.country_name))
            )
    if detail.partner_kind:
        kind = detail.partner_kind
        out.append(("partner_kind", _(KIND_WORDS[kind]) if kind in KIND_WORDS else kind))
    kind_label = data_label("type", detail.type, detail.type_label) if detail.type_label else None
    out.append(("type", kind_label or detail.type or _("not stated")))
    out.append(("date", detail.date_as_stated or detail.date or _("not stated")))
    out.append(("status", detail.status_as_stated or detail.status or _("not stated")))
    out.append(("title", data_label("case_title", detail.id, detail.title)))
    out += [(f"sector:{s.id}", data_label("sector", s.id, s.label_en)) for s in detail.sectors]
    return out


class AttachEvidenceScreen(FormDialog):
    """Choose a case and the facts the passage supports; dismissed with the case id."""

    DEFAULT_CSS = """
    AttachEvidenceScreen { align: center middle; }
    .attach-form #facts { height: 1fr; }
    #attach-quote { max-height: 3; color: $text-muted; margin-bottom: 1; }
    #attach-problem { height: auto; margin-top: 1; }
    .attach-form #case-choices { height: auto; max-height: 10; border: round $accent; }
    AttachEvidenceScreen.-short .dialog-title { margin-bottom: 0; }
    AttachEvidenceScreen.-short #attach-quote { max-height: 2; margin-bottom: 0; }
    AttachEvidenceScreen.-short .dialog-buttons Button { height: 1; border: none; min-width: 10; }
    AttachEvidenceScreen.-short #case-choices { max-height: 7; }
    AttachEvidenceScreen.-short #facts-title { display: none; }
    """

    BINDINGS = save_cancel_bindings("attach", "Attach")
    PROBLEM_ID = "attach-problem"

    def __init__(
        self,
        store: Store,
        source_id: str,
        passage: tuple[int, int],
        quote: str,
        case_id: str | None,
    ) -> None:
        super().__init__()
        self.store = store
        self.source_id = source_id
        self.passage = passage
        self.quote = quote
        self.first_case = case_id
        self.case_id: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog attach-form"):
            yield Static(
                Text(_("Attach the passage to a case"), style="bold"), classes="dialog-title"
            )
            q = Text("“", style="italic")
            q.append_text(one_line(self.quote, style="italic"))
            q.append("”")
            yield Static(q, id="attach-quote")
            yield Input(
                placeholder=_("type to find a case (title, region, partner, id)"),
                id="case-filter",
                compact=True,
            )
            yield OptionList(id="case-choices")
            yield Static(Text(_("It supports (Space ticks):"), style="bold"), id="facts-title")
            yield SelectionList[str](id="facts")
            yield Static(Text(), id="attach-problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Attach") + "  ^s", variant="primary", id="attach")
                yield Button(_("Cancel  esc"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#attach-problem").display = False
        self._find("")
        self.query_one("#case-filter", Input).focus()

    # ------------------------------------------------------------------------ cases
    def _find(self, text: str) -> None:
        first = self.first_case

        def load(store: Store) -> CasesFound:
            from paradiplo.db import ui_queries

            conn = store.conn
            cases = ui_queries.find_cases(conn, text.strip())
            if first and not text.strip():
                mine = [c for c in ui_queries.find_cases(conn, first, limit=5) if c[0] == first]
                cases = mine + [c for c in cases if c[0] != first]
            return CasesFound(cases)

        run_db(self, "attach-cases", load)

    @on(Input.Changed, "#case-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._find(event.value)

    @on(Input.Submitted, "#case-filter")
    def _to_list(self) -> None:
        self.query_one("#case-choices", OptionList).focus()

    def on_key(self, event: Any) -> None:
        if event.key == "down" and self.focused is self.query_one("#case-filter"):
            event.stop()
            event.prevent_default()
            self.query_one("#case-choices", OptionList).focus()

    def on_cases_found(self, message: CasesFound) -> None:
        if not is_current(self, message):
            return
        options = self.query_one("#case-choices", OptionList)
        options.clear_options()
        for cid, title, origin in message.cases:
            label = one_line(record_title("case", cid, title), style="bold")
            label.append_text(one_line(f"  {cid}", style="dim"))
            if origin == "user":
                label.append("  " + _("(yours)"), style="dim")
            label.no_wrap, label.overflow = True, "ellipsis"
            options.add_option(Option(label, id=cid))
        options.border_title = ngettext("{n} case", "{n} cases", len(message.cases)).format(
            n=number(len(message.cases))
        ) + (" " + _("(the first 50: type to narrow)") if len(message.cases) >= 50 else "")
        if message.cases:
            options.highlighted = 0
        else:
            self.case_id = None
            self.query_one("#facts", SelectionList).clear_options()

    @on(OptionList.OptionHighlighted, "#case-choices")
    def _case_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        case_id = event.option.id
        if not case_id or case_id == self.case_id:
            return
        self.case_id = case_id

        def load(store: Store) -> FactsRead:
            from paradiplo.db import queries

            return FactsRead(case_id, case_facts(queries.case_detail(store.conn, case_id)))

        run_db(self, "attach-facts", load)

    @on(OptionList.OptionSelected, "#case-choices")
    def _case_chosen(self) -> None:
        self.query_one("#facts", SelectionList).focus()

    def on_facts_read(self, message: FactsRead) -> None:
        if not is_current(self, message) or message.case_id != self.case_id:
            return
        facts = self.query_one("#facts", SelectionList)
        facts.clear_options()
        for key, says in message.facts:
            sector = {key.partition(":")[2]: says}  # a sector's fact is named by its label
            label = Text(fact_label(key, sector, _), style="bold")
            label.append(": ")
            label.append_text(one_line(says))
            facts.add_option((Content.from_rich_text(label), key))
        if facts.option_count:
            facts.highlighted = 0  # Space ticks the first fact at once

    # ----------------------------------------------------------------------- attach
    def action_save(self) -> None:
        if self.busy:
            return
        case_id = self.case_id
        if case_id is None:
            self.show_problem(_("Choose a case first."))
            return
        supports = tuple(self.query_one("#facts", SelectionList).selected)
        source_id, (start, end) = self.source_id, self.passage
        self.busy = True

        def save(store: Store) -> DbResult:
            from paradiplo.db import collection

            try:
                spec = collection.QuoteSpec(start=start, end=end, supports=supports)
                collection.attach_evidence(store, case_id, source_id, spec)
            except ParadiploError as exc:
                return Refused(str(exc))
            return Made(case_id)

        run_db(self, "attach-save", save)

    @on(Button.Pressed, "#attach")
    def _attach_pressed(self) -> None:
        self.action_save()
