"""Deleting and restoring notes from a list of them (the notes screen, the Detail pane): the
change runs in a worker, then the deleted note is kept for undo (u) and the list reloads."""

from __future__ import annotations

from textual.message_pump import MessagePump

from paradiplo.tui.widgets.dbwork import NoteChanged, change_note, db_work, noted, undo_delete


class NoteChanges(MessagePump):
    """Mixed into a screen or widget that lists notes; it reloads them in `notes_changed`."""

    def notes_changed(self) -> None:
        raise NotImplementedError

    def undo_note_delete(self) -> None:
        """Restore the note deleted last in this session."""
        undo_delete(self, self.change_note)

    @db_work("notes-change")
    def change_note(self, change: str, note_id: str) -> NoteChanged:
        """Delete or restore a note; the list then reloads its notes."""
        return change_note(self, change, note_id)

    def on_note_changed(self, message: NoteChanged) -> None:
        message.stop()
        noted(self, message)
        self.notes_changed()
