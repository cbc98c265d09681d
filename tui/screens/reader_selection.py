"""Selecting a passage of one's own in the source reader: `m` selects the sentence at the
reading position (or the current cited passage), Shift+↓/↑ (a sentence) and Shift+→/← (a word)
move its end, `o` swaps its ends, ↓/↑ move it a sentence; the mouse selects too. `a` attaches
the selection to a case as evidence, `c` starts a new case from it. The text's widgets (one per
paragraph) and where an offset is drawn are here too."""

from __future__ import annotations

import bisect
import re
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from paradiplo.db.i18n import N_
from paradiplo.db.models import Source
from paradiplo.db.record import record
from paradiplo.tui.widgets.passage import (
    Sentence,
    line_col_offset,
    sentence_at,
    sentences,
    step_sentence,
    step_word,
    trimmed,
)

# Shift+arrows move the selection's end (`sel_extend`): (key, unit, step, label).
EXTEND_KEYS = (
    ("shift+down", "sentence", 1, N_("Selection: end one sentence further")),
    ("shift+up", "sentence", -1, N_("Selection: end one sentence back")),
    ("shift+right", "word", 1, N_("Selection: end one word further")),
    ("shift+left", "word", -1, N_("Selection: end one word back")),
)
# What `a` and `c` say when no passage is selected: how to select one (by action).
HOW_TO_SELECT = {
    "attach": N_(
        "Select a passage first: m (then Shift+arrows), or drag with the mouse; "
        "then a attaches it to a case."
    ),
    "new_case": N_(
        "Select a passage first: m (then Shift+arrows), or drag with the mouse; "
        "then c starts a case from it."
    ),
}


def extend_bindings(prefix: str) -> list[Binding]:
    """The Shift+arrow keys (not in the key bar), with the ids `prefix.sel_sentence_next`,
    `prefix.sel_sentence_prev`, `prefix.sel_word_next` and `prefix.sel_word_prev`."""
    return [
        Binding(
            key,
            f"sel_extend('{unit}', {step})",
            label,
            show=False,
            id=f"{prefix}.sel_{unit}_{'next' if step > 0 else 'prev'}",
        )
        for key, unit, step, label in EXTEND_KEYS
    ]


@record
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


class ParagraphText(Static):
    """One paragraph of the source text (the mouse can select in it)."""

    def __init__(self, index: int) -> None:
        super().__init__(Text(), classes="paragraph", markup=False)
        self.index = index


class SourceText(VerticalScroll, can_focus=True):
    """The text: arrows scroll, the passage cursor is driven by the screen; while a passage
    is being selected, ↓/↑ move the selection to the next/previous sentence instead."""

    def action_scroll_down(self) -> None:
        screen = self.screen
        if isinstance(screen, PassageSelecting) and screen.selecting:
            screen.action_sel_move(1)
        else:
            super().action_scroll_down()

    def action_scroll_up(self) -> None:
        screen = self.screen
        if isinstance(screen, PassageSelecting) and screen.selecting:
            screen.action_sel_move(-1)
        else:
            super().action_scroll_up()


class PassageSelecting(Screen[None]):
    """The reader's passage selection; the reader (a subclass) loads the source, draws the
    paragraphs (`_render_range`) and the status line (`_status`)."""

    source: Source | None
    paragraphs: list[Paragraph]
    passages: list[tuple[int, int]]  # the cited passages, `current` the one at the cursor
    current: int
    case_id: str | None

    def __init__(self) -> None:
        super().__init__()
        # The passage being selected: anchor and head offsets (keyboard), or the mouse's.
        self.sel_anchor: int | None = None
        self.sel_head: int | None = None
        self.mouse_range: tuple[int, int] | None = None
        self._sentences: list[Sentence] | None = None

    def _render_range(self, s: int, e: int) -> None:
        raise NotImplementedError

    def _status(self) -> None:
        raise NotImplementedError

    @property
    def selecting(self) -> bool:
        """A passage is being selected with the keyboard."""
        return self.sel_anchor is not None and self.sel_head is not None

    def keyboard_range(self) -> tuple[int, int] | None:
        if self.source is None or self.sel_anchor is None or self.sel_head is None:
            return None
        s, e = trimmed(self.source.text, self.sel_anchor, self.sel_head)
        return (s, e) if e > s else None

    def selected_range(self) -> tuple[int, int] | None:
        """The passage selected (by the mouse or the keyboard) as offsets, or None."""
        if self.mouse_range is not None:
            return self.mouse_range
        return self.keyboard_range()

    def select_passage(self, start: int, end: int) -> None:
        """Select text[start:end] as if by the keyboard (anchor at start, head at end)."""
        self._set_selection(start, end)

    def clear_passage_selection(self) -> None:
        self.mouse_range = None
        if self.selections:
            self.clear_selection()
        self._set_selection(None, None)

    def sentence_list(self) -> list[Sentence]:
        if self._sentences is None:
            text = self.source.text if self.source else ""
            self._sentences = sentences(text, [(p.start, p.end) for p in self.paragraphs])
        return self._sentences

    def _set_selection(self, anchor: int | None, head: int | None) -> None:
        old = self.keyboard_range()
        self.sel_anchor, self.sel_head = anchor, head
        new = self.keyboard_range()
        for r in (old, new):
            if r is not None:
                self._render_range(*r)
        if head is not None:
            self._scroll_to_offset(head)
        self._status()
        self.refresh_bindings()

    def _reading_offset(self) -> int:
        """Where a new selection starts: the current cited passage when it is on screen,
        else the first sentence shown at the top of the text."""
        box = self.query_one(SourceText)
        top = box.scroll_y
        widgets = list(self.query(ParagraphText))
        for widget in widgets:
            region = widget.virtual_region
            if region.y + region.height <= top or widget.index >= len(self.paragraphs):
                continue
            para = self.paragraphs[widget.index]
            if region.y >= top:
                return para.start
            width = widget.content_region.width or widget.size.width
            raw = self.source.text[para.start : para.end] if self.source else ""
            for sentence in self.sentence_list():
                if para.start <= sentence.start < para.end:
                    line = line_of_offset(raw, sentence.start - para.start, width)
                    if region.y + line >= top:
                        return sentence.start
            return para.start
        return 0

    def _start_selection(self) -> bool:
        """Begin a selection (adopting the mouse's, if any). False when there is no text."""
        if self.source is None or not self.source.text.strip():
            return False
        if self.mouse_range is not None:
            s, e = self.mouse_range
            self.mouse_range = None
            self.clear_selection()
            self._set_selection(s, e)
            return True
        if 0 <= self.current < len(self.passages) and self._on_screen(self.passages[self.current]):
            self._set_selection(*self.passages[self.current])
            return True
        items = self.sentence_list()
        i = sentence_at(items, self._reading_offset())
        if i < 0:
            return False
        self._set_selection(items[i].start, items[i].end)
        return True

    def _on_screen(self, span: tuple[int, int]) -> bool:
        box = self.query_one(SourceText)
        top, bottom = box.scroll_y, box.scroll_y + box.size.height
        y = self._offset_y(span[0])
        return y is not None and top <= y < bottom

    def _offset_y(self, offset: int) -> int | None:
        """The virtual line of the text box where `offset` is drawn."""
        for widget in self.query(ParagraphText):
            if widget.index >= len(self.paragraphs):
                continue
            para = self.paragraphs[widget.index]
            if para.start <= offset <= para.end:
                width = widget.content_region.width or widget.size.width
                raw = self.source.text[para.start : para.end] if self.source else ""
                return widget.virtual_region.y + line_of_offset(raw, offset - para.start, width)
        return None

    def _scroll_to_offset(self, offset: int) -> None:
        box = self.query_one(SourceText)
        y = self._offset_y(offset)
        if y is None or not box.size.height:
            return
        top, height = box.scroll_y, box.size.height
        if y < top:
            box.scroll_to(y=max(y - 1, 0), animate=False, immediate=True)
        elif y >= top + height:
            box.scroll_to(y=y - height + 2, animate=False, immediate=True)

    def action_mark(self) -> None:
        """m: select the sentence at the reading position; m again clears the selection."""
        if self.selected_range() is not None:
            self.clear_passage_selection()
            return
        if not self._start_selection():
            self.notify("This source has no text to select from.")

    def action_sel_extend(self, unit: str, step: int) -> None:
        """Shift+arrows: move the selection's end by a sentence or a word."""
        if not self.selecting or self.mouse_range is not None:
            if not self._start_selection():
                return
            if unit == "sentence" and step > 0:
                return  # the first press selects the sentence itself
        assert self.source is not None and self.sel_head is not None
        text = self.source.text
        ends = self.sel_head >= (self.sel_anchor or 0)
        if unit == "sentence":
            head = step_sentence(self.sentence_list(), self.sel_head, step, ends=ends)
        else:
            head = step_word(text, self.sel_head, step, ends=ends)
        anchor = self.sel_anchor or 0
        if head != anchor and (head > anchor) == (self.sel_head > anchor):
            self._set_selection(self.sel_anchor, head)

    def action_sel_move(self, step: int) -> None:
        """↓/↑ while selecting: select the next / previous sentence instead."""
        if not self.selecting:
            return
        assert self.sel_head is not None and self.sel_anchor is not None
        items = self.sentence_list()
        lo, hi = sorted((self.sel_anchor, self.sel_head))
        if step > 0:
            i = sentence_at(items, max(hi - 1, lo)) + 1
        else:
            i = sentence_at(items, lo) - 1
        i = max(0, min(i, len(items) - 1))
        self._set_selection(items[i].start, items[i].end)

    def action_sel_swap(self) -> None:
        if self.selecting:
            self._set_selection(self.sel_head, self.sel_anchor)

    def _mouse_selected(self, selections: dict[Any, Any]) -> None:
        """The mouse selected text: remember it as offsets into the source."""
        if self.source is None:
            return
        spans: list[tuple[int, int]] = []
        for widget, sel in selections.items():
            if not isinstance(widget, ParagraphText) or widget.index >= len(self.paragraphs):
                continue
            para = self.paragraphs[widget.index]
            raw = self.source.text[para.start : para.end]
            s = (
                para.start
                if sel.start is None
                else para.start + line_col_offset(raw, *sel.start.transpose)
            )
            e = (
                para.end
                if sel.end is None
                else para.start + line_col_offset(raw, *sel.end.transpose)
            )
            spans.append((s, e))
        if not spans:
            if self.mouse_range is not None:
                self.mouse_range = None
                self._status()
                self.refresh_bindings()
            return
        s, e = trimmed(self.source.text, min(a for a, _ in spans), max(b for _, b in spans))
        if self.selecting:
            self._set_selection(None, None)
        self.mouse_range = (s, e) if e > s else None
        self._status()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # attach / new_case stay enabled without a selection: they say how to make one
        # (a disabled key would fall through to the app's `a`, adding a source).
        if action == "sel_swap":
            return self.selecting
        return True

    def _selection_or_say(self, action: str) -> tuple[Source, tuple[int, int]] | None:
        """The source and the passage selected in it, or None after saying how to select one
        for `action` (HOW_TO_SELECT)."""
        chosen = self.selected_range()
        if chosen is None or self.source is None:
            self.notify(HOW_TO_SELECT[action])
            return None
        return self.source, chosen

    def action_attach(self) -> None:
        picked = self._selection_or_say("attach")
        if picked is not None:
            from paradiplo.tui.screens.case_open import open_attach_evidence

            open_attach_evidence(self, *picked, self.case_id)

    def action_new_case(self) -> None:
        picked = self._selection_or_say("new_case")
        if picked is not None:
            from paradiplo.tui.screens.case_open import open_case_from_passage

            open_case_from_passage(self, *picked)
