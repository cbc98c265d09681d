"""The main screen: Regions, Sectors, Agreements and Detail panes, wired to the filters.

The screen owns the filters and the sort. Any change reloads, each in its own thread worker:
the region/partner tree counts, the sector counts, and the agreement count with its first page
(and the row of the case to keep selected). The list then pages the rest as it scrolls; moving
its cursor loads that case into the Detail pane.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from db import notes as notes_api
from db import queries
from db.errors import NotFound
from db.i18n import N_, _, data_label, ngettext, number
from db.models import CaseDetail, CaseRow, Filters, Note, RegionNode, SectorCount
from db.store import Store
from tui.citing import QuoteCite
from tui.widgets.case_list import PAGE, SORT_CYCLE, SORT_LABELS, CaseHeader, CaseList
from tui.widgets.dbwork import DbResult, is_current, run_db, run_db_together
from tui.widgets.detail import CASE_CONTEXT, DetailView
from tui.widgets.keybar import KeyBar
from tui.widgets.regions import ClearRequest, RegionTree
from tui.widgets.sectors import SectorList
from tui.widgets.text import one_line
from tui.widgets.titlebar import TitleBar


@dataclass
class TreesLoaded(DbResult):
    regions: list[RegionNode]
    partners: list[RegionNode]


@dataclass
class SectorsLoaded(DbResult):
    counts: list[SectorCount]


@dataclass
class CasesLoaded(DbResult):
    filters: Filters
    sort: str
    count: int
    total: int
    first_page: list[CaseRow]
    notes: dict[str, int]
    cursor: int
    cursor_page: list[CaseRow] | None
    # The case under the cursor, read in the same worker: the list and its detail then
    # appear in one frame, with no second round trip.
    detail: CaseDetail | None = None
    case_notes: list[Note] | None = None


@dataclass
class DetailLoaded(DbResult):
    case_id: str
    detail: CaseDetail | None
    case_notes: list[Note] | None = None


HOLD_S = 0.04  # how long the first result of a reload waits for the others
# How long the screen waits, before its first frame, for the store to open and its panes'
# data to be read: if they are ready by then, the first frame shows them (and the screen is
# laid out and drawn once, not twice).
FIRST_DATA_WAIT_S = 0.25


class FilterBar(Static):
    """The count, the active filters and the sort, above the list."""

    def show(self, text: Text) -> None:
        """Update, asking for a layout only when the bar's height (1 or 2 lines) changes:
        a layout re-arranges the whole screen."""
        width = self.content_region.width
        lines = 1 if width and text.cell_len <= width else 2
        self.update(text, layout=lines != self.size.height)


class Pane(Vertical):
    """One of the four panes: bordered, titled, and maximisable with `z`."""

    ALLOW_MAXIMIZE = True


class MainScreen(Screen[None]):
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
        Binding("1", "focus_pane('regions')", "Regions", show=False, id="pane_regions"),
        Binding("2", "focus_pane('sectors')", "Sectors", show=False, id="pane_sectors"),
        Binding("3", "focus_pane('agreements')", "Agreements", show=False, id="pane_agreements"),
        Binding("4", "focus_pane('detail')", "Detail", show=False, id="pane_detail"),
        Binding("escape", "clear_filters", "Clear filters", show=False, id="clear_filters"),
        Binding("x", "clear_filters", "Clear filters", show=False, id="clear_filters_x"),
        Binding("o", "cycle_sort", "Sort", tooltip="Year, title, region, partner", id="sort"),
        Binding("z", "zoom", "Zoom", tooltip="Maximise / restore the pane", id="zoom"),
        Binding("E", "edit_case", "Edit case", show=False, id="case_edit"),
        Binding("D", "delete_case", "Delete case", show=False, id="case_delete"),
        Binding("U", "restore_case", "Restore case", show=False, id="case_restore"),
    ]

    filters: reactive[Filters] = reactive(Filters, init=False, always_update=False, repaint=False)
    sort: reactive[str] = reactive("-year", init=False, repaint=False)

    def __init__(
        self, filters: Filters | None = None, sort: str = "-year", case_id: str | None = None
    ) -> None:
        super().__init__()
        self.set_reactive(MainScreen.filters, filters or Filters())
        self.set_reactive(MainScreen.sort, sort)
        self._preset_breakpoints()
        self.want_case = case_id
        self.current_case: str | None = None
        self.current_title = ""
        # The filters the user had before a jump to a case (a search hit, a note) cleared them:
        # Escape brings them back.
        self.filters_before_jump: Filters | None = None
        self.count = 0
        self.total = 0
        self.labels: dict[str, str] = {}
        self.loaded: set[str] = set()
        self.failed: set[str] = set()
        self.panes_mounted = False  # set in on_mount: the panes can take data
        self._waiting: set[str] = set()
        self._pending: dict[str, DbResult] = {}
        self._hold_timer: Timer | None = None
        self._labelled: tuple[list[RegionNode] | None, list[RegionNode] | None] = (None, None)
        self._detail_want: str | None = None
        self._detail_shown: str | None = None
        self._detail_worker: Worker[None] | None = None
        self._detail_loading = False  # a detail load runs and its result has not arrived

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
        titles = {
            "regions-pane": ("1", N_("Regions")),
            "sectors-pane": ("2", N_("Sectors")),
            "agreements-pane": ("3", N_("Agreements")),
            "detail-pane": ("4", N_("Detail")),
        }
        for pane_id, (key, name) in titles.items():
            self.query_one(f"#{pane_id}").border_title = Text.assemble((key, "bold"), " ", _(name))
        self.query_one(CaseHeader).sort = self.sort
        self.query_one(RegionTree).set_choice(self.filters.region, self.filters.partner)
        self.query_one(CaseList).focus()
        # Fill the panes now if the store and their data are ready (or nearly): the first
        # frame then shows them, and the screen is laid out and drawn once.
        self.panes_mounted = True
        opened = getattr(self.app, "opened", None)
        if opened is not None:
            opened(FIRST_DATA_WAIT_S)

    def start(self, prefetched: list[DbResult] | None = None) -> None:
        """Called by the app once the store is open: load every pane (or show what was
        read already, see `first_load`)."""
        if not prefetched:
            self.reload(first=True)
            return
        gens: dict[str, int] = self.app.db_generations  # type: ignore[attr-defined]
        for message, group in zip(prefetched, ("trees", "sectors", "cases"), strict=True):
            gens[group] = gens.get(group, 0) + 1
            message.group, message.generation = group, gens[group]
            self._waiting.add(group)
        for message in prefetched:
            self._arrived(message)

    # ------------------------------------------------------------------------ loading
    # A filter change loads three things (trees, sector counts, the list with the case under
    # its cursor). Their results are held until all have arrived (or HOLD_S has passed
    # since the first), then shown together: one layout and one repaint instead of one per
    # result, which at 160x50 cost more than every query.
    def reload(self, *, first: bool = False) -> None:
        # One worker runs the three, one after another: each takes milliseconds, and three
        # threads would spend more than that starting and contending with the UI thread.
        select = self.want_case if first else self.current_case
        self._waiting.update(("cases", "trees", "sectors"))
        run_db_together(
            self,
            [
                ("cases", _cases_loader(self.filters, self.sort, select, False)),
                ("trees", _trees_loader(self.filters)),
                ("sectors", _sectors_loader(self.filters)),
            ],
        )

    def _load_trees(self) -> None:
        self._waiting.add("trees")
        run_db(self, "trees", _trees_loader(self.filters))

    def _load_sectors(self) -> None:
        self._waiting.add("sectors")
        run_db(self, "sectors", _sectors_loader(self.filters))

    def _load_cases(self, select: str | None = None, *, clear_if_hidden: bool = False) -> None:
        """Count and first page (and the page of `select`) under the filters, with the case
        under the cursor and its notes.

        With `clear_if_hidden`, a case that the filters hide is shown by clearing them.
        """
        self._waiting.add("cases")
        run_db(self, "cases", _cases_loader(self.filters, self.sort, select, clear_if_hidden))

    def _arrived(self, message: DbResult) -> None:
        """Hold a pane's result until the others of the same reload are in (or HOLD_S)."""
        self._pending[message.group] = message
        self._waiting.discard(message.group)
        if not self._waiting:
            self._apply_pending()
        elif self._hold_timer is None:
            self._hold_timer = self.set_timer(HOLD_S, self._apply_pending)

    def _apply_pending(self) -> None:
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        pending, self._pending = self._pending, {}
        # Trees and sectors first: they carry the labels the filter bar shows.
        with self.app.batch_update():
            for group, apply in (
                ("trees", self._show_trees),
                ("sectors", self._show_sectors),
                ("cases", self._show_cases),
            ):
                message = pending.get(group)
                if message is not None and is_current(self, message):
                    apply(message)  # type: ignore[operator]
            self._show_filterbar()  # once, with the labels and counts just shown

    def on_trees_loaded(self, message: TreesLoaded) -> None:
        if is_current(self, message):
            self._arrived(message)

    def on_sectors_loaded(self, message: SectorsLoaded) -> None:
        if is_current(self, message):
            self._arrived(message)

    def on_cases_loaded(self, message: CasesLoaded) -> None:
        if is_current(self, message):
            self._arrived(message)

    def _show_trees(self, message: TreesLoaded) -> None:
        tree = self.query_one(RegionTree)
        tree.set_choice(self.filters.region, self.filters.partner)
        tree.show(message.regions, message.partners)
        if message.regions is not self._labelled[0] or message.partners is not self._labelled[1]:
            self._labelled = (message.regions, message.partners)
            for node in _walk(message.regions + message.partners):
                self.labels[node.key] = node.label
        self.labels.setdefault("pc:", "partner not named")
        self._loaded("regions")

    def _show_sectors(self, message: SectorsLoaded) -> None:
        self.query_one(SectorList).show(message.counts, self.filters.sectors)
        self.labels.update({c.id: c.label_en for c in message.counts})
        self._loaded("sectors")

    def _show_cases(self, message: CasesLoaded) -> None:
        if message.filters != self.filters:
            # The case asked for was hidden by the filters, so they were cleared to show it.
            self.filters_before_jump = self.filters
            self.set_reactive(MainScreen.filters, message.filters)
            self.query_one(RegionTree).set_choice(None, None)
            self._load_trees()
            self._load_sectors()
            self._remember()
            self.notify("Filters cleared to show that case: Escape brings yours back.", timeout=4)
        self.count, self.total = message.count, message.total
        if message.detail is not None:
            # Shown before the list moves its cursor there, so the list's Highlighted
            # finds the case in place and loads nothing.
            self._show_case(message.detail.id, message.detail, message.case_notes)
        case_list = self.query_one(CaseList)
        case_list.reset(
            message.filters,
            message.sort,
            message.count,
            message.first_page,
            message.notes,
            message.cursor,
            message.cursor_page,
        )
        self.query_one(CaseHeader).sort = message.sort
        self.query_one(CaseHeader).display = message.count > 0
        if message.count == 0:
            if message.total == 0:
                case_list.set_empty_message(
                    Text(
                        _(
                            "The database has no cases yet. Import some with "
                            "'paradiplo-tui import cases FILE'."
                        ),
                    )
                )
            else:
                msg = Text(_("No case matches these filters.") + "\n\n", style="bold")
                msg.append(_("Press x to clear all filters (Escape clears the focused pane's),"))
                msg.append(" " + _("or change them in") + " ")
                msg.append(_("1 Regions"), style="bold")
                msg.append(" " + _("and") + " ")
                msg.append(_("2 Sectors"), style="bold")
                msg.append(".")
                case_list.set_empty_message(msg)
            self.current_case = None
            self._show_case(None, None, None, empty=_("No case under these filters."))
            self._loaded("agreements")
            self._loaded("detail")
        else:
            self._loaded("agreements")

    # ------------------------------------------------------------------------ detail
    # Moving the cursor loads the case under it. One load runs at a time: keys pressed
    # meanwhile only change which case is wanted, and when the load returns the newest
    # wanted case is loaded next (a held key shows the cases it passes as fast as they can
    # be read, and never queues a backlog of stale ones).
    def _request_detail(self, case_id: str) -> None:
        self._detail_want = case_id
        worker = self._detail_worker
        if (
            self._detail_loading
            and worker is not None
            and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)
        ):
            return
        self._detail_loading = True

        def load(store: Store) -> DetailLoaded:
            detail, notes = _read_case(store, case_id)
            return DetailLoaded(case_id, detail, notes)

        self._detail_worker = run_db(self, "detail", load, exclusive=False)

    def on_detail_loaded(self, message: DetailLoaded) -> None:
        # The load is over once its result is here, even if its worker has not said so yet
        # (the worker's state changes after the message is posted: waiting for it here left
        # the newest wanted case never loaded).
        self._detail_loading = False
        want = self._detail_want
        if message.case_id != want:
            if want is not None and want != self._detail_shown:
                self._request_detail(want)
            return
        if message.case_id != self.current_case:
            return
        self._show_case(message.case_id, message.detail, message.case_notes)

    def _show_case(
        self,
        case_id: str | None,
        detail: CaseDetail | None,
        notes: list[Note] | None,
        *,
        empty: str = "",
    ) -> None:
        """Put a case (or a placeholder) in the Detail pane, with its notes, in one go."""
        view = self.query_one(DetailView)
        self._detail_shown = case_id
        self._detail_want = case_id
        if detail is not None and detail == view.detail and (notes or []) != view.notes:
            view.set_notes(notes or [])  # only the notes changed: keep the place in the pane
        elif detail is None or detail != view.detail:
            view.show_now(detail, empty=empty or "No case selected.", notes=notes)
        self._loaded("detail")

    def pane_failed(self, part: str, message: str) -> None:
        """A pane's query failed: say so in the pane, and count it as shown for `ready`
        (the app is usable; the benchmark and tests must not wait forever)."""
        text = Text(_("Could not load this:") + " ", style="bold") + one_line(message)
        group = {"regions": "trees", "sectors": "sectors", "agreements": "cases"}.get(part)
        if group is not None and group in self._waiting:
            self._waiting.discard(group)
            if not self._waiting and self._pending:
                self._apply_pending()
        if part == "agreements":
            self.query_one(FilterBar).show(text)
        elif part == "detail":
            self._detail_shown = None
            self.query_one(DetailView).show_now(None, empty=text.plain)
        self.failed.add(part)
        self._loaded(part)

    def _loaded(self, part: str) -> None:
        self.loaded.add(part)
        if self.loaded >= {"regions", "sectors", "agreements", "detail"}:
            ready = getattr(self.app, "ready", None)
            if ready is not None and not ready.is_set():
                # Set once the filled panes are on screen (after the next frame).
                self.app.call_after_refresh(ready.set)
                warm_up = getattr(self.app, "warm_up", None)
                if warm_up is not None:
                    self.app.call_after_refresh(warm_up)

    # --------------------------------------------------------------------- filter bar
    def _show_filterbar(self) -> None:
        text = Text(
            ngettext("{n} case", "{n} cases", self.count).format(n=number(self.count)),
            style="bold",
        )
        if self.count != self.total:
            text.append(" " + _("of {n}").format(n=number(self.total)), style="dim")
        parts = self.filter_parts()
        if parts:
            text.append("  ·  ", style="dim")
            text.append_text(Text("  ·  ", style="dim").join(parts))
            text.append("  " + _("(x clears all · Esc the focused pane's)"), style="dim")
        text.append("  ·  " + _("sort:") + " ", style="dim")
        text.append(_(SORT_LABELS.get(self.sort, self.sort)), style="dim")
        self.query_one(FilterBar).show(text)

    def filter_parts(self) -> list[Text]:
        f = self.filters
        parts: list[Text] = []
        if f.region:
            label = self.labels.get(f.region, "")
            parts.append(Text(_("region:") + " ", style="dim") + one_line(label))
        if f.partner:
            label = self.labels.get(f.partner, "")
            if f.partner.startswith("pc:"):
                label = data_label("country", f.partner[3:], label)
            parts.append(Text(_("partner:") + " ", style="dim") + one_line(label))
        if f.sectors:
            names = [data_label("sector", s, self.labels.get(s, s)) for s in f.sectors]
            parts.append(Text(_("sectors:") + " ", style="dim") + one_line(" + ".join(names)))
        return parts

    # ------------------------------------------------------------------------ filters
    def watch_filters(self, old: Filters, new: Filters) -> None:
        self.query_one(RegionTree).set_choice(new.region, new.partner)
        self.reload()
        self._remember()

    def watch_sort(self, old: str, new: str) -> None:
        self._load_cases(select=self.current_case)
        self._remember()

    def _remember(self) -> None:
        remember = getattr(self.app, "remember", None)
        if remember is not None:
            remember(self.filters, self.sort, self.current_case)

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
        self._load_cases(select=case_id, clear_if_hidden=True)
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
        if pane is not None:
            self.maximize(pane, container=False)

    def refresh_from_elsewhere(self, *, force: bool = False) -> bool:
        """Reload for a change another process made, keeping the filters and the case under
        the cursor. Not while a load is on its way (a case being opened, a filter change):
        reloading then would select the case the cursor was on before; False says "later"."""
        if not force and (self._waiting or self._detail_loading):
            return False
        self.reload()
        return True

    def on_screen_resume(self) -> None:
        """Back in front: show what another process changed meanwhile (see the app)."""
        refresh = getattr(self.app, "refresh_if_stale", None)
        if callable(refresh):
            refresh()

    # ------------------------------------------------------------- own cases (E D U)
    def action_edit_case(self) -> None:
        from tui.screens.case_actions import edit_case

        edit_case(self)

    def action_delete_case(self) -> None:
        from tui.screens.case_actions import delete_case

        delete_case(self)

    def action_restore_case(self) -> None:
        from tui.screens.case_actions import restore_case

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

    def current_quote_text(self) -> str | None:
        q = self.query_one(DetailView).current_quote
        if q is None or not q.evidence.quote:
            return None
        return f"“{q.evidence.quote}” — {q.evidence.citation}"

    def current_quote_ref(self) -> QuoteCite | None:
        """The quote under the Detail pane's cursor, for `y` and `c` (cite this fact)."""
        view = self.query_one(DetailView)
        q = view.current_quote
        if q is None or not q.evidence.quote:
            return None
        on_case = q.context == CASE_CONTEXT
        return QuoteCite(
            q.evidence.source_id,
            q.evidence.quote,
            case_id=view.detail.id if view.detail is not None else None,
            supports=tuple(q.evidence.supports) if on_case else (),
            context=None if on_case else q.context,
        )

    def refresh_notes(self, *, panel: bool = True) -> None:
        """After a note was saved or changed: the notes under the case and the list's mark."""
        case_id = self.current_case
        if case_id is None:
            return

        def load(store: Store) -> NoteCount:
            conn = store.conn
            notes = notes_api.list_notes(conn, target_type="case", target_id=case_id)
            return NoteCount(case_id, len(notes), notes)

        run_db(self, "note-count", load)

    @on(DetailView.NotesChanged)
    def detail_notes_changed(self, message: DetailView.NotesChanged) -> None:
        self.refresh_notes()

    def on_note_count(self, message: NoteCount) -> None:
        self.query_one(CaseList).update_note_count(message.case_id, message.count)
        view = self.query_one(DetailView)
        if view.detail is not None and view.detail.id == message.case_id:
            view.set_notes(message.notes)


def first_load(store: Store, filters: Filters, sort: str, case_id: str | None) -> list[DbResult]:
    """What `MainScreen.start` shows first (trees, sector counts, cases), read in the thread
    that opened the store: `start(results)` takes them."""
    return [
        _trees_loader(filters)(store),
        _sectors_loader(filters)(store),
        _cases_loader(filters, sort, case_id, False)(store),
    ]


def _trees_loader(filters: Filters) -> Callable[[Store], DbResult]:
    def load(store: Store) -> TreesLoaded:
        conn = store.conn
        return TreesLoaded(queries.region_tree(conn, filters), queries.partner_tree(conn, filters))

    return load


def _sectors_loader(filters: Filters) -> Callable[[Store], DbResult]:
    def load(store: Store) -> SectorsLoaded:
        return SectorsLoaded(queries.sector_counts(store.conn, filters))

    return load


def _cases_loader(
    filters: Filters, sort: str, select: str | None, clear_if_hidden: bool
) -> Callable[[Store], DbResult]:
    def load(store: Store) -> CasesLoaded:
        conn = store.conn
        shown = filters
        hidden = (
            select
            and clear_if_hidden
            and not shown.is_empty()
            and queries.case_position(conn, shown, sort, select) is None
        )
        if hidden:
            shown = Filters()
        count = queries.count_cases(conn, shown)
        total = count if shown.is_empty() else queries.count_cases(conn, Filters())
        first = queries.list_cases(conn, shown, sort=sort, limit=PAGE, offset=0)
        cursor = 0
        cursor_page = None
        if select and count:
            pos = _first_page_position(first, select)
            if pos is None:
                pos = queries.case_position(conn, shown, sort, select)
            if pos is not None:
                cursor = pos
                if pos >= PAGE:
                    start = (pos // PAGE) * PAGE
                    cursor_page = queries.list_cases(
                        conn, shown, sort=sort, limit=PAGE, offset=start
                    )
        ids = [r.id for r in first] + [r.id for r in cursor_page or []]
        notes = notes_api.note_counts(conn, ids)
        rows = cursor_page if cursor_page is not None else first
        row = rows[cursor % PAGE] if cursor % PAGE < len(rows) else None
        detail = case_notes = None
        if row is not None:
            try:
                detail, case_notes = _read_case(store, row.id)
            except Exception:
                # The list must show even if this case cannot be read (a damaged page):
                # the Detail pane then loads it on its own and reports the failure.
                detail = case_notes = None
        return CasesLoaded(
            shown, sort, count, total, first, notes, cursor, cursor_page, detail, case_notes
        )

    return load


def _first_page_position(rows: list[CaseRow], case_id: str) -> int | None:
    """The case's row on the first page, if it is there (no need to count in SQL)."""
    return next((i for i, r in enumerate(rows) if r.id == case_id), None)


def _read_case(store: Store, case_id: str) -> tuple[CaseDetail | None, list[Note]]:
    """A case and the notes on it, as the Detail pane shows them (in a worker thread)."""
    conn = store.conn
    try:
        detail = queries.case_detail(conn, case_id)
    except NotFound:
        return None, []
    return detail, notes_api.list_notes(conn, target_type="case", target_id=case_id)


@dataclass
class NoteCount(DbResult):
    case_id: str
    count: int
    notes: list[Note]


def _walk(nodes: list[RegionNode]) -> list[RegionNode]:
    out: list[RegionNode] = []
    stack = list(nodes)
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(node.children)
    return out
