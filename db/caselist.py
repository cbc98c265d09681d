"""The filtered list of cases: filters as SQL, counts, pages and a case's place in the list.

Aggregates (counts here, the trees in db/trees.py) are memoised per connection and database
state (`_memoised`). Part of the read API that db/queries.py gathers.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar, cast

from paradiplo.db.errors import NotFound
from paradiplo.db.i18n import N_, _
from paradiplo.db.models import CaseRow, Filters

# Undated cases come last either way. SQLite sorts NULL lowest, so "year DESC" already puts them
# last, and written this way the default sort walks the cases_year index instead of sorting.
_ORDER = {
    "year": "c.year IS NULL, c.year, c.id",
    "-year": "c.year DESC, c.id",
    "title": "c.title COLLATE NOCASE, c.id",
    "region": "c.region_name COLLATE NOCASE, c.id",
    "partner": "c.partner_name COLLATE NOCASE, c.id",
}

# Region and partner filter keys ('p:35', 'pc:JP') by prefix: the column of cases (and of the
# summary rows) each one filters.
_REGION_COLUMNS = {"c": "region_country", "p": "province_code", "a": "area_code", "r": "region_id"}
_PARTNER_COLUMNS = {"pc": "partner_country", "pa": "partner_id"}


def where_clause(
    filters: Filters, alias: str = "c", *, sectors_as: str = "exists"
) -> tuple[str, list[Any]]:
    """SQL WHERE (with leading 'WHERE' or empty) and parameters for `filters`.

    A sector condition is written `sectors_as` "exists" (a correlated EXISTS: best for a sorted
    page, which walks an ordered index and stops after LIMIT rows) or "in" (`id IN (SELECT
    case_id ...)`: best for counts and aggregates, which then visit only the tagged cases
    instead of scanning every case).
    """
    conds: list[str] = []
    params: list[Any] = []
    if filters.region:
        column, value = _key_column(
            filters.region, _REGION_COLUMNS, N_("Unknown region filter '{key}'.")
        )
        conds.append(f"{alias}.{column} = ?")
        params.append(value)
    if filters.partner:
        column, value = _key_column(
            filters.partner, _PARTNER_COLUMNS, N_("Unknown partner filter '{key}'.")
        )
        if value == "":
            conds.append(f"{alias}.{column} IS NULL")
        else:
            conds.append(f"{alias}.{column} = ?")
            params.append(value)
    for sector in filters.sectors:
        if sectors_as == "in":
            conds.append(f"{alias}.id IN (SELECT case_id FROM case_sectors WHERE sector_id = ?)")
        else:
            conds.append(
                f"EXISTS (SELECT 1 FROM case_sectors cs WHERE cs.case_id = {alias}.id"
                " AND cs.sector_id = ?)"
            )
        params.append(sector)
    more, more_params = narrowing_conditions(filters, alias)
    conds += more
    params += more_params
    return ("WHERE " + " AND ".join(conds)) if conds else "", params


def _key_column(key: str, columns: dict[str, str], unknown: str) -> tuple[str, str]:
    """(column, value) a region or partner filter key stands for ('p:35': province_code, '35');
    NotFound (`unknown`, translated, names the key) for a key of no known kind."""
    prefix, _sep, value = key.partition(":")
    column = columns.get(prefix)
    if column is None:
        raise NotFound(_(unknown).format(key=key))
    return column, value


def narrowing_conditions(
    filters: Filters, alias: str = "c", *, via_case: bool = False
) -> tuple[list[str], list[Any]]:
    """The year, type and stage conditions of `filters` on rows of `alias`.

    With `via_case`, `alias` is a case_sectors row: it carries the case's year, and the type
    and stage are looked up on its case. A type of '' means "not stated".
    """
    conds: list[str] = []
    params: list[Any] = []
    if filters.year_from is not None:
        conds.append(f"{alias}.year >= ?")
        params.append(filters.year_from)
    if filters.year_to is not None:
        conds.append(f"{alias}.year <= ?")
        params.append(filters.year_to)
    if filters.stage is not None:
        if via_case:  # the stage is not copied onto the sector rows: ask the cases (indexed)
            conds.append(f"{alias}.case_id IN (SELECT id FROM cases WHERE stage = ?)")
        else:
            conds.append(f"{alias}.stage = ?")
        params.append(filters.stage)
    case_conds: list[str] = []
    row = "x" if via_case else alias
    if filters.case_type is not None:
        if filters.case_type == "":
            case_conds.append(f"{row}.type IS NULL")
        else:
            case_conds.append(f"{row}.type = ?")
            params.append(filters.case_type)
    if via_case and case_conds:
        conds.append(
            f"EXISTS (SELECT 1 FROM cases x WHERE x.id = {alias}.case_id AND "
            + " AND ".join(case_conds)
            + ")"
        )
    else:
        conds += case_conds
    return conds, params


def sector_where(filters: Filters, alias: str = "cs") -> tuple[str, list[Any]]:
    """WHERE and parameters over case_sectors rows (`alias`) for filters with a sector.

    Schema 2 copies each case's filter keys onto its case_sectors rows, so a sector filter is
    one range of the first sector's rows, region and partner conditions apply to the same
    rows, and each further sector is a check on the case's other rows. Every case matching
    `filters` is then exactly one row: counts, trees and the default page never read `cases`.
    """
    where, params = where_clause(Filters(region=filters.region, partner=filters.partner), alias)
    conds = [f"{alias}.sector_id = ?", *([where[len("WHERE ") :]] if where else [])]
    params = [filters.sectors[0], *params]
    for sector in filters.sectors[1:]:
        conds.append(f"{alias}.case_id IN (SELECT case_id FROM case_sectors WHERE sector_id = ?)")
        params.append(sector)
    more, more_params = narrowing_conditions(filters, alias, via_case=True)
    return "WHERE " + " AND ".join(conds + more), params + more_params


# ------------------------------------------------------------------ memo of aggregates
# Trees and sector counts aggregate every matching case; the app asks for the same ones again
# and again (the region tree ignores the region filter, so it is the same for every region
# picked). They are kept per connection and per database state: `PRAGMA data_version` changes
# when another connection commits, `total_changes` when this one writes, so a cached answer is
# never stale. Nothing is cached inside a transaction (it could be rolled back).
_MEMO_ENTRIES = 64
_MEMO_CONNECTIONS = 16
_memo: OrderedDict[int, tuple[sqlite3.Connection, tuple[int, int], OrderedDict[Any, Any]]] = (
    OrderedDict()
)
_memo_lock = threading.Lock()
T = TypeVar("T")


def _memoised(conn: sqlite3.Connection, key: Any, compute: Callable[[], T]) -> T:
    """`compute()`, or its earlier result on this connection if the database has not changed."""
    if conn.in_transaction:
        return compute()
    version = (int(conn.execute("PRAGMA data_version").fetchone()[0]), conn.total_changes)
    with _memo_lock:
        entry = _memo.get(id(conn))
        if entry is None or entry[0] is not conn or entry[1] != version:
            entry = (conn, version, OrderedDict())
            _memo[id(conn)] = entry
        _memo.move_to_end(id(conn))
        while len(_memo) > _MEMO_CONNECTIONS:
            _memo.popitem(last=False)
        cache = entry[2]
        if key in cache:
            cache.move_to_end(key)
            return cast(T, cache[key])
    value = compute()
    with _memo_lock:
        cache[key] = value
        while len(cache) > _MEMO_ENTRIES:
            cache.popitem(last=False)
    return value


def _reference(
    conn: sqlite3.Connection,
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(area names, area levels, country names) by code: small tables read on every tree."""

    def load() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
        names: dict[str, str] = {}
        levels: dict[str, str] = {}
        for code, name, level in conn.execute("SELECT code, name, level FROM areas"):
            names[code], levels[code] = name, level
        countries = dict(conn.execute("SELECT code, name_en FROM countries").fetchall())
        return names, levels, countries

    return _memoised(conn, ("reference",), load)


def count_cases(conn: sqlite3.Connection, filters: Filters) -> int:
    return _memoised(conn, ("count_cases", filters), lambda: _count_cases(conn, filters))


def _count_from_summary(conn: sqlite3.Connection, filters: Filters) -> int | None:
    """The number of cases under no filter, or one region or partner filter alone, summed from
    the trees' summary rows (a few hundred at most, however many cases), or None."""
    if filters.sectors or (filters.region and filters.partner) or filters.narrows_more():
        return None
    key = filters.region or filters.partner
    if key is None:
        sql, params = "SELECT sum(n) FROM summary_regions WHERE sector_id = ''", []
    else:
        prefix, _sep, value = key.partition(":")
        table, columns = (
            ("summary_regions", _REGION_COLUMNS)
            if filters.region
            else ("summary_partners", _PARTNER_COLUMNS)
        )
        column = columns.get(prefix)
        if column is None:
            return None  # where_clause says what is wrong with it
        cond = f"{column} IS NULL" if value == "" and filters.partner else f"{column} = ?"
        sql = f"SELECT sum(n) FROM {table} WHERE sector_id = '' AND {cond}"
        params = [] if value == "" and filters.partner else [value]
    row = conn.execute(sql, params).fetchone()
    return int(row[0] or 0)


def _count_cases(conn: sqlite3.Connection, filters: Filters) -> int:
    summed = _count_from_summary(conn, filters)
    if summed is not None:
        return summed
    if len(filters.sectors) == 1 and not (
        filters.region or filters.partner or filters.narrows_more()
    ):
        sector = filters.sectors[0]
        row = conn.execute(
            "SELECT n FROM summary_sectors WHERE key = ? AND sector_id = ?", (f"s:{sector}", sector)
        ).fetchone()
        return int(row[0]) if row else 0
    if filters.sectors:
        where, params = sector_where(filters)
        return int(
            conn.execute(f"SELECT count(*) FROM case_sectors cs {where}", params).fetchone()[0]
        )
    where, params = where_clause(filters, sectors_as="in")
    return int(conn.execute(f"SELECT count(*) FROM cases c {where}", params).fetchone()[0])


def list_cases(
    conn: sqlite3.Connection,
    filters: Filters,
    sort: str = "-year",
    limit: int = 200,
    offset: int = 0,
) -> list[CaseRow]:
    columns = (
        "SELECT c.id, c.title, c.year, c.date_as_stated, c.region_name, c.partner_name,"
        " coalesce(pc.name_en, c.partner_country), c.type, coalesce(t.label_en, c.type, ''),"
        " c.origin, c.partner_country"
    )
    joins = (
        "LEFT JOIN countries pc ON pc.code = c.partner_country"
        " LEFT JOIN case_types t ON t.id = c.type"
    )
    order = _ORDER.get(sort, _ORDER["-year"])
    if filters.sectors and order == _ORDER["-year"]:
        # The sector's rows in case_sectors_year order are the page: no scan of cases.
        where, params = sector_where(filters)
        sql = (
            f"{columns} FROM case_sectors cs JOIN cases c ON c.id = cs.case_id {joins} {where}"
            " ORDER BY cs.year DESC, cs.case_id LIMIT ? OFFSET ?"
        )
    else:
        where, params = where_clause(filters)
        sql = f"{columns} FROM cases c {joins} {where} ORDER BY {order} LIMIT ? OFFSET ?"
    return [CaseRow(*r) for r in conn.execute(sql, [*params, limit, offset])]


# For each sort, the condition "case c comes before the one whose sort key is ?, id ?", in the
# exact order of _ORDER (ties broken by id). Parameters: the key as often as it appears, then id.
_BEFORE: dict[str, tuple[str, str, int]] = {
    "-year": (
        "year",
        "(c.year > ? OR (? IS NULL AND c.year IS NOT NULL) OR (c.year IS ? AND c.id < ?))",
        3,
    ),
    "year": (
        "year",
        "((? IS NULL AND c.year IS NOT NULL) OR c.year < ? OR (c.year IS ? AND c.id < ?))",
        3,
    ),
    "title": (
        "title",
        "(c.title COLLATE NOCASE < ? OR (c.title COLLATE NOCASE = ? AND c.id < ?))",
        2,
    ),
    "region": (
        "region_name",
        "(c.region_name COLLATE NOCASE < ? OR (c.region_name COLLATE NOCASE = ? AND c.id < ?))",
        2,
    ),
    "partner": (
        "partner_name",
        "(c.partner_name COLLATE NOCASE < ? OR (c.partner_name COLLATE NOCASE = ? AND c.id < ?))",
        2,
    ),
}


def case_position(
    conn: sqlite3.Connection, filters: Filters, sort: str, case_id: str
) -> int | None:
    """Row index of a case in the filtered, sorted list (to restore a selection), or None.

    Counts the cases that sort before it (an index range count) rather than numbering the
    whole filtered list with a window function, which sorts every matching case.
    """
    column, before, repeat = _BEFORE.get(sort, _BEFORE["-year"])
    where, params = where_clause(filters)  # one case: EXISTS probes its own sector rows
    conds = f"AND {where[len('WHERE ') :]}" if where else ""
    row = conn.execute(
        f"SELECT c.{column} FROM cases c WHERE c.id = ? {conds}", [case_id, *params]
    ).fetchone()
    if row is None:
        return None
    key = [*([row[0]] * repeat), case_id]
    if filters.sectors and column == "year":
        # Under a sector filter, count the sector's rows in case_sectors that sort before.
        where, params = sector_where(filters)
        before = before.replace("c.year", "cs.year").replace("c.id", "cs.case_id")
        sql = f"SELECT count(*) FROM case_sectors cs {where} AND {before}"
        return int(conn.execute(sql, [*params, *key]).fetchone()[0])
    where, params = where_clause(filters, sectors_as="in")
    conds = f"AND {where[len('WHERE ') :]}" if where else ""
    n = conn.execute(f"SELECT count(*) FROM cases c WHERE {before} {conds}", [*key, *params])
    return int(n.fetchone()[0])
