"""What a user meets beyond the main panes, in both languages: the add-source form (labels,
hints and choices defined as data), the keys' hints in the help, the command palette's prompt
and Textual's own palette entries."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import Input, SelectionList

from paradiplo.db import i18n
from paradiplo.tui.screens.evidence import AttachEvidenceScreen
from paradiplo.tui.screens.help import HelpScreen
from paradiplo.tui.screens.source_form import SourceFormScreen
from tests.tui.conftest import press, press_to, running, screen_text, settle

LANGS = [pytest.param("en", id="en"), pytest.param("id", id="id")]

# (English, Indonesian) for what each screen shows.
SOURCE_FORM = [
    ("Title", "Judul"),
    ("Authors", "Penulis"),
    ("Accessed", "Diakses"),
    ("news piece", "berita"),
]
SOURCE_HINTS = {
    "#source-title": ("the article's title", "judul artikel"),
    "#source-authors": ("separate with ;", "pisahkan dengan ;"),
}


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    i18n.set_language("en")


@pytest.fixture(params=LANGS)
def lang(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("PARADIPLO_LANG", request.param)
    i18n.set_language()
    return str(request.param)


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[lang == "id"]


def assert_shown(shown: str, pair: tuple[str, str], lang: str) -> None:
    """The screen shows the words in `lang`, and in Indonesian not the English ones."""
    assert pick(pair, lang) in shown
    assert lang == "en" or pair[0] not in shown


async def test_the_add_source_form_speaks_the_interface_language(db_path: Path, lang: str) -> None:
    async with running(db_path, (100, 40)) as (app, pilot):
        form = await press_to(pilot, SourceFormScreen, "a")
        shown = screen_text(app)
        for english, indonesian in SOURCE_FORM:
            assert_shown(shown, (f" {english} ", f" {indonesian} "), lang)
        for field, pair in SOURCE_HINTS.items():
            assert form.query_one(field, Input).placeholder == pick(pair, lang)


async def test_the_help_shows_the_keys_hints_in_the_interface_language(
    db_path: Path, lang: str
) -> None:
    async with running(db_path, (120, 40)) as (app, pilot):
        await press_to(pilot, HelpScreen, "question_mark")
        hint = ("New note on the focused thing", "Catatan baru pada hal yang sedang dipilih")
        assert_shown(screen_text(app), hint, lang)


async def test_the_palette_prompt_and_textuals_entries_in_the_interface_language(
    db_path: Path, lang: str
) -> None:
    async with running(db_path, (120, 40)) as (app, pilot):
        palette = await press_to(pilot, CommandPalette, "ctrl+p")
        prompt = palette.query_one(Input).placeholder
        assert prompt == pick(("Search for commands…", "Cari perintah…"), lang)
        entry = pick(("Screenshot", "Tangkapan layar"), lang)
        await press(pilot, *entry.split()[0].lower())
        shown = ""
        for _ in range(50):
            await pilot.pause(0.05)
            shown = screen_text(app)
            if entry in shown:
                break
        assert entry in shown
        if lang == "id":
            assert "Save an SVG" not in shown


async def test_the_attach_dialog_names_the_facts_in_the_interface_language(
    db_path: Path, lang: str
) -> None:
    async with running(db_path, (100, 40)) as (app, pilot):
        dialog = await press_to(pilot, AttachEvidenceScreen, "s", "enter", "m", "a")
        facts = dialog.query_one("#facts", SelectionList)
        for _ in range(100):
            if facts.option_count:
                break
            await settle(pilot)
        shown = screen_text(app)
        for pair in (
            ("Indonesian party:", "Pihak Indonesia:"),
            ("Partner's country:", "Negara mitra:"),
        ):
            assert_shown(shown, pair, lang)


def test_every_key_description_and_hint_has_an_indonesian_translation() -> None:
    """The key bar and the help show every binding's description and tooltip translated,
    Textual's own (Tab / Shift+Tab) included."""
    import importlib

    from textual.binding import Binding
    from textual.screen import Screen

    from paradiplo.tui.app import ParadiploApp

    classes: list[type] = [ParadiploApp, Screen]
    for module in (
        "screens.main.MainScreen",
        "screens.reader.SourceReaderScreen",
        "screens.sources.SourcesScreen",
        "screens.glossary.GlossaryScreen",
        "screens.search.SearchScreen",
        "screens.notes.NotesScreen",
        "screens.note_editor.NoteEditorScreen",
        "screens.case_form.CaseFormScreen",
        "screens.evidence.AttachEvidenceScreen",
        "screens.source_form.SourceFormScreen",
        "screens.overview.OverviewScreen",
        "screens.matrix.MatrixScreen",
        "screens.network.NetworkScreen",
        "widgets.regions.RegionTree",
        "widgets.sectors.SectorList",
        "widgets.case_list.CaseList",
        "widgets.detail.DetailView",
        "widgets.barchart.BarChart",
        "widgets.matrixgrid.MatrixGrid",
    ):
        path, name = module.rsplit(".", 1)
        classes.append(getattr(importlib.import_module(f"paradiplo.tui.{path}"), name))
    i18n.set_language("id")
    untranslated = {
        (cls.__name__, text)
        for cls in classes
        for b in cls.__dict__.get("BINDINGS", [])
        if isinstance(b, Binding) and (cls is not Screen or b.key in ("tab", "shift+tab"))
        for text in (b.description, b.tooltip)
        if text and i18n._(text) == text
    }
    assert not untranslated
