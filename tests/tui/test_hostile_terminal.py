"""The real program in a real (pseudo) terminal that calls itself dumb, or has no colour:
it starts, shows the cases, and quits cleanly on `q`; with NO_COLOR it draws in greys only."""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.hostile_helpers import ROOT


def run_in_pty(
    db: Path, env: dict[str, str], keys: bytes, size: tuple[int, int]
) -> tuple[int, bytes]:
    """Start `paradiplo-tui --db db` on a pty; once it shows the case count, type `keys`."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "--db", str(db)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=ROOT,
        env={**os.environ, **env},
        start_new_session=True,
    )
    os.close(slave)
    seen = b""
    sent = False
    deadline = time.monotonic() + 40
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    seen += os.read(master, 65536)
                except OSError:
                    break
            if not sent and b"cases" in seen:
                time.sleep(0.3)
                os.write(master, keys)
                sent = True
        code = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    assert sent, f"the app never showed its cases: {seen[-600:]!r}"
    return code, seen


@pytest.mark.parametrize(
    "env",
    [{"TERM": "dumb"}, {"TERM": "xterm-256color", "NO_COLOR": "1"}],
    ids=["dumb", "no-color"],
)
def test_real_terminal_starts_and_quits(db_path: Path, env: dict[str, str]) -> None:
    code, seen = run_in_pty(db_path, env, b"jj4q", (60, 20))
    assert code == 0, seen[-600:]
    assert b"Traceback" not in seen
    if env.get("NO_COLOR"):  # monochrome: only greys (the 256-colour grey ramp, black, white)
        used = {int(n) for n in re.findall(rb"[34]8;5;(\d+)", seen)}
        greys = set(range(232, 256)) | {0, 7, 8, 15, 16, 59, 102, 145, 188, 231}
        assert used and used <= greys, sorted(used - greys)
        assert not re.search(rb"[34]8;2;", seen)
