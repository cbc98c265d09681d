"""Hostile data in the running app: markup, escape sequences, control and bidi characters,
and emoji show literally (or stripped) in every pane and screen, at tiny and huge
sizes, through resizes and without colour; damaged or newer databases browse read-only."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from textual.pilot import Pilot

from db import io as db_io
from db import notes as notes_api
from db import schema
from db.store import open_store
from tests.hostile_helpers import HOSTILE, no_raw_escapes, overwrite_pages, table_pages
from tests.tui.conftest import settle, wait_ready
from tui.app import ParadiploApp
from tui.screens.main import MainScreen

CASE_ID = "hostile-case"
# Short markers that must appear literally on screen (a long string may be cut by a pane).
TITLE = "[bold]B1[/bold] [@click=app.quit]Q1[/] \x1b[31mR1\x1b[0m\x1b]0;T1\x07 🇮🇩"
PARTNER = "[link=https://evil.example]P1[/link]"
CITATION = "Cite [i]C1[/i] \x1b]52;c;ZXZpbA==\x07 <b>H1</b>"


def seed_hostile(db_path: Path, tmp_path: Path) -> None:
    """A case, notes, tags and a citation full of hostile text (the case sorts first: 2099)."""
    record = {
        "id": CASE_ID,
        "title": TITLE,
        "region": "Kota Surabaya",
        "partner": PARTNER,
        "partner_country": "[red]Japan[/red]",
        "type": "sister-city",
        "date": "2099",
        "status": HOSTILE["osc_title"][:40],
        "summary": "\n".join(HOSTILE.values()),
        "unclear": list(HOSTILE.values())[:6],
        "source": CITATION,
        "evidence": [{"source": CITATION, "quote": HOSTILE["rich_click"] + " " + HOSTILE["csi_clear"]}],
    }  # fmt: skip
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps([record]), encoding="utf-8")
    store = open_store(db_path)
    db_io.import_cases(store, path)
    items = list(HOSTILE.items())
    for i in range(0, len(items), 3):  # a few notes, each carrying three kinds of trouble
        group = items[i : i + 3]
        body = "\n\n".join(f"{name}: {text}" for name, text in group)
        notes_api.add_note(store, "case", CASE_ID, body, [t[:15] for _, t in group])
    notes_api.add_note(store, "passage", "001_17fdbbb4dbe6a6d1", HOSTILE["ansi_colour"], anchor=(0, 20, "x"))  # fmt: skip
    notes_api.add_note(store, "region", "p:35", HOSTILE["rich_link"])
    store.close()


def screen_text(pilot: Pilot[object]) -> str:
    """Every character the current screen would send to the terminal, line by line."""
    strips = pilot.app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


def assert_safe(pilot: Pilot[object], where: str) -> str:
    text = screen_text(pilot)
    assert no_raw_escapes(text), f"{where}: raw control bytes on screen: {text!r:.400}"
    assert "\u202e" not in text, f"{where}: bidi override reached the screen"
    assert pilot.app.is_running, f"{where}: the app quit (markup action ran?)"
    return text


async def press(pilot: Pilot[object], *keys: str, failing: bool = False) -> None:
    """Press the keys, then let the database work they started finish (once, not per key).

    `failing`: workers are expected to fail (a damaged file), which `settle` would re-raise.
    """
    await pilot.press(*keys)
    await (settle_quietly(pilot) if failing else settle(pilot))


async def settle_quietly(pilot: Pilot[object]) -> None:
    """Wait until no worker runs, without re-raising the ones that failed on purpose."""
    for _ in range(200):
        await pilot.pause(0.05)
        if not any(w.is_running for w in pilot.app.workers):
            await pilot.pause()
            if not any(w.is_running for w in pilot.app.workers):
                return


def flat(text: str) -> str:
    return " ".join(text.split())


async def shows(pilot: Pilot[object], where: str, *needles: str) -> None:
    """Wait (up to 5 s: a busy machine is slow) until the screen shows every needle, checking
    at each look that nothing unsafe reached the screen."""
    text = ""
    for _ in range(50):
        text = flat(assert_safe(pilot, where))
        if all(n in text for n in needles):
            return
        await pilot.pause(0.1)
    missing = [n for n in needles if n not in text]
    raise AssertionError(f"{where}: {missing} not shown in {text[:600]!r}")


async def test_hostile_data_in_every_pane_and_screen(db_path: Path, tmp_path: Path) -> None:
    seed_hostile(db_path, tmp_path)
    app = ParadiploApp(db_path)
    async with app.run_test(size=(200, 60)) as pilot:
        await wait_ready(pilot)
        main = app.screen
        assert isinstance(main, MainScreen) and main.current_case == CASE_ID
        await shows(
            pilot, "main", "[bold]B1[/bold]", "[@click=app.quit]Q1[/]", "[link=https://evil.example]P1[/link]"
        )  # fmt: skip
        await pilot.click(offset=(60, 3))  # clicking near the title runs nothing
        await press(pilot, "4", "pagedown", "pagedown")
        assert_safe(pilot, "detail scrolled")
        await press(pilot, "s")
        await shows(pilot, "sources screen", "Cite [i]C1[/i]")
        await press(pilot, "escape", "N")
        await shows(pilot, "notes screen", "rich_bold: [bold]not bold[/bold]")
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)
        await press(pilot, "slash")
        if app.screen is not main:  # the search screen is there
            await press(pilot, "B", "1")
            await pilot.pause(0.3)
            await settle(pilot)
            assert_safe(pilot, "search results")
            await press(pilot, "escape")
        app.open_source("001_17fdbbb4dbe6a6d1", 0, None)  # its passage note is hostile
        await settle(pilot)
        assert_safe(pilot, "reader")
        await press(pilot, "]", "pagedown")
        assert_safe(pilot, "reader scrolled")
        assert app.is_running


async def test_sizes_resizing_and_colour(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """40x12 up to 200x60 and resizing mid-use, with colour on (every other test runs with
    NO_COLOR=1, set in conftest): nothing breaks, keys keep working, nothing leaks."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    seed_hostile(db_path, tmp_path)
    app = ParadiploApp(db_path)
    async with app.run_test(size=(40, 12)) as pilot:
        await wait_ready(pilot)
        assert_safe(pilot, "40x12")
        main = app.screen
        assert isinstance(main, MainScreen)
        await press(pilot, "3")
        for size in [(200, 60), (17, 5), (80, 24)]:
            before = main.current_case
            await pilot.resize_terminal(*size)
            await press(pilot, "j")
            assert_safe(pilot, f"resized to {size}")
            assert main.current_case is not None and main.current_case != before, size
        await press(pilot, "4", "z", "?")
        assert_safe(pilot, "help, zoomed")
        await press(pilot, "escape", "z")


async def test_hostile_database_file_name_in_the_header(
    tmp_path: Path, seeded_template: Path
) -> None:
    db = tmp_path / "x\x1b]0;T\x07[bold]y.db"
    db.write_bytes(seeded_template.read_bytes())
    app = ParadiploApp(db)
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_ready(pilot)
        assert_safe(pilot, "header")


async def test_hostile_database_path_in_notifications(
    tmp_path: Path, seeded_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The read-only notice names the path: markup in it stays text, notes are off."""
    folder = tmp_path / "[@click=app.quit]dir"
    folder.mkdir()
    db = folder / "[bold]y.db"
    db.write_bytes(seeded_template.read_bytes())
    monkeypatch.setenv("PARADIPLO_READONLY", "1")
    app = ParadiploApp(db)
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.pause(0.1)
        await shows(pilot, "read-only notice", "read-only")
        messages = list(app.notices)
        assert any("[@click=app.quit]dir/[bold]y.db is open read-only" in m for m in messages)
        await press(pilot, "n")
        assert isinstance(app.screen, MainScreen)
        assert any("notes are off" in m for m in app.notices)


def make_damaged(db_path: Path) -> str:
    """Damage the evidence pages, with stale seeds so that opening has to notice; a note id."""
    store = open_store(db_path)
    note = notes_api.add_note(store, "case", "sidoarjo-jinan-2008", "still readable")
    store.conn.execute("UPDATE meta SET value = 'stale' WHERE key = 'seed_digest'")
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    overwrite_pages(db_path, table_pages(db_path, "evidence"))
    return note.id


async def wait_for_cases(pilot: Pilot[object], count: int) -> MainScreen:
    """Wait for the case list itself (`app.ready` also waits for the detail pane)."""
    for _ in range(100):
        await pilot.pause(0.05)
        main = pilot.app.screen
        if isinstance(main, MainScreen) and main.count == count:
            await settle_quietly(pilot)
            return main
    raise AssertionError("the case list never loaded")


async def test_damaged_database_browses_read_only(db_path: Path) -> None:
    note_id = make_damaged(db_path)
    app = ParadiploApp(db_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_for_cases(pilot, 9)
        assert app.store.readonly and app.store.damaged
        assert "read-only" in app.sub_title
        messages = " ".join(app.notices)
        assert "damaged" in messages and "db build --force" in messages
        await press(pilot, "j", "k", "4", "n", failing=True)  # the detail needs the evidence
        assert_safe(pilot, "damaged detail")
        assert any("notes are off" in m for m in app.notices)
        assert app.is_running
    check = open_store(db_path)
    assert notes_api.get_note(check.conn, note_id).body == "still readable"
    check.close()


async def test_damage_met_while_browsing_names_the_way_forward(db_path: Path) -> None:
    make_damaged(db_path)
    app = ParadiploApp(db_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_for_cases(pilot, 9)
        app.notices.clear()
        await press(pilot, "j", failing=True)
        failures = [m for m in app.notices if "malformed" in m]
        assert failures and all("db build --force" in m for m in failures)


async def test_ready_is_set_even_when_a_pane_fails(db_path: Path) -> None:
    import asyncio

    make_damaged(db_path)
    app = ParadiploApp(db_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_for_cases(pilot, 9)
        await asyncio.wait_for(app.ready.wait(), timeout=3)


async def test_newer_database_browses_read_only(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    app = ParadiploApp(db_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_ready(pilot)
        assert app.store.readonly and app.store.written_by_newer
        messages = " ".join(app.notices)
        assert "newer paradiplo-tui" in messages
        await press(pilot, "n")
        assert any("notes are off" in m for m in app.notices)
