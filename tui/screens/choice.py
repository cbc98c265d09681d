"""Questions with a few answers, each with its key (ChoiceScreen), and the notes' questions
built on it: delete a note or discard a draft (asked the same way), a note changed in another
window, a note left with unsaved changes. `say` notifies with user text, never markup."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from paradiplo.db.i18n import _
from paradiplo.db.models import Note
from paradiplo.db.text import display_safe
from paradiplo.tui.widgets.note_text import short_text

DETAIL_LIMIT = 4000  # characters of "their" version shown in the conflict dialog


def say(
    node: DOMNode,
    message: str,
    *,
    title: str = "",
    severity: SeverityLevel = "information",
    timeout: float | None = None,
) -> None:
    """Notify with user or data text, never read as markup (thread-safe, like notify)."""
    node.app.notify(
        display_safe(message), title=title, severity=severity, timeout=timeout, markup=False
    )


class ChoiceScreen(ModalScreen[str]):
    """A question with a few answers: buttons, or each answer's key. Escape answers ''.

    `detail` is user text shown literally (e.g. the other window's version of a note).
    """

    DEFAULT_CSS = """
    ChoiceScreen { align: center middle; }
    ChoiceScreen > #choice-box {
        width: 80; max-width: 95%; height: auto; max-height: 90%;
        border: thick $warning; background: $surface; padding: 1 2;
    }
    ChoiceScreen #choice-title { text-style: bold; margin-bottom: 1; }
    ChoiceScreen #choice-detail {
        height: auto; max-height: 16; border: round $primary-darken-2; margin-bottom: 1;
    }
    ChoiceScreen #choice-buttons { height: auto; }
    ChoiceScreen Button { margin-right: 1; }
    """

    BINDINGS = [Binding("escape", "answer('')", "Cancel", show=False)]

    def __init__(
        self,
        title: str,
        message: str,
        choices: list[tuple[str, str, str]],
        *,
        detail: str | None = None,
    ) -> None:
        """`choices`: (answer id, key, button label); the first is the default button."""
        super().__init__()
        self._title = title
        self._message = message
        self._choices = choices
        self._detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-box"):
            yield Static(Text(self._title), id="choice-title")
            yield Static(Text(self._message), id="choice-message")
            if self._detail is not None:
                with VerticalScroll(id="choice-detail"):
                    yield Static(Text(short_text(self._detail, DETAIL_LIMIT)))
            with Horizontal(id="choice-buttons"):
                for i, (answer, key, label) in enumerate(self._choices):
                    yield Button(
                        Text(f"{label} [{key}]"),
                        id=f"choice-{answer}",
                        variant="primary" if i == 0 else "default",
                    )

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def on_key(self, event: events.Key) -> None:
        for answer, key, _label in self._choices:
            if event.key == key:
                event.stop()
                self.dismiss(answer)
                return

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss((event.button.id or "").removeprefix("choice-"))

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)


def confirm(
    node: DOMNode, title: str, message: str, yes: str, detail: str, on_yes: Callable[[], object]
) -> None:
    """Ask `title` (y: `yes`, n: keep it), `detail` (user text) shown literally; call
    `on_yes()` on yes."""

    def answered(answer: str | None) -> None:
        if answer == "yes":
            on_yes()

    node.app.push_screen(
        ChoiceScreen(
            title, message, [("yes", "y", yes), ("keep", "n", _("Keep it"))], detail=detail
        ),
        answered,
    )


def confirm_delete(
    node: DOMNode, note: Note, on_delete: Callable[[], object], detail: str | None = None
) -> None:
    """Ask before deleting `note` (its first line shown, or `detail`); call `on_delete()` on yes."""
    first = note.body.strip().splitlines()[0] if note.body.strip() else ""
    confirm(
        node,
        _("Delete this note?"),
        _("You can undo with u until you quit."),
        _("Delete"),
        first if detail is None else detail,
        on_delete,
    )


def ask_which_version(
    node: DOMNode, deleted: bool, theirs_text: str, answered: Callable[[str | None], None]
) -> None:
    """A note saved (or deleted) in another window meanwhile: keep mine, theirs, or save mine
    as a new note ("mine", "theirs", "new"; '' for Escape)."""
    if deleted:
        title = _("This note was deleted in another window")
        message = _(
            "Its last text is below. Keep yours (bring the note back with your text), "
            "leave it deleted (drop your changes), or save yours as a new note? "
            "Esc: keep editing."
        )
        theirs = _("Leave it deleted")
    else:
        title = _("This note was changed in another window")
        message = _(
            "Their version is below. Keep yours (overwrite theirs), keep theirs "
            "(drop your changes), or save yours as a new note? Esc: keep editing."
        )
        theirs = _("Keep theirs")
    node.app.push_screen(
        ChoiceScreen(
            title,
            message,
            [
                ("mine", "m", _("Keep mine")),
                ("theirs", "t", theirs),
                ("new", "n", _("Save mine as a new note")),
            ],
            detail=theirs_text,
        ),
        answered,
    )


def ask_about_unsaved_note(node: DOMNode, answered: Callable[[str | None], None]) -> None:
    """Leaving a note with unsaved changes: "save", "discard" or "keep" (editing)."""
    node.app.push_screen(
        ChoiceScreen(
            _("Unsaved changes"),
            _("This note has changes that are not saved."),
            [
                ("save", "s", _("Save")),
                ("discard", "d", _("Discard changes")),
                ("keep", "k", _("Keep editing")),
            ],
        ),
        answered,
    )
