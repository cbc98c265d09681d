"""The rows of a virtual list, read from SQLite a page at a time (CaseList, SourceList).

Only the row count is known up front. A page is asked for when a row of it is about to be
drawn (`claim`), read in a thread worker by the list, and stored when it arrives (`store`),
which drops the pages farthest from use once more than `keep` are held.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from typing import Any, Generic, TypeVar

from rich.style import Style
from textual import events
from textual.geometry import Region
from textual.scroll_view import ScrollView
from textual.strip import Strip

from paradiplo.tui.keys import RowCursor
from paradiplo.tui.widgets.scrolling import row_styles

T = TypeVar("T")


class PageCache(Generic[T]):
    def __init__(self, size: int) -> None:
        self.size = size
        self.count = 0
        self.pages: OrderedDict[int, list[T]] = OrderedDict()
        self.pending: set[int] = set()

    def reset(self, count: int, first_page: list[T]) -> None:
        """Forget every page; the list now has `count` rows, the first page read already."""
        self.count = count
        self.pages.clear()
        self.pending.clear()
        self.pages[0] = first_page

    def page_of(self, index: int) -> int:
        return index // self.size

    def row(self, index: int) -> T | None:
        """Row `index`, or None while its page is not read."""
        page = self.pages.get(index // self.size)
        if page is None:
            return None
        offset = index % self.size
        return page[offset] if offset < len(page) else None

    def claim(self, page: int) -> bool:
        """True if `page` should be read now (and mark it as being read)."""
        if page in self.pages or page in self.pending or page * self.size >= self.count:
            return False
        self.pending.add(page)
        return True

    def store(self, page: int, rows: list[T], *, keep: int, near: Iterable[int] = ()) -> None:
        """Hold a page that was read; past `keep` pages, drop the oldest not in `near` (the
        first page, the cursor's and the viewport's, say)."""
        self.pending.discard(page)
        self.pages[page] = rows
        if len(self.pages) <= keep:
            return
        protected = set(near)
        for old in list(self.pages):
            if len(self.pages) <= keep:
                break
            if old not in protected:
                del self.pages[old]


class PagedList(RowCursor, ScrollView, Generic[T], can_focus=True):
    """A virtual list of rows read a page at a time (CaseList, SourceList): the rows, the
    cursor keys (`RowCursor`), clicks, and the styles looked up once per repaint.

    A subclass sets `ROW_LINES` (lines a row takes) and `COMPONENT` (the prefix of its
    `--cursor` and `--loading` component classes), reads pages in `_want_page`, and says what
    choosing a row does (`choose`).
    """

    ROW_LINES = 1
    COMPONENT = ""

    def __init__(self, page_size: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rows: PageCache[T] = PageCache(page_size)
        self._styles: tuple[Style, ...] = (Style(), Style(), Style())
        self._row_cache: dict[Any, Strip] = {}

    # cursor (RowCursor's): a reactive of each subclass (its own repaint and update rules)

    def choose(self) -> None:
        """What Enter and a double click do on the cursor row."""

    @property
    def count(self) -> int:
        return self.rows.count

    def row_at(self, index: int) -> T | None:
        return self.rows.row(index)

    @property
    def current(self) -> T | None:
        return self.row_at(self.cursor) if self.count else None

    def render_lines(self, crop: Region) -> list[Strip]:
        # The styles are looked up once per repaint, not once per row (each lookup walks
        # the DOM), and rendered rows are reused until their content or style changes.
        styles = row_styles(self, f"{self.COMPONENT}--cursor", f"{self.COMPONENT}--loading")
        if styles != self._styles:
            self._styles = styles
            self._row_cache.clear()
        return super().render_lines(crop)

    def page_rows(self) -> int:
        return max(self.size.height // self.ROW_LINES - 1, 1)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = (int(self.scroll_y) + offset.y) // self.ROW_LINES
        if index < self.count:
            self.set_cursor(index)
            if event.chain >= 2:
                self.choose()
