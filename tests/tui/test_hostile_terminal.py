"""The real program in a real (pseudo) terminal that calls itself dumb, or has no colour:
it starts, shows the cases, and quits cleanly on `q`; with NO_COLOR it draws in greys only."""

from __future__ import annotations

import fcntl
import os
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.hostile_helpers import (
    ROOT,
    needs_mounts,
    read_only_folder,
    tiny_tmpfs,
)


def run_in_pty(
    db: Path,
    env: dict[str, str],
    keys: bytes,
    size: tuple[int, int],
    prefix: tuple[str, ...] = (),
) -> tuple[int, bytes]:
    """Start `paradiplo-tui --db db` on a pty; once it shows the case count, type `keys`.
    `prefix` runs it through another command (a private mount namespace)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    proc = subprocess.Popen(
        [*prefix, sys.executable, "-m", "paradiplo.tui.cli", "--db", str(db)],
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


# ------------------------------------------------------------------ SIGTERM and SIGHUP
def _read_until(master: int, proc: subprocess.Popen[bytes], seen: bytearray, want: bytes,
                deadline: float) -> bool:  # fmt: skip
    """Read what the app writes until `want` shows, the deadline, or the app has ended and
    everything it wrote has been read."""
    while time.monotonic() < deadline:
        ended = proc.poll() is not None
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                seen += os.read(master, 65536)
            except OSError:  # the other side is closed: all was read
                return want in seen
        elif ended:
            return want in seen
        if want in seen:
            return True
    return want in seen


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGHUP"])
def test_a_signal_saves_the_draft_and_restores_the_terminal(
    db_path: Path, tmp_path: Path, sig: str
) -> None:
    from paradiplo.db import notes
    from paradiplo.db.store import open_store

    signum = getattr(signal, sig)
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "paradiplo.tui.cli", "--db", str(db_path)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=ROOT,
        env={**os.environ, "TERM": "xterm-256color"},
        start_new_session=True,
    )
    os.close(slave)
    seen = bytearray()
    try:
        deadline = time.monotonic() + 60
        assert _read_until(master, proc, seen, b"cases", deadline), bytes(seen[-600:])
        # The modes are on: alternate screen, mouse tracking, hidden cursor.
        assert b"\x1b[?1049h" in seen and b"\x1b[?1000h" in seen and b"\x1b[?25l" in seen
        time.sleep(0.5)
        os.write(master, b"3n")  # the agreements list, then a new note on its case
        assert _read_until(master, proc, seen, b"Ctrl+S", deadline) or b"Save" in seen
        start = len(seen)
        os.write(master, "signal-draft-\u00e9t\u00e9".encode())
        # Wait until the whole text is drawn (the app has every key), not only its start.
        typed = "signal-draft-\u00e9t\u00e9".encode()
        _read_until(master, proc, seen, typed, deadline)
        assert typed in seen[start:], bytes(seen[-800:])
        proc.send_signal(signum)  # before the half-second draft timer fires
        _read_until(master, proc, seen, b"\x00never", time.monotonic() + 30)  # keep reading:
        code = proc.wait(timeout=5)  # a full pty would block the app's last writes
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    tail = bytes(seen[-3000:])
    assert code == 128 + signum, (code, tail)
    assert b"Traceback" not in seen
    for closing in (b"\x1b[?1049l", b"\x1b[?25h", b"\x1b[?1000l", b"\x1b[?1003l"):
        assert closing in tail, (closing, tail)
    store = open_store(db_path)
    drafts = notes.list_drafts(store.conn)
    store.close()
    assert any(d.body == "signal-draft-\u00e9t\u00e9" for d in drafts), drafts


@needs_mounts
def test_the_app_browses_a_database_on_a_read_only_file_system(
    seeded_template: Path, tmp_path: Path
) -> None:
    folder, setup = read_only_folder(tmp_path)
    db = folder / "p.db"
    shutil.copy(seeded_template, db)
    prefix = ("unshare", "-rm", "sh", "-c", f'{setup} && exec "$@"', "sh")
    code, seen = run_in_pty(db, {"TERM": "xterm-256color"}, b"3jj4q", (120, 40), prefix)
    assert code == 0, seen[-600:]
    assert b"Traceback" not in seen and b"read-only" in seen
    assert sorted(p.name for p in folder.iterdir()) == ["p.db"]


@needs_mounts
def test_the_app_browses_a_database_on_a_full_disk(seeded_template: Path, tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    db = disk / "p.db"
    setup = (
        f"{tiny_tmpfs(disk, 1024)} && cp '{seeded_template}' '{db}'"
        f" && (dd if=/dev/zero of='{disk}/filler' bs=4k 2>/dev/null || true)"
    )
    prefix = ("unshare", "-rm", "sh", "-c", f'{setup} && exec "$@"', "sh")
    code, seen = run_in_pty(db, {"TERM": "xterm-256color"}, b"3jj4nq", (140, 40), prefix)
    assert code == 0, seen[-600:]
    assert b"Traceback" not in seen
    assert b"read-only" in seen and b"disk" in seen and b"full" in seen
