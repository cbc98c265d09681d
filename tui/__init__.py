"""The Textual app and the `paradiplo-tui` command line."""

import os

# Frames a second Textual may draw (its default is 60). A frame is drawn only when something
# on screen changed. Textual's frame timer pauses when nothing changes and, once resumed, skips
# ahead a whole period: at 60 a key typed after a pause waited 17 to 33 ms for its frame, at
# 120 it waits 8 to 17 ms. Set before Textual is imported; TEXTUAL_FPS in the environment wins.
FPS = 120
os.environ.setdefault("TEXTUAL_FPS", str(FPS))
