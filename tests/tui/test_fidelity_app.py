"""The app shows what a researcher can cite: the derived stage and the missing category of a
foreign state in the detail view, a stated but ambiguous year, laws with the source's claim
apart from their status from outside the texts, and where the sources disagree."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from textual.widgets import OptionList, Static

from paradiplo.tui.screens.glossary import GlossaryScreen
from paradiplo.tui.screens.main import MainScreen
from paradiplo.tui.screens.sources import SourcesScreen
from paradiplo.tui.widgets.detail import DetailView
from tests.tui.conftest import press, running, settle


def _text(static: Static) -> str:
    console = Console(width=100, record=True, color_system=None)
    console.print(static.content)
    return " ".join(console.export_text().split())


def _flat(text: str) -> str:
    return " ".join(text.split())


async def test_detail_view_shows_stage_category_dates_laws_and_conflicts(db_path: Path) -> None:
    async with running(db_path, (120, 40)) as (app, pilot):
        main = app.screen
        assert isinstance(main, MainScreen)
        detail = main.query_one(DetailView)

        app.open_case("kediri-australia-msme-export")
        await settle(pilot)
        assert detail.detail is not None and detail.detail.id == "kediri-australia-msme-export"
        facts = _flat(detail.plain_text().partition("Evidence — ")[0])
        assert "PP 28/2018 category none can be derived" in facts
        assert "the partner is a foreign state, Australia" in facts
        assert "Stage implementation (a programme or activity reported)" in facts
        assert "derived by this app, not stated in the sources" in facts
        # Laws: the official title, the source's claim, and apart the outside reference.
        assert "Undang-Undang Nomor 32 Tahun 2004 tentang Pemerintahan Daerah" in facts
        assert "REPLACED by UU 23/2014" in facts
        assert "cited as “Undang-undang Nomor 32 tahun 2004 Tentang Pemerintah Daerah”" in facts
        assert "The opinion piece says" in facts
        assert "reference from outside the bundled texts" in facts
        assert "peraturan.bpk.go.id" in facts
        # The sources disagree, both sides with their words.
        assert "Sources disagree" in facts
        assert "Kumparan" in facts and "Kompasiana" in facts
        quotes = _flat(detail.plain_text().partition("Evidence — ")[2])
        assert "di bawah pengawasan pusat" in quotes
        assert "tanpa adanya keterlibatan dari pemerintahan pusat" in quotes

        app.open_case("jabar-shizuoka-new-economy")
        await settle(pilot)
        assert detail.detail is not None and detail.detail.id == "jabar-shizuoka-new-economy"
        facts = _flat(detail.plain_text().partition("Evidence — ")[0])
        assert "Date “pada 2021”" in facts and "ambiguous" in facts
        assert "not stated in the sources" not in facts.partition("Date")[2][:40]
        assert "as stated: “mengajak” ⟨1⟩ (gloss: invited)" in facts
        assert "Stage exploration (penjajakan)" in facts
        assert "date gloss: recently; the article is undated" in facts
        assert "PP 28/2018 category KSDPL" in facts


async def test_glossary_shows_laws_references_and_disagreements(db_path: Path) -> None:
    async with running(db_path, (120, 40)) as (app, pilot):
        app.action_glossary("paradiplomasi")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, GlossaryScreen)
        entry = screen.query_one("#glossary-entry", Static)
        shown = _text(entry)
        assert "Sources disagree:" in shown
        assert "di bawah pengawasan pusat" in shown
        assert "tanpa adanya keterlibatan dari pemerintahan pusat" in shown

        olist = screen.query_one("#glossary-list", OptionList)
        prompts = [str(olist.get_option_at_index(i).prompt) for i in range(olist.option_count)]
        joined = "\n".join(prompts)
        for short in (
            "UU 32/2004",
            "UU 23/2014",
            "UU 37/1999",
            "PP 28/2018",
            "Permendagri 25/2020",
        ):
            assert short in joined
        assert any("UU 32/2004" in p and "replaced" in p for p in prompts)
        assert any("PP 28/2018" in p and "reference, not in the texts" in p for p in prompts)

        screen.select_term("uu-32-2004")
        await settle(pilot)
        shown = _text(entry)
        assert "tentang Pemerintahan Daerah" in shown
        assert "REPLACED by UU 23/2014" in shown
        assert "The opinion piece says" in shown
        assert "reference from outside the bundled texts" in shown
        assert "Peraturan-peraturan mengenai praktik Paradiplomasi" in shown

        screen.select_term("pp-28-2018")
        await settle(pilot)
        shown = _text(entry)
        assert "not cited by the bundled texts" in shown
        assert (
            "KSDPL" in shown and "Lembaran Negara Republik Indonesia Tahun 2018 Nomor 97" in shown
        )


async def test_sources_screen_marks_inferences_and_shows_the_abstract(db_path: Path) -> None:
    async with running(db_path, (120, 40)) as (app, pilot):
        await press(pilot, "s")
        screen = app.screen
        assert isinstance(screen, SourcesScreen)
        provenance = screen.query_one("#source-provenance", Static)
        seen = []
        for _ in range(3):
            seen.append(_text(provenance))
            await press(pilot, "down")
        kumparan = next(t for t in seen if "Kemitraan Multisektor" in t)
        assert "news piece inferred, not stated by the text" in kumparan
        kompasiana = next(t for t in seen if "Kompasiana" in t and "Kemitraan" not in t)
        assert "Kompasiana inferred, not stated by the text" in kompasiana
        journal = next(t for t in seen if "Istiq Agustina" in t)
        assert "Abstract (verbatim from the text)" in journal
        assert "Findings (verbatim from the text)" in journal
