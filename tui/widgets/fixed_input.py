"""A text field whose typing never re-arranges the screen.

Textual's `Input` sets its `virtual_size` to the width of its text on every change, and
`virtual_size` asks for a layout of the whole screen. A field whose size the stylesheet fixes
(every field in this app) moves no other widget when its text grows, so a repaint is enough.
On the search screen that layout re-drew fifty results at every keystroke: the character
showed up a frame or two late.
"""

from __future__ import annotations

from textual.geometry import Region
from textual.widgets import Input


class FixedInput(Input):
    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> FixedInput:
        if layout and self.is_mounted and not self.styles.auto_dimensions:
            layout = False
        super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
        return self
