"""The cases matching a filter as SQL rows to count (db/stats.py, db/network.py): under a
sector filter one range of the first sector's case_sectors rows, else the cases themselves.
"""

from __future__ import annotations

from typing import Any

from paradiplo.db.models import Filters
from paradiplo.db.queries import sector_where, where_clause
from paradiplo.db.record import record


@record
class CaseRows:
    """The matching cases as SQL: FROM, WHERE, the case id column and the alias of the
    cases table (`c` itself, or `k` joined when the rows are a sector's range)."""

    source: str
    where: str
    params: list[Any]
    case_id: str
    case: str
    join_case: str


def case_rows(filters: Filters) -> CaseRows:
    if filters.sectors:
        # One range of the first sector's case_sectors rows, one per matching case; they carry
        # the case's year, region and partner keys (see db/schema.py).
        where, params = sector_where(filters, "c")
        return CaseRows(
            "case_sectors c", where, params, "c.case_id", "k", "JOIN cases k ON k.id = c.case_id"
        )
    where, params = where_clause(filters, sectors_as="in")
    return CaseRows("cases c", where, params, "c.id", "c", "")
