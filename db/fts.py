"""The search index: an FTS5 table over search_docs (external content), with prefix indexes,
kept in sync by triggers, rebuilt in one pass after bulk writes.

Written by hand rather than with sqlite-utils' `enable_fts`: it has no `prefix` option (the
index below needs prefix='2 3'), it runs its statements with executescript, which commits the
caller's open transaction (the seed build and an import rebuild the index inside theirs), and
it fills the index row by row where FTS5's 'rebuild' does it in one pass. The statements and
triggers are the ones it would write, with the prefix indexes added.
"""

from __future__ import annotations

import sqlite3

FTS_TOKENIZE = "unicode61 remove_diacritics 2"

# The FTS5 index over search_docs (external content), with prefix indexes for 2 and 3
# characters: the word being typed matches as a prefix at every keystroke, and without them
# FTS5 merges the doclists of every word with that prefix (for "ke" on 100,000 cases, ~100 ms
# per query). They double the size of the index.
FTS_PREFIX = "2 3"
FTS_DDL = (
    'CREATE VIRTUAL TABLE "search_docs_fts" USING FTS5 ("title", "body", "terms",'
    f" tokenize='{FTS_TOKENIZE}', content=\"search_docs\", prefix='{FTS_PREFIX}')"
)
# The sync triggers, as sqlite-utils' enable_fts(create_triggers=True) writes them.
FTS_TRIGGERS = (
    'CREATE TRIGGER "search_docs_ai" AFTER INSERT ON "search_docs" BEGIN\n'
    '  INSERT INTO "search_docs_fts" (rowid, "title", "body", "terms")'
    ' VALUES (new.rowid, new."title", new."body", new."terms");\nEND',
    'CREATE TRIGGER "search_docs_ad" AFTER DELETE ON "search_docs" BEGIN\n'
    '  INSERT INTO "search_docs_fts" ("search_docs_fts", rowid, "title", "body", "terms")'
    ' VALUES(\'delete\', old.rowid, old."title", old."body", old."terms");\nEND',
    'CREATE TRIGGER "search_docs_au" AFTER UPDATE ON "search_docs" BEGIN\n'
    '  INSERT INTO "search_docs_fts" ("search_docs_fts", rowid, "title", "body", "terms")'
    ' VALUES(\'delete\', old.rowid, old."title", old."body", old."terms");\n'
    '  INSERT INTO "search_docs_fts" (rowid, "title", "body", "terms")'
    ' VALUES (new.rowid, new."title", new."body", new."terms");\nEND',
)
# FTS5 keeps the terms of new documents in memory and writes them out as one segment when
# they pass this size (default 1 MiB). A bulk load with a larger buffer writes far fewer,
# larger segments and merges far less: 100,000 case documents index in about half the time.
FTS_BULK_HASHSIZE = 32 * 1024 * 1024
FTS_DEFAULT_HASHSIZE = 1024 * 1024


def drop_fts_triggers(conn: sqlite3.Connection) -> None:
    for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'search_docs'"
    ).fetchall():
        conn.execute(f'DROP TRIGGER "{name}"')


def create_fts_triggers(conn: sqlite3.Connection) -> None:
    drop_fts_triggers(conn)
    for sql in FTS_TRIGGERS:
        conn.execute(sql)


def set_fts_hashsize(conn: sqlite3.Connection, size: int) -> None:
    conn.execute(
        "INSERT INTO search_docs_fts(search_docs_fts, rank) VALUES ('hashsize', ?)", (size,)
    )


def rebuild_fts(conn: sqlite3.Connection) -> None:
    """(Re)create the FTS5 table and its triggers and index every search document in one pass
    (in the caller's transaction). Several times faster than indexing row by row, and the
    index comes out compact: one segment."""
    drop_fts_triggers(conn)
    conn.execute('DROP TABLE IF EXISTS "search_docs_fts"')
    conn.execute(FTS_DDL)
    set_fts_hashsize(conn, FTS_BULK_HASHSIZE)
    conn.execute("INSERT INTO search_docs_fts(search_docs_fts) VALUES ('rebuild')")
    # One segment, off FTS5's first level: else the 16th small write afterwards would merge
    # the whole index at once (a pause of seconds at 100,000 cases).
    conn.execute("INSERT INTO search_docs_fts(search_docs_fts) VALUES ('optimize')")
    set_fts_hashsize(conn, FTS_DEFAULT_HASHSIZE)
    create_fts_triggers(conn)


def fts_is_current(conn: sqlite3.Connection) -> bool:
    """True if the FTS table is this version's (prefix indexes) and its triggers are there."""
    row = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'search_docs_fts'").fetchone()
    triggers = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'search_docs'"
    ).fetchone()[0]
    return row is not None and f"prefix='{FTS_PREFIX}'" in str(row[0]) and triggers == 3
