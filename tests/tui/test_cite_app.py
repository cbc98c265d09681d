"""Citing from the app: `y` copies a quote with its in-text citation and reference in the
chosen style, `c` copies "cite this fact", the style is chosen in the command palette and
remembered, and the sources list shows what a reference still lacks."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Static

from paradiplo.db.paths import state_path
from paradiplo.tui.screens.sources import SourcesScreen
from paradiplo.tui.state import UIState, save_state
from paradiplo.tui.widgets.detail import DetailView
from tests.tui.conftest import press, press_to, running, settle

CASE = "jabar-shizuoka-mou-2017"
REFERENCE = "Kemitraan multisektor melalui kerjasama paradiplomasi. (n.d.). Kumparan."


async def test_y_and_c_copy_citations_in_the_chosen_style(db_path: Path) -> None:
    save_state(UIState(case_id=CASE))
    async with running(db_path, (110, 34)) as (app, pilot):
        await press(pilot, "4", "j")
        detail = app.screen.query_one(DetailView)
        quote = detail.current_quote
        assert quote is not None and quote.evidence.quote
        words = " ".join(quote.evidence.quote.split())

        await press(pilot, "y")
        assert app.clipboard == (
            f"“{words}” (“Kemitraan multisektor melalui kerjasama paradiplomasi,” n.d.)\n\n"
            f"{REFERENCE}\n"
        )

        await press(pilot, "c")
        assert app.clipboard.startswith("The Indonesian party to “West Java")
        assert "dates from 2017-11 (“November 2017”)." in app.clipboard
        assert app.clipboard.endswith(f"n.d.)\n\n{REFERENCE}\n")

        # The palette switches the style; y follows it.
        await press(pilot, "ctrl+p")
        await pilot.press(*"Citation style: Chicago")
        await settle(pilot)
        await press(pilot, "enter")
        await press(pilot, "y")
        assert "(Kumparan, n.d.)" in app.clipboard
        assert app.clipboard.endswith(
            "Kumparan. n.d. “Kemitraan multisektor melalui kerjasama paradiplomasi.”\n"
        )
        await pilot.press("q")
    assert json.loads(state_path().read_text(encoding="utf-8"))["cite_style"] == "chicago"


async def test_sources_list_shows_reference_and_missing_fields(db_path: Path) -> None:
    async with running(db_path, (110, 40)) as (app, pilot):
        await press_to(pilot, SourcesScreen, "s")
        shown = str(app.screen.query_one("#source-reference", Static).render())
        assert REFERENCE in " ".join(shown.split())
        assert "@kumparan_nd_kemitraan" in shown
        assert "Missing for a complete reference: authors, date, URL" in shown
