"""Was this database built and indexed from the files this install has? Asked on every open
(db/store.py), answered without reading those files while they are unchanged.

Two questions: are the bundled seed files those the database was built from (`seeds_current`,
by `seed_digest`, a hash of their bytes stored when the seeds are built), and were its search
index's terms made by this install's analyser (db/staleindex.py)? Reading and hashing the files
costs more than the rest of opening, so what was last found is kept in `meta` with a `stat_stamp`
of the files (names, sizes, modification times): while the stamp and the stored answer are
unchanged, no file is read. This module loads nothing the seed reader needs (TOML, CSV) and no
hash library, so opening a database does not pay for them.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Iterable
from pathlib import Path

from paradiplo.db import schema

SEED_STAMP_KEY = "seed_stamp"


def bundled_seeds_dir() -> Path:
    """The folder of the `seeds` package shipped with the install."""
    from paradiplo import seeds

    return Path(seeds.__file__).parent


def seed_files(directory: Path) -> list[Path]:
    return sorted(
        [*directory.glob("*.toml"), *directory.glob("*.txt"), *directory.glob("idn-area/*.csv")]
    )


def seed_digest(directory: Path | None = None) -> str:
    """A fingerprint of every seed file's name and bytes."""
    import hashlib

    directory = directory or bundled_seeds_dir()
    digest = hashlib.sha256()
    for path in seed_files(directory):
        digest.update(path.relative_to(directory).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def stat_stamp(paths: Iterable[Path]) -> str:
    """The files' names, sizes and modification times, as a short checksum (reads no file).

    Raises OSError if one cannot be found."""
    crc = 0
    for path in paths:
        st = path.stat()
        crc = zlib.crc32(f"{path.as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode(), crc)
    return f"{crc:08x}"


def seeds_current(conn: sqlite3.Connection, directory: Path | None = None) -> bool:
    """True if the database holds the seeds as the files now are (their digest is stored).

    When the files' stamp says they are as they were at the last check against the stored
    digest, the files are not read; otherwise their digest is computed, and if it matches, the
    new stamp is noted for the next open.
    """
    directory = directory or bundled_seeds_dir()
    meta = dict(
        conn.execute(
            "SELECT key, value FROM meta WHERE key IN ('seed_digest', ?)", (SEED_STAMP_KEY,)
        )
    )
    stored = meta.get("seed_digest")
    if stored is None:
        return False
    stamp = f"{stat_stamp(seed_files(directory))} {stored}"
    if meta.get(SEED_STAMP_KEY) == stamp:
        return True
    if seed_digest(directory) != stored:
        return False
    try_note(conn, SEED_STAMP_KEY, stamp)
    return True


def try_note(conn: sqlite3.Connection, key: str, value: str) -> None:
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
