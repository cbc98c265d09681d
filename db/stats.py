"""Counts for an overview of a collection: cases by one dimension, a matrix of two (the network
of regions and partners is in db/network.py, importable from here). Every figure is one SQL aggregate (GROUP BY) under the same `Filters`
as the case list, never a walk over loaded cases: at 100,000 cases each takes milliseconds.

Dimensions: province, region, country (the partner's), sector, year, type, stage (lifecycle
stage, where the database records it) and category (PP 28/2018, derived). A case counts once
in each of its sectors, so sector counts can add up to more than the cases.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import field, replace
from typing import Any

from paradiplo.db.errors import ParadiploError
from paradiplo.db.i18n import N_, _, data_label
from paradiplo.db.matchrows import CaseRows, case_rows
from paradiplo.db.models import Filters
from paradiplo.db.network import (
    Neighbour,
    Network,
    NetworkEdge,
    NetworkNode,
    key_label,
    network,
    network_edges,
    network_graph,
    network_nodes,
    unnamed_partner_cases,
)
from paradiplo.db.queries import (
    _memoised,
    _reference,
    narrowing_conditions,
    where_clause,
)
from paradiplo.db.record import record
from paradiplo.db.text import json_list

# The public names, wherever they are defined (callers import them from here).
__all__ = [
    "DIMENSIONS",
    "DIMENSION_LABELS",
    "MATRIX_DIMENSIONS",
    "Count",
    "Matrix",
    "Neighbour",
    "Network",
    "NetworkEdge",
    "NetworkNode",
    "UnknownDimension",
    "check_dimension",
    "counts",
    "counts_many",
    "filter_labels",
    "has_stage",
    "key_label",
    "matrix",
    "narrowed",
    "network",
    "network_edges",
    "network_graph",
    "network_nodes",
    "shown_label",
    "type_id",
    "unnamed_partner_cases",
]

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
    "province": N_("province not stated"),
    "region": N_("region not stated"),
    "country": N_("partner country not stated"),
    "sector": N_("no sector"),
    "year": N_("undated"),
    "type": N_("type not stated"),
    "stage": N_("unknown"),
    "category": N_("not derived"),
}
from paradiplo.db.derive import STAGES  # noqa: E402  (the lifecycle stages, in their order)


class UnknownDimension(ParadiploError):
    pass


@record
class Count:
    """One bar: the dimension's value (`key`: a province or country code, a region or sector
    id, a year, a type id, a stage; None for "not stated"), its label and its cases."""

    key: str | int | None
    label: str  # in English, as --json gives it; `shown` is in the interface language
    count: int
    dim: str = field(default="", compare=False, repr=False)

    @property
    def shown(self) -> str:
        """The label in the interface language: 'Pariwisata', 'tanpa tanggal'."""
        return shown_label(self.dim, self.key, self.label)


def shown_label(dim: str, key: str | int | None, label: str) -> str:
    """A dimension value's label in the interface language (vocabulary labels, the words
    for a missing value, stages); names of places and partners as they are."""
    if key is None:
        return _(_MISSING[dim]) if dim in _MISSING else label
    if dim in ("sector", "type", "country"):
        return data_label(dim, str(key), label)
    if dim == "stage":
        from paradiplo.db.derive import STAGE_LABELS, stage_word

        return stage_word(str(key)) if key in STAGE_LABELS else label
    return label


@record
class Matrix:
    rows_dim: str
    cols_dim: str
    rows: list[Count]  # row totals, largest first
    cols: list[Count]  # column totals, largest first
    cells: dict[tuple[str | int | None, str | int | None], int]
    total: int  # the cases under the filters (a case in two sectors counts once here)

    def cell(self, row: str | int | None, col: str | int | None) -> int:
        return self.cells.get((row, col), 0)


def check_dimension(dim: str, allowed: tuple[str, ...] = DIMENSIONS) -> str:
    if dim not in allowed:
        raise UnknownDimension(
            _("Unknown dimension '{dim}'. Use one of: {dims}.").format(
                dim=dim, dims=", ".join(allowed)
            )
        )
    return dim


def has_stage(conn: sqlite3.Connection) -> bool:
    """True if this database records a lifecycle stage for each case (cases.stage)."""

    def look() -> bool:
        return any(r[1] == "stage" for r in conn.execute("PRAGMA table_info(cases)"))

    return _memoised(conn, ("has_stage",), look)


def _expression(conn: sqlite3.Connection, dim: str, base: CaseRows) -> tuple[str, str]:
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
    raise UnknownDimension(_("Unknown dimension '{dim}'.").format(dim=dim))


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


def _count(dim: str, key: Any, labels: dict[Any, str], n: int) -> Count:
    """One bar: its English label (a missing value's words, or from `labels`)."""
    label = _MISSING[dim] if key is None else labels.get(key, str(key))
    return Count(key, label, int(n), dim)


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
        base = case_rows(f)
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
            items = _ordered(dim, [_count(dim, k, labels, n) for k, n in tally.items() if n])
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
        base = case_rows(f)
        expr, join = _expression(conn, dim, base)
        rows = conn.execute(
            f"SELECT {expr}, count(*) FROM {base.source} {join} {base.where} GROUP BY 1",
            base.params,
        ).fetchall()
    labels = _labels(conn, dim, [r[0] for r in rows])
    out = [_count(dim, key, labels, n) for key, n in rows if n]
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
        raise UnknownDimension(
            _("Rows and columns are both '{dim}': choose two dimensions.").format(dim=rows_dim)
        )
    f = filters or Filters()
    key = ("stats.matrix", rows_dim, cols_dim, f)
    return _memoised(conn, key, lambda: _matrix(conn, rows_dim, cols_dim, f))


def _matrix(conn: sqlite3.Connection, rows_dim: str, cols_dim: str, f: Filters) -> Matrix:
    base = case_rows(f)
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
        base = CaseRows(
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
    row_counts = _by_total(rows_dim, [_count(rows_dim, k, rlabels, n) for k, n in rtot.items()])
    col_counts = _by_total(cols_dim, [_count(cols_dim, k, clabels, n) for k, n in ctot.items()])
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


def type_id(conn: sqlite3.Connection, text: str) -> str:
    """A case type's id from its id or its English or Indonesian label (any case)."""
    wanted = text.strip().casefold()
    rows = conn.execute("SELECT id, label_en, label_id, synonyms FROM case_types").fetchall()
    for tid, en, idl, synonyms in rows:
        names = {tid, en, idl, *json_list(synonyms)}
        if wanted in {n.casefold() for n in names if n}:
            return str(tid)
    raise ParadiploError(
        _("Unknown case type '{type}'. Use one of: {types}.").format(
            type=text, types=", ".join(r[0] for r in rows)
        )
    )


def filter_labels(conn: sqlite3.Connection, f: Filters) -> dict[str, str]:
    """Names of the region, partner, sectors and type of `f`, for the filter bar."""
    out: dict[str, str] = {}
    for key in (f.region, f.partner):
        if key:
            out[key] = key_label(conn, key)
    if f.sectors:
        names = dict(conn.execute("SELECT id, label_en FROM sectors").fetchall())
        out.update({s: data_label("sector", s, names.get(s, s)) for s in f.sectors})
    if f.case_type:
        row = conn.execute(
            "SELECT label_en FROM case_types WHERE id = ?", (f.case_type,)
        ).fetchone()
        out[f"type:{f.case_type}"] = data_label("type", f.case_type, row[0] if row else f.case_type)
    return out
