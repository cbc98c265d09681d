"""Writing many rows at once."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence


def insert_rows(conn: sqlite3.Connection, head: str, rows: Sequence[Sequence[object]]) -> None:
    """`head` ("INSERT INTO t(a, b) VALUES") for many rows, up to 1,000 rows a statement.

    Faster than executemany (a statement per row), and each statement runs inside SQLite as
    one step: an insert trigger fires inside a single statement, and Python's lock is free
    for other threads meanwhile.
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
