"""What a screen hands the app to cite: the quote under the cursor and where it is from."""

from __future__ import annotations

from paradiplo.db.record import record


@record
class QuoteCite:
    """The selected quote: its source, its words, and the facts it supports (a case's quote:
    `case_id` and `supports`; another record's: `context`, e.g. "partner: Shizuoka
    Prefecture")."""

    source_id: str
    quote: str
    case_id: str | None = None
    supports: tuple[str, ...] = ()
    context: str | None = None
