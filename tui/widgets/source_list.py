"""The list of sources: a virtual list that pages from SQLite, like the Agreements list.

An import adds one citation source per distinct citation, so a large collection has tens of
thousands of sources. Loading them all took seconds and hundreds of megabytes; this list
knows only the count up front (`queries.count_sources`) and reads pages of `PAGE` rows
(`queries.list_sources(limit, offset)`) in thread workers as they scroll into view, keeping
a few pages around. Each source takes two lines: its label, then its title (or kind).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from paradiplo.db import queries
from paradiplo.db.i18n import _
from paradiplo.db.models import Source
from paradiplo.db.sourceread import shown_source_label
from paradiplo.tui.keys import cursor_bindings
from paradiplo.tui.widgets.dbwork import DbResult, app_of, db_work
from paradiplo.tui.widgets.row_list import UNSAID, RowList
from paradiplo.tui.widgets.scrolling import set_virtual_size
from paradiplo.tui.widgets.text import one_line, render_text

PAGE = 100
KEEP_PAGES = 12
LINES = 2  # lines per source


class SourceList(RowList[Source]):
    """Sources, bundled first; the cursor row is the source shown beside the list."""

    ROW_LINES = LINES
    COMPONENT = "source-list"

    COMPONENT_CLASSES = {"source-list--cursor", "source-list--loading"}

    DEFAULT_CSS = """
    SourceList { overflow-x: hidden; }
    SourceList > .source-list--cursor { background: $block-cursor-blurred-background; }
    SourceList:focus > .source-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    SourceList > .source-list--loading { color: $text-muted; }
    """

    BINDINGS = [
        *cursor_bindings(vi=False),  # j / k are the sources screen's
        Binding("enter", "select", "Open", show=False),
    ]

    cursor: reactive[int] = reactive(0, init=False, repaint=False)

    @dataclass
    class Highlighted(Message):
        """The cursor is on this source (None: not loaded yet, or no sources)."""

        source: Source | None

    @dataclass
    class Selected(Message):
        source_id: str

    @dataclass
    class PageLoaded(DbResult):
        page: int
        rows: list[Source]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(PAGE, **kwargs)

    # --------------------------------------------------------------------------- data
    def reset(self, count: int, first_page: list[Source]) -> None:
        self.rows.reset(count, first_page)
        self._row_cache.clear()
        set_virtual_size(self, Size(0, count * LINES))
        self.announced = UNSAID
        self.cursor = 0
        self.announce()
        self.refresh()

    def source_at(self, index: int) -> Source | None:
        return self.rows.row(index)

    def want_page(self, page: int) -> None:
        if self.rows.claim(page):
            self.load_page(page)

    @db_work("source-page", exclusive=False)
    def load_page(self, page: int) -> PageLoaded:
        rows = queries.list_sources(app_of(self).store.conn, limit=PAGE, offset=page * PAGE)
        return SourceList.PageLoaded(page, rows)

    def on_source_list_page_loaded(self, message: PageLoaded) -> None:
        message.stop()
        near = (0, self.cursor // PAGE, int(self.scroll_y) // LINES // PAGE)
        self.rows.store(message.page, message.rows, keep=KEEP_PAGES, near=near)
        self.refresh()
        self.announce()

    # ------------------------------------------------------------------------- render
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width or self.size.width
        line = int(self.scroll_y) + y
        index, part = divmod(line, LINES)
        base, cursor_style, loading_style = self._styles
        if index >= self.count:
            return Strip.blank(width, base)
        source = self.source_at(index)
        if source is None:
            self.call_later(self.want_page, index // PAGE)
            loading = " …" if part == 0 else ""
            return Strip([Segment(loading.ljust(width), loading_style)], width)
        selected = index == self.cursor
        key = (source.id, part, selected, width)
        strip = self._row_cache.get(key)
        if strip is None:
            if part == 0:
                label = one_line(shown_source_label(source.label), style="bold")
            else:
                kind = _(queries.SOURCE_KIND_LABELS.get(source.kind, source.kind))
                label = one_line(source.title or kind, style="dim")
            text = Text(" ") + label
            text.truncate(width, overflow="ellipsis", pad=True)
            style = cursor_style if selected else base
            segments = [
                Segment(seg.text, style + seg.style if seg.style else style)
                for seg in render_text(self.app.console, text)
            ]
            strip = Strip(segments, width).crop(0, width)
            if len(self._row_cache) > 4 * PAGE:
                self._row_cache.clear()
            self._row_cache[key] = strip
        return strip

    # ------------------------------------------------------------------------- cursor
    def set_cursor(self, index: int) -> None:
        if self.count:
            self.cursor = max(0, min(index, self.count - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        top = int(self.scroll_y)
        for index in (old, new):
            self.refresh(Region(0, index * LINES - top, self.size.width, LINES))
        height = self.scrollable_content_region.height or self.size.height or LINES
        first, last = new * LINES, new * LINES + LINES
        if first < top:
            self.scroll_to(y=first, animate=False, immediate=True)
        elif last > top + height:
            self.scroll_to(y=last - height, animate=False, immediate=True)
        self.announce()

    def highlighted(self, row: Source | None) -> Message:
        return self.Highlighted(row)

    def chosen(self, row: Source) -> Message:
        return self.Selected(row.id)

    def action_select(self) -> None:
        self.choose()
