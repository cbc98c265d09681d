"""Ending the app on SIGTERM or SIGHUP as cleanly as on `q`.

Without this the process dies where it stands: the terminal is left in the app's modes
(alternate screen, mouse tracking, hidden cursor, raw input) and the draft typed in the last
half second is lost. With it, the signal asks the app to write the open editors' drafts and
to exit as usual (Textual then restores the terminal). Should the app not manage that in a
few seconds (its event loop stuck), the terminal is restored here and the process ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

# How long the app has to exit by itself before the terminal is restored by force.
GRACE_SECONDS = 5.0
SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
# What closes the modes the app opens: mouse tracking (every kind), bracketed paste, the
# Kitty keyboard protocol, focus events, the alternate screen; then the cursor is shown.
RESTORE = (
    "\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?2004l\x1b[<u\x1b[?1004l\x1b[?1049l\x1b[?25h"
)


def save_drafts(app: Any) -> None:
    """Every open editor writes its unsaved text as a draft, now."""
    for screen in list(getattr(app, "screen_stack", [])):
        save = getattr(screen, "save_draft_now", None)
        if callable(save):
            try:
                save()
            except Exception:  # a draft that cannot be written must not keep the app alive
                pass


def _terminal_fd() -> int | None:
    for stream in (sys.__stdout__, sys.__stderr__, sys.__stdin__):
        try:
            if stream is not None and os.isatty(stream.fileno()):
                return stream.fileno()
        except (OSError, ValueError):
            continue
    return None


def _force_restore(attrs: list[Any] | None, code: int) -> None:
    """Last resort, from a watchdog thread: put the terminal back and end the process."""
    fd = _terminal_fd()
    if fd is not None:
        with contextlib.suppress(OSError):
            os.write(fd, RESTORE.encode())
        if attrs is not None:
            import termios

            with contextlib.suppress(termios.error, OSError):
                termios.tcsetattr(fd, termios.TCSANOW, attrs)
    os._exit(code)


def _ending(app: Any, signum: int) -> None:
    """In the app's event loop: drafts first, then the usual exit."""
    save_drafts(app)
    app.exit(return_code=128 + signum)


@contextlib.contextmanager
def end_cleanly_on_signals(app: Any) -> Iterator[None]:
    """While the app runs: SIGTERM and SIGHUP save drafts and exit, restoring the terminal."""
    if threading.current_thread() is not threading.main_thread() or not SIGNALS:
        yield
        return
    attrs = None
    fd = _terminal_fd()
    if fd is not None:
        try:
            import termios

            attrs = termios.tcgetattr(fd)  # the terminal as it was before the app
        except (ImportError, OSError, Exception):
            attrs = None
    ending = threading.Event()

    def handler(signum: int, _frame: FrameType | None) -> None:
        if ending.is_set():
            return
        ending.set()
        watchdog = threading.Timer(GRACE_SECONDS, _force_restore, (attrs, 128 + signum))
        watchdog.daemon = True
        watchdog.start()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not running yet, or finished: nothing to save, just end
            raise SystemExit(128 + signum) from None
        loop.call_soon_threadsafe(_ending, app, signum)

    previous = {sig: signal.signal(sig, handler) for sig in SIGNALS}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
