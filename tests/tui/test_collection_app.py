"""Growing the collection in the app: take a case from a passage of a source (the form
pre-filled from the suggestion, names resolved before saving, a duplicate refused with "save
anyway"), attach a passage to a case as evidence, edit / delete / restore one's own case from
the main screen, add a source with its provenance, and see another process's change arrive."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, OptionList, Select, SelectionList, Static, TextArea

from paradiplo.db import collection, queries
from paradiplo.db.store import open_store
from paradiplo.tui.app import ParadiploApp
from paradiplo.tui.screens.case_form import CaseFormScreen
from paradiplo.tui.screens.dialogs import ConfirmScreen
from paradiplo.tui.screens.evidence import AttachEvidenceScreen
from paradiplo.tui.screens.main import MainScreen
from paradiplo.tui.screens.reader import SourceReaderScreen
from paradiplo.tui.screens.source_form import SourceFormScreen
from paradiplo.tui.widgets.detail import DetailView
from tests.tui.conftest import press, press_to, running, settle

SIZE = (120, 40)
CLI = str(Path(sys.executable).with_name("paradiplo-tui"))
ARTICLE = (
    "Bandung dan Braunschweig\n\n"
    "Pemerintah Kota Bandung dan Kota Braunschweig, Jerman, menandatangani kerja sama sister "
    "city di bidang pendidikan dan pariwisata pada 2019.\n\n"
    "Wali kota mengatakan hubungan itu [bold]baik[/] dan akan berlanjut."
)
QUOTE = "Pemerintah Kota Bandung dan Kota Braunschweig"  # a passage of ARTICLE


def add_article(db_path: Path) -> str:
    store = open_store(db_path)
    try:
        return collection.add_source(
            store, collection.NewSource(text=ARTICLE, title="Bandung & Braunschweig", kind="news")
        )
    finally:
        store.close()


def add_case_quoting(
    db_path: Path, source_id: str, *, title: str | None = None, supports: tuple[str, ...] = ()
) -> str:
    """Add the Bandung–Braunschweig case of ARTICLE, quoting QUOTE, through the data layer
    (not the app); its id."""
    store = open_store(db_path)
    try:
        return collection.add_case(
            store,
            collection.CaseInput(
                region="Kota Bandung",
                type="sister-city",
                source_id=source_id,
                partner="Braunschweig",
                partner_country="DE",
                title=title,
                quotes=(collection.QuoteSpec(quote=QUOTE, supports=supports),),
            ),
        )
    finally:
        store.close()


def line(screen: CaseFormScreen, name: str) -> str:
    return str(screen.query_one(f"#{name}-line", Static).render())


async def until(pilot, check, rounds: int = 100) -> None:  # type: ignore[no-untyped-def]
    """Let the app run until `check()` holds (the form previews a moment after typing)."""
    for _ in range(rounds):
        await settle(pilot)
        if check():
            return
        await pilot.pause(0.05)
    assert check()


@asynccontextmanager
async def reading(
    db_path: Path, source_id: str, size: tuple[int, int] = SIZE
) -> AsyncIterator[tuple[ParadiploApp, Pilot[Any], SourceReaderScreen]]:
    """The app with the source `source_id` open in the reader."""
    async with running(db_path, size) as (app, pilot):
        app.open_source(source_id, None)
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, SourceReaderScreen)
        await until(pilot, lambda: reader.source is not None)
        yield app, pilot, reader


async def new_case_form(
    pilot: Pilot[Any], reader: SourceReaderScreen, start: int = 0, end: int = 7
) -> CaseFormScreen:
    """Select the passage from `start` to `end` in the reader and press `c`: the case form,
    once it is pre-filled from the passage (its note on the suggestion shows)."""
    reader.select_passage(start, end)
    await press(pilot, "c")
    form = reader.app.screen
    assert isinstance(form, CaseFormScreen)
    await until(pilot, lambda: form.query_one("#form-note").display)
    return form


async def test_new_case_from_a_passage(db_path: Path) -> None:
    sid = add_article(db_path)
    async with reading(db_path, sid) as (app, pilot, reader):
        start = ARTICLE.index("Pemerintah Kota Bandung")
        end = ARTICLE.index("2019.") + len("2019.")
        form = await new_case_form(pilot, reader, start, end)
        # Pre-filled from the suggestion, each name resolved on its line.
        await until(pilot, lambda: "Bandung" in form.query_one("#region", Input).value)
        await until(pilot, lambda: "→" in line(form, "region"))
        assert "Kota Bandung" in line(form, "region") and "Jawa Barat" in line(form, "region")
        assert "Braunschweig" in form.query_one("#partner", Input).value
        await until(pilot, lambda: "Germany" in line(form, "partner_country"))
        assert form.query_one("#type", Select).value == "sister-city"
        # An ambiguous region says so before saving.
        form.query_one("#region", Input).value = "Malang"
        await until(pilot, lambda: "ambiguous" in line(form, "region"))
        assert "Kota Malang" in line(form, "region") and "Kabupaten Malang" in line(form, "region")
        form.query_one("#region", Input).value = "Pemkot Bandung"
        form.query_one("#title", Input).value = "Bandung [red]x[/] Braunschweig"
        form.query_one("#sectors", Input).value = "pendidikan; Tourism"
        await until(pilot, lambda: "Education, Tourism" in line(form, "sectors"))
        ticks = form.query_one("#supports", SelectionList)
        ticks.deselect("partner_country")
        ticks.select("date")
        ticks.select("sectors")
        await until(pilot, lambda: "Kota Bandung" in line(form, "region"))
        await press(pilot, "ctrl+s")
        await until(pilot, lambda: app.screen is reader)
        cases = [
            c for c in queries.list_cases(app.store.conn, queries.Filters()) if c.origin == "user"
        ]
        assert [c.title for c in cases] == ["Bandung [red]x[/] Braunschweig"]
        detail = queries.case_detail(app.store.conn, cases[0].id)
        [ev] = detail.evidence
        assert (ev.start, ev.end) == (start, end)
        assert set(ev.supports) == {
            "region",
            "partner",
            "type",
            "date",
            "sector:education",
            "sector:tourism",
        }
        # The passage is now a cited passage of the reader.
        await until(pilot, lambda: (start, end) in reader.passages)

        # The same case again is refused, naming the existing one, then saved anyway.
        form = await new_case_form(pilot, reader, start, end)
        await until(pilot, lambda: form.query_one("#type", Select).value == "sister-city")
        await until(pilot, lambda: form.query_one("#form-duplicate").display)
        text = str(form.query_one("#duplicate-text", Static).render())
        assert cases[0].id in text
        await press(pilot, "ctrl+s")
        assert app.screen is form  # refused
        assert form.focused is form.query_one("#save-anyway")
        await press(pilot, "enter")
        await until(pilot, lambda: app.screen is reader)
        users = [
            c for c in queries.list_cases(app.store.conn, queries.Filters()) if c.origin == "user"
        ]
        assert len(users) == 2


async def test_attach_a_passage_to_a_case(db_path: Path) -> None:
    sid = add_article(db_path)
    async with reading(db_path, sid) as (app, pilot, reader):
        await press(pilot, "m")  # the sentence at the top: the heading line
        await press(pilot, "down")  # the next sentence
        chosen = reader.selected_range()
        assert chosen is not None
        assert ARTICLE[chosen[0] : chosen[1]].startswith("Pemerintah Kota Bandung")
        await press(pilot, "a")
        dialog = app.screen
        assert isinstance(dialog, AttachEvidenceScreen)
        await until(pilot, lambda: dialog.case_id is not None)
        first = dialog.case_id
        await until(pilot, lambda: dialog.query_one("#facts", SelectionList).option_count > 0)
        facts = dialog.query_one("#facts", SelectionList)
        facts.select("date")
        facts.select("region")
        await press(pilot, "ctrl+s")
        await until(pilot, lambda: app.screen is reader)
        assert first is not None
        detail = queries.case_detail(app.store.conn, first)
        mine = [e for e in detail.evidence if e.source_id == sid]
        assert len(mine) == 1 and set(mine[0].supports) == {"date", "region"}
        assert (mine[0].start, mine[0].end) == chosen


async def test_edit_delete_and_restore_own_case(db_path: Path) -> None:
    sid = add_article(db_path)
    case_id = add_case_quoting(db_path, sid, title="Mine", supports=("region",))
    async with running(db_path, SIZE) as (app, pilot):
        main = app.screen
        assert isinstance(main, MainScreen)
        said: list[str] = []
        shown = app.notify

        def notify(message: str, **kwargs: Any) -> None:
            said.append(str(message))
            shown(message, **kwargs)

        app.notify = notify  # type: ignore[method-assign]
        # A bundled case cannot be edited: it says why.
        first = main.current_case
        assert first is not None and first != case_id
        await press(pilot, "E")
        assert app.screen is main
        await settle(pilot)
        assert any("bundled case" in m for m in said), said
        main.select_case(case_id)
        await settle(pilot)
        assert main.current_case == case_id
        assert "added by you" in main.query_one(DetailView).plain_text()
        await press(pilot, "E")
        form = app.screen
        assert isinstance(form, CaseFormScreen)
        assert form.query_one("#title", Input).value == "Mine"
        form.query_one("#date", Input).value = "2019-13"
        await until(pilot, lambda: "month" in line(form, "date") or "13" in line(form, "date"))
        await press(pilot, "ctrl+s")
        assert app.screen is form  # a bad date is refused, in the form
        form.query_one("#date", Input).value = "2019-05"
        form.query_one("#title", Input).value = "Mine, edited"
        await press(pilot, "ctrl+s")
        await until(pilot, lambda: app.screen is main)
        await until(pilot, lambda: "Mine, edited" in main.query_one(DetailView).plain_text())
        assert queries.case_detail(app.store.conn, case_id).date == "2019-05"
        # Delete asks first; U puts it back.
        await press(pilot, "D")
        await press(pilot, "y")
        await until(pilot, lambda: main.current_case != case_id)
        ids = {c.id for c in queries.list_cases(app.store.conn, queries.Filters())}
        assert case_id not in ids
        await press(pilot, "U")
        await until(pilot, lambda: main.current_case == case_id)
        ids = {c.id for c in queries.list_cases(app.store.conn, queries.Filters())}
        assert case_id in ids


async def test_add_a_source_from_a_file_and_from_pasted_text(db_path: Path, tmp_path: Path) -> None:
    page = tmp_path / "article.txt"
    page.write_text(ARTICLE, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    async with running(db_path, SIZE) as (app, pilot):
        await press(pilot, "a")
        form = app.screen
        assert isinstance(form, SourceFormScreen)
        # An empty file: said in the dialog, nothing stored.
        form.query_one("#source-path", Input).value = str(empty)
        await press(pilot, "ctrl+s")
        await until(pilot, lambda: form.query_one("#source-problem").display)
        assert "empty" in str(form.query_one("#source-problem", Static).render())
        assert app.screen is form
        form.query_one("#source-path", Input).value = str(page)
        form.query_one("#source-title", Input).value = "Bandung [b]&[/b] Braunschweig"
        form.query_one("#source-url", Input).value = "https://example.org/bandung"
        form.query_one("#source-accessed", Input).value = "2026-12-01"
        await press(pilot, "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, SourceReaderScreen))
        reader = app.screen
        assert isinstance(reader, SourceReaderScreen)
        await until(pilot, lambda: reader.source is not None)
        assert reader.source is not None
        assert reader.source.text == ARTICLE
        assert reader.source.title == "Bandung [b]&[/b] Braunschweig"
        assert reader.source.url == "https://example.org/bandung"
        # Pasted text, the same again: refused as already stored, with a way to open it.
        await press(pilot, "escape", "a")  # (in the reader, a attaches a passage)
        form = app.screen
        assert isinstance(form, SourceFormScreen)
        form.query_one("#source-text", TextArea).text = ARTICLE
        await press(pilot, "ctrl+s")
        await until(pilot, lambda: form.query_one("#source-problem").display)
        assert "already" in str(form.query_one("#source-problem", Static).render())
        assert form.query_one("#open-existing").display


async def test_another_process_change_reaches_the_running_app(db_path: Path) -> None:
    async with running(db_path, SIZE) as (app, pilot):
        main = app.screen
        assert isinstance(main, MainScreen)
        await press(pilot, "down")
        place = main.current_case
        before = main.count
        # Another process: the command line adds a source and a case.
        env = {**os.environ, "PARADIPLO_DB": str(db_path)}
        article = Path(str(db_path) + ".txt")
        article.write_text(ARTICLE, encoding="utf-8")
        out = subprocess.run(
            [CLI, "sources", "add", str(article), "--json"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        sid = json.loads(out.stdout)["id"]
        subprocess.run(
            [CLI, "cases", "add", "--region", "Kota Bandung",
             "--partner", "Braunschweig", "--partner-country", "Jerman", "--type",
             "sister-city", "--source", sid, "--json"],
            env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        # Within a few polls the list shows it, the user's place kept.
        await until(pilot, lambda: main.count == before + 1, rounds=400)
        assert main.current_case == place
        # A note written elsewhere shows under the selected case.
        other = open_store(db_path)
        try:
            from paradiplo.db import notes as notes_api

            assert place is not None
            notes_api.add_note(other, "case", place, "From [i]another[/i] window")
        finally:
            other.close()
        view = main.query_one(DetailView)
        await until(pilot, lambda: "From [i]another[/i] window" in view.plain_text(), rounds=400)


async def test_a_case_added_elsewhere_underlines_its_passage_in_the_open_reader(
    db_path: Path,
) -> None:
    sid = add_article(db_path)
    async with reading(db_path, sid) as (app, pilot, reader):
        main = app.main
        before = main.count
        reader.select_passage(0, 7)  # "Bandung"
        assert reader.passages == []
        add_case_quoting(db_path, sid)  # as another program would
        start = ARTICLE.index(QUOTE)
        await until(pilot, lambda: (start, start + len(QUOTE)) in reader.passages, rounds=400)
        assert reader.selected_range() == (0, 7)  # the selection is kept
        # The main screen, behind the reader, shows it once back in front.
        await press(pilot, "escape", "escape")
        assert app.screen is main
        await until(pilot, lambda: main.count == before + 1, rounds=400)


async def test_attach_by_keyboard_only(db_path: Path) -> None:
    sid = add_article(db_path)
    async with reading(db_path, sid, (80, 24)) as (app, pilot, reader):
        await press(pilot, "m", "down", "a")
        dialog = app.screen
        assert isinstance(dialog, AttachEvidenceScreen)
        await pilot.press(*"Trenggalek")
        await until(pilot, lambda: dialog.case_id is not None and "trenggalek" in dialog.case_id)
        case_id = dialog.case_id
        # ↓ into the list, Enter chooses the case, Space ticks its first fact, ↓ Space the next.
        await press(pilot, "down", "enter")
        await until(pilot, lambda: dialog.query_one("#facts", SelectionList).option_count > 0)
        await press(pilot, "space", "down", "space", "ctrl+s")
        await until(pilot, lambda: app.screen is reader)
        assert case_id is not None
        detail = queries.case_detail(app.store.conn, case_id)
        [mine] = [e for e in detail.evidence if e.source_id == sid]
        assert list(mine.supports) == ["region", "partner"]


async def test_leaving_a_form_with_typed_values_asks_first(db_path: Path) -> None:
    sid = add_article(db_path)
    async with reading(db_path, sid) as (app, pilot, reader):
        form = await new_case_form(pilot, reader)
        form.query_one("#status", Input).value = "agreed"
        await press_to(pilot, ConfirmScreen, "escape")
        await press(pilot, "n")  # keep editing
        assert app.screen is form
        form.query_one("#status", Input).value = ""
        await press(pilot, "escape")
        assert app.screen is reader


async def test_open_notes_and_sources_lists_show_changes_from_elsewhere(db_path: Path) -> None:
    from textual.widgets import DataTable

    from paradiplo.db import notes as notes_api
    from paradiplo.tui.screens.notes import NotesScreen
    from paradiplo.tui.screens.sources import SourcesScreen
    from paradiplo.tui.widgets.source_list import SourceList

    async with running(db_path, SIZE) as (app, pilot):
        case_id = app.main.current_case
        assert case_id is not None
        await press(pilot, "N")
        notes_screen = app.screen
        assert isinstance(notes_screen, NotesScreen)
        table = notes_screen.query_one(DataTable)
        assert table.row_count == 0
        other = open_store(db_path)
        try:
            notes_api.add_note(other, "case", case_id, "Written in [b]another[/b] window")
        finally:
            other.close()
        await until(pilot, lambda: table.row_count == 1, rounds=400)

        await press(pilot, "escape", "s")
        sources = app.screen
        assert isinstance(sources, SourcesScreen)
        listed = sources.query_one(SourceList)
        await press(pilot, "down")
        place = listed.current
        before = listed.count
        add_article(db_path)
        await until(pilot, lambda: listed.count == before + 1, rounds=400)
        assert listed.current == place  # the cursor stays on the source it was on


async def test_typed_markup_and_escapes_stay_text_in_the_form(db_path: Path) -> None:
    sid = add_article(db_path)
    async with reading(db_path, sid) as (_, pilot, reader):
        form = await new_case_form(pilot, reader)
        form.query_one("#region", Input).value = "[bold]Kota[/bold] \x1b[31mBandung"
        form.query_one("#partner", Input).value = "Braun[i]schweig[/i] \x1b]0;title\x07"
        form.query_one("#partner_country", Input).value = "[link=x]DE"
        form.query_one("#sectors", Input).value = "[red]tourism[/red]"
        await until(pilot, lambda: "Braun[i]schweig[/i]" in line(form, "partner"))
        assert "\x1b" not in line(form, "partner")
        await until(pilot, lambda: "[red]tourism[/red]" in line(form, "sectors"))
        assert "[link=x]DE" in line(form, "partner_country")
        assert "[bold]Kota[/bold]" in line(form, "region")


async def test_region_country_and_sector_completion(db_path: Path) -> None:
    sid = add_article(db_path)
    async with reading(db_path, sid) as (_, pilot, reader):
        form = await new_case_form(pilot, reader)
        region = form.query_one("#region", Input)
        region.value = ""
        region.focus()
        await pilot.press(*"Malan")
        choices = form.query_one("#form-choices", OptionList)

        def offered() -> list[str]:
            return [str(choices.get_option_at_index(i).id) for i in range(choices.option_count)]

        await until(pilot, lambda: choices.display and "Kabupaten Malang" in offered())
        assert "Kota Malang" in offered()
        # ↓ into the list, to "Kabupaten Malang", Enter takes it.
        await press(pilot, "down")
        assert form.focused is choices
        while str(choices.get_option_at_index(choices.highlighted or 0).id) != "Kabupaten Malang":
            await press(pilot, "down")
        await press(pilot, "enter")
        assert region.value == "Kabupaten Malang" and form.focused is region
        await until(pilot, lambda: "→ Kabupaten Malang" in line(form, "region"))
        # A country by its Indonesian name; a sector by its Indonesian label.
        country = form.query_one("#partner_country", Input)
        country.value = ""
        country.focus()
        await pilot.press(*"Jepan")
        await until(pilot, lambda: choices.display and "Japan" in offered())
        sectors = form.query_one("#sectors", Input)
        sectors.focus()
        await settle(pilot)
        sectors.value = "Tourism; "
        sectors.cursor_position = len(sectors.value)
        await pilot.press(*"pendid")
        await until(pilot, lambda: choices.display and "Education" in offered())
        await press(pilot, "down", "enter")
        assert sectors.value.startswith("Tourism; Education")


async def test_an_ambiguous_region_can_be_kept_as_stated(db_path: Path) -> None:
    sid = add_article(db_path)
    async with reading(db_path, sid) as (app, pilot, reader):
        form = await new_case_form(pilot, reader)
        keep = form.query_one("#keep-ambiguous", Checkbox)
        assert not keep.display
        form.query_one("#region", Input).value = "Malang"
        form.query_one("#partner", Input).value = "Nonsan"
        form.query_one("#partner_country", Input).value = "Korea Selatan"
        form.query_one("#type", Select).value = "mou"
        await until(pilot, lambda: "ambiguous" in line(form, "region"))
        assert keep.display
        await press(pilot, "ctrl+s")
        assert app.screen is form  # refused: which Malang?
        keep.value = True
        await until(pilot, lambda: "kept as stated" in line(form, "region"))
        await press(pilot, "ctrl+s")
        await until(pilot, lambda: app.screen is reader)
        [mine] = [
            c for c in queries.list_cases(app.store.conn, queries.Filters()) if c.origin == "user"
        ]
        detail = queries.case_detail(app.store.conn, mine.id)
        assert detail.region.level == "regency_or_city"
        # Editing it keeps it as stated (the box is ticked in the form).
        app.open_case(mine.id)
        await settle(pilot)
        await press(pilot, "E")
        form = app.screen
        assert isinstance(form, CaseFormScreen)
        assert form.query_one("#keep-ambiguous", Checkbox).value
        form.query_one("#status", Input).value = "agreed"
        await press(pilot, "ctrl+s")
        await until(pilot, lambda: app.screen is app.main)
        assert queries.case_detail(app.store.conn, mine.id).status == "agreed"
