"""The note editor, the notes under a case in the Detail pane, the notes screen and the drafts
screen, driven by keys on a tiny app."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, Input, Select, TextArea

from paradiplo.db import notes as notes_api
from paradiplo.db.browse import case_view
from paradiplo.db.models import Draft
from paradiplo.db.paths import data_dir
from paradiplo.db.store import Store, open_store
from paradiplo.tui.screens import note_editor
from paradiplo.tui.screens.choice import ChoiceScreen
from paradiplo.tui.screens.drafts import DraftsScreen, editor_for_draft
from paradiplo.tui.screens.note_editor import NoteEditorScreen
from paradiplo.tui.screens.notes import NotesScreen
from paradiplo.tui.widgets.dbwork import WorkFailed
from paradiplo.tui.widgets.detail import DetailView
from tests.tui.conftest import settle as settle_app

CASE = "sidoarjo-jinan-2008"
LABEL = "Sidoarjo – Jinan sister city"
SOURCE = "001_17fdbbb4dbe6a6d1"
SIZE = (100, 36)


class Harness(App[None]):
    """One case in the Detail pane with its notes, as the main screen shows it; optionally
    pushes a screen on mount and keeps its result. Offers what the app offers these screens
    (`store`, `deleted_notes`, `report_error`)."""

    def __init__(self, store: Store, make: Callable[[], Screen[Any]] | None = None) -> None:
        super().__init__()
        self.store = store
        self.make = make
        self.results: list[Any] = []
        self.deleted_notes: list[str] = []
        self.notices: list[str] = []

    def compose(self) -> ComposeResult:
        yield DetailView(id="detail")

    def on_mount(self) -> None:
        self.refresh_notes()
        if self.make is not None:
            self.push_screen(self.make(), self.results.append)

    def refresh_notes(self) -> None:
        case = case_view(self.store.conn, CASE)
        self.query_one(DetailView).show_now(case.detail, notes=case.notes)

    def on_detail_view_notes_changed(self) -> None:
        self.refresh_notes()

    def report_error(self, error: BaseException) -> str:
        self.notices.append(str(error))
        self.notify(str(error), severity="error", markup=False)
        return str(error)

    def on_work_failed(self, message: WorkFailed) -> None:
        self.report_error(message.error)


async def settle(pilot: Pilot[Any], rounds: int = 20) -> None:
    """Let thread workers finish and the messages they post be handled (as the app's tests)."""
    await settle_app(pilot, rounds)


async def wait_for(pilot: Pilot[Any], check: Callable[[], bool], timeout: float = 5) -> None:
    """Wait (for a draft timer, say) until `check()` holds."""
    for _ in range(int(timeout / 0.05)):
        await settle(pilot)
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError("timed out waiting")


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type key by key (slow in Pilot: keep it short; use `paste` for longer text)."""
    await pilot.press(*["enter" if c == "\n" else "space" if c == " " else c for c in text])


async def paste(pilot: Pilot[Any], text: str) -> None:
    """Paste into the focused widget, as a terminal's bracketed paste does (the app gets the
    paste and hands it to the focused widget)."""
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


def editor(app: App[Any]) -> NoteEditorScreen:
    screen = app.screen
    assert isinstance(screen, NoteEditorScreen)
    return screen


def status(app: App[Any]) -> str:
    return str(editor(app).query_one("#note-status").render())


@pytest.fixture(autouse=True)
def quick_drafts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(note_editor, "DRAFT_DELAY", 0.05)


async def test_write_tag_and_save_by_keys(store: Store) -> None:
    app = Harness(store, lambda: NoteEditorScreen(store, "case", CASE, LABEL))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "New note on case: " + LABEL in str(editor(app).query_one("#note-title").render())
        await type_text(pilot, "[b]x\n")
        await paste(pilot, "\x1b[31mline two")
        await pilot.press("tab")
        await type_text(pilot, "Cn, #x")
        await paste(pilot, " \x1b]0;t\x07z")
        assert editor(app).query_one("#note-tags", Input).value == "Cn, #x z"
        assert editor(app).has_unsaved_changes()
        assert "Unsaved" in status(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        [note] = notes_api.list_notes(store.conn)
        assert note.body == "[b]x\nline two"  # pasted escape sequences never get in
        assert note.tags == ["cn", "x", "z"]
        assert not editor(app).has_unsaved_changes()
        assert "Saved" in status(app) and "Unsaved" not in status(app)
        # Saving again after more typing edits the same note.
        await pilot.press("shift+tab")
        await type_text(pilot, "!")
        assert "Unsaved" in status(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        [again] = notes_api.list_notes(store.conn)
        assert again.id == note.id and again.version == 2 and again.body.endswith("two!")
        assert notes_api.list_drafts(store.conn) == []
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, NoteEditorScreen)
        assert [n.id for n in app.results] == [note.id]
        app.refresh_notes()
        assert [n.id for n in app.query_one(DetailView).notes] == [note.id]


async def test_leaving_with_unsaved_changes_asks(store: Store) -> None:
    app = Harness(store, lambda: NoteEditorScreen(store, "case", CASE, LABEL))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await paste(pilot, "not yet saved")
        await wait_for(pilot, lambda: bool(notes_api.list_drafts(store.conn)))
        assert [d.body for d in notes_api.list_drafts(store.conn)] == ["not yet saved"]
        await pilot.press("escape")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("k")  # keep editing
        assert editor(app).query_one(TextArea).text == "not yet saved"
        await pilot.press("escape")
        await pilot.press("d")  # discard
        await settle(pilot)
        assert app.results == [None]
        assert notes_api.list_notes(store.conn) == []
        assert notes_api.list_drafts(store.conn) == []


async def test_leaving_and_choosing_save(store: Store) -> None:
    app = Harness(store, lambda: NoteEditorScreen(store, "case", CASE, LABEL))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await paste(pilot, "save on the way out")
        await pilot.press("escape", "s")
        await settle(pilot)
        assert [n.body for n in app.results] == ["save on the way out"]
        assert [n.body for n in notes_api.list_notes(store.conn)] == ["save on the way out"]


async def test_empty_new_note_closes_without_asking(store: Store) -> None:
    app = Harness(store, lambda: NoteEditorScreen(store, "case", CASE, LABEL))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+s")
        assert "empty" in status(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.results == [None]


async def test_draft_is_offered_back_at_next_launch(db_path: Path) -> None:
    store = open_store(db_path)
    app = Harness(store, lambda: NoteEditorScreen(store, "case", CASE, LABEL))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await paste(pilot, "typed before the crash")
        await pilot.press("tab")
        await type_text(pilot, "wip")
        await wait_for(
            pilot, lambda: [d.tags for d in notes_api.list_drafts(store.conn)] == [["wip"]]
        )
    store.close()  # the app is gone without saving: a crash or a closed terminal

    store = open_store(db_path)
    drafts = notes_api.list_drafts(store.conn)
    assert [(d.body, d.tags) for d in drafts] == [("typed before the crash", ["wip"])]
    opened: list[NoteEditorScreen] = []

    def reopen(draft: Draft | None) -> None:
        assert draft is not None
        screen = editor_for_draft(store, draft)
        opened.append(screen)
        app2.push_screen(screen)

    app2 = Harness(store)
    async with app2.run_test(size=SIZE) as pilot:
        app2.push_screen(DraftsScreen(store, drafts), reopen)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        ed = editor(app2)
        assert ed is opened[0]
        assert ed.query_one(TextArea).text == "typed before the crash"
        assert ed.query_one("#note-tags", Input).value == "wip"
        assert LABEL in str(ed.query_one("#note-title").render())
        assert ed.has_unsaved_changes() and "recovered draft" in status(app2)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [n.body for n in notes_api.list_notes(store.conn)] == ["typed before the crash"]
        assert notes_api.list_drafts(store.conn) == []
    store.close()


async def test_draft_of_an_edit_and_a_passage(store: Store) -> None:
    note = notes_api.add_note(store, "case", CASE, "saved text", ["a"])
    notes_api.save_draft(store, "case", CASE, "saved text, edited", ["a"], note_id=note.id,
                         base_version=1)  # fmt: skip
    notes_api.save_draft(store, "passage", SOURCE, "on a passage", anchor=(100, 130))
    drafts = {d.body: d for d in notes_api.list_drafts(store.conn)}
    app = Harness(store, lambda: editor_for_draft(store, drafts["saved text, edited"]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert editor(app).has_unsaved_changes()
        await pilot.press("ctrl+s")
        await settle(pilot)
        saved = notes_api.get_note(store.conn, note.id)
        assert (saved.body, saved.version) == ("saved text, edited", 2)
        await pilot.press("escape")
        await settle(pilot)
        app.push_screen(editor_for_draft(store, drafts["on a passage"]), app.results.append)
        await settle(pilot)
        assert "On the passage" in str(editor(app).query_one("#note-anchor").render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        [passage] = notes_api.list_notes(store.conn, target_type="passage")
        assert (passage.anchor_start, passage.anchor_end) == (100, 130)
        assert passage.anchor_quote
    assert notes_api.list_drafts(store.conn) == []


async def test_draft_of_an_edit_conflicts_if_the_note_changed_since(store: Store) -> None:
    note = notes_api.add_note(store, "case", CASE, "v1")
    notes_api.save_draft(store, "case", CASE, "v1 + draft", note_id=note.id, base_version=1)
    notes_api.update_note(store, note.id, "v2 from elsewhere", [], expected_version=1)
    [draft] = notes_api.list_drafts(store.conn)
    app = Harness(store, lambda: editor_for_draft(store, draft))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("n")  # save mine as a new note
        await settle(pilot)
    bodies = sorted(n.body for n in notes_api.list_notes(store.conn))
    assert bodies == ["v1 + draft", "v2 from elsewhere"]


@pytest.mark.parametrize("answer", ["m", "t", "n"])
async def test_conflicting_edit_lets_the_user_choose(db_path: Path, answer: str) -> None:
    mine_store, their_store = open_store(db_path), open_store(db_path)
    note = notes_api.add_note(mine_store, "case", CASE, "original")
    app = Harness(mine_store, lambda: NoteEditorScreen(mine_store, "case", CASE, LABEL, note))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes_api.update_note(their_store, note.id, "their edit", [], expected_version=1)
        await paste(pilot, " plus mine")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        assert "their edit" in str(app.screen.query_one("#choice-detail Static").render())
        await pilot.press(answer)
        await settle(pilot)
        bodies = sorted(n.body for n in notes_api.list_notes(their_store.conn))
        if answer == "m":
            assert bodies == ["original plus mine"]
        elif answer == "t":
            assert bodies == ["their edit"]
            assert editor(app).query_one(TextArea).text == "their edit"
            assert not editor(app).has_unsaved_changes()
        else:
            assert bodies == ["original plus mine", "their edit"]
        assert notes_api.list_drafts(their_store.conn) == []
    mine_store.close()
    their_store.close()


async def test_editing_a_note_deleted_elsewhere_asks(db_path: Path) -> None:
    mine_store, their_store = open_store(db_path), open_store(db_path)
    note = notes_api.add_note(mine_store, "case", CASE, "original")
    app = Harness(mine_store, lambda: NoteEditorScreen(mine_store, "case", CASE, LABEL, note))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes_api.delete_note(their_store, note.id)
        await paste(pilot, " and more")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        assert "deleted" in str(app.screen.query_one("#choice-title").render())
        await pilot.press("t")  # leave it deleted
        await settle(pilot)
        assert app.results == [None]
        assert notes_api.is_deleted(their_store.conn, note.id)
    mine_store.close()
    their_store.close()


async def test_failed_save_keeps_the_text_and_says_why(db_path: Path) -> None:
    ro = Store(db_path, readonly=True)
    ro.readonly_reason = "the file is not writable"
    app = Harness(ro, lambda: NoteEditorScreen(ro, "case", CASE, LABEL))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await paste(pilot, "precious words")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditorScreen)
        assert "Not saved" in status(app) and "read-only" in status(app)
        assert editor(app).query_one(TextArea).text == "precious words"
        assert editor(app).has_unsaved_changes()
        await pilot.press("escape")
        assert isinstance(app.screen, ChoiceScreen)  # still asks: the text is not stored
    ro.close()


def selected_note(view: DetailView) -> str:
    note = view.current_note
    return note.body if note is not None else ""


async def select_note(pilot: Pilot[Any], view: DetailView, body: str) -> None:
    """Move the Detail pane's cursor (over the quotes, then the notes) to the note `body`."""
    view.focus()
    while view.selected >= 0:  # back to the facts
        await pilot.press("k")
    for _ in range(len(view.quotes) + len(view.notes) + 2):
        if selected_note(view) == body:
            return
        await pilot.press("j")
    raise AssertionError(f"no note {body[:40]!r} in the Detail pane")


async def test_detail_notes_edit_delete_confirm_and_undo(store: Store) -> None:
    old = notes_api.add_note(store, "case", CASE, "older note", created_at="2024-01-01T00:00:00Z")
    new = notes_api.add_note(store, "case", CASE, "newer note", created_at="2025-01-01T00:00:00Z")
    notes_api.add_note(store, "case", "malang-nonsan-2017", "elsewhere")
    app = Harness(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.query_one(DetailView)
        assert [n.id for n in view.notes] == [new.id, old.id]
        text = view.plain_text()
        assert text.index("newer note") < text.index("older note")
        assert "elsewhere" not in text
        await select_note(pilot, view, "older note")  # j moves over the quotes, then the notes
        await pilot.press("d")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("n")  # keep it
        await settle(pilot)
        assert len(view.notes) == 2
        await pilot.press("d", "y")
        await settle(pilot)
        assert [n.id for n in view.notes] == [new.id]
        assert notes_api.is_deleted(store.conn, old.id)
        assert "older note" not in view.plain_text()
        await pilot.press("u")
        await settle(pilot)
        assert [n.id for n in view.notes] == [new.id, old.id]
        await select_note(pilot, view, "newer note")
        await pilot.press("e")
        await settle(pilot)
        assert editor(app).query_one(TextArea).text == "newer note"
        await paste(pilot, ", edited")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert view.notes[0].body == "newer note, edited"
        assert "newer note, edited" in view.plain_text()


async def test_notes_screen_filters_opens_and_exports(store: Store) -> None:
    case_note = notes_api.add_note(store, "case", CASE, "Jinan thoughts", ["china"])
    notes_api.add_note(store, "passage", SOURCE, "Malang passage", ["malang"], anchor=(5, 9, "q"))
    notes_api.add_note(store, "case", "gone-case", "Orphan thoughts", ["china"])
    app = Harness(store, lambda: NotesScreen(store))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, NotesScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == 3
        assert "1 orphaned" in str(screen.query_one("#notes-title").render())
        await pilot.press("f")
        await paste(pilot, "thoughts")
        await pilot.pause(0.3)
        await settle(pilot)
        assert {n.body for n in screen.notes} == {"Jinan thoughts", "Orphan thoughts"}
        await pilot.press("enter")  # from the filter to the table
        screen.query_one(Input).value = ""
        screen.query_one(Select).value = "malang"
        await pilot.pause(0.3)
        await settle(pilot)
        assert [n.body for n in screen.notes] == ["Malang passage"]
        screen.query_one(Select).clear()
        await settle(pilot)
        assert table.row_count == 3
        # An orphan cannot be opened; a case note can.
        orphan_row = next(i for i, n in enumerate(screen.notes) if n.orphaned)
        table.move_cursor(row=orphan_row)
        table.focus()
        await pilot.press("enter")
        assert app.screen is screen
        await pilot.press("x", "X")
        await settle(pilot)
        exports = sorted(p.suffix for p in (data_dir() / "exports").iterdir())
        assert exports == [".json", ".md"]
        case_row = next(i for i, n in enumerate(screen.notes) if n.id == case_note.id)
        table.move_cursor(row=case_row)
        await pilot.press("enter")
        await settle(pilot)
        assert app.results == [("case", CASE, None)]


async def test_drafts_screen_discards_after_asking(store: Store) -> None:
    notes_api.save_draft(store, "case", CASE, "first draft")
    notes_api.save_draft(store, "region", "p:35", "second draft")
    drafts = notes_api.list_drafts(store.conn)
    app = Harness(store, lambda: DraftsScreen(store, drafts))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("y")
        await settle(pilot)
        assert len(notes_api.list_drafts(store.conn)) == 1
        await pilot.press("escape")  # later: the other draft stays
        await settle(pilot)
        assert app.results == [None]
        assert len(notes_api.list_drafts(store.conn)) == 1


HOSTILE = (
    "[bold]x[/] [@click=app.quit]quit[/] [link=file:///etc/passwd]pw[/]\n\n"
    "\x1b[31mred\x1b[0m \x1b]0;title\x07 <script>alert(1)</script> [md link](file:///etc/passwd)"
)


async def test_markup_looking_and_huge_notes_stay_text(store: Store) -> None:
    notes_api.add_note(store, "case", CASE, HOSTILE)
    big = notes_api.add_note(store, "case", CASE, ("[b]word[/b] " * 90 + "\n") * 1000)
    assert len(big.body) > 1_000_000
    app = Harness(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.query_one(DetailView)
        text = view.plain_text()
        assert "[@click=app.quit]quit[/]" in text and "[b]word[/b]" in text
        assert "\x1b" not in text
        assert len(text) < 100_000  # a long note is cut to a preview
        await select_note(pilot, view, HOSTILE)
        await pilot.press("e")
        await settle(pilot)
        ta = editor(app).query_one(TextArea)
        assert "\x1b" not in ta.text and "[@click=app.quit]quit[/]" in ta.text
        assert not editor(app).has_unsaved_changes()
        assert "escape sequences" in status(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.is_running
