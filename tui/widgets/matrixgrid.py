"""A grid of counts drawn with the line API: a header line of column labels, a row per value
of the rows' dimension with its cells and total, and a cell cursor.

Like the agreements list and the bar charts, it renders only the rows on screen and reuses
them until their content, width or cursor changes: a DataTable rendered every cell through
Rich on each change of the filters, the slowest part of redrawing the matrix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from paradiplo.db.i18n import _
from paradiplo.db.record import record
from paradiplo.tui.keys import CursorActions, cursor_bindings
from paradiplo.tui.widgets.scrolling import row_styles, row_width, set_virtual_size
from paradiplo.tui.widgets.text import one_line

LABEL_WIDTH = 28
CELL_MAX = 14  # widest a column gets (its label is cut to fit)
# The cursor keys move the cell cursor by rows; Home / End go to the first / last row.
CELL_ACTIONS: CursorActions = (
    "move(-1, 0)",
    "move(1, 0)",
    "page(-1)",
    "page(1)",
    "move(-100000, 0)",
    "move(100000, 0)",
)


@record
class GridData:
    """What the grid shows: the column labels, then per row its label, cells and total."""

    corner: str
    columns: list[tuple[str, int]]  # (label, total)
    rows: list[tuple[str, list[int], int]]  # (label, cells, total)
    total: int


def label_width(data: GridData) -> int:
    """The row labels' column: the longest label (or the corner's), at most LABEL_WIDTH."""
    longest = max([len(data.corner), *(len(r[0]) for r in data.rows)])
    return min(LABEL_WIDTH, longest)


def cell_width(label: str, total: int) -> int:
    return max(min(len(label), CELL_MAX), len(f"{total:,}"), 3)


def _fit(text: str, width: int, *, right: bool = False, style: Style | None = None) -> Segment:
    t = one_line(text)
    if t.cell_len > width:
        t.truncate(width, overflow="ellipsis")
    pad = " " * (width - t.cell_len)
    return Segment(pad + t.plain if right else t.plain + pad, style)


class MatrixHeader(Widget):
    """The column labels above a `MatrixGrid` (one line)."""

    DEFAULT_CSS = "MatrixHeader { height: 1; text-style: bold; }"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data: GridData | None = None

    def show(self, data: GridData) -> None:
        self.data = data
        self.refresh()

    def render(self) -> Text:
        d = self.data
        if d is None:
            return Text()
        line = Text(" ")
        width_of_labels = label_width(d)
        line.append_text(one_line(d.corner))
        line.truncate(width_of_labels + 1, overflow="ellipsis", pad=True)
        for label, total in d.columns:
            w = cell_width(label, total)
            seg = _fit(label, w, right=True)
            line.append("  " + seg.text)
        line.append("  " + _fit(_("total"), 7, right=True).text)
        return line


class MatrixGrid(ScrollView, can_focus=True):
    """Rows of counts with a cell cursor; Enter posts `MatrixGrid.CellChosen`."""

    COMPONENT_CLASSES = {"matrixgrid--cursor", "matrixgrid--zero", "matrixgrid--total"}

    DEFAULT_CSS = """
    MatrixGrid { height: 1fr; overflow-x: hidden; overflow-y: scroll; }
    MatrixGrid > .matrixgrid--cursor { background: $block-cursor-blurred-background; }
    MatrixGrid:focus > .matrixgrid--cursor { background: $block-cursor-background;
        color: $block-cursor-foreground; text-style: $block-cursor-text-style; }
    MatrixGrid > .matrixgrid--zero { color: $text-muted; }
    MatrixGrid > .matrixgrid--total { text-style: bold; }
    """

    BINDINGS = [
        *cursor_bindings(actions=CELL_ACTIONS, sideways=("move(0, -1)", "move(0, 1)")),
        Binding("enter", "choose", "Show cases", id="matrix.choose"),
    ]

    # (row, column); the column after the last is the row's total.
    cursor: reactive[tuple[int, int]] = reactive(
        (0, 0), always_update=True, init=False, repaint=False
    )

    @dataclass
    class CellChosen(Message):
        row: int
        column: int | None  # None: the row's total

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data: GridData | None = None
        self._cache: dict[tuple[int, int, int], Strip] = {}
        self._styles: tuple[Style, ...] = (Style(), Style(), Style(), Style())
        self._width = 0

    def show(self, data: GridData) -> None:
        self.data = data
        self._cache.clear()
        width = row_width(self)
        set_virtual_size(self, Size(width, len(data.rows)))
        row, col = self.cursor
        self.set_reactive(
            MatrixGrid.cursor,
            (min(row, max(len(data.rows) - 1, 0)), min(col, len(data.columns))),
        )
        self.refresh()

    # ------------------------------------------------------------------------ render
    def render_lines(self, crop: Region) -> list[Strip]:
        styles = row_styles(self, "matrixgrid--cursor", "matrixgrid--zero", "matrixgrid--total")
        if styles != self._styles:
            self._styles = styles
            self._cache.clear()
        self._width = row_width(self)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        d = self.data
        width = self._width
        base = self._styles[0]
        index = int(self.scroll_y) + y
        if d is None or index >= len(d.rows):
            return Strip.blank(width, base)
        row, col = self.cursor
        marked = col if index == row else -1
        key = (index, marked, width)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_row(d, index, marked)
            self._cache[key] = strip
        return strip

    def _render_row(self, d: GridData, index: int, marked: int) -> Strip:
        base, cursor, zero, bold = self._styles
        label, cells, total = d.rows[index]
        width_of_labels = label_width(d)
        segments = [Segment(" ", base), _fit(label, width_of_labels, style=base)]
        for i, ((clabel, ctotal), n) in enumerate(zip(d.columns, cells, strict=True)):
            w = cell_width(clabel, ctotal)
            style = cursor if i == marked else (base if n else zero)
            segments.append(Segment("  ", base))
            segments.append(_fit(f"{n:,}" if n else "·", w, right=True, style=style))
        segments.append(Segment("  ", base))
        style = cursor if marked == len(d.columns) else bold
        segments.append(_fit(f"{total:,}", 7, right=True, style=style))
        return Strip(segments).adjust_cell_length(self._width, base)

    def on_resize(self, event: events.Resize) -> None:
        self._cache.clear()

    # ------------------------------------------------------------------------ cursor
    def watch_cursor(self, old: tuple[int, int], new: tuple[int, int]) -> None:
        for index in {old[0], new[0]}:
            y = index - int(self.scroll_y)
            if 0 <= y < self.size.height:
                self.refresh(Region(0, y, self.size.width, 1))

    def action_move(self, rows: int, cols: int) -> None:
        d = self.data
        if d is None or not d.rows:
            return
        row, col = self.cursor
        row = min(max(row + rows, 0), len(d.rows) - 1)
        col = min(max(col + cols, 0), len(d.columns))
        self.cursor = (row, col)
        height = self.scrollable_content_region.height or self.size.height or 1
        top = int(self.scroll_y)
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False, immediate=True)

    def action_page(self, step: int) -> None:
        self.action_move(step * max(self.size.height - 1, 1), 0)

    def action_choose(self) -> None:
        d = self.data
        if d is None or not d.rows:
            return
        row, col = self.cursor
        self.post_message(self.CellChosen(row, None if col >= len(d.columns) else col))

    def on_click(self, event: events.Click) -> None:
        d = self.data
        offset = event.get_content_offset(self)
        if d is None or offset is None:
            return
        index = int(self.scroll_y) + offset.y
        if index >= len(d.rows):
            return
        x = 1 + label_width(d)
        col = len(d.columns)
        for i, (clabel, ctotal) in enumerate(d.columns):
            x += 2 + cell_width(clabel, ctotal)
            if offset.x < x:
                col = i
                break
        self.cursor = (index, col)
        self.action_choose()
