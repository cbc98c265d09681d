"""Small dialogs: a confirmation, an error message, and the screen shown when the database
cannot be opened at all. Messages are literal text (they may quote paths and user data)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Static

from paradiplo.db.i18n import N_, _
from paradiplo.tui.keys import close_binding
from paradiplo.tui.widgets.keybar import KeyBar
from paradiplo.tui.widgets.text import plain

# The box every dialog draws (confirmations, errors, help, forms, the years dialog): each of
# those screens puts it first in its DEFAULT_CSS, so it is parsed when a dialog is first shown.
DIALOG_CSS = """
.dialog {
    width: 80%;
    max-width: 100;
    height: auto;
    max-height: 90%;
    border: thick $accent;
    background: $panel;
    padding: 1 2;
}
.dialog.-error { border: thick $error; }
.dialog-title { margin-bottom: 1; }
.dialog-buttons { height: auto; align-horizontal: right; margin-top: 1; }
.dialog-buttons Button { margin-left: 2; }
"""


class ConfirmScreen(ModalScreen[bool]):
    """Yes/no question; Enter or y confirms, Escape or n cancels."""

    DEFAULT_CSS = DIALOG_CSS + "ConfirmScreen { align: center middle; }"

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, title: str, message: str, yes: str = N_("Yes"), no: str = N_("No")) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.yes = _(yes)
        self.no = _(no)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text, style="bold"), classes="dialog-title")
            yield Static(plain(self.message), classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes, variant="error", id="yes")
                yield Button(self.no, variant="primary", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class ErrorScreen(ModalScreen[None]):
    """An error the user should read before going on."""

    DEFAULT_CSS = DIALOG_CSS + "ErrorScreen { align: center middle; }"

    BINDINGS = [close_binding("error", "escape,enter")]

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -error"):
            yield Static(Text(self.title_text, style="bold"), classes="dialog-title")
            yield Static(plain(self.message), classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button("OK", variant="primary", id="ok")

    def on_mount(self) -> None:
        self.query_one(Button).focus()

    def on_button_pressed(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


class FatalScreen(Screen[None]):
    """The database could not be opened: say why and how to fix it; q quits."""

    DEFAULT_CSS = DIALOG_CSS + "FatalScreen { align: center middle; }"

    BINDINGS = [Binding("q,escape,enter", "leave", "Quit", id="fatal.quit", priority=True)]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -error"):
            yield Static(Text(_("Cannot open the database"), style="bold"), classes="dialog-title")
            yield Static(plain(self.message), classes="dialog-body")
            yield Static(
                Text(_("Press q to quit. 'paradiplo-tui --help' lists the options."), style="dim")
            )
        yield KeyBar()

    def action_leave(self) -> None:
        self.app.exit(1, return_code=1)


def leave_if_confirmed(screen: Screen[Any], title: str, message: str) -> None:
    """A form's Escape with unsaved input: ask, and dismiss `screen` (with None) only on yes.

    `title` and `message` are catalog messages (marked with N_ by the caller)."""

    def answered(yes: bool | None) -> None:
        if yes:
            screen.dismiss(None)

    screen.app.push_screen(
        ConfirmScreen(_(title), _(message), yes=N_("Leave"), no=N_("Keep editing")), answered
    )
