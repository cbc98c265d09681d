"""Drafts found at launch: text typed in a note editor that was never saved.

The app pushes this when `db.notes.list_drafts` is non-empty. Enter reopens the chosen draft
in the editor (the app does that with the Draft this screen dismisses with); d discards one
(asks first); Escape leaves them all for later: a draft is only removed by the user.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from paradiplo.db import notes as notes_api
from paradiplo.db.errors import ParadiploError
from paradiplo.db.i18n import _, ngettext, number
from paradiplo.db.models import Draft
from paradiplo.db.store import Store
from paradiplo.db.text import clip, display_safe, local_time
from paradiplo.tui.screens.choice import confirm
from paradiplo.tui.screens.note_editor import NoteEditorScreen
from paradiplo.tui.screens.notes import first_line
from paradiplo.tui.widgets.dbwork import DbResult, db_work


def draft_prompt(draft: Draft, label: str) -> Text:
    if draft.note_id:
        what = _("edit of a saved note")
    elif draft.target_type == "passage":
        what = _("new note on a passage")
    else:
        what = _("new note on a {what}").format(what=_(draft.target_type))
    text = Text()
    text.append(display_safe(label or draft.target_id), style="bold")
    text.append(
        "  " + _("({what}, typed {when})").format(what=what, when=local_time(draft.updated_at)),
        style="dim",
    )
    text.append("\n  " + (first_line(draft.body, 100) or _("(empty)")))
    return text


def editor_for_draft(store: Store, draft: Draft, label: str = "") -> NoteEditorScreen:
    """The editor reopened on a draft; it loads the label, note and passage it needs."""
    return NoteEditorScreen(store, draft.target_type, draft.target_id, label, draft=draft)


@dataclass
class LabelsRead(DbResult):
    """What each draft is on (draft key -> label)."""

    labels: dict[str, str]


@dataclass
class Discarded(DbResult):
    draft: Draft


class DraftsScreen(ModalScreen[Draft | None]):
    """Offer back unsaved drafts. Dismisses with the draft to reopen, or None."""

    DEFAULT_CSS = """
    DraftsScreen { align: center middle; }
    DraftsScreen > #drafts-box {
        width: 90; max-width: 95%; height: auto; max-height: 80%;
        border: thick $warning; background: $surface; padding: 0 1;
    }
    DraftsScreen #drafts-title { text-style: bold; height: auto; }
    DraftsScreen #drafts-list { height: auto; max-height: 20; }
    DraftsScreen #drafts-help { color: $text-muted; height: auto; }
    """

    BINDINGS = [
        Binding("escape", "later", "Later", id="drafts.later"),
        Binding("d", "discard", "Discard draft", id="drafts.discard"),
    ]

    def __init__(self, store: Store, drafts: list[Draft]) -> None:
        super().__init__()
        self.store = store
        self.drafts = list(drafts)
        self.labels: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        n = len(self.drafts)
        with Vertical(id="drafts-box"):
            yield Static(
                Text(
                    ngettext(
                        "{n} unsaved note draft from an earlier session",
                        "{n} unsaved note drafts from an earlier session",
                        n,
                    ).format(n=number(n))
                ),
                id="drafts-title",
            )
            yield OptionList(*self._options(), id="drafts-list")
            yield Static(
                Text(_("Enter reopen in the editor · d discard · Esc later (drafts are kept)")),
                id="drafts-help",
            )

    def _options(self) -> list[Option]:
        return [Option(draft_prompt(d, self.labels.get(d.key, "")), id=d.key) for d in self.drafts]

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.load_labels(list(self.drafts))

    @db_work("draft-labels")
    def load_labels(self, drafts: list[Draft]) -> LabelsRead:
        conn = self.store.conn
        try:
            return LabelsRead(
                {d.key: notes_api.target_label(conn, d.target_type, d.target_id)[0] for d in drafts}
            )
        except ParadiploError:  # a label is a nicety: the drafts are listed without
            return LabelsRead({})

    def on_labels_read(self, message: LabelsRead) -> None:
        self.labels = message.labels
        self._rebuild()

    def _rebuild(self) -> None:
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options(self._options())
        if self.drafts:
            options.highlighted = min(highlighted or 0, len(self.drafts) - 1)

    @property
    def current(self) -> Draft | None:
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self.drafts):
            return None
        return self.drafts[index]

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        for d in self.drafts:
            if d.key == event.option.id:
                self.dismiss(d)
                return

    def action_later(self) -> None:
        self.dismiss(None)

    def action_discard(self) -> None:
        draft = self.current
        if draft is None:
            return
        confirm(
            self,
            _("Discard this draft?"),
            _("Its text was never saved; discarding it cannot be undone."),
            _("Discard"),
            clip(draft.body, 2000, "…"),
            partial(self._discard, draft),
        )

    @db_work("draft-discard")
    def _discard(self, draft: Draft) -> Discarded:
        notes_api.discard_draft(self.store, draft.key)
        return Discarded(draft)

    def on_discarded(self, message: Discarded) -> None:
        draft = message.draft
        self.drafts = [d for d in self.drafts if d.key != draft.key]
        if not self.drafts:
            self.dismiss(None)
            return
        self._rebuild()
