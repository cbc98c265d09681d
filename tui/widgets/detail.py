"""The Detail pane: one case in full, every fact with the quotes behind it, then the notes.

Facts show what the sources say ("as stated") next to the normalised value, with the numbers of
the quotes that support them (⟨1⟩). What the sources leave unclear is listed as unclear, and the
PP 28/2018 category and the lifecycle stage are marked as derived by this app. A gloss of the
source's words is shown as a gloss, apart from them. Each legal basis shows what the source
claims about it, and apart from that, marked as such, its status from outside the bundled
texts (a replaced law shows as replaced). Where the case's sources disagree, both sides show. The quotes are a cursor list: ↑/↓ (j/k)
move between them, Enter opens the source at the quote, `y` copies it with its citation.

The pane draws its own lines (Textual's line API, like the Agreements list): a case is
rendered to lines once, and showing the next one changes the lines and the scroll height
without mounting, resizing or re-arranging any widget. With widgets per block, every case
cost two screen layouts and a third frame for the scrollbars (about 60 ms at 60 frames a
second); now it is one repaint of the pane.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from rich.console import RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from paradiplo.db.i18n import N_, _, data_label, number
from paradiplo.db.models import CaseDetail, Note
from paradiplo.tui.widgets.case_sections import CASE_CONTEXT as CASE_CONTEXT  # main.py's import
from paradiplo.tui.widgets.case_sections import (
    Grid,
    QuoteRef,
    build_facts,
    cannot_draw,
    collect_quotes,
    drawn,
    note_parts,
    quote_parts,
)
from paradiplo.tui.widgets.dbwork import (
    app_of,
)
from paradiplo.tui.widgets.note_changes import NoteChanges
from paradiplo.tui.widgets.scrolling import set_virtual_size
from paradiplo.tui.widgets.text import render_text


class DetailView(NoteChanges, ScrollView, can_focus=True):
    """The case shown in full, then the user's notes on it; a cursor moves over the quotes
    and the notes (j/k). Enter opens a quote's source or edits a note; e, d and u edit,
    delete and restore notes, as in the notes screen."""

    COMPONENT_CLASSES = {"detail--selected", "detail--bar", "detail--note-bar"}

    DEFAULT_CSS = """
    DetailView { overflow-x: hidden; overflow-y: scroll; }
    DetailView > .detail--selected { background: $boost; }
    DetailView:focus > .detail--selected { background: $accent 20%; }
    DetailView > .detail--bar { color: $accent; }
    DetailView > .detail--note-bar { color: $primary-darken-3; }
    """

    BINDINGS = [
        Binding("up,k", "quote(-1)", "Prev quote", show=False, id="detail.prev"),
        Binding("down,j", "quote(1)", "Next quote", show=False, id="detail.next"),
        Binding("enter", "open_quote", "Open source", id="detail.open"),
        # The ids the notes keys have always had (keymap.toml may name them).
        Binding("e", "edit_note", "Edit note", show=False, id="note_panel.edit"),
        Binding("d", "delete_note", "Delete note", show=False, id="note_panel.delete"),
        Binding("u", "undo_delete", "Undo delete", show=False, id="note_panel.undo"),
        Binding("escape", "back", "Back", show=False, id="detail.back"),
    ]

    @dataclass
    class OpenSource(Message):
        """Open a source in the reader at a passage."""

        source_id: str
        anchor_start: int | None
        case_id: str | None
        anchor_end: int | None = None

    class Back(Message):
        """Escape in the detail pane: back to the agreements."""

    @dataclass
    class NotesChanged(Message):
        """A note on the shown case was edited, deleted or restored here."""

        case_id: str

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.detail: CaseDetail | None = None
        self.quotes: list[QuoteRef] = []
        self.notes: list[Note] = []
        self.selected = -1  # no item selected: the facts are in view
        self._empty = _("No case selected.")
        # The case as lines at `_width`: each line's segments (text styles only), and the
        # item (quote, then note) each line belongs to (-1: facts, a heading or a gap).
        self._width = 0
        self._lines: list[list[Segment]] = []
        self._lengths: list[int] = []
        self._line_quote: list[int] = []
        self._spans: list[tuple[int, int]] = []  # each item's first line and end
        self._rest: Iterator[None] | None = None  # the lines not rendered yet (see _build)
        self._strips: dict[tuple[int, bool], Strip] = {}
        self._styles: tuple[Style, ...] | None = None

    # ------------------------------------------------------------------------ content
    def show_now(
        self,
        detail: CaseDetail | None,
        *,
        empty: str = N_("No case selected."),
        notes: list[Note] | None = None,
    ) -> None:
        """Show a case and its notes at once: new lines, one repaint, no layout."""
        self.detail = detail
        self._empty = _(empty)
        self.selected = -1
        try:
            self.quotes = collect_quotes(detail) if detail is not None else []
        except Exception:  # drawn below as an error in the facts' place
            self.quotes = []
        self.notes = list(notes or [])
        self._build()
        self.scroll_to(y=0, animate=False, immediate=True)

    def set_notes(self, notes: list[Note]) -> None:
        """New notes for the shown case (after an edit): redraw, keeping the place."""
        self.notes = list(notes)
        if self.selected >= self._item_count():
            self.selected = self._item_count() - 1
        self._build()

    def _item_count(self) -> int:
        return len(self.quotes) + len(self.notes[:MAX_NOTES])

    def _content_width(self) -> int:
        return self.scrollable_content_region.width

    def _build(self) -> None:
        """Render the case to lines at the current width.

        The lines the pane shows now are rendered at once; the rest (a case's quotes and
        notes are most of its lines) just after the frame that shows them, so a case costs
        its first frame only what is on screen (`_complete` renders the rest at once when it
        is needed sooner).
        """
        width = self._content_width()
        self._width = width
        self._strips.clear()
        self._lines, self._line_quote, self._spans, self._lengths = [], [], [], []
        self._rest = None
        if width <= 2:
            return  # not laid out yet: built again on the first resize
        steps = self._steps(width)
        shown = int(self.scroll_y) + max(self.scrollable_content_region.height, 1)
        for _step in steps:
            if len(self._lines) > shown:
                self._rest = steps
                self.call_after_refresh(self._finish, steps)
                break
        self._sized()

    def _finish(self, steps: Iterator[None]) -> None:
        """Render the rest of the lines (unless another build has begun since)."""
        if self._rest is steps:
            self._rest = None
            for _step in steps:
                pass
            self._sized()

    def _complete(self) -> None:
        """Every line rendered, now (for what needs them all: selecting, copying)."""
        if self._rest is not None:
            self._finish(self._rest)

    def _sized(self) -> None:
        set_virtual_size(self, Size(self._width, len(self._lines)))
        self.refresh()

    def _steps(self, width: int) -> Iterator[None]:
        """Append the case's lines to the pane's, a block at a time (one step each)."""
        console = self.app.console
        options = self.app.console_options.update(highlight=False, height=None)
        lines, owner, spans, lengths = self._lines, self._line_quote, self._spans, self._lengths

        def render(renderable: RenderableType, at: int) -> list[list[Segment]]:
            if isinstance(renderable, Grid):
                return renderable.lines(console, at)
            if isinstance(renderable, Text):
                return [render_text(console, t) for t in renderable.wrap(console, at)]
            return console.render_lines(renderable, options.update_width(at), pad=False)

        def add(renderable: RenderableType, at: int, item: int = -1) -> None:
            try:
                rendered = render(renderable, at)
            except Exception as exc:  # one record that cannot be drawn: say so in its place
                rendered = render(cannot_draw(_("this part"), exc), at)
            # Merged segments: fewer to measure and copy on every repaint of the line.
            rendered = [list(Segment.simplify(line)) for line in rendered]
            lines.extend(rendered)
            owner.extend([item] * len(rendered))
            lengths.extend(Segment.get_line_length(line) for line in rendered)

        def gap() -> None:
            lines.append([])
            owner.append(-1)
            lengths.append(0)

        detail = self.detail
        if detail is None:
            add(Text(self._empty, style="dim"), width)
            gap()
            return
        for part in drawn(lambda: build_facts(detail, self.quotes), _("the case's facts")):
            add(part, width)
            yield
        gap()
        heading = Text(
            _("Evidence — {n} quote(s)").format(n=number(len(self.quotes))),
            style="bold underline",
        )
        heading.append(
            "   "
            + _("⟨n⟩ above = quote n · ↑↓ select · Enter open in source · y copy · c cite fact"),
            style="dim",
        )
        add(heading, width)
        gap()
        sector_labels = {s.id: data_label("sector", s.id, s.label_en) for s in detail.sectors}
        for i, ref in enumerate(self.quotes):
            start = len(lines)
            for part in drawn(
                partial(quote_parts, ref, sector_labels), _("quote {n}").format(n=ref.number)
            ):
                add(part, max(width - 2, 1), i)
            spans.append((start, len(lines)))
            gap()
            yield
        add(self._notes_heading(), width)
        gap()
        for j, note in enumerate(self.notes[:MAX_NOTES]):
            item = len(self.quotes) + j
            start = len(lines)
            for part in drawn(partial(note_parts, note), _("note {id}").format(id=note.id)):
                add(part, max(width - 2, 1), item)
            spans.append((start, len(lines)))
            gap()
            yield

    def _notes_heading(self) -> Text:
        n = len(self.notes)
        heading = Text(
            _("Notes ({n})").format(n=number(n)) if n else _("Notes"), style="bold underline"
        )
        if not n:
            heading.append("   " + _("none here yet: press n to write one"), style="dim")
        else:
            heading.append("   " + _("↑↓ select · e edit · d delete · u undo"), style="dim")
            if n > MAX_NOTES:
                heading.append(
                    " · " + _("newest {n} shown; N lists them all").format(n=number(MAX_NOTES)),
                    style="dim",
                )
        return heading

    def on_resize(self) -> None:
        if self._content_width() != self._width:
            self._build()

    def plain_text(self) -> str:
        """What the pane shows, as plain text (for tests and copying)."""
        self._complete()
        return "\n".join("".join(seg.text for seg in line).rstrip() for line in self._lines)

    # ------------------------------------------------------------------------ drawing
    def render_lines(self, crop: Region) -> list[Strip]:
        base = self.rich_style
        styles = (
            base,
            base + self.get_component_rich_style("detail--selected"),
            self.get_component_rich_style("detail--bar", partial=True),
            self.get_component_rich_style("detail--note-bar", partial=True),
        )
        if styles != self._styles:
            self._styles = styles
            self._strips.clear()
        if self._content_width() != self._width and self.size.width:
            self._build()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_y) + y
        width = self._width
        assert self._styles is not None
        base, selected_style, bar_style, note_bar_style = self._styles
        if index >= len(self._lines):
            return Strip.blank(width, base)
        item = self._line_quote[index]
        selected = item >= 0 and item == self.selected
        key = (index, selected)
        strip = self._strips.get(key)
        if strip is not None:
            return strip
        style = selected_style if selected else base
        segments = self._lines[index]
        length = self._lengths[index]
        inner = width if item < 0 else width - 2
        body = [Segment(seg.text, style + seg.style if seg.style else style) for seg in segments]
        if length < inner:
            body.append(Segment(" " * (inner - length), style))
        line = Strip(body, max(length, inner))
        if length > inner:
            line = line.crop(0, inner)
        if item < 0:
            strip = line
        else:
            # Items sit one cell in from each side; the selected one has a bar on the left,
            # notes a thin one.
            if selected:
                lead = Segment("█", style + bar_style)
            elif item >= len(self.quotes):
                lead = Segment("▎", style + note_bar_style)
            else:
                lead = Segment(" ", style)
            strip = Strip([lead, *line, Segment(" ", style)], width)
        self._strips[key] = strip
        return strip

    def _repaint_item(self, item: int) -> None:
        self._complete()
        if 0 <= item < len(self._spans):
            start, end = self._spans[item]
            top = int(self.scroll_y)
            self.refresh(Region(0, start - top, self.size.width, end - start))

    # ------------------------------------------------------------------------ cursor
    def _select(self, index: int) -> None:
        old, self.selected = self.selected, index
        if old != index:
            for key in [k for k in self._strips if self._line_quote[k[0]] in (old, index)]:
                del self._strips[key]
            self._repaint_item(old)
            self._repaint_item(index)

    def on_focus(self) -> None:
        self._strips.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._strips.clear()
        self.refresh()

    @property
    def current_quote(self) -> QuoteRef | None:
        """The selected quote (None until one is selected with j/↓ or a click)."""
        if not self.quotes or not 0 <= self.selected < len(self.quotes):
            return None
        return self.quotes[self.selected]

    @property
    def current_note(self) -> Note | None:
        """The selected note (below the quotes), if a note is selected."""
        j = self.selected - len(self.quotes)
        return self.notes[j] if 0 <= j < len(self.notes[:MAX_NOTES]) else None

    def action_quote(self, step: int) -> None:
        count = self._item_count()
        if not count:
            self.scroll_relative(y=step, animate=False)
            return
        target = self.selected + step
        if target < 0:
            # Above the first quote: back to the facts.
            self._select(-1)
            self.scroll_home(animate=False)
            return
        if target >= count:
            self.scroll_relative(y=3, animate=False)
            return
        self.select_quote(target)

    def select_quote(self, index: int) -> None:
        """Select an item (a quote, or a note after the quotes) and bring it into view."""
        self._complete()
        count = self._item_count()
        if not count:
            return
        index = max(0, min(index, count - 1))
        self._select(index)
        if index < len(self._spans):
            start, end = self._spans[index]
            self.scroll_to_region(
                Region(0, start, self._width, end - start),
                animate=False,
                center=True,
                immediate=True,
            )

    def action_open_quote(self) -> None:
        """Open the source at the selected quote (the first one when none is selected), or
        edit the selected note."""
        if self.current_note is not None:
            self.action_edit_note()
            return
        q = self.current_quote or (self.quotes[0] if self.quotes else None)
        if q is None or self.detail is None:
            return
        e = q.evidence
        self.post_message(self.OpenSource(e.source_id, e.start, self.detail.id, e.end))

    def action_back(self) -> None:
        self.post_message(self.Back())

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        self._complete()
        line = int(self.scroll_y) + offset.y
        if not 0 <= line < len(self._line_quote) or self._line_quote[line] < 0:
            return
        index = self._line_quote[line]
        again = index == self.selected
        self.select_quote(index)
        self.focus()
        if again or event.chain >= 2:
            self.action_open_quote()

    # ------------------------------------------------------------------------ notes
    def notes_changed(self) -> None:
        """Tell the screen the shown case's notes changed (it reloads them)."""
        if self.detail is not None:
            self.post_message(self.NotesChanged(self.detail.id))

    def action_edit_note(self) -> None:
        note = self.current_note
        if note is None:
            return
        from paradiplo.tui.screens.note_editor import NoteEditorScreen

        self.app.push_screen(
            NoteEditorScreen(
                app_of(self).store, note.target_type, note.target_id, note.target_label, note
            ),
            lambda saved: self.notes_changed() if saved is not None else None,
        )

    def action_delete_note(self) -> None:
        note = self.current_note
        if note is None:
            return
        from paradiplo.tui.screens.choice import confirm_delete

        confirm_delete(self, note, lambda: self.change_note("delete", note.id))

    def action_undo_delete(self) -> None:
        self.undo_note_delete()


MAX_NOTES = 50  # notes drawn under a case; the notes screen (N) lists them all
