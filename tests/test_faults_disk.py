"""A full disk: reading still works (read-only, saying why), every failed write says the disk
is full and leaves the database as it was, and `db build --force` reports the full disk (not
"cannot rollback - no transaction is active").

The disk is a tiny tmpfs in a private mount namespace (`unshare -rm`): it fills up for root
too, so these tests cannot pass trivially in CI. `PRAGMA max_page_count` makes SQLite report
a full database without any mount, for machines where namespaces are not allowed.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest

from paradiplo.db import notes, notes_io, queries, seeds
from paradiplo.db.errors import DatabaseProblem
from paradiplo.db.models import Filters
from paradiplo.db.store import open_store

from .hostile_helpers import (
    add_sample_notes,
    in_private_mounts,
    needs_mounts,
    tiny_tmpfs,
)

CASE = "sidoarjo-jinan-2008"

# Run inside the namespace: copy the database onto the small disk, fill the disk up to
# `leave` KiB, then run each command of the CLI and report what it printed, as JSON.
SCENARIO = r"""
import hashlib, json, os, shutil, subprocess, sys
src, disk, leave, commands = sys.argv[1], sys.argv[2], int(sys.argv[3]), json.loads(sys.argv[4])
db = os.path.join(disk, "p.db")
shutil.copy(src, db)
free = shutil.disk_usage(disk).free - leave * 1024
with open(os.path.join(disk, "filler"), "wb") as fh:
    block = b"\0" * 4096
    while free > 0:
        try:
            fh.write(block[: min(4096, free)])
            fh.flush()
        except OSError:
            break
        free -= 4096
def digest():
    return hashlib.sha256(open(db, "rb").read()).hexdigest()
out = {"before": digest(), "free_kib": shutil.disk_usage(disk).free // 1024, "runs": []}
for args in commands:
    res = subprocess.run([sys.executable, "-m", "paradiplo.tui.cli", "--db", db, *args],
                         capture_output=True, text=True, timeout=120)
    out["runs"].append([args, res.returncode, res.stdout, res.stderr])
out["after"] = digest()
out["files"] = sorted(os.listdir(disk))
print(json.dumps(out))
"""

BROWSE = [
    ["cases", "list", "--json"],
    ["--read-only", "cases", "list", "--json"],
    ["cases", "show", CASE, "--json"],
    ["search", "Jinan", "--json"],
    ["notes", "list", "--json"],
]


def scenario(tmp_path: Path, db: Path, leave_kib: int, commands: list[list[str]]) -> dict:
    disk = tmp_path / "disk"
    disk.mkdir()
    res = in_private_mounts(
        tiny_tmpfs(disk, 2048),
        [sys.executable, "-c", SCENARIO, str(db), str(disk), str(leave_kib), json.dumps(commands)],
    )
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def no_traceback(run: list) -> None:
    args, _code, out, err = run
    assert "Traceback" not in out + err and "Unexpected" not in err, (args, err)


@needs_mounts
def test_a_full_disk_still_browses_and_writes_say_disk_full(db_path: Path, tmp_path: Path) -> None:
    add_sample_notes(db_path)
    writes = [["notes", "add", CASE, "written on a full disk"], ["db", "build", "--force"]]
    got = scenario(tmp_path, db_path, 0, [*BROWSE, *writes])
    assert got["free_kib"] < 8
    runs = got["runs"]
    for run in runs:
        no_traceback(run)
    for args, code, out, err in runs[: len(BROWSE)]:
        assert code == 0, (args, err)
        json.loads(out)
        if "--read-only" not in args:  # opened read-only, and the reason is said once
            assert "read-only" in err and "disk" in err and "full" in err, err
    assert len(json.loads(runs[0][2])) == 9
    assert len(json.loads(runs[4][2])) == 4
    for args, code, _out, err in runs[len(BROWSE) :]:
        assert code == 1, (args, err)
        assert "full" in err and "Error: " in err, err
        assert "cannot rollback" not in err
    assert got["after"] == got["before"]  # the database is as it was
    assert [f for f in got["files"] if ".bak" in f or ".rebuild" in f or ".new-" in f] == []


@needs_mounts
@pytest.mark.parametrize("leave_kib", [40, 136, 300])
def test_a_rebuild_on_a_nearly_full_disk_says_disk_full_and_keeps_the_data(
    db_path: Path, tmp_path: Path, leave_kib: int
) -> None:
    add_sample_notes(db_path)
    commands = [["db", "build", "--force"], ["notes", "list", "--json"], ["db", "check"]]
    got = scenario(tmp_path, db_path, leave_kib, commands)
    (_args, code, _out, err), listed, checked = got["runs"]
    no_traceback(got["runs"][0])
    assert "cannot rollback" not in err
    if code != 0:  # it did not fit: said so, nothing changed
        assert "full" in err, err
        assert "Nothing was changed" in err or "nothing was saved" in err, err
    assert listed[1] == 0 and len(json.loads(listed[2])) == 4
    assert checked[1] == 0, checked[3]


# ------------------------------------------------------------- without mounts: page limit
def _limit(conn: sqlite3.Connection, extra_pages: int) -> None:
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages + extra_pages}")


def test_writes_that_do_not_fit_say_full_and_change_nothing(db_path: Path, tmp_path: Path) -> None:
    """SQLite reports SQLITE_FULL once the file may not grow: the same path as a full disk."""
    add_sample_notes(db_path)
    store = open_store(db_path)
    before = [(n.id, n.body) for n in notes.list_notes(store.conn)]
    _limit(store.conn, 0)
    with pytest.raises(DatabaseProblem, match="full") as caught:
        notes.add_note(store, "case", CASE, "x " * 200_000)
    assert "nothing was saved" in str(caught.value)
    with pytest.raises(sqlite3.DatabaseError, match="full"):  # not "cannot rollback"
        seeds.build(store.conn, seeds.load_seeds())
    export = tmp_path / "n.json"
    export.write_text(
        json.dumps({"notes": [{"id": f"imp{i}", "target_type": "case", "target_id": CASE,
                               "body": "y " * 5000} for i in range(200)]}),
        encoding="utf-8",
    )  # fmt: skip
    with pytest.raises(DatabaseProblem, match="full"):
        notes_io.import_notes_json(store, export)
    assert [(n.id, n.body) for n in notes.list_notes(store.conn)] == before
    assert queries.count_cases(store.conn, Filters()) == 9
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.close()
