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

from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.widget import Widget


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
