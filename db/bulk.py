"""Writing rows: sqlite-utils over a connection, and many rows in one statement."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


def sqlite_db(conn: sqlite3.Connection) -> Database:
    """sqlite-utils over this connection, for the write paths (table creation, inserts and
    upserts, updates, upgrades). Imported here, never at the top of a module: it costs ~65 ms
    to import, and opening the app only reads (tests/test_startup_imports.py checks it is not
    loaded then).

    Its writes run inside the caller's transaction (sqlite-utils nests a SAVEPOINT when one is
    open), so they are as atomic as the caller's `store.write()`.
    """
    from sqlite_utils import Database

    return Database(conn, execute_plugins=False)


def insert_rows(conn: sqlite3.Connection, head: str, rows: Sequence[Sequence[object]]) -> None:
    """`head` ("INSERT INTO t(a, b) VALUES") for many rows, up to 1,000 rows a statement.

    Faster than executemany (a statement per row), and each statement runs inside SQLite as
    one step: an insert trigger fires inside a single statement, and Python's lock is free
    for other threads meanwhile. The import of many cases and the search documents use it:
    sqlite-utils' `insert_all` builds and checks a dict per row, which for 100,000 rows of 30
    columns takes 2.3 s against 0.36 s here, most of a large import's time.
    """
    if not rows:
        return
    width = len(rows[0])
    per = max(1, min(1000, 30_000 // width))
    group = "(" + ", ".join("?" * width) + ")"
    full = f"{head} {', '.join([group] * per)}"
    for i in range(0, len(rows), per):
        part = rows[i : i + per]
        sql = full if len(part) == per else f"{head} {', '.join([group] * len(part))}"
        conn.execute(sql, [value for row in part for value in row])
