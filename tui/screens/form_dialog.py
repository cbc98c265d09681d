"""What the dialogs with fields share (the case form, add a source, attach evidence): Ctrl+S
saves, Escape and the Cancel button leave (asking first when something typed would be lost),
and one line under the fields says what is wrong, as literal text."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from paradiplo.tui.screens.dialogs import DIALOG_CSS, leave_if_confirmed
from paradiplo.tui.widgets.dbwork import DbResult
from paradiplo.tui.widgets.text import plain


def save_cancel_bindings(
    prefix: str, save: str, cancel: tuple[str, str] = ("cancel", "Cancel")
) -> list[Binding | tuple[str, str] | tuple[str, str, str]]:
    """Ctrl+S (`save` is its label) and Escape (`cancel`: action and label), with the ids
    `prefix.save` and `prefix.<action>` that keymap.toml names."""
    action, label = cancel
    return [
        Binding("ctrl+s", "save", save, priority=True, id=f"{prefix}.save"),
        Binding("escape", action, label, id=f"{prefix}.{action}"),
    ]


@dataclass
class Made(DbResult):
    """A form's save worked: the form leaves with what it made (an id)."""

    made: str


@dataclass
class Refused(DbResult):
    """A form's save was refused: the form stays, saying why."""

    message: str


class FormDialog(ModalScreen[str | None]):
    """A dialog with fields, dismissed with what it made (an id) or None when left."""

    DEFAULT_CSS = (
        DIALOG_CSS
        + """
    .case-form, .attach-form, .source-form { max-width: 110; width: 95%; height: 95%; padding: 0 1; }
    .form-row { height: 1; margin-top: 1; }
    .form-label { width: 17; color: $text-muted; }
    .form-label-wide { margin-top: 1; color: $text-muted; }
    .form-row Input, .form-row Select { width: 1fr; }
    .form-line { padding-left: 17; height: auto; }
    .case-form .dialog-buttons, .attach-form .dialog-buttons, .source-form .dialog-buttons { margin-top: 0; }
    """
    )

    PROBLEM_ID = "form-problem"  # the Static that says what is wrong
    # Asked on leaving with unsaved input (catalog messages); the default leaves at once.
    LEAVE_QUESTION: tuple[str, str] | None = None

    def __init__(self) -> None:
        super().__init__()
        self.busy = False  # a save is running in a worker

    def on_made(self, message: Made) -> None:
        self.busy = False
        self.dismiss(message.made)

    def on_refused(self, message: Refused) -> None:
        self.busy = False
        self.show_problem(message.message)

    def action_save(self) -> None:
        raise NotImplementedError

    def has_unsaved_changes(self) -> bool:
        """Something typed would be lost by leaving (quitting the app asks first too); not
        while the form is being saved."""
        if not self.is_mounted or self.busy:
            return False
        try:
            return self.input_unsaved()
        except Exception:  # not composed yet
            return False

    def input_unsaved(self) -> bool:
        """What the fields hold differs from what the form started with."""
        return False

    def action_cancel(self) -> None:
        if self.LEAVE_QUESTION is None or not self.has_unsaved_changes():
            self.dismiss(None)
            return
        leave_if_confirmed(self, *self.LEAVE_QUESTION)

    def show_problem(self, message: str | None) -> None:
        """'✗ message' under the fields (None hides the line)."""
        box = self.query_one(f"#{self.PROBLEM_ID}", Static)
        if message is None:
            box.display = False
            return
        text = Text("✗ ", style="bold red")
        text.append_text(plain(message))
        box.update(text)
        box.display = True

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
