"""The first screen in a real terminal: tmux, as a user launches the app.

Each run starts a new tmux session (on a tmux server of its own, started once, without the
user's configuration) running one command, then reads the screen (`capture-pane`) every
couple of milliseconds until every marker of a filled first screen is on it. The clock runs
from just before the session is asked for. The bare app (a Textual app showing one line) runs
the same way, alternately, so both pay the same tmux and polling costs.

`paradiplo-tui --db DB` is the installed command, as a user types it: its command-line layer
(click), the store opened before the app, the terminal driver and every frame written to the
terminal count, as they do for a user.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import cli_command

SIZE = ("160", "50")
POLL_S = 0.002
TIMEOUT_S = 30.0
SERVER = f"paradiplo-bench-{os.getpid()}"

# On screen only once each pane shows data: the agreements' count line, the sectors' boxes,
# the region tree's open node, and the Detail pane's facts.
APP_MARKERS = (" cases  ·", "[ ] ", "▼ ", "Indonesian party")
FLOOR_APP = Path(__file__).resolve().parent / "floor_app.py"
BARE_TEXT = "bare textual app"
BARE_APP = f"""
from textual.app import App
from textual.widgets import Static


class Bare(App):
    def compose(self):
        yield Static({BARE_TEXT!r})


Bare().run()
"""


class TerminalFailed(RuntimeError):
    """A run in tmux did not show its screen in time (reported, not fatal: bench/measure.py)."""


def available() -> bool:
    return shutil.which("tmux") is not None


class Terminal:
    """A tmux server of the bench's own, for timing commands until their screen shows."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.bare_script = Path(tempfile.mkdtemp(prefix="bare-")) / "bare.py"
        self.bare_script.write_text(BARE_APP, encoding="utf-8")
        # A session that outlives the runs keeps the server up between them; every window
        # is SIZE, whatever terminal (if any) the bench runs in.
        self._tmux("new-session", "-d", "-s", "keep", "-x", SIZE[0], "-y", SIZE[1], "sleep 1d")
        self._tmux("set-option", "-g", "default-size", "x".join(SIZE))

    def _tmux(self, *args: str) -> str:
        out = subprocess.run(
            ["tmux", "-L", SERVER, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            check=False,
        )
        return out.stdout

    def close(self) -> None:
        self._tmux("kill-server")
        shutil.rmtree(self.bare_script.parent, ignore_errors=True)

    def _timed(self, command: list[str], markers: tuple[str, ...], env: dict[str, str]) -> float:
        """Seconds from asking for the session until every marker is on its screen."""
        setting = [f"{k}={v}" for k, v in env.items()]
        # COLUMNS and LINES (set by some runners, pytest's among them) would win over the
        # window's real size.
        line = shlex.join(["env", "-u", "COLUMNS", "-u", "LINES", *setting, *command])
        t0 = time.monotonic()
        self._tmux("new-session", "-d", "-s", "run", "-x", SIZE[0], "-y", SIZE[1], line)
        try:
            while True:
                screen = self._tmux("capture-pane", "-p", "-t", "run")
                if all(m in screen for m in markers):
                    return time.monotonic() - t0
                if time.monotonic() - t0 > TIMEOUT_S:
                    raise TerminalFailed(f"{command} did not show {markers}:\n{screen}")
                time.sleep(POLL_S)
        finally:
            self._tmux("kill-session", "-t", "run")
            time.sleep(0.2)  # the killed app exits before the next starts

    def bare(self) -> float:
        return self._timed(
            [sys.executable, str(self.bare_script)], (BARE_TEXT,), {"TEXTUAL_FPS": "120"}
        )

    def floor(self) -> float:
        """The first screen's layout, stylesheet and kinds of widgets in plain Textual, with
        fixed text and no paradiplo code (bench/floor_app.py): Textual's own cost of the
        screen."""
        return self._timed([sys.executable, str(FLOOR_APP)], APP_MARKERS, {"TEXTUAL_FPS": "120"})

    def app(self, db: Path) -> float:
        config = tempfile.mkdtemp(prefix="config-", dir=self.env["PARADIPLO_DATA_DIR"])
        env = {
            "PARADIPLO_DATA_DIR": self.env["PARADIPLO_DATA_DIR"],
            "PARADIPLO_CONFIG_DIR": config,  # a first launch: no remembered state
            "PARADIPLO_LANG": "en",
        }
        return self._timed([*cli_command(), "--db", str(db)], APP_MARKERS, env)
