"""The command palette offers names in any written form, words in any order (db/palette.py)."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandList, CommandPalette

from paradiplo.tui.screens.main import MainScreen
from tests.tui.conftest import running, settle


async def _offers(pilot, text: str, want: int) -> list[str]:  # type: ignore[no-untyped-def]
    app = pilot.app
    await pilot.press("ctrl+p")
    await settle(pilot)
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*text)
    prompts: list[str] = []
    for _ in range(60):
        await pilot.pause(0.05)
        options = app.screen.query_one(CommandList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        if len(prompts) >= want:
            break
    return prompts


async def test_jatim_australia_offers_the_two_cases(db_path: Path) -> None:
    async with running(db_path, (120, 40)) as (_, pilot):
        prompts = await _offers(pilot, "jatim australia", 2)
        assert any("Kediri – Australia" in p for p in prompts), prompts
        assert any("Trenggalek – Australia" in p for p in prompts), prompts
        assert all(p.startswith("Case: ") for p in prompts), prompts


async def test_pemkot_kediri_filters_to_kota_kediri(db_path: Path) -> None:
    async with running(db_path, (120, 40)) as (app, pilot):
        main = app.screen
        assert isinstance(main, MainScreen)
        prompts = await _offers(pilot, "Pemkot Kediri", 2)
        assert prompts[0].startswith("Region: Kota Kediri"), prompts
        await pilot.press("enter")  # the first offer is highlighted
        await settle(pilot)
        assert app.screen is main
        assert main.filters.region == "a:35.71"
