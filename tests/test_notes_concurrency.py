"""Two windows (connections, processes) writing notes to one database at once: no note lost,
no 'database is locked', and a later edit of the same note is detected, not silently applied."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from paradiplo.db import notes as notes_api
from paradiplo.db.errors import ConflictError
from paradiplo.db.store import open_store

CASE = "sidoarjo-jinan-2008"
OTHER = "malang-nonsan-2017"
PER_WRITER = 40
CLI_PROCESSES = 2
SCRIPT_PROCESSES = 2


def test_two_stores_in_threads_lose_nothing(db_path: Path) -> None:
    stores = [open_store(db_path), open_store(db_path)]
    errors: list[BaseException] = []
    start = threading.Barrier(len(stores))

    def writer(i: int) -> None:
        s = stores[i]
        try:
            start.wait()
            for k in range(PER_WRITER):
                note = notes_api.add_note(s, "case", CASE, f"writer {i} note {k}", [f"w{i}"])
                notes_api.save_draft(s, "case", OTHER, f"draft {i} {k}", note_id=None)
                if k % 4 == 0:
                    notes_api.update_note(
                        s, note.id, f"writer {i} note {k} edited", [f"w{i}"], expected_version=1
                    )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(len(stores))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    try:
        assert errors == []
        notes = notes_api.list_notes(stores[0].conn)
        assert len(notes) == 2 * PER_WRITER
        for i in range(2):
            mine = notes_api.list_notes(stores[1].conn, tag=f"w{i}")
            assert len(mine) == PER_WRITER
            assert sum(n.body.endswith("edited") for n in mine) == PER_WRITER // 4
    finally:
        for s in stores:
            s.close()


def test_later_edit_of_the_same_note_is_detected(db_path: Path) -> None:
    a, b = open_store(db_path), open_store(db_path)
    try:
        note = notes_api.add_note(a, "case", CASE, "original")
        mine = notes_api.get_note(a.conn, note.id)
        theirs = notes_api.get_note(b.conn, note.id)
        notes_api.update_note(b, theirs.id, "their edit", [], expected_version=theirs.version)
        with pytest.raises(ConflictError) as err:
            notes_api.update_note(a, mine.id, "my edit", [], expected_version=mine.version)
        assert err.value.current_body == "their edit"
        assert notes_api.get_note(a.conn, note.id).body == "their edit"  # nothing overwritten
        # "Save mine as a new note" keeps both.
        notes_api.add_note(a, "case", CASE, "my edit")
        assert {n.body for n in notes_api.list_notes(b.conn)} == {"their edit", "my edit"}
    finally:
        a.close()
        b.close()


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PARADIPLO_DATA_DIR"] = str(tmp_path / "data")
    env["PARADIPLO_CONFIG_DIR"] = str(tmp_path / "config")
    env.pop("PARADIPLO_DB", None)
    return env


ADD_MANY = """
import sys
from pathlib import Path
from paradiplo.db.store import open_store
from paradiplo.db import notes
s = open_store(Path(sys.argv[1]))
for k in range(int(sys.argv[3])):
    notes.add_note(s, "case", sys.argv[4], f"process {sys.argv[2]} note {k}", ["proc"])
"""


def test_processes_adding_notes_at_once_lose_nothing(db_path: Path, tmp_path: Path) -> None:
    """`paradiplo-tui notes add` in parallel processes, and two busy writer processes."""
    env = _env(tmp_path)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", ADD_MANY, str(db_path), str(i), str(PER_WRITER), OTHER],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(SCRIPT_PROCESSES)
    ]
    procs += [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "paradiplo.tui.cli",
                "--db",
                str(db_path),
                "notes",
                "add",
                CASE,
                f"cli note {i}",
                "--tag",
                "cli",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(CLI_PROCESSES)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
        assert "locked" not in out + err
    s = open_store(db_path)
    try:
        cli = notes_api.list_notes(s.conn, tag="cli")
        assert sorted(n.body for n in cli) == sorted(f"cli note {i}" for i in range(CLI_PROCESSES))
        assert len(notes_api.list_notes(s.conn, tag="proc")) == SCRIPT_PROCESSES * PER_WRITER
    finally:
        s.close()
