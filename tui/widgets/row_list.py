"""A paged list whose rows have ids (CaseList, SourceList): it says which row the cursor is
on, once per row (reading the row's page first when it is not read yet), and what Enter or
a double click chose."""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from textual.message import Message

from paradiplo.tui.widgets.paging import PagedList


class HasId(Protocol):
    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=HasId)
UNSAID = "\x00"  # no row announced yet (None is "no row": an empty list)


class RowList(PagedList[R]):
    """A subclass reads pages (`want_page`) and names its messages: `highlighted` (the row
    under the cursor, or None when the list is empty) and `chosen`."""

    def __init__(self, page_size: int, **kwargs: Any) -> None:
        super().__init__(page_size, **kwargs)
        self.announced: str | None = UNSAID

    def want_page(self, page: int) -> None:
        """Read page `page` (in a worker) unless it is read or being read."""
        raise NotImplementedError

    def highlighted(self, row: R | None) -> Message:
        raise NotImplementedError

    def chosen(self, row: R) -> Message:
        raise NotImplementedError

    def announce(self) -> None:
        """Post `highlighted` once per distinct row under the cursor (once its page is read)."""
        row = self.current
        if row is None and self.count:
            self.want_page(self.cursor // self.rows.size)
            return
        ident = row.id if row is not None else None
        if ident != self.announced:
            self.announced = ident
            self.post_message(self.highlighted(row))

    def choose(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.chosen(row))
