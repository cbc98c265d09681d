"""Notes through the real app: write one on the selected case with `n`, see it under the case,
find it on the notes screen (`N`) and open its case; drafts offered back at launch; quitting
with unsaved text asks first."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, TextArea

from paradiplo.db import notes as notes_api
from paradiplo.db.store import open_store
from paradiplo.tui.screens.drafts import DraftsScreen
from paradiplo.tui.screens.main import MainScreen
from paradiplo.tui.screens.note_editor import NoteEditorScreen
from paradiplo.tui.screens.notes import NotesScreen
from paradiplo.tui.widgets.detail import DetailView
from tests.tui.conftest import press, press_to, running, settle
from tests.tui.test_notes_ui import paste

SIZE = (120, 40)


async def test_write_find_and_open_a_note(db_path: Path) -> None:
    async with running(db_path, SIZE) as (app, pilot):
        main = app.screen
        assert isinstance(main, MainScreen)
        case_id = main.current_case
        assert case_id is not None
        await press(pilot, "n")
        editor = app.screen
        assert isinstance(editor, NoteEditorScreen)
        assert (editor.target_type, editor.target_id) == ("case", case_id)
        await paste(pilot, "Read with [bold]care[/]: the quote is the evidence.")
        await press(pilot, "tab")
        await paste(pilot, "method, Reading")
        await press(pilot, "ctrl+s")
        [note] = notes_api.list_notes(app.store.conn)
        assert (note.target_id, note.tags) == (case_id, ["method", "reading"])
        await press(pilot, "escape")
        assert app.screen is main
        detail = main.query_one(DetailView)
        assert [n.id for n in detail.notes] == [note.id]
        assert "Read with [bold]care[/]" in detail.plain_text()  # under the case, as text

        # The notes screen lists it; Enter opens its case from another one.
        await press(pilot, "down")
        assert main.current_case != case_id
        await press(pilot, "N")
        notes_screen = app.screen
        assert isinstance(notes_screen, NotesScreen)
        assert notes_screen.query_one(DataTable).row_count == 1
        await press(pilot, "enter")
        assert app.screen is main
        await settle(pilot)
        assert main.current_case == case_id


async def test_draft_is_offered_back_at_launch(db_path: Path) -> None:
    store = open_store(db_path)
    notes_api.save_draft(store, "case", "sidoarjo-jinan-2008", "typed, never saved", ["wip"])
    store.close()
    async with running(db_path, SIZE) as (app, pilot):
        await settle(pilot)
        assert isinstance(app.screen, DraftsScreen)
        await press(pilot, "enter")
        editor = app.screen
        assert isinstance(editor, NoteEditorScreen)
        assert editor.query_one(TextArea).text == "typed, never saved"
        assert editor.has_unsaved_changes()
        await press(pilot, "ctrl+s")
        assert [n.body for n in notes_api.list_notes(app.store.conn)] == ["typed, never saved"]
        assert notes_api.list_drafts(app.store.conn) == []


async def test_quitting_with_unsaved_text_asks(db_path: Path) -> None:
    async with running(db_path, SIZE) as (app, pilot):
        await press(pilot, "n")
        await paste(pilot, "half a thought")
        await press(pilot, "ctrl+q")
        assert app.is_running
        assert not isinstance(app.screen, NoteEditorScreen)  # a question is asked
        await press_to(pilot, NoteEditorScreen, "n")  # keep editing
        assert app.screen.query_one(TextArea).text == "half a thought"
