"""The Textual app: the case browser a user meets when running `paradiplo-tui`.

`ParadiploApp(db_path)` shows the main screen, whose first worker opens the database (unless an
open `store` was given) and reads its four panes; `ready` is set once all four show data.
Database work runs in thread workers (tui/widgets/dbwork.py); a failure bubbles up to the App as
`WorkFailed` and becomes a readable notification. Keys can be remapped in `keymap.toml` (ids listed on the help screen);
the last case, filters, sort and theme are remembered in `state.json`.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections import deque
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import App
from textual.binding import Binding
from textual.command import Provider
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from paradiplo.db.browse import Selection
from paradiplo.db.errors import ParadiploError
from paradiplo.db.i18n import N_, _, chosen_explicitly, language, set_language
from paradiplo.db.models import Filters, SearchHit
from paradiplo.db.store import Store, is_sqlite_error, open_store, translate
from paradiplo.db.text import display_safe
from paradiplo.tui import pause_collector, resume_collector
from paradiplo.tui.app_cite import CiteActions
from paradiplo.tui.app_notes import NoteActions
from paradiplo.tui.keymap import load_keymap, unknown_ids
from paradiplo.tui.roles import HoldsUnsavedText
from paradiplo.tui.screens.main import Browsed, MainScreen, read_view
from paradiplo.tui.state import save_state
from paradiplo.tui.widgets.dbwork import WorkFailed, db_work
from paradiplo.tui.widgets.live import ChangeWatcher, DataChanged

DEFAULT_THEME = "textual-dark"
NOTICES_KEPT = 50  # the newest notifications, kept in `notices`


def palette_commands() -> type[Provider]:
    """The command palette's provider, imported when the palette first opens (it loads the
    name index: db.palette and db.analyze, ~20 ms that the first screen does without)."""
    from paradiplo.tui.screens.palette import PaletteCommands

    return PaletteCommands


class ParadiploApp(NoteActions, CiteActions):
    """Browse paradiplomacy cases, their sources and your notes."""

    CSS_PATH = "app.tcss"
    TITLE = "paradiplo"
    COMMANDS = App.COMMANDS | {palette_commands}
    ENABLE_COMMAND_PALETTE = True
    # Screens get -short below 32 rows: they drop the header to give the text the room.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", key_display="?", id="help"),
        Binding("slash", "search", "Search", key_display="/", id="search"),
        Binding(
            "n", "note_new", "Note", tooltip=N_("New note on the focused thing"), id="note_new"
        ),
        Binding("N", "notes", "Notes", show=False, id="notes"),
        Binding("y", "copy_quote", "Copy quote", show=False, id="copy_quote"),
        Binding("c", "cite_fact", "Cite fact", show=False, id="cite_fact"),
        Binding("s", "sources", "Sources", id="sources"),
        Binding("g", "glossary", "Glossary", tooltip=N_("Glossary and laws"), id="glossary"),
        Binding("a", "add_source", "Add source", id="add_source"),
        Binding(
            "v",
            "overview",
            "Overview",
            tooltip=N_("Charts of the cases under the filters"),
            id="overview",
        ),
    ]

    def __init__(self, db_path: Path, *, store: Store | None = None) -> None:
        super().__init__(db_path, store)
        self.ready = asyncio.Event()
        self.keymap_problems: list[str] = []
        self._last_notified = 0.0
        self.keymap: dict[str, str] = {}  # binding id -> key, from keymap.toml
        self.notices: deque[str] = deque(maxlen=NOTICES_KEPT)
        self.deleted_notes: list[str] = []  # this session's deleted notes, for undo (u)
        self._frozen_threshold: tuple[int, int, int] | None = None
        self._frozen = False  # gc.freeze() called (undone on unmount)

    # ---------------------------------------------------------------------- start-up
    def on_mount(self) -> None:
        keymap, problems = load_keymap()
        self.keymap_problems = problems
        self.keymap = keymap
        if keymap:
            self.set_keymap(keymap)
        self.theme = (
            self.state.theme if self.state.theme in self.available_themes else (DEFAULT_THEME)
        )
        self.sub_title = display_safe(self.db_path.name)
        if self.state.language and not chosen_explicitly():
            set_language(self.state.language)  # the setting chosen in the app
        self.screen_change_signal.subscribe(self, self._forget_stale_notifications)
        # Pushed once the app's start-up batch is over: Textual draws nothing during it, and
        # the main screen's first frame (with data, ~30 ms to render) drawn in it was thrown
        # away and drawn again after it.
        self.call_later(self._show_main)

    def _show_main(self) -> None:
        if not self.main.is_attached:
            self.push_screen(self.main)

    def on_load(self) -> None:
        # The collector is off until the first screen is drawn (`first_shown`): see
        # tui/__init__.py (30-50 ms of the first screen).
        pause_collector()
        main = self.main = MainScreen(self.state.filters, self.state.sort, self.state.case_id)
        selection = Selection(main.want_case)
        if self.store_is_open:
            # Opened before the app (`run_app`): the first view is read now, before anything
            # is drawn (2 ms with the seeds, 9 ms with 26,000 cases), and the first frame
            # shows it. Read in a worker while the screen is built, each of its twenty-odd
            # queries waited for the interpreter lock (up to 5 ms each): it came ~40 ms later.
            try:
                main.show_view(read_view(self.store, main.filters, main.sort, selection).view)
                return
            except Exception:  # the worker reads it again, and reports what goes wrong
                pass
        # Else it is read in the browse worker: it opens the store and reads while Textual
        # reads the styles.
        main.expect_first(self.open_and_browse(main.filters, main.sort, selection))

    @db_work("browse")
    def open_and_browse(self, filters: Filters, sort: str, selection: Selection) -> Browsed:
        """The start: open the store, then read the main screen's first view."""
        return read_view(self.open_store(), filters, sort, selection)

    def on_browsed(self, message: Browsed) -> None:
        self.main.show_view(message.view)
        self._show_main()

    def opening_failed(self, error: BaseException) -> None:
        """The database could not be opened: say why, and how to go on."""
        from paradiplo.tui.screens.dialogs import FatalScreen

        self._collect_again()
        self._show_main()
        self.push_screen(FatalScreen(self.error_text(error)))

    def first_shown(self) -> None:
        """The four panes are drawn (or say why not): the app is `ready`."""
        self._collect_again()
        self.ready.set()
        self.warm_up()

    def _collect_again(self) -> None:
        """The collector back on (see `on_load`), with the start-up's objects kept out of it."""
        if resume_collector():
            self._frozen = True

    def warm_up(self) -> None:
        """Once the first screen is up: load in a thread what the first search and the first
        note would otherwise load while the user waits (the stemmer, the Markdown parser)."""

        def warm() -> None:
            from paradiplo.db import search as search_api
            from paradiplo.tui.widgets.note_text import safe_parser

            safe_parser()
            search_api.warm()
            self.call_from_thread(self._freeze_heap)

        self.run_worker(warm, thread=True, group="warm", exit_on_error=False)

    def _freeze_heap(self) -> None:
        """Keep the garbage collector away from everything built so far (modules, styles, the
        main screen's widgets): with 100,000 cases a full collection walked it all and froze
        the app for 100-200 ms every few seconds of browsing. `on_unmount` undoes it."""
        gc.freeze()
        self._frozen = True
        # And fewer full collections (one per 100 of the middle generation, not 10): each
        # walks every object the browsing has kept (cached rows, trees, pages).
        self._frozen_threshold = gc.get_threshold()
        young, middle, _old = self._frozen_threshold
        gc.set_threshold(young, middle, 100)

    def started(self) -> None:
        """The store is open and the first screen shown: say what needs saying."""
        if self.store.readonly:
            self.sub_title = f"{display_safe(self.db_path.name)} · " + _("read-only")
            self.notify(
                _("{path} is open read-only ({reason}).").format(
                    path=self.db_path, reason=self.store.readonly_reason
                )
                + " "
                + _("You can browse; note-taking is disabled."),
                title=_("Read-only"),
                severity="warning",
                timeout=8,
            )
        for problem in self.keymap_problems:
            self.notify(problem, title=_("Keymap"), severity="warning", timeout=8)
        if self.keymap:
            self.call_after_refresh(self._check_keymap_ids)
        if not self.store.readonly:
            self.look_for_drafts()
        self.change_watcher = ChangeWatcher(self)

    def _check_keymap_ids(self) -> None:
        """After the first frame (the check imports every screen): keys that do not exist or
        that are taken are not applied (see tui.keymap.check_keymap), and are reported."""
        from paradiplo.tui.keymap import check_keymap
        from paradiplo.tui.screens.help import all_binding_ids, binding_groups

        checked, problems = check_keymap(self.keymap, binding_groups())  # type: ignore[arg-type]
        if checked != self.keymap:
            self.keymap = checked
            self.set_keymap(checked)
        for problem in problems:
            self.notify(problem, title=_("Keymap"), severity="warning", timeout=8)
        unknown = unknown_ids(self.keymap, all_binding_ids())
        if unknown:
            self.notify(
                _("Unknown binding ids in keymap.toml:") + " " + ", ".join(unknown),
                title=_("Keymap"),
                severity="warning",
                timeout=8,
            )

    def action_switch_language(self) -> None:
        """Switch between English and Bahasa Indonesia, remember it, and show the main screen
        again in the new language (filters, sort and selected case kept)."""
        chosen = set_language("en" if language() == "id" else "id")
        self.state.language = chosen
        main = getattr(self, "main", None)
        if main is not None:
            self.state.set_filters(main.filters)
            self.state.sort = main.sort
            self.state.case_id = main.current_case or self.state.case_id
        self.main = MainScreen(self.state.filters, self.state.sort, self.state.case_id)
        self.switch_screen(self.main)
        save_state(self.state)
        self.notify(_("Interface language: English"))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification is literal text: paths, names and notes in it are never markup,
        and escape sequences are removed (widgets' `notify` comes here too)."""
        text = message.plain if isinstance(message, Text) else str(message)
        text = _(text)  # a literal message is in the catalog (extracted as notify:1)
        self._last_notified = time.monotonic()
        shown_title = display_safe(str(title))
        self.notices.append(f"{shown_title}: {display_safe(text)}" if title else display_safe(text))
        super().notify(
            display_safe(text),
            title=display_safe(_(str(title)) if title else ""),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def _forget_stale_notifications(self, _screen: object) -> None:
        """A notification belongs to the screen it was raised on: when the screen changes, the
        ones raised before the change go (those raised by the change itself stay)."""
        if time.monotonic() - self._last_notified > 0.5:
            self.clear_notifications()

    def on_unmount(self) -> None:
        """However the app ends: remember the state, close the store it opened itself."""
        self._collect_again()
        if self._frozen:
            gc.unfreeze()
            self._frozen = False
        if self._frozen_threshold is not None:
            gc.set_threshold(*self._frozen_threshold)
            self._frozen_threshold = None
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_state_now()
        if not self._given_store and self._store is not None:
            self._store.close()

    # ------------------------------------------------------------------------ errors
    def on_work_failed(self, message: WorkFailed) -> None:
        """Database work failed where no screen handled it: say so."""
        if message.stale:
            return
        if message.group == "browse" and self._store is None:
            self.opening_failed(message.error)
            return
        text = self.report_error(message.error)
        if message.group == "browse":
            self.main.view_failed(text)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker of the App itself (not database work) failed: say so."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.report_error(event.worker.error)

    def error_text(self, error: BaseException) -> str:
        """What to tell a user about `error` (with what to do, where there is something)."""
        if isinstance(error, ParadiploError):
            return str(error)
        if is_sqlite_error(error):
            # A raw SQLite error (a damaged page met while browsing): say what to do.
            return str(translate(error, self.db_path))
        return (
            _("Something went wrong ({error}).").format(error=f"{type(error).__name__}: {error}")
            + " "
            + _("The app keeps running; your notes are safe.")
        )

    def report_error(self, error: BaseException) -> str:
        """Notify a user of `error`; returns the text shown."""
        message = self.error_text(error)
        if not (isinstance(error, ParadiploError) or is_sqlite_error(error)):
            self.log.error(error)
        self.notify(message, title=_("Error"), severity="error", timeout=10)
        return message

    # ------------------------------------------------------------------------ actions
    async def action_quit(self) -> None:
        """Quit, asking first if any screen holds unsaved text."""
        unsaved = [
            s
            for s in self.screen_stack
            if isinstance(s, HoldsUnsavedText) and s.has_unsaved_changes()
        ]
        if unsaved:
            from paradiplo.tui.screens.dialogs import ConfirmScreen

            def answered(yes: bool | None) -> None:
                if yes:
                    self._quit_now()

            self.push_screen(
                ConfirmScreen(
                    _("Quit with unsaved text?"),
                    _(
                        "A note you are editing is not saved yet (a draft is kept and offered "
                        "back next time). Quit anyway?"
                    ),
                    yes=N_("Quit"),
                    no=N_("Keep editing"),
                ),
                answered,
            )
            return
        self._quit_now()

    def _quit_now(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_state_now()
        self.exit(0)

    def action_help(self) -> None:
        from paradiplo.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_sources(self) -> None:
        from paradiplo.tui.screens.sources import SourcesScreen

        if self._store is not None and not isinstance(self.screen, SourcesScreen):
            self.push_screen(SourcesScreen(), self._source_chosen)

    def _source_chosen(self, source_id: str | None) -> None:
        if source_id:
            self.open_source(source_id, None)

    def action_glossary(self, term_id: str | None = None) -> None:
        from paradiplo.tui.screens.glossary import GlossaryScreen

        if self._store is None:
            return
        if isinstance(self.screen, GlossaryScreen):
            if term_id:
                self.screen.select_term(term_id)
            return
        self.push_screen(GlossaryScreen(term_id))

    def action_notes(self) -> None:
        from paradiplo.tui.screens.notes import NotesScreen

        if not self.store_is_open or isinstance(self.screen, NotesScreen):
            return
        self.push_screen(NotesScreen(self.store), self.open_note_target)

    def action_search(self) -> None:
        from paradiplo.tui.screens.search import SearchScreen

        if self._store is None or isinstance(self.screen, SearchScreen):
            return
        self.push_screen(SearchScreen(self.store, self.main.filters), self.open_search_hit)

    def action_overview(self) -> None:
        """Charts of the cases under the main screen's filters (v)."""
        from paradiplo.tui.screens.overview import OverviewScreen

        if not self.store_is_open or isinstance(self.screen, OverviewScreen):
            return
        self.push_screen(OverviewScreen(self.main.filters))

    # ------------------------------------------------------------------- collection
    def on_data_changed(self, message: DataChanged) -> None:
        """Another process changed the database: reload what is shown, keeping the place.
        The main screen reloads now if it is in front, else when it comes back (not under a
        note being typed, whose drafts are changes too)."""
        self._main_stale = True
        if self.screen is self.main:
            self.refresh_if_stale()
        for screen in self.screen_stack[1:]:
            changed = getattr(screen, "data_changed", None)
            if callable(changed):
                changed()

    def refresh_if_stale(self) -> None:
        """Reload the main screen if another process changed the database, now if it is in
        front and idle; the watcher's next poll tries again otherwise (and after five tries
        reloads anyway)."""
        if not getattr(self, "_main_stale", False) or self.screen is not self.main:
            return
        tries = getattr(self, "_refresh_tries", 0)
        if self.main.refresh_from_elsewhere(force=tries >= 5):
            self._main_stale = False
            self._refresh_tries = 0
        else:
            self._refresh_tries = tries + 1

    def action_add_source(self) -> None:
        from paradiplo.tui.screens.source_form import open_add_source

        open_add_source(self)

    # ---------------------------------------------------------------------- opening
    def back_to_main(self) -> None:
        """Close every screen above the main screen."""
        while len(self.screen_stack) > 1 and self.screen is not self.main:
            if isinstance(self.screen, Screen) and self.screen is self.screen_stack[0]:
                break
            self.pop_screen()

    def open_case(self, case_id: str) -> None:
        self.back_to_main()
        self.main.select_case(case_id)

    def apply_filter(self, kind: str, key: str, label: str = "") -> None:
        self.back_to_main()
        self.main.set_filter(kind, key, label)

    def open_source(
        self,
        source_id: str,
        anchor_start: int | None,
        case_id: str | None = None,
        anchor_end: int | None = None,
    ) -> None:
        from paradiplo.tui.screens.reader import SourceReaderScreen

        if isinstance(self.screen, SourceReaderScreen):
            self.pop_screen()
        self.push_screen(SourceReaderScreen(source_id, anchor_start, case_id, anchor_end))

    def open_search_hit(self, hit: SearchHit | None) -> None:
        """Open a search result: a case, a passage, a note's target, a glossary term or law."""
        if hit is None:
            return
        if hit.kind == "case":
            self.open_case(hit.case_id or hit.ref_id)
        elif hit.kind == "passage" and hit.source_id:
            self.open_source(hit.source_id, hit.anchor_start, None, hit.anchor_end)
        elif hit.kind == "note":
            if hit.case_id:
                self.open_case(hit.case_id)
            elif hit.source_id:
                self.open_source(hit.source_id, hit.anchor_start)
        elif hit.kind in ("term", "law"):
            self.action_glossary(hit.ref_id)

    def open_note_target(self, target: tuple[str, str, int | None] | None) -> None:
        if target is None:
            return
        target_type, target_id, anchor = target
        if target_type == "case":
            self.open_case(target_id)
        elif target_type in ("source", "passage"):
            self.open_source(target_id, anchor)
        elif target_type == "region":
            kind = "partner" if target_id.partition(":")[0] in ("pc", "pa") else "region"
            self.apply_filter(kind, target_id)

    def on_detail_view_open_source(self, message: Any) -> None:
        self.open_source(
            message.source_id, message.anchor_start, message.case_id, message.anchor_end
        )


def run_app(db_path: Path) -> int:
    """Open the database (errors go to the command line, not a traceback), then run the app."""
    store = open_store(db_path)
    app = ParadiploApp(db_path, store=store)
    from paradiplo.tui.signals import end_cleanly_on_signals

    try:
        with end_cleanly_on_signals(app):
            result = app.run()
    finally:
        store.close()
    return int(result or app.return_code or 0)
