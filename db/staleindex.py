"""Is the search index current? Opening a database checks that it was analysed by this
db/analyze.py, by a stamp of the analyser's files (db/stamps.py), without loading the analyser;
a stale index is rebuilt in one transaction."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from paradiplo.db import schema
from paradiplo.db.stamps import bundled_seeds_dir, stat_stamp, try_note

if TYPE_CHECKING:
    from paradiplo.db.store import Store

ANALYZER_INPUTS_KEY = "analyzer_inputs"


def analyzer_inputs() -> str | None:
    """A stamp of the files the search analyser is made of (db/analyze.py and db/resolve.py,
    the bundled seeds/synonyms.toml and the seeds' names): their names, sizes and times, so
    neither the files nor the analyser are read. None if one cannot be found (then the
    analyser's own version decides)."""
    here = Path(__file__).parent
    try:
        seeds = bundled_seeds_dir()
        # The proper names the stemmer leaves alone come from resolve.py, the official list
        # and the seeds (db/analyze.py:proper_names).
        files = [here / "analyze.py", here / "resolve.py"]
        files += [seeds / n for n in ("synonyms.toml", "cases.toml", "vocabulary.toml")]
        files += [seeds / "sources.toml"]
        files += [seeds / "idn-area" / n for n in ("provinces.csv", "regencies.csv")]
        return stat_stamp(files)
    except (OSError, ModuleNotFoundError):
        return None


def reindex_if_stale(store: Store) -> None:
    """Rebuild the search index (one transaction) if it was analysed by another db/analyze.py.

    When the analyser's files are those that last checked this database (same names, sizes and
    times), it is current and the analyser is not even loaded (~30 ms of the app's start-up).
    Otherwise its version decides (a comment changed in synonyms.toml leaves the index as it
    is).
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
        try_note(conn, ANALYZER_INPUTS_KEY, f"{inputs} {analyze.ANALYZER_VERSION}")
