"""The database schema, its version, connections and in-place upgrades."""

from __future__ import annotations

import re
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from db.errors import DatabaseProblem

SCHEMA_VERSION = 1
APPLICATION_ID = 0x50445450  # "PDTP": marks a file as a paradiplo database
BUSY_TIMEOUT_MS = 10_000
FTS_TOKENIZE = "unicode61 remove_diacritics 2"

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
CREATE INDEX IF NOT EXISTS cases_title ON cases(title COLLATE NOCASE, id);
CREATE INDEX IF NOT EXISTS cases_region_name ON cases(region_name COLLATE NOCASE, id);
CREATE INDEX IF NOT EXISTS cases_partner_name ON cases(partner_name COLLATE NOCASE, id);
CREATE TABLE IF NOT EXISTS case_sectors (
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    sector_id TEXT NOT NULL REFERENCES sectors(id),
    as_stated TEXT,
    PRIMARY KEY (case_id, sector_id)
);
CREATE INDEX IF NOT EXISTS case_sectors_sector ON case_sectors(sector_id, case_id);
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
-- is created and kept in sync by triggers through sqlite-utils.
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

SEARCH_FTS_COLUMNS = ["title", "body", "terms"]


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")


def open_connection(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open a connection to an existing file (or create it, unless read-only)."""
    if readonly:
        # as_uri() percent-encodes '?', '#' and '%' in the path, which a bare "file:" would misread.
        uri = f"{path.absolute().as_uri()}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
    else:
        conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    _configure(conn)
    return conn


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def application_id(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA application_id").fetchone()[0])


def create_schema(conn: sqlite3.Connection) -> None:
    """Create every table, index and FTS table of the current version on an empty database."""
    conn.execute("PRAGMA journal_mode = WAL")
    conn.executescript(DDL)
    db = sqlite_utils.Database(conn)
    if "search_docs_fts" not in db.table_names():
        db.table("search_docs").enable_fts(
            SEARCH_FTS_COLUMNS, create_triggers=True, tokenize=FTS_TOKENIZE
        )
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


INDEX_DDL = [
    " ".join(m.split()) for m in re.findall(r"^CREATE INDEX IF NOT EXISTS [^;]+", DDL, re.M)
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


# Upgrades: MIGRATIONS[n] takes a database at version n to n + 1. Each runs in one transaction
# after a backup of the file has been written next to it.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {}


def backup(conn: sqlite3.Connection, path: Path, label: str) -> Path:
    """Write a consistent copy of the database next to it and return its path."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{label}-{stamp}.bak")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.{label}-{stamp}-{n}.bak")
        n += 1
    dest = sqlite3.connect(str(target))
    try:
        conn.backup(dest)
    finally:
        dest.close()
    return target


def upgrade(conn: sqlite3.Connection, path: Path) -> Path | None:
    """Bring a database of an older schema version up to date. Returns the backup path."""
    version = user_version(conn)
    if version == SCHEMA_VERSION:
        return None
    if version > SCHEMA_VERSION:
        raise DatabaseProblem(
            f"{path} was written by a newer paradiplo-tui (schema {version}, this one reads "
            f"up to {SCHEMA_VERSION}). Upgrade paradiplo-tui, or use --db to open another file."
        )
    saved = backup(conn, path, f"v{version}")
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise DatabaseProblem(
                f"{path}: no upgrade path from schema {version}; a backup is at {saved}."
            )
        conn.execute("BEGIN IMMEDIATE")
        try:
            step(conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        version += 1
    return saved


def copy_file(src: Path, dest: Path) -> None:
    shutil.copy2(src, dest)
