"""Shared fixtures: every test runs with its own data and config directories."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from paradiplo.db import i18n
from paradiplo.db.store import Store, open_store


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the data and config directories at the test's tmp dir; ignore $PARADIPLO_DB."""
    monkeypatch.setenv("PARADIPLO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PARADIPLO_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("PARADIPLO_DB", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("PARADIPLO_LANG", raising=False)
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    i18n.set_language("en")  # the interface language is per process: English unless a test asks
    return tmp_path


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database built once from the bundled seeds; tests get copies of it."""
    path = tmp_path_factory.mktemp("template") / "seeded.db"
    store = open_store(path)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


def seeded_copy(template: Path, folder: Path) -> Path:
    path = folder / "paradiplo.db"
    shutil.copy(template, path)
    return path


@pytest.fixture
def db_path(tmp_path: Path, seeded_template: Path) -> Path:
    """Path to a fresh copy of the seeded database."""
    return seeded_copy(seeded_template, tmp_path)


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    s = open_store(db_path)
    yield s
    s.close()


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory, seeded_template: Path) -> Iterator[Store]:
    """One seeded database for the read-only tests of a module (and hypothesis examples)."""
    s = open_store(seeded_copy(seeded_template, tmp_path_factory.mktemp("shared")))
    yield s
    s.close()
