"""In-place upgrades of older databases: a backup first, then one transaction per version."""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from paradiplo.db import schema
from paradiplo.db.errors import DatabaseProblem
from paradiplo.db.fts import fts_is_current, rebuild_fts
from paradiplo.db.i18n import _
from paradiplo.db.schema import extra_indexes, user_version
from paradiplo.db.summaries import CASE_KEYS, rebuild_summaries


# Upgrades: MIGRATIONS[n] takes a database at version n to n + 1. Each runs in one transaction
# after a backup of the file has been written next to it. New tables and columns are made as a
# new database makes them (schema.create_tables, sqlite-utils' add_column), so an upgraded
# database has exactly a new one's schema (tests/test_upgrade.py).
def _v1_to_v2(conn: sqlite3.Connection) -> None:
    """Schema 2: case_sectors is made again in sector order, each row carrying its case's keys
    and sector set; the summary tables are made and counted; the case indexes of the current
    DDL replace older ones; the FTS table gets its prefix indexes if an earlier version did
    not give them. Notes and drafts are untouched."""
    for name in extra_indexes(conn):
        conn.execute(f'DROP INDEX "{name}"')
    # By hand, not with sqlite-utils' transform(): the new table is WITHOUT ROWID and keyed by
    # (sector_id, case_id), which transform() cannot make, and its new columns are copied
    # from each row's case, not left empty.
    table = next(
        s
        for s in schema._ddl_statements()
        if s.startswith("CREATE TABLE IF NOT EXISTS case_sectors")
    )
    conn.execute(table.replace("case_sectors (", "case_sectors_v2 (", 1))
    keys = ", ".join(CASE_KEYS)
    conn.execute(
        f"INSERT INTO case_sectors_v2(case_id, sector_id, as_stated, {keys}, sector_set)"
        f" SELECT cs.case_id, cs.sector_id, cs.as_stated, {', '.join(f'c.{k}' for k in CASE_KEYS)},"
        " (SELECT group_concat(sector_id, ' ') FROM (SELECT x.sector_id FROM case_sectors x"
        " WHERE x.case_id = cs.case_id ORDER BY x.sector_id))"
        " FROM case_sectors cs LEFT JOIN cases c ON c.id = cs.case_id"
    )
    conn.execute("DROP TABLE case_sectors")
    conn.execute("ALTER TABLE case_sectors_v2 RENAME TO case_sectors")
    schema.create_tables(conn)  # new tables and indexes; the rest exist
    rebuild_summaries(conn)
    if not fts_is_current(conn):
        rebuild_fts(conn)


def _v2_to_v3(conn: sqlite3.Connection) -> None:
    """Schema 3: the fidelity block (a case's stage, glosses apart from the as-stated words,
    laws with their references, claims and conflicts). Every case gets its stage, and its
    PP 28/2018 category is derived again by today's rule (a foreign state is neither KSDPL
    nor KSDLL). The seed records are rebuilt afterwards from the new seed files; notes,
    drafts and imported cases are kept."""
    from paradiplo.db.derive import derive_category, derive_stage

    schema.apply_fidelity(conn)
    updates = []
    for (
        cid,
        type_id,
        status,
        type_stated,
        status_stated,
        country,
        kind,
        year,
        partner,
    ) in conn.execute(
        "SELECT c.id, c.type, c.status, c.type_as_stated, c.status_as_stated,"
        " c.region_country, coalesce(c.partner_kind, a.kind), c.year,"
        " CASE WHEN c.partner_id IS NULL THEN NULL ELSE c.partner_name END"
        " FROM cases c LEFT JOIN actors a ON a.id = c.partner_id"
    ):
        stage, stage_basis = derive_stage(type_id, status, type_stated, status_stated)
        category, basis = derive_category(country, kind, year, partner)
        updates.append((stage, stage_basis, category, basis, cid))
    conn.executemany(
        "UPDATE cases SET stage = ?, stage_basis = ?, category = ?, category_basis = ?"
        " WHERE id = ?",
        updates,
    )


def _v3_to_v4(conn: sqlite3.Connection) -> None:
    """Schema 4: sources get the fields a reference needs (CITATION_COLUMNS), empty. The seed
    build fills those the bundled texts state; a user's sources are left for the user."""
    schema.add_citation_columns(conn)


def _v4_to_v5(conn: sqlite3.Connection) -> None:
    """Schema 5: sources have `url` and `accessed` (schema 4 adds them with the citation
    fields; a database that has them already keeps them); the bin of deleted cases is made.
    Nothing else changes."""
    schema.add_citation_columns(conn)  # url and accessed, if schema 4 did not add them
    schema.create_tables(conn)  # new tables and indexes; the rest exist


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
    4: _v4_to_v5,
}


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
    if version == schema.SCHEMA_VERSION:
        return None
    if version > schema.SCHEMA_VERSION:
        raise DatabaseProblem(
            _(
                "{path} was written by a newer paradiplo-tui (schema {version}, this one reads "
                "up to {newest}). Upgrade paradiplo-tui, or use --db to open another file."
            ).format(path=path, version=version, newest=schema.SCHEMA_VERSION)
        )
    saved = backup(conn, path, f"v{version}")
    while version < schema.SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise DatabaseProblem(
                _("{path}: no upgrade path from schema {version}; a backup is at {backup}.").format(
                    path=path, version=version, backup=saved
                )
            )
        conn.execute("BEGIN IMMEDIATE")
        try:
            step(conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            schema.rollback(conn)
            raise
        version += 1
    return saved


def copy_file(src: Path, dest: Path) -> None:
    shutil.copy2(src, dest)
