"""The Sectors pane: the sector vocabulary with case counts under the current filters.

Space or Enter toggles a sector; the agreements narrow to cases tagged with every sector ticked.
Counts are refreshed in place whenever the other filters change, so the selection and the
cursor stay where they are. Sectors with no case under the filters are dimmed, not hidden.

The list draws its own lines (Textual's line API) and keeps each drawn row until its count,
tick or cursor changes. Textual's SelectionList re-renders every option through several
layers on each change, about a millisecond a row; new counts after every filter change made
it the slowest pane to repaint.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from paradiplo.db.i18n import data_label, number
from paradiplo.db.models import SectorCount
from paradiplo.db.record import record
from paradiplo.tui.widgets.scrolling import set_virtual_size
from paradiplo.tui.widgets.text import one_line, render_text

# The tick box: a tick or a blank between brackets, so a ticked row differs from an unticked one
# by its characters, not only by colour (in every theme, and in a plain capture of the screen).
BUTTON_LEFT, BUTTON_RIGHT = "[", "]"
TICKED, UNTICKED = "✓", " "


@record
class SectorOption:
    """One row: the sector id and what the row says."""

    id: str
    prompt: Text


class SectorList(ScrollView, can_focus=True):
    """Sectors with counts; ticking sectors filters the agreements."""

    COMPONENT_CLASSES = {
        "sector-list--button",
        "sector-list--button-selected",
        "sector-list--cursor",
    }

    DEFAULT_CSS = """
    SectorList { height: auto; overflow-x: hidden; padding: 0 1; }
    SectorList > .sector-list--button { color: $text-muted; }
    SectorList > .sector-list--button-selected { color: $text-success; text-style: bold; }
    SectorList > .sector-list--cursor {
        color: $foreground;
        background: $block-cursor-blurred-background;
    }
    SectorList:focus > .sector-list--cursor {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    """

    BINDINGS = [
        Binding("down", "cursor_down", "Down", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("j", "cursor_down", "Down", show=False, id="sectors.down"),
        Binding("k", "cursor_up", "Up", show=False, id="sectors.up"),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("pageup", "page_up_rows", "Page up", show=False),
        Binding("pagedown", "page_down_rows", "Page down", show=False),
        Binding(
            "space,enter", "tick", "Tick / untick (ticked sectors narrow the list)", show=False
        ),
        Binding("escape", "clear", "Clear", show=False, id="sectors.clear"),
    ]

    highlighted: reactive[int | None] = reactive(None, init=False, repaint=False)

    @dataclass
    class Chosen(Message):
        """The ticked sectors changed (by the user)."""

        sectors: tuple[str, ...]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.options: list[SectorOption] = []
        self._selected: list[str] = []
        self.loaded = False
        self._digits = 1
        self.labels: dict[str, str] = {}
        self._shown: dict[str, SectorCount] = {}
        self._rows: dict[tuple[int, bool, bool], Strip] = {}
        self._styles: tuple[Style, ...] = ()
        self._row_width = 0

    # ------------------------------------------------------------------------ content
    def _prompt(self, sector: SectorCount) -> Text:
        """Count first (right-aligned), so long sector names never hide it."""
        count = number(sector.count).rjust(self._digits)
        text = Text(f"{count} ", style="bold" if sector.count else "dim")
        label = data_label("sector", sector.id, sector.label_en)
        text.append_text(one_line(label, style="" if sector.count else "dim"))
        return text

    def show(self, counts: list[SectorCount], selected: tuple[str, ...]) -> None:
        """Show new counts; only the rows whose count changed are drawn again."""
        digits = max((len(f"{c.count:,}") for c in counts), default=1)
        redo_all = digits != self._digits or [o.id for o in self.options] != [c.id for c in counts]
        self._digits = digits
        self.labels = {c.id: c.label_en for c in counts}
        options = []
        for i, c in enumerate(counts):
            if not redo_all and self._shown.get(c.id) == c:
                options.append(self.options[i])
            else:
                options.append(SectorOption(c.id, self._prompt(c)))
                self._forget_row(i)
        if redo_all:
            self._rows.clear()
        self.options = options
        self._shown = {c.id: c for c in counts}
        if options and (self.highlighted is None or self.highlighted >= len(options)):
            self.highlighted = min(self.highlighted or 0, len(options) - 1)
        set_virtual_size(self, Size(self.virtual_size.width, len(options)))
        self.set_selected(selected)
        self.loaded = True

    def set_selected(self, selected: tuple[str, ...]) -> None:
        """Tick exactly `selected` (no Chosen message: this is not the user's choice)."""
        if list(selected) == self._selected:
            return
        changed = set(selected) ^ set(self._selected)
        self._selected = list(selected)
        for i, option in enumerate(self.options):
            if option.id in changed:
                self._forget_row(i)

    @property
    def selected(self) -> list[str]:
        """The ticked sector ids, in the order they were ticked."""
        return list(self._selected)

    @property
    def highlighted_option(self) -> SectorOption | None:
        i = self.highlighted
        return self.options[i] if i is not None and 0 <= i < len(self.options) else None

    def deselect_all(self) -> None:
        if self._selected:
            self.set_selected(())
            self.post_message(self.Chosen(()))

    # ------------------------------------------------------------------------ drawing
    def _forget_row(self, index: int) -> None:
        for key in [k for k in self._rows if k[0] == index]:
            del self._rows[key]
        self.refresh(Region(0, index - int(self.scroll_y), self.size.width, 1))

    def render_lines(self, crop: Region) -> list[Strip]:
        base = self.rich_style
        styles = (
            base,
            base + self.get_component_rich_style("sector-list--cursor"),
            self.get_component_rich_style("sector-list--button"),
            self.get_component_rich_style("sector-list--button-selected"),
        )
        width = self.scrollable_content_region.width
        if styles != self._styles or width != self._row_width:
            self._styles, self._row_width = styles, width
            self._rows.clear()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_y) + y
        width = self.scrollable_content_region.width
        base = self._styles[0]
        if not 0 <= index < len(self.options):
            return Strip.blank(width, base)
        option = self.options[index]
        cursor = index == self.highlighted
        ticked = option.id in self._selected
        key = (index, cursor, ticked)
        strip = self._rows.get(key)
        if strip is None:
            strip = self._render_row(option, cursor, ticked, width)
            self._rows[key] = strip
        return strip

    def _render_row(self, option: SectorOption, cursor: bool, ticked: bool, width: int) -> Strip:
        base, cursor_style, button, button_ticked = self._styles
        line = cursor_style if cursor else base
        box = base + (button_ticked if ticked else button)
        prompt = option.prompt.copy()
        prompt.truncate(max(width - 4, 1), overflow="ellipsis")
        segments = [
            Segment(BUTTON_LEFT, line),
            Segment(TICKED if ticked else UNTICKED, box),
            Segment(BUTTON_RIGHT, line),
            Segment(" ", line),
            *(
                Segment(seg.text, line + seg.style if seg.style else line)
                for seg in render_text(self.app.console, prompt)
            ),
        ]
        return Strip(segments).extend_cell_length(width, line).crop(0, width)

    # ------------------------------------------------------------------------ cursor
    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        for index in (old, new):
            if index is not None:
                self._forget_row(index)
        if new is not None:
            self.scroll_to_region(Region(0, new, 1, 1), animate=False, immediate=True, force=True)

    def _move(self, step: int) -> None:
        if self.options:
            current = self.highlighted if self.highlighted is not None else -1
            self.highlighted = max(0, min(len(self.options) - 1, current + step))

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_first(self) -> None:
        if self.options:
            self.highlighted = 0

    def action_last(self) -> None:
        if self.options:
            self.highlighted = len(self.options) - 1

    def action_page_up_rows(self) -> None:
        self._move(-max(self.size.height - 1, 1))

    def action_page_down_rows(self) -> None:
        self._move(max(self.size.height - 1, 1))

    def action_tick(self) -> None:
        option = self.highlighted_option
        if option is None:
            return
        chosen = [s for s in self._selected if s != option.id]
        if len(chosen) == len(self._selected):
            chosen.append(option.id)
        order = [o.id for o in self.options]
        ordered = tuple(sorted(chosen, key=lambda s: order.index(s) if s in order else 0))
        self.set_selected(ordered)
        self.post_message(self.Chosen(ordered))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = int(self.scroll_y) + offset.y
        if 0 <= index < len(self.options):
            self.highlighted = index
            self.action_tick()

    def action_clear(self) -> None:
        if self._selected:
            self.deselect_all()
        else:
            from paradiplo.tui.widgets.regions import ClearRequest

            self.screen.post_message(ClearRequest())
