"""Turning data into display text safely: user and source text is never markup.

Everything here returns `rich.text.Text` built from plain strings (so `[bold]` in a source stays
`[bold]`), with escape sequences and control characters removed by `db.text.display_safe`.
Styles are theme-neutral (bold, dim, italic, reverse) so they read in light and dark themes.
"""

from __future__ import annotations

import re
from typing import Any

from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.text import Text

from paradiplo.db.text import display_safe

_WS = re.compile(r"\s+")


def plain(value: Any, style: str = "") -> Text:
    """Literal text for any value (None shows as nothing)."""
    return Text(display_safe("" if value is None else str(value)), style=style)


def one_line(value: Any, style: str = "") -> Text:
    """Literal text on a single line (newlines and tabs become spaces)."""
    text = display_safe("" if value is None else str(value))
    return Text(_WS.sub(" ", text), style=style)


def join(parts: list[Text], sep: str = "") -> Text:
    return Text(sep).join(parts)


def render_text(console: Console, text: Text) -> list[Segment]:
    """A one-line Text as segments, with its own base style (`Text.render` leaves the base
    style out: Rich applies it one level up, which line-drawing widgets skip)."""
    segments = text.render(console, end="")
    if text.style:
        return list(Segment.apply_style(segments, console.get_style(text.style)))
    return list(segments)


class Cached:
    """A Rich renderable whose lines are rendered once per width and then replayed.

    Textual asks a Static's renderable for its lines on every layout and repaint; a case's
    fact tables re-wrapped hundreds of times per keypress. Rendering them once per width
    makes moving between cases cheap.
    """

    def __init__(self, renderable: Any) -> None:
        self.renderable = renderable
        self._lines: dict[int, list[list[Segment]]] = {}

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        lines = self._lines.get(width)
        if lines is None:
            lines = console.render_lines(self.renderable, options.update(height=None), pad=False)
            if len(self._lines) > 8:
                self._lines.clear()
            self._lines[width] = lines
        new_line = Segment.line()
        for line in lines:
            yield from line
            yield new_line
