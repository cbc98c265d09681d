"""The overview (v), the matrix (m) with its drill-down, the network (w) and the year filter (t),
driven through the real app with Pilot; snapshots at 80x24 and 120x40."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from paradiplo.db.models import Filters
from paradiplo.tui.app import ParadiploApp
from paradiplo.tui.screens.overview import parse_years
from tests.tui.conftest import after_keys, press, running, settle, wait_ready

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def test_parse_years() -> None:
    assert parse_years("2017") == (2017, 2017)
    assert parse_years("2010-2020") == (2010, 2020)
    assert parse_years("2020 – 2010") == (2010, 2020)
    assert parse_years("2010-") == (2010, None)
    assert parse_years("-2020") == (None, 2020)
    assert parse_years("") == (None, None)
    assert parse_years("last year") is None


async def test_year_filter_from_the_main_screen(db_path: Path) -> None:
    async with running(db_path, (120, 40)) as (app, pilot):
        await press(pilot, "t")
        assert type(app.screen).__name__ == "YearsDialog"
        for ch in "2000-2030":
            await pilot.press(ch)
        await press(pilot, "enter")
        assert app.main.filters == Filters(year_from=2000, year_to=2030)
        bar = str(app.main.query_one("#filterbar").render())
        assert "years: 2000–2030" in bar
        await press(pilot, "x")
        assert app.main.filters == Filters()


async def test_overview_bar_shows_its_cases_in_the_main_screen(db_path: Path) -> None:
    async with running(db_path, (120, 40)) as (app, pilot):
        await press(pilot, "v")
        screen = app.screen
        assert type(screen).__name__ == "OverviewScreen"
        chart = screen.query_one("#chart-country")
        assert chart.items and sum(c.count for c in chart.items) == app.main.count
        first = chart.items[0]
        chart.focus()
        await settle(pilot)
        await press(pilot, "f")  # narrow the overview itself
        assert screen.filters.partner == f"pc:{first.key}"
        years = screen.query_one("#chart-year").items
        assert sum(c.count for c in years) == first.count
        await press(pilot, "x")
        assert screen.filters == Filters()
        screen.query_one("#chart-country").focus()
        await press(pilot, "enter")
        assert app.screen is app.main
        assert app.main.filters.partner == f"pc:{first.key}"
        assert app.main.count == first.count


async def test_matrix_cell_shows_those_cases(db_path: Path) -> None:
    async with running(db_path, (120, 40)) as (app, pilot):
        await press(pilot, "v", "m")
        screen = app.screen
        assert type(screen).__name__ == "MatrixScreen"
        m = screen.matrix
        assert m is not None and m.rows_dim == "province" and m.cols_dim == "country"
        row, col = m.rows[0], m.cols[0]
        await press(pilot, "enter")  # the cursor starts on the first row's first column
        assert app.screen is app.main
        assert app.main.filters == Filters(region=f"p:{row.key}", partner=f"pc:{col.key}")
        assert app.main.count == m.cell(row.key, col.key)


async def test_matrix_dimensions_change(db_path: Path) -> None:
    async with running(db_path, (80, 24)) as (app, pilot):
        await press(pilot, "v", "m", "s")
        screen = app.screen
        assert (screen.matrix.rows_dim, screen.matrix.cols_dim) == ("country", "province")
        await press(pilot, "c")
        assert screen.matrix.cols_dim not in ("province", "country")


async def test_network_steps_to_a_neighbour_and_back(db_path: Path) -> None:
    async with running(db_path, (120, 40)) as (app, pilot):
        await press(pilot, "v")
        app.screen.query_one("#chart-province").focus()
        await press(pilot, "w")
        screen = app.screen
        assert type(screen).__name__ == "NetworkScreen"
        net = screen.network
        assert net is not None and net.side == "region" and net.neighbours
        assert sum(nb.count for nb in net.neighbours) == net.count
        first = next(nb for nb in net.neighbours if nb.steppable)
        for _ in range(net.neighbours.index(first)):
            await press(pilot, "down")
        await press(pilot, "enter")
        assert screen.network.key == first.key and screen.network.side == "partner"
        await press(pilot, "backspace")
        assert screen.network.key == net.key
        await press(pilot, "c")
        assert app.screen is app.main
        assert app.main.filters.region == net.key and app.main.filters.partner == first.key


async def _network(pilot: Pilot[object]) -> None:
    await wait_ready(pilot)
    await press(pilot, "v")
    pilot.app.screen.query_one("#chart-province").focus()
    await press(pilot, "w")


@pytest.mark.parametrize("size", SIZES)
def test_overview_snapshot(snap_compare, db_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(ParadiploApp(db_path), terminal_size=size, run_before=after_keys("v"))


@pytest.mark.parametrize("size", SIZES)
def test_matrix_snapshot(snap_compare, db_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(ParadiploApp(db_path), terminal_size=size, run_before=after_keys("v", "m"))


@pytest.mark.parametrize("size", SIZES)
def test_network_snapshot(snap_compare, db_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(ParadiploApp(db_path), terminal_size=size, run_before=_network)


async def test_network_from_the_region_tree(db_path: Path) -> None:
    async with running(db_path, (120, 40)) as (app, pilot):
        await press(pilot, "1", "w")  # the tree's first row is a heading: no network
        assert app.screen is app.main
        await press(pilot, "down", "w")  # the first province
        screen = app.screen
        assert type(screen).__name__ == "NetworkScreen"
        net = screen.network
        assert net is not None and net.key.startswith("p:") and net.side == "region"
        assert sum(nb.count for nb in net.neighbours) == net.count
        await press(pilot, "escape")
        assert app.screen is app.main


def test_years_are_remembered(tmp_path: Path) -> None:
    from paradiplo.tui.state import UIState, load_state, save_state

    path = tmp_path / "state.json"
    state = UIState()
    state.set_filters(Filters(region="p:35", year_from=2010, year_to=2020))
    save_state(state, path)
    assert load_state(path).filters == Filters(region="p:35", year_from=2010, year_to=2020)
