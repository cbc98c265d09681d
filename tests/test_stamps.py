"""Opening a database checks the seed files without reading them while they are unchanged,
and still notices any change to them or to the stored digest."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from paradiplo.db import stamps


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(stamps.bundled_seeds_dir(), target, ignore=shutil.ignore_patterns("__*"))
    return target


@pytest.fixture
def meta(seeds_copy: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None)  # as the store's
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    conn.execute("INSERT INTO meta VALUES ('seed_digest', ?)", (stamps.seed_digest(seeds_copy),))
    return conn


def _stamp(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = 'seed_stamp'").fetchone()
    return None if row is None else str(row[0])


def test_unchanged_files_are_read_once(
    meta: sqlite3.Connection, seeds_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert stamps.seeds_current(meta, seeds_copy)  # hashed, and the stamp kept
    assert _stamp(meta) is not None

    def no_reading(directory: Path | None = None) -> str:
        raise AssertionError("the seed files were read again")

    monkeypatch.setattr(stamps, "seed_digest", no_reading)
    assert stamps.seeds_current(meta, seeds_copy)


def test_a_touched_file_is_hashed_again_and_still_current(
    meta: sqlite3.Connection, seeds_copy: Path
) -> None:
    assert stamps.seeds_current(meta, seeds_copy)
    before = _stamp(meta)
    cases = seeds_copy / "cases.toml"
    st = cases.stat()
    os.utime(cases, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert stamps.seeds_current(meta, seeds_copy)
    assert _stamp(meta) != before


def test_an_edited_file_is_noticed(meta: sqlite3.Connection, seeds_copy: Path) -> None:
    assert stamps.seeds_current(meta, seeds_copy)
    with (seeds_copy / "cases.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n# edited\n")
    assert not stamps.seeds_current(meta, seeds_copy)


def test_a_changed_stored_digest_is_noticed(meta: sqlite3.Connection, seeds_copy: Path) -> None:
    assert stamps.seeds_current(meta, seeds_copy)
    meta.execute("UPDATE meta SET value = 'stale' WHERE key = 'seed_digest'")
    assert not stamps.seeds_current(meta, seeds_copy)


def test_no_stored_digest_is_not_current(seeds_copy: Path) -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)  # as the store's
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    assert not stamps.seeds_current(conn, seeds_copy)
