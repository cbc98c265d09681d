"""case_sectors (each case's sector tags, carrying its sort and filter keys) and the summary
tables that answer the trees and sector counts of the common filters."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Mapping, Sequence

from paradiplo.db.bulk import insert_rows

# The columns of a case copied onto each of its case_sectors rows (same names on both).
CASE_KEYS = (
    "year",
    "region_id",
    "region_country",
    "province_code",
    "area_code",
    "partner_country",
    "partner_id",
    "partner_name",
)
_INSERT_CASE_SECTOR = (
    "INSERT OR IGNORE INTO case_sectors(case_id, sector_id, as_stated, sector_set, "
    + ", ".join(CASE_KEYS)
    + ") SELECT c.id, ?, ?, ?, "
    + ", ".join(f"c.{k}" for k in CASE_KEYS)
    + " FROM cases c WHERE c.id = ?"
)
_INSERT_CASE_SECTOR_VALUES = (
    "INSERT OR IGNORE INTO case_sectors(case_id, sector_id, as_stated, sector_set, "
    + ", ".join(CASE_KEYS)
    + ") VALUES"
)


def write_case_sectors(
    conn: sqlite3.Connection,
    tags: Mapping[str, Sequence[tuple[str, str | None]]],
    keys: Mapping[str, Sequence[object]] | None = None,
) -> None:
    """Tag cases with sectors: case id -> every (sector id, as stated) of that case.

    Call it after the cases are written, with all of each case's sectors at once and none of
    its old rows left: each row copies the case's keys (CASE_KEYS) and the case's whole set of
    sectors. `keys` (case id -> the values of CASE_KEYS, as just written to cases) saves
    reading them back; without it, a case that is not there gets no rows.
    """
    looked_up: list[tuple[object, ...]] = []
    given: list[tuple[object, ...]] = []
    for case_id, pairs in tags.items():
        sector_set = " ".join(sorted({sector for sector, _ in pairs}))
        known = keys.get(case_id) if keys is not None else None
        if known is None:
            looked_up += [(sector, stated, sector_set, case_id) for sector, stated in pairs]
        else:
            given += [(case_id, sector, stated, sector_set, *known) for sector, stated in pairs]
    conn.executemany(_INSERT_CASE_SECTOR, looked_up)
    insert_rows(conn, _INSERT_CASE_SECTOR_VALUES, given)


# What the summaries hold. The roll-ups read the per-sector tree rows ({regions},
# {partners}): the tables when rebuilding, a recount when checking.
_SUMMARY_REGIONS = (
    "SELECT '' AS sector_id, region_country, province_code, area_code, region_id,"
    " count(*) AS n FROM cases GROUP BY 2, 3, 4, 5",
    "SELECT sector_id, region_country, province_code, area_code, region_id, count(*)"
    " FROM case_sectors GROUP BY 1, 2, 3, 4, 5",
)
_SUMMARY_PARTNERS = (
    "SELECT '' AS sector_id, partner_country, partner_id, partner_name, count(*) AS n"
    " FROM cases GROUP BY partner_country, partner_id",
    "SELECT sector_id, partner_country, partner_id, partner_name, count(*) FROM case_sectors"
    " GROUP BY sector_id, partner_country, partner_id",
)
_SUMMARY_SECTORS = (
    # Under a sector: every sector of the cases tagged with it.
    "SELECT 's:' || a.sector_id, b.sector_id, count(*) FROM case_sectors a"
    " JOIN case_sectors b ON b.case_id = a.case_id GROUP BY 1, 2",
    # Under a region or partner key: rolled up from the per-sector tree rows.
    *(
        f"SELECT '{prefix}:' || {column}, sector_id, sum(n) FROM {{regions}}"
        f" WHERE sector_id != '' AND {column} IS NOT NULL GROUP BY 1, 2"
        for prefix, column in (
            ("c", "region_country"),
            ("p", "province_code"),
            ("a", "area_code"),
            ("r", "region_id"),
        )
    ),
    *(
        f"SELECT '{prefix}:' || coalesce({column}, ''), sector_id, sum(n) FROM {{partners}}"
        " WHERE sector_id != '' GROUP BY 1, 2"
        for prefix, column in (("pc", "partner_country"), ("pa", "partner_id"))
    ),
)


def rebuild_summaries(conn: sqlite3.Connection) -> None:
    """Recount the summary tables from cases and case_sectors (in the caller's transaction).

    Every writer of cases calls it before committing (about a second for 100,000 cases),
    so the summaries always agree with the cases they summarise.
    """
    for table, selects in (
        ("summary_regions", _SUMMARY_REGIONS),
        ("summary_partners", _SUMMARY_PARTNERS),
        ("summary_sectors", _SUMMARY_SECTORS),
    ):
        conn.execute(f"DELETE FROM {table}")
        for select in selects:
            sql = select.format(regions="summary_regions", partners="summary_partners")
            conn.execute(f"INSERT INTO {table} {sql}")


def summary_problems(conn: sqlite3.Connection) -> int:
    """How many summary rows a recount would change (0 when the summaries are right). Reads
    only, so it runs on a read-only database too."""
    regions = "(" + " UNION ALL ".join(_SUMMARY_REGIONS) + ")"
    partners = "(" + " UNION ALL ".join(_SUMMARY_PARTNERS) + ")"
    wrong = 0
    for table, selects in (
        ("summary_regions", _SUMMARY_REGIONS),
        ("summary_partners", _SUMMARY_PARTNERS),
        ("summary_sectors", _SUMMARY_SECTORS),
    ):
        stored = Counter(conn.execute(f"SELECT * FROM {table}").fetchall())
        recount: Counter[tuple[object, ...]] = Counter()
        for select in selects:
            sql = select.replace("{regions}", regions).replace("{partners}", partners)
            recount.update(conn.execute(sql).fetchall())
        wrong += sum(((stored - recount) + (recount - stored)).values())
    return wrong


def case_sector_problems(conn: sqlite3.Connection) -> int:
    """How many case_sectors rows disagree with their case or with the case's other rows."""
    keys = " OR ".join(f"cs.{k} IS NOT c.{k}" for k in CASE_KEYS)
    return int(
        conn.execute(
            f"SELECT count(*) FROM case_sectors cs JOIN cases c ON c.id = cs.case_id WHERE {keys}"
            " OR cs.sector_set IS NOT (SELECT group_concat(sector_id, ' ') FROM (SELECT"
            " x.sector_id FROM case_sectors x WHERE x.case_id = cs.case_id ORDER BY x.sector_id))"
        ).fetchone()[0]
    )
