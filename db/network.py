"""The network of regions and partners under a filter: one region's partners or one
partner's regions (the app's network view), and every region, partner and case as nodes and
edges for export (Gephi, networkx). Read through db/stats.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import field, replace
from typing import Any

from paradiplo.db.i18n import _, data_label, language
from paradiplo.db.matchrows import case_rows
from paradiplo.db.models import Filters
from paradiplo.db.queries import _memoised, _reference
from paradiplo.db.record import record


@record
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


@record
class Network:
    key: str
    label: str
    side: str  # 'region' (its neighbours are partners) or 'partner' (neighbours are regions)
    count: int
    neighbours: list[Neighbour] = field(default_factory=list)


# ------------------------------------------------------------------ network
def network(conn: sqlite3.Connection, key: str, filters: Filters | None = None) -> Network:
    """The network of one region-tree key (c:/p:/a:/r:, its partners) or partner key
    (pc:/pa:, the regions it works with), under `filters`' sectors, years, type and stage."""
    f = replace(filters or Filters(), region=None, partner=None)
    memo = ("stats.network", key, f, language())  # its words are in the interface language
    return _memoised(conn, memo, lambda: _network(conn, key, f))


def _network(conn: sqlite3.Connection, key: str, f: Filters) -> Network:
    prefix = key.partition(":")[0]
    side = "partner" if prefix in ("pc", "pa") else "region"
    g = replace(f, partner=key) if side == "partner" else replace(f, region=key)
    base = case_rows(g)
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
            label = name if ident else _("partner not named")
            where = (
                data_label("country", place, countries.get(place, place))
                if place
                else _("country not stated")
            )
        else:
            area = row[7]
            nkey = f"a:{area}" if area else f"r:{ident}"
            label = names.get(area, name) if area else name
            where = names.get(place, place) if place else _("province not stated")
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
            [
                data_label("type", t, types.get(t, t))
                for t, _n in sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))
            ],
            y0,
            y1,
        )
        for nkey, (label, where, n, y0, y1, tally) in merged.items()
    ]
    neighbours.sort(key=lambda nb: (-nb.count, nb.label.casefold()))
    from paradiplo.db.queries import count_cases

    return Network(key, key_label(conn, key), side, count_cases(conn, g), neighbours)


def key_label(conn: sqlite3.Connection, key: str) -> str:
    """The name of a region-tree or partner-tree key (in the interface language where the
    data has both, or where the key names nobody)."""
    prefix, _sep, value = key.partition(":")
    names, _levels, countries = _reference(conn)
    if prefix in ("p", "a"):
        return names.get(value, value)
    if prefix in ("c", "pc"):
        if not value:
            return _("country not stated")
        return data_label("country", value, countries.get(value, value))
    if prefix in ("r", "pa"):
        if not value:
            return _("partner not named") if prefix == "pa" else _("region not stated")
        row = conn.execute("SELECT name FROM actors WHERE id = ?", (value,)).fetchone()
        return str(row[0]) if row else value
    return key


# ------------------------------------------------------------------ network export
@record
class NetworkNode:
    id: str
    name: str
    side: str  # region | partner
    country: str
    level: str  # a region's level (province, regency, city, ...) or a partner's kind
    kind: str
    province: str


@record
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
    base = case_rows(filters or Filters())
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
    base = case_rows(filters or Filters())
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
    base = case_rows(filters or Filters())
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
