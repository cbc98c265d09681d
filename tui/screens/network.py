"""The network of a region or a partner (`w` in the overview): the partners a region works
with (or the regions a partner works with), each with its cases, types and years.

Enter steps to the highlighted neighbour's own network, Backspace steps back, `c` shows the
cases of the pair in the main screen, Escape closes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from paradiplo.db import stats as stats_api
from paradiplo.db.i18n import _, data_label
from paradiplo.db.labels import cases_count
from paradiplo.db.models import Filters
from paradiplo.db.store import Store
from paradiplo.tui.keys import close_binding, jk_bindings
from paradiplo.tui.screens.overview import describe_filters, show_in_main
from paradiplo.tui.widgets.dbwork import DbResult, is_current, run_db
from paradiplo.tui.widgets.keybar import KeyBar
from paradiplo.tui.widgets.text import one_line


@dataclass
class NetworkLoaded(DbResult):
    key: str
    network: stats_api.Network
    labels: dict[str, str]


def neighbour_row(nb: stats_api.Neighbour) -> Table:
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(ratio=3, no_wrap=True, overflow="ellipsis")
    grid.add_column(width=7, justify="right", no_wrap=True)
    grid.add_column(ratio=2, no_wrap=True, overflow="ellipsis")
    years = ""
    if nb.year_from is not None:
        years = str(nb.year_from) if nb.year_from == nb.year_to else f"{nb.year_from}–{nb.year_to}"
    name = one_line(
        data_label("actor_name", None, nb.label), style="bold" if nb.steppable else "dim"
    )
    name.append_text(Text(f"  {nb.where}", style="dim"))
    detail = Text(years or _("undated"), style="dim")
    if nb.types:
        detail.append("  ")
        detail.append_text(one_line(", ".join(nb.types)))
    grid.add_row(name, Text(f"{nb.count:,}", style="bold"), detail)
    return grid


class NetworkScreen(Screen[None]):
    """A region's partners or a partner's regions; Enter steps to a neighbour's network."""

    DEFAULT_CSS = """
    NetworkScreen #network-head { height: auto; max-height: 3; padding: 0 1; background: $boost; }
    NetworkScreen #network-list { height: 1fr; border: none; }
    """

    AUTO_FOCUS = "#network-list"
    BINDINGS = [
        close_binding("network"),
        Binding("backspace", "step_back", "Step back", id="network.back"),
        Binding("c", "show_cases", "Cases of the pair", id="network.cases"),
        *jk_bindings("network"),
    ]

    def __init__(self, key: str, filters: Filters | None = None) -> None:
        super().__init__()
        self.filters = replace(filters or Filters(), region=None, partner=None)
        self.key = key
        self.history: list[tuple[str, str]] = []  # (key, label) of the networks stepped from
        self.network: stats_api.Network | None = None
        self.labels: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Static(Text(_("Reading…"), style="dim"), id="network-head")
        yield OptionList(id="network-list")
        yield KeyBar()

    def on_mount(self) -> None:
        self.load(self.key)

    def load(self, key: str) -> None:
        filters = self.filters

        def read(store: Store) -> NetworkLoaded:
            conn = store.conn
            return NetworkLoaded(
                key, stats_api.network(conn, key, filters), stats_api.filter_labels(conn, filters)
            )

        run_db(self, "network", read)

    def on_network_loaded(self, message: NetworkLoaded) -> None:
        if not is_current(self, message):
            return
        net = message.network
        self.key = message.key
        self.network = net
        self.labels.update(message.labels)
        with self.app.batch_update():
            head = Text()
            head.append_text(one_line(data_label("actor_name", None, net.label), style="bold"))
            kind = _("its partners") if net.side == "region" else _("the regions it works with")
            head.append(f"  ·  {cases_count(net.count)}  ·  {kind}: ", style="dim")
            head.append(f"{len(net.neighbours):,}")
            parts = describe_filters(self.filters, self.labels)
            if parts:
                head.append("\n")
                head.append_text(Text("  ·  ", style="dim").join(parts))
            if self.history:
                head.append("\n")
                head.append(_("Backspace: back to") + " ", style="dim")
                head.append_text(one_line(self.history[-1][1]))
            self.query_one("#network-head", Static).update(head)
            options = self.query_one(OptionList)
            options.set_options(
                [Option(neighbour_row(nb), id=str(i)) for i, nb in enumerate(net.neighbours)]
                or [Option(Text(_("No cases under these filters."), style="dim"), disabled=True)]
            )
            if net.neighbours:
                options.highlighted = 0

    def _current(self) -> stats_api.Neighbour | None:
        net = self.network
        i = self.query_one(OptionList).highlighted
        if net is None or i is None or not 0 <= i < len(net.neighbours):
            return None
        return net.neighbours[i]

    @on(OptionList.OptionSelected)
    def step(self, event: OptionList.OptionSelected) -> None:
        nb = self._current()
        if nb is None or self.network is None:
            return
        if not nb.steppable:
            self.notify("This partner is not named: it has no network of its own.", timeout=3)
            return
        self.history.append((self.key, self.network.label))
        self.load(nb.key)

    def action_step_back(self) -> None:
        if self.history:
            self.load(self.history.pop()[0])

    def action_show_cases(self) -> None:
        nb = self._current()
        net = self.network
        if net is None:
            return
        region, partner = (net.key, None) if net.side == "region" else (None, net.key)
        labels = {**self.labels, net.key: net.label}
        if nb is not None:
            if net.side == "region":
                partner = nb.key
            else:
                region = nb.key
            labels[nb.key] = nb.label
        filters = replace(self.filters, region=region or self.filters.region)
        show_in_main(self, replace(filters, partner=partner or filters.partner), labels)

    def action_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    def action_close(self) -> None:
        self.dismiss()
