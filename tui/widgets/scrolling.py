"""Changing how much a line-drawn list holds without re-arranging the whole screen.

A widget's `virtual_size` is a Textual reactive that asks for a screen layout when it changes.
For a list that draws its own lines (a `ScrollView`) a layout only matters when the scrollbar
appears or disappears (the width left for the rows changes). Otherwise a layout is pure
cost: Textual re-arranges every widget, and after any layout it refreshes the scrollbars of
every scroll view on the screen, which costs one more frame (up to 33 ms of waiting at
60 frames a second). `set_virtual_size` skips the layout when the scrollbar stays as it is
and updates the scrollbar's thumb directly, so new content shows in the very next frame.
Lists whose length changes all the time (the agreements, a case's detail) keep their
scrollbar (`overflow-y: scroll`): it never comes and goes, so they never need a layout.
"""

from __future__ import annotations

from typing import Any, cast

from rich.style import Style
from textual.geometry import Region, Size
from textual.reactive import Reactive
from textual.scroll_view import ScrollView
from textual.widget import Widget


def row_styles(widget: Widget, *components: str) -> tuple[Style, ...]:
    """The widget's style, then each component class's on top of it. A line list looks them
    up once per repaint (each lookup walks the DOM), not once per row."""
    base = widget.rich_style
    return (base, *(base + widget.get_component_rich_style(c) for c in components))


def row_width(view: Widget) -> int:
    """The width a line list draws its rows at (the widget's, before its first layout)."""
    return view.scrollable_content_region.width or view.size.width


def set_virtual_size(view: ScrollView, size: Size) -> None:
    """Set `view.virtual_size`, with a layout only if its vertical scrollbar must appear or go.

    Assumes vertical scrolling only (`overflow-x: hidden`), as in this app's line lists.
    """
    if size == view.virtual_size:
        return
    container = view.container_size
    overflow = view.styles.overflow_y
    if not view.is_mounted or not container or overflow not in ("auto", "scroll"):
        view.virtual_size = size
        return
    show = overflow == "scroll" or size.height > container.height
    if show != view.show_vertical_scrollbar:
        view.virtual_size = size  # the row width changes: a real layout
        return
    view.set_reactive(Widget.virtual_size, size)
    if show:
        bar = view.vertical_scrollbar
        bar.window_virtual_size = size.height
        bar.window_size = container.height
    # Clamp the scroll position to the new height (the validator does the clamping).
    view.scroll_y = view.scroll_y
    view.refresh()


class PaneSized:
    """For a scroll view whose size the stylesheet sets (not `auto`): what it holds never
    moves another widget, so a change of its `virtual_size` (Textual asks for a layout of the
    whole screen then, which also refreshes every scroll view's scrollbars: one more frame)
    updates only its own scrollbar, unless a scrollbar comes or goes. Put it first in the
    bases: `class RegionTree(PaneSized, Tree[...])`.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def watch_virtual_size(self, old: Size, new: Size) -> None:
        view = cast(ScrollView, self)
        container = view.container_size
        if not view.is_mounted or not container:
            return
        styles = view.styles
        show_v = styles.overflow_y == "scroll" or (
            styles.overflow_y == "auto" and new.height > container.height
        )
        show_h = styles.overflow_x == "scroll" or (
            styles.overflow_x == "auto" and new.width > container.width
        )
        if (show_v, show_h) != (view.show_vertical_scrollbar, view.show_horizontal_scrollbar):
            Widget.refresh(view, layout=True)  # a scrollbar comes or goes: the width changes
            return
        if show_v:
            view.vertical_scrollbar.window_virtual_size = new.height
            view.vertical_scrollbar.window_size = container.height - view.scrollbar_size_horizontal
        if show_h:
            view.horizontal_scrollbar.window_virtual_size = new.width
            view.horizontal_scrollbar.window_size = container.width - view.scrollbar_size_vertical
        view.scroll_y = view.scroll_y  # clamped to the new height by the validator
        view.refresh()

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Any:
        """Textual's lists ask for a layout whenever their lines change; sized by the
        stylesheet, a repaint (and `watch_virtual_size` for the scrollbar) does."""
        if layout and self._sized_by_pane():
            layout = False
        return super().refresh(  # type: ignore[misc]
            *regions, repaint=repaint, layout=layout, recompose=recompose
        )

    def _sized_by_pane(self) -> bool:
        view = cast(Widget, self)
        height, width = view.styles.height, view.styles.width
        return (
            view.is_mounted
            and height is not None
            and not height.is_auto
            and (width is None or not width.is_auto)
        )
