"""Is the search index current? Opening a database checks that it was analysed by this
db/analyze.py, by a fingerprint of the analyser's files, without loading the analyser; a
stale index is rebuilt in one transaction."""

from __future__ import annotations

import hashlib
import sqlite3
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from paradiplo.db import schema

if TYPE_CHECKING:
    from paradiplo.db.store import Store

ANALYZER_INPUTS_KEY = "analyzer_inputs"


def analyzer_inputs() -> str | None:
    """A fingerprint of the files the search analyser is made of (db/analyze.py and
    db/resolve.py, the bundled seeds/synonyms.toml and the seeds' names), read as bytes: cheap, and no need to load the analyser.
    None if they cannot be read (then the analyser's own version decides)."""
    try:
        digest = hashlib.sha256(Path(__file__).with_name("analyze.py").read_bytes())
        # The proper names the stemmer leaves alone come from resolve.py, the official list
        # and the seeds (db/analyze.py:proper_names).
        digest.update(Path(__file__).with_name("resolve.py").read_bytes())
        seeds = resources.files("paradiplo.seeds")
        for name in ("synonyms.toml", "cases.toml", "vocabulary.toml", "sources.toml"):
            digest.update(seeds.joinpath(name).read_bytes())
        for name in ("provinces.csv", "regencies.csv"):
            digest.update(seeds.joinpath("idn-area", name).read_bytes())
    except (OSError, ModuleNotFoundError):
        return None
    return digest.hexdigest()[:20]


def reindex_if_stale(store: Store) -> None:
    """Rebuild the search index (one transaction) if it was analysed by another db/analyze.py.

    When the analyser's files are byte for byte those that last checked this database, it is
    current and the analyser is not even loaded (~30 ms of the app's start-up). Otherwise its
    version decides (a comment changed in synonyms.toml leaves the index as it is).
    """
    conn = store.conn
    meta = dict(
        conn.execute(
            "SELECT key, value FROM meta WHERE key IN (?, ?)",
            (schema.ANALYZER_KEY, ANALYZER_INPUTS_KEY),
        ).fetchall()
    )
    inputs = analyzer_inputs()
    # The fingerprint vouches for the version recorded with it: if another version of the app
    # has reindexed the database since, the version differs and the analyser decides.
    vouched = f"{inputs} {meta.get(schema.ANALYZER_KEY)}"
    if inputs is not None and meta.get(ANALYZER_INPUTS_KEY) == vouched:
        return
    from paradiplo.db import analyze, searchdocs

    if meta.get(schema.ANALYZER_KEY) != analyze.ANALYZER_VERSION:
        with searchdocs.paused_gc(), store.write() as wconn:
            searchdocs.reindex_all(wconn)
        store.reindexed = True
    if inputs is not None:
        _try_note(conn, ANALYZER_INPUTS_KEY, f"{inputs} {analyze.ANALYZER_VERSION}")


def _try_note(conn: sqlite3.Connection, key: str, value: str) -> None:
    """Write one meta row now or never: it only saves time at the next opening, so a database
    that is locked by another writer, full or read-only still opens, without waiting."""
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))
            conn.execute("COMMIT")
        except BaseException:
            schema.rollback(conn)
            raise
    except sqlite3.Error:
        pass
    finally:
        conn.execute(f"PRAGMA busy_timeout = {schema.BUSY_TIMEOUT_MS}")
