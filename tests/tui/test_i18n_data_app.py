"""The app shows the curated data in the chosen language: in the detail view what the sources
leave unclear and the derived category and stage bases, in the glossary a definition and a
law's description; the sources' quotes are the same in both."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Static

from paradiplo.db import i18n
from paradiplo.tui.app import ParadiploApp
from paradiplo.tui.screens.glossary import GlossaryScreen
from paradiplo.tui.widgets.detail import DetailView
from tests.test_i18n_data import english_afterwards, flat
from tests.tui.conftest import settle, wait_ready

__all__ = ["english_afterwards"]  # autouse: English again after each test

QUOTE = "dan juga Malang yang bekerja sama dengan kota Nonsan , Korea selatan"
EXPECTED = {
    "id": {
        "unclear": "Tidak disebut apakah pihak Indonesia adalah Kota Malang atau Kabupaten Malang.",
        "party": "Malang (kota atau kabupaten tidak disebut)",
        "category": "Diturunkan dari jenis mitra (pemerintah daerah di luar negeri, Nonsan)",
        "stage": "Diturunkan oleh aplikasi ini dari jenisnya (Kota kembar (sister city),",
        "definition": "Kota kembar (sister city) Kerja sama luar negeri dengan sebuah kota",
        "law": "Undang-undang tentang perjanjian internasional: cara Indonesia",
        "claim": "Tulisan opini itu menyatakan bahwa undang-undang ini juga",
        "context": "1 kasus ini “",  # what the case's own first quote backs
    },
    "en": {
        "unclear": "Whether the Indonesian party is Kota Malang or Kabupaten Malang is not stated.",
        "party": "Malang (city or regency not stated)",
        "category": "Derived from the partner's kind (a regional government abroad, Nonsan)",
        "stage": "Derived by this app from the type (sister-city, as stated",
        "definition": "Sister city (kota kembar) Foreign cooperation with a city abroad",
        "law": "The law on international agreements: how Indonesia",
        "claim": "The opinion piece says this law is also",
        "context": "1 the case “",
    },
}


def shown(static: Static) -> str:
    console = Console(width=100, record=True, color_system=None)
    console.print(static.content)
    return flat(console.export_text())


@pytest.mark.parametrize("lang", ["id", "en"])
async def test_detail_and_glossary_show_the_data_in_the_chosen_language(
    db_path: Path, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARADIPLO_LANG", lang)
    i18n.set_language()
    want = EXPECTED[lang]
    other = EXPECTED["en" if lang == "id" else "id"]
    app = ParadiploApp(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        detail = app.screen.query_one(DetailView)
        app.open_case("malang-nonsan-2017")
        await settle(pilot)
        assert detail.detail is not None and detail.detail.id == "malang-nonsan-2017"
        text = flat(detail.plain_text())
        for key in ("unclear", "party", "category", "stage", "context"):
            assert want[key] in text, key
            assert other[key] not in text, key
        assert QUOTE in text
        # A name we gave in English is shown in Indonesian; the source's own name is not
        # repeated "as stated" where the Indonesian name is the same.
        app.open_case("jabar-shizuoka-mou-2017")
        await settle(pilot)
        text = flat(detail.plain_text())
        if lang == "id":
            assert "Mitra Prefektur Shizuoka — prefektur, Jepang" in text
            assert "“Prefektur Shizuoka”" not in text
        else:
            assert "Partner Shizuoka Prefecture — prefecture, Japan" in text
            assert "as stated: “Prefektur Shizuoka”" in text

        app.action_glossary("sister-city")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, GlossaryScreen)
        entry = screen.query_one("#glossary-entry", Static)
        assert want["definition"] in shown(entry)
        assert "dengan tajuk" in shown(entry)  # the quote, as the source has it
        screen.select_term("uu-24-2000")
        await settle(pilot)
        law = shown(entry)
        assert want["law"] in law and want["claim"] in law
        assert other["law"] not in law
        assert "Undang-Undang Nomor 24 Tahun 2000 tentang Perjanjian Internasional" in law
