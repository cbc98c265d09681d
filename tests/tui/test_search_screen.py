"""The search screen (`/`): live results, highlighted snippets, filters, recent searches."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from paradiplo.db import notes
from paradiplo.db.models import Filters, SearchHit
from paradiplo.db.store import Store
from paradiplo.tui.screens import search as screen_mod
from paradiplo.tui.screens.main import MainScreen
from paradiplo.tui.screens.search import SearchScreen, history_path, marked
from paradiplo.tui.widgets.detail import DetailView
from tests.tui.conftest import running, settle


class Host(App[None]):
    """A bare app that opens the search screen and keeps what it was dismissed with."""

    def __init__(self, store: Store, filters: Filters | None = None) -> None:
        super().__init__()
        self.store = store
        self.filters = filters or Filters()
        self.results: list[SearchHit | None] = []

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        self.open()

    def open(self) -> None:
        self.push_screen(SearchScreen(self.store, self.filters), self.results.append)


async def results_for(pilot: Pilot[Any], text: str | None = None) -> SearchScreen:
    """Type `text` (if given), then wait for the debounced search to show its results."""
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    if text is not None:
        await pilot.press(*text)
    for _ in range(100):
        await pilot.pause(0.03)
        await settle(pilot)
        answered = screen.answered == screen.generation
        if answered and screen.shown_query == screen.query_one(Input).value:
            break
    return screen


def status(screen: SearchScreen) -> str:
    return str(screen.query_one("#search-status", Static).render())


def shown(screen: SearchScreen) -> list[str]:
    results = screen.query_one(OptionList)
    return [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]


@pytest.fixture(autouse=True)
def quick_debounce(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(screen_mod, "DEBOUNCE", 0.02)


@pytest.fixture
async def host(store: Store) -> AsyncIterator[tuple[Host, Pilot[Any]]]:
    app = Host(store)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        yield app, pilot


async def test_results_follow_typing_and_enter_opens_the_best(
    host: tuple[Host, Pilot[Any]],
) -> None:
    app, pilot = host
    screen = await results_for(pilot, "Shizuoka")
    assert screen.hits and screen.hits[0].ref_id.startswith("jabar-shizuoka")
    lines = shown(screen)
    assert lines[0].lstrip().startswith("case") and "Shizuoka" in lines[0]
    assert "match" in status(screen)
    await pilot.press("enter")
    await pilot.pause()
    assert app.results == [screen.hits[0]]
    assert not isinstance(app.screen, SearchScreen)


async def test_enter_before_the_results_opens_the_best_when_they_come(
    host: tuple[Host, Pilot[Any]],
) -> None:
    app, pilot = host
    await pilot.press(*"Nonsan", "enter")  # faster than the debounce
    for _ in range(100):
        await pilot.pause(0.03)
        if app.results:
            break
    assert [h.ref_id for h in app.results if h] == ["malang-nonsan-2017"]


async def test_backspace_in_the_results_edits_the_query(host: tuple[Host, Pilot[Any]]) -> None:
    app, pilot = host
    screen = await results_for(pilot, "Jepangx")
    await pilot.press("tab")
    await pilot.press("backspace")
    assert screen.query_one(Input).value == "Jepang" and app.focused is screen.query_one(Input)


async def test_snippets_mark_the_matching_words_as_styles_not_markup(
    host: tuple[Host, Pilot[Any]],
) -> None:
    _app, pilot = host
    screen = await results_for(pilot, "bekerjasama")
    prompt = screen.query_one(OptionList).get_option_at_index(0).prompt
    assert isinstance(prompt, Text)
    styled = {prompt.plain[s.start : s.end] for s in prompt.spans if "reverse" in str(s.style)}
    assert any(
        w.lower() in ("bekerjasama", "kerjasama", "kerja", "sama", "cooperation") for w in styled
    )
    assert "\x02" not in prompt.plain and "\x03" not in prompt.plain


async def test_no_matches_says_so_literally(host: tuple[Host, Pilot[Any]]) -> None:
    _app, pilot = host
    screen = await results_for(pilot, "[bold]zzqx")
    assert screen.hits == []
    assert "No matches for “[bold]zzqx”" in status(screen)


async def test_escape_closes_with_nothing(host: tuple[Host, Pilot[Any]]) -> None:
    app, pilot = host
    await results_for(pilot, "Jepang")
    await pilot.press("escape")
    await pilot.pause()
    assert app.results == [None]


async def test_arrows_go_to_the_results_and_back(host: tuple[Host, Pilot[Any]]) -> None:
    app, pilot = host
    screen = await results_for(pilot, "sister city")
    results = screen.query_one(OptionList)
    await pilot.press("down")
    assert app.focused is results and results.highlighted == 0
    await pilot.press("down", "down")
    assert results.highlighted == 2
    chosen = screen.hits[2]
    await pilot.press("up", "up", "up")
    assert app.focused is screen.query_one(Input)
    await pilot.press("down", "down", "down", "enter")
    await pilot.pause()
    assert app.results == [chosen]


async def test_typing_in_the_results_keeps_typing(host: tuple[Host, Pilot[Any]]) -> None:
    _app, pilot = host
    screen = await results_for(pilot, "Jepan")
    await pilot.press("down", "g")
    screen = await results_for(pilot)
    assert screen.query_one(Input).value == "Jepang"
    assert pilot.app.focused is screen.query_one(Input)


async def test_recent_searches_are_kept_and_come_back_with_up(store: Store) -> None:
    app = Host(store)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        await results_for(pilot, "Tiongkok")
        await pilot.press("escape")
        app.open()
        await pilot.pause()
        await results_for(pilot, "pariwisata")
        await pilot.press("enter")
        await pilot.pause()
    assert json.loads(history_path().read_text(encoding="utf-8")) == ["pariwisata", "Tiongkok"]

    app = Host(store)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert [p.strip() for p in shown(screen)] == ["pariwisata", "Tiongkok"]  # offered
        field = screen.query_one(Input)
        await pilot.press("T", "i", "up")
        assert field.value == "pariwisata"
        await pilot.press("up")
        assert field.value == "Tiongkok"
        await pilot.press("up")  # the oldest stays
        assert field.value == "Tiongkok"
        await pilot.press("down", "down")
        assert field.value == "Ti"  # back to what was being typed
        screen = await results_for(pilot)
        assert {h.ref_id for h in screen.hits if h.kind == "case"} >= {"sidoarjo-jinan-2008"}


def test_history_survives_a_broken_file_and_stays_short(tmp_path: Path) -> None:
    path = tmp_path / "h.json"
    path.write_text("{not json", encoding="utf-8")
    assert screen_mod.load_history(path) == []
    history: list[str] = []
    for i in range(80):
        history = screen_mod.remember(history, f"q{i % 60}")
    history = screen_mod.remember(history, "  q5  ")
    assert len(history) == screen_mod.HISTORY_MAX and history[0] == "q5"
    assert history.count("q5") == 1
    screen_mod.save_history(history, path)
    assert screen_mod.load_history(path) == history
    assert not list(tmp_path.glob("*.tmp"))


async def test_the_filter_toggle_is_visible_and_narrows(store: Store) -> None:
    note = notes.add_note(store, "case", "jabar-shizuoka-mou-2017", "kerjasama note")
    app = Host(store, Filters(region="p:35"))
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        screen = await results_for(pilot, "kerjasama")
        bar = str(screen.query_one("#search-filters", Static).render())
        assert "Filters ON" in bar and "Jawa Timur" in bar
        east = {h.ref_id for h in screen.hits}
        assert east and all(h.kind in ("case", "note") for h in screen.hits)
        assert note.id not in east and "jabar-shizuoka-mou-2017" not in east
        await pilot.press("ctrl+f")
        screen = await results_for(pilot)
        assert "Filters OFF" in str(screen.query_one("#search-filters", Static).render())
        everything = {h.ref_id for h in screen.hits}
        assert east < everything and note.id in everything
        assert screen.query_one(Input).value == "kerjasama"  # ctrl+f did not edit the text


async def test_stale_results_are_dropped(host: tuple[Host, Pilot[Any]]) -> None:
    _app, pilot = host
    screen = await results_for(pilot, "Tiongkok")
    before = list(screen.hits)
    screen.post_message(screen_mod.SearchDone(screen.generation - 1, "old", [], ""))
    await pilot.pause()
    assert screen.hits == before and screen.shown_query == "Tiongkok"


def test_marked_text_is_literal() -> None:
    text = marked("a \x02[b]\x03 \x1b[31mc")
    assert text.plain == "a [b] c" or text.plain == "a [b] [31mc"
    assert [text.plain[s.start : s.end] for s in text.spans] == ["[b]"]


# ------------------------------------------------------------------------ the real app
async def test_slash_searches_and_opens_the_case_in_the_app(db_path: Path) -> None:
    async with running(db_path, (110, 32)) as (app, pilot):
        main = app.screen
        assert isinstance(main, MainScreen)
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        screen = await results_for(pilot, "Nonsan")
        assert screen.hits[0].ref_id == "malang-nonsan-2017"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is main
        assert main.current_case == "malang-nonsan-2017"
        assert main.query_one(DetailView).detail.id == "malang-nonsan-2017"  # type: ignore[union-attr]
        # q typed into the search box is text, not Quit.
        await pilot.press("slash")
        await settle(pilot)
        await pilot.press("q")
        assert isinstance(app.screen, SearchScreen) and app.screen.query_one(Input).value == "q"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is main
