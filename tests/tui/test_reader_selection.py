"""Selecting a passage in the source reader: `m` and Shift+arrows (sentences and words), the
mouse's selection, Escape clearing it; a note written on a selection is anchored there."""

from __future__ import annotations

from pathlib import Path

from paradiplo.tui.app import ParadiploApp
from paradiplo.tui.screens.reader import ParagraphText, SourceReaderScreen
from tests.tui.conftest import press, settle, wait_ready

SIZE = (120, 40)


async def open_reader(pilot, app: ParadiploApp) -> SourceReaderScreen:  # type: ignore[no-untyped-def]
    await wait_ready(pilot)
    await press(pilot, "s")
    await press(pilot, "enter")
    reader = app.screen
    assert isinstance(reader, SourceReaderScreen)
    await settle(pilot)
    assert reader.source is not None
    return reader


async def test_mark_and_extend_by_sentence_and_word(db_path: Path) -> None:
    app = ParadiploApp(db_path)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(pilot, app)
        assert reader.source is not None
        text = reader.source.text
        assert reader.selected_range() is None
        # Without a selection, a and c say how to make one (and stay in the reader).
        await press(pilot, "a", "c")
        assert app.screen is reader
        await press(pilot, "m")
        first = reader.selected_range()
        assert first is not None
        s, e = first
        sentence = text[s:e]
        assert sentence == sentence.strip() and len(sentence) > 3
        # One sentence further, then one word back: the end moves, the start stays.
        await press(pilot, "shift+down")
        longer = reader.selected_range()
        assert longer is not None and longer[0] == s and longer[1] > e
        await press(pilot, "shift+left")
        shorter = reader.selected_range()
        assert shorter is not None and shorter[0] == s and shorter[1] < longer[1]
        assert text[shorter[0] : shorter[1]] in text
        # The status line shows the selection and what to do with it.
        status = str(reader.query_one("#reader-status").render())
        assert "Selected" in status and "attach" in status
        # ↓ moves to the next sentence (one sentence selected).
        await press(pilot, "down")
        moved = reader.selected_range()
        assert moved is not None and moved[0] >= shorter[0]
        # Escape clears the selection first, and only then leaves the reader.
        await press(pilot, "escape")
        assert reader.selected_range() is None
        assert app.screen is reader
        # m twice: select, then clear.
        await press(pilot, "m", "m")
        assert reader.selected_range() is None


async def test_mouse_selection_becomes_the_passage(db_path: Path) -> None:
    app = ParadiploApp(db_path)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_reader(pilot, app)
        assert reader.source is not None
        widget = reader.query(ParagraphText).first()
        para = reader.paragraphs[widget.index]
        raw = reader.source.text[para.start : para.end]
        # Drag over the first 20 characters of the paragraph's first line.
        await pilot.mouse_down(widget, offset=(0, 0))
        await pilot.hover(widget, offset=(19, 0))
        await pilot.mouse_up(widget, offset=(19, 0))
        await settle(pilot)
        chosen = reader.selected_range()
        assert chosen is not None
        assert reader.source.text[chosen[0] : chosen[1]] == raw[:20].strip()
        # Shift+→ takes it over as a keyboard selection and extends it by a word.
        await press(pilot, "shift+right")
        kb = reader.selected_range()
        assert kb is not None and kb[0] == chosen[0] and kb[1] > chosen[1]
        # A note on it is anchored at the passage.
        target = reader.focused_target()
        assert target is not None and target[0] == "passage"
        assert target[3] is not None and target[3][:2] == kb
