"""Markup-looking, escape-laden and huge notes render as literal text (snapshots).

Update after an intended visual change with: pytest tests/tui/test_notes_snapshots.py
--snapshot-update, and look at the SVGs before committing them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import TextArea

from paradiplo.db import notes as notes_api
from paradiplo.db.store import Store
from paradiplo.tui.screens.note_editor import NoteEditorScreen
from tests.tui.test_notes_ui import CASE, HOSTILE, LABEL, Harness, settle

WRITTEN = "2025-03-01T10:00:00.000+00:00"
EDITED = "2025-03-02T11:30:00.000+00:00"
HOSTILE_MD = HOSTILE + "\n\n# [red]Heading[/red]\n\n- item `[code]`\n\n```\n\x1b[2J fenced\n```\n"


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Times are shown in local time: pin it so the snapshots do not depend on the machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def add_hostile(store: Store, *, big: bool = True) -> None:
    if big:
        text = ("[b]word[/b] \x1b[31m " * 60 + "\n") * 1000
        notes_api.add_note(store, "case", CASE, text, ["big"], created_at="2024-01-01T00:00:00Z")
    notes_api.add_note(
        store,
        "case",
        CASE,
        HOSTILE_MD,
        ["[bold]tag[/]", "\x1b[31mred"],
        created_at=WRITTEN,
        updated_at=EDITED,
    )


def test_detail_notes_render_hostile_notes_literally(store: Store, snap_compare: Any) -> None:
    add_hostile(store)

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)

    assert snap_compare(Harness(store), terminal_size=(100, 40), run_before=run_before)


def test_note_editor_shows_hostile_note_literally(store: Store, snap_compare: Any) -> None:
    add_hostile(store, big=False)
    note = notes_api.list_notes(store.conn)[0]
    assert note.body == HOSTILE_MD

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        area = pilot.app.screen.query_one(TextArea)
        area.cursor_blink = False
        area.move_cursor((0, 0))
        area.scroll_home(animate=False)
        await settle(pilot)

    app = Harness(store, lambda: NoteEditorScreen(store, "case", CASE, LABEL, note))
    assert snap_compare(app, terminal_size=(100, 32), run_before=run_before)
