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

# Tables holding curated or imported data. `origin` is 'seed' or 'user'.
DDL = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE IF NOT EXISTS areas (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('province', 'regency', 'city')),
    province_code TEXT REFERENCES areas(code)
);
CREATE INDEX IF NOT EXISTS areas_province ON areas(province_code);
CREATE TABLE IF NOT EXISTS countries (
    code TEXT PRIMARY KEY,
    name_en TEXT NOT NULL,
    name_id TEXT,
    synonyms TEXT NOT NULL DEFAULT '[]',
    origin TEXT NOT NULL DEFAULT 'seed'
);
CREATE TABLE IF NOT EXISTS sources (
    id TEXT PRIMARY KEY,
    file TEXT,
    kind TEXT NOT NULL,
    title TEXT,
    outlet TEXT,
    authors TEXT NOT NULL DEFAULT '[]',
    affiliation TEXT,
    published TEXT,
    language TEXT,
    keywords TEXT NOT NULL DEFAULT '[]',
    notes TEXT NOT NULL DEFAULT '[]',
    citation TEXT,
    text TEXT NOT NULL DEFAULT '',
    origin TEXT NOT NULL DEFAULT 'seed',
    added_at TEXT
    -- `url` and `accessed` (where and when the user read a source they added; NULL for the
    -- bundled texts) come with the citation columns (CITATION_COLUMNS, schema 4).
);
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
CREATE TABLE IF NOT EXISTS sectors (
    id TEXT PRIMARY KEY,
    label_en TEXT NOT NULL,
    label_id TEXT NOT NULL,
    synonyms TEXT NOT NULL DEFAULT '[]',
    position INTEGER NOT NULL DEFAULT 0,
    origin TEXT NOT NULL DEFAULT 'seed'
);
CREATE TABLE IF NOT EXISTS case_types (
    id TEXT PRIMARY KEY,
    label_en TEXT NOT NULL,
    label_id TEXT NOT NULL,
    synonyms TEXT NOT NULL DEFAULT '[]',
    origin TEXT NOT NULL DEFAULT 'seed'
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
CREATE TABLE IF NOT EXISTS cases (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    region_id TEXT NOT NULL REFERENCES actors(id),
    partner_id TEXT REFERENCES actors(id),
    partner_as_stated TEXT,
    partner_kind TEXT,
    facilitator_id TEXT REFERENCES actors(id),
    type TEXT REFERENCES case_types(id),
    type_as_stated TEXT,
    date TEXT,
    date_as_stated TEXT,
    year INTEGER,
    status TEXT,
    status_as_stated TEXT,
    scope_article TEXT,
    summary TEXT,
    category TEXT,
    category_basis TEXT,
    unclear TEXT NOT NULL DEFAULT '[]',
    related TEXT NOT NULL DEFAULT '[]',
    origin TEXT NOT NULL DEFAULT 'seed',
    added_at TEXT,
    -- Denormalised from actors for fast filtering and sorting of large collections.
    region_name TEXT NOT NULL DEFAULT '',
    region_country TEXT,
    province_code TEXT,
    area_code TEXT,
    partner_name TEXT NOT NULL DEFAULT '',
    partner_country TEXT
);
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
-- Summaries (schema 2), rebuilt from cases and case_sectors by `rebuild_summaries` in the
-- transaction of every writer of cases (seed build, import). They answer the trees and the
-- sector counts of the common filters (none, one sector, one region or partner) by reading
-- a few hundred rows at most, however large the collection.
-- The region tree's rows under no filter (sector_id '') or under one sector:
CREATE TABLE IF NOT EXISTS summary_regions (
    sector_id TEXT NOT NULL,
    region_country TEXT,
    province_code TEXT,
    area_code TEXT,
    region_id TEXT,
    n INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS summary_regions_sector ON summary_regions(sector_id);
-- The partner tree's rows, likewise:
CREATE TABLE IF NOT EXISTS summary_partners (
    sector_id TEXT NOT NULL,
    partner_country TEXT,
    partner_id TEXT,
    partner_name TEXT,
    n INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS summary_partners_sector ON summary_partners(sector_id);
-- Cases per sector under one filter key ('s:tourism', 'p:35', 'pc:JP', 'pa:', ...):
CREATE TABLE IF NOT EXISTS summary_sectors (
    key TEXT NOT NULL,
    sector_id TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (key, sector_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS evidence (
    id INTEGER PRIMARY KEY,
    record_type TEXT NOT NULL,
    record_id TEXT NOT NULL,
    source_id TEXT NOT NULL REFERENCES sources(id),
    quote TEXT,
    start INTEGER,
    "end" INTEGER,
    supports TEXT NOT NULL DEFAULT '[]',
    origin TEXT NOT NULL DEFAULT 'seed'
);
CREATE INDEX IF NOT EXISTS evidence_record ON evidence(record_type, record_id);
CREATE INDEX IF NOT EXISTS evidence_source ON evidence(source_id, start);
CREATE TABLE IF NOT EXISTS people (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    office TEXT,
    office_as_stated TEXT,
    actor_id TEXT REFERENCES actors(id),
    origin TEXT NOT NULL DEFAULT 'seed'
);
CREATE TABLE IF NOT EXISTS case_people (
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (case_id, person_id)
);
CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    date TEXT,
    date_as_stated TEXT,
    place TEXT,
    description TEXT NOT NULL,
    people TEXT NOT NULL DEFAULT '[]',
    origin TEXT NOT NULL DEFAULT 'seed'
);
CREATE INDEX IF NOT EXISTS events_case ON events(case_id);
CREATE TABLE IF NOT EXISTS legal_bases (
    id TEXT PRIMARY KEY,
    short TEXT NOT NULL,
    title TEXT NOT NULL,
    kind TEXT,
    number TEXT,
    year INTEGER,
    summary TEXT,
    origin TEXT NOT NULL DEFAULT 'seed'
);
CREATE TABLE IF NOT EXISTS glossary (
    id TEXT PRIMARY KEY,
    term TEXT NOT NULL,
    definition TEXT NOT NULL,
    reference INTEGER NOT NULL DEFAULT 0,
    origin TEXT NOT NULL DEFAULT 'seed'
);
-- Schema 3: the bin of the user's deleted cases. `record` is the case as `db.collection`
-- wrote it (its row, sector tags and evidence, JSON), enough to put it back as it was.
CREATE TABLE IF NOT EXISTS case_bin (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    record TEXT NOT NULL,
    deleted_at TEXT NOT NULL
);
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

# ------------------------------------------------------------- schema 3: fidelity block
# Kept apart from DDL so that it carries over as one block. Columns added to existing tables,
# then the new index and tables: what the app derives about a case (its lifecycle stage), the
# sources' own words kept apart from glosses, and the laws with what the sources claim about
# them and a reference from outside the bundled texts. A new database gets them by the same
# statements as an upgraded one (`apply_fidelity`), so both have exactly the same schema.
FIDELITY_COLUMNS = (
    # Derived by db/derive.py (derive_stage) from the case's type and status; never stated.
    ("cases", "stage", "TEXT"),
    ("cases", "stage_basis", "TEXT"),
    # Glosses of the as-stated words, kept out of the *_as_stated fields (the source's words).
    ("cases", "status_gloss", "TEXT"),
    ("cases", "date_note", "TEXT"),
    ("events", "date_gloss", "TEXT"),
    # Provenance fields of a source that are inferred rather than stated by its text.
    ("sources", "inferred", "TEXT NOT NULL DEFAULT '[]'"),
    # 1: a law that frames the field but that no bundled text cites (a reference only).
    ("legal_bases", "reference", "INTEGER NOT NULL DEFAULT 0"),
)
FIDELITY_DDL = """
CREATE INDEX IF NOT EXISTS cases_stage ON cases(stage, year DESC, id);
-- A law's status and description from outside the bundled texts, each with its citations
-- (a JSON list of {database, address, publication}); `checked` says what was checked.
CREATE TABLE IF NOT EXISTS law_references (
    law_id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    status_text TEXT NOT NULL,
    replaced_by TEXT,
    amended_by TEXT NOT NULL DEFAULT '[]',
    description TEXT NOT NULL,
    citations TEXT NOT NULL DEFAULT '[]',
    checked TEXT,
    origin TEXT NOT NULL DEFAULT 'seed'
);
-- What one source claims, in its own voice, about laws or concepts (`about`: a JSON list of
-- 'law:<id>' / 'term:<id>'); its quotes are evidence rows (record_type 'claim').
CREATE TABLE IF NOT EXISTS claims (
    id TEXT PRIMARY KEY,
    source_id TEXT NOT NULL,
    about TEXT NOT NULL DEFAULT '[]',
    claim TEXT NOT NULL,
    title_as_cited TEXT,
    origin TEXT NOT NULL DEFAULT 'seed'
);
-- Claims of different sources on the same question that disagree.
CREATE TABLE IF NOT EXISTS conflicts (
    id TEXT PRIMARY KEY,
    question TEXT NOT NULL,
    about TEXT NOT NULL DEFAULT '[]',
    claims TEXT NOT NULL DEFAULT '[]',
    note TEXT,
    origin TEXT NOT NULL DEFAULT 'seed'
);
"""


def _fidelity_statements() -> list[str]:
    bare = re.sub(r"--[^\n]*", "", FIDELITY_DDL)
    return [" ".join(st.split()) for st in bare.split(";") if st.strip()]


def apply_fidelity(conn: sqlite3.Connection) -> None:
    """Add the schema 3 columns, index and tables where they are missing (idempotent)."""
    for table, column, decl in FIDELITY_COLUMNS:
        have = {r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')}
        if column not in have:
            conn.execute(f'ALTER TABLE "{table}" ADD COLUMN {column} {decl}')
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
    conn.executescript(DDL)
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
CITATION_COLUMNS: tuple[tuple[str, str], ...] = (
    # [{"family": ..., "given": ...}] or [{"literal": ...}], in the order the work names them
    ("creators", "TEXT NOT NULL DEFAULT '[]'"),
    # the title in sentence case, as APA and CSL-JSON want it (`title` stays as stated)
    ("title_sentence", "TEXT"),
    # the bracketed description a reference gives an untitled work (APA 9.8), ours not the text's
    ("description", "TEXT"),
    # the journal, newspaper, site or blog the work appeared in, when not the outlet
    ("container", "TEXT"),
    ("volume", "TEXT"),
    ("issue", "TEXT"),
    ("pages", "TEXT"),
    ("publisher", "TEXT"),
    ("url", "TEXT"),
    # the date the user read it online (YYYY-MM-DD)
    ("accessed", "TEXT"),
)


def add_citation_columns(conn: sqlite3.Connection) -> list[str]:
    """Add the citation columns `sources` lacks; returns their names."""
    have = {r[1] for r in conn.execute("PRAGMA table_info(sources)")}
    added = []
    for name, decl in CITATION_COLUMNS:
        if name not in have:
            conn.execute(f'ALTER TABLE sources ADD COLUMN "{name}" {decl}')
            added.append(name)
    return added
