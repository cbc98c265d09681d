"""The rows of a virtual list, read from SQLite a page at a time (CaseList, SourceList).

Only the row count is known up front. A page is asked for when a row of it is about to be
drawn (`claim`), read in a thread worker by the list, and stored when it arrives (`store`),
which drops the pages farthest from use once more than `keep` are held.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from typing import Generic, TypeVar

T = TypeVar("T")


class PageCache(Generic[T]):
    def __init__(self, size: int) -> None:
        self.size = size
        self.count = 0
        self.pages: OrderedDict[int, list[T]] = OrderedDict()
        self.pending: set[int] = set()

    def reset(self, count: int, first_page: list[T]) -> None:
        """Forget every page; the list now has `count` rows, the first page read already."""
        self.count = count
        self.pages.clear()
        self.pending.clear()
        self.pages[0] = first_page

    def page_of(self, index: int) -> int:
        return index // self.size

    def row(self, index: int) -> T | None:
        """Row `index`, or None while its page is not read."""
        page = self.pages.get(index // self.size)
        if page is None:
            return None
        offset = index % self.size
        return page[offset] if offset < len(page) else None

    def claim(self, page: int) -> bool:
        """True if `page` should be read now (and mark it as being read)."""
        if page in self.pages or page in self.pending or page * self.size >= self.count:
            return False
        self.pending.add(page)
        return True

    def store(self, page: int, rows: list[T], *, keep: int, near: Iterable[int] = ()) -> None:
        """Hold a page that was read; past `keep` pages, drop the oldest not in `near` (the
        first page, the cursor's and the viewport's, say)."""
        self.pending.discard(page)
        self.pages[page] = rows
        if len(self.pages) <= keep:
            return
        protected = set(near)
        for old in list(self.pages):
            if len(self.pages) <= keep:
                break
            if old not in protected:
                del self.pages[old]
