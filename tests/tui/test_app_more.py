"""The app's other promises: remembered state, keymaps, read-only and broken databases,
small terminals, big collections, empty results, sorting, and errors in workers."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import Static

from paradiplo.db import queries, schema
from paradiplo.db.errors import ParadiploError
from paradiplo.db.paths import keymap_path, state_path
from paradiplo.db.store import open_store
from paradiplo.tui.app import ParadiploApp
from paradiplo.tui.cli import main as cli_main
from paradiplo.tui.screens.dialogs import FatalScreen
from paradiplo.tui.screens.help import HelpScreen
from paradiplo.tui.screens.main import MainScreen
from paradiplo.tui.screens.reader import SourceReaderScreen
from paradiplo.tui.screens.sources import SourcesScreen
from paradiplo.tui.widgets.case_list import PAGE, CaseList
from paradiplo.tui.widgets.detail import DetailView
from paradiplo.tui.widgets.sectors import SectorList
from tests.tui.conftest import press, press_to, running, settle, wait_ready


def _plain(renderable: object) -> str:
    from rich.console import Console

    console = Console(width=160, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


async def test_state_is_remembered(db_path: Path) -> None:
    async with running(db_path, (120, 40)) as (app, pilot):
        main = app.screen
        assert isinstance(main, MainScreen)
        main.set_filter("partner", "pc:JP")
        await settle(pilot)
        await press(pilot, "j")
        chosen = main.current_case
        assert chosen is not None and main.count == 2
        await pilot.press("q")
    saved = json.loads(state_path().read_text(encoding="utf-8"))
    assert saved["partner"] == "pc:JP" and saved["case_id"] == chosen

    again = ParadiploApp(db_path)
    async with again.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        main = again.screen
        assert isinstance(main, MainScreen)
        assert main.filters.partner == "pc:JP"
        assert main.current_case == chosen
        assert "Japan" in str(main.query_one("#filterbar", Static).content)


async def test_keymap_remaps_and_help_shows_it(db_path: Path) -> None:
    keymap_path().parent.mkdir(parents=True, exist_ok=True)
    keymap_path().write_text('sources = "f6"\nhelp = "f1"\nnot_a_binding = "f9"\n')
    async with running(db_path, (120, 40)) as (app, pilot):
        await press(pilot, "s")
        assert not isinstance(app.screen, SourcesScreen)
        await press_to(pilot, SourcesScreen, "f6")
        await press_to(pilot, HelpScreen, "escape", "f1")
        help_text = " ".join(_plain(s.content) for s in app.screen.query(Static)).lower()
        assert "f6" in help_text and "f1" in help_text  # the keys in force are listed
        assert any("not_a_binding" in m for m in app.notices)


async def test_read_only_browses_without_notes(db_path: Path) -> None:
    store = open_store(db_path)
    store.readonly = True
    store.readonly_reason = "the file or its folder is not writable"
    app = ParadiploApp(db_path, store=store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert "read-only" in app.sub_title
        assert isinstance(app.screen, MainScreen) and app.screen.count == 9
        await press_to(pilot, MainScreen, "n")
        messages = list(app.notices)
        assert any("notes are off" in m for m in messages)
    store.close()


def test_broken_database_message_on_command_line(tmp_path: Path) -> None:
    bad = tmp_path / "junk.db"
    bad.write_bytes(b"this is not a database at all" * 10)
    result = CliRunner().invoke(cli_main, ["--db", str(bad)])
    assert result.exit_code == 1
    assert "not a SQLite database" in result.output
    assert "Traceback" not in result.output


async def test_broken_database_message_on_screen(tmp_path: Path) -> None:
    bad = tmp_path / "junk.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    app = ParadiploApp(bad)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(50):
            await pilot.pause(0.02)
            if isinstance(app.screen, FatalScreen):
                break
        assert isinstance(app.screen, FatalScreen)
        assert str(bad) in app.screen.message
        await pilot.press("q")
    assert app.return_code == 1


async def test_tiny_terminal_does_not_break(db_path: Path) -> None:
    async with running(db_path, (40, 12)) as (app, pilot):
        await press(pilot, "1", "j", "enter", "4", "j", "z")
        await press_to(pilot, SourceReaderScreen, "enter")
        await press_to(pilot, HelpScreen, "]", "escape", "?")
        await press_to(pilot, MainScreen, "escape", "escape", "x")
        assert app.screen.count == 9


async def test_a_key_typed_right_after_a_pane_number_acts_on_that_pane(db_path: Path) -> None:
    from paradiplo.tui.widgets.detail import DetailView

    async with running(db_path, (100, 30)) as (app, pilot):
        main = app.screen
        assert isinstance(main, MainScreen)
        # Typed together (a fast typist, tmux): the second key is handled before a refresh.
        main.action_focus_pane("detail")
        main.action_zoom()
        await settle(pilot)
        assert main.maximized is not None
        assert main.query_one(DetailView) in main.maximized.walk_children(with_self=True)
        main.action_zoom()
        main.action_focus_pane("regions")
        main.action_zoom()
        await settle(pilot)
        assert main.maximized is not None
        assert main.query_one("RegionTree") in main.maximized.walk_children(with_self=True)


async def test_empty_result_and_sorting(db_path: Path) -> None:
    async with running(db_path, (100, 30)) as (app, pilot):
        main = app.screen
        assert isinstance(main, MainScreen)
        case_list = main.query_one(CaseList)
        years = [case_list.row_at(i).year for i in range(4)]  # type: ignore[union-attr]
        assert years == sorted(years, reverse=True)
        await press(pilot, "o")
        assert main.sort == "year"
        first = case_list.row_at(0)
        assert first is not None and first.year == 2008
        await press(pilot, "o")
        assert main.sort == "title"
        titles = [case_list.row_at(i).title.casefold() for i in range(9)]  # type: ignore[union-attr]
        assert titles == sorted(titles)

        # A sector no case has: the list says so and how to clear.
        sectors = main.query_one(SectorList)
        await pilot.press("2", "end")
        while sectors.highlighted_option is None or sectors.highlighted_option.id != "education":
            await pilot.press("k")
        await press(pilot, "space")
        assert main.count == 0
        assert "Escape" in case_list.empty_message.plain
        assert any("Escape" in case_list.render_line(y).text for y in range(6))
        await press(pilot, "3", "escape")
        assert main.count == 9 and case_list.row_at(0) is not None
        assert "No case" not in case_list.render_line(1).text


async def test_worker_errors_become_messages(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(conn: object, case_id: str) -> None:
        raise ParadiploError(f"Case {case_id} could not be read (test).")

    async with running(db_path, (120, 40)) as (app, pilot):
        monkeypatch.setattr(queries, "case_detail", broken)
        await press(pilot, "j")
        await settle(pilot)
        assert app.is_running
        assert any("could not be read (test)" in m for m in app.notices)


async def test_a_failing_part_of_a_filter_change_fails_alone(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The three parts of a filter change run in one worker: the sector counts failing must
    mark the sectors pane, while the trees and the list still show, and nothing waits on."""

    def broken(conn: object, filters: object) -> None:
        raise ParadiploError("Sector counts could not be read (test).")

    async with running(db_path, (120, 40)) as (app, pilot):
        main = app.screen
        assert isinstance(main, MainScreen)
        monkeypatch.setattr(queries, "sector_counts", broken)
        main.set_filter("partner", "pc:JP")
        await settle(pilot)
        assert main.count == 2  # the list was refilled
        assert "sectors" in main.failed and "agreements" not in main.failed
        assert any("could not be read (test)" in m for m in app.notices)


async def test_the_newest_wanted_case_is_shown_when_a_load_ends(db_path: Path) -> None:
    """Keys pressed while a case loads only change which case is wanted: when the loads
    end, the Detail pane shows the case under the cursor (it once stayed on an older one)."""
    async with running(db_path, (120, 40)) as (app, pilot):
        main = app.screen
        assert isinstance(main, MainScreen)
        for _ in range(4):
            await pilot.press("j")  # no waiting between keys: the loads overlap
        await settle(pilot)
        detail = main.query_one(DetailView).detail
        assert main.current_case is not None
        assert detail is not None and detail.id == main.current_case
        assert main.query_one(CaseList).cursor == 4


def _grow(db_path: Path, copies: int) -> int:
    """Add `copies` of every seed case (new ids) straight in SQL: a big collection, fast."""
    conn = sqlite3.connect(db_path)
    cols = [r[1] for r in conn.execute("PRAGMA table_info(cases)")]
    rest = ", ".join(c for c in cols if c != "id")
    conn.execute(
        f"INSERT INTO cases (id, {rest}) SELECT c.id || '-' || n.value, "
        + ", ".join(f"c.{c}" for c in cols if c != "id")
        + " FROM cases c, (WITH RECURSIVE k(value) AS (SELECT 1 UNION ALL SELECT value + 1"
        f" FROM k WHERE value < {copies}) SELECT value FROM k) n"
    )
    schema.rebuild_summaries(conn)  # as every writer of cases does
    conn.commit()
    total = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    conn.close()
    return int(total)


async def test_big_collection_pages_from_sqlite(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import paradiplo.tui.widgets.case_list as case_list_module

    monkeypatch.setattr(case_list_module, "KEEP_PAGES", 4)
    total = _grow(db_path, 2000)  # 18,009 cases
    started = time.perf_counter()
    app = ParadiploApp(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await asyncio.wait_for(app.ready.wait(), timeout=20)
        ready_after = time.perf_counter() - started
        await settle(pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        case_list = main.query_one(CaseList)
        assert main.count == case_list.count == total
        assert len(case_list.pages) <= 2  # only what is on screen was read
        await press(pilot, "end")
        assert case_list.cursor == total - 1
        assert case_list.current is not None
        await press(pilot, "pageup")
        for page in range(0, total // PAGE, total // PAGE // 6):  # pages load, old ones go
            case_list.set_cursor(page * PAGE + 3, center=True)
            await settle(pilot)
            assert case_list.current is not None
        assert len(case_list.pages) <= 4 + 1
        assert main.current_case == case_list.current.id  # type: ignore[union-attr]
    assert ready_after < 10


async def test_new_note_targets_and_export_command(db_path: Path) -> None:
    """`n` writes on what has focus: a region node, a case, a passage; the palette exports."""
    from paradiplo.tui.screens.note_editor import NoteEditorScreen

    async with running(db_path, (120, 40)) as (app, pilot):
        main = app.screen
        assert isinstance(main, MainScreen)
        await press(pilot, "1", "j", "n")
        editor = app.screen
        assert isinstance(editor, NoteEditorScreen)
        assert (editor.target_type, editor.target_id) == ("region", "p:32")
        await press(pilot, "escape")
        await press(pilot, "3", "n")
        editor = app.screen
        assert isinstance(editor, NoteEditorScreen)
        assert (editor.target_type, editor.target_id) == ("case", main.current_case)
        await press(pilot, "escape", "4", "enter", "n")
        editor = app.screen
        assert isinstance(editor, NoteEditorScreen)
        assert editor.target_type == "passage"
        await press(pilot, "escape", "escape")
        assert app.screen is main

        app.export_notes("md")
        await settle(pilot)
        exported = [m for m in app.notices if "exported" in m]
        assert exported and Path(exported[-1].split(" to ", 1)[1]).exists()


async def test_search_hits_and_note_targets_open_the_right_place(db_path: Path) -> None:
    """What the search and notes screens hand back opens a case, a passage or a term."""
    from paradiplo.db.models import SearchHit
    from paradiplo.tui.screens.glossary import GlossaryScreen

    async with running(db_path, (120, 40)) as (app, pilot):
        main = app.screen
        assert isinstance(main, MainScreen)
        app.open_search_hit(SearchHit("case", "sidoarjo-jinan-2008", "t", "s", 1.0))
        await settle(pilot)
        assert main.current_case == "sidoarjo-jinan-2008"
        store = open_store(db_path)
        span = queries.source_spans(store.conn, "000_5dc3115ab1b62650")[3]
        store.close()
        hit = SearchHit(
            "passage", "p", "t", "s", 1.0, None, "000_5dc3115ab1b62650", span.start, span.end
        )
        app.open_search_hit(hit)
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, SourceReaderScreen)
        assert reader.passages[reader.current] == (span.start, span.end)
        app.open_search_hit(SearchHit("term", "paradiplomasi", "t", "s", 1.0))
        await settle(pilot)
        assert isinstance(app.screen, GlossaryScreen)
        app.open_note_target(("region", "pc:JP", None))
        await settle(pilot)
        assert app.screen is main and main.filters.partner == "pc:JP"
        app.open_note_target(("case", "malang-nonsan-2017", None))
        await settle(pilot)
        assert main.current_case == "malang-nonsan-2017" and main.filters.partner is None


async def test_search_screen_opens_what_it_finds(db_path: Path) -> None:
    """`/` opens the search screen; Enter on a result shows that case in the main screen."""
    search = pytest.importorskip("paradiplo.tui.screens.search")
    async with running(db_path, (100, 30)) as (app, pilot):
        main = app.screen
        await press(pilot, "slash")
        screen = app.screen
        assert isinstance(screen, search.SearchScreen)
        await pilot.press(*"Nonsan")
        for _ in range(60):
            await pilot.pause(0.05)
            if getattr(screen, "shown_query", None) == "Nonsan" and screen.hits:
                break
        await settle(pilot)
        await press(pilot, "enter")
        assert app.screen is main
        assert isinstance(main, MainScreen) and main.current_case == "malang-nonsan-2017"
