"""The Textual app and the `paradiplo-tui` command line."""

import gc
import os

# Frames a second Textual may draw (its default is 60). A frame is drawn only when something
# on screen changed. Textual's frame timer pauses when nothing changes and, once resumed, skips
# ahead a whole period: at 60 a key typed after a pause waited 17 to 33 ms for its frame, at
# 120 it waits 8 to 17 ms. Set before Textual is imported; TEXTUAL_FPS in the environment wins.
FPS = 120
os.environ.setdefault("TEXTUAL_FPS", str(FPS))


# Start-up (importing Textual and the app, building the first screen) makes some 100,000
# objects and frees almost none: the garbage collector's passes meanwhile only walk them. It is
# paused from the launch (tui/cli.py `entry`) or the app's load, whichever comes first, until
# the first screen is drawn; then what start-up built is frozen, out of every later pass.
_collector_paused = False


def pause_collector() -> None:
    """Pause the garbage collector for start-up (if it is on and not paused already)."""
    global _collector_paused
    if gc.isenabled():
        gc.disable()
        _collector_paused = True


def resume_collector() -> bool:
    """The collector back on, with everything built so far frozen; True if it was paused by
    `pause_collector` (the caller then owns the freeze: `gc.unfreeze` undoes it)."""
    global _collector_paused
    if not _collector_paused:
        return False
    _collector_paused = False
    gc.freeze()
    gc.enable()
    return True
