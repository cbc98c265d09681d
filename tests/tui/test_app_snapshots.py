"""Snapshots of the main screen, the detail view and the source reader at 80x24 and 120x40.

Deterministic by construction: a fresh copy of the seed database, fresh config (no remembered
state), the default theme, no clock in the header and no notifications on screen.
Update after an intended change with `pytest tests/tui --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from paradiplo.tui.app import ParadiploApp
from tests.tui.conftest import after_keys

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
def test_main_screen(snap_compare, db_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(ParadiploApp(db_path), terminal_size=size, run_before=after_keys())


@pytest.mark.parametrize("size", SIZES)
def test_detail_view(snap_compare, db_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(ParadiploApp(db_path), terminal_size=size, run_before=after_keys("4", "j"))


@pytest.mark.parametrize("size", SIZES)
def test_source_reader(snap_compare, db_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(
        ParadiploApp(db_path), terminal_size=size, run_before=after_keys("4", "enter")
    )


# Readable in a light theme too: the app's own styles are theme-neutral (bold, dim, reverse)
# or theme variables; these show the panes and the highlighted passages on a light background.
LIGHT_DETAIL = after_keys("4", "j", theme="textual-light")
LIGHT_READER = after_keys("4", "enter", theme="textual-light")


def test_main_screen_light_theme(snap_compare, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(ParadiploApp(db_path), terminal_size=(120, 40), run_before=LIGHT_DETAIL)


def test_source_reader_light_theme(snap_compare, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(ParadiploApp(db_path), terminal_size=(120, 40), run_before=LIGHT_READER)
