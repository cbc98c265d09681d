"""A text field whose typing never re-arranges the screen.

Textual's `Input` sets its `virtual_size` to the width of its text on every change, and
`virtual_size` asks for a layout of the whole screen. A field whose size the stylesheet fixes
(every field in this app) moves no other widget when its text grows, so a repaint is enough:
the same as for the app's lists (`PaneSized`). On the search screen that layout re-drew fifty
results at every keystroke: the character showed up a frame or two late.
"""

from __future__ import annotations

from textual.widgets import Input

from paradiplo.tui.widgets.scrolling import PaneSized


class FixedInput(PaneSized, Input):
    """An `Input` sized by the stylesheet."""
