"""Growing the collection in the app: take a case from a passage of a source (the form
pre-filled from the suggestion, names resolved before saving, a duplicate refused with "save
anyway"), attach a passage to a case as evidence, edit / delete / restore one's own case from
the main screen, add a source with its provenance, and see another process's change arrive."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select, SelectionList, Static

from db import collection, queries
from db.store import open_store
from tests.tui.conftest import press, settle, wait_ready
from tui.app import ParadiploApp
from tui.screens.case_form import CaseFormScreen
from tui.screens.evidence import AttachEvidenceScreen
from tui.screens.reader import SourceReaderScreen

SIZE = (120, 40)
ARTICLE = (
    "Bandung dan Braunschweig\n\n"
    "Pemerintah Kota Bandung dan Kota Braunschweig, Jerman, menandatangani kerja sama sister "
    "city di bidang pendidikan dan pariwisata pada 2019.\n\n"
    "Wali kota mengatakan hubungan itu [bold]baik[/] dan akan berlanjut."
)


def add_article(db_path: Path) -> str:
    store = open_store(db_path)
    try:
        return collection.add_source(
            store, collection.NewSource(text=ARTICLE, title="Bandung & Braunschweig", kind="news")
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


async def open_reader_at(pilot, app: ParadiploApp, source_id: str) -> SourceReaderScreen:  # type: ignore[no-untyped-def]
    await wait_ready(pilot)
    app.open_source(source_id, None)
    await settle(pilot)
    reader = app.screen
    assert isinstance(reader, SourceReaderScreen)
    await until(pilot, lambda: reader.source is not None)
    return reader


async def test_new_case_from_a_passage(db_path: Path) -> None:
    sid = add_article(db_path)
    app = ParadiploApp(db_path)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader_at(pilot, app, sid)
        start = ARTICLE.index("Pemerintah Kota Bandung")
        end = ARTICLE.index("2019.") + len("2019.")
        reader.select_passage(start, end)
        await press(pilot, "c")
        form = app.screen
        assert isinstance(form, CaseFormScreen)
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
        assert {"region", "partner", "type"} <= set(ev.supports)
        # The passage is now a cited passage of the reader.
        await until(pilot, lambda: (start, end) in reader.passages)

        # The same case again is refused, naming the existing one, then saved anyway.
        reader.select_passage(start, end)
        await press(pilot, "c")
        form = app.screen
        assert isinstance(form, CaseFormScreen)
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
    app = ParadiploApp(db_path)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader_at(pilot, app, sid)
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
