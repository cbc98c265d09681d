"""The source reader: a source's full text with every evidence passage highlighted.

Opened from a quote it scrolls to that passage and marks it as the current one. `]`/`[` (or
Tab/Shift+Tab) step through the passages, `y` copies the current one with its citation, `n`
writes a note on it, Enter goes to the case it supports, Escape goes back to the case.
The text is split into paragraphs (one widget each) so a long source stays cheap to redraw.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from db import queries
from db.errors import ParadiploError
from db.models import Source, Span
from db.text import display_safe
from tui.widgets.dbwork import DbResult, app_of, db_work
from tui.widgets.keybar import KeyBar
from tui.widgets.text import one_line, plain

RECORD_WORDS = {
    "case": "case",
    "actor": "party",
    "person": "person",
    "event": "event",
    "legal_basis": "legal basis",
    "term": "glossary term",
}


@dataclass
class SourceLoaded(DbResult):
    source: Source
    spans: list[Span]
    titles: dict[str, str]


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int


def split_paragraphs(text: str) -> list[Paragraph]:
    """Paragraphs as (start, end) offsets into `text`, split at blank lines."""
    out: list[Paragraph] = []
    pos = 0
    n = len(text)
    while pos < n:
        nxt = text.find("\n\n", pos)
        end = n if nxt < 0 else nxt
        if text[pos:end].strip():
            out.append(Paragraph(pos, end))
        pos = end + 2 if nxt >= 0 else n
    return out or [Paragraph(0, n)]


def _wrap_starts(line: str, width: int) -> list[int]:
    """Offsets where each visual line starts when `line` is greedily word-wrapped."""
    starts = [0]
    col = 0
    for m in re.finditer(r"\S+\s*", line):
        word = len(m.group().rstrip())
        if col and col + word > width:
            starts.append(m.start())
            col = 0
        col += len(m.group())
    return starts


def line_of_offset(text: str, offset: int, width: int) -> int:
    """Which wrapped line (word wrap at `width`) holds `offset`: to scroll to a passage."""
    if width <= 0:
        return 0
    line = 0
    pos = 0
    for raw in text.split("\n"):
        starts = _wrap_starts(raw, width)
        if offset <= pos + len(raw):
            return line + max(0, bisect.bisect_right(starts, offset - pos) - 1)
        line += len(starts)
        pos += len(raw) + 1
    return line


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
    return names


class SourceText(VerticalScroll, can_focus=True):
    """The text: arrows scroll, the passage cursor is driven by the screen."""


class SourceReaderScreen(Screen[None]):
    """A source in full, with its evidence passages highlighted."""

    BINDINGS = [
        Binding("escape,backspace", "back", "Back", id="reader.back"),
        Binding(
            "right_square_bracket,tab",
            "passage(1)",
            "Next passage",
            key_display="]",
            id="reader.next",
        ),
        Binding(
            "left_square_bracket,shift+tab",
            "passage(-1)",
            "Prev passage",
            key_display="[",
            id="reader.prev",
        ),
        Binding("enter", "goto_record", "Go to case", id="reader.goto"),
        Binding("j", "scroll(1)", "Down", show=False, id="reader.down"),
        Binding("k", "scroll(-1)", "Up", show=False, id="reader.up"),
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
        yield Static(Text("Loading the source…", style="dim"), id="reader-head")
        yield SourceText(id="reader-text")
        yield Static(id="reader-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#reader-text").border_title = "Source"
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
        self.query_one("#reader-text").border_title = one_line(src.label)
        head = one_line(src.title or src.label, style="bold")
        head.append("\n")
        head.append_text(plain(src.citation, style="dim"))
        self.query_one("#reader-head", Static).update(head)
        text = display_safe(src.text)
        self.paragraphs = split_paragraphs(src.text)
        box = self.query_one(SourceText)
        await box.remove_children()
        await box.mount_all(
            [Static(Text(), classes="paragraph", markup=False) for _ in self.paragraphs]
        )
        del text
        if self.anchor_start is not None:
            self.current = self._passage_for(self.anchor_start, self.anchor_end)
        self._render_all()
        box.focus()
        if self.current >= 0:
            self.call_after_refresh(self._scroll_to_current)
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
        return text

    def _render_all(self) -> None:
        widgets = list(self.query(".paragraph").results(Static))
        for widget, para in zip(widgets, self.paragraphs, strict=False):
            widget.update(self._paragraph_text(para))

    def _render_passage(self, index: int) -> None:
        if not (0 <= index < len(self.passages)):
            return
        s, e = self.passages[index]
        widgets = list(self.query(".paragraph").results(Static))
        for widget, para in zip(widgets, self.paragraphs, strict=False):
            if not (e <= para.start or s >= para.end):
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
        if not self.passages:
            status.update(Text("This source has no cited passages.", style="dim"))
            return
        if self.current < 0:
            status.update(Text(f"{len(self.passages)} passages · ] next · [ previous", style="dim"))
            return
        s, e = self.passages[self.current]
        cites = [sp for sp in self.spans if sp.start == s and sp.end == e]
        text = Text(f"Passage {self.current + 1}/{len(self.passages)}", style="bold")
        text.append(" — cited for: ", style="dim")
        parts = []
        for sp in cites:
            word = RECORD_WORDS.get(sp.record_type, sp.record_type)
            name = self.titles.get(f"{sp.record_type}:{sp.record_id}", sp.record_id)
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
        if self.source is None or not (0 <= self.current < len(self.passages)):
            return None
        s, e = self.passages[self.current]
        return f"“{self.source.text[s:e]}” — {self.source.citation}"

    def focused_target(self) -> tuple[str, str, str, tuple[int, int, str] | None] | None:
        """A note on the current passage (anchored), or on the source when none is current."""
        if self.source is None:
            return None
        label = self.source.title or self.source.label
        if 0 <= self.current < len(self.passages):
            s, e = self.passages[self.current]
            return ("passage", self.source.id, label, (s, e, self.source.text[s:e]))
        return ("source", self.source.id, label, None)
