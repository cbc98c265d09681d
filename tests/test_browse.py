"""The browse read model (db/browse.py): what the case browser shows for one set of filters."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from paradiplo.db import browse as browse_api
from paradiplo.db import queries
from paradiplo.db.browse import PAGE, Selection, browse, case_view, country_children, labels
from paradiplo.db.errors import ParadiploError
from paradiplo.db.models import Filters
from paradiplo.db.store import open_store


def test_one_view_holds_every_pane(db_path: Path) -> None:
    store = open_store(db_path)
    try:
        view = browse(store.conn, Filters())
        assert view.count == view.total == 9 and len(view.first_page) == 9
        assert view.regions and view.partners and view.sectors
        assert view.case is not None and view.case.case_id == view.first_page[0].id
        assert view.cursor == 0 and not view.revealed and not view.failures
        names = labels(view)
        assert names["pc:JP"] == "Japan" and names["pc:"].lower() == "partner not named"
    finally:
        store.close()


def test_a_selected_case_is_kept_and_a_hidden_one_revealed(db_path: Path) -> None:
    store = open_store(db_path)
    try:
        conn = store.conn
        last = queries.list_cases(conn, Filters(), limit=PAGE)[-1].id
        view = browse(conn, Filters(), "-year", Selection(last))
        assert view.cursor == 8 and view.case is not None and view.case.case_id == last
        japan = Filters(partner="pc:JP")
        hidden = next(r.id for r in view.first_page if r.partner_country != "Japan")
        kept = browse(conn, japan, "-year", Selection(hidden))
        assert kept.filters == japan and kept.count == 2  # not revealed: the cursor moves
        shown = browse(conn, japan, "-year", Selection(hidden, reveal=True))
        assert shown.revealed and shown.filters == Filters() and shown.asked == japan
        assert shown.case is not None and shown.case.case_id == hidden
    finally:
        store.close()


def test_a_failing_part_is_recorded_or_raised(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(conn: object, filters: object) -> None:
        raise ParadiploError("no sector counts (test)")

    monkeypatch.setattr(queries, "sector_counts", broken)
    store = open_store(db_path)
    try:
        view = browse(store.conn, Filters(), strict=False)
        assert set(view.failures) == {"sectors"} and view.count == 9 and view.regions
        with pytest.raises(ParadiploError):
            browse(store.conn, Filters())
    finally:
        store.close()


def test_a_gone_case_reads_as_none(db_path: Path) -> None:
    store = open_store(db_path)
    try:
        assert case_view(store.conn, "no-such-case").detail is None
    finally:
        store.close()


def test_the_first_screen_path_does_not_load_sqlite_utils(db_path: Path) -> None:
    """sqlite-utils takes ~65 ms to import: only writes load it, never opening and browsing."""
    code = (
        "import sys; from pathlib import Path; import tui.app; from db.store import open_store;"
        "from db.browse import browse; from db.models import Filters;"
        f"s = open_store(Path({str(db_path)!r})); browse(s.conn, Filters());"
        "print('sqlite_utils' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("lang", ["en", "id"])
def test_partner_countries_in_the_order_of_their_shown_names(db_path: Path, lang: str) -> None:
    from paradiplo.db import i18n

    store = open_store(db_path)
    try:
        i18n.set_language(lang)
        countries = browse(store.conn, Filters()).partners
        names = [
            i18n.data_label("country", n.key[3:], n.label) for n in countries if n.key != "pc:"
        ]
        assert len(names) > 2 and names == sorted(names, key=str.casefold)
        assert countries[-1].key == "pc:"  # partners not named come last
        if lang == "id":
            assert names.index("Jepang") < names.index("Tiongkok")  # China is Tiongkok
    finally:
        i18n.set_language("en")
        store.close()


def _every_filter(view_sectors: list[str]) -> list[Filters]:
    return [
        Filters(),
        Filters(sectors=(view_sectors[0],)),
        Filters(partner="pc:JP"),
        Filters(region="p:35", sectors=(view_sectors[0],)),
        Filters(year_from=2015),
    ]


def test_trees_read_by_country_match_the_whole_trees(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large collection's trees list their countries and read some of them
    (`read_countries`): those read, and each one read later with `country_children`, are
    the whole trees' own, counts included, under any filters."""
    monkeypatch.setattr(browse_api, "READ_ALL_UP_TO", 0)  # the seed data read as a large one
    store = open_store(db_path)
    try:
        conn = store.conn
        sectors = [s.id for s in browse(conn, Filters()).sectors]
        for filters in _every_filter(sectors):
            whole = browse(conn, filters)
            assert not whole.unread
            lazy = browse(conn, filters, read_countries=["pc:SG"])
            assert [n.key for n in lazy.regions] == [n.key for n in whole.regions]
            assert [n.key for n in lazy.partners] == [n.key for n in whole.partners]
            for got, full in zip(
                lazy.regions + lazy.partners, whole.regions + whole.partners, strict=True
            ):
                assert got.count == full.count
                if got.key in lazy.unread:
                    assert not got.children and full.children
                    assert country_children(conn, filters, got.key) == full.children
                else:
                    assert got.children == full.children
            assert "pc:SG" not in lazy.unread and "c:ID" not in lazy.unread
            if filters.partner:  # the country holding the partner filter is read
                assert filters.partner not in lazy.unread
            every = [n.key for n in whole.regions + whole.partners]
            assert browse(conn, filters, read_countries=every) == whole
    finally:
        store.close()


def test_a_partner_filter_reads_its_country(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browse_api, "READ_ALL_UP_TO", 0)
    store = open_store(db_path)
    try:
        conn = store.conn
        japan = next(c for c in browse(conn, Filters()).partners if c.key == "pc:JP")
        partner = japan.children[0].key
        view = browse(conn, Filters(partner=partner), read_countries=())
        assert "pc:JP" not in view.unread and view.unread
        assert labels(view)[partner] == japan.children[0].label  # the filter bar names it
    finally:
        store.close()
