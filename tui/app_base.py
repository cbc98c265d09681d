"""What every part of the app shares: the database (opened by the first worker, see
`open_store`), the state remembered between launches (state.json), and the main screen.
`ParadiploApp` (tui/app.py) is built on it, with its note and citing actions
(tui/app_notes.py, tui/app_cite.py)."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.command import CommandPalette
from textual.screen import Screen
from textual.timer import Timer

from paradiplo.db.errors import ParadiploError
from paradiplo.db.i18n import N_, _
from paradiplo.db.models import Filters
from paradiplo.db.store import Store, open_store
from paradiplo.tui.state import UIState, load_state, next_generation, save_state

if TYPE_CHECKING:
    from paradiplo.tui.screens.main import MainScreen


# Textual's own command-palette entries (titles and help), marked for the catalog so that the
# palette shows them in the interface language (see `get_system_commands`).
TEXTUAL_COMMAND_WORDS = (
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Hide the keys and widget help panel"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
)


class AppBase(App[int]):
    """The store and the remembered state of the app."""

    main: MainScreen  # the case browser, made as the app loads

    def __init__(self, db_path: Path, store: Store | None = None) -> None:
        super().__init__()
        self.db_path = db_path
        self._store = store
        self._given_store = store is not None
        self._open_lock = threading.Lock()
        self.state: UIState = load_state()
        self._save_timer: Timer | None = None

    # ------------------------------------------------------------------ command palette
    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's palette entries, in the interface language."""
        for command in super().get_system_commands(screen):
            yield command._replace(title=_(command.title), help=_(command.help))

    def action_command_palette(self) -> None:
        """Ctrl+P: the palette, its prompt in the interface language."""
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(
                CommandPalette(id="--command-palette", placeholder=_("Search for commands…"))
            )

    def search_themes(self) -> None:
        """The theme picker (palette: Theme), its prompt in the interface language."""
        from textual.theme import ThemeProvider

        self.push_screen(
            CommandPalette(providers=[ThemeProvider], placeholder=_("Search for themes…"))
        )

    # ------------------------------------------------------------------------- store
    @property
    def store(self) -> Store:
        """The open store (the main screen's first worker opens it: see `open_store`)."""
        if self._store is None:
            raise RuntimeError("the store is not open yet")
        return self._store

    @property
    def store_is_open(self) -> bool:
        return self._store is not None

    def open_store(self) -> Store:
        """The store, opened now if it is not yet (in the main screen's first worker)."""
        with self._open_lock:
            if self._store is None:
                try:
                    self._store = open_store(self.db_path)
                except OSError as exc:
                    raise ParadiploError(f"{self.db_path}: {exc.strerror or exc}") from exc
            return self._store

    # ------------------------------------------------------------------------- state
    def remember(self, filters: Filters, sort: str, case_id: str | None) -> None:
        """Note what to restore next launch; the file is written a moment later."""
        self.state.set_filters(filters)
        self.state.sort = sort
        if case_id:
            self.state.case_id = case_id
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(0.5, self._save_state)

    def _save_state(self) -> None:
        """Write the remembered state in a thread (the write ends with an fsync)."""
        self._save_timer = None
        snapshot = replace(self.state, sectors=list(self.state.sectors))
        generation = next_generation()
        self.run_worker(
            lambda: save_state(snapshot, generation=generation),
            thread=True,
            group="save-state",
            exit_on_error=False,
        )

    def _save_state_now(self) -> None:
        """The last save, on the way out: written here and now, newer than any in flight."""
        save_state(self.state, generation=next_generation())

    def watch_theme(self, theme: str) -> None:
        state: UIState | None = getattr(self, "state", None)  # None while App.__init__ runs
        if state is not None and state.theme != theme:
            self.state.theme = theme
            if self.is_running:
                self._save_state()
