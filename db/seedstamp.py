"""Whether the bundled seed files changed since the database was built from them.

Asked on every open (db/store.py). The answer rests on `seed_digest`, a hash of every seed
file's bytes stored in `meta` when the seeds are built; reading and hashing them all costs more
than the rest of opening, so the files' names, sizes and modification times (`file_stamp`) are
kept beside the digest they were last checked against (`meta.seed_stamp`): while neither the
files nor the stored digest change, no file is read. This module loads nothing the seed reader
needs (TOML, CSV), so opening a database does not pay for it.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path


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
    directory = directory or bundled_seeds_dir()
    digest = hashlib.sha256()
    for path in seed_files(directory):
        digest.update(path.relative_to(directory).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def file_stamp(directory: Path) -> str:
    """The seed files' names, sizes and modification times, hashed (reads no file)."""
    digest = hashlib.sha256()
    for path in seed_files(directory):
        st = path.stat()
        digest.update(
            f"{path.relative_to(directory).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode()
        )
    return digest.hexdigest()


def seeds_current(conn: sqlite3.Connection, directory: Path | None = None) -> bool:
    """True if the database holds the seeds as the files now are (their digest is stored).

    When the files' stamp says they are as they were at the last check against the stored
    digest, the files are not read; otherwise their digest is computed, and if it matches, the
    new stamp is stored for the next open.
    """
    directory = directory or bundled_seeds_dir()
    meta = dict(
        conn.execute("SELECT key, value FROM meta WHERE key IN ('seed_digest', 'seed_stamp')")
    )
    stored = meta.get("seed_digest")
    if stored is None:
        return False
    stamp = file_stamp(directory)
    if meta.get("seed_stamp") == f"{stamp} {stored}":
        return True
    if seed_digest(directory) != stored:
        return False
    with conn:
        conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('seed_stamp', ?)",
            (f"{stamp} {stored}",),
        )
    return True
