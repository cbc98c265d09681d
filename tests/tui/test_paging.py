"""The page cache behind the virtual lists (agreements, sources)."""

from __future__ import annotations

from paradiplo.tui.widgets.paging import PageCache


def test_rows_come_from_stored_pages_and_are_claimed_once() -> None:
    cache: PageCache[int] = PageCache(10)
    cache.reset(25, list(range(10)))
    assert cache.row(3) == 3 and cache.row(12) is None
    assert cache.claim(1) and not cache.claim(1)  # being read: not asked for twice
    assert not cache.claim(0)  # read already
    assert not cache.claim(3)  # past the end (25 rows: pages 0 to 2)
    cache.store(1, list(range(10, 20)), keep=8)
    assert cache.row(12) == 12 and 1 not in cache.pending
    cache.store(2, [20, 21, 22, 23, 24], keep=8)
    assert cache.row(24) == 24 and cache.row(25) is None


def test_past_the_limit_the_oldest_pages_not_near_use_go() -> None:
    cache: PageCache[int] = PageCache(1)
    cache.reset(100, [0])
    for page in range(1, 10):
        cache.claim(page)
        cache.store(page, [page], keep=3, near=(0, 9))
    assert set(cache.pages) == {0, 8, 9}
    cache.reset(5, [7])
    assert cache.pages == {0: [7]} and not cache.pending and cache.count == 5
