"""The browse read model: everything the case browser shows for one set of filters, in one call.

`browse(conn, filters, sort, selection)` returns a `BrowseView`: the region and partner trees
with their counts, the sector counts, the number of cases (filtered and in all), the first page
of the list and the page holding the selected case, the note counts of those rows, and the
selected case in full with its notes. The app's main screen shows one `BrowseView` per change
(filters, sort, a case picked elsewhere); the command line can ask for the same view.

The filters are taken as they are (a `Filters` object, whatever fields it has): every query
below takes the whole object, so a new filter field needs no change here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection
from dataclasses import field, replace
from typing import TypeVar

from paradiplo.db import notes as notes_api
from paradiplo.db import queries, trees
from paradiplo.db.caselist import where_clause
from paradiplo.db.errors import NotFound
from paradiplo.db.i18n import _, data_label
from paradiplo.db.models import CaseDetail, CaseRow, Filters, Note, RegionNode, SectorCount
from paradiplo.db.record import record

PAGE = 100  # rows in a page of the case list
# A side of the tree built from at most this many rows is read whole; a larger one is read
# by country (see `browse`'s `read_countries`).
READ_ALL_UP_TO = 400
HOME_COUNTRY = "c:ID"  # opened at first: its provinces are read with the first view
T = TypeVar("T")

# The parts of a view, named as the panes that show them.
PARTS = ("regions", "sectors", "agreements", "detail")


@record
class Selection:
    """The case to keep selected (by id). With `reveal`, a case the filters hide is shown by
    clearing the filters (a case picked in search or the palette)."""

    case_id: str | None = None
    reveal: bool = False


@record
class CaseView:
    """One case as the Detail pane shows it: the case (None if it is gone) and its notes."""

    case_id: str
    detail: CaseDetail | None
    notes: list[Note] = field(default_factory=list)


@record
class BrowseView:
    """What the browser shows for `filters` (which may differ from the filters asked for: see
    `Selection.reveal`) and `sort`.

    `failures` maps a part (see `PARTS`) whose queries failed to the error; that part's fields
    then hold their empty values. `browse(strict=True)` raises instead.
    """

    filters: Filters
    sort: str
    regions: list[RegionNode] = field(default_factory=list)
    partners: list[RegionNode] = field(default_factory=list)
    sectors: list[SectorCount] = field(default_factory=list)
    count: int = 0
    total: int = 0
    first_page: list[CaseRow] = field(default_factory=list)
    cursor: int = 0
    cursor_page: list[CaseRow] | None = None
    note_counts: dict[str, int] = field(default_factory=dict)
    case: CaseView | None = None
    failures: dict[str, Exception] = field(default_factory=dict)
    asked: Filters = field(default_factory=Filters)  # the filters asked for
    # Country nodes of the trees whose subtree was not read (`browse`'s `read_countries`):
    # they have children, to be read with `country_children` when opened.
    unread: frozenset[str] = frozenset()

    @property
    def revealed(self) -> bool:
        """True when the filters were cleared to show the selected case."""
        return self.filters != self.asked

    @property
    def cursor_row(self) -> CaseRow | None:
        """The row under the cursor, if it was read."""
        rows = self.cursor_page if self.cursor_page is not None else self.first_page
        i = self.cursor % PAGE
        return rows[i] if i < len(rows) else None


def case_view(conn: sqlite3.Connection, case_id: str) -> CaseView:
    """A case and the notes on it; a case that is gone is `CaseView(case_id, None)`."""
    try:
        detail = queries.case_detail(conn, case_id)
    except NotFound:
        return CaseView(case_id, None)
    return CaseView(case_id, detail, notes_api.notes_for_case(conn, case_id))


def browse(
    conn: sqlite3.Connection,
    filters: Filters,
    sort: str = "-year",
    selection: Selection | None = None,
    *,
    strict: bool = True,
    read_countries: Collection[str] | None = None,
) -> BrowseView:
    """The browser's view of `filters` and `sort`, with the cursor on `selection`'s case.

    With `strict=False` a part whose queries fail is recorded in `failures` and the other
    parts are still read (the app shows what it can and marks the failed pane).

    The trees are read whole, unless `read_countries` is given (the app does): then a side
    built from more than `READ_ALL_UP_TO` rows lists its countries with their counts, and
    reads the regions or partners only under the countries in `read_countries`, the home
    country, a lone country, and the country holding that side's filter. The others are
    listed in `unread`, for `country_children` when they are opened.
    """
    selection = selection or Selection()
    failures: dict[str, Exception] = {}

    def part(name: str, read: Callable[[], T], empty: T) -> T:
        if strict:
            return read()
        try:
            return read()
        except Exception as exc:  # reported as that part's failure; the others go on
            failures[name] = exc
            return empty

    shown = part("agreements", lambda: _shown_filters(conn, filters, sort, selection), filters)
    view = replace(
        part("agreements", lambda: _cases(conn, shown, sort, selection.case_id), None)
        or BrowseView(shown, sort),
        asked=filters,
    )
    row = view.cursor_row
    case = part("detail", lambda: case_view(conn, row.id), None) if row is not None else None
    unread: set[str] = set()

    def side_tree(side: str) -> list[RegionNode]:
        if read_countries is None:
            whole = queries.region_tree if side == "region" else queries.partner_tree
            return whole(conn, shown)
        return _tree_by_country(conn, shown, side, read_countries, unread)

    none: list[RegionNode] = []
    regions = part("regions", lambda: side_tree("region"), none)
    partners = part("regions", lambda: side_tree("partner"), none)
    return replace(
        view,
        regions=regions,
        partners=by_shown_name(partners),
        sectors=part("sectors", lambda: queries.sector_counts(conn, shown), []),
        case=case,
        failures=failures,
        unread=frozenset(unread),
    )


def _tree_by_country(
    conn: sqlite3.Connection,
    filters: Filters,
    side: str,
    read: Collection[str],
    unread: set[str],
) -> list[RegionNode]:
    """One side of the tree, its subtrees read only under the countries that show them (see
    `browse`); the keys of the countries left unread are added to `unread`."""
    countries, parents, size = trees.tree_countries(conn, filters, side)
    if size <= READ_ALL_UP_TO:
        full = queries.region_tree if side == "region" else queries.partner_tree
        return full(conn, filters)
    wanted = {*read, HOME_COUNTRY}
    chosen = filters.region if side == "region" else filters.partner
    if chosen:
        wanted.add(country_of(conn, side, chosen) or "")
    out = []
    for node in countries:
        if node.key not in parents:
            pass  # nothing under it (partners not named): a leaf, as in the whole tree
        elif node.key in wanted or len(countries) == 1:
            node = replace(node, children=trees.country_children(conn, filters, node.key))
        else:
            unread.add(node.key)
        out.append(node)
    return out


def country_of(conn: sqlite3.Connection, side: str, key: str) -> str | None:
    """The country node ('c:ID', 'pc:JP') above a region or partner filter key of `side`,
    or None if no case has it."""
    prefix = "c" if side == "region" else "pc"
    if key.startswith(prefix + ":"):
        return key
    f = Filters(region=key) if side == "region" else Filters(partner=key)
    try:
        where, params = where_clause(f)
    except NotFound:  # a key of no known kind: no case has it
        return None
    column = "region_country" if side == "region" else "partner_country"
    row = conn.execute(f"SELECT c.{column} FROM cases c {where} LIMIT 1", params).fetchone()
    return f"{prefix}:{row[0] or ''}" if row is not None else None


def country_children(conn: sqlite3.Connection, filters: Filters, key: str) -> list[RegionNode]:
    """The regions or partners under a country of the trees (one listed in a view's
    `unread`), with their counts under `filters`."""
    return trees.country_children(conn, filters, key)


def by_shown_name(countries: list[RegionNode]) -> list[RegionNode]:
    """Partner countries in the order of their names in the interface language (Jepang,
    Korea Selatan, Tiongkok in Indonesian; Japan, China, South Korea in English); partners
    not named, and a country code with no name, come last."""

    def order(node: RegionNode) -> tuple[bool, str]:
        code = node.key.removeprefix("pc:")
        unnamed = not code or node.label == code
        return unnamed, data_label("country", code, node.label).casefold()

    return sorted(countries, key=order)


def _shown_filters(
    conn: sqlite3.Connection, filters: Filters, sort: str, selection: Selection
) -> Filters:
    """`filters`, or no filters when they hide the case to reveal."""
    case_id = selection.case_id
    if not (selection.reveal and case_id) or filters.is_empty():
        return filters
    if queries.case_position(conn, filters, sort, case_id) is None:
        return Filters()
    return filters


def _cases(conn: sqlite3.Connection, filters: Filters, sort: str, select: str | None) -> BrowseView:
    """Counts, the first page, and the page and position of `select` (if listed)."""
    count = queries.count_cases(conn, filters)
    total = count if filters.is_empty() else queries.count_cases(conn, Filters())
    first = queries.list_cases(conn, filters, sort=sort, limit=PAGE, offset=0)
    cursor, cursor_page = 0, None
    if select and count:
        pos = next((i for i, r in enumerate(first) if r.id == select), None)
        if pos is None:
            pos = queries.case_position(conn, filters, sort, select)
        if pos is not None:
            cursor = pos
            if pos >= PAGE:
                start = (pos // PAGE) * PAGE
                cursor_page = queries.list_cases(conn, filters, sort=sort, limit=PAGE, offset=start)
    ids = [r.id for r in first] + [r.id for r in cursor_page or []]
    return BrowseView(
        filters,
        sort,
        count=count,
        total=total,
        first_page=first,
        cursor=cursor,
        cursor_page=cursor_page,
        note_counts=notes_api.note_counts(conn, ids),
    )


def labels(view: BrowseView) -> dict[str, str]:
    """Every tree key and sector id of the view with its label (for naming active filters)."""
    out: dict[str, str] = {"pc:": _("partner not named")}
    stack = [*view.regions, *view.partners]
    while stack:
        node = stack.pop()
        out[node.key] = node.label
        stack.extend(node.children)
    out.update({s.id: s.label_en for s in view.sectors})
    return out
