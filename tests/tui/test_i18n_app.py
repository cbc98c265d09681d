"""The app in Bahasa Indonesia and in English: panes, key bar, help and data labels, the
palette's language switch, and snapshots of both."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from paradiplo.db import i18n
from paradiplo.tui.app import ParadiploApp
from paradiplo.tui.screens.help import HelpScreen
from paradiplo.tui.screens.main import MainScreen
from paradiplo.tui.state import load_state
from paradiplo.tui.widgets.keybar import KeyBar
from paradiplo.tui.widgets.sectors import SectorList
from tests.tui.conftest import after_keys, press, press_to, running, settle, wait_ready

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    i18n.set_language("en")


@pytest.fixture
def indonesian(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARADIPLO_LANG", "id")
    i18n.set_language()


def titles(screen: object) -> str:
    return " ".join(str(p.border_title) for p in screen.query(".pane"))  # type: ignore[attr-defined]


async def test_the_main_screen_in_indonesian(db_path: Path, indonesian: None) -> None:
    async with running(db_path, (80, 24)) as (app, _):
        main = app.screen
        assert isinstance(main, MainScreen)
        assert "Daerah" in titles(main) and "Rincian" in titles(main)
        sectors = " ".join(
            main.query_one(SectorList).render_line(y).text
            for y in range(main.query_one(SectorList).size.height)
        )
        assert "Pariwisata" in sectors
        assert "Keluar" in main.query_one(KeyBar).render().plain


async def test_the_palette_switches_the_language_and_remembers_it(db_path: Path) -> None:
    async with running(db_path, (120, 40)) as (app, pilot):
        assert "Regions" in titles(app.screen)
        await press(pilot, "ctrl+p", *"language", "enter")
        await settle(pilot)
        for _ in range(50):
            if isinstance(app.screen, MainScreen) and "Daerah" in titles(app.screen):
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, MainScreen) and "Daerah" in titles(app.screen)
        assert load_state().language == "id"
        await press(pilot, "ctrl+p", *"language", "enter")
        for _ in range(50):
            if isinstance(app.screen, MainScreen) and "Regions" in titles(app.screen):
                break
            await pilot.pause(0.05)
        assert "Regions" in titles(app.screen)


async def test_help_in_indonesian(db_path: Path, indonesian: None) -> None:
    async with running(db_path, (120, 40)) as (app, pilot):
        await press_to(pilot, HelpScreen, "question_mark")
        text = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "Bagaimana caranya" in text and "Mencari kerja sama sebuah provinsi" in text


@pytest.mark.parametrize("size", SIZES)
def test_main_screen_indonesian(
    snap_compare, db_path: Path, indonesian: None, size: tuple[int, int]
) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(ParadiploApp(db_path), terminal_size=size, run_before=after_keys())


def test_help_indonesian(
    snap_compare, db_path: Path, indonesian: None, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    # The help shows the keymap's path: a fixed one keeps the picture the same from run to run.
    monkeypatch.setenv("PARADIPLO_CONFIG_DIR", "/tmp/paradiplo-snapshot/help-id")
    assert snap_compare(
        ParadiploApp(db_path), terminal_size=(80, 24), run_before=after_keys("question_mark")
    )


def test_help_english(snap_compare, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PARADIPLO_CONFIG_DIR", "/tmp/paradiplo-snapshot/help-en")
    assert snap_compare(
        ParadiploApp(db_path), terminal_size=(80, 24), run_before=after_keys("question_mark")
    )


async def test_the_detail_view_in_indonesian_keeps_the_quotes(
    db_path: Path, indonesian: None
) -> None:
    from paradiplo.tui.widgets.detail import DetailView

    async with running(db_path, (120, 40)) as (app, pilot):
        app.open_case("sidoarjo-jinan-2008")
        for _ in range(100):
            detail = app.screen.query_one(DetailView)
            text = " ".join(detail.plain_text().split())
            if "Sidoarjo" in text and "Jinan" in text:
                break
            await pilot.pause(0.05)
        assert "Kota kembar (sister city) Sidoarjo – Jinan" in text
        assert "Sidoarjo menjalin kerja sama kota kembar" in text
        for label in ("Pihak Indonesia", "Mitra", "Jenis", "Tanggal", "Status", "Tidak jelas"):
            assert label in text
        assert "Jinan — kota, Tiongkok" in text
        # The source's own words are never translated.
        assert (
            "seperti Sidoarjo yang bekerjasama dengan kota Jinan , Tiongkok pada tahun 2008" in text
        )
        assert "“pada tahun 2008”" in text


async def _search_dialog(pilot: Pilot[object]) -> None:
    await wait_ready(pilot)
    await press(pilot, "slash")
    await settle(pilot)
    await press(pilot, *"kota kembar")
    for _ in range(100):  # the results come from a worker
        if "kota kembar”" in " ".join(str(s.render()) for s in pilot.app.screen.query(Static)):
            break
        await pilot.pause(0.05)
    await settle(pilot)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_search_dialog_in_both_languages(
    snap_compare, db_path: Path, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PARADIPLO_LANG", lang)
    monkeypatch.setenv("PARADIPLO_CONFIG_DIR", f"/tmp/paradiplo-snapshot/search-{lang}")
    i18n.set_language()
    assert snap_compare(ParadiploApp(db_path), terminal_size=(80, 24), run_before=_search_dialog)


async def test_the_unsaved_changes_dialog_in_indonesian(db_path: Path, indonesian: None) -> None:
    from textual.widgets import Button

    async with running(db_path, (80, 24)) as (app, pilot):
        await press(pilot, "n")
        await settle(pilot)
        await press(pilot, *"Catatan")
        await press(pilot, "escape")
        for _ in range(100):
            buttons = [str(b.label) for b in app.screen.query(Button)]
            if buttons:
                break
            await pilot.pause(0.05)
        text = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "Perubahan belum disimpan" in text
        assert "Catatan ini punya perubahan yang belum disimpan." in text
        assert any("Simpan" in b for b in buttons)
        assert any("Buang perubahan" in b for b in buttons)
        assert any("Lanjut menyunting" in b for b in buttons)
