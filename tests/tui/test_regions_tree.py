"""The Regions pane: a filter on a node not shown yet (its country collapsed) opens the way
to it, so the chosen node and its ● are in the tree."""

from __future__ import annotations

from pathlib import Path

from paradiplo.db.browse import browse
from paradiplo.db.models import Filters
from paradiplo.db.store import open_store
from paradiplo.tui.app import ParadiploApp
from paradiplo.tui.widgets.regions import RegionTree
from tests.tui.conftest import settle, wait_ready


def _a_partner(db_path: Path) -> tuple[str, str]:
    """(country key, partner key) of a partner listed under its country."""
    store = open_store(db_path)
    try:
        country = next(c for c in browse(store.conn, Filters()).partners if c.children)
        return country.key, country.children[0].key
    finally:
        store.close()


async def test_a_partner_filter_opens_its_collapsed_country(db_path: Path) -> None:
    country_key, partner_key = _a_partner(db_path)
    app = ParadiploApp(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        tree = app.main.query_one(RegionTree)
        partners = tree.root.children[1]
        country = next(n for n in partners.children if n.data and n.data.key == country_key)
        assert not country.is_expanded  # partner countries start closed
        app.main.set_filter("partner", partner_key)
        await settle(pilot)
        assert country.is_expanded
        chosen = [n for n in country.children if n.data and n.data.key == partner_key]
        assert chosen and "●" in str(chosen[0].label)
