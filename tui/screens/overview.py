"""The overview (`v`): bar charts of the cases under the filters, by year, sector, partner
country, province, type and lifecycle stage, each bar labelled with its count.

Every chart is one SQL aggregate (db/stats.py), read in one thread worker per filter change.
The bars are Rich's `Bar` in rows of a line-drawn list (tui/widgets/barchart.py): selectable, readable at
80 columns, labelled on the left and counted on the right. Enter on a bar shows its cases in
the main screen; `f` narrows the overview to it instead, `x` clears the overview's filters.
`m` opens the matrix, `w` the network of the highlighted province or country (or of the
region / partner filter), `z` zooms a chart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Input, Static

from paradiplo.db import stats as stats_api
from paradiplo.db.i18n import N_, _
from paradiplo.db.labels import cases_count
from paradiplo.db.models import Filters
from paradiplo.db.store import Store
from paradiplo.tui.filters_ui import filter_parts
from paradiplo.tui.keys import back_binding
from paradiplo.tui.screens.dialogs import DIALOG_CSS
from paradiplo.tui.widgets.barchart import BarChart
from paradiplo.tui.widgets.dbwork import DbResult, is_current, run_db
from paradiplo.tui.widgets.keybar import KeyBar

# The charts, in screen order: (dimension, title).
CHARTS = (
    ("year", N_("Timeline (year)")),
    ("sector", N_("Sector")),
    ("country", N_("Partner country")),
    ("province", N_("Province")),
    ("type", N_("Type")),
    ("stage", N_("Stage")),
)


# ------------------------------------------------------------------------ the bars
# ------------------------------------------------------------------------ the screen
class ChartPane(Vertical):
    """A chart's bordered, titled pane, maximisable with `z`."""

    ALLOW_MAXIMIZE = True


@dataclass
class OverviewLoaded(DbResult):
    filters: Filters
    total: int
    charts: dict[str, list[stats_api.Count]]
    has_stage: bool
    labels: dict[str, str]


def load_overview(filters: Filters) -> Any:
    def load(store: Store) -> OverviewLoaded:
        from paradiplo.db import queries

        conn = store.conn
        charts = stats_api.counts_many(conn, [dim for dim, _ in CHARTS], filters)
        labels = stats_api.filter_labels(conn, filters)
        return OverviewLoaded(
            filters,
            queries.count_cases(conn, filters),
            charts,
            stats_api.has_stage(conn),
            labels,
        )

    return load


def describe_filters(f: Filters, labels: dict[str, str]) -> list[Text]:
    """The active filters as the main screen's filter bar names them."""
    return filter_parts(f, labels)


def filter_line(total: int, f: Filters, labels: dict[str, str]) -> Text:
    text = Text(cases_count(total), style="bold")
    parts = describe_filters(f, labels)
    if parts:
        text.append("  ·  ", style="dim")
        text.append_text(Text("  ·  ", style="dim").join(parts))
    return text


def show_line(bar: Static, text: Text) -> None:
    """Update a one- or two-line bar, asking for a layout of the screen only when its height
    changes (a layout re-arranges every widget: the costliest part of a redraw)."""
    width = bar.content_region.width
    lines = 1 if width and text.cell_len <= width else 2
    bar.update(text, layout=lines != bar.size.height)


class OverviewScreen(Screen[None]):
    """Charts of the cases under the filters; Enter on a bar shows its cases."""

    DEFAULT_CSS = """
    OverviewScreen #overview-bar { height: auto; max-height: 3; padding: 0 1; background: $boost; }
    OverviewScreen #charts { grid-size: 3 2; grid-gutter: 0; height: 1fr; }
    OverviewScreen.-narrow #charts { grid-size: 2 3; }
    OverviewScreen .chart-pane { height: 1fr; }
    OverviewScreen BarChart { height: 1fr; border: none; background: $surface; padding: 0; }
    OverviewScreen BarChart:focus { background-tint: $foreground 0%; }
    """

    AUTO_FOCUS = "#chart-year"
    BINDINGS = [
        back_binding("overview"),
        Binding("f", "narrow", "Narrow to bar", id="overview.narrow"),
        Binding("x", "clear", "Clear filters", id="overview.clear"),
        Binding("m", "matrix", "Matrix", id="overview.matrix"),
        Binding("w", "network", "Network", id="overview.network"),
        Binding("z", "zoom", "Zoom", id="overview.zoom"),
        Binding("t", "ask_years", "Years", show=False, id="overview.years"),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-normal")]

    filters: reactive[Filters] = reactive(Filters, init=False, always_update=False, repaint=False)

    def __init__(self, filters: Filters) -> None:
        super().__init__()
        self.set_reactive(OverviewScreen.filters, filters)
        self.labels: dict[str, str] = {}
        self.shown: Filters | None = None  # the filters whose charts are on screen
        self.total = 0

    def compose(self) -> ComposeResult:
        yield Static(Text(_("Counting…"), style="dim"), id="overview-bar")
        with Grid(id="charts"):
            for dim, title in CHARTS:
                with ChartPane(classes="pane chart-pane", id=f"pane-{dim}") as pane:
                    pane.border_title = _(title)
                    yield BarChart(dim, id=f"chart-{dim}")
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        run_db(self, "overview", load_overview(self.filters))

    def watch_filters(self, old: Filters, new: Filters) -> None:
        self.reload()

    def on_overview_loaded(self, message: OverviewLoaded) -> None:
        if not is_current(self, message) or message.filters != self.filters:
            return
        color = self.app.theme_variables.get("accent", "magenta")
        with self.app.batch_update():
            for dim, _title in CHARTS:
                chart = self.query_one(f"#chart-{dim}", BarChart)
                items = message.charts[dim]
                selectable = dim != "stage" or message.has_stage
                chart.show(items, color, selectable=selectable)
            stage_pane = self.query_one("#pane-stage")
            stage_title = _("Stage") if message.has_stage else _("Stage (not recorded)")
            if stage_pane.border_title != stage_title:
                stage_pane.border_title = stage_title
            self.labels.update(message.labels)
            self.total = message.total
            show_line(
                self.query_one("#overview-bar", Static),
                filter_line(message.total, message.filters, self.labels),
            )
            self.shown = message.filters

    # -------------------------------------------------------------------- actions
    def _focused_bar(self) -> tuple[str, stats_api.Count] | None:
        focused = self.focused
        if isinstance(focused, BarChart):
            item = focused.current()
            if item is not None:
                return focused.dim, item
        return None

    @on(BarChart.Selected)
    def bar_selected(self, event: BarChart.Selected) -> None:
        chart = event.chart
        if not 0 <= event.index < len(chart.items):
            return
        item = chart.items[event.index]
        narrowed = stats_api.narrowed(self.filters, chart.dim, item.key)
        if narrowed is None:
            self.notify(_("“{label}” cannot be a filter.").format(label=item.shown), timeout=3)
            return
        show_in_main(self, narrowed, {**self.labels, **bar_labels(chart.dim, item)})

    def action_narrow(self) -> None:
        bar = self._focused_bar()
        if bar is None:
            return
        dim, item = bar
        narrowed = stats_api.narrowed(self.filters, dim, item.key)
        if narrowed is None:
            self.notify(_("“{label}” cannot be a filter.").format(label=item.shown), timeout=3)
            return
        self.labels.update(bar_labels(dim, item))
        self.filters = narrowed

    def action_clear(self) -> None:
        if not self.filters.is_empty():
            self.filters = Filters()

    def action_back(self) -> None:
        if self.maximized is not None:
            self.minimize()
            return
        self.dismiss()

    def action_zoom(self) -> None:
        if self.maximized is not None:
            self.minimize()
            return
        focused = self.focused
        if focused is not None and isinstance(focused.parent, Widget):
            self.maximize(focused.parent, container=False)

    def action_matrix(self) -> None:
        from paradiplo.tui.screens.matrix import MatrixScreen

        self.app.push_screen(MatrixScreen(self.filters, dict(self.labels)))

    def action_network(self) -> None:
        from paradiplo.tui.screens.network import NetworkScreen

        key = None
        bar = self._focused_bar()
        if bar is not None and bar[0] in ("province", "country") and bar[1].key is not None:
            key = f"p:{bar[1].key}" if bar[0] == "province" else f"pc:{bar[1].key}"
        key = key or self.filters.region or self.filters.partner
        if key is None:
            self.notify(
                "Highlight a province or a partner country (or filter by a region or partner) "
                "to see its network.",
                timeout=4,
            )
            return
        self.app.push_screen(NetworkScreen(key, self.filters))

    def action_ask_years(self) -> None:
        def answered(years: tuple[int | None, int | None] | None) -> None:
            if years is not None:
                self.filters = replace(self.filters, year_from=years[0], year_to=years[1])

        self.app.push_screen(YearsDialog(self.filters), answered)


def bar_labels(dim: str, item: stats_api.Count) -> dict[str, str]:
    """The filter-bar label a bar's filter key gets."""
    if item.key is None:
        return {}
    key = {
        "province": f"p:{item.key}",
        "region": f"r:{item.key}",
        "country": f"pc:{item.key}",
        "sector": str(item.key),
        "type": f"type:{item.key}",
    }.get(dim)
    return {key: item.shown} if key else {}


def show_in_main(screen: Screen[Any], filters: Filters, labels: dict[str, str]) -> None:
    """Close the overview screens and show the cases under `filters` in the main screen."""
    app: Any = screen.app
    app.back_to_main()
    app.main.show_filters(filters, labels)


# ------------------------------------------------------------------------ years
_RANGE = re.compile(r"^\s*(\d{4})?\s*(?:(-|–|—|\.\.|to)\s*(\d{4})?)?\s*$")


def parse_years(text: str) -> tuple[int | None, int | None] | None:
    """'2017' -> (2017, 2017); '2010-2020', '2010 to 2020' -> (2010, 2020); '2010-' -> (2010,
    None); '-2020' -> (None, 2020); '' -> (None, None) (no filter); None if not understood."""
    if not text.strip():
        return (None, None)
    m = _RANGE.match(text)
    if m is None:
        return None
    start, dash, end = m.group(1), m.group(2), m.group(3)
    if not dash:
        return (int(start), int(start)) if start else None
    a = int(start) if start else None
    b = int(end) if end else None
    if a is None and b is None:
        return None
    if a is not None and b is not None and a > b:
        a, b = b, a
    return (a, b)


class YearsDialog(ModalScreen[tuple[int | None, int | None] | None]):
    """Asks for a year or a range; Enter applies, Escape cancels, empty clears."""

    DEFAULT_CSS = (
        DIALOG_CSS
        + """
    YearsDialog { align: center middle; }
    YearsDialog #years-problem { height: auto; }
    """
    )

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="years.cancel")]

    def __init__(self, filters: Filters) -> None:
        super().__init__()
        self.current = (
            filters.years_label().replace("–", "-").replace("from ", "").replace("to ", "-")
        )
        if filters.year_from is not None and filters.year_to is None:
            self.current += "-"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(_("Years"), style="bold"), classes="dialog-title")
            yield Static(
                _(
                    "A year (2017) or a range (2010-2020, 2010-, -2020). Empty: any year. "
                    "Undated cases are left out of any year filter."
                ),
                classes="dialog-body",
            )
            yield Input(self.current, placeholder=_("e.g. 2010-2020"), id="years-input")
            yield Static("", id="years-problem")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        years = parse_years(event.value)
        if years is None:
            self.query_one("#years-problem", Static).update(
                Text(
                    _("Not a year or a range: write 2017, 2010-2020, 2010- or -2020."), style="bold"
                )
            )
            return
        self.dismiss(years)

    def action_cancel(self) -> None:
        self.dismiss(None)
