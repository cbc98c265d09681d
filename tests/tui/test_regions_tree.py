"""The Regions pane: a filter on a node not shown yet (its country collapsed) opens the way
to it, so the chosen node and its ● are in the tree; in a large collection a country's
regions or partners are read when it is opened (`READ_ALL_UP_TO` lowered so that the seed
data is read that way), with the counts of the filters shown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets.tree import TreeNode

from paradiplo.db import browse as browse_api
from paradiplo.db.browse import browse
from paradiplo.db.models import Filters, RegionNode
from paradiplo.db.store import open_store
from paradiplo.tui.app import ParadiploApp
from paradiplo.tui.widgets.regions import NodeData, RegionTree
from tests.tui.conftest import press, settle, wait_ready


@pytest.fixture(params=["whole", "by country"])
def reading(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The trees read whole (a small collection) or by country (a large one)."""
    if request.param == "by country":
        monkeypatch.setattr(browse_api, "READ_ALL_UP_TO", 0)
    return str(request.param)


@pytest.fixture
def by_country(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browse_api, "READ_ALL_UP_TO", 0)


def _partners(db_path: Path, filters: Filters | None = None) -> list[RegionNode]:
    """The whole partner tree under `filters`, as the command line reads it."""
    store = open_store(db_path)
    try:
        return browse(store.conn, filters or Filters()).partners
    finally:
        store.close()


def _a_partner(db_path: Path) -> tuple[str, str]:
    """(country key, partner key) of a partner listed under its country."""
    country = next(c for c in _partners(db_path) if c.children)
    return country.key, country.children[0].key


def _node(parent: TreeNode[NodeData], key: str) -> TreeNode[NodeData]:
    return next(n for n in parent.children if n.data and n.data.key == key)


def _shown(country: TreeNode[NodeData]) -> dict[str, str]:
    """A country's children in the tree: key -> the line drawn (name and count)."""
    tree = country.tree
    assert isinstance(tree, RegionTree)
    out = {}
    for child in country.children:
        assert child.data is not None and child.data.key is not None
        line = tree.render_label(child, tree.rich_style, tree.rich_style)
        out[child.data.key] = line.plain
    return out


def _assert_counts(country: TreeNode[NodeData], whole: list[RegionNode]) -> None:
    """The country's lines in the tree carry the counts of the whole tree `whole` (0 for a
    partner with no case under the filters: kept, drawn dim)."""
    assert country.data is not None
    counts = {p.key: p.count for c in whole if c.key == country.data.key for p in c.children}
    shown = _shown(country)
    assert set(counts) <= set(shown)
    for key, line in shown.items():
        assert line.endswith(f" {counts.get(key, 0)}")


def _a_telling_filter(db_path: Path) -> tuple[str, str]:
    """(partner country, sector): a sector filter that keeps the country among others (a
    lone country is always read) but changes the counts of its partners."""
    store = open_store(db_path)
    try:
        whole = browse(store.conn, Filters())
        for sector in whole.sectors:
            view = browse(store.conn, Filters(sectors=(sector.id,)))
            for country in view.partners if len(view.partners) > 1 else []:
                before = next(c for c in whole.partners if c.key == country.key)
                if country.children and country.children != before.children:
                    return country.key, sector.id
    finally:
        store.close()
    raise AssertionError("no sector filter changes a country's partner counts")


async def _to_partner_country(pilot: Pilot[Any], key: str) -> TreeNode[NodeData]:
    """Put the tree's cursor on partner country `key` (through the keys a user presses)."""
    app = pilot.app
    assert isinstance(app, ParadiploApp)
    tree = app.main.query_one(RegionTree)
    await press(pilot, "1", "p")
    country = _node(tree.root.children[1], key)
    while tree.cursor_node is not country:
        await press(pilot, "j")
    return country


async def test_a_partner_filter_opens_its_collapsed_country(db_path: Path, reading: str) -> None:
    country_key, partner_key = _a_partner(db_path)
    app = ParadiploApp(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        tree = app.main.query_one(RegionTree)
        country = _node(tree.root.children[1], country_key)
        assert not country.is_expanded  # partner countries start closed
        app.main.set_filter("partner", partner_key)
        await settle(pilot)
        assert country.is_expanded
        chosen = [n for n in country.children if n.data and n.data.key == partner_key]
        assert chosen and "●" in str(chosen[0].label)


async def test_a_restored_partner_filter_shows_its_node(db_path: Path, by_country: None) -> None:
    """A partner filter saved by the last session: its country is read with the first view,
    open, and the cursor is on the chosen partner."""
    country_key, partner_key = _a_partner(db_path)
    app = ParadiploApp(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.main.set_filter("partner", partner_key)
        await settle(pilot)
    again = ParadiploApp(db_path)
    async with again.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        tree = again.main.query_one(RegionTree)
        country = _node(tree.root.children[1], country_key)
        assert country.is_expanded
        chosen = _node(country, partner_key)
        assert "●" in str(chosen.label)
        assert tree.cursor_node is chosen


@pytest.mark.parametrize("key", ["right", "l", "space"])
async def test_opening_a_country_reads_its_partners(
    db_path: Path, by_country: None, key: str
) -> None:
    country_key = _a_partner(db_path)[0]
    whole = next(c for c in _partners(db_path) if c.key == country_key)
    app = ParadiploApp(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        country = await _to_partner_country(pilot, country_key)
        assert not country.children and country.allow_expand  # listed, not read yet
        await press(pilot, key)
        assert country.is_expanded
        shown = _shown(country)
        assert list(shown) == [p.key for p in whole.children]
        for partner in whole.children:
            assert shown[partner.key].endswith(f" {partner.count}")


@pytest.mark.parametrize("opened", ["before", "after"])
async def test_an_opened_country_follows_the_filters(
    db_path: Path, by_country: None, opened: str
) -> None:
    """Counts under a country read on opening are those of the filters, whether it was
    opened before a filter change (every view reads it again) or after it."""
    country_key, sector = _a_telling_filter(db_path)
    app = ParadiploApp(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        for step in ("before", "filter", "after"):
            if step == opened:
                country = await _to_partner_country(pilot, country_key)
                await press(pilot, "right")
            elif step == "filter":
                app.main.set_filter("sector", sector)
                await settle(pilot)
        _assert_counts(country, _partners(db_path, Filters(sectors=(sector,))))
