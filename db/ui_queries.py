"""Small reads the app makes for its own bookkeeping (never imports Textual)."""

from __future__ import annotations

import sqlite3


def data_version(conn: sqlite3.Connection) -> int:
    """SQLite's `PRAGMA data_version` for this connection: it changes when any *other*
    connection (another process, another window, a worker thread) commits a change. Cheap
    (it reads the write-ahead log's index), so it can be polled from a timer."""
    return int(conn.execute("PRAGMA data_version").fetchone()[0])


def case_types(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(id, English label) of the case types, for the case form's choice."""
    return [
        (str(tid), str(label))
        for tid, label in conn.execute("SELECT id, label_en FROM case_types ORDER BY label_en")
    ]


def sector_labels(conn: sqlite3.Connection) -> dict[str, str]:
    """Sector id -> English label."""
    return {str(s): str(label) for s, label in conn.execute("SELECT id, label_en FROM sectors")}


def find_cases(conn: sqlite3.Connection, text: str, limit: int = 50) -> list[tuple[str, str, str]]:
    """(id, title, origin) of cases whose title, id, region or partner contains `text` (all
    when empty), by title: for choosing the case a passage is evidence for."""
    like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return [
        (str(cid), str(title), str(origin))
        for cid, title, origin in conn.execute(
            "SELECT id, title, origin FROM cases WHERE title LIKE ?1 ESCAPE '\\'"
            " OR id LIKE ?1 ESCAPE '\\' OR region_name LIKE ?1 ESCAPE '\\'"
            " OR partner_name LIKE ?1 ESCAPE '\\' ORDER BY title LIMIT ?2",
            (like, limit),
        )
    ]
