"""The trees and counts beside the case list: home regions (country, province, regency or
city), partners (country, partner) and the sectors, each with its number of cases under the
filters. Answered from the summary tables when they can, memoised (db/caselist.py)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from typing import Any

from paradiplo.db.caselist import (
    _memoised,
    _reference,
    sector_where,
    where_clause,
)
from paradiplo.db.i18n import N_
from paradiplo.db.models import Filters, RegionNode, SectorCount


def region_tree(conn: sqlite3.Connection, filters: Filters | None = None) -> list[RegionNode]:
    """Home-side regions: country, then province, then regency/city, with case counts.

    Counts honour the sector and partner filters (not the region filter itself).
    """
    f = _side_filters(filters, "region")
    return list(_memoised(conn, ("region_tree", f), lambda: _region_tree(conn, f)))


def _summarised(f: Filters) -> str | None:
    """The summary rows' sector_id for a tree under `f` ('' for no filter, the sector for
    one sector alone), or None if the tree must be counted from the cases."""
    if f.region or f.partner or len(f.sectors) > 1 or f.narrows_more():
        return None
    return f.sectors[0] if f.sectors else ""


# Each tree: its summary table, the columns of a row (then the count) and what a count from
# the cases groups by. The partners are grouped on the plain columns (not coalesce(partner_id,
# '')) so that the cases_partner_group index delivers the groups in order, with no sort.
_TREES = {
    "region": (
        "summary_regions",
        "region_country, province_code, area_code, region_id",
        "1, 2, 3, 4",
    ),
    "partner": (
        "summary_partners",
        "partner_country, partner_id, partner_name",
        "c.partner_country, c.partner_id",
    ),
}


def _tree_rows(
    conn: sqlite3.Connection, f: Filters, tree: str, country: str | None = None
) -> list[tuple[Any, ...]]:
    """A tree's (columns..., count) rows under `f`: from its summary table when one answers
    (a few hundred rows, whatever the size of the collection), else counted from the cases.
    With `country` ('' for none stated), only the rows of that country."""
    summary_table, columns, group = _TREES[tree]
    first = columns.split(",")[0]
    summary = _summarised(f)
    if summary is not None:
        where, params = "WHERE sector_id = ?", [summary]
        sql = f"SELECT {columns}, n FROM {summary_table} {{where}}"
        alias = ""
    else:
        if f.sectors:  # one range of case_sectors (kept in sector order)
            where, params = sector_where(f, "c")
            table = "case_sectors c"
        else:
            where, params = where_clause(f, sectors_as="in")
            table = "cases c"
        cols = ", ".join(f"c.{c.strip()}" for c in columns.split(","))
        sql = f"SELECT {cols}, count(*) FROM {table} {{where}} GROUP BY {group}"
        alias = "c."
    if country is not None:
        where += (" AND " if where else "WHERE ") + f"coalesce({alias}{first}, '') = ?"
        params = [*params, country]
    return conn.execute(sql.format(where=where), params).fetchall()


# Whether a row of each tree adds a node under its country: every region row does (a
# province or a region); a partner row only when it names its partner.
_HOLDS = {"region": "1", "partner": "coalesce({p}partner_id, '') != ''"}


def _tree_tops(
    conn: sqlite3.Connection, f: Filters, tree: str
) -> tuple[dict[str, int], set[str], int]:
    """A tree's countries ('' for none stated) with their counts under `f`, the countries
    with nodes under them, and a bound on the rows its whole tree is built from (the summary
    rows, or the cases counted)."""
    summary_table, columns, _group = _TREES[tree]
    first = columns.split(",")[0]
    summary = _summarised(f)
    if summary is not None:
        holds = _HOLDS[tree].format(p="")
        sql = (
            f"SELECT coalesce({first}, ''), sum(n), count(*), max({holds}) FROM {summary_table}"
            " WHERE sector_id = ? GROUP BY 1"
        )
        params: list[Any] = [summary]
    else:
        if f.sectors:
            where, params = sector_where(f, "c")
            table = "case_sectors c"
        else:
            where, params = where_clause(f, sectors_as="in")
            table = "cases c"
        holds = _HOLDS[tree].format(p="c.")
        sql = (
            f"SELECT coalesce(c.{first}, ''), count(*), count(*), max({holds})"
            f" FROM {table} {where} GROUP BY 1"
        )
    counts: dict[str, int] = {}
    parents: set[str] = set()
    size = 0
    for country, n, rows, holds_nodes in conn.execute(sql, params):
        counts[country] = counts.get(country, 0) + n
        size += rows
        if holds_nodes:
            parents.add(country)
    return counts, parents, size


def _region_tree(
    conn: sqlite3.Connection, f: Filters, country: str | None = None
) -> list[RegionNode]:
    rows = _tree_rows(conn, f, "region", country)
    area_names, area_levels, countries = _reference(conn)
    actor_ids = {r[3] for r in rows if not r[2]}
    actors: dict[str, tuple[str, str | None]] = {}
    if actor_ids:
        marks = ",".join("?" * len(actor_ids))
        for aid, name, level in conn.execute(
            f"SELECT id, name, level FROM actors WHERE id IN ({marks})", list(actor_ids)
        ):
            actors[aid] = (name, level)
    # node = [count, {child key: node}]
    tree: dict[str, list[Any]] = {}
    for country, province, area, actor, n in rows:
        ckey = country or ""
        cnode = tree.get(ckey)
        if cnode is None:
            cnode = tree[ckey] = [0, {}]
        cnode[0] += n
        if province:
            pnode = cnode[1].get(("p", province))
            if pnode is None:
                pnode = cnode[1][("p", province)] = [0, {}]
            pnode[0] += n
            holder = pnode[1]
        else:
            holder = cnode[1]
        if area:
            key = ("a", area)
        elif province and actor and actors.get(actor, ("", "province"))[1] == "province":
            continue  # a case of the province itself: counted on the province node
        else:
            key = ("r", actor)
        leaf = holder.get(key)
        if leaf is None:
            holder[key] = [n, None]
        else:
            leaf[0] += n

    def make(key: tuple[str, str], node: list[Any]) -> RegionNode:
        kind, value = key
        if kind == "p":
            label, level = area_names.get(value, value), "province"
        elif kind == "a":
            label, level = area_names.get(value, value), area_levels.get(value, "regency")
        else:
            name, lvl = actors.get(value, (value, None))
            label, level = name, lvl or "region"
        kids = node[1]
        children = _by_label([make(k, v) for k, v in kids.items()]) if kids else []
        return RegionNode(f"{kind}:{value}", label, level, node[0], children)

    out = []
    for ckey in sorted(tree, key=_COUNTRY_ORDER["region"]):
        count, kids = tree[ckey]
        children = _by_label([make(k, v) for k, v in kids.items()])
        out.append(_country("region", ckey, count, countries, children))
    return out


# The countries of each side in the tree's order: the home country (Indonesia) first on the
# region side; by name on the partner side (codes with no name last).
_COUNTRY_ORDER: dict[str, Any] = {"region": lambda k: (k != "ID", k)}


def _country(
    side: str,
    ckey: str,
    count: int,
    countries: dict[str, str],
    children: list[RegionNode] | None = None,
) -> RegionNode:
    """A country node of `side`, labelled from the country names."""
    if side == "region":
        key, label = f"c:{ckey}", countries.get(ckey, ckey or "Country not stated")
    else:
        key = f"pc:{ckey}"
        label = countries.get(ckey, ckey) if ckey else N_("Partner not named")
    return RegionNode(key, label, "country", count, children or [])


def tree_countries(
    conn: sqlite3.Connection, filters: Filters, side: str
) -> tuple[list[RegionNode], frozenset[str], int]:
    """The countries of one side of the tree ('region' or 'partner'), in the tree's order,
    with their counts under the filters and no children; the keys of those that have regions
    or partners under them; and a bound on the rows that side's whole tree is built from
    (what reading it whole costs). Two small aggregates, however many
    regions and partners the countries hold (see `country_children` for those)."""
    f = _side_filters(filters, side)

    def read() -> tuple[list[RegionNode], frozenset[str], int]:
        counts, parents, size = _tree_tops(conn, f, side)
        countries = _reference(conn)[2]
        order = _COUNTRY_ORDER.get(side) or _partner_order(countries)
        nodes = [_country(side, k, counts[k], countries) for k in sorted(counts, key=order)]
        prefix = "c:" if side == "region" else "pc:"
        return nodes, frozenset(prefix + k for k in parents), size

    nodes, parents, size = _memoised(conn, ("tree_countries", side, f), read)
    return list(nodes), parents, size


def country_children(conn: sqlite3.Connection, filters: Filters, key: str) -> list[RegionNode]:
    """The subtree under one country node of either side ('c:ID', 'pc:JP'), as the whole
    tree under `filters` holds it, read from that country's rows alone."""
    side = "partner" if key.startswith("pc:") else "region"
    f = _side_filters(filters, side)
    country = key.partition(":")[2]
    build = _partner_tree if side == "partner" else _region_tree
    nodes = _memoised(conn, ("country_children", key, f), lambda: build(conn, f, country))
    return list(nodes[0].children) if nodes else []


def _side_filters(filters: Filters | None, side: str) -> Filters:
    """The filters one side's counts honour: all but that side's own filter."""
    if filters is None:
        return Filters()
    return replace(filters, partner=None) if side == "partner" else replace(filters, region=None)


def _partner_order(countries: dict[str, str]) -> Any:
    return lambda k: countries.get(k, "~" + k).casefold()


def _by_label(nodes: list[RegionNode]) -> list[RegionNode]:
    """Nodes sorted by label, ignoring case."""
    nodes.sort(key=lambda n: n.label.casefold())
    return nodes


def partner_tree(conn: sqlite3.Connection, filters: Filters | None = None) -> list[RegionNode]:
    """Partner side: country, then partner, with case counts (honours region and sectors)."""
    f = _side_filters(filters, "partner")
    return list(_memoised(conn, ("partner_tree", f), lambda: _partner_tree(conn, f)))


def _partner_tree(
    conn: sqlite3.Connection, f: Filters, country: str | None = None
) -> list[RegionNode]:
    rows = _tree_rows(conn, f, "partner", country)
    countries = _reference(conn)[2]
    by_country: dict[str, list[RegionNode]] = {}
    totals: dict[str, int] = {}
    for country, partner_id, name, n in rows:
        pid = partner_id or ""
        ckey = country or ""
        totals[ckey] = totals.get(ckey, 0) + n
        if pid:
            by_country.setdefault(ckey, []).append(RegionNode(f"pa:{pid}", name, "partner", n))
        else:
            by_country.setdefault(ckey, [])
    out = []
    for ckey in sorted(totals, key=_partner_order(countries)):
        kids = sorted(by_country.get(ckey, []), key=lambda n: n.label.casefold())
        out.append(_country("partner", ckey, totals[ckey], countries, kids))
    return out


def sector_counts(conn: sqlite3.Connection, filters: Filters) -> list[SectorCount]:
    """Every sector with the number of cases under the filters (sectors included) tagged with it."""
    return list(_memoised(conn, ("sector_counts", filters), lambda: _sector_counts(conn, filters)))


def _summary_key(filters: Filters) -> str | None:
    """The one filter key of `filters` ('s:tourism', 'p:35', 'pc:JP'), or None if it has
    none or several: summary_sectors holds the sector counts under each single key."""
    if filters.narrows_more():
        return None
    keys = [k for k in (filters.region, filters.partner) if k]
    keys += [f"s:{sector}" for sector in filters.sectors]
    return keys[0] if len(keys) == 1 else None


def _sector_counts(conn: sqlite3.Connection, filters: Filters) -> list[SectorCount]:
    counts: dict[str, int] = {}
    where_clause(filters)  # validates the keys
    key = _summary_key(filters)
    if key is not None:
        counts = dict(
            conn.execute("SELECT sector_id, n FROM summary_sectors WHERE key = ?", (key,))
        )
    elif filters.sectors:
        # Each matching case is one row of the first sector, which carries the case's whole
        # set of sectors: count the sets (a few hundred kinds), then their sectors.
        where, params = sector_where(filters)
        for sector_set, n in conn.execute(
            f"SELECT cs.sector_set, count(*) FROM case_sectors cs {where} GROUP BY 1", params
        ):
            for sector in (sector_set or "").split():
                counts[sector] = counts.get(sector, 0) + n
    else:
        if filters.region or filters.partner or filters.narrows_more():
            where, params = where_clause(filters, sectors_as="in")
            sql = (
                "SELECT cs.sector_id, count(*) FROM case_sectors cs"
                f" JOIN cases c ON c.id = cs.case_id {where} GROUP BY cs.sector_id"
            )
        else:  # nothing: each sector's own summary row (its cases, under itself) answers
            sql = (
                "SELECT s.id, coalesce((SELECT ss.n FROM summary_sectors ss"
                " WHERE ss.key = 's:' || s.id AND ss.sector_id = s.id), 0) FROM sectors s"
            )
            params = []
        counts = dict(conn.execute(sql, params).fetchall())
    return [
        SectorCount(sid, en, idl, int(counts.get(sid, 0)))
        for sid, en, idl in conn.execute(
            "SELECT id, label_en, label_id FROM sectors ORDER BY position, label_en"
        )
    ]
