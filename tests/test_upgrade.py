"""Opening a database written by an earlier released schema keeps every note and draft, and
writes a backup before changing anything. One fixture per released schema lives in
tests/fixtures (schema_v<N>.db); each is tested against the current code, whatever its version.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from paradiplo.db import fts, migrations, notes, queries, schema
from paradiplo.db.errors import DatabaseProblem
from paradiplo.db.search import search
from paradiplo.db.store import open_store

from .hostile_helpers import cli, integrity

FIXTURES = sorted((Path(__file__).parent / "fixtures").glob("schema_v*.db"))


def fixture_version(path: Path) -> int:
    return int(path.stem.removeprefix("schema_v"))


def raw_rows(path: Path, sql: str) -> list[dict[str, Any]]:
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql)]
    finally:
        conn.close()


def user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture(params=FIXTURES, ids=[p.name for p in FIXTURES])
def old_db(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    source: Path = request.param
    assert user_version(source) == fixture_version(source), "fixture name and version differ"
    target = tmp_path / "old.db"
    shutil.copy(source, target)
    return target


def test_fixtures_exist_for_every_released_schema() -> None:
    assert FIXTURES, "tests/fixtures/schema_v1.db is missing"
    assert [fixture_version(p) for p in FIXTURES] == list(range(1, schema.SCHEMA_VERSION + 1)), (
        "make the missing one with tests/fixtures/make_schema_fixture.py"
    )


def _shape(conn: sqlite3.Connection) -> dict[str, Any]:
    """Everything about a database's schema that behaviour depends on, comparable across
    files: each table's columns, keys and indexes, and the text of the FTS table and
    triggers (without the spelling SQLite keeps of how they were first written)."""

    def norm(sql: str | None) -> str:
        return " ".join(re.sub(r"--[^\n]*", "", sql or "").replace('"', "").lower().split())

    objects = conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ).fetchall()
    shape: dict[str, Any] = {}
    for kind, name, table, sql in objects:
        if kind == "table":
            shape[name] = (
                conn.execute(f'PRAGMA table_xinfo("{name}")').fetchall(),
                sorted(conn.execute(f'PRAGMA foreign_key_list("{name}")').fetchall()),
                "without rowid" in norm(sql),
                norm(sql) if "virtual" in norm(sql) else None,
            )
        elif kind == "index":
            shape[name] = (table, conn.execute(f'PRAGMA index_xinfo("{name}")').fetchall())
        else:
            shape[name] = norm(sql)
    return shape


def test_an_upgraded_database_has_the_schema_of_a_new_one(old_db: Path, tmp_path: Path) -> None:
    upgraded, fresh = open_store(old_db), open_store(tmp_path / "fresh.db")
    try:
        assert _shape(upgraded.conn) == _shape(fresh.conn)
        for conn in (upgraded.conn, fresh.conn):
            assert schema.summary_problems(conn) == 0 and schema.case_sector_problems(conn) == 0
            assert fts.fts_is_current(conn)
    finally:
        upgraded.close()
        fresh.close()


def test_upgrade_keeps_every_note_and_draft(old_db: Path) -> None:
    before_version = user_version(old_db)
    old_notes = raw_rows(old_db, "SELECT * FROM notes ORDER BY id")
    old_drafts = raw_rows(old_db, "SELECT * FROM note_drafts ORDER BY key")
    assert len(old_notes) >= 4 and old_drafts, "the fixture must hold notes and a draft"

    store = open_store(old_db)
    try:
        upgraded = before_version < schema.SCHEMA_VERSION
        if upgraded:
            assert store.backup_path is not None and store.backup_path.exists()
            # The backup is the database as it was, taken before any change.
            assert user_version(store.backup_path) == before_version
            assert raw_rows(store.backup_path, "SELECT * FROM notes ORDER BY id") == old_notes
        else:
            assert store.backup_path is None
        assert schema.user_version(store.conn) == schema.SCHEMA_VERSION

        for old in old_notes:
            note = notes.get_note(store.conn, old["id"], include_deleted=True)
            assert note.body == old["body"]
            assert note.target_type == old["target_type"] and note.target_id == old["target_id"]
            assert note.tags == json.loads(old["tags"])
            assert note.created_at == old["created_at"] and note.version == old["version"]
            assert (note.anchor_start, note.anchor_end) == (old["anchor_start"], old["anchor_end"])
        by_id = {n["id"]: n for n in old_notes}
        orphans = [n for n in notes.list_notes(store.conn) if n.orphaned]
        assert orphans and all(n.id in by_id for n in orphans)
        assert {n.target_type for n in notes.list_notes(store.conn)} >= {
            "case",
            "passage",
            "region",
        }

        drafts = {d.key: d for d in notes.list_drafts(store.conn)}
        for old in old_drafts:
            assert drafts[old["key"]].body == old["body"]

        first = next(n for n in old_notes if n["target_type"] == "case" and not n["deleted_at"])
        word = first["body"].split()[0]
        assert any(h.kind == "note" for h in search(store.conn, word, limit=20))
        edited = notes.update_note(
            store, first["id"], first["body"] + " (edited after the upgrade)", [], expected_version=first["version"]
        )  # fmt: skip
        assert edited.version == first["version"] + 1
        assert queries.check(store.conn) == []
    finally:
        store.close()
    assert integrity(old_db) == "ok"
    again = open_store(old_db)
    assert again.backup_path is None  # upgraded once; no second backup
    again.close()


def test_upgrade_through_the_command_line(old_db: Path) -> None:
    ids = {r["id"] for r in raw_rows(old_db, "SELECT id FROM notes WHERE deleted_at IS NULL")}
    res = cli(old_db, "notes", "list", "--json")
    assert res.code == 0 and res.crashed is None, res.err
    assert {n["id"] for n in json.loads(res.out)} == ids


def test_read_only_old_database_is_not_changed(old_db: Path) -> None:
    before = old_db.read_bytes()
    if user_version(old_db) < schema.SCHEMA_VERSION:
        with pytest.raises(DatabaseProblem, match="needs an upgrade"):
            open_store(old_db, readonly=True)
    else:
        open_store(old_db, readonly=True).close()
    assert old_db.read_bytes() == before
    assert not list(old_db.parent.glob("*.bak"))


def test_a_future_migration_backs_up_first_and_fails_safely(
    old_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pretend next version: the backup is written before the migration runs, and a
    migration that fails half-way leaves the database as it was, with a clear message."""
    start = user_version(old_db)
    old_notes = raw_rows(old_db, "SELECT * FROM notes ORDER BY id")
    seen: list[int] = []

    def breaking(conn: sqlite3.Connection) -> None:
        seen.append(len(list(old_db.parent.glob("*.bak"))))
        conn.execute("ALTER TABLE notes ADD COLUMN colour TEXT")
        conn.execute("UPDATE notes SET body = 'overwritten'")
        raise sqlite3.OperationalError("disk I/O error")

    current = max(schema.SCHEMA_VERSION, start)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(migrations.MIGRATIONS, current, breaking)
    with pytest.raises(DatabaseProblem, match=r"failed .*disk I/O error.* A copy from before"):
        open_store(old_db)
    assert seen == [1], "the backup must exist before the migration runs"
    assert raw_rows(old_db, "SELECT * FROM notes ORDER BY id")[0]["body"] != "overwritten"
    assert integrity(old_db) == "ok"

    def adding(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE notes ADD COLUMN colour TEXT")

    monkeypatch.setitem(migrations.MIGRATIONS, current, adding)
    store = open_store(old_db)
    try:
        assert schema.user_version(store.conn) == current + 1
        assert store.backup_path is not None and store.backup_path.exists()
        kept = {n.id: n.body for n in notes.list_notes(store.conn)}
        assert {n["id"]: n["body"] for n in old_notes if not n["deleted_at"]} == kept
    finally:
        store.close()
