"""Counts for an overview of a collection: cases by one dimension, a matrix of two, the network
of regions and partners. Every figure is one SQL aggregate (GROUP BY) under the same `Filters`
as the case list, never a walk over loaded cases: at 100,000 cases each takes milliseconds.

Dimensions: province, region, country (the partner's), sector, year, type, stage (lifecycle
stage, where the database records it) and category (PP 28/2018, derived). A case counts once
in each of its sectors, so sector counts can add up to more than the cases.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from paradiplo.db.errors import ParadiploError
from paradiplo.db.i18n import N_
from paradiplo.db.models import Filters
from paradiplo.db.queries import (
    _memoised,
    _reference,
    narrowing_conditions,
    sector_where,
    where_clause,
)
from paradiplo.db.text import json_list

DIMENSIONS = ("province", "region", "country", "sector", "year", "type", "stage", "category")
MATRIX_DIMENSIONS = ("province", "region", "country", "sector", "type", "year", "stage")
DIMENSION_LABELS = {
    "province": N_("province"),
    "region": N_("region"),
    "country": N_("partner country"),
    "sector": N_("sector"),
    "year": N_("year"),
    "type": N_("type"),
    "stage": N_("stage"),
    "category": N_("category"),
}
# What a missing value is called, by dimension.
_MISSING = {
    "province": "province not stated",
    "region": "region not stated",
    "country": "partner country not stated",
    "sector": "no sector",
    "year": "undated",
    "type": "type not stated",
    "stage": "unknown",
    "category": "not derived",
}
from paradiplo.db.derive import STAGES  # noqa: E402  (the lifecycle stages, in their order)


class UnknownDimension(ParadiploError):
    pass


@dataclass(frozen=True)
class Count:
    """One bar: the dimension's value (`key`: a province or country code, a region or sector
    id, a year, a type id, a stage; None for "not stated"), its label and its cases."""

    key: str | int | None
    label: str
    count: int


@dataclass(frozen=True)
class Matrix:
    rows_dim: str
    cols_dim: str
    rows: list[Count]  # row totals, largest first
    cols: list[Count]  # column totals, largest first
    cells: dict[tuple[str | int | None, str | int | None], int]
    total: int  # the cases under the filters (a case in two sectors counts once here)

    def cell(self, row: str | int | None, col: str | int | None) -> int:
        return self.cells.get((row, col), 0)


@dataclass(frozen=True)
class Neighbour:
    """A region's partner, or a partner's region, in a `Network`."""

    key: str  # the filter key of the neighbour ('pa:ID', 'a:35.78', 'r:ID'; 'pa:' unnamed)
    label: str
    where: str  # the partner's country, or the region's province
    count: int
    types: list[str]  # type labels, most cases first
    year_from: int | None
    year_to: int | None

    @property
    def steppable(self) -> bool:
        """True if the neighbour has a network of its own (a named party)."""
        return self.key not in ("pa:", "r:")


@dataclass(frozen=True)
class Network:
    key: str
    label: str
    side: str  # 'region' (its neighbours are partners) or 'partner' (neighbours are regions)
    count: int
    neighbours: list[Neighbour] = field(default_factory=list)


def check_dimension(dim: str, allowed: tuple[str, ...] = DIMENSIONS) -> str:
    if dim not in allowed:
        raise UnknownDimension(f"Unknown dimension '{dim}'. Use one of: {', '.join(allowed)}.")
    return dim


def has_stage(conn: sqlite3.Connection) -> bool:
    """True if this database records a lifecycle stage for each case (cases.stage)."""

    def look() -> bool:
        return any(r[1] == "stage" for r in conn.execute("PRAGMA table_info(cases)"))

    return _memoised(conn, ("has_stage",), look)


# ------------------------------------------------------------------ the rows counted
@dataclass(frozen=True)
class _Base:
    """The matching cases as SQL: FROM, WHERE, the case id column and the alias of the
    cases table (`c` itself, or `k` joined when the rows are a sector's range)."""

    source: str
    where: str
    params: list[Any]
    case_id: str
    case: str
    join_case: str


def _base(filters: Filters) -> _Base:
    if filters.sectors:
        # One range of the first sector's case_sectors rows, one per matching case; they carry
        # the case's year, region and partner keys (see db/schema.py).
        where, params = sector_where(filters, "c")
        return _Base(
            "case_sectors c", where, params, "c.case_id", "k", "JOIN cases k ON k.id = c.case_id"
        )
    where, params = where_clause(filters, sectors_as="in")
    return _Base("cases c", where, params, "c.id", "c", "")


def _expression(conn: sqlite3.Connection, dim: str, base: _Base) -> tuple[str, str]:
    """(SQL expression of the dimension's value, extra JOIN it needs) on `base`'s rows."""
    k = base.case
    if dim == "province":
        return "c.province_code", ""
    if dim == "region":
        return "c.region_id", ""
    if dim == "country":
        return "c.partner_country", ""
    if dim == "year":
        return "c.year", ""
    if dim == "sector":
        if base.source == "case_sectors c" and not base.where.startswith("WHERE c.sector_id"):
            return "c.sector_id", ""  # every sector row of the matching cases
        return "d.sector_id", f"JOIN case_sectors d ON d.case_id = {base.case_id}"
    join = base.join_case
    if dim == "type":
        return f"{k}.type", join
    if dim == "category":
        return f"{k}.category", join
    if dim == "stage":
        if not has_stage(conn):
            return "'unknown'", ""
        return f"{k}.stage", join
    raise UnknownDimension(f"Unknown dimension '{dim}'.")


def _labels(conn: sqlite3.Connection, dim: str, keys: list[Any]) -> dict[Any, str]:
    """Labels for the values of a dimension (names of provinces, countries, sectors, ...)."""
    names, _levels, countries = _reference(conn)
    if dim == "province":
        return {k: names.get(k, k) for k in keys if k is not None}
    if dim == "country":
        return {k: countries.get(k, k) for k in keys if k is not None}
    if dim == "sector":
        return dict(conn.execute("SELECT id, label_en FROM sectors").fetchall())
    if dim == "type":
        return dict(conn.execute("SELECT id, label_en FROM case_types").fetchall())
    if dim == "region":
        wanted = [k for k in keys if k is not None]
        out: dict[Any, str] = {}
        for i in range(0, len(wanted), 500):
            part = wanted[i : i + 500]
            marks = ",".join("?" * len(part))
            out.update(
                conn.execute(f"SELECT id, name FROM actors WHERE id IN ({marks})", part).fetchall()
            )
        return out
    if dim == "stage":
        from paradiplo.db.derive import STAGE_LABELS

        return {k: STAGE_LABELS.get(k, k).split(" (")[0] for k in keys if k is not None}
    return {k: str(k) for k in keys if k is not None}


def _label(dim: str, key: Any, labels: dict[Any, str]) -> str:
    if key is None:
        return _MISSING[dim]
    return labels.get(key, str(key))


# ------------------------------------------------------------------ counts by one dimension
def counts(conn: sqlite3.Connection, dim: str, filters: Filters | None = None) -> list[Count]:
    """Cases under `filters` by `dim`: largest first (years in order, oldest first, undated
    last; stages in lifecycle order)."""
    check_dimension(dim)
    f = filters or Filters()
    return list(_memoised(conn, ("stats.counts", dim, f), lambda: _counts(conn, dim, f)))


def counts_many(
    conn: sqlite3.Connection, dims: list[str], filters: Filters | None = None
) -> dict[str, list[Count]]:
    """`counts` for several dimensions at once (the overview's charts). Under a sector
    filter the type and stage of each matching case are read in one pass (one lookup of the
    case, not one per dimension)."""
    f = filters or Filters()
    for dim in dims:
        check_dimension(dim)
    together = [d for d in dims if d in ("type", "stage")]
    if f.sectors and len(together) == 2 and has_stage(conn):
        # One pass for both; the results are memoised as `counts` would keep them.
        base = _base(f)
        grouped = conn.execute(
            f"SELECT {base.case}.type, {base.case}.stage, count(*) FROM {base.source}"
            f" {base.join_case} {base.where} GROUP BY 1, 2",
            base.params,
        ).fetchall()
        for i, dim in enumerate(("type", "stage")):
            tally: dict[Any, int] = {}
            for row in grouped:
                tally[row[i]] = tally.get(row[i], 0) + int(row[2])
            labels = _labels(conn, dim, list(tally))
            items = _ordered(
                dim, [Count(k, _label(dim, k, labels), n) for k, n in tally.items() if n]
            )
            _memoised(conn, ("stats.counts", dim, f), _constant(items))
    return {dim: counts(conn, dim, f) for dim in dims}


def _constant(items: list[Count]) -> Callable[[], list[Count]]:
    return lambda: items


def _summary_rows(conn: sqlite3.Connection, dim: str, f: Filters) -> list[tuple[Any, int]] | None:
    """Counts by province, region or country from the summary tables, for no filter or one
    sector alone (a few hundred rows, whatever the size of the collection), else None."""
    if f.region or f.partner or len(f.sectors) > 1 or f.narrows_more():
        return None
    sector = f.sectors[0] if f.sectors else ""
    table, column = {
        "province": ("summary_regions", "province_code"),
        "region": ("summary_regions", "region_id"),
        "country": ("summary_partners", "partner_country"),
    }.get(dim, ("", ""))
    if not table:
        return None
    return conn.execute(
        f"SELECT {column}, sum(n) FROM {table} WHERE sector_id = ? GROUP BY 1", (sector,)
    ).fetchall()


def _counts(conn: sqlite3.Connection, dim: str, f: Filters) -> list[Count]:
    rows: list[tuple[Any, int]] | None
    if dim == "sector" and _years_on_sector_rows(f):
        # Each sector's rows in the year range: an index range count per sector (a few
        # dozen), instead of joining every case in the range to its sector rows.
        where, params = where_clause(f, "cs")
        rows = conn.execute(
            "SELECT s.id, (SELECT count(*) FROM case_sectors cs"
            f" {where} AND cs.sector_id = s.id) FROM sectors s",
            params,
        ).fetchall()
    elif dim == "stage" and has_stage(conn) and _only_years(f):
        # One range count per stage on the stage index (stage, year), not a lookup per case.
        where, params = where_clause(f, "c")
        rows = [
            (
                stage,
                conn.execute(
                    f"SELECT count(*) FROM cases c {where} AND c.stage = ?", [*params, stage]
                ).fetchone()[0],
            )
            for stage in STAGES
        ]
    elif dim == "sector":
        from paradiplo.db.queries import sector_counts

        rows = [(s.id, s.count) for s in sector_counts(conn, f) if s.count]
    elif dim == "stage" and not has_stage(conn):
        from paradiplo.db.queries import count_cases

        rows = [("unknown", count_cases(conn, f))]
    else:
        rows = _summary_rows(conn, dim, f)
    if rows is None:
        base = _base(f)
        expr, join = _expression(conn, dim, base)
        rows = conn.execute(
            f"SELECT {expr}, count(*) FROM {base.source} {join} {base.where} GROUP BY 1",
            base.params,
        ).fetchall()
    labels = _labels(conn, dim, [r[0] for r in rows])
    out = [Count(key, _label(dim, key, labels), int(n)) for key, n in rows if n]
    return _ordered(dim, out)


def _years_on_sector_rows(f: Filters) -> bool:
    """True if `f` is a year range, perhaps with a region or partner, and nothing that the
    sector rows do not carry themselves (sectors, type, stage)."""
    has_years = f.year_from is not None or f.year_to is not None
    return has_years and not (f.sectors or f.case_type is not None or f.stage is not None)


def _only_years(f: Filters) -> bool:
    """True if `f` is a year range and nothing else."""
    has_years = f.year_from is not None or f.year_to is not None
    return has_years and f == Filters(year_from=f.year_from, year_to=f.year_to)


def _ordered(dim: str, items: list[Count]) -> list[Count]:
    if dim == "year":
        return sorted(items, key=lambda c: (c.key is None, c.key if c.key is not None else 0))
    if dim == "stage":
        order = {s: i for i, s in enumerate(STAGES)}
        return sorted(items, key=lambda c: (order.get(str(c.key), len(order)), str(c.key)))
    return sorted(items, key=lambda c: (-c.count, c.key is None, c.label.casefold()))


# ------------------------------------------------------------------ matrix
def matrix(
    conn: sqlite3.Connection, rows_dim: str, cols_dim: str, filters: Filters | None = None
) -> Matrix:
    """Cases under `filters` by two dimensions: cells, row and column totals (largest
    first). A case in two sectors counts in both sectors' rows or columns."""
    check_dimension(rows_dim, MATRIX_DIMENSIONS)
    check_dimension(cols_dim, MATRIX_DIMENSIONS)
    if rows_dim == cols_dim:
        raise UnknownDimension(f"Rows and columns are both '{rows_dim}': choose two dimensions.")
    f = filters or Filters()
    key = ("stats.matrix", rows_dim, cols_dim, f)
    return _memoised(conn, key, lambda: _matrix(conn, rows_dim, cols_dim, f))


def _matrix(conn: sqlite3.Connection, rows_dim: str, cols_dim: str, f: Filters) -> Matrix:
    base = _base(f)
    if not f.sectors and "sector" in (rows_dim, cols_dim):
        # The sector rows carry their case's year, region and partner keys: read them alone.
        where, params = where_clause(
            Filters(region=f.region, partner=f.partner, year_from=f.year_from, year_to=f.year_to),
            "c",
        )
        more, more_params = narrowing_conditions(
            Filters(case_type=f.case_type, stage=f.stage), "c", via_case=True
        )
        conds = [where[len("WHERE ") :]] if where else []
        conds += more
        base = _Base(
            "case_sectors c",
            ("WHERE " + " AND ".join(conds)) if conds else "",
            params + more_params,
            "c.case_id",
            "k",
            "JOIN cases k ON k.id = c.case_id",
        )
    rexpr, rjoin = _expression(conn, rows_dim, base)
    cexpr, cjoin = _expression(conn, cols_dim, base)
    joins = " ".join(dict.fromkeys(j for j in (rjoin, cjoin) if j))
    rows = conn.execute(
        f"SELECT {rexpr}, {cexpr}, count(*) FROM {base.source} {joins} {base.where} GROUP BY 1, 2",
        base.params,
    ).fetchall()
    cells: dict[tuple[Any, Any], int] = {}
    rtot: dict[Any, int] = {}
    ctot: dict[Any, int] = {}
    for r, c, n in rows:
        cells[(r, c)] = int(n)
        rtot[r] = rtot.get(r, 0) + int(n)
        ctot[c] = ctot.get(c, 0) + int(n)
    if "sector" in (rows_dim, cols_dim):
        # A case counts once in each of its sectors, but once only in the other dimension's
        # totals: count those from the cases themselves.
        other = cols_dim if rows_dim == "sector" else rows_dim
        once = {c.key: c.count for c in counts(conn, other, f)}
        if rows_dim == "sector":
            ctot = {k: once.get(k, 0) for k in ctot}
        else:
            rtot = {k: once.get(k, 0) for k in rtot}
    rlabels = _labels(conn, rows_dim, list(rtot))
    clabels = _labels(conn, cols_dim, list(ctot))
    row_counts = _by_total(
        rows_dim, [Count(k, _label(rows_dim, k, rlabels), n) for k, n in rtot.items()]
    )
    col_counts = _by_total(
        cols_dim, [Count(k, _label(cols_dim, k, clabels), n) for k, n in ctot.items()]
    )
    from paradiplo.db.queries import count_cases

    return Matrix(rows_dim, cols_dim, row_counts, col_counts, cells, count_cases(conn, f))


def _by_total(dim: str, items: list[Count]) -> list[Count]:
    """Largest first; years in order."""
    if dim == "year":
        return _ordered(dim, items)
    return sorted(items, key=lambda c: (-c.count, c.key is None, c.label.casefold()))


# ------------------------------------------------------------------ filters from a value
def narrowed(filters: Filters, dim: str, key: str | int | None) -> Filters | None:
    """`filters` narrowed to one value of a dimension (what selecting its bar or cell shows),
    or None if that value cannot be a filter (undated cases, a missing province or region,
    the category, which is derived)."""
    if dim == "province":
        return replace(filters, region=f"p:{key}") if key is not None else None
    if dim == "region":
        return replace(filters, region=f"r:{key}") if key is not None else None
    if dim == "country":
        return replace(filters, partner=f"pc:{key or ''}")
    if dim == "sector":
        if key is None:
            return None
        sectors = filters.sectors if key in filters.sectors else (*filters.sectors, str(key))
        return replace(filters, sectors=sectors)
    if dim == "year":
        return replace(filters, year_from=int(key), year_to=int(key)) if key is not None else None
    if dim == "type":
        return replace(filters, case_type=str(key) if key is not None else "")
    if dim == "stage":
        return replace(filters, stage=str(key or "unknown"))
    return None


# ------------------------------------------------------------------ network
def network(conn: sqlite3.Connection, key: str, filters: Filters | None = None) -> Network:
    """The network of one region-tree key (c:/p:/a:/r:, its partners) or partner key
    (pc:/pa:, the regions it works with), under `filters`' sectors, years, type and stage."""
    f = replace(filters or Filters(), region=None, partner=None)
    return _memoised(conn, ("stats.network", key, f), lambda: _network(conn, key, f))


def _network(conn: sqlite3.Connection, key: str, f: Filters) -> Network:
    prefix = key.partition(":")[0]
    side = "partner" if prefix in ("pc", "pa") else "region"
    g = replace(f, partner=key) if side == "partner" else replace(f, region=key)
    base = _base(g)
    k = base.case
    join = base.join_case
    names, _levels, countries = _reference(conn)
    types = dict(conn.execute("SELECT id, label_en FROM case_types").fetchall())
    if side == "region":
        sql = (
            f"SELECT c.partner_id, max(c.partner_name), c.partner_country, count(*),"
            f" min(c.year), max(c.year), group_concat({k}.type) FROM {base.source} {join}"
            f" {base.where} GROUP BY c.partner_id"
        )
    else:
        sql = (
            f"SELECT c.region_id, max(k2.name), c.province_code, count(*), min(c.year),"
            f" max(c.year), group_concat({k}.type), max(c.area_code) FROM {base.source} {join}"
            f" JOIN actors k2 ON k2.id = c.region_id {base.where} GROUP BY c.region_id"
        )
    merged: dict[str, list[Any]] = {}
    for row in conn.execute(sql, base.params):
        ident, name, place, n, y0, y1, tlist = row[:7]
        if side == "region":
            nkey = f"pa:{ident}" if ident else "pa:"
            label = name if ident else "partner not named"
            where = countries.get(place, place) if place else "country not stated"
        else:
            area = row[7]
            nkey = f"a:{area}" if area else f"r:{ident}"
            label = names.get(area, name) if area else name
            where = names.get(place, place) if place else "province not stated"
        entry = merged.get(nkey)
        if entry is None:
            merged[nkey] = [label, where, int(n), y0, y1, {}]
            entry = merged[nkey]
        else:
            entry[2] += int(n)
            entry[3] = (
                y0 if entry[3] is None else (min(entry[3], y0) if y0 is not None else entry[3])
            )
            entry[4] = (
                y1 if entry[4] is None else (max(entry[4], y1) if y1 is not None else entry[4])
            )
        tally: dict[str, int] = entry[5]
        for t in (tlist or "").split(","):
            if t:
                tally[t] = tally.get(t, 0) + 1
    neighbours = [
        Neighbour(
            nkey,
            label,
            where,
            n,
            [types.get(t, t) for t, _ in sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))],
            y0,
            y1,
        )
        for nkey, (label, where, n, y0, y1, tally) in merged.items()
    ]
    neighbours.sort(key=lambda nb: (-nb.count, nb.label.casefold()))
    from paradiplo.db.queries import count_cases

    return Network(key, _key_label(conn, key), side, count_cases(conn, g), neighbours)


def _key_label(conn: sqlite3.Connection, key: str) -> str:
    """The name of a region-tree or partner-tree key."""
    prefix, _, value = key.partition(":")
    names, _levels, countries = _reference(conn)
    if prefix in ("p", "a"):
        return names.get(value, value)
    if prefix in ("c", "pc"):
        return countries.get(value, value) if value else "country not stated"
    if prefix in ("r", "pa"):
        if not value:
            return "partner not named" if prefix == "pa" else "region not stated"
        row = conn.execute("SELECT name FROM actors WHERE id = ?", (value,)).fetchone()
        return str(row[0]) if row else value
    return key


def key_label(conn: sqlite3.Connection, key: str) -> str:
    return _key_label(conn, key)


# ------------------------------------------------------------------ network export
@dataclass(frozen=True)
class NetworkNode:
    id: str
    name: str
    side: str  # region | partner
    country: str
    level: str  # a region's level (province, regency, city, ...) or a partner's kind
    kind: str
    province: str


@dataclass(frozen=True)
class NetworkEdge:
    case_id: str
    source: str  # the region's actor id
    target: str  # the partner's actor id
    title: str
    type: str
    year: int | None
    sectors: list[str]


def network_nodes(
    conn: sqlite3.Connection, filters: Filters | None = None
) -> Iterator[NetworkNode]:
    """Every region and named partner of the cases under `filters`."""
    base = _base(filters or Filters())
    sql = (
        "SELECT a.id, a.name, coalesce(co.name_en, a.country_code, ''), coalesce(a.level, ''),"
        " a.kind, coalesce(pr.name, ''), s.side FROM (SELECT c.region_id AS id, 'region' AS side"
        f" FROM {base.source} {base.where} UNION SELECT c.partner_id, 'partner' FROM"
        f" {base.source} {base.where} AND c.partner_id IS NOT NULL) s JOIN actors a ON a.id = s.id"
        " LEFT JOIN countries co ON co.code = a.country_code"
        " LEFT JOIN areas pr ON pr.code = a.province_code ORDER BY s.side DESC, a.id"
    )
    if not base.where:
        sql = sql.replace(" AND c.partner_id IS NOT NULL", " WHERE c.partner_id IS NOT NULL")
    seen: set[str] = set()
    for aid, name, country, level, kind, province, side in conn.execute(
        sql, [*base.params, *base.params]
    ):
        if aid in seen:  # a party on both sides: one node, as a region
            continue
        seen.add(aid)
        yield NetworkNode(aid, name, side, country, level, kind, province)


def network_edges(
    conn: sqlite3.Connection, filters: Filters | None = None
) -> Iterator[NetworkEdge]:
    """One edge per case with a named partner under `filters`, in id order."""
    base = _base(filters or Filters())
    k = base.case
    cond = "c.partner_id IS NOT NULL"
    where = f"{base.where} AND {cond}" if base.where else f"WHERE {cond}"
    sql = (
        f"SELECT {base.case_id}, c.region_id, c.partner_id, {k}.title,"
        f" coalesce({k}.type, ''), c.year,"
        f" (SELECT group_concat(sector_id, ';') FROM case_sectors z WHERE z.case_id = {base.case_id})"
        f" FROM {base.source} {base.join_case} {where} ORDER BY {base.case_id}"
    )
    for cid, region, partner, title, ctype, year, sectors in conn.execute(sql, base.params):
        yield NetworkEdge(
            cid,
            region,
            partner,
            title,
            ctype,
            year,
            sorted((sectors or "").split(";")) if sectors else [],
        )


def unnamed_partner_cases(conn: sqlite3.Connection, filters: Filters | None = None) -> int:
    """Cases under `filters` whose source names no partner (left out of the network)."""
    base = _base(filters or Filters())
    cond = "c.partner_id IS NULL"
    where = f"{base.where} AND {cond}" if base.where else f"WHERE {cond}"
    return int(
        conn.execute(f"SELECT count(*) FROM {base.source} {where}", base.params).fetchone()[0]
    )


def network_graph(conn: sqlite3.Connection, filters: Filters | None = None) -> Any:
    """The regions and named partners of the cases under `filters` as a networkx MultiGraph:
    nodes carry name, side, country, level, kind and province; each case is an edge (keyed by
    its id) carrying case_id, title, type, year (when dated) and sectors (';'-separated)."""
    import networkx as nx

    graph = nx.MultiGraph()
    for node in network_nodes(conn, filters):
        graph.add_node(
            node.id,
            name=node.name,
            side=node.side,
            country=node.country,
            level=node.level,
            kind=node.kind,
            province=node.province,
        )
    for edge in network_edges(conn, filters):
        attrs: dict[str, Any] = {
            "case_id": edge.case_id,
            "title": edge.title,
            "type": edge.type,
            "sectors": ";".join(edge.sectors),
        }
        if edge.year is not None:
            attrs["year"] = edge.year
        graph.add_edge(edge.source, edge.target, key=edge.case_id, **attrs)
    return graph


def type_id(conn: sqlite3.Connection, text: str) -> str:
    """A case type's id from its id or its English or Indonesian label (any case)."""
    wanted = text.strip().casefold()
    rows = conn.execute("SELECT id, label_en, label_id, synonyms FROM case_types").fetchall()
    for tid, en, idl, synonyms in rows:
        names = {tid, en, idl, *json_list(synonyms)}
        if wanted in {n.casefold() for n in names if n}:
            return str(tid)
    raise ParadiploError(
        f"Unknown case type '{text}'. Use one of: {', '.join(r[0] for r in rows)}."
    )


def filter_labels(conn: sqlite3.Connection, f: Filters) -> dict[str, str]:
    """Names of the region, partner, sectors and type of `f`, for the filter bar."""
    out: dict[str, str] = {}
    for key in (f.region, f.partner):
        if key:
            out[key] = key_label(conn, key)
    if f.sectors:
        names = dict(conn.execute("SELECT id, label_en FROM sectors").fetchall())
        out.update({s: names.get(s, s) for s in f.sectors})
    if f.case_type:
        row = conn.execute(
            "SELECT label_en FROM case_types WHERE id = ?", (f.case_type,)
        ).fetchone()
        out[f"type:{f.case_type}"] = row[0] if row else f.case_type
    return out
