"""The case form: add a case (from a passage of a source) or edit one of your own.

Fields: region, partner, partner country, partner kind, type, date, status, sectors, title.
Under each field a line says what the name resolves to before anything is saved
("→ Kota Bandung (Jawa Barat)", "ambiguous: Kota Malang / Kabupaten Malang"), read by
`db.collection.preview_case` in a thread a moment after typing stops. The region, the
country and the sectors complete: the names starting with what is typed appear inline (→ or
End takes one), and the list under the form shows every match (↓ goes there, Enter takes one).
A case with the same region, partner and type as an existing one is refused, naming it, with
a "Save anyway" choice. Ctrl+S saves, Escape cancels. Everything typed is data, never markup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.timer import Timer
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    OptionList,
    Select,
    SelectionList,
    Static,
)

from paradiplo.db.errors import ParadiploError
from paradiplo.db.i18n import N_, _, data_label
from paradiplo.db.store import Store
from paradiplo.tui.screens.case_hints import (
    COMPLETING,
    FIELD_LINES,
    CaseValues,
    CompletingForm,
    make_case_input,
    preview_lines,
    split_items,
)
from paradiplo.tui.screens.form_dialog import Made, save_cancel_bindings
from paradiplo.tui.widgets.dbwork import DbResult, is_current, run_db
from paradiplo.tui.widgets.text import one_line, plain

PREVIEW_DELAY_S = 0.25
PREVIEW_NOW_S = 0.01  # not 0: Textual's timer divides by its delay when it runs late
PARTNER_KIND_LABELS = {
    "sub_state": N_("sub-state government (a city, prefecture, state…)"),
    "state": N_("state (a national government)"),
    "non_state": N_("non-state body (a university, company, foundation…)"),
    "unknown": N_("not stated"),
}
FIELD_LABELS = {
    "region": N_("Region"),
    "partner": N_("Partner"),
    "partner_country": N_("Partner country"),
    "partner_kind": N_("Partner kind"),
    "type": N_("Type"),
    "date": N_("Date"),
    "status": N_("Status"),
    "sectors": N_("Sectors"),
    "title": N_("Title"),
}
PLACEHOLDERS = {
    "region": N_("Kota Bandung, Pemkot Surabaya, Jawa Timur, East Java…"),
    "partner": N_("Braunschweig, Kitakyushu City, Osaka Prefecture…"),
    "partner_country": N_("Germany / Jerman / DE"),
    "date": N_("YYYY, YYYY-MM or YYYY-MM-DD"),
    "status": N_("agreed, established, reported, proposed, explored…"),
    "sectors": N_("Tourism; Education (separate with ; or ,)"),
    "title": N_("left empty: made from region, partner and type"),
}


@dataclass
class FormChoices(DbResult):
    types: list[tuple[str, str]]  # (id, label)


@dataclass
class PreviewRead(DbResult):
    lines: dict[str, tuple[str, str]]  # field -> (style: ok|warn|error|info, text)
    problems: list[str]
    duplicates: list[tuple[str, str]]
    unlined: list[str]  # the problems no field's own line shows


@dataclass
class SuggestionRead(DbResult):
    values: CaseValues | None
    note: str


# What a passage can be ticked as supporting in the form ("sectors": each sector chosen).
PASSAGE_FACTS = (
    ("region", N_("the region")),
    ("partner", N_("the partner")),
    ("partner_country", N_("the partner's country")),
    ("type", N_("the type")),
    ("date", N_("the date")),
    ("status", N_("the status")),
    ("sectors", N_("the sectors")),
)
DEFAULT_SUPPORTS = ("region", "partner", "partner_country", "type")
# What an edit may change: the fields of CaseValues, named as `collection.update_case` takes them.
EDITED_FIELDS = (
    "region",
    "partner",
    "partner_country",
    "partner_kind",
    "type",
    "date",
    "status",
    "sectors",
    "title",
)


@dataclass
class SaveFailed(DbResult):
    message: str
    problems: list[str]
    duplicates: list[tuple[str, str]]


class CaseFormScreen(CompletingForm):
    """Add or edit a case; dismissed with the saved case's id (None when cancelled)."""

    DEFAULT_CSS = """
    CaseFormScreen { align: center middle; }
    .case-form #form-fields { height: 1fr; }
    #form-quote { max-height: 3; color: $text-muted; margin-bottom: 1; }
    #form-choices { height: auto; max-height: 8; border: round $accent; }
    #form-note, #form-problems { height: auto; margin-top: 1; }
    #form-duplicate { height: auto; margin-top: 1; }
    #form-duplicate #duplicate-text { width: 1fr; }
    #supports { height: auto; max-height: 9; }
    CaseFormScreen.-short .dialog-title { margin-bottom: 0; }
    CaseFormScreen.-short #form-quote { max-height: 2; margin-bottom: 0; }
    CaseFormScreen.-short #form-note { margin-top: 0; }
    CaseFormScreen.-short .dialog-buttons Button { height: 1; border: none; min-width: 10; }
    CaseFormScreen.-short #form-duplicate Button { height: 1; border: none; }
    #keep-ambiguous { margin-left: 17; }
    """

    BINDINGS = save_cancel_bindings("case_form", "Save")
    LEAVE_QUESTION = (
        N_("Leave the form?"),
        N_("What you typed in this form is not saved. Leave it anyway?"),
    )

    def __init__(
        self,
        store: Store,
        values: CaseValues,
        *,
        case_id: str | None = None,
        source_id: str | None = None,
        passage: tuple[int, int] | None = None,
        quote: str | None = None,
        heading: str = "",
        supports: tuple[str, ...] = DEFAULT_SUPPORTS,
        suggest: bool = False,
    ) -> None:
        super().__init__()
        self.store = store
        self.values = values
        self.initial = replace(values, sectors=list(values.sectors))
        self.prefilled: CaseValues | None = None
        self.case_id = case_id
        self.source_id = source_id
        self.passage = passage
        self.quote = quote
        self.heading = heading or (_("Edit case") if case_id else _("New case"))
        self.supports = supports
        self.suggest = suggest
        self.force = False
        self._preview_timer: Timer | None = None
        self.duplicates: list[tuple[str, str]] = []
        self.problems: list[str] = []

    # ------------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        v = self.values
        with Vertical(classes="dialog case-form"):
            yield Static(Text(self.heading, style="bold"), classes="dialog-title")
            if self.quote:
                q = Text("“", style="italic")
                q.append_text(one_line(self.quote, style="italic"))
                q.append("”")
                yield Static(q, id="form-quote")
            with VerticalScroll(id="form-fields"):
                yield Static(Text(), id="form-note")
                yield from self._field("region", v.region)
                yield Checkbox(
                    _("The source does not say which: keep the name as stated"),
                    value=v.keep_ambiguous,
                    compact=True,
                    id="keep-ambiguous",
                )
                for name in ("partner", "partner_country"):
                    yield from self._field(name, getattr(v, name))
                with Horizontal(classes="form-row"):
                    yield Label(_(FIELD_LABELS["partner_kind"]), classes="form-label")
                    yield Select(
                        [(Content(_(label)), kind) for kind, label in PARTNER_KIND_LABELS.items()],
                        value=v.partner_kind
                        if v.partner_kind in PARTNER_KIND_LABELS
                        else "unknown",
                        allow_blank=False,
                        compact=True,
                        id="partner_kind",
                    )
                with Horizontal(classes="form-row"):
                    yield Label(_(FIELD_LABELS["type"]), classes="form-label")
                    yield Select([], prompt=_("choose a type"), compact=True, id="type")
                yield Static(Text(), id="type-line", classes="form-line")
                for name in ("date", "status"):
                    yield from self._field(name, getattr(v, name))
                yield from self._field("sectors", "; ".join(v.sectors))
                yield from self._field("title", v.title)
                if self.passage is not None:
                    yield Label(_("The passage supports (Space ticks)"), classes="form-label-wide")
                    yield SelectionList[str](
                        *[
                            (Content(_(label)), key, key in self.supports)
                            for key, label in PASSAGE_FACTS
                        ],
                        id="supports",
                    )
            yield OptionList(id="form-choices")
            yield Static(Text(), id="form-problems")
            with Horizontal(id="form-duplicate"):
                yield Static(Text(), id="duplicate-text")
                yield Button(_("Save anyway"), variant="warning", id="save-anyway")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Save") + "  ^s", variant="primary", id="save")
                yield Button(_("Cancel  esc"), id="cancel")

    def _field(self, name: str, value: str) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Label(_(FIELD_LABELS[name]), classes="form-label")
            suggester = self.suggester_for(name)
            yield Input(
                value=value,
                placeholder=_(PLACEHOLDERS[name]) if name in PLACEHOLDERS else "",
                id=name,
                compact=True,
                suggester=suggester,
            )
        yield Static(Text(), id=f"{name}-line", classes="form-line")

    def on_mount(self) -> None:
        self.query_one("#form-duplicate").display = False
        for line in self.query(".form-line"):
            line.display = False  # until the preview says what the field resolves to
        keep = self.query_one("#keep-ambiguous", Checkbox)
        keep.display = keep.value  # shown when the region is ambiguous
        self.query_one("#form-choices", OptionList).display = False

        def load(store: Store) -> FormChoices:
            from paradiplo.db import places, ui_queries

            conn = store.conn
            places.for_connection(conn)  # load the gazetteer here, not on the first key
            return FormChoices(ui_queries.case_types(conn))

        run_db(self, "form-choices", load)
        self.query_one("#form-note").display = False
        if self.suggest and self.source_id and self.passage is not None:
            self._load_suggestion(self.source_id, *self.passage)
        self.query_one("#region", Input).focus()

    def _load_suggestion(self, source_id: str, start: int, end: int) -> None:
        def load(store: Store) -> SuggestionRead:
            from paradiplo.db import suggest

            found = suggest.suggest_for_passage(store.conn, source_id, start, end)
            if found is None:
                return SuggestionRead(
                    None,
                    _(
                        "The passage names no Indonesian region with a foreign partner and a "
                        "cooperation word: fill in the form yourself."
                    ),
                )
            from paradiplo.db import ui_queries

            labels = ui_queries.sector_labels(store.conn)
            region = found.region if found.region_code else found.region_as_stated
            values = CaseValues(
                region=region,
                partner=found.partner or "",
                partner_country=data_label(
                    "country",
                    found.partner_country,
                    found.partner_country_name or found.partner_country or "",
                ),
                partner_kind="sub_state" if found.partner else "unknown",
                type=found.type,
                sectors=[data_label("sector", s, labels.get(s, s)) for s in found.sectors],
            )
            note = _("Pre-filled from the passage (cue: “{cue}”); check every field.").format(
                cue=found.cue
            )
            return SuggestionRead(values, note)

        run_db(self, "form-suggest", load)

    def on_suggestion_read(self, message: SuggestionRead) -> None:
        if not is_current(self, message):
            return
        note = self.query_one("#form-note", Static)
        note.update(plain(message.note, style="dim"))
        note.display = True
        v = message.values
        if v is None:
            return
        for name in ("region", "partner", "partner_country", "date", "status", "title"):
            widget = self.query_one(f"#{name}", Input)
            value = getattr(v, name)
            if value and not widget.value.strip():
                widget.value = value
        sectors = self.query_one("#sectors", Input)
        if v.sectors and not sectors.value.strip():
            sectors.value = "; ".join(v.sectors)
        kind = self.query_one("#partner_kind", Select)
        if kind.value == "unknown" and v.partner_kind:
            kind.value = v.partner_kind
        self.values.type = self.values.type or v.type
        type_select = self.query_one("#type", Select)
        if v.type and type_select.is_blank():
            try:
                type_select.value = v.type
            except Exception:  # the types are not loaded yet: on_form_choices sets it
                pass
        self.query_one("#region", Input).cursor_position = 0
        self.query_one("#form-choices", OptionList).display = False
        self.call_after_refresh(self._remember_prefill)

    def _remember_prefill(self) -> None:
        """What the suggestion filled in: leaving it unchanged loses nothing typed."""
        self.prefilled = self.current_values()

    def on_form_choices(self, message: FormChoices) -> None:
        select = self.query_one("#type", Select)
        select.set_options(
            [(Content(data_label("type", tid, label)), tid) for tid, label in message.types]
        )
        wanted = self.values.type
        ids = {tid for tid, _ in message.types}
        by_label = {label.casefold(): tid for tid, label in message.types}
        chosen = wanted if wanted in ids else by_label.get(wanted.casefold())
        if chosen:
            select.value = chosen
        self._schedule_preview(now=True)

    # ------------------------------------------------------------------------ values
    def current_values(self) -> CaseValues:
        def text(name: str) -> str:
            return self.query_one(f"#{name}", Input).value.strip()

        kind = self.query_one("#partner_kind", Select).value
        type_ = self.query_one("#type", Select).value
        return CaseValues(
            region=text("region"),
            partner=text("partner"),
            partner_country=text("partner_country"),
            partner_kind=str(kind) if isinstance(kind, str) else "unknown",
            type=str(type_) if isinstance(type_, str) else "",
            date=text("date"),
            status=text("status"),
            sectors=split_items(text("sectors")),
            title=text("title"),
            keep_ambiguous=self.query_one("#keep-ambiguous", Checkbox).value,
        )

    def _case_input(self, values: CaseValues) -> Callable[[], Any]:
        """A maker of the form's `CaseInput`, to call in a worker (the ticks are read now)."""
        supports: tuple[str, ...] = ()
        if self.passage is not None:
            supports = tuple(self.query_one("#supports", SelectionList).selected)
        source_id, passage = self.source_id or "", self.passage
        return lambda: make_case_input(values, source_id, passage, supports)

    # ---------------------------------------------------------------------- preview
    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        name = event.input.id or ""
        self.force = False
        self._schedule_preview()
        if name in COMPLETING:
            self._complete(name, event.value)

    @on(Checkbox.Changed)
    @on(Select.Changed)
    def _select_changed(self) -> None:
        self.force = False
        self._schedule_preview()

    def _schedule_preview(self, *, now: bool = False) -> None:
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(
            PREVIEW_NOW_S if now else PREVIEW_DELAY_S, self._preview
        )

    def _preview(self) -> None:
        self._preview_timer = None
        values = self.current_values()
        case = self._case_input(values)
        exclude = self.case_id

        def load(store: Store) -> PreviewRead:
            from paradiplo.db import collection

            conn = store.conn
            ambiguous: Any = "keep" if values.keep_ambiguous else "error"
            p = collection.preview_case(conn, case(), ambiguous, exclude=exclude)
            if exclude:  # an edited case keeps its sources
                p = p.without("source")
            return PreviewRead(
                preview_lines(conn, p, values),
                list(p.problems),
                list(p.duplicates),
                list(p.without(*FIELD_LINES).problems),
            )

        run_db(self, "form-preview", load)

    def on_preview_read(self, message: PreviewRead) -> None:
        if not is_current(self, message):
            return
        styles = {"ok": "green", "warn": "yellow", "error": "red", "info": "dim"}
        for name in (
            "region",
            "partner",
            "partner_country",
            "type",
            "date",
            "status",
            "sectors",
            "title",
        ):
            line = message.lines.get(name)
            widget = self.query_one(f"#{name}-line", Static)
            if line is None:
                widget.update(Text())
                widget.display = False
                continue
            style, text = line
            widget.update(one_line(text, style=styles.get(style, "")))
            widget.display = True
        keep = self.query_one("#keep-ambiguous", Checkbox)
        region_line = message.lines.get("region", ("", ""))
        keep.display = keep.value or region_line[0] == "warn"
        self.problems = message.problems
        self.duplicates = message.duplicates
        self._show_problems(message.unlined, message.duplicates)

    def _show_problems(self, problems: list[str], duplicates: list[tuple[str, str]]) -> None:
        box = self.query_one("#form-problems", Static)
        if problems:
            text = Text()
            for i, p in enumerate(problems):
                if i:
                    text.append("\n")
                text.append("✗ ", style="bold red")
                text.append_text(plain(p))
            box.update(text)
            box.display = True
        else:
            box.update(Text())
            box.display = False
        dup = self.query_one("#form-duplicate")
        if duplicates:
            text = Text(
                _("Already in the collection with the same region, partner and type:") + " ",
                style="bold yellow",
            )
            text.append_text(one_line("; ".join(f"{title} ({cid})" for cid, title in duplicates)))
            self.query_one("#duplicate-text", Static).update(text)
            dup.display = True
        else:
            dup.display = False

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        # Enter in a field moves to the next one (Ctrl+S saves).
        self.focus_next()

    # ------------------------------------------------------------------------- save
    def action_save(self) -> None:
        if self.busy:
            return
        values = self.current_values()
        if not values.type:
            self._show_problems([_("Choose a type.")], [])
            self.query_one("#type", Select).focus()
            return
        self.busy = True
        force = self.force
        case_id = self.case_id
        new_case = self._case_input(values)
        before = self.initial
        ambiguous: Any = "keep" if values.keep_ambiguous else "error"

        def save(store: Store) -> DbResult:
            from paradiplo.db import collection

            try:
                made = new_case()
                if case_id is None:
                    case = made
                    if case.quotes and "sectors" in case.quotes[0].supports:
                        # "the sectors": each sector the case gets.
                        p = collection.preview_case(store.conn, replace(case, quotes=()), ambiguous)
                        q = case.quotes[0]
                        facts = [f for f in q.supports if f != "sectors"]
                        facts += [f"sector:{s}" for s in p.sector_ids]
                        case = replace(case, quotes=(replace(q, supports=tuple(facts)),))
                    return Made(collection.add_case(store, case, force=force, ambiguous=ambiguous))
                # Only what was changed: a generated title then follows the edit.
                changes: dict[str, Any] = {
                    name: getattr(values, name)
                    for name in EDITED_FIELDS
                    if getattr(values, name) != getattr(before, name)
                }
                if not changes:
                    return Made(case_id)
                dups = collection.preview_case(
                    store.conn, made, ambiguous, exclude=case_id
                ).duplicates
                if dups and not force:
                    raise collection.DuplicateCase(list(dups))
                collection.update_case(store, case_id, changes, ambiguous=ambiguous)
                return Made(case_id)
            except collection.DuplicateCase as exc:
                return SaveFailed(str(exc), [], list(exc.existing))
            except collection.CaseProblem as exc:
                return SaveFailed(str(exc), list(exc.problems), [])
            except ParadiploError as exc:
                return SaveFailed(str(exc), [str(exc)], [])

        run_db(self, "form-save", save)

    def on_save_failed(self, message: SaveFailed) -> None:
        self.busy = False
        if message.duplicates:
            self._show_problems([], message.duplicates)
            self.query_one("#save-anyway", Button).focus()
            return
        self._show_problems(message.problems or [message.message], [])

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#save-anyway")
    def _save_anyway(self) -> None:
        self.force = True
        self.action_save()

    def action_cancel(self) -> None:
        if not self.close_choices():
            super().action_cancel()

    def input_unsaved(self) -> bool:
        now = self.current_values()
        return now != self.initial and not (self.passage is not None and now == self.prefilled)
