"""A one-line footer of the keys in force, drawn as a single line of text.

Textual's Footer recomposes a widget per key on every focus change; on this app's busy main
screen that was over half the cost of moving between panes. This bar renders the same
information (focused widget's keys first, then the screen's and the app's, remapped keys
included) as one Text, and still runs a key's action when it is clicked.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget

from paradiplo.db.i18n import _
from paradiplo.db.record import record


@record
class _Hit:
    """Where a key of the bar is drawn (columns `start`-`end`) and what it runs."""

    start: int
    end: int
    action: str
    node: DOMNode


class KeyBar(Widget):
    """The bindings of the focused widget, the screen and the app, with Ctrl+P on the right."""

    COMPONENT_CLASSES = {"keybar--key", "keybar--description", "keybar--disabled"}

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    KeyBar > .keybar--key { color: $footer-key-foreground; text-style: bold; }
    KeyBar > .keybar--description { color: $footer-description-foreground; }
    KeyBar > .keybar--disabled { color: $text-disabled; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._hits: list[_Hit] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self.refresh()

    def _items(self) -> list[tuple[DOMNode, Binding, bool]]:
        seen: set[tuple[str, str]] = set()
        items: list[tuple[DOMNode, Binding, bool]] = []
        palette_key = self.app.COMMAND_PALETTE_BINDING
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.show or key == palette_key:
                continue
            ident = (binding.action, binding.description)
            if ident in seen:
                continue
            seen.add(ident)
            items.append((active.node, binding, active.enabled))
        return items

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keybar--key", partial=True)
        desc_style = self.get_component_rich_style("keybar--description", partial=True)
        off_style = self.get_component_rich_style("keybar--disabled", partial=True)
        width = self.size.width
        text = Text(no_wrap=True, overflow="ellipsis")
        self._hits = []
        palette = Text()
        if self.app.ENABLE_COMMAND_PALETTE:
            palette.append(" ^p ", style=key_style)
            palette.append(_("palette") + " ", style=desc_style)
        room = max(width - palette.cell_len, 0)
        for node, binding, enabled in self._items():
            item = Text()
            item.append(f" {self.app.get_key_display(binding)} ", style=key_style)
            item.append(_(binding.description), style=desc_style)
            item.append(" ")
            if not enabled:
                item.stylize(off_style)
            if text.cell_len + item.cell_len > room:
                break
            start = text.cell_len
            text.append_text(item)
            self._hits.append(_Hit(start, text.cell_len, binding.action, node))
        if palette:
            text.append(" " * max(room - text.cell_len, 0))
            start = text.cell_len
            text.append_text(palette)
            self._hits.append(_Hit(start, text.cell_len, "app.command_palette", self.app))
        return text

    async def on_click(self, event: events.Click) -> None:
        for hit in self._hits:
            if hit.start <= event.x < hit.end:
                await self.app.run_action(hit.action, hit.node)
                return
