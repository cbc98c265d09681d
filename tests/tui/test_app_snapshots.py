"""Snapshots of the main screen, the detail view and the source reader at 80x24 and 120x40.

Deterministic by construction: a fresh copy of the seed database, fresh config (no remembered
state), the default theme, no clock in the header and no notifications on screen.
Update after an intended change with `pytest tests/tui --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from paradiplo.tui.app import ParadiploApp
from tests.tui.conftest import press, wait_ready

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def _main(pilot: Pilot[object]) -> None:
    await wait_ready(pilot)


async def _detail(pilot: Pilot[object]) -> None:
    await wait_ready(pilot)
    await press(pilot, "4", "j")


async def _reader(pilot: Pilot[object]) -> None:
    await wait_ready(pilot)
    await press(pilot, "4", "enter")


@pytest.mark.parametrize("size", SIZES)
def test_main_screen(snap_compare, db_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(ParadiploApp(db_path), terminal_size=size, run_before=_main)


@pytest.mark.parametrize("size", SIZES)
def test_detail_view(snap_compare, db_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(ParadiploApp(db_path), terminal_size=size, run_before=_detail)


@pytest.mark.parametrize("size", SIZES)
def test_source_reader(snap_compare, db_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(ParadiploApp(db_path), terminal_size=size, run_before=_reader)


# Readable in a light theme too: the app's own styles are theme-neutral (bold, dim, reverse)
# or theme variables; these show the panes and the highlighted passages on a light background.
async def _light_main(pilot: Pilot[object]) -> None:
    pilot.app.theme = "textual-light"
    await wait_ready(pilot)
    await press(pilot, "4", "j")


async def _light_reader(pilot: Pilot[object]) -> None:
    pilot.app.theme = "textual-light"
    await wait_ready(pilot)
    await press(pilot, "4", "enter")


def test_main_screen_light_theme(snap_compare, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(ParadiploApp(db_path), terminal_size=(120, 40), run_before=_light_main)


def test_source_reader_light_theme(snap_compare, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(ParadiploApp(db_path), terminal_size=(120, 40), run_before=_light_reader)
