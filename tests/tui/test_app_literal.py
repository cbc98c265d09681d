"""Text from cases, sources and notes is shown literally: markup in data stays text."""

from __future__ import annotations

from pathlib import Path

from paradiplo.db import notes as notes_api
from paradiplo.tui.screens.main import MainScreen
from paradiplo.tui.widgets.case_list import CaseList
from paradiplo.tui.widgets.detail import DetailView
from tests.helpers import imported_into, listed_first
from tests.tui.conftest import press, running

TITLE = "[bold]Not bold[/] [@click=app.quit]click me[/]"
PARTNER = "[red]Red partner[/red]"
QUOTE = "[bold]quoted[/bold] text \\[escaped] and a back\\slash"
NOTE = "My [b]note[/b] with [@click=app.quit]a link[/] and \x1b[31mescapes\x1b[0m"


RECORD = listed_first(
    "markup-test",
    "A citation [i]with markup[/i]",
    QUOTE,
    title=TITLE,
    partner=PARTNER,
    summary="Summary with [b]brackets[/b] and \x1b[31mred\x1b[0m escapes",
    unclear=["[i]unclear[/i] thing"],
)


def _plain(renderable: object) -> str:
    from rich.console import Console

    console = Console(width=200, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


async def test_markup_in_data_is_literal(db_path: Path, tmp_path: Path) -> None:
    with imported_into(db_path, tmp_path, RECORD) as store:
        notes_api.add_note(store, "case", "markup-test", NOTE, ["[tag]"])
    async with running(db_path, (200, 50)) as (app, pilot):
        main = app.screen
        assert isinstance(main, MainScreen)
        case_list = main.query_one(CaseList)
        # The imported case is dated 2099, so it is first under the default sort.
        assert case_list.current is not None and case_list.current.id == "markup-test"
        line = case_list.render_line(0).text
        assert "[bold]Not bold[/] [@cli" in line and "[red]Red partner[/re" in line

        detail = main.query_one(DetailView)
        assert detail.detail is not None and detail.detail.title == TITLE
        shown = detail.plain_text()
        facts, _, quote = shown.partition("Evidence — ")
        assert TITLE in facts
        assert "[b]brackets[/b]" in facts
        assert "\x1b" not in facts and "red escapes" in facts
        assert "[i]unclear[/i] thing" in facts
        assert QUOTE in " ".join(quote.split())
        assert "A citation [i]with markup[/i]" in quote

        # The notes under the case show the note as text too: markup stays, escapes go.
        await press(pilot, "4")
        assert [n.body for n in detail.notes] == [NOTE]
        notes = detail.plain_text().partition("Notes (1)")[2]
        assert "\x1b" not in notes and "escapes" in notes
        assert "My [b]note[/b] with [@click=app.quit]a link[/]" in " ".join(notes.split())

        # Clicking around the title does not run the embedded action.
        await pilot.click(CaseList, offset=(20, 0))
        await pilot.pause()
        assert app.is_running
        assert app.screen is main
