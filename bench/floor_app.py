"""The floor of the first screen: a Textual app with the main screen's layout, its stylesheet
(tui/app.tcss) and the same kinds of Textual widgets, showing fixed text of the seed screen's
size, with no paradiplo code (no database, no data layer, no command line).

bench/terminal.py times it beside the bare app and `paradiplo-tui`: what it costs over the bare
app is what Textual needs to draw this screen at all; what the app costs over it is ours
(importing the data layer and the UI, opening the store, reading the view, the widgets' own
rendering). Run: `python bench/floor_app.py`.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static, Tree

REGIONS = [
    "Kab. Banyuwangi 1",
    "Kab. Sidoarjo 1",
    "Kab. Trenggalek 2",
    "Kota Kediri 1",
    "Kota Surabaya 1",
    "Malang (city or regency) 1",
]
SECTORS = "\n".join(f"[ ] 1 Sector {i}" for i in range(1, 21))
ROWS = "\n".join(
    f"{2018 - i}  Kab. Trenggalek   Australia           Programme   case {i}" for i in range(9)
)
DETAIL = "\n".join(
    ["Indonesian party    Kab. Trenggalek — Indonesia"]
    + [f"Fact {i:<15} as the source states it, with the passage it rests on" for i in range(26)]
)


# Named as the app's widgets, so that tui/app.tcss styles them as it styles the real ones.
class TitleBar(Static):
    pass


class KeyBar(Static):
    pass


class FilterBar(Static):
    pass


class CaseHeader(Static):
    pass


class SectorList(Static):
    pass


class CaseList(Static):
    pass


class DetailView(Static):
    pass


class RegionTree(Tree[None]):
    pass


class Pane(Vertical):
    pass


class MainScreen(Screen[None]):
    HORIZONTAL_BREAKPOINTS = [(0, "-tiny"), (60, "-narrow"), (100, "-normal"), (200, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    def compose(self) -> ComposeResult:
        yield TitleBar("paradiplo — floor")
        with Horizontal(id="body"):
            with Vertical(id="sidebar"):
                with Pane(id="regions-pane", classes="pane"):
                    tree: RegionTree = RegionTree("Indonesia 9", id="regions")
                    tree.root.expand()
                    tree.root.add_leaf("Jawa Barat 2")
                    east = tree.root.add("Jawa Timur 7", expand=True)
                    for region in REGIONS:
                        east.add_leaf(region)
                    yield tree
                with Pane(id="sectors-pane", classes="pane"):
                    yield SectorList(SECTORS, id="sectors")
            with Vertical(id="content"):
                with Pane(id="agreements-pane", classes="pane -active"):
                    yield FilterBar("9 cases  ·  sort: year, newest first", id="filterbar")
                    yield CaseHeader("Year↓ Region          Partner (country)   Type")
                    yield CaseList(ROWS, id="agreements")
                with Pane(id="detail-pane", classes="pane"):
                    yield DetailView(DETAIL, id="detail")
        yield KeyBar("⏎ Open  o Sort  z Zoom  t Years  q Quit  ? Help  / Search  n Note")

    def on_mount(self) -> None:
        for key, pane in enumerate(("regions", "sectors", "agreements", "detail"), 1):
            title = Text.assemble((str(key), "bold"), " ", pane.title())
            self.query_one(f"#{pane}-pane").border_title = title


class Floor(App[None]):
    CSS_PATH = Path(__file__).resolve().parent.parent / "tui" / "app.tcss"

    def on_mount(self) -> None:
        self.push_screen(MainScreen())


if __name__ == "__main__":
    Floor().run()
