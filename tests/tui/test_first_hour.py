"""What tripped new users up in their first hour, driven through the real app."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static

from paradiplo.db import notes as notes_api
from paradiplo.db.store import open_store
from paradiplo.tui.screens.help import HelpScreen
from paradiplo.tui.screens.main import MainScreen
from paradiplo.tui.screens.note_editor import NoteEditorScreen
from paradiplo.tui.screens.notes import NotesScreen
from paradiplo.tui.widgets.case_list import CaseList
from paradiplo.tui.widgets.keybar import KeyBar
from paradiplo.tui.widgets.regions import RegionTree
from paradiplo.tui.widgets.sectors import SectorList
from tests.tui.conftest import press, press_to, running, screen_text
from tests.tui.test_search_screen import results_for


def lines_of(widget: object, count: int) -> list[str]:
    return [widget.render_line(y).text for y in range(count)]  # type: ignore[attr-defined]


async def test_a_plain_capture_of_the_sectors_tells_ticked_from_unticked(db_path: Path) -> None:
    async with running(db_path, (80, 24)) as (app, pilot):
        await press(pilot, "2", "space")
        sectors = app.screen.query_one(SectorList)
        first, second = lines_of(sectors, 2)
        assert first.lstrip().startswith("[✓]"), first
        assert second.lstrip().startswith("[ ]"), second


async def test_agreements_keep_the_type_and_the_partners_country_at_80x24(db_path: Path) -> None:
    async with running(db_path, (80, 24)) as (app, pilot):
        case_list = app.screen.query_one(CaseList)
        await press(pilot, "3", "end")  # the cursor row shows names whole: look at the others
        rows = " ".join(lines_of(case_list, 8))
        assert "MoU" in rows and "Sister city" in rows
        assert "(JP)" in rows or "(Japan)" in rows
        assert "(KR)" in rows or "(South Korea)" in rows


async def test_the_cursor_row_shows_its_names_whole(db_path: Path) -> None:
    async with running(db_path, (120, 40)) as (app, pilot):
        case_list = app.screen.query_one(CaseList)
        await press(pilot, "3", "home")
        for _ in range(9):
            row = case_list.current
            assert row is not None
            if row.region_name.startswith("Malang"):
                break
            await press(pilot, "j")
        line = case_list.render_line(case_list.cursor - int(case_list.scroll_y)).text
        assert "Malang (city or regency not stated)" in line


async def test_region_counts_are_never_cut(db_path: Path) -> None:
    async with running(db_path, (80, 24)) as (app, _):
        tree = app.screen.query_one(RegionTree)
        malang = [t for t in lines_of(tree, tree.size.height) if "Malang" in t]
        assert malang and malang[0].rstrip().endswith(" 1"), malang


async def test_the_region_pane_says_when_more_is_below(db_path: Path) -> None:
    async with running(db_path, (80, 24)) as (app, pilot):
        pane = app.screen.query_one("#regions-pane")
        assert "more" in str(pane.border_subtitle)
        await press(pilot, "1", "end")
        assert "more" not in str(pane.border_subtitle)
        assert "↑" in str(pane.border_subtitle)


async def test_p_lands_on_the_first_partner_country_and_enter_opens_a_heading(
    db_path: Path,
) -> None:
    async with running(db_path, (120, 40)) as (app, pilot):
        await press(pilot, "1", "p")
        tree = app.screen.query_one(RegionTree)
        node = tree.cursor_node
        assert node is not None and node.data is not None
        assert node.data.key is not None and node.data.key.startswith("pc:")
        # Back to the Indonesian side: its first province.
        await press(pilot, "p")
        node = tree.cursor_node
        assert node is not None and node.data is not None and node.data.side == "region"
        # Enter on a heading opens and closes it, and filters nothing.
        await press(pilot, "home")
        heading = tree.cursor_node
        assert heading is not None and heading.data is not None and heading.data.key is None
        main = app.screen
        assert isinstance(main, MainScreen)
        was_open = heading.is_expanded
        await press(pilot, "enter")
        assert heading.is_expanded is not was_open
        assert main.filters.is_empty()


async def test_escape_brings_back_the_filters_a_jump_to_a_case_cleared(db_path: Path) -> None:
    async with running(db_path, (120, 40)) as (app, pilot):
        main = app.screen
        assert isinstance(main, MainScreen)
        main.set_filter("region", "p:32", "Jawa Barat")
        await press(pilot)
        assert main.filters.region == "p:32"
        # A search hit on a case outside the filter: the filters are cleared to show it.
        await press(pilot, "slash", "ctrl+f")  # search everything, not only Jawa Barat
        screen = await results_for(pilot, "Jinan")
        assert screen.hits[0].ref_id == "sidoarjo-jinan-2008"
        await press(pilot, "enter")
        assert app.screen is main
        assert main.filters.is_empty()
        await press(pilot, "escape")
        assert main.filters.region == "p:32"


async def test_notes_list_moves_with_j_and_k_and_shows_t(db_path: Path) -> None:
    store = open_store(db_path)
    for i in range(3):
        notes_api.add_note(store, "case", "malang-nonsan-2017", f"note {i}", ["a-long-tag-name"])
    store.close()
    async with running(db_path, (120, 40)) as (app, pilot):
        await press_to(pilot, NotesScreen, "N")
        table = app.screen.query_one("#notes-table", DataTable)
        assert table.cursor_row == 0
        await press(pilot, "j")
        assert table.cursor_row == 1
        await press(pilot, "k")
        assert table.cursor_row == 0
        assert "Export by tag" in app.screen.query_one(KeyBar).render().plain
        tags_cell = table.get_row_at(0)[1]
        assert "#a-long-tag-name" in str(tags_cell)
        column = table.columns[next(iter(k for k in table.columns if k.value == "tags"))]
        assert column.get_render_width(table) >= len("#a-long-tag-name")


async def test_a_note_on_a_country_says_it_is_on_a_country(db_path: Path) -> None:
    async with running(db_path, (120, 40)) as (app, pilot):
        await press(pilot, "1", "p")
        tree = app.screen.query_one(RegionTree)
        for _ in range(10):
            node = tree.cursor_node
            if node is not None and node.data is not None and node.data.key == "pc:JP":
                break
            await press(pilot, "j")
        await press_to(pilot, NoteEditorScreen, "n")
        titles = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "New note on partner country: Japan" in titles
        assert "on region" not in titles


async def test_g_is_in_the_key_bar_and_help_says_how_to_do_things(db_path: Path) -> None:
    async with running(db_path, (120, 40)) as (app, pilot):
        bar = app.screen.query_one(KeyBar).render().plain
        assert "g Glossary" in bar
        await press_to(pilot, HelpScreen, "question_mark")
        text = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "How do I" in text
        assert "Find a province's cooperations with a country" in text


async def test_notifications_go_when_the_screen_changes(db_path: Path) -> None:
    async with running(db_path, (120, 40), notifications=True) as (app, pilot):
        app.notify("Note saved.")
        for _ in range(5):
            await pilot.pause(0.05)
        assert screen_text(app).count("Note saved.") == 1
        await pilot.pause(0.6)
        await press(pilot, "s")
        for _ in range(5):
            await pilot.pause(0.05)
        assert "Note saved." not in screen_text(app)
