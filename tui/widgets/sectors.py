"""The Sectors pane: the sector vocabulary with case counts under the current filters.

Space or Enter toggles a sector; the agreements narrow to cases tagged with every sector ticked.
Counts are refreshed in place whenever the other filters change, so the selection and the
cursor stay where they are. Sectors with no case under the filters are dimmed, not hidden.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import SelectionList
from textual.widgets.selection_list import Selection

from db.models import SectorCount
from tui.widgets.text import one_line


class SectorList(SelectionList[str]):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="sectors.down"),
        Binding("k", "cursor_up", "Up", show=False, id="sectors.up"),
        Binding("escape", "clear", "Clear", show=False, id="sectors.clear"),
    ]

    @dataclass
    class Chosen(Message):
        """The ticked sectors changed (by the user)."""

        sectors: tuple[str, ...]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._expected: frozenset[str] = frozenset()
        self.loaded = False
        self._digits = 1
        self.labels: dict[str, str] = {}
        self._shown: dict[str, SectorCount] = {}

    def _prompt(self, sector: SectorCount) -> Text:
        """Count first (right-aligned), so long sector names never hide it."""
        text = Text(f"{sector.count:>{self._digits}} ", style="bold" if sector.count else "dim")
        text.append_text(one_line(sector.label_en, style="" if sector.count else "dim"))
        return text

    def show(self, counts: list[SectorCount], selected: tuple[str, ...]) -> None:
        """Fill the list, or update in place only the counts that changed."""
        ids = [c.id for c in counts]
        digits = max((len(str(c.count)) for c in counts), default=1)
        current = [str(o.id) for o in self.options]
        self.labels = {c.id: c.label_en for c in counts}
        self._expected = frozenset(selected)
        redo_all = digits != self._digits
        self._digits = digits
        if ids == current:
            for c in counts:
                if redo_all or self._shown.get(c.id) != c:
                    self.replace_option_prompt(c.id, self._prompt(c))
        else:
            highlighted = self.highlighted
            self.clear_options()
            self.add_options(
                [Selection(self._prompt(c), c.id, c.id in selected, id=c.id) for c in counts]
            )
            if counts:
                self.highlighted = min(highlighted or 0, len(counts) - 1)
        self._shown = {c.id: c for c in counts}
        self.set_selected(selected)
        self.loaded = True

    def set_selected(self, selected: tuple[str, ...]) -> None:
        """Tick exactly `selected` without reporting it as a user choice.

        SelectedChanged arrives later as a message, so a flag would be gone by then; instead
        the handler ignores any change that leaves the ticks as expected.
        """
        self._expected = frozenset(selected)
        for sid in self.labels:
            if sid in selected and sid not in self.selected:
                self.select(sid)
            elif sid not in selected and sid in self.selected:
                self.deselect(sid)

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        event.stop()
        if frozenset(self.selected) == self._expected:
            return
        self._expected = frozenset(self.selected)
        order = list(self.labels)
        chosen = tuple(sorted(self.selected, key=lambda s: order.index(s) if s in order else 0))
        self.post_message(self.Chosen(chosen))

    def action_clear(self) -> None:
        if self.selected:
            self.deselect_all()
        else:
            from tui.widgets.regions import ClearRequest

            self.screen.post_message(ClearRequest())
