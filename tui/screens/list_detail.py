"""The layout of the sources and glossary screens: the header, a list (left pane) beside what
its highlighted item says (right pane, scrolling), and the key bar."""

from __future__ import annotations

from typing import Any, TypeVar

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header

from paradiplo.tui.widgets.keybar import KeyBar

ResultT = TypeVar("ResultT")


class ListDetailScreen(Screen[ResultT]):
    """Composes #NAME-body holding #NAME-list (`make_list`) and #NAME-detail (`compose_detail`),
    then `compose_below`, between the header and the key bar."""

    NAME = ""

    def make_list(self, **kwargs: Any) -> Widget:
        raise NotImplementedError

    def compose_detail(self) -> ComposeResult:
        raise NotImplementedError

    def compose_below(self) -> ComposeResult:
        yield from ()

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Horizontal(id=f"{self.NAME}-body"):
            yield self.make_list(id=f"{self.NAME}-list", classes="pane")
            with VerticalScroll(id=f"{self.NAME}-detail", classes="pane"):
                yield from self.compose_detail()
        yield from self.compose_below()
        yield KeyBar()
