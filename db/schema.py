"""The database schema: its version, its tables (DDL: the one place that says what tables and
columns there are), connections, creating a database and its indexes.

Beside it: db/fts.py (the search index), db/summaries.py (case_sectors and the summary tables),
db/migrations.py (in-place upgrades), db/bulk.py (many-row inserts). The names other modules
have always used from here (`insert_rows`, `CASE_KEYS`, `write_case_sectors`,
`rebuild_summaries`) are imported here too.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from paradiplo.db import tables
from paradiplo.db.bulk import insert_rows
from paradiplo.db.fts import FTS_DDL, FTS_TOKENIZE, FTS_TRIGGERS
from paradiplo.db.summaries import (
    CASE_KEYS,
    case_sector_problems,
    rebuild_summaries,
    summary_problems,
    write_case_sectors,
)

__all__ = [
    "CASE_KEYS",
    "FTS_TOKENIZE",
    "case_sector_problems",
    "insert_rows",
    "rebuild_summaries",
    "summary_problems",
    "write_case_sectors",
]

SCHEMA_VERSION = 5
# meta: the version of db/analyze.py the search index was built with (see db/searchdocs.py).
ANALYZER_KEY = "analyzer_version"
APPLICATION_ID = 0x50445450  # "PDTP": marks a file as a paradiplo database
BUSY_TIMEOUT_MS = 10_000

# The tables sqlite-utils cannot make as they are (a CHECK, a UNIQUE pair, WITHOUT ROWID) or
# that a read-only copy makes again as TEMP tables (the notes tables, without loading
# sqlite-utils), and every index. The other tables are in db/tables.py; `create_tables` makes
# both. Curated or imported records carry `origin`: 'seed' or 'user'.
DDL = """
CREATE TABLE IF NOT EXISTS areas (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('province', 'regency', 'city')),
    province_code TEXT REFERENCES areas(code)
);
CREATE INDEX IF NOT EXISTS areas_province ON areas(province_code);
-- The sources list pages in this order (an import adds a citation source per citation).
CREATE INDEX IF NOT EXISTS sources_list ON sources(origin DESC, id);
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY,
    source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    UNIQUE (source_id, seq)
);
CREATE TABLE IF NOT EXISTS actors (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    as_stated TEXT,
    country_code TEXT REFERENCES countries(code),
    level TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('state', 'sub_state', 'non_state', 'unknown')),
    area_code TEXT REFERENCES areas(code),
    province_code TEXT REFERENCES areas(code),
    candidates TEXT NOT NULL DEFAULT '[]',
    resolution TEXT,
    unclear TEXT NOT NULL DEFAULT '[]',
    origin TEXT NOT NULL DEFAULT 'seed'
);
CREATE INDEX IF NOT EXISTS actors_province ON actors(province_code);
CREATE INDEX IF NOT EXISTS actors_country ON actors(country_code);
-- Indexes for 100,000 cases (bench/RESULTS.md): every filter of the app has one, the default
-- sort (year, newest first) reads in index order within a filter, the region and partner
-- trees group a covering index without sorting, and under a province or regency/city filter
-- the partner tree reads only the index (the partner columns at the end).
CREATE INDEX IF NOT EXISTS cases_region ON cases(region_id);
CREATE INDEX IF NOT EXISTS cases_partner ON cases(partner_id);
CREATE INDEX IF NOT EXISTS cases_geo ON cases(region_country, province_code, area_code, region_id);
CREATE INDEX IF NOT EXISTS cases_province_year
    ON cases(province_code, year DESC, id, partner_country, partner_id, partner_name);
CREATE INDEX IF NOT EXISTS cases_area_year
    ON cases(area_code, year DESC, id, partner_country, partner_id, partner_name);
CREATE INDEX IF NOT EXISTS cases_partner_group ON cases(partner_country, partner_id, partner_name);
CREATE INDEX IF NOT EXISTS cases_year_desc ON cases(year DESC, id);
-- The overview's counts (db/stats.py) under a year or a type filter read only these.
CREATE INDEX IF NOT EXISTS cases_year_dims ON cases(year, province_code, partner_country, type);
CREATE INDEX IF NOT EXISTS cases_type_dims ON cases(type, year, province_code, partner_country);
CREATE INDEX IF NOT EXISTS cases_title ON cases(title COLLATE NOCASE, id);
CREATE INDEX IF NOT EXISTS cases_region_name ON cases(region_name COLLATE NOCASE, id);
CREATE INDEX IF NOT EXISTS cases_partner_name ON cases(partner_name COLLATE NOCASE, id);
-- A case's sector tags. Since schema 2 each row also carries copies of its case's sort and
-- filter keys and the case's whole set of sectors, and the table is kept in sector order
-- (WITHOUT ROWID, keyed by sector first): under a sector filter the counts, the trees and
-- the first page read one range of this table or of case_sectors_year and never the cases
-- table (bench/RESULTS.md). `write_case_sectors` is the one way to write them: the seed
-- build and the import, the only writers of cases, call it after writing the cases.
CREATE TABLE IF NOT EXISTS case_sectors (
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    sector_id TEXT NOT NULL REFERENCES sectors(id),
    as_stated TEXT,
    year INTEGER,
    region_id TEXT,
    region_country TEXT,
    province_code TEXT,
    area_code TEXT,
    partner_country TEXT,
    partner_id TEXT,
    partner_name TEXT,
    sector_set TEXT,
    PRIMARY KEY (sector_id, case_id)
) WITHOUT ROWID;
-- A case's rows (and the cascade when a case is deleted).
CREATE INDEX IF NOT EXISTS case_sectors_case ON case_sectors(case_id);
CREATE INDEX IF NOT EXISTS case_sectors_year ON case_sectors(sector_id, year DESC, case_id);
-- The summary tables (see db/tables.py) are read by sector:
CREATE INDEX IF NOT EXISTS summary_regions_sector ON summary_regions(sector_id);
CREATE INDEX IF NOT EXISTS summary_partners_sector ON summary_partners(sector_id);
-- Cases per sector under one filter key ('s:tourism', 'p:35', 'pc:JP', 'pa:', ...):
CREATE TABLE IF NOT EXISTS summary_sectors (
    key TEXT NOT NULL,
    sector_id TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (key, sector_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS evidence_record ON evidence(record_type, record_id);
CREATE INDEX IF NOT EXISTS evidence_source ON evidence(source_id, start);
CREATE INDEX IF NOT EXISTS events_case ON events(case_id);
-- User data. Notes point at their target by stable id, never by foreign key, so that
-- rebuilding or re-importing cases can never delete a note; a note whose target is gone
-- is 'orphaned' and still listed.
CREATE TABLE IF NOT EXISTS notes (
    id TEXT PRIMARY KEY,
    target_type TEXT NOT NULL CHECK (target_type IN ('case', 'source', 'region', 'passage')),
    target_id TEXT NOT NULL,
    anchor_start INTEGER,
    anchor_end INTEGER,
    anchor_quote TEXT,
    body TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT
);
CREATE INDEX IF NOT EXISTS notes_target ON notes(target_type, target_id);
CREATE INDEX IF NOT EXISTS notes_updated ON notes(updated_at);
CREATE TABLE IF NOT EXISTS note_tags (
    note_id TEXT NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (note_id, tag)
);
CREATE INDEX IF NOT EXISTS note_tags_tag ON note_tags(tag);
CREATE TABLE IF NOT EXISTS note_drafts (
    key TEXT PRIMARY KEY,
    note_id TEXT,
    target_type TEXT NOT NULL,
    target_id TEXT NOT NULL,
    body TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]',
    base_version INTEGER,
    updated_at TEXT NOT NULL
);
-- One search document per searchable thing (a case, a source passage, a note, a glossary
-- term). `terms` holds the analysed text (see db/analyze.py); the FTS table over this one
-- (FTS_DDL) is kept in sync by triggers (FTS_TRIGGERS).
CREATE TABLE IF NOT EXISTS search_docs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    ref_id TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    terms TEXT NOT NULL DEFAULT '',
    anchor_start INTEGER,
    anchor_end INTEGER,
    UNIQUE (kind, ref_id)
);
"""


def create_tables(conn: sqlite3.Connection) -> None:
    """Create this version's tables and indexes that the database lacks (a new database, or
    an upgrade adding tables). Most tables sqlite-utils makes (db/tables.py); those it cannot
    express (a CHECK, a UNIQUE pair, WITHOUT ROWID) or that a read-only copy makes again as
    TEMP tables without loading sqlite-utils (the notes tables) are in DDL."""
    statements = _ddl_statements()
    for statement in statements:
        if statement.startswith("CREATE TABLE"):
            conn.execute(statement)
    tables.create(conn, tables.TABLES)
    for statement in statements:
        if statement.startswith("CREATE INDEX"):
            conn.execute(statement)


# ------------------------------------------------------------- schema 3: fidelity block
# Kept apart from DDL so that it carries over as one block. Columns added to existing tables,
# then the new index and tables: what the app derives about a case (its lifecycle stage), the
# sources' own words kept apart from glosses, and the laws with what the sources claim about
# them and a reference from outside the bundled texts. A new database gets them by the same
# statements as an upgraded one (`apply_fidelity`), so both have exactly the same schema.
FIDELITY_COLUMNS: tuple[tuple[str, str, type, object], ...] = (
    # (table, column, type, default of a NOT NULL column or None)
    # Derived by db/derive.py (derive_stage) from the case's type and status; never stated.
    ("cases", "stage", str, None),
    ("cases", "stage_basis", str, None),
    # Glosses of the as-stated words, kept out of the *_as_stated fields (the source's words).
    ("cases", "status_gloss", str, None),
    ("cases", "date_note", str, None),
    ("events", "date_gloss", str, None),
    # Provenance fields of a source that are inferred rather than stated by its text.
    ("sources", "inferred", str, "[]"),
    # 1: a law that frames the field but that no bundled text cites (a reference only).
    ("legal_bases", "reference", int, 0),
)
FIDELITY_DDL = """
CREATE INDEX IF NOT EXISTS cases_stage ON cases(stage, year DESC, id);
"""


def _fidelity_statements() -> list[str]:
    bare = re.sub(r"--[^\n]*", "", FIDELITY_DDL)
    return [" ".join(st.split()) for st in bare.split(";") if st.strip()]


def apply_fidelity(conn: sqlite3.Connection) -> None:
    """Add the schema 3 columns, tables and index where they are missing (idempotent)."""
    from paradiplo.db.bulk import sqlite_db

    db = sqlite_db(conn)
    for table, column, kind, default in FIDELITY_COLUMNS:
        if column not in db.table(table).columns_dict:
            db.table(table).add_column(column, kind, not_null_default=default)
    tables.create(conn, tables.FIDELITY_TABLES)
    for statement in _fidelity_statements():
        conn.execute(statement)


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")


def open_connection(
    path: Path, *, readonly: bool = False, immutable: bool = False
) -> sqlite3.Connection:
    """Open a connection to an existing file (or create it, unless read-only).

    `immutable` (read-only only) reads the file without its -wal/-shm and without locks:
    for a folder or a disk where those cannot be made.
    """
    if readonly:
        # as_uri() percent-encodes '?', '#' and '%' in the path, which a bare "file:" would misread.
        uri = f"{path.absolute().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
    else:
        conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    _configure(conn)
    return conn


def rollback(conn: sqlite3.Connection) -> None:
    """Roll back the open transaction, if any, keeping the error that led here.

    SQLite rolls back by itself after some failures (a full disk, an I/O error): a ROLLBACK
    then fails with "cannot rollback - no transaction is active", which would hide the real
    problem ("disk is full") from the user.
    """
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def application_id(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA application_id").fetchone()[0])


def create_schema(conn: sqlite3.Connection) -> None:
    """Create every table, index, FTS table and trigger of the current version on an empty
    database."""
    conn.execute("PRAGMA journal_mode = WAL")
    create_tables(conn)
    apply_fidelity(conn)
    add_citation_columns(conn)
    if not _exists(conn, "search_docs_fts"):
        conn.execute(FTS_DDL)
        for sql in FTS_TRIGGERS:
            conn.execute(sql)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _exists(conn: sqlite3.Connection, name: str) -> bool:
    return (
        conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None
    )


INDEX_DDL = [
    " ".join(m.split())
    for m in re.findall(r"^CREATE INDEX IF NOT EXISTS [^;]+", DDL + FIDELITY_DDL, re.M)
]


def missing_indexes(conn: sqlite3.Connection) -> list[str]:
    """Names of this version's indexes that the database lacks (made by an older DDL)."""
    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    return [s.split()[5] for s in INDEX_DDL if s.split()[5] not in have]


def ensure_indexes(conn: sqlite3.Connection) -> list[str]:
    """Create the indexes a database made by an older DDL lacks; returns their names.

    Indexes change no data, so this needs no schema version: a writable store can run it on
    opening (a 100,000-case database takes a second or two, once).
    """
    missing = missing_indexes(conn)
    for statement in INDEX_DDL:
        if statement.split()[5] in missing:
            conn.execute(statement)
    return missing


def defer_indexes(
    conn: sqlite3.Connection, tables: Sequence[str], n_new: int, keep: Sequence[str] = ()
) -> list[str]:
    """Drop the secondary indexes of `tables` before writing `n_new` rows of `tables[0]` (and
    theirs in the other tables), if building them afterwards is faster; returns the
    statements that make them again, for the caller to run in the same transaction.

    Inserting into a dozen indexes row by row costs three to four times what building them
    by sorting does (100,000 cases and their sector rows: ~13 s against ~5 s), but a rebuild
    costs in proportion to every row: only worth it when the new rows are at least as many as
    those already there. Unique indexes (primary keys) stay, and those named in `keep` (for
    instance what deleting a case needs, when the caller replaces cases). Should anything
    fail before the indexes are back, the caller's transaction rolls back, and the dropped
    indexes with it.
    """
    if n_new < DEFER_INDEXES_FROM or n_new < _rows(conn, tables[0]):
        return []
    wanted = [
        s for s in INDEX_DDL if s.split()[7].split("(")[0] in tables and s.split()[5] not in keep
    ]
    for statement in wanted:
        conn.execute(f"DROP INDEX IF EXISTS {statement.split()[5]}")
    return wanted


DEFER_INDEXES_FROM = 5000
# What deleting or replacing a case needs (the cascade to its sector rows): without it each
# replaced case would scan the table.
CASCADE_INDEXES = ("case_sectors_case",)


def _rows(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])


def extra_indexes(conn: sqlite3.Connection) -> list[str]:
    """Indexes of our tables that this version's DDL does not have (left by an older one)."""
    wanted = {s.split()[5] for s in INDEX_DDL}
    return [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            " AND tbl_name NOT LIKE 'search_docs_fts%' ORDER BY name"
        )
        if name not in wanted
    ]


def _ddl_statements() -> list[str]:
    """The statements of DDL, one by one (executescript would commit the open transaction)."""
    bare = re.sub(r"--[^\n]*", "", DDL)
    return [" ".join(st.split()) for st in bare.split(";") if st.strip()]


# ------------------------------------------------------------------ citation fields (schema 4)
# What a reference needs beyond the provenance columns of `sources` (db/cite.py reads them).
# Kept apart from DDL and added column by column when missing, so whoever creates the table
# (DDL here, or another creator) gets them the same way, and an upgrade adds them in place.
# `published` is the date issued (as precise as stated); `kind` the type of work.
CITATION_COLUMNS: tuple[tuple[str, str | None], ...] = (
    # (column, default of a NOT NULL column or None); all are text
    # [{"family": ..., "given": ...}] or [{"literal": ...}], in the order the work names them
    ("creators", "[]"),
    # the title in sentence case, as APA and CSL-JSON want it (`title` stays as stated)
    ("title_sentence", None),
    # the bracketed description a reference gives an untitled work (APA 9.8), ours not the text's
    ("description", None),
    # the journal, newspaper, site or blog the work appeared in, when not the outlet
    ("container", None),
    ("volume", None),
    ("issue", None),
    ("pages", None),
    ("publisher", None),
    ("url", None),
    # the date the user read it online (YYYY-MM-DD)
    ("accessed", None),
)


def add_citation_columns(conn: sqlite3.Connection) -> list[str]:
    """Add the citation columns `sources` lacks (with sqlite-utils); returns their names."""
    have = {r[1] for r in conn.execute("PRAGMA table_info(sources)")}
    added = [(name, default) for name, default in CITATION_COLUMNS if name not in have]
    if added:
        from paradiplo.db.bulk import sqlite_db

        sources = sqlite_db(conn).table("sources")
        for name, default in added:
            sources.add_column(name, str, not_null_default=default)
    return [name for name, _default in added]
