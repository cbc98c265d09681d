"""The source reader: a source's full text with every evidence passage highlighted.

Opened from a quote it scrolls to that passage and marks it as the current one. `]`/`[` (or
Tab/Shift+Tab) step through the passages, `y` copies the current one with its citation, `n`
writes a note on it, Enter goes to the case it supports, Escape goes back to the case.
The text is split into paragraphs (one widget each) so a long source stays cheap to redraw.

A passage of one's own is selected with `m` (the sentence at the reading position, or the
current cited passage), then Shift+↓/↑ (a sentence) and Shift+→/← (a word) move its end, `o`
swaps its ends, ↓/↑ move it to the next/previous sentence; or with the mouse (drag). `a`
attaches the selection to a case as evidence, `c` starts a new case from it (the form is
pre-filled from what the suggestion finder reads in that passage): see reader_selection.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Static

from paradiplo.db import queries
from paradiplo.db.errors import ParadiploError
from paradiplo.db.i18n import N_, _, data_label, number
from paradiplo.db.models import Source, Span
from paradiplo.db.sourceread import shown_citation, shown_source_label
from paradiplo.db.text import display_safe
from paradiplo.tui.citing import QuoteCite
from paradiplo.tui.keys import back_binding, jk_bindings, step_bindings
from paradiplo.tui.screens.reader_selection import (
    Paragraph,
    ParagraphText,
    PassageSelecting,
    SourceText,
    extend_bindings,
    line_of_offset,
    split_paragraphs,
)
from paradiplo.tui.widgets.dbwork import DbResult, app_of, db_work
from paradiplo.tui.widgets.keybar import KeyBar
from paradiplo.tui.widgets.passage import (
    preview,
)
from paradiplo.tui.widgets.text import one_line, plain

# How the passage being selected is drawn (readable on the dark and the light theme).
SELECTION_STYLE = "black on #ffd75f"

RECORD_WORDS = {
    "case": N_("case"),
    "actor": N_("party"),
    "person": N_("person"),
    "event": N_("event"),
    "legal_basis": N_("legal basis"),
    "term": N_("glossary term"),
    "claim": N_("the source's claim about"),
    "source": N_("provenance"),
}


@dataclass
class SourceLoaded(DbResult):
    source: Source
    spans: list[Span]
    titles: dict[str, str]


@dataclass
class SpansLoaded(DbResult):
    spans: list[Span]
    titles: dict[str, str]


def record_names(conn: Any, spans: list[Span]) -> dict[str, str]:
    """Readable names for the records the passages support, keyed 'type:id'."""
    names: dict[str, str] = {}
    wanted = {(s.record_type, s.record_id) for s in spans}
    for kind in ("term", "legal_basis"):
        if any(k == kind for k, _ in wanted):
            if kind == "term":
                names.update({f"term:{t.id}": t.term for t in queries.glossary(conn)})
            else:
                names.update({f"legal_basis:{lb.id}": lb.short for lb in queries.legal_bases(conn)})
    for kind, rid in sorted(wanted):
        if kind != "case":
            continue
        try:
            d = queries.case_detail(conn, rid)
        except ParadiploError:
            continue
        names[f"case:{rid}"] = d.title
        for actor in (d.region, d.partner, d.facilitator):
            if actor is not None:
                names[f"actor:{actor.id}"] = actor.name
        names.update({f"person:{p.id}": p.name for p in d.people})
        names.update({f"event:{e.id}": e.date_as_stated or e.description for e in d.events})
    if any(k == "claim" for k, _ in wanted):
        from paradiplo.db import laws

        topics = {f"law:{lb.id}": lb.short for lb in queries.legal_bases(conn)}
        topics.update({f"term:{t.id}": t.term for t in queries.glossary(conn)})
        for kind, rid in wanted:
            if kind == "claim":
                about = [c.about for c in laws.claims_about_ids(conn, [rid])]
                labels = [topics.get(t, t) for ts in about for t in ts]
                names[f"claim:{rid}"] = ", ".join(labels) or rid
    return names


class SourceReaderScreen(PassageSelecting):
    """A source in full, with its evidence passages highlighted."""

    DEFAULT_CSS = """
    SourceReaderScreen #reader-head { height: auto; max-height: 6; padding: 0 1; background: $boost; }
    SourceReaderScreen #reader-text {
        height: 1fr;
        border: round $accent;
        border-title-color: $accent;
        padding: 0 2;
        background: $surface;
    }
    SourceReaderScreen .paragraph { margin-bottom: 1; max-width: 100; }
    SourceReaderScreen #reader-status { height: auto; max-height: 3; padding: 0 1; background: $boost; }
    SourceReaderScreen.-short #reader-head { max-height: 2; }
    SourceReaderScreen.-short #reader-status { max-height: 2; }
    """

    BINDINGS = [
        back_binding("reader", "escape,backspace"),
        *step_bindings(
            "passage({})",
            (N_("Next passage"), N_("Prev passage")),
            ("reader.next", "reader.prev"),
            also=("tab", "shift+tab"),
        ),
        Binding("enter", "goto_record", "Go to case", id="reader.goto"),
        *jk_bindings("reader", "scroll(1)", "scroll(-1)"),
        Binding(
            "m",
            "mark",
            "Select",
            tooltip=N_("Select a passage (the sentence at the reading position); m again: clear"),
            id="reader.mark",
        ),
        *extend_bindings("reader"),
        Binding("o", "sel_swap", "Other end", show=False, id="reader.sel_swap"),
        Binding(
            "a",
            "attach",
            "Attach to case",
            tooltip=N_("Attach the selected passage to a case as evidence"),
            id="reader.attach",
        ),
        Binding(
            "c",
            "new_case",
            "New case",
            tooltip=N_("Start a new case from the selected passage"),
            id="reader.new_case",
        ),
    ]

    def __init__(
        self,
        source_id: str,
        anchor_start: int | None = None,
        case_id: str | None = None,
        anchor_end: int | None = None,
    ) -> None:
        super().__init__()
        self.source_id = source_id
        self.anchor_start = anchor_start
        self.anchor_end = anchor_end
        self.case_id = case_id
        self.source: Source | None = None
        self.spans: list[Span] = []
        self.passages: list[tuple[int, int]] = []
        self.current = -1
        self.paragraphs: list[Paragraph] = []
        self.titles: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static(Text(_("Loading the source…"), style="dim"), id="reader-head")
        yield SourceText(id="reader-text")
        yield Static(id="reader-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#reader-text").border_title = _("Source")
        self.watch(self, "selections", self._mouse_selected, init=False)
        self.load(self.source_id)

    @db_work("reader")
    def load(self, source_id: str) -> SourceLoaded:
        conn = app_of(self).store.conn
        spans = queries.source_spans(conn, source_id)
        return SourceLoaded(queries.get_source(conn, source_id), spans, record_names(conn, spans))

    async def on_source_loaded(self, message: SourceLoaded) -> None:
        if message.stale:
            return
        self.source = message.source
        self.spans = message.spans
        self.titles = message.titles
        self.passages = sorted({(s.start, s.end) for s in message.spans})
        src = message.source
        self.query_one("#reader-text").border_title = one_line(shown_source_label(src.label))
        head = one_line(src.title or src.label, style="bold")
        head.append("\n")
        head.append_text(plain(shown_citation(src.citation), style="dim"))
        self.query_one("#reader-head", Static).update(head)
        text = display_safe(src.text)
        self.paragraphs = split_paragraphs(src.text)
        box = self.query_one(SourceText)
        await box.remove_children()
        await box.mount_all([ParagraphText(i) for i in range(len(self.paragraphs))])
        del text
        self._sentences = None
        self.sel_anchor = self.sel_head = None
        self.mouse_range = None
        if self.anchor_start is not None:
            self.current = self._passage_for(self.anchor_start, self.anchor_end)
        self._render_all()
        box.focus()
        if self.current >= 0:
            self.call_after_refresh(self._scroll_to_current)
        self._status()

    def data_changed(self) -> None:
        """Another process changed the database: show the passages cited now (a case added
        from the command line underlines its quote), keeping the place and the selection."""
        if self.source is not None:
            self.load_spans(self.source_id)

    @db_work("reader-spans")
    def load_spans(self, source_id: str) -> SpansLoaded:
        conn = app_of(self).store.conn
        spans = queries.source_spans(conn, source_id)
        return SpansLoaded(spans, record_names(conn, spans))

    def on_spans_loaded(self, message: SpansLoaded) -> None:
        if message.stale or self.source is None:
            return
        passages = sorted({(s.start, s.end) for s in message.spans})
        if passages == self.passages and message.titles == self.titles:
            self.spans = message.spans
            self._status()
            return
        current = self.passages[self.current] if 0 <= self.current < len(self.passages) else None
        self.spans, self.titles, self.passages = message.spans, message.titles, passages
        self.current = passages.index(current) if current in passages else -1
        self._render_all()
        self._status()

    def _passage_for(self, start: int, end: int | None) -> int:
        """The passage the reader was opened at: the exact one, else one holding `start`,
        else the next one after it (-1 when the source has none)."""
        exact = [i for i, (s, e) in enumerate(self.passages) if s == start]
        if exact:
            same_end = [i for i in exact if self.passages[i][1] == end]
            return (same_end or exact)[0]
        holding = [i for i, (s, e) in enumerate(self.passages) if s <= start < e]
        if holding:  # the shortest passage around it
            return min(holding, key=lambda i: self.passages[i][1] - self.passages[i][0])
        after = [i for i, (s, _e) in enumerate(self.passages) if s >= start]
        return after[0] if after else -1

    # -------------------------------------------------------------------------- drawing
    def _paragraph_text(self, para: Paragraph) -> Text:
        assert self.source is not None
        raw = self.source.text
        text = Text(display_safe(raw[para.start : para.end]))
        # Offsets shift if display_safe removed characters; only highlight when they did not.
        exact = len(text.plain) == para.end - para.start
        if exact:
            for i, (s, e) in enumerate(self.passages):
                if e <= para.start or s >= para.end:
                    continue
                a, b = max(s, para.start) - para.start, min(e, para.end) - para.start
                style = "bold reverse" if i == self.current else "underline"
                text.stylize(style, a, b)
            sel = self.keyboard_range()
            if sel is not None and sel[0] < para.end and sel[1] > para.start:
                a, b = max(sel[0], para.start) - para.start, min(sel[1], para.end) - para.start
                text.stylize(SELECTION_STYLE, a, b)
        return text

    def _render_all(self) -> None:
        widgets = list(self.query(".paragraph").results(Static))
        for widget, para in zip(widgets, self.paragraphs, strict=False):
            widget.update(self._paragraph_text(para))

    def _render_passage(self, index: int) -> None:
        if not (0 <= index < len(self.passages)):
            return
        self._render_range(*self.passages[index])

    def _render_range(self, s: int, e: int) -> None:
        widgets = list(self.query(".paragraph").results(Static))
        for widget, para in zip(widgets, self.paragraphs, strict=False):
            if not (e < para.start or s > para.end):
                widget.update(self._paragraph_text(para))

    def _scroll_to_current(self) -> None:
        if not (0 <= self.current < len(self.passages)):
            return
        start, _end = self.passages[self.current]
        widgets = list(self.query(".paragraph").results(Static))
        for widget, para in zip(widgets, self.paragraphs, strict=False):
            if para.start <= start < para.end:
                box = self.query_one(SourceText)
                width = widget.content_region.width or widget.size.width
                raw = display_safe(self.source.text[para.start : para.end]) if self.source else ""
                line = line_of_offset(raw, start - para.start, width)
                y = widget.virtual_region.y + line
                box.scroll_to(y=max(y - box.size.height // 3, 0), animate=False, immediate=True)
                return

    def _status(self) -> None:
        status = self.query_one("#reader-status", Static)
        chosen = self.selected_range()
        if chosen is not None and self.source is not None:
            s, e = chosen
            text = Text(_("Selected:") + " ", style="bold")
            text.append_text(one_line(f"“{preview(self.source.text[s:e])}”", style="italic"))
            text.append(
                "  " + _("a attach to a case · c new case · shift+arrows change · Esc clear"),
                style="dim",
            )
            status.update(text)
            return
        if not self.passages:
            status.update(
                Text(
                    _(
                        "This source has no cited passages yet · m selects a passage "
                        "(then c takes a case from it, a attaches it to a case)"
                    ),
                    style="dim",
                )
            )
            return
        if self.current < 0:
            status.update(
                Text(
                    _("{n} passages · ] next · [ previous").format(n=number(len(self.passages))),
                    style="dim",
                )
            )
            return
        s, e = self.passages[self.current]
        cites = [sp for sp in self.spans if sp.start == s and sp.end == e]
        text = Text(
            _("Passage {n}/{total}").format(n=self.current + 1, total=len(self.passages)),
            style="bold",
        )
        text.append(" — " + _("cited for:") + " ", style="dim")
        parts = []
        for sp in cites:
            word = _(RECORD_WORDS.get(sp.record_type, sp.record_type))
            name = self.titles.get(f"{sp.record_type}:{sp.record_id}", sp.record_id)
            if sp.record_type == "case":
                name = data_label("case_title", sp.record_id, name)
            parts.append(f"{word} {name}")
        text.append_text(one_line("; ".join(dict.fromkeys(parts))))
        status.update(text)

    # -------------------------------------------------------------------------- actions
    def action_passage(self, step: int) -> None:
        if not self.passages:
            return
        old = self.current
        if self.current < 0:
            self.current = 0 if step > 0 else len(self.passages) - 1
        else:
            self.current = (self.current + step) % len(self.passages)
        self._render_passage(old)
        self._render_passage(self.current)
        self._scroll_to_current()
        self._status()

    def action_scroll(self, step: int) -> None:
        self.query_one(SourceText).scroll_relative(y=step, animate=False)

    def action_back(self) -> None:
        if self.selected_range() is not None:
            self.clear_passage_selection()
            return
        self.dismiss(None)

    def action_goto_record(self) -> None:
        """Enter: the case this passage supports (or the one we came from)."""
        case_id = self._passage_case()
        if case_id is None:
            self.notify("This passage supports no case directly.")
            return
        app_of(self).open_case(case_id)

    def _passage_case(self) -> str | None:
        if not (0 <= self.current < len(self.passages)):
            return self.case_id
        s, e = self.passages[self.current]
        cases = [
            sp.record_id
            for sp in self.spans
            if sp.start == s and sp.end == e and sp.record_type == "case"
        ]
        if self.case_id in cases:
            return self.case_id
        return cases[0] if cases else self.case_id

    # -------------------------------------------------------------------- for the app
    def current_quote_text(self) -> str | None:
        if self.source is None:
            return None
        chosen = self.selected_range()
        if chosen is None and not (0 <= self.current < len(self.passages)):
            return None
        s, e = chosen or self.passages[self.current]
        return f"“{self.source.text[s:e]}” — {self.source.citation}"

    def current_quote_ref(self) -> QuoteCite | None:
        """The current passage, for `y` and `c` (cite it)."""
        if self.source is None or not (0 <= self.current < len(self.passages)):
            return None
        s, e = self.passages[self.current]
        return QuoteCite(self.source.id, self.source.text[s:e])

    def focused_target(self) -> tuple[str, str, str, tuple[int, int, str] | None] | None:
        """A note on the current passage (anchored), or on the source when none is current."""
        if self.source is None:
            return None
        label = self.source.title or self.source.label
        chosen = self.selected_range()
        if chosen is not None or 0 <= self.current < len(self.passages):
            s, e = chosen or self.passages[self.current]
            return ("passage", self.source.id, label, (s, e, self.source.text[s:e]))
        return ("source", self.source.id, label, None)
