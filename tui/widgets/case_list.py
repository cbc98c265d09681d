"""The Agreements list: a virtual list that pages rows from SQLite as they scroll into view.

Only the row count is known up front (`queries.count_cases`); rows come in pages of `PAGE`
(`queries.list_cases(limit, offset)`) fetched by thread workers when a line of an unloaded page
is drawn, and far-away pages are evicted. So 100,000 cases cost the same as 10 to open and to
scroll: nothing ever loads or lays out every row (a DataTable would). Drawing is Textual's line
API (`render_line`), the way Toolong shows huge logs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widgets import Static

from paradiplo.db import notes as notes_api
from paradiplo.db import queries
from paradiplo.db.browse import PAGE
from paradiplo.db.i18n import N_, _, data_label
from paradiplo.db.labels import TYPE_SHORT
from paradiplo.db.models import CaseRow, Filters
from paradiplo.db.record import record
from paradiplo.tui.keys import cursor_bindings
from paradiplo.tui.widgets.dbwork import DbResult, app_of, db_work
from paradiplo.tui.widgets.regions import short_name as region_short
from paradiplo.tui.widgets.row_list import UNSAID, RowList
from paradiplo.tui.widgets.scrolling import set_virtual_size
from paradiplo.tui.widgets.text import one_line, render_text

KEEP_PAGES = 24
ROW_CACHE = 400  # rendered rows kept (a few screens' worth)

SORT_LABELS = {
    "-year": N_("year, newest first"),
    "year": N_("year, oldest first"),
    "title": N_("title"),
    "region": N_("Indonesian party"),
    "partner": N_("partner"),
}
SORT_CYCLE = ["-year", "year", "title", "region", "partner"]
COLUMN_SORT = {
    "year": ("-year", "year"),
    "title": ("title",),
    "region": ("region",),
    "partner": ("partner",),
}


@record
class Column:
    """A column of the agreement list: its key, heading and width."""

    key: str
    label: str
    width: int


TYPE_WIDTH = 11  # the longest short label
SHORT_HEADINGS = {"region": N_("Region"), "partner": N_("Partner")}


def layout_columns(width: int) -> list[Column]:
    """Column widths for a list `width` cells wide. Every width keeps the year, both parties
    and (from 40 cells) the type; wider lists add the title. The partner's country is kept
    whenever the partner is shown (see `fit_partner`)."""
    year = max(5, len(_("Year")) + 1)  # "2018↓" / "Tahun↓" in the heading
    if width < 40:
        rest = max(width - year - 3, 12)
        return [
            Column("year", _("Year"), year),
            Column("region", _("Indonesian party"), rest // 2),
            Column("partner", _("Partner"), rest - rest // 2),
        ]
    kind = TYPE_WIDTH if width < 110 else 22
    rest = max(width - year - kind - 4, 20)
    if width < 90:
        party = rest * 42 // 100
        return [
            Column("year", _("Year"), year),
            Column("region", _("Indonesian party"), party),
            Column("partner", _("Partner (country)"), rest - party),
            Column("type", _("Type"), kind),
        ]
    rest -= 1
    title = rest * 34 // 100
    party = rest * 28 // 100
    return [
        Column("year", _("Year"), year),
        Column("title", _("Title"), title),
        Column("region", _("Indonesian party"), party),
        Column("partner", _("Partner (country)"), rest - title - party),
        Column("type", _("Type"), kind),
    ]


def fit_partner(row: CaseRow, width: int) -> Text:
    """The partner and its country in `width` cells: the name is cut before the country is,
    and a country that does not fit by name is shown by its code ("Shizuoka Pref… (JP)")."""
    # "(not named)" is how the data stores a partner the sources do not name.
    partner = data_label("actor_name", None, row.partner_name)
    name = one_line(_("(not named)") if row.partner_name == "(not named)" else partner)
    country = row.partner_country if row.partner_country != row.partner_name else None
    if country:
        country = data_label("country", row.partner_country_code, country)
    if not country:
        return name
    for shown in (country, row.partner_country_code):
        if not shown:
            continue
        suffix = one_line(f" ({shown})", style="dim")
        room = width - suffix.cell_len
        if name.cell_len <= room or (shown != country and room >= 6):
            if name.cell_len > room:
                name.truncate(room, overflow="ellipsis")
            return name + suffix
    return name


def fit_region(name: str, width: int) -> Text:
    """The full name where it fits, else its short form ("Kab. Trenggalek")."""
    name = data_label("actor_name", None, name)
    return one_line(name if len(name) <= width else region_short(name))


def type_cell(row: CaseRow, notes: int, width: int) -> Text:
    label = data_label("type", row.type, row.type_label)
    mark = f"✎{notes} " if notes else ""
    if len(mark) + len(label) > width and row.type in TYPE_SHORT:
        label = _(TYPE_SHORT[row.type])
    kind = one_line(label)
    return Text(mark, style="bold") + kind if mark else kind


def row_cells(row: CaseRow, notes: int, widths: dict[str, int]) -> dict[str, Text]:
    """The cells of one row; a row whose stored values cannot be drawn says so in its place
    (the list, and the app, go on)."""
    try:
        return _cells(row, notes, widths)
    except Exception as exc:
        return {
            "title": Text(
                "⚠ " + _("this case cannot be shown") + f" ({type(exc).__name__})", "bold red"
            )
        }


def _cells(row: CaseRow, notes: int, widths: dict[str, int]) -> dict[str, Text]:
    return {
        "year": Text(str(row.year) if row.year else "—", style="" if row.year else "dim"),
        "title": one_line(data_label("case_title", row.id, row.title)),
        "region": fit_region(row.region_name, widths.get("region", 10**6)),
        "partner": fit_partner(row, widths.get("partner", 10**6)),
        "type": type_cell(row, notes, widths.get("type", 10**6)),
    }


def whole_row(row: CaseRow, notes: int, *, title: bool = False) -> Text:
    """The cursor row when its cells do not fit their columns: every name whole, in one line."""
    text = Text(f"{row.year or '—':<5} ", style="" if row.year else "dim")
    if title:
        text.append_text(one_line(data_label("case_title", row.id, row.title)))
        text.append(" · ", style="dim")
    text.append_text(one_line(row.region_name))
    text.append(" → ", style="dim")
    text.append_text(fit_partner(row, 10**6))
    text.append(" · ", style="dim")
    text.append_text(type_cell(row, notes, 10**6))
    return text


class CaseHeader(Static):
    """Column headings; the sorted column shows an arrow. Clicking a heading sorts by it."""

    DEFAULT_CSS = "CaseHeader { height: 1; text-style: bold; }"

    sort: reactive[str] = reactive("-year")

    class SortClicked(Message):
        def __init__(self, column: str) -> None:
            self.column = column
            super().__init__()

    def render(self) -> Text:
        text = Text(" ")
        columns = layout_columns(self.size.width)
        keys = {c.key for c in columns}
        for i, col in enumerate(columns):
            label = col.label
            if len(label) + 1 > col.width:  # narrow: the short heading, never a cut one
                label = _(SHORT_HEADINGS.get(col.key, label))
            if col.key in COLUMN_SORT and self.sort in COLUMN_SORT[col.key]:
                label += "↑" if self.sort == "year" else "↓"
            if col.key == "type" and self.sort == "title" and "title" not in keys:
                label += "  " + _("(sorted by title)")
            cell = Text(label)
            cell.truncate(col.width, overflow="ellipsis", pad=True)
            if i:
                text.append(" ")
            text.append_text(cell)
        return text

    def on_click(self, event: events.Click) -> None:
        x = event.x - 1
        for col in layout_columns(self.size.width):
            if x < col.width + 1:
                self.post_message(self.SortClicked(col.key))
                return
            x -= col.width + 1


class CaseList(RowList[CaseRow]):
    """Rows of cases under the current filters; the cursor row is the selected case."""

    COMPONENT = "case-list"

    COMPONENT_CLASSES = {"case-list--cursor", "case-list--loading"}

    DEFAULT_CSS = """
    CaseList { height: 1fr; overflow-x: hidden; overflow-y: scroll; }
    CaseList > .case-list--cursor { background: $block-cursor-blurred-background;
        text-style: $block-cursor-blurred-text-style; }
    CaseList:focus > .case-list--cursor { background: $block-cursor-background;
        color: $block-cursor-foreground; text-style: $block-cursor-text-style; }
    CaseList > .case-list--loading { color: $text-muted; }
    """

    BINDINGS = [
        *cursor_bindings("list"),
        Binding("enter", "open", "Open", id="list.open"),
    ]

    # repaint=False: `watch_cursor` repaints the two rows that changed, not the whole list.
    cursor: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)

    @dataclass
    class Highlighted(Message):
        """The cursor is on a case (None: the list is empty)."""

        case_id: str | None
        title: str = ""

    @dataclass
    class Opened(Message):
        case_id: str

    @dataclass
    class PageLoaded(DbResult):
        list_generation: int
        page: int
        rows: list[CaseRow]
        notes: dict[str, int] = field(default_factory=dict)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(PAGE, **kwargs)
        self.filters = Filters()
        self.sort = "-year"
        self.list_generation = 0
        self.note_counts: dict[str, int] = {}
        self.empty_message = Text()

    # --------------------------------------------------------------------------- data
    def reset(
        self,
        filters: Filters,
        sort: str,
        count: int,
        first_page: list[CaseRow],
        notes: dict[str, int],
        cursor: int = 0,
        cursor_page: list[CaseRow] | None = None,
    ) -> None:
        """New filters or sort: forget every page and start from what the caller loaded."""
        self.filters, self.sort = filters, sort
        self.list_generation += 1
        self.rows.reset(count, first_page)
        self.note_counts = dict(notes)
        if cursor_page is not None:
            self.rows.pages[cursor // PAGE] = cursor_page
        set_virtual_size(self, Size(0, count))
        self.announced = UNSAID
        self.set_cursor(min(max(cursor, 0), max(count - 1, 0)), center=True)
        self.refresh()

    @property
    def pages(self) -> dict[int, list[CaseRow]]:
        return self.rows.pages

    def want_page(self, page: int) -> None:
        if not self.rows.claim(page):
            return
        self.load_page(self.filters, self.sort, self.list_generation, page)

    @db_work("case-page", exclusive=False)
    def load_page(self, filters: Filters, sort: str, gen: int, page: int) -> PageLoaded:
        conn = app_of(self).store.conn
        rows = queries.list_cases(conn, filters, sort=sort, limit=PAGE, offset=page * PAGE)
        counts = notes_api.note_counts(conn, [r.id for r in rows])
        return CaseList.PageLoaded(gen, page, rows, counts)

    def on_case_list_page_loaded(self, message: PageLoaded) -> None:
        message.stop()
        if message.list_generation != self.list_generation:
            return
        top = int(self.scroll_y) // PAGE
        near = (0, self.cursor // PAGE, top, top + 1)
        self.rows.store(message.page, message.rows, keep=KEEP_PAGES, near=near)
        self.note_counts.update(message.notes)
        self.refresh()
        self.announce()

    def update_note_count(self, case_id: str, count: int) -> None:
        self.note_counts[case_id] = count
        self.refresh()

    # ------------------------------------------------------------------------- render
    def set_empty_message(self, message: Text) -> None:
        """What to say when no case matches (shown in place of the rows)."""
        self.empty_message = message
        self.refresh()

    def _empty_line(self, y: int, width: int) -> Strip:
        lines = self.empty_message.wrap(self.app.console, max(width - 4, 10))
        base = self.rich_style
        if not 1 <= y <= len(lines):
            return Strip.blank(width, base)
        line = Text("  ") + lines[y - 1]
        line.truncate(width, pad=True)
        segments = [
            Segment(seg.text, base + (seg.style or Style()))
            for seg in line.render(self.app.console)
        ]
        return Strip(segments, width).crop(0, width)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width or self.size.width
        index = int(self.scroll_y) + y
        base, cursor_style, loading_style = self._styles
        if self.count == 0:
            return self._empty_line(y, width)
        if index >= self.count:
            return Strip.blank(width, base)
        row = self.row_at(index)
        if row is None:
            self.call_later(self.want_page, index // PAGE)
            return Strip([Segment(" …".ljust(width), loading_style)], width)
        notes = self.note_counts.get(row.id, 0)
        selected = index == self.cursor
        key = (row, notes, selected, width)
        strip = self._row_cache.get(key)
        if strip is None:
            strip = self._render_row(
                row, notes, cursor_style if selected else base, width, whole=selected
            )
            if len(self._row_cache) >= ROW_CACHE:
                self._row_cache.clear()
            self._row_cache[key] = strip
        return strip

    def _render_row(
        self, row: CaseRow, notes: int, style: Style, width: int, *, whole: bool = False
    ) -> Strip:
        columns = layout_columns(width)
        cells = row_cells(row, notes, {c.key: c.width for c in columns})
        cut = any(cells.get(c.key, Text()).cell_len > c.width for c in columns)
        with_title = any(c.key == "title" for c in columns)
        whole_text = whole_row(row, notes, title=with_title) if whole and cut else None
        if whole_text is not None and whole_text.cell_len < width:
            # The cursor row shows its names whole rather than cut to the columns.
            text = Text(" ") + whole_text
        else:
            text = Text(" ")
            for i, col in enumerate(columns):
                cell = cells.get(col.key, Text()).copy()
                cell.truncate(col.width, overflow="ellipsis", pad=True)
                if i:
                    text.append(" ")
                text.append_text(cell)
        text.truncate(width, pad=True)
        segments = [
            Segment(seg.text, style + (seg.style or Style()))
            for seg in render_text(self.app.console, text)
        ]
        return Strip(segments, width).crop(0, width)

    # ------------------------------------------------------------------------- cursor
    def set_cursor(self, index: int, *, center: bool = False) -> None:
        if self.count == 0:
            self.cursor = 0
            self.announce()
            return
        self.cursor = min(max(index, 0), self.count - 1)
        self._scroll_to_cursor(center=center)

    def _scroll_to_cursor(self, *, center: bool = False) -> None:
        height = self.scrollable_content_region.height or self.size.height or 1
        top = int(self.scroll_y)
        if center and not (top <= self.cursor < top + height):
            self.scroll_to(y=max(self.cursor - height // 2, 0), animate=False, immediate=True)
        elif self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def watch_cursor(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        self.announce()

    def _refresh_row(self, index: int) -> None:
        y = index - int(self.scroll_y)
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def highlighted(self, row: CaseRow | None) -> Message:
        return self.Highlighted(row.id, row.title) if row is not None else self.Highlighted(None)

    def chosen(self, row: CaseRow) -> Message:
        return self.Opened(row.id)

    def action_open(self) -> None:
        self.choose()
