"""The main screen: Regions, Sectors, Agreements and Detail panes, wired to the filters.

The screen owns the filters and the sort. The start and every change read one `BrowseView`
(db/browse.py: the trees, sector counts, counts, the first page and the selected case) in one
thread worker, shown in one batch. The list then pages the rest as it scrolls; moving its
cursor loads that case into the Detail pane.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widget import Widget
from textual.worker import Worker

from paradiplo.db.browse import PARTS, BrowseView, Selection, browse
from paradiplo.db.browse import labels as browse_labels
from paradiplo.db.i18n import N_, _
from paradiplo.db.models import Filters
from paradiplo.db.store import Store
from paradiplo.tui.filters_ui import (
    FilterBar,
    ask_years,
    filter_bar_text,
    no_cases_message,
    open_network,
)
from paradiplo.tui.main_detail import DetailSide
from paradiplo.tui.widgets.case_list import SORT_CYCLE, SORT_LABELS, CaseHeader, CaseList
from paradiplo.tui.widgets.dbwork import DbResult, WorkFailed, app_of, db_work
from paradiplo.tui.widgets.detail import DetailView
from paradiplo.tui.widgets.keybar import KeyBar
from paradiplo.tui.widgets.regions import ClearRequest, RegionTree
from paradiplo.tui.widgets.sectors import SectorList
from paradiplo.tui.widgets.text import one_line
from paradiplo.tui.widgets.titlebar import TitleBar


@dataclass
class Browsed(DbResult):
    """A `BrowseView` read for the screen (the first, on mount, opens the store too)."""

    view: BrowseView


def read_view(
    store: Store,
    filters: Filters,
    sort: str,
    selection: Selection,
    read_countries: Collection[str] = (),
) -> Browsed:
    """The work of the browse worker: one `BrowseView`, failing parts recorded in it; in a
    large collection the trees are read under the countries the region tree shows open
    (`read_countries`) and the others when they are opened (widgets/regions.py)."""
    view = browse(store.conn, filters, sort, selection, strict=False, read_countries=read_countries)
    return Browsed(view)


# The four panes in their order (their number keys 1-4), each with its title.
PANES = {
    "regions": N_("Regions"),
    "sectors": N_("Sectors"),
    "agreements": N_("Agreements"),
    "detail": N_("Detail"),
}


class Pane(Vertical):
    """One of the four panes: bordered, titled, and maximisable with `z`."""

    ALLOW_MAXIMIZE = True


class MainScreen(DetailSide):
    """The case browser."""

    HORIZONTAL_BREAKPOINTS = [
        (0, "-narrow -tiny"),
        (60, "-narrow"),
        (100, "-normal"),
        (170, "-wide"),
    ]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    AUTO_FOCUS = "#agreements"  # the list has the focus from the start

    BINDINGS = [
        *(
            Binding(str(key), f"focus_pane('{pane}')", title, show=False, id=f"pane_{pane}")
            for key, (pane, title) in enumerate(PANES.items(), 1)
        ),
        Binding("escape", "clear_filters", "Clear filters", show=False, id="clear_filters"),
        Binding("x", "clear_filters", "Clear filters", show=False, id="clear_filters_x"),
        Binding("o", "cycle_sort", "Sort", tooltip=N_("Year, title, region, partner"), id="sort"),
        Binding("z", "zoom", "Zoom", tooltip=N_("Maximise / restore the pane"), id="zoom"),
        Binding("E", "edit_case", "Edit case", show=False, id="case_edit"),
        Binding("D", "delete_case", "Delete case", show=False, id="case_delete"),
        Binding("U", "restore_case", "Restore case", show=False, id="case_restore"),
        Binding("t", "ask_years", "Years", tooltip=N_("Filter by a year or a range"), id="years"),
        Binding(
            "w",
            "network",
            "Network",
            show=False,
            tooltip=N_("The partners of the highlighted region (or the regions of a partner)"),
            id="network",
        ),
    ]

    filters: reactive[Filters] = reactive(Filters, init=False, always_update=False, repaint=False)
    sort: reactive[str] = reactive("-year", init=False, repaint=False)

    def __init__(
        self, filters: Filters | None = None, sort: str = "-year", case_id: str | None = None
    ) -> None:
        super().__init__()
        self.set_reactive(MainScreen.filters, filters or Filters())
        self.set_reactive(MainScreen.sort, sort)
        self.want_case = case_id
        # The filters the user had before a jump to a case (a search hit, a note) cleared them:
        # Escape brings them back.
        self.filters_before_jump: Filters | None = None
        self.count = 0
        self.total = 0
        self.labels: dict[str, str] = {}
        self.failed: set[str] = set()  # panes whose data could not be read
        self.opened = False  # the first view has been shown
        self.mounted = False
        self._early: BrowseView | None = None
        self.view: BrowseView | None = None  # the view on screen
        self._first: Worker[DbResult | None] | None = None

    # ------------------------------------------------------------------------ layout
    def _preset_breakpoints(self) -> None:
        """Start with the size classes Textual would set on the first resize: set then, they
        restyle every widget once more before the first frame."""
        try:
            width, height = self.app.size
        except Exception:  # no app yet (a test building the screen alone)
            return
        if not width or not height:
            return
        classes: dict[str, bool] = {}
        for dimension, points in (
            (width, self.HORIZONTAL_BREAKPOINTS or []),
            (height, self.VERTICAL_BREAKPOINTS or []),
        ):
            chosen = next(
                (name for at, name in sorted(points, reverse=True) if dimension >= at), None
            )
            classes.update({name: name == chosen for _, name in points})
        self.update_classes(classes, update=False)

    def compose(self) -> ComposeResult:
        self._preset_breakpoints()
        yield TitleBar()
        with Horizontal(id="body"):
            with Vertical(id="sidebar"):
                with Pane(id="regions-pane", classes="pane"):
                    yield RegionTree(id="regions")
                with Pane(id="sectors-pane", classes="pane"):
                    yield SectorList(id="sectors")
            with Vertical(id="content"):
                # Active from the start: the list has the focus (no restyle on first focus).
                with Pane(id="agreements-pane", classes="pane -active"):
                    yield FilterBar(Text(_("Loading…"), style="dim"), id="filterbar")
                    yield CaseHeader(id="case-header")
                    yield CaseList(id="agreements")
                with Pane(id="detail-pane", classes="pane"):
                    yield DetailView(id="detail")
        yield KeyBar()

    def on_mount(self) -> None:
        for key, (pane, title) in enumerate(PANES.items(), 1):
            border_title = Text.assemble((str(key), "bold"), " ", _(title))
            self.query_one(f"#{pane}-pane").border_title = border_title
        self.query_one(CaseHeader).sort = self.sort
        self.query_one(RegionTree).set_choice(self.filters.region, self.filters.partner)
        self.query_one(CaseList).focus()
        self.mounted = True
        first = self._first
        if self._early is not None:  # the first view came before the screen was built
            self.show_view(self._early)
        elif first is not None and first.is_finished:
            # Read, its message not handled yet: shown now, in the screen's first frame.
            if isinstance(first.result, Browsed):
                self.show_view(first.result.view)
        elif first is None:
            self.reload()
        if not self.opened:
            # The panes are drawn once their first view is here, not empty before it (a frame
            # that costs as much as the real one, while the view is being read).
            self.query_one("#body").styles.visibility = "hidden"

    def expect_first(self, worker: Worker[DbResult | None]) -> None:
        """The app reads the first view (in `worker`, started as it loads)."""
        self._first = worker

    # ------------------------------------------------------------------------ loading
    # Every change (filters, sort, a case picked elsewhere, the start) reads one BrowseView in
    # one worker and shows it in one batch: one layout and one frame for the four panes.
    def reload(self, *, reveal: bool = False) -> None:
        select = self.want_case if not self.opened or reveal else self.current_case
        read = self.query_one(RegionTree).countries_read()
        self.load(self.filters, self.sort, Selection(select, reveal), read)

    @db_work("browse")
    def load(
        self, filters: Filters, sort: str, selection: Selection, read: Collection[str]
    ) -> Browsed:
        """Read what the panes show."""
        return read_view(app_of(self).open_store(), filters, sort, selection, read)

    def on_browsed(self, message: Browsed) -> None:
        message.stop()
        if not message.stale:
            self.show_view(message.view)

    def show_view(self, view: BrowseView) -> None:
        """Show a view in every pane, in one batch (kept until mounted if it came first)."""
        if not self.mounted:
            self._early = view
            return
        if view is self.view:
            return
        self.view = view
        first = not self.opened
        self.opened = True
        with self.app.batch_update():
            if view.revealed:
                # The case asked for was hidden by the filters, so they were cleared to show it.
                self.filters_before_jump = self.filters
                self.set_reactive(MainScreen.filters, view.filters)
                self._remember()
                self.notify(
                    "Filters cleared to show that case: Escape brings yours back.", timeout=4
                )
            self.labels.update(browse_labels(view))
            self._show_trees(view)
            self._show_sectors(view)
            self._show_cases(view)
            self._show_filterbar()  # once, with the labels and counts just shown
            for part, error in view.failures.items():
                self.pane_failed(part, app_of(self).report_error(error))
        self._all_loaded()
        if first:
            app_of(self).started()

    def on_work_failed(self, message: WorkFailed) -> None:
        """A case could not be read: say so in the Detail pane (the App notifies; it handles
        a failed view as well, the first one included, see `view_failed`)."""
        if message.group == "detail":
            self._detail_loading = False
            if not message.stale:
                self.pane_failed("detail", app_of(self).error_text(message.error))

    def view_failed(self, text: str) -> None:
        """No view could be read: every pane says why."""
        for part in PARTS:
            self.pane_failed(part, text)
        self._all_loaded()

    def _show_trees(self, view: BrowseView) -> None:
        tree = self.query_one(RegionTree)
        tree.set_choice(view.filters.region, view.filters.partner)
        if "regions" not in view.failures:
            tree.show(view.regions, view.partners, view.unread, view.filters)

    def _show_sectors(self, view: BrowseView) -> None:
        if "sectors" not in view.failures:
            self.query_one(SectorList).show(view.sectors, view.filters.sectors)

    def _show_cases(self, view: BrowseView) -> None:
        self.count, self.total = view.count, view.total
        if view.case is not None:
            # Shown before the list moves its cursor there, so the list's Highlighted
            # finds the case in place and loads nothing.
            self._show_case(view.case.case_id, view.case.detail, view.case.notes)
        case_list = self.query_one(CaseList)
        case_list.reset(
            view.filters,
            view.sort,
            view.count,
            view.first_page,
            view.note_counts,
            view.cursor,
            view.cursor_page,
        )
        self.query_one(CaseHeader).sort = view.sort
        self.query_one(CaseHeader).display = view.count > 0
        if view.count == 0:
            case_list.set_empty_message(no_cases_message(view.total))
            self.current_case = None
            self._show_case(None, None, None, empty=_("No case under these filters."))

    def shows(self, filters: Filters, sort: str) -> bool:
        """True once the view on screen answers `filters` and `sort` (a change is shown)."""
        view = self.view
        return view is not None and view.asked == filters and view.sort == sort

    def pane_failed(self, part: str, message: str) -> None:
        """A pane's query failed: say so in the pane."""
        text = Text(_("Could not load this:") + " ", style="bold") + one_line(message)
        if part == "agreements":
            self.query_one(FilterBar).show(text)
        elif part == "detail":
            self.detail_failed(text.plain)
        self.failed.add(part)

    def _all_loaded(self) -> None:
        """Every pane shows data (or says why not): set the app's `ready` after this frame."""
        self.query_one("#body").styles.visibility = "visible"
        app = app_of(self)
        if not app.ready.is_set():
            self.app.call_after_refresh(app.first_shown)

    # --------------------------------------------------------------------- filter bar
    def _show_filterbar(self) -> None:
        text = filter_bar_text(self.filters, self.sort, self.count, self.total, self.labels)
        self.query_one(FilterBar).show(text)

    def action_ask_years(self) -> None:
        """Ask for a year or a range of years and filter by it (empty: no year filter)."""
        ask_years(self)

    def action_network(self) -> None:
        """The network of the region or partner highlighted in the region tree (when it has
        the focus), else of the region or partner filter."""
        key = None
        tree = self.query_one(RegionTree)
        if self.focused is tree:
            node = tree.chosen_node()
            key = node.key if node is not None and node.key else None
        hint = N_(
            "Highlight a region or partner in the Regions pane (or filter by one) to see "
            "its network."
        )
        open_network(self, key or self.filters.region or self.filters.partner, hint)

    def show_filters(self, filters: Filters, labels: dict[str, str] | None = None) -> None:
        """Show the cases under `filters` (from the overview, matrix or network), in the list."""
        self.labels.update(labels or {})
        self.filters = filters
        self.action_focus_pane("agreements")

    # ------------------------------------------------------------------------ filters
    def watch_filters(self, old: Filters, new: Filters) -> None:
        self.query_one(RegionTree).set_choice(new.region, new.partner)
        self.reload()
        self._remember()

    def watch_sort(self, old: str, new: str) -> None:
        self.reload()
        self._remember()

    def _remember(self) -> None:
        app_of(self).remember(self.filters, self.sort, self.current_case)

    @on(RegionTree.Chosen)
    def region_chosen(self, message: RegionTree.Chosen) -> None:
        if message.key:
            self.labels[message.key] = message.label
        if message.side == "region":
            self.filters = replace(self.filters, region=message.key)
        else:
            self.filters = replace(self.filters, partner=message.key)

    @on(SectorList.Chosen)
    def sectors_chosen(self, message: SectorList.Chosen) -> None:
        self.filters = replace(self.filters, sectors=message.sectors)

    @on(ClearRequest)
    def clear_request(self) -> None:
        self.action_clear_filters()

    def action_clear_filters(self) -> None:
        if self.filters.is_empty() and self.filters_before_jump is not None:
            self.filters, self.filters_before_jump = self.filters_before_jump, None
            self.notify("Your filters are back.", timeout=2)
            return
        self.filters_before_jump = None
        if self.filters.is_empty():
            if isinstance(self.focused, DetailView):
                self.query_one(CaseList).focus()
            return
        self.filters = Filters()
        self.notify("Filters cleared.", timeout=2)

    def set_filter(self, kind: str, key: str, label: str = "") -> None:
        """Apply one filter from elsewhere (the command palette, a note, a search hit)."""
        if label:
            self.labels[key] = label
        if kind == "region":
            self.filters = replace(self.filters, region=key)
        elif kind == "partner":
            self.filters = replace(self.filters, partner=key)
        elif kind == "sector" and key not in self.filters.sectors:
            self.filters = replace(self.filters, sectors=(*self.filters.sectors, key))
        self.action_focus_pane("agreements")

    # --------------------------------------------------------------------- list/detail
    @on(CaseList.Highlighted)
    def case_highlighted(self, message: CaseList.Highlighted) -> None:
        self.current_case = message.case_id
        self.current_title = message.title
        if message.case_id is None:
            return
        if message.case_id != self._detail_shown:
            self._request_detail(message.case_id)
        self._remember()

    @on(CaseList.Opened)
    def case_opened(self, message: CaseList.Opened) -> None:
        self.query_one(DetailView).focus()

    @on(CaseHeader.SortClicked)
    def header_clicked(self, message: CaseHeader.SortClicked) -> None:
        column_sorts = {
            "year": "year" if self.sort == "-year" else "-year",
            "title": "title",
            "region": "region",
            "partner": "partner",
            "type": "title",
        }
        self.sort = column_sorts.get(message.column, self.sort)

    @on(DetailView.Back)
    def detail_back(self) -> None:
        self.query_one(CaseList).focus()
        if self.filters.is_empty() and self.filters_before_jump is not None:
            self.action_clear_filters()  # back from a jump: the user's filters return

    def select_case(self, case_id: str) -> None:
        """Show a case: keep the filters when it is under them, otherwise clear them."""
        self.want_case = case_id
        self.reload(reveal=True)
        self.action_focus_pane("detail")

    # ------------------------------------------------------------------------ panes
    def pane_widget(self, name: str) -> Widget:
        return {
            "regions": self.query_one(RegionTree),
            "sectors": self.query_one(SectorList),
            "agreements": self.query_one(CaseList),
            "detail": self.query_one(DetailView),
        }[name]

    def action_focus_pane(self, name: str) -> None:
        if self.maximized is not None:
            self.minimize()
        # Now, not after a refresh (Widget.focus defers): a key typed right after the number
        # (`4z`) acts on the pane just chosen.
        self.set_focus(self.pane_widget(name))

    def action_cycle_sort(self) -> None:
        i = SORT_CYCLE.index(self.sort) if self.sort in SORT_CYCLE else 0
        self.sort = SORT_CYCLE[(i + 1) % len(SORT_CYCLE)]
        self.notify(
            _("Sorted by {order}.").format(order=_(SORT_LABELS.get(self.sort, self.sort))),
            timeout=2,
        )

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Mark the pane holding the focus (a class, cheaper to restyle than :focus-within)."""
        focused = event.widget
        for pane in self.query(".pane"):
            active = focused in pane.walk_children() or focused is pane
            if pane.has_class("-active") != active:
                pane.set_class(active, "-active")

    def action_zoom(self) -> None:
        if self.maximized is not None:
            self.minimize()
            return
        focused = self.focused
        if focused is None:
            return
        pane = next((a for a in focused.ancestors_with_self if a.has_class("pane")), None)
        if isinstance(pane, Widget):
            self.maximize(pane, container=False)

    def refresh_from_elsewhere(self, *, force: bool = False) -> bool:
        """Reload for a change another process made, keeping the filters and the case under
        the cursor. Not while a load is on its way (a case being opened, a filter change):
        reloading then would select the case the cursor was on before; False says "later"."""
        loading = any(
            w.group == "browse" and w.node is self and w.is_running for w in self.app.workers
        )
        if not force and (loading or self._detail_loading):
            return False
        self.reload()
        return True

    def on_screen_resume(self) -> None:
        """Back in front: show what another process changed meanwhile (see the app)."""
        app_of(self).refresh_if_stale()

    # ------------------------------------------------------------- own cases (E D U)
    def action_edit_case(self) -> None:
        from paradiplo.tui.screens.case_actions import edit_case

        edit_case(self)

    def action_delete_case(self) -> None:
        from paradiplo.tui.screens.case_actions import delete_case

        delete_case(self)

    def action_restore_case(self) -> None:
        from paradiplo.tui.screens.case_actions import restore_case

        restore_case(self)

    # -------------------------------------------------------------------- for the app
    def focused_target(self) -> tuple[str, str, str] | None:
        """(target_type, target_id, label) for 'new note on the focused thing'."""
        focused = self.focused
        if isinstance(focused, RegionTree):
            data = focused.chosen_node()
            if data is not None and data.key:
                return ("region", data.key, data.label)
            return None
        if self.current_case:
            view = self.query_one(DetailView)
            title = view.detail.title if view.detail else self.current_title
            return ("case", self.current_case, title)
        return None
