"""SIGKILL at any moment loses nothing that was saved: real processes, killed mid-write.

Each writer prints a line only after a save has returned (flushed), so every printed note must
be in the database after the kill; the draft being typed is offered back; the file passes
`PRAGMA integrity_check`; and the app's own checks (`queries.check`) still hold.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from paradiplo.db import notes, queries
from paradiplo.db.models import Filters
from paradiplo.db.search import search
from paradiplo.db.store import open_store

from .hostile_helpers import ROOT, add_sample_notes, integrity, overwrite_pages, table_pages

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

WRITER = r"""
import sys
from pathlib import Path
from paradiplo.db import notes
from paradiplo.db.store import open_store

store = open_store(Path(sys.argv[1]))
tag = sys.argv[2]
print("ready", flush=True)
i = 0
while True:
    i += 1
    body = f"{tag} note {i} " + "words " * (i % 40)
    note = notes.add_note(store, "case", "sidoarjo-jinan-2008", body, [tag])
    print(f"N {note.id}", flush=True)
    notes.save_draft(store, "case", "malang-nonsan-2017", f"{tag} typing draft {i}", [tag])
    print(f"D {i}", flush=True)
    if i % 3 == 0:
        edited = notes.update_note(store, note.id, body + " edited", [tag], expected_version=1)
        print(f"U {edited.id}", flush=True)
"""

BUILDER = r"""
import sys
from pathlib import Path
from paradiplo.db import seeds
from paradiplo.db.store import open_store

store = open_store(Path(sys.argv[1]))
data = seeds.load_seeds()
print("ready", flush=True)
i = 0
while True:
    i += 1
    seeds.build(store.conn, data)
    print(f"B {i}", flush=True)
"""


def spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def kill_after(proc: subprocess.Popen[str], lines: int, extra: float) -> list[str]:
    """Read `lines` lines (after 'ready'), wait `extra` seconds, SIGKILL; all lines it printed."""
    assert proc.stdout is not None
    seen: list[str] = []
    first = proc.stdout.readline().strip()
    assert first == "ready", (first, proc.stderr.read() if proc.stderr else "")
    while len(seen) < lines:
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(line.strip())
    time.sleep(extra)
    proc.send_signal(signal.SIGKILL)
    # Read the rest through the same buffered file: communicate() would read the raw pipe and
    # miss lines already sitting in this file's buffer.
    rest = proc.stdout.read()
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return seen + [line.strip() for line in rest.splitlines() if line.strip()]


def test_kill_while_saving_notes_loses_nothing(db_path: Path) -> None:
    rng = random.Random(20260523)
    saved: dict[str, str] = {}
    for rnd in range(4):
        tag = f"w{rnd}"
        lines = kill_after(
            spawn("-c", WRITER, str(db_path), tag), rng.randint(1, 40), rng.random() / 50
        )
        assert integrity(db_path) == "ok", f"round {rnd}"
        store = open_store(db_path)
        try:
            for line in lines:
                kind, value = line.split(" ", 1)
                if kind == "N":
                    saved[value] = tag
                elif kind == "U":
                    assert notes.get_note(store.conn, value).body.endswith(" edited")
            kept = {n.id for n in notes.list_notes(store.conn, target_type="case")}
            assert set(saved) <= kept, f"round {rnd}: lost {set(saved) - kept}"
            last_draft = max((int(v) for k, v in (ln.split(" ", 1) for ln in lines) if k == "D"), default=0)  # fmt: skip
            drafts = notes.list_drafts(store.conn)
            if last_draft:
                bodies = [d.body for d in drafts if d.target_id == "malang-nonsan-2017"]
                assert bodies and bodies[0] in (
                    f"{tag} typing draft {last_draft}",
                    f"{tag} typing draft {last_draft + 1}",
                ), (rnd, bodies, last_draft)
            assert any(h.kind == "note" for h in search(store.conn, f"{tag} note", limit=5))
            assert queries.check(store.conn) == []
        finally:
            store.close()


def test_kill_while_rebuilding_seeds_keeps_notes_and_data(db_path: Path) -> None:
    expected = add_sample_notes(db_path)
    rng = random.Random(7)
    for rnd in range(3):
        kill_after(spawn("-c", BUILDER, str(db_path)), rng.randint(0, 2), rng.uniform(0.0, 0.25))
        assert integrity(db_path) == "ok", f"round {rnd}"
        store = open_store(db_path)
        try:
            assert queries.count_cases(store.conn, Filters()) == 9
            assert queries.check(store.conn) == [], f"round {rnd}"
            for nid, body in expected.items():
                assert notes.get_note(store.conn, nid).body == body
            assert [d.target_id for d in notes.list_drafts(store.conn)] == ["malang-nonsan-2017"]
        finally:
            store.close()


def cli(*args: str) -> subprocess.Popen[str]:
    return spawn("-m", "paradiplo.tui.cli", *args)


def kill_the_cli_after(seconds: float, *args: str) -> None:
    """Start the command line with `args` and SIGKILL it `seconds` later."""
    proc = cli(*args)
    time.sleep(seconds)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)


def test_kill_the_real_cli_mid_build(tmp_path: Path, db_path: Path) -> None:
    """`db build --force` (a seed rebuild) and a first `db build` (a new file), killed at
    random moments: afterwards the file opens and holds everything it held."""
    expected = add_sample_notes(db_path)
    rng = random.Random(11)
    for rnd in range(2):
        kill_the_cli_after(rng.uniform(0.2, 0.9), "--db", str(db_path), "db", "build", "--force")
        assert integrity(db_path) == "ok", f"round {rnd}"
        store = open_store(db_path)
        assert {n.id for n in notes.list_notes(store.conn)} == set(expected)
        store.close()
    fresh = tmp_path / "fresh" / "new.db"
    for rnd in range(2):
        kill_the_cli_after(rng.uniform(0.2, 0.9), "--db", str(fresh), "db", "build")
        store = open_store(fresh)  # never "another program's database", never half-built
        assert queries.count_cases(store.conn, Filters()) == 9, f"round {rnd}"
        store.close()
        assert integrity(fresh) == "ok"
        fresh.unlink()
    leftovers = [p.name for p in fresh.parent.glob(".new.db.new-*") if not p.name.endswith(("-wal", "-shm"))]  # fmt: skip
    assert len(leftovers) <= 2  # a killed build may leave its temporary file, never the db


def test_kill_while_replacing_a_damaged_database(db_path: Path) -> None:
    """The rebuild that replaces a damaged file, killed at random moments: the next run
    finishes it and every note is there."""
    expected = add_sample_notes(db_path)
    overwrite_pages(db_path, table_pages(db_path, "evidence", "search_docs"))
    rng = random.Random(3)
    kill_the_cli_after(rng.uniform(0.3, 1.0), "--db", str(db_path), "db", "build", "--force")
    done = subprocess.run(
        [sys.executable, "-m", "paradiplo.tui.cli", "--db", str(db_path), "db", "build", "--force"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert integrity(db_path) == "ok"
    store = open_store(db_path)
    try:
        assert {n.id for n in notes.list_notes(store.conn)} >= set(expected)
        assert [d.target_id for d in notes.list_drafts(store.conn)] == ["malang-nonsan-2017"]
    finally:
        store.close()
