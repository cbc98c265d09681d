"""When a note was written or changed is shown with the interface's month names (13 November
2017 / 13 November 2017, Agustus in Indonesian), in the Detail pane, the notes screen and the
drafts screen."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from textual.widgets import DataTable, OptionList

from paradiplo.db import i18n
from paradiplo.db import notes as notes_api
from paradiplo.db.store import Store
from paradiplo.tui.screens.drafts import DraftsScreen
from paradiplo.tui.screens.notes import NotesScreen
from paradiplo.tui.widgets.detail import DetailView
from tests.tui.test_notes_snapshots import utc  # noqa: F401  (autouse: local time is UTC)
from tests.tui.test_notes_ui import CASE, SIZE, Harness, settle

WRITTEN = "2025-08-01T10:00:00.000+00:00"
EDITED = "2025-08-02T11:30:00.000+00:00"
LANGUAGES = [
    pytest.param("en", "1 August 2025 10:00", "2 August 2025 11:30", id="en"),
    pytest.param("id", "1 Agustus 2025 10:00", "2 Agustus 2025 11:30", id="id"),
]


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    i18n.set_language("en")


def add_dated_note(store: Store, lang: str) -> None:
    """A note written on 1 August 2025 and edited the next day, the interface in `lang`."""
    i18n.set_language(lang)
    notes_api.add_note(store, "case", CASE, "dated", created_at=WRITTEN, updated_at=EDITED)


@pytest.mark.parametrize(("lang", "written", "edited"), LANGUAGES)
async def test_detail_pane_says_when_a_note_was_written_and_edited(
    store: Store, lang: str, written: str, edited: str
) -> None:
    add_dated_note(store, lang)
    app = Harness(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = app.query_one(DetailView).plain_text()
        assert i18n._("written {when}").format(when=written) in shown
        assert i18n._("edited {when}").format(when=edited) in shown
        assert ("ditulis" in shown) == (lang == "id")


@pytest.mark.parametrize(("lang", "written", "edited"), LANGUAGES)
async def test_notes_screen_says_when_each_note_was_edited(
    store: Store, lang: str, written: str, edited: str
) -> None:
    add_dated_note(store, lang)
    notes_api.add_note(store, "case", "gone-case", "orphan", created_at=WRITTEN)
    app = Harness(store, lambda: NotesScreen(store))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        cells = {str(table.get_row_at(i)[3]): str(table.get_row_at(i)[2]) for i in range(2)}
        assert cells == {"dated": edited, "orphan": written}


@pytest.mark.parametrize(("lang", "written", "edited"), LANGUAGES)
async def test_drafts_screen_says_when_a_draft_was_typed(
    store: Store, lang: str, written: str, edited: str
) -> None:
    i18n.set_language(lang)
    notes_api.save_draft(store, "case", CASE, "a draft")
    drafts = [replace(d, updated_at=EDITED) for d in notes_api.list_drafts(store.conn)]
    app = Harness(store, lambda: DraftsScreen(store, drafts))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        options = app.screen.query_one(OptionList)
        prompt = str(options.get_option_at_index(0).prompt)
        assert edited in prompt
