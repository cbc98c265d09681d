"""The read API: what the CLI and the TUI ask of the database. Every list is paged in SQL."""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar, cast

from paradiplo.db.errors import NotFound
from paradiplo.db.i18n import N_
from paradiplo.db.models import (
    Actor,
    CaseDetail,
    CaseRow,
    Event,
    Evidence,
    Excerpt,
    Filters,
    GlossaryTerm,
    LegalBasis,
    Person,
    RegionNode,
    SectorCount,
    SectorTag,
    Source,
    Span,
)
from paradiplo.db.schema import case_sector_problems, summary_problems
from paradiplo.db.text import clip, json_list

_list = json_list  # the name db/io.py imports

# Undated cases come last either way. SQLite sorts NULL lowest, so "year DESC" already puts them
# last, and written this way the default sort walks the cases_year index instead of sorting.
_ORDER = {
    "year": "c.year IS NULL, c.year, c.id",
    "-year": "c.year DESC, c.id",
    "title": "c.title COLLATE NOCASE, c.id",
    "region": "c.region_name COLLATE NOCASE, c.id",
    "partner": "c.partner_name COLLATE NOCASE, c.id",
}

SOURCE_KIND_LABELS = {
    # Marked for the catalog: the app shows them translated; citations keep the English.
    "news": N_("news piece"),
    "opinion": N_("opinion piece"),
    "journal_article": N_("journal article"),
    "report": N_("report"),
    "book": N_("book"),
    "web": N_("web page"),
    "official": N_("official document"),
    "citation": N_("citation"),
    "other": N_("source"),
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
    region = filters.region
    if region:
        prefix, _, value = region.partition(":")
        column = _REGION_COLUMNS.get(prefix)
        if column is None:
            raise NotFound(f"Unknown region filter '{region}'.")
        conds.append(f"{alias}.{column} = ?")
        params.append(value)
    partner = filters.partner
    if partner:
        prefix, _, value = partner.partition(":")
        column = _PARTNER_COLUMNS.get(prefix)
        if column is None:
            raise NotFound(f"Unknown partner filter '{partner}'.")
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
        prefix, _, value = key.partition(":")
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


def region_tree(conn: sqlite3.Connection, filters: Filters | None = None) -> list[RegionNode]:
    """Home-side regions: country, then province, then regency/city, with case counts.

    Counts honour the sector and partner filters (not the region filter itself).
    """
    f = replace(filters, region=None) if filters else Filters()
    return list(_memoised(conn, ("region_tree", f), lambda: _region_tree(conn, f)))


def _summarised(f: Filters) -> str | None:
    """The summary rows' sector_id for a tree under `f` ('' for no filter, the sector for
    one sector alone), or None if the tree must be counted from the cases."""
    if f.region or f.partner or len(f.sectors) > 1 or f.narrows_more():
        return None
    return f.sectors[0] if f.sectors else ""


def _tree_rows(
    conn: sqlite3.Connection, f: Filters, summary_table: str, columns: str, group: str
) -> list[tuple[Any, ...]]:
    """A tree's (columns..., count) rows under `f`: from its summary table when one answers
    (a few hundred rows, whatever the size of the collection), else counted from the cases."""
    summary = _summarised(f)
    if summary is not None:
        sql = f"SELECT {columns}, n FROM {summary_table} WHERE sector_id = ?"
        params: list[Any] = [summary]
    else:
        if f.sectors:  # one range of case_sectors (kept in sector order)
            where, params = sector_where(f, "c")
            table = "case_sectors c"
        else:
            where, params = where_clause(f, sectors_as="in")
            table = "cases c"
        cols = ", ".join(f"c.{c.strip()}" for c in columns.split(","))
        sql = f"SELECT {cols}, count(*) FROM {table} {where} GROUP BY {group}"
    return conn.execute(sql, params).fetchall()


def _region_tree(conn: sqlite3.Connection, f: Filters) -> list[RegionNode]:
    rows = _tree_rows(
        conn,
        f,
        "summary_regions",
        "region_country, province_code, area_code, region_id",
        "1, 2, 3, 4",
    )
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
    for ckey, cnode in sorted(tree.items(), key=lambda kv: (kv[0] != "ID", kv[0])):
        children = _by_label([make(k, v) for k, v in cnode[1].items()])
        label = countries.get(ckey, ckey or "Country not stated")
        out.append(RegionNode(f"c:{ckey}", label, "country", cnode[0], children))
    return out


def _by_label(nodes: list[RegionNode]) -> list[RegionNode]:
    """Nodes sorted by label, ignoring case."""
    nodes.sort(key=lambda n: n.label.casefold())
    return nodes


def partner_tree(conn: sqlite3.Connection, filters: Filters | None = None) -> list[RegionNode]:
    """Partner side: country, then partner, with case counts (honours region and sectors)."""
    f = replace(filters, partner=None) if filters else Filters()
    return list(_memoised(conn, ("partner_tree", f), lambda: _partner_tree(conn, f)))


def _partner_tree(conn: sqlite3.Connection, f: Filters) -> list[RegionNode]:
    # Grouped on the plain columns (not coalesce(partner_id, '')) so that the
    # cases_partner_group index delivers the groups in order, with no sort.
    rows = _tree_rows(
        conn,
        f,
        "summary_partners",
        "partner_country, partner_id, partner_name",
        "c.partner_country, c.partner_id",
    )
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
    for ckey in sorted(totals, key=lambda k: countries.get(k, "~" + k).casefold()):
        label = countries.get(ckey, ckey) if ckey else N_("Partner not named")
        kids = sorted(by_country.get(ckey, []), key=lambda n: n.label.casefold())
        out.append(RegionNode(f"pc:{ckey}", label, "country", totals[ckey], kids))
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


# ------------------------------------------------------------------ sources and evidence
def _citation(row: sqlite3.Row | tuple[Any, ...]) -> tuple[str, str]:
    """(short label, full citation) for a source row (id, file, kind, title, outlet, authors,
    published, citation)."""
    sid, file, kind, title, outlet, authors_raw, published, citation = row
    authors = _list(authors_raw)
    if citation and not (title or outlet):
        return (clip(citation, 60), citation)
    who = ", ".join(authors) if authors else None
    parts = [
        who,
        f"“{title}”" if title else None,
        outlet,
        SOURCE_KIND_LABELS.get(kind, kind),
        published or "undated",
        f"file {file}" if file else None,
    ]
    label = outlet or (authors[0] if authors else None) or title or sid
    label = f"{label}, {published[:4]}" if published else f"{label} (undated)"
    return label, ". ".join(p for p in parts if p) + "."


_SOURCE_COLS = "id, file, kind, title, outlet, authors, published, citation"


def _evidence(conn: sqlite3.Connection, record_type: str, record_id: str) -> list[Evidence]:
    out = []
    for eid, sid, quote, start, end, supports, *src in conn.execute(
        'SELECT e.id, e.source_id, e.quote, e.start, e."end", e.supports, s.id, s.file, s.kind,'
        " s.title, s.outlet, s.authors, s.published, s.citation FROM evidence e"
        " JOIN sources s ON s.id = e.source_id WHERE e.record_type = ? AND e.record_id = ?"
        " ORDER BY e.id",
        (record_type, record_id),
    ):
        label, citation = _citation(tuple(src))
        out.append(Evidence(eid, sid, label, citation, quote, start, end, _list(supports)))
    return out


def _actor(conn: sqlite3.Connection, actor_id: str | None) -> Actor | None:
    if not actor_id:
        return None
    r = conn.execute(
        "SELECT a.id, a.name, a.as_stated, a.country_code, co.name_en, a.level, a.kind,"
        " a.area_code, ar.name, a.province_code, pr.name, a.candidates, a.resolution, a.unclear,"
        " a.origin FROM actors a LEFT JOIN countries co ON co.code = a.country_code"
        " LEFT JOIN areas ar ON ar.code = a.area_code"
        " LEFT JOIN areas pr ON pr.code = a.province_code WHERE a.id = ?",
        (actor_id,),
    ).fetchone()
    if r is None:
        return None
    return Actor(
        r[0],
        r[1],
        r[2],
        r[3],
        r[4],
        r[5],
        r[6],
        r[7],
        r[8],
        r[9],
        r[10],
        _list(r[11]),
        r[12],
        _list(r[13]),
        r[14],
        _evidence(conn, "actor", actor_id),
    )


def find_case_id(conn: sqlite3.Connection, text: str) -> tuple[str, bool]:
    """(case id, whether it was completed from a prefix) for an id as typed: the whole id, or a
    unique beginning of one ('jabar-shizuoka-m'). An unknown or ambiguous beginning is refused,
    naming the candidates."""
    wanted = text
    if conn.execute("SELECT 1 FROM cases WHERE id = ?", (wanted,)).fetchone():
        return wanted, False
    like = wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    found = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM cases WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 11", (like,)
        )
    ]
    if len(found) == 1:
        return found[0], True
    if not found:
        raise NotFound(f"No case with id '{wanted}'. 'paradiplo-tui cases list' shows the ids.")
    more = ", …" if len(found) > 10 else ""
    raise NotFound(
        f"'{wanted}' begins {'more than 10' if more else len(found)} case ids: "
        f"{', '.join(found[:10])}{more}. Type more of the id."
    )


def case_detail(conn: sqlite3.Connection, case_id: str) -> CaseDetail:
    r = conn.execute(
        "SELECT c.id, c.title, c.summary, c.region_id, c.partner_id, c.partner_as_stated,"
        " c.partner_kind, c.facilitator_id, c.type, coalesce(t.label_en, c.type, ''),"
        " c.type_as_stated, c.date, c.date_as_stated, c.status, c.status_as_stated,"
        " c.scope_article, c.category, c.category_basis, c.unclear, c.related, c.origin,"
        " c.stage, c.stage_basis, c.status_gloss, c.date_note"
        " FROM cases c LEFT JOIN case_types t ON t.id = c.type WHERE c.id = ?",
        (case_id,),
    ).fetchone()
    if r is None:
        raise NotFound(f"No case with id '{case_id}'. 'paradiplo-tui cases list' shows the ids.")
    region = _actor(conn, r[3])
    assert region is not None
    related = []
    for rid in _list(r[19]):
        t = conn.execute("SELECT title FROM cases WHERE id = ?", (rid,)).fetchone()
        related.append((rid, t[0] if t else f"{rid} (no longer in the collection)"))
    sectors = [
        SectorTag(*row)
        for row in conn.execute(
            "SELECT s.id, s.label_en, s.label_id, cs.as_stated FROM case_sectors cs"
            " JOIN sectors s ON s.id = cs.sector_id WHERE cs.case_id = ? ORDER BY s.position",
            (case_id,),
        )
    ]
    evidence = _evidence(conn, "case", case_id)
    people = [
        Person(pid, name, office, stated, _evidence(conn, "person", pid))
        for pid, name, office, stated in conn.execute(
            "SELECT p.id, p.name, p.office, p.office_as_stated FROM case_people cp"
            " JOIN people p ON p.id = cp.person_id WHERE cp.case_id = ? ORDER BY p.name",
            (case_id,),
        )
    ]
    names = dict(conn.execute("SELECT id, name FROM people").fetchall())
    events = [
        Event(
            eid,
            date,
            stated,
            place,
            desc,
            [names.get(p, p) for p in _list(ppl)],
            _evidence(conn, "event", eid),
            gloss,
        )
        for eid, date, stated, place, desc, ppl, gloss in conn.execute(
            "SELECT id, date, date_as_stated, place, description, people, date_gloss FROM events"
            " WHERE case_id = ? ORDER BY date IS NULL, date, id",
            (case_id,),
        )
    ]
    from paradiplo.db import laws
    from paradiplo.db.derive import STAGE_LABELS

    source_ids = sorted({e.source_id for e in evidence})
    legal = laws.laws_cited_in(conn, source_ids)
    return CaseDetail(
        id=r[0],
        title=r[1],
        summary=r[2],
        region=region,
        partner=_actor(conn, r[4]),
        partner_as_stated=r[5],
        partner_kind=r[6],
        facilitator=_actor(conn, r[7]),
        type=r[8],
        type_label=r[9],
        type_as_stated=r[10],
        date=r[11],
        date_as_stated=r[12],
        status=r[13],
        status_as_stated=r[14],
        scope_article=r[15],
        category=r[16],
        category_basis=r[17],
        unclear=_list(r[18]),
        related=related,
        origin=r[20],
        sectors=sectors,
        evidence=evidence,
        people=people,
        events=events,
        legal_bases=legal,
        stage=r[21],
        stage_label=STAGE_LABELS.get(r[21] or "", r[21]),
        stage_basis=r[22],
        status_gloss=r[23],
        date_note=r[24],
        conflicts=laws.conflicts_of_sources(conn, source_ids),
    )


def _source(
    row: tuple[Any, ...], text: str = "", extracts: dict[str, list[Any]] | None = None
) -> Source:
    (
        sid,
        file,
        kind,
        title,
        outlet,
        authors,
        affiliation,
        published,
        language,
        keywords,
        notes,
        citation,
        origin,
        inferred,
        url,
        accessed,
    ) = row
    label, full = _citation((sid, file, kind, title, outlet, authors, published, citation))
    parts = (extracts or {}).get(sid, [])
    return Source(
        sid,
        file,
        kind,
        title,
        outlet,
        _list(authors),
        affiliation,
        published,
        language,
        _list(keywords),
        _list(notes),
        full,
        label,
        origin,
        text,
        _list(inferred),
        [x for part, x in parts if part == "abstract"],
        [x for part, x in parts if part == "findings"],
        url,
        accessed,
    )


_SOURCE_FULL = (
    "id, file, kind, title, outlet, authors, affiliation, published, language, keywords, notes,"
    " citation, origin, inferred, url, accessed"
)


def _extracts(conn: sqlite3.Connection, source_ids: list[str]) -> dict[str, list[Any]]:
    """The abstract and findings passages of bundled sources (verbatim, with offsets)."""
    out: dict[str, list[Any]] = {}
    for i in range(0, len(source_ids), 500):
        chunk = source_ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for sid, quote, start, end, supports in conn.execute(
            'SELECT record_id, quote, start, "end", supports FROM evidence'
            f" WHERE record_type = 'source' AND record_id IN ({marks})"
            " AND (supports LIKE '%\"abstract\"%' OR supports LIKE '%\"findings\"%')"
            " ORDER BY id",
            chunk,
        ):
            facts = _list(supports)
            lang = next((f[9:] for f in facts if str(f).startswith("language:")), None)
            for part in ("abstract", "findings"):
                if part in facts:
                    out.setdefault(sid, []).append((part, Excerpt(quote, start, end, lang)))
    return out


def list_sources(
    conn: sqlite3.Connection, limit: int | None = None, offset: int = 0
) -> list[Source]:
    """Sources, bundled first, then by id; a page of them with `limit`.

    An import adds one citation source per distinct citation, so a large collection has tens
    of thousands: a list on screen should page (`limit`/`offset`, `count_sources`).
    """
    rows = conn.execute(
        f"SELECT {_SOURCE_FULL} FROM sources ORDER BY origin DESC, id LIMIT ? OFFSET ?",
        (-1 if limit is None else limit, offset),
    ).fetchall()
    extracts = _extracts(conn, [r[0] for r in rows if r[-2] == "seed" or r[1]])
    return [_source(tuple(r), extracts=extracts) for r in rows]


def count_sources(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM sources").fetchone()[0])


def get_source(conn: sqlite3.Connection, source_id: str) -> Source:
    r = conn.execute(f"SELECT {_SOURCE_FULL}, text FROM sources WHERE id = ?", (source_id,))
    row = r.fetchone()
    if row is None:
        raise NotFound(f"No source with id '{source_id}'.")
    return _source(tuple(row[:-1]), row[-1], _extracts(conn, [source_id]))


def source_spans(conn: sqlite3.Connection, source_id: str) -> list[Span]:
    """Every evidence passage in a source, in text order, with the record it supports."""
    return [
        Span(start, end, rtype, rid, eid)
        for eid, rtype, rid, start, end in conn.execute(
            'SELECT id, record_type, record_id, start, "end" FROM evidence'
            " WHERE source_id = ? AND start IS NOT NULL ORDER BY start, id",
            (source_id,),
        )
    ]


def glossary(conn: sqlite3.Connection) -> list[GlossaryTerm]:
    from paradiplo.db import laws

    return [
        GlossaryTerm(
            tid,
            term,
            definition,
            bool(ref),
            _evidence(conn, "term", tid),
            laws.conflicts_about(conn, f"term:{tid}"),
        )
        for tid, term, definition, ref in conn.execute(
            "SELECT id, term, definition, reference FROM glossary ORDER BY term COLLATE NOCASE"
        )
    ]


def legal_bases(conn: sqlite3.Connection) -> list[LegalBasis]:
    """Every law: official titles, the sources' claims, the outside reference (db/laws.py)."""
    from paradiplo.db import laws

    return laws.laws(conn)


def find_by_name(
    conn: sqlite3.Connection, text: str, limit: int = 20
) -> list[tuple[str, str, str]]:
    """(kind, key, label) of cases, regions, sectors and sources whose name contains `text`.

    For the command palette: cheap LIKE lookups, each capped at `limit`.
    """
    like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    out: list[tuple[str, str, str]] = []
    out += [
        ("sector", sid, f"{en} / {idl}")
        for sid, en, idl in conn.execute(
            "SELECT id, label_en, label_id FROM sectors WHERE label_en LIKE ? ESCAPE '\\'"
            " OR label_id LIKE ? ESCAPE '\\' LIMIT ?",
            (like, like, limit),
        )
    ]
    out += [
        ("region", f"p:{code}", name)
        for code, name in conn.execute(
            "SELECT code, name FROM areas a WHERE level = 'province' AND name LIKE ? ESCAPE '\\'"
            " AND EXISTS (SELECT 1 FROM cases c WHERE c.province_code = a.code) LIMIT ?",
            (like, limit),
        )
    ]
    out += [
        ("region", f"a:{code}", name)
        for code, name in conn.execute(
            "SELECT code, name FROM areas a WHERE level != 'province' AND name LIKE ? ESCAPE '\\'"
            " AND EXISTS (SELECT 1 FROM cases c WHERE c.area_code = a.code) LIMIT ?",
            (like, limit),
        )
    ]
    out += [
        ("partner", f"pc:{code}", f"{en} / {idl}")
        for code, en, idl in conn.execute(
            "SELECT code, name_en, name_id FROM countries co WHERE (name_en LIKE ? ESCAPE '\\'"
            " OR name_id LIKE ? ESCAPE '\\') AND EXISTS (SELECT 1 FROM cases c"
            " WHERE c.partner_country = co.code) LIMIT ?",
            (like, like, limit),
        )
    ]
    out += [
        ("source", sid, coalesce)
        for sid, coalesce in conn.execute(
            "SELECT id, coalesce(title, outlet, citation, id) FROM sources WHERE"
            " coalesce(title, '') || ' ' || coalesce(outlet, '') || ' ' || id LIKE ? ESCAPE '\\'"
            " LIMIT ?",
            (like, limit),
        )
    ]
    out += [
        ("case", cid, title)
        for cid, title in conn.execute(
            "SELECT id, title FROM cases WHERE title LIKE ? ESCAPE '\\' OR id LIKE ? ESCAPE '\\'"
            " ORDER BY title LIMIT ?",
            (like, like, limit),
        )
    ]
    return out


def stats(conn: sqlite3.Connection) -> dict[str, int]:
    tables = [
        "sources",
        "passages",
        "actors",
        "cases",
        "case_sectors",
        "sectors",
        "evidence",
        "people",
        "events",
        "legal_bases",
        "claims",
        "conflicts",
        "glossary",
        "areas",
        "countries",
        "notes",
        "search_docs",
    ]
    out = {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}
    out["notes"] = int(
        conn.execute("SELECT count(*) FROM notes WHERE deleted_at IS NULL").fetchone()[0]
    )
    out["user_cases"] = int(
        conn.execute("SELECT count(*) FROM cases WHERE origin = 'user'").fetchone()[0]
    )
    return out


def check(conn: sqlite3.Connection) -> list[str]:
    """Integrity, foreign keys and provenance. Returns a list of problems (empty when sound)."""
    problems: list[str] = []
    integrity = conn.execute("PRAGMA integrity_check").fetchall()
    if [tuple(r) for r in integrity] != [("ok",)]:
        problems += [f"integrity: {r[0]}" for r in integrity[:20]]
    for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check").fetchall()[:50]:
        problems.append(f"foreign key: {table} row {rowid} points to a missing {parent}")
    texts = dict(conn.execute("SELECT id, text FROM sources").fetchall())
    from paradiplo.db.text import find_quote

    for eid, rtype, rid, sid, quote, start, end in conn.execute(
        'SELECT id, record_type, record_id, source_id, quote, start, "end" FROM evidence'
        " WHERE quote IS NOT NULL"
    ):
        text = texts.get(sid)
        if text is None:
            problems.append(f"evidence {eid} ({rtype} {rid}) cites missing source {sid}")
            continue
        if not text and start is None and end is None:
            continue  # a citation-only source has no text to check the quote against
        if start is None or end is None or find_quote(text[start:end], quote) is None:
            problems.append(
                f"evidence {eid} ({rtype} {rid}): quote not at its stored offsets in {sid}"
            )
    for (cid,) in conn.execute(
        "SELECT id FROM cases c WHERE NOT EXISTS (SELECT 1 FROM evidence e"
        " WHERE e.record_type = 'case' AND e.record_id = c.id)"
    ):
        problems.append(f"case {cid} has no evidence (no source cited)")
    for (cid,) in conn.execute(
        "SELECT id FROM cases c WHERE origin = 'seed' AND NOT EXISTS (SELECT 1 FROM evidence e"
        " WHERE e.record_type = 'case' AND e.record_id = c.id AND e.quote IS NOT NULL)"
    ):
        problems.append(f"seed case {cid} has no verified quote")
    wrong = summary_problems(conn)
    if wrong:
        problems.append(f"summary counts out of step: {wrong} row(s) differ from a recount")
    stale = case_sector_problems(conn)
    if stale:
        problems.append(
            f"sector index out of step: {stale} case_sectors row(s) disagree with their case"
        )
    n_docs = conn.execute("SELECT count(*) FROM search_docs").fetchone()[0]
    n_fts = conn.execute("SELECT count(*) FROM search_docs_fts").fetchone()[0]
    if n_docs != n_fts:
        problems.append(f"search index out of step: {n_docs} documents, {n_fts} indexed")
    return problems
