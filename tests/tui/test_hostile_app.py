"""Hostile data in the running app: markup, escape sequences, control and bidi characters,
and emoji show literally (or stripped) in every pane and screen, at tiny and huge
sizes, through resizes and without colour; damaged or newer databases browse read-only."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot

from paradiplo.db import notes as notes_api
from paradiplo.db import schema
from paradiplo.db.store import open_store
from paradiplo.tui.app import ParadiploApp
from paradiplo.tui.screens import search as search_screen
from paradiplo.tui.screens.main import MainScreen
from tests.helpers import imported_into, listed_first
from tests.hostile_helpers import HOSTILE, no_raw_escapes, overwrite_pages, table_pages
from tests.tui.conftest import press_to, running, screen_text, settle, wait_ready

CASE_ID = "hostile-case"
# Short markers that must appear literally on screen (a long string may be cut by a pane).
TITLE = "[bold]B1[/bold] [@click=app.quit]Q1[/] \x1b[31mR1\x1b[0m\x1b]0;T1\x07 🇮🇩"
PARTNER = "[link=https://evil.example]P1[/link]"
CITATION = "Cite [i]C1[/i] \x1b]52;c;ZXZpbA==\x07 <b>H1</b>"


def seed_hostile(db_path: Path, tmp_path: Path) -> None:
    """A case, notes, tags and a citation full of hostile text (the case sorts first: 2099)."""
    record = listed_first(
        CASE_ID,
        CITATION,
        HOSTILE["rich_click"] + " " + HOSTILE["csi_clear"],
        title=TITLE,
        partner=PARTNER,
        status=HOSTILE["osc_title"][:40],
        summary="\n".join(HOSTILE.values()),
        unclear=list(HOSTILE.values())[:6],
    )
    with imported_into(db_path, tmp_path, record) as store:
        items = list(HOSTILE.items())
        for i in range(0, len(items), 3):  # a few notes, each carrying three kinds of trouble
            group = items[i : i + 3]
            body = "\n\n".join(f"{name}: {text}" for name, text in group)
            notes_api.add_note(store, "case", CASE_ID, body, [t[:15] for _, t in group])
        notes_api.add_note(store, "passage", "001_17fdbbb4dbe6a6d1", HOSTILE["ansi_colour"], anchor=(0, 20, "x"))  # fmt: skip
        notes_api.add_note(store, "region", "p:35", HOSTILE["rich_link"])


def assert_safe(pilot: Pilot[object], where: str) -> str:
    text = screen_text(pilot.app)
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
    async with running(db_path, (200, 60)) as (app, pilot):
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
        await press_to(pilot, MainScreen, "escape")
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
    async with running(db_path, (40, 12)) as (app, pilot):
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
        await press_to(pilot, MainScreen, "n")
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
    async with running(db_path, (140, 40)) as (app, pilot):
        assert app.store.readonly and app.store.written_by_newer
        messages = " ".join(app.notices)
        assert "newer paradiplo-tui" in messages
        await press(pilot, "n")
        assert any("notes are off" in m for m in app.notices)


# ----------------------------------------------------------------- absurd stored values
CASE = "sidoarjo-jinan-2008"


@asynccontextmanager
async def back_on_case(
    db_path: Path, tmp_path: Path, case_id: str
) -> AsyncIterator[tuple[ParadiploApp, Pilot[object]]]:
    """The app at 140x50, back on `case_id` where the last session left it (its state file)."""
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "state.json").write_text(json.dumps({"case_id": case_id}), encoding="utf-8")
    async with running(db_path, (140, 50)) as (app, pilot):
        yield app, pilot


def _store_absurd_notes(db_path: Path) -> None:
    """Notes from the year 1 and 9999, and columns holding what another program put there."""
    store = open_store(db_path)
    old = notes_api.add_note(store, "case", CASE, "from the year one")
    far = notes_api.add_note(store, "case", CASE, "from the year 9999")
    odd = notes_api.add_note(store, "case", CASE, "odd columns")
    store.close()
    conn = sqlite3.connect(db_path)
    conn.execute(
        "UPDATE notes SET created_at = '0001-01-01T00:00:00+00:00',"
        " updated_at = '0001-01-01T00:30:00+00:00' WHERE id = ?",
        (old.id,),
    )
    conn.execute(
        "UPDATE notes SET created_at = '9999-12-31T23:59:00+00:00',"
        " updated_at = '9999-12-31T23:59:59+00:00' WHERE id = ?",
        (far.id,),
    )
    conn.execute(
        "UPDATE notes SET body = CAST('blob body' AS BLOB), tags = 42, version = 'many',"
        " anchor_start = 'here', updated_at = 12345 WHERE id = ?",
        (odd.id,),
    )
    conn.commit()
    conn.close()


@pytest.fixture(params=["America/New_York", "Asia/Tokyo"])
def far_time_zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """A zone behind UTC (the year 1 falls into the year 0) or ahead (9999 into 10000)."""
    import time

    monkeypatch.setenv("TZ", str(request.param))
    time.tzset()
    request.addfinalizer(time.tzset)  # monkeypatch restores TZ first, then this runs
    return str(request.param)


async def test_notes_from_year_one_and_9999_show_and_the_app_starts(
    db_path: Path, tmp_path: Path, far_time_zone: str
) -> None:
    _store_absurd_notes(db_path)
    async with back_on_case(db_path, tmp_path, CASE) as (app, pilot):
        await press(pilot, "4", "end")
        text = flat(screen_text(app))
        # Shown in local time with month names; moved out of range by the zone: as stored.
        assert "1 January 1 " in text and "31 December 9999 " in text, text
        assert "blob body" in text
        await press(pilot, "N")
        text = flat(screen_text(app))
        assert "year one" in text or "1 January 1 " in text, text
        assert app.is_running
    from tests.hostile_helpers import cli

    for fmt in ("md", "json"):
        res = cli(db_path, "notes", "export", "--format", fmt)
        assert res.code == 0 and res.crashed is None, res.err
        assert "0001-01-01" in res.out and "year 9999" in res.out


async def test_a_record_that_cannot_be_drawn_shows_an_error_in_its_place(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from paradiplo.tui.widgets import note_text

    store = open_store(db_path)
    notes_api.add_note(store, "case", CASE, "poison")
    notes_api.add_note(store, "case", CASE, "fine note")
    store.close()

    real = note_text.note_markdown

    def fragile(body: str, limit: int = 3000) -> str:
        if "poison" in body:
            raise RuntimeError("unforeseen value")
        return real(body, limit)

    monkeypatch.setattr(note_text, "note_markdown", fragile)
    async with back_on_case(db_path, tmp_path, CASE) as (app, pilot):
        await press(pilot, "4", "end")
        text = flat(screen_text(app))
        assert "could not be shown" in text and "unforeseen value" in text, text
        assert "fine note" in text and app.is_running


# ------------------------------------------------------- the app's own files, hostile


def test_a_huge_history_file_is_not_read(tmp_path: Path) -> None:
    """A history file far larger than 50 searches can take (752 MB in the report) is left
    unread: an empty history, memory untouched, and the next search writes a small file."""
    import tracemalloc

    path = tmp_path / "search_history.json"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("[")
        for _ in range(12_000):  # about 12 MB of plausible entries
            fh.write(json.dumps("x" * 1000) + ",")
        fh.write('"last"]')
    tracemalloc.start()
    try:
        assert search_screen.load_history(path) == []
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * 1024 * 1024, peak
    search_screen.save_history(
        search_screen.remember(search_screen.load_history(path), "jinan"), path
    )
    assert search_screen.load_history(path) == ["jinan"] and path.stat().st_size < 100


def test_history_that_is_a_pipe_or_has_huge_entries(tmp_path: Path) -> None:
    import os
    import threading

    pipe = tmp_path / "fifo.json"
    os.mkfifo(pipe)
    got: list[list[str]] = []
    reader = threading.Thread(
        target=lambda: got.append(search_screen.load_history(pipe)), daemon=True
    )
    reader.start()
    reader.join(timeout=30)  # a blocking read would never return: no writer ever comes
    assert got == [[]]
    long = tmp_path / "long.json"
    long.write_text(json.dumps(["y" * 5000, "short"]), encoding="utf-8")
    assert search_screen.load_history(long) == ["short"]
    assert search_screen.remember([], "z" * 5000) == []


# ------------------------------------------------------------------------------ keymaps
@pytest.mark.parametrize(
    ("lines", "ids"),
    [
        ('quit = "qq"\nsearch = "n"\nsources = "nonsense_key"\n', ["quit", "search", "note_new", "sources"]),
        ('quit = "x"\n"list.open" = "q"\n', ["quit", "clear_filters_x", "list.open"]),
        ('quit = "ctrl+"\nhelp = "ctrl+q"\nglossary = "CTRL+G"\n', ["quit", "help", "glossary"]),
    ],
    ids=["invalid-and-taken", "quit-onto-a-taken-key", "malformed-names"],
)  # fmt: skip
async def test_keymap_problems_warn_with_ids_and_q_still_quits(
    db_path: Path, tmp_path: Path, lines: str, ids: list[str]
) -> None:
    from paradiplo.db.paths import keymap_path

    keymap_path().parent.mkdir(parents=True, exist_ok=True)
    keymap_path().write_text(lines, encoding="utf-8")
    async with running(db_path, (140, 40)) as (app, pilot):
        warned = " ".join(m for m in app.notices if m.startswith("Keymap:"))
        for binding_id in ids:
            assert binding_id in warned, (binding_id, warned)
        await pilot.press("slash")  # search kept its own key
        await settle(pilot)
        assert type(app.screen).__name__ == "SearchScreen"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running  # the way out stays


async def test_a_valid_free_quit_key_is_applied(db_path: Path) -> None:
    from paradiplo.db.paths import keymap_path

    keymap_path().parent.mkdir(parents=True, exist_ok=True)
    keymap_path().write_text('quit = "ctrl+x"\nsearch = "n"\nnote_new = "slash"\n', "utf-8")
    async with running(db_path, (140, 40)) as (app, pilot):
        assert not [m for m in app.notices if m.startswith("Keymap:")]
        await pilot.press("n")  # the swap of two keys is no clash
        await settle(pilot)
        assert type(app.screen).__name__ == "SearchScreen"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+x")
        await pilot.pause()
        assert not app.is_running


async def test_odd_stored_case_values_show_and_the_app_starts(
    db_path: Path, tmp_path: Path
) -> None:
    """Columns holding what another program wrote: a blob title, the largest integer as a
    year, a number as status, JSON that does not parse. The app starts on that case."""
    conn = sqlite3.connect(db_path)
    conn.execute(
        "UPDATE cases SET title = CAST('blob title' AS BLOB), year = 9223372036854775807,"
        " date = '0000-99', status = 7, unclear = '{bad json', related = '42'"
        " WHERE id = ?",
        (CASE,),
    )
    conn.execute(
        "UPDATE cases SET year = -5, unclear = '[1, null, {\"a\": 2}]' WHERE id = 'malang-nonsan-2017'"
    )
    conn.commit()
    conn.close()
    async with back_on_case(db_path, tmp_path, CASE) as (app, pilot):
        text = flat(screen_text(app))
        assert "blob title" in text, text
        await press(pilot, "3", "home", "j", "j", "j", "o", "o", "/", "escape")
        assert app.is_running
    from tests.hostile_helpers import cli

    for args in (
        ("cases", "list"),
        ("cases", "show", CASE),
        ("export", "cases", "--format", "csv"),
    ):
        res = cli(db_path, *args)
        assert res.crashed is None and "Unexpected" not in res.err, (args, res.err)


async def test_a_list_row_that_cannot_be_drawn_says_so_and_the_list_goes_on(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from paradiplo.tui.widgets import case_list

    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE cases SET title = 'poison row' WHERE id = ?", (CASE,))
    conn.commit()
    conn.close()
    real = case_list.one_line

    def fragile(text: str, *args: object, **kwargs: object) -> object:
        if "poison" in str(text):
            raise RuntimeError("unforeseen value")
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(case_list, "one_line", fragile)
    app = ParadiploApp(db_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_for_cases(pilot, 9)
        text = flat(screen_text(app))
        assert "this case cannot be" in text and "Malang" in text, text
        assert app.is_running
