"""A bar chart that is a list: one row per bar (label, Rich's `Bar` scaled to the largest
count, the count), a cursor to select a bar with the keys or the mouse.

Drawn with Textual's line API (`render_line`), as the agreements list is: a filter change
redraws six charts at once, and an OptionList, which lays out every option as a widget line
with its own styles, took several times longer to draw the same rows. Rows are rendered
once per content, width and cursor state, and reused. The scrollbar is always there
(`overflow-y: scroll`): a chart that grows or shrinks past its height then needs no layout
of the screen (tui/widgets/scrolling.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.bar import Bar
from rich.console import Console
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

from paradiplo.db.stats import Count
from paradiplo.tui.keys import RowCursor, cursor_bindings
from paradiplo.tui.widgets.scrolling import row_styles, row_width, set_virtual_size
from paradiplo.tui.widgets.text import one_line

_BOLD = Style(bold=True)


def bar_line(
    console: Console,
    label: str,
    count: int,
    peak: int,
    widths: tuple[int, int, int],
    color: str,
) -> Text:
    """One bar as a line of text: the label, Rich's `Bar` scaled to `peak`, the count."""
    label_width, bar_width, count_width = widths
    line = one_line(label)
    line.truncate(label_width, overflow="ellipsis", pad=True)
    line.append(" ")
    bar = Bar(max(peak, 1), 0, count, width=bar_width, color=color)
    for segment in bar.__rich_console__(console, console.options.update_width(bar_width)):
        if isinstance(segment, Segment) and segment.text != "\n":
            line.append(segment.text, segment.style)
    line.append(" ")
    line.append(f"{count:,}".rjust(count_width), style="bold")
    return line


def bar_widths(items: list[Count], width: int) -> tuple[int, int, int]:
    """(label, bar, count) widths for a chart's bars in `width` cells."""
    count_width = max((len(f"{c.count:,}") for c in items), default=1)
    longest = max((len(c.shown) for c in items), default=4)
    label_width = max(6, min(longest, width * 2 // 5))
    return label_width, max(1, width - label_width - count_width - 2), count_width


class BarChart(RowCursor, ScrollView, can_focus=True):
    """Bars of one dimension; Enter or a click on a bar posts `BarChart.Selected`."""

    COMPONENT_CLASSES = {"barchart--cursor", "barchart--empty"}

    DEFAULT_CSS = """
    BarChart { height: 1fr; overflow-x: hidden; overflow-y: scroll; }
    BarChart > .barchart--cursor { background: $block-cursor-blurred-background;
        text-style: $block-cursor-blurred-text-style; }
    BarChart:focus > .barchart--cursor { background: $block-cursor-background;
        color: $block-cursor-foreground; text-style: $block-cursor-text-style; }
    BarChart > .barchart--empty { color: $text-muted; }
    """

    BINDINGS = [
        *cursor_bindings(),
        Binding("enter", "select", "Show cases", id="chart.select"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)

    @dataclass
    class Selected(Message):
        chart: BarChart
        index: int

    def __init__(self, dim: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.dim = dim
        self.items: list[Count] = []
        self.color = "magenta"
        self.selectable = True
        self.empty = "no cases"
        self._peak = 1
        self._styles: tuple[Style, ...] = (Style(), Style(), Style())
        self._cache: dict[tuple[int, bool, int], Strip] = {}
        self._width = 0
        self._widths = (6, 1, 1)

    # ------------------------------------------------------------------------ data
    def show(self, items: list[Count], color: str, *, selectable: bool = True) -> None:
        if items == self.items and color == self.color and selectable == self.selectable:
            return  # the same bars: nothing to redraw
        self.items = items
        self.color = color
        self.selectable = selectable
        self._peak = max((c.count for c in items), default=1)
        self._cache.clear()
        width = row_width(self)
        set_virtual_size(self, Size(width, len(items)))
        self.set_reactive(BarChart.cursor, min(self.cursor, max(len(items) - 1, 0)))
        self.refresh()

    @property
    def highlighted(self) -> int | None:
        return self.cursor if self.items else None

    def current(self) -> Count | None:
        return self.items[self.cursor] if 0 <= self.cursor < len(self.items) else None

    # ------------------------------------------------------------------------ render
    def render_lines(self, crop: Region) -> list[Strip]:
        # Styles and the width are looked up once per repaint, not once per row.
        styles = row_styles(self, "barchart--cursor", "barchart--empty")
        if styles != self._styles:
            self._styles = styles
            self._cache.clear()
        self._width = row_width(self)
        self._widths = bar_widths(self.items, self._width)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self._width
        base, cursor_style, empty_style = self._styles
        index = int(self.scroll_y) + y
        if not self.items:
            if y == 0:
                return Strip([Segment(self.empty.ljust(width)[:width], empty_style)], width)
            return Strip.blank(width, base)
        if index >= len(self.items):
            return Strip.blank(width, base)
        selected = index == self.cursor
        key = (index, selected, width)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_bar(self.items[index], cursor_style if selected else base)
            self._cache[key] = strip
        return strip

    def _render_bar(self, c: Count, style: Style) -> Strip:
        """The label, Rich's Bar and the count as segments (no Text to lay out)."""
        label_width, bar_width, count_width = self._widths
        label = one_line(c.shown)
        label.truncate(label_width, overflow="ellipsis", pad=True)
        segments = [Segment(label.plain, style), Segment(" ", style)]
        bar = Bar(max(self._peak, 1), 0, c.count, width=bar_width, color=self.color)
        options = self.app.console.options.update_width(bar_width)
        bar_style = style + Style(color=self.color)  # the cursor row keeps its background
        for seg in bar.__rich_console__(self.app.console, options):
            if isinstance(seg, Segment) and seg.text != "\n":
                segments.append(Segment(seg.text, bar_style))
        segments.append(Segment(" ", style))
        segments.append(Segment(f"{c.count:,}".rjust(count_width), style + _BOLD))
        return Strip(segments).adjust_cell_length(self._width, style)

    def on_resize(self, event: events.Resize) -> None:
        self._cache.clear()
        set_virtual_size(self, Size(event.size.width, len(self.items)))

    # ------------------------------------------------------------------------ cursor
    def set_cursor(self, index: int) -> None:
        if not self.items:
            return
        self.cursor = min(max(index, 0), len(self.items) - 1)
        height = self.scrollable_content_region.height or self.size.height or 1
        top = int(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def watch_cursor(self, old: int, new: int) -> None:
        for index in (old, new):
            y = index - int(self.scroll_y)
            if 0 <= y < self.size.height:
                self.refresh(Region(0, y, self.size.width, 1))

    @property
    def count(self) -> int:
        return len(self.items)

    def page_rows(self) -> int:
        return max(self.size.height - 1, 1)

    def action_select(self) -> None:
        if self.items and self.selectable:
            self.post_message(self.Selected(self, self.cursor))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = int(self.scroll_y) + offset.y
        if index < len(self.items):
            self.set_cursor(index)
            self.action_select()
