"""The real app, driven by keys alone: filter by region, then sector, open a case, read its
source at the quote, come back, use the palette and the help screen, quit."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandList, CommandPalette

from paradiplo.db import queries
from paradiplo.db.models import Filters
from paradiplo.db.store import open_store
from paradiplo.tui.screens.help import HelpScreen
from paradiplo.tui.screens.main import MainScreen
from paradiplo.tui.screens.reader import SourceReaderScreen
from paradiplo.tui.widgets.case_list import CaseList
from paradiplo.tui.widgets.detail import DetailView
from paradiplo.tui.widgets.regions import RegionTree
from paradiplo.tui.widgets.sectors import SectorList
from tests.tui.conftest import press, press_to, running, settle


async def move_tree_to(pilot, tree: RegionTree, key: str) -> None:  # type: ignore[no-untyped-def]
    for _ in range(40):
        node = tree.cursor_node
        if node is not None and node.data is not None and node.data.key == key:
            return
        await pilot.press("j")
    raise AssertionError(f"no tree node {key}")


async def move_sectors_to(pilot, sectors: SectorList, sector_id: str) -> None:  # type: ignore[no-untyped-def]
    for _ in range(40):
        option = sectors.highlighted_option
        if option is not None and option.id == sector_id:
            return
        await pilot.press("down")
    raise AssertionError(f"no sector {sector_id}")


async def test_browse_by_keyboard(db_path: Path) -> None:
    store = open_store(db_path)
    expected_region = queries.count_cases(store.conn, Filters(region="p:35"))
    expected_both = queries.count_cases(store.conn, Filters(region="p:35", sectors=("tourism",)))
    store.close()
    async with running(db_path, (100, 30)) as (app, pilot):
        main = app.screen
        assert isinstance(main, MainScreen)
        assert main.count == 9
        case_list = main.query_one(CaseList)
        assert app.focused is case_list

        # 1 Regions: pick Jawa Timur.
        await press(pilot, "1")
        tree = main.query_one(RegionTree)
        assert app.focused is tree
        await move_tree_to(pilot, tree, "p:35")
        await press(pilot, "enter")
        assert main.filters.region == "p:35"
        assert main.count == expected_region == 7
        assert "Jawa Timur" in str(main.query_one("#filterbar").render())

        # 2 Sectors: tick tourism; the counts and the list narrow.
        await press(pilot, "2")
        sectors = main.query_one(SectorList)
        await move_sectors_to(pilot, sectors, "tourism")
        await press(pilot, "space")
        assert main.filters.sectors == ("tourism",)
        assert main.count == expected_both
        assert case_list.count == expected_both

        # 3 Agreements, Enter opens the case in the Detail pane.
        await press(pilot, "3", "enter")
        detail = main.query_one(DetailView)
        assert app.focused is detail
        row = case_list.current
        assert row is not None and detail.detail is not None
        assert detail.detail.id == row.id == main.current_case
        assert detail.current_quote is None  # the facts first; j selects the first quote
        await press(pilot, "j", "j", "k")
        quote = detail.current_quote
        assert quote is detail.quotes[0]
        assert quote is not None

        # Enter on the quote opens the source reader scrolled to it.
        await press(pilot, "enter")
        reader = app.screen
        assert isinstance(reader, SourceReaderScreen)
        assert reader.source is not None and reader.source.id == quote.evidence.source_id
        assert reader.passages[reader.current] == (quote.evidence.start, quote.evidence.end)
        copied = reader.current_quote_text()
        assert copied is not None and reader.source.citation in copied

        # y copies the passage with its in-text citation and its reference (APA), and no
        # file name or source id.
        await press(pilot, "y")
        passage = " ".join(reader.source.text[quote.evidence.start : quote.evidence.end].split())
        assert app.clipboard.startswith(f"“{passage}” (")
        assert ".txt" not in app.clipboard and reader.source.id not in app.clipboard

        # Escape comes back to the case.
        await press(pilot, "escape")
        assert app.screen is main
        assert main.current_case == row.id
        assert app.focused is detail

        # Ctrl+P finds a case by name and jumps to it (clearing filters that hide it).
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"sidoarjo jinan")
        for _ in range(30):
            await pilot.pause(0.05)
            if app.screen.query_one(CommandList).option_count:
                break
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.screen is main
        assert main.current_case == "sidoarjo-jinan-2008"
        assert main.filters == Filters()  # tourism in Jawa Timur hid it, so they were cleared
        assert main.query_one(DetailView).detail.id == "sidoarjo-jinan-2008"  # type: ignore[union-attr]

        # ? lists the bindings; Escape closes it.
        await press_to(pilot, HelpScreen, "?")
        await press(pilot, "escape")
        assert app.screen is main

        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
