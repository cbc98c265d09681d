"""The main screen's title line, drawn as Textual's Header draws it, as one widget.

Textual's Header is four widgets (the bar, the icon, the title, the clock's space), each
composed, styled and painted when the app starts; on the main screen that was a noticeable
share of start-up for one line of text. This widget renders the same line itself: the
command palette icon on the left (a click opens the palette), the title and sub-title
centred between it and the clock's space.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widget import Widget

ICON = "⭘"
ICON_WIDTH = 8  # Header's icon cell, padding included
CLOCK_WIDTH = 10  # Header's (empty) clock space on the right


class TitleBar(Widget):
    """Title — sub-title (the app's, or the screen's own), as in Textual's Header."""

    DEFAULT_CSS = """
    TitleBar { dock: top; width: 100%; height: 1; background: $panel; color: $foreground; }
    """

    def on_mount(self) -> None:
        for obj in (self.app, self.screen):
            self.watch(obj, "title", self._changed, init=False)
            self.watch(obj, "sub_title", self._changed, init=False)

    def _changed(self) -> None:
        self.refresh()

    def _titles(self) -> tuple[str, str]:
        screen = self.screen
        title = screen.title if screen.title is not None else self.app.title
        sub = screen.sub_title if screen.sub_title is not None else self.app.sub_title
        return str(title or ""), str(sub or "")

    def render(self) -> Text:
        width = self.size.width
        title, sub_title = self._titles()
        middle = Text(title, no_wrap=True)
        if sub_title:
            middle.append(" — ", style="dim")
            middle.append(sub_title, style="dim")
        room = max(width - ICON_WIDTH - CLOCK_WIDTH, 0)
        middle.truncate(room, overflow="ellipsis")
        left = (room - middle.cell_len) // 2
        line = Text(" " + ICON, no_wrap=True)
        line.append(" " * (ICON_WIDTH - 1 - cell_len(ICON) + left))
        line.append_text(middle)
        line.append(" " * max(width - line.cell_len, 0))
        return line

    async def on_click(self, event: events.Click) -> None:
        if event.x < ICON_WIDTH and self.app.ENABLE_COMMAND_PALETTE:
            event.stop()
            await self.run_action("app.command_palette")
