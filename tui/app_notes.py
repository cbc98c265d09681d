"""The app's note-taking: a new note on what has focus (n), the note
editor's opening and what follows a save, the export of notes, and the drafts a crash left
(offered back at start-up). Part of `ParadiploApp` (tui/app.py), as a mixin. The notes list (N)
is opened by the app itself."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from paradiplo.db import notes as notes_api
from paradiplo.db.errors import ParadiploError
from paradiplo.db.i18n import _
from paradiplo.db.models import Draft, Note
from paradiplo.tui.app_base import AppBase
from paradiplo.tui.roles import OffersNoteTarget, ShowsNotes
from paradiplo.tui.widgets.dbwork import DbResult, db_work

if TYPE_CHECKING:
    from paradiplo.tui.screens.note_editor import NoteEditorScreen


@dataclass
class DraftsFound(DbResult):
    """Unsaved drafts found at start-up (offered for recovery)."""

    drafts: list[Draft]


@dataclass
class TargetResolved(DbResult):
    """A draft's target with its label (and the note it edits), ready for the editor."""

    draft: Draft
    label: str
    note: Note | None


@dataclass
class ExportDone(DbResult):
    """The notes were exported to `path`."""

    path: Path


class NoteActions(AppBase):
    """The note actions of the app (mixed into `ParadiploApp`)."""

    def action_note_new(self) -> None:
        """A new note on what has focus: a case, a region node, or a passage in the reader."""
        if not self.store_is_open:
            return
        if self.store.readonly:
            self.notify(
                _("The database is read-only ({reason}): notes are off.").format(
                    reason=self.store.readonly_reason
                ),
                severity="warning",
            )
            return
        screen = self.screen
        target = screen.focused_target() if isinstance(screen, OffersNoteTarget) else None
        if target is None:
            self.notify("Select a case, a region or a passage to write a note on.")
            return
        from paradiplo.tui.screens.note_editor import NoteEditorScreen

        anchor = target[3] if len(target) == 4 else None
        self.open_note_editor(NoteEditorScreen(self.store, *target[:3], anchor=anchor))

    def open_note_editor(self, editor: NoteEditorScreen) -> None:
        """Show the note editor; a saved note refreshes the notes shown."""
        self.push_screen(editor, self._note_saved)

    def _note_saved(self, note: Note | None) -> None:
        if note is None:
            return
        self.main.refresh_notes()
        screen: object = self.screen
        if screen is not self.main and isinstance(screen, ShowsNotes):
            screen.refresh_notes()
        self.notify("Note saved.", timeout=3)

    @db_work("export")
    def export_notes(self, fmt: str) -> ExportDone:
        from paradiplo.db import notes_io

        return ExportDone(
            notes_io.export_notes_to_file(self.store.conn, fmt, style=self.state.cite_style)
        )

    def on_export_done(self, message: ExportDone) -> None:
        self.notify(
            _("Notes exported to {path}").format(path=message.path), title=_("Export"), timeout=10
        )

    # ----------------------------------------------------------------------- drafts
    @db_work("drafts")
    def look_for_drafts(self) -> DraftsFound | None:
        """At start-up: notes being typed when the app last ended, offered back."""
        drafts = notes_api.list_drafts(self.store.conn)
        return DraftsFound(drafts) if drafts else None

    def on_drafts_found(self, message: DraftsFound) -> None:
        from paradiplo.tui.screens.drafts import DraftsScreen

        self.push_screen(DraftsScreen(self.store, message.drafts), self._draft_chosen)

    def _draft_chosen(self, draft: Draft | None) -> None:
        if draft is not None:
            self._resolve_draft(draft)

    @db_work("draft-target")
    def _resolve_draft(self, draft: Draft) -> TargetResolved:
        conn = self.store.conn
        label, _orphaned = notes_api.target_label(conn, draft.target_type, draft.target_id)
        note = None
        if draft.note_id:
            try:
                note = notes_api.get_note(conn, draft.note_id)
            except ParadiploError:
                note = None
        return TargetResolved(draft, label, note)

    def on_target_resolved(self, message: TargetResolved) -> None:
        from paradiplo.tui.screens.note_editor import NoteEditorScreen

        d = message.draft
        label, note = message.label, message.note
        self.open_note_editor(
            NoteEditorScreen(self.store, d.target_type, d.target_id, label, note=note, draft=d)
        )
