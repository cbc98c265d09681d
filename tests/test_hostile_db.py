"""Database paths a user can hand us: each gets one clear line and a way forward, never a
traceback; a file that cannot be used is moved aside (kept) by `db build --force`, which copies
the notes into the new database; browsing works read-only where it can, with notes off."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paradiplo.db import notes, queries, schema
from paradiplo.db import store as store_mod
from paradiplo.db.errors import DatabaseProblem, ReadOnlyError
from paradiplo.db.models import Filters
from paradiplo.db.search import search
from paradiplo.db.store import open_store

from .hostile_helpers import (
    IS_ROOT,
    ROOT_SKIP,
    add_sample_notes,
    assert_clear_failure,
    cli,
    cli_command,
    cli_process,
    in_private_mounts,
    integrity,
    needs_mounts,
    overwrite_pages,
    read_only_folder,
    table_pages,
    unprivileged,
    world_dir,
)

BROWSE = [
    ("cases", "list"),
    ("cases", "show", "sidoarjo-jinan-2008"),
    ("search", "Jinan"),
    ("notes", "list"),
    ("db", "stats"),
]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def note_ids(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        return {r[0] for r in conn.execute("SELECT id FROM notes")}
    finally:
        conn.close()


def assert_rebuilt_with_notes(db: Path, expected: dict[str, str], backup_glob: str) -> Path:
    """After `db build --force`: a sound new database holding every note, the old file kept."""
    res = cli(db, "db", "build", "--force")
    assert res.crashed is None and res.code == 0, res.err
    assert "Kept the old file as" in res.err and "(a backup)" in res.err
    assert f"copied {len(expected)} note(s) and 1 draft(s)" in res.out
    backups = list(db.parent.glob(backup_glob))
    assert len(backups) == 1
    assert integrity(db) == "ok"
    s = open_store(db)
    try:
        for nid, body in expected.items():
            assert notes.get_note(s.conn, nid).body == body
        assert [d.target_id for d in notes.list_drafts(s.conn)] == ["malang-nonsan-2017"]
        assert queries.count_cases(s.conn, Filters()) == 9
        assert [h for h in search(s.conn, "Jinan", limit=50) if h.kind == "note"], "searchable"
    finally:
        s.close()
    return backups[0]


# ------------------------------------------------------------------------ missing / directory
def test_missing_file_is_built_and_missing_folder_made(tmp_path: Path) -> None:
    db = tmp_path / "a" / "b" / "new.db"
    res = cli(db, "cases", "list", "--json")
    assert res.code == 0 and len(json.loads(res.out)) == 9


def test_missing_file_in_read_only_mode_is_not_created(tmp_path: Path) -> None:
    db = tmp_path / "none.db"
    text = assert_clear_failure(cli(db, "--read-only", "cases", "list"), "does not exist")
    assert "--read-only" in text
    assert not db.exists()


def test_directory(tmp_path: Path) -> None:
    db = tmp_path / "folder.db"
    db.mkdir()
    for args in [*BROWSE, ("db", "build", "--force"), ("notes", "add", "x", "y")]:
        assert_clear_failure(cli(db, *args), "is a directory")
    assert db.is_dir() and not list(db.iterdir())


def _special(tmp_path: Path, kind: str) -> tuple[Path, Callable[[], bool]]:
    """A special file (or a link to one) named as the database, and a check that it is intact."""
    db = tmp_path / f"{kind}.db"
    if kind == "fifo":
        os.mkfifo(db)
        return db, lambda: stat.S_ISFIFO(db.lstat().st_mode)
    if kind == "socket":
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(db))
        return db, lambda: stat.S_ISSOCK(db.lstat().st_mode)
    if kind == "dev-null-link":  # /dev/null itself only through a link: a regression must
        db.symlink_to(os.devnull)  # never delete the real one on the machine running the tests
        return db, lambda: db.is_symlink() and os.readlink(db) == os.devnull
    if kind == "dangling-link":
        db.symlink_to(tmp_path / "nowhere" / "x.db")
        return db, lambda: db.is_symlink() and not (tmp_path / "nowhere").exists()
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["fifo", "socket", "dev-null-link", "dangling-link"])
def test_special_file_is_refused_and_left_alone(tmp_path: Path, kind: str) -> None:
    db, intact = _special(tmp_path, kind)
    for args in [
        *BROWSE,
        ("--read-only", "cases", "list"),
        ("db", "build"),
        ("db", "build", "--force"),
        ("notes", "add", "x", "y"),
    ]:
        text = assert_clear_failure(cli(db, *args), str(db))
        assert "left as it is" in text, text
        assert intact(), (kind, args)
    assert [p.name for p in tmp_path.iterdir()] == [db.name]  # no backup, no new file
    with pytest.raises(DatabaseProblem, match=r"not a database file|does not exist"):
        open_store(db)


def test_link_to_a_database_is_followed(tmp_path: Path, db_path: Path) -> None:
    link = tmp_path / "link.db"
    link.symlink_to(db_path)
    assert cli(link, "cases", "list").code == 0
    empty = tmp_path / "empty.db"
    empty.touch()
    link2 = tmp_path / "link2.db"
    link2.symlink_to(empty)
    assert cli(link2, "cases", "list").code == 0
    assert link2.is_symlink() and empty.stat().st_size > 0  # built where the link points


# ------------------------------------------------------------------------------ read-only
def test_read_only_switch_browses_and_refuses_notes(db_path: Path) -> None:
    before = digest(db_path)
    for args in BROWSE:
        res = cli(db_path, "--read-only", *args)
        assert res.code == 0 and res.crashed is None, (args, res.err)
    text = assert_clear_failure(
        cli(db_path, "--read-only", "notes", "add", "sidoarjo-jinan-2008", "x"), "read-only"
    )
    assert "nothing was changed" in text
    assert_clear_failure(cli(db_path, "--read-only", "db", "build"), "Read-only mode")
    assert digest(db_path) == before


def test_read_only_env_reaches_the_store(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARADIPLO_READONLY", "1")
    s = open_store(db_path)
    assert s.readonly and "asked for" in s.readonly_reason
    assert queries.count_cases(s.conn, Filters()) == 9
    with pytest.raises(ReadOnlyError, match="read-only"):
        notes.add_note(s, "case", "sidoarjo-jinan-2008", "x")
    s.close()
    monkeypatch.setenv("PARADIPLO_READONLY", "0")
    assert not open_store(db_path).readonly


def test_read_only_path_with_uri_characters(tmp_path: Path, db_path: Path) -> None:
    """'?', '#' and '%' in a path once made the read-only URI open another (empty) file."""
    odd = tmp_path / "we#ird?dir %20"
    odd.mkdir()
    target = odd / "x.db"
    target.write_bytes(db_path.read_bytes())
    s = open_store(target, readonly=True)
    assert queries.count_cases(s.conn, Filters()) == 9
    s.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["paradiplo.db", odd.name])


@pytest.mark.skipif(IS_ROOT, reason=ROOT_SKIP)
def test_chmod_read_only_file_browses_with_notes_off(db_path: Path) -> None:  # pragma: no cover
    db_path.chmod(0o444)
    try:
        s = open_store(db_path)
        assert s.readonly and "not writable" in s.readonly_reason
        assert queries.count_cases(s.conn, Filters()) == 9
        s.close()
        assert_clear_failure(cli(db_path, "notes", "add", "sidoarjo-jinan-2008", "x"), "read-only")
    finally:
        db_path.chmod(0o644)


@pytest.mark.skipif(IS_ROOT, reason=ROOT_SKIP)
def test_read_only_folder_browses(db_path: Path) -> None:  # pragma: no cover
    db_path.parent.chmod(0o555)
    try:
        s = open_store(db_path)
        assert s.readonly
        assert queries.count_cases(s.conn, Filters()) == 9
        s.close()
    finally:
        db_path.parent.chmod(0o755)


RO_BROWSE = [
    ("cases", "list", "--json"),
    ("--read-only", "cases", "list", "--json"),
    ("cases", "show", "sidoarjo-jinan-2008", "--json"),
    ("search", "Jinan", "--json"),
    ("notes", "list", "--json"),
    ("db", "stats"),
]


def _wal_database(folder: Path, template: Path) -> tuple[Path, str]:
    """A WAL database in `folder` with no -shm beside it (as after a clean close), readable
    by anyone; and its digest."""
    db = folder / "p.db"
    shutil.copy(template, db)
    add_sample_notes(db)
    for side in ("-wal", "-shm"):
        Path(f"{db}{side}").unlink(missing_ok=True)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    for side in ("-wal", "-shm"):
        Path(f"{db}{side}").unlink(missing_ok=True)
    db.chmod(0o644)
    return db, digest(db)


def _browses(results: list[subprocess.CompletedProcess[str]], db: Path, before: str) -> None:
    for args, res in zip(RO_BROWSE, results, strict=True):
        assert res.returncode == 0, (args, res.stderr)
        assert "Traceback" not in res.stderr
        if "--json" in args:
            json.loads(res.stdout)
    assert len(json.loads(results[0].stdout)) == 9
    assert len(json.loads(results[4].stdout)) == 4  # the notes are there
    assert digest(db) == before


@needs_mounts
def test_read_only_file_system_browses_and_refuses_notes(
    seeded_template: Path, tmp_path: Path
) -> None:
    """A read-only mount stops root too: this cannot pass trivially in CI."""
    folder, setup = read_only_folder(tmp_path)
    db, before = _wal_database(folder, seeded_template)
    results = [in_private_mounts(setup, cli_command(db, *args)) for args in RO_BROWSE]
    _browses(results, db, before)
    assert "read-only" in results[0].stderr  # said once, as a warning
    res = in_private_mounts(setup, cli_command(db, "notes", "add", "sidoarjo-jinan-2008", "x"))
    assert res.returncode == 1 and "read-only" in res.stderr and "Traceback" not in res.stderr
    assert res.stderr.startswith("Warning: ") and "\nError: " in res.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["p.db"] and digest(db) == before


@pytest.mark.parametrize("what", ["folder", "file"])
def test_read_only_places_browse_for_an_unprivileged_user(seeded_template: Path, what: str) -> None:
    """As root, run as `nobody` (file permissions do not stop root)."""
    runner = unprivileged()
    if runner is None:
        pytest.skip("no unprivileged user to run as")
    shared = world_dir()
    try:
        folder = shared / "data"
        folder.mkdir()
        db, before = _wal_database(folder, seeded_template)
        if what == "folder":
            folder.chmod(0o555)
        else:
            folder.chmod(0o777)  # the folder may be written (-shm), the file may not
            db.chmod(0o444)
        env = {**os.environ, "PARADIPLO_DATA_DIR": str(shared), "PARADIPLO_CONFIG_DIR": str(shared)}
        results = [
            subprocess.run(
                [*runner, "-m", "paradiplo.tui.cli", "--db", str(db), *args],
                capture_output=True, text=True, timeout=120, cwd="/", env=env,
            )
            for args in RO_BROWSE
        ]  # fmt: skip
        _browses(results, db, before)
        res = subprocess.run(
            [*runner, "-m", "paradiplo.tui.cli", "--db", str(db), "notes", "add", "sidoarjo-jinan-2008", "x"],
            capture_output=True, text=True, timeout=120, cwd="/", env=env,
        )  # fmt: skip
        assert res.returncode == 1 and "read-only" in res.stderr, res.stderr
        assert digest(db) == before
    finally:
        for p in (shared, *shared.rglob("*")):
            p.chmod(0o755 if p.is_dir() else 0o644)
        shutil.rmtree(shared)


# --------------------------------------------------------------------------------- locked
LOCKER = """
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN EXCLUSIVE")
c.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('locker', 'x')")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
c.execute("COMMIT")
"""


def hold_lock(db: Path, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(db), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_locked_database_reads_work_and_writes_fail_clearly(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_mod, "LOCK_WAIT_SECONDS", 0.5)
    monkeypatch.setattr(schema, "BUSY_TIMEOUT_MS", 200)
    proc = hold_lock(db_path, 30)
    try:
        res = cli(db_path, "cases", "list", "--json")
        assert res.code == 0 and len(json.loads(res.out)) == 9
        text = assert_clear_failure(
            cli(db_path, "notes", "add", "sidoarjo-jinan-2008", "while locked"), "locked"
        )
        assert "nothing was changed" in text and "try again" in text.lower()
        # A forced rebuild must never move a healthy, merely locked database aside.
        assert_clear_failure(cli(db_path, "db", "build", "--force"), "locked")
        assert not list(db_path.parent.glob("*.bak"))
    finally:
        proc.kill()
        proc.wait()


def test_a_short_lock_is_waited_out(db_path: Path) -> None:
    """Another program writing for a moment is invisible to the user: the save just happens."""
    proc = hold_lock(db_path, 1.0)
    try:
        started = time.monotonic()
        res = cli(db_path, "notes", "add", "sidoarjo-jinan-2008", "after the lock")
        assert res.code == 0, res.err
        assert time.monotonic() - started >= 0.5
    finally:
        proc.wait(timeout=10)
    s = open_store(db_path)
    assert [n.body for n in notes.notes_for_case(s.conn, "sidoarjo-jinan-2008")] == [
        "after the lock"
    ]
    s.close()


# --------------------------------------------------------------------------- wrong content
def test_empty_file_becomes_a_database(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    db.touch()
    res = cli(db, "cases", "list", "--json")
    assert res.code == 0 and len(json.loads(res.out)) == 9


@pytest.mark.parametrize(
    "payload",
    [
        b"just some notes I typed\n",
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
        b"SQLite format 2\x00" + b"\x00" * 100,
        b"S",
    ],
    ids=["text", "png", "almost-sqlite", "one-byte"],
)
def test_not_sqlite(tmp_path: Path, payload: bytes) -> None:
    db = tmp_path / "x.db"
    db.write_bytes(payload)
    for args in BROWSE:
        text = assert_clear_failure(cli(db, *args), "is not a SQLite database")
        assert "db build --force" in text
    res = cli(db, "db", "build", "--force")
    assert res.code == 0 and "Kept the old file as" in res.err, res.err
    assert "Built a new database" in res.out and "no notes could be read" in res.out
    assert (tmp_path / "x.db.unreadable.bak").read_bytes() == payload
    assert integrity(db) == "ok"


def test_sqlite_from_another_program(tmp_path: Path) -> None:
    db = tmp_path / "other.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE notes(id, body)")  # a lookalike table name must not fool us
    conn.execute("INSERT INTO notes VALUES (1, 'theirs')")
    conn.commit()
    conn.close()
    before = digest(db)
    for args in [*BROWSE, ("notes", "add", "sidoarjo-jinan-2008", "x")]:
        text = assert_clear_failure(cli(db, *args), "from another program")
        assert "db build --force" in text
    assert digest(db) == before
    res = cli(db, "db", "build", "--force")
    assert res.code == 0, res.err
    assert digest(tmp_path / "other.db.unreadable.bak") == before
    assert note_ids(db) == set()


def test_empty_sqlite_file_becomes_a_database(tmp_path: Path) -> None:
    db = tmp_path / "blank.db"
    sqlite3.connect(db).execute("PRAGMA user_version = 0").close()
    res = cli(db, "cases", "list", "--json")
    assert res.code == 0 and len(json.loads(res.out)) == 9


def _make_newer(db: Path, drop: str | None = None) -> None:
    conn = sqlite3.connect(db)
    if drop:
        conn.execute(drop)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()


def test_newer_schema_browses_read_only(db_path: Path) -> None:
    expected = add_sample_notes(db_path)
    _make_newer(db_path)
    before = digest(db_path)
    for args in BROWSE:
        res = cli(db_path, *args)
        assert res.code == 0 and res.crashed is None, (args, res.err)
    s = open_store(db_path)
    assert s.readonly and "newer paradiplo-tui" in s.readonly_reason
    assert "upgrade paradiplo-tui" in s.readonly_reason
    assert {n.id for n in notes.list_notes(s.conn)} == set(expected)
    s.close()
    text = assert_clear_failure(
        cli(db_path, "notes", "add", "sidoarjo-jinan-2008", "x"), "newer paradiplo-tui"
    )
    assert "nothing was changed" in text
    assert digest(db_path) == before
    backup = assert_rebuilt_with_notes(db_path, expected, "*.newer.bak")
    assert digest(backup) == before


def test_newer_schema_of_another_shape_is_refused(db_path: Path) -> None:
    expected = add_sample_notes(db_path)
    _make_newer(db_path, drop="ALTER TABLE cases DROP COLUMN summary")
    for args in BROWSE:
        text = assert_clear_failure(cli(db_path, *args), "newer paradiplo-tui", "cases.summary")
        assert "Upgrade paradiplo-tui" in text
    assert_rebuilt_with_notes(db_path, expected, "*.unreadable.bak")


# -------------------------------------------------------------------------------- damaged
def test_damaged_in_the_middle(db_path: Path) -> None:
    """Pages of the cases' evidence and the search index overwritten: reads that reach them fail
    with the way forward, and the forced rebuild keeps every note and the draft."""
    expected = add_sample_notes(db_path)
    overwrite_pages(db_path, table_pages(db_path, "evidence", "search_docs"))
    before = digest(db_path)
    for args in [*BROWSE, ("db", "check"), ("export", "cases")]:
        res = cli(db_path, *args)
        assert res.crashed is None, (args, res.crashed)
        assert "Traceback" not in res.err
        if res.code != 0:
            text = assert_clear_failure(res)
            assert "db build --force" in text or "integrity" in text, text
    # Browsing what is still readable works, read-only and said so; the notes are all there.
    res = cli(db_path, "notes", "list", "--json")
    assert res.code == 0 and {n["id"] for n in json.loads(res.out)} == set(expected)
    assert_clear_failure(cli(db_path, "notes", "add", "sidoarjo-jinan-2008", "x"), "damaged")
    assert digest(db_path) == before
    backup = assert_rebuilt_with_notes(db_path, expected, "*.unreadable.bak")
    assert integrity(backup) != "ok"


def test_damage_found_while_opening_falls_back_to_read_only(db_path: Path) -> None:
    """Opening has to refresh the seeds and meets the damage: browse read-only, say so."""
    expected = add_sample_notes(db_path)
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE meta SET value = 'stale' WHERE key = 'seed_digest'")
    conn.commit()
    conn.close()
    overwrite_pages(db_path, table_pages(db_path, "evidence"))
    before = digest(db_path)
    s = open_store(db_path)
    assert s.readonly and s.damaged
    assert "damaged" in s.readonly_reason and "db build --force" in s.readonly_reason
    assert {n.id for n in notes.list_notes(s.conn)} == set(expected)
    with pytest.raises(ReadOnlyError, match="damaged"):
        notes.add_note(s, "case", "sidoarjo-jinan-2008", "x")
    s.close()
    res = cli(db_path, "notes", "list", "--json")
    assert res.code == 0 and {n["id"] for n in json.loads(res.out)} == set(expected)
    assert res.err.startswith("Warning: ") and "damaged" in res.err and "--force" in res.err
    assert digest(db_path) == before
    assert_rebuilt_with_notes(db_path, expected, "*.unreadable.bak")


def test_damaged_notes_page_recovers_what_it_can(db_path: Path) -> None:
    add_sample_notes(db_path)
    overwrite_pages(db_path, table_pages(db_path, "notes"))
    res = cli(db_path, "db", "build", "--force")
    assert res.code == 0 and res.crashed is None, res.err
    assert "at least 4 note(s) could not be read" in res.out and "and 1 draft(s)" in res.out
    assert integrity(db_path) == "ok"


@pytest.mark.parametrize("where", ["header", "schema-page", "truncated"])
def test_damaged_start_of_file(db_path: Path, where: str) -> None:
    add_sample_notes(db_path)
    raw = db_path.read_bytes()
    if where == "header":
        db_path.write_bytes(raw[:16] + b"\xff" * 84 + raw[100:])
    elif where == "schema-page":
        db_path.write_bytes(raw[:100] + b"\xa5" * 3996 + raw[4096:])
    else:
        db_path.write_bytes(raw[: len(raw) // 3])
    res = cli(db_path, "cases", "list")
    assert res.crashed is None and "Traceback" not in res.err
    if res.code != 0:
        assert "db build --force" in assert_clear_failure(res)
    res = cli(db_path, "db", "build", "--force")
    assert res.code == 0 and res.crashed is None, res.err
    assert integrity(db_path) == "ok"
    assert len(list(db_path.parent.glob("*.bak"))) == 1


def _notes_over_time(db: Path, count: int = 23) -> dict[str, str]:
    """`count` notes written over a database's life: half, then other data, then the rest, so
    that notes sit in both halves of the file (and the schema's last page near its end)."""
    store = open_store(db)
    made = {}
    for i in range(count):
        if i == count // 2:
            store.conn.execute("CREATE TABLE IF NOT EXISTS other_data(x)")
            store.conn.executemany(
                "INSERT INTO other_data VALUES (?)", [("z" * 1000,) for _ in range(400)]
            )
        body = f"note number {i:02d} about Jinan " + "words " * (i * 40)
        note = notes.add_note(store, "case", "sidoarjo-jinan-2008", body, [f"t{i % 3}"])
        made[note.id] = note.body
    notes.save_draft(store, "case", "malang-nonsan-2017", "half-typed draft about Malang")
    store.conn.execute("CREATE TABLE IF NOT EXISTS late_table(x)")  # a schema page at the end
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return made


@pytest.mark.parametrize("cut", [1, 50])
def test_truncated_file_gives_back_every_note_still_in_it(db_path: Path, cut: int) -> None:
    made = _notes_over_time(db_path)
    raw = db_path.read_bytes()
    kept = raw[: len(raw) - len(raw) * cut // 100]
    db_path.write_bytes(kept)
    # SQLite itself cannot read this file at all (the schema's last page is gone).
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(db_path).execute("SELECT count(*) FROM notes").fetchone()
    # What is still in the file, byte for byte, must come back: every whole note body.
    present = {nid for nid, body in made.items() if body.encode() in kept}
    res = cli(db_path, "db", "build", "--force")
    assert res.code == 0 and res.crashed is None, res.err
    back = {n["id"]: n["body"] for n in json.loads(cli(db_path, "notes", "list", "--json").out)}
    assert set(back) >= present and all(made[i] == back[i] for i in back)
    assert integrity(db_path) == "ok"
    if cut == 1:
        assert set(back) == set(made)
        assert "copied 23 note(s) and 1 draft(s)" in res.out and "could not" not in res.out
    else:  # some notes were in the half that is gone: how many, at least, is said
        assert 0 < len(back) < len(made), (len(back), len(present))
        lost = int(res.out.split("at least ")[1].split(" ")[0])
        assert 0 < lost <= len(made) - len(back), res.out
    drafts = cli(db_path, "notes", "list", "--json")  # the draft is offered back by the app
    assert drafts.code == 0
    store = open_store(db_path)
    assert [d.body for d in notes.list_drafts(store.conn)] == ["half-typed draft about Malang"]
    store.close()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cuts=st.lists(st.tuples(st.integers(0, 600_000), st.binary(min_size=1, max_size=64)), max_size=8),
    end=st.integers(0, 600_000),
)  # fmt: skip
def test_reading_pages_of_any_damaged_file_never_raises(
    seeded_template: Path, tmp_path_factory: pytest.TempPathFactory, cuts: list, end: int
) -> None:
    from paradiplo.db import pages

    raw = bytearray(seeded_template.read_bytes())
    for at, junk in cuts:
        raw[at : at + len(junk)] = junk
    path = tmp_path_factory.mktemp("pages") / "x.db"
    path.write_bytes(bytes(raw[: end or None]))
    scan = pages.table_rows(path)
    assert all(isinstance(r, tuple) for _page, _rowid, r in scan.rows)


def test_damage_surfaces_as_a_database_problem_in_the_api(db_path: Path) -> None:
    """The app calls db/ directly: a damaged file must raise our error, with the way out."""
    overwrite_pages(db_path, table_pages(db_path, "sqlite_schema")[:1])
    with pytest.raises(DatabaseProblem, match="db build --force"):
        open_store(db_path)


def test_real_process_prints_no_traceback(tmp_path: Path) -> None:
    """The installed entry point, not the test runner: one line on stderr, exit 1."""
    db = tmp_path / "x.db"
    db.write_text("hello", encoding="utf-8")
    proc = cli_process(db, "cases", "list")
    assert proc.returncode == 1
    assert proc.stderr.startswith("Error: ") and len(proc.stderr.strip().splitlines()) == 1
    assert "Traceback" not in proc.stderr
