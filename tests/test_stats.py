"""Overview counts (db/stats.py) against plain SQL counts over the cases, on random filters, at
1,000 generated cases; the year filter against the plain query; the network export read back."""

from __future__ import annotations

import random
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from paradiplo.db import queries, stats
from paradiplo.db.models import Filters
from paradiplo.db.store import Store
from tests.helpers import bench_generator, import_records, walk


@pytest.fixture
def big(store: Store, tmp_path: Path) -> Store:
    """The seeds plus 1,000 generated cases."""
    import_records(store, tmp_path, bench_generator().generate_cases(1000, seed=17))
    return store


def random_filters(conn: sqlite3.Connection, rng: random.Random, n: int = 30) -> list[Filters]:
    regions = [x.key for x in walk(queries.region_tree(conn))]
    partners = [x.key for x in walk(queries.partner_tree(conn))]
    sectors = [s.id for s in queries.sector_counts(conn, Filters())]
    types = [r[0] for r in conn.execute("SELECT id FROM case_types")]
    out = [Filters(), Filters(year_from=2017, year_to=2017), Filters(case_type="")]
    for _ in range(n):
        y0 = rng.choice([None, None, *range(1990, 2026)])
        y1 = rng.choice([None, None, *range(y0 or 1990, 2026)])
        out.append(
            Filters(
                region=rng.choice([None, None, *regions]),
                partner=rng.choice([None, None, *partners]),
                sectors=tuple(rng.sample(sectors, rng.choice((0, 0, 1, 2)))),
                year_from=y0,
                year_to=y1,
                case_type=rng.choice([None, None, None, "", *types]),
                stage=rng.choice([None, None, None, *stats.STAGES]),
            )
        )
    return out


# Each dimension as a plain expression on a case row (and sectors through case_sectors).
PLAIN = {
    "province": "c.province_code",
    "region": "c.region_id",
    "country": "c.partner_country",
    "year": "c.year",
    "type": "c.type",
    "category": "c.category",
    "stage": "c.stage",
}


def plain_counts(conn: sqlite3.Connection, dim: str, f: Filters) -> dict[Any, int]:
    where, params = queries.where_clause(f)
    if dim == "sector":
        sql = (
            f"SELECT s.sector_id, count(*) FROM cases c JOIN case_sectors s ON s.case_id = c.id"
            f" {where} GROUP BY 1"
        )
    else:
        sql = f"SELECT {PLAIN[dim]}, count(*) FROM cases c {where} GROUP BY 1"
    return {k: n for k, n in conn.execute(sql, params) if n}


def test_counts_match_plain_sql(big: Store) -> None:
    conn = big.conn
    rng = random.Random(7)
    checked = 0
    for f in random_filters(conn, rng):
        for dim in stats.DIMENSIONS:
            got = {c.key: c.count for c in stats.counts(conn, dim, f)}
            assert got == plain_counts(conn, dim, f), (dim, f)
            checked += 1
    assert checked > 100


def test_year_filter_matches_the_plain_query(big: Store) -> None:
    conn = big.conn
    for y0, y1 in ((2017, 2017), (2010, 2020), (None, 2000), (2020, None)):
        f = Filters(year_from=y0, year_to=y1)
        lo, hi = y0 or -9999, y1 or 9999
        want = {
            r[0] for r in conn.execute("SELECT id FROM cases WHERE year BETWEEN ? AND ?", (lo, hi))
        }
        got = {r.id for r in queries.list_cases(conn, f, limit=-1)}
        assert got == want
        assert queries.count_cases(conn, f) == len(want)
        # The trees and sector counts honour it too.
        assert sum(n.count for n in queries.region_tree(conn, f)) == len(want)
        assert sum(n.count for n in queries.partner_tree(conn, f)) == len(want)


def test_matrix_matches_plain_sql(big: Store) -> None:
    conn = big.conn
    rng = random.Random(11)
    pairs = [
        ("province", "country"),
        ("region", "sector"),
        ("sector", "year"),
        ("type", "province"),
    ]
    for f in random_filters(conn, rng, 12):
        for rows_dim, cols_dim in pairs:
            m = stats.matrix(conn, rows_dim, cols_dim, f)
            where, params = queries.where_clause(f)
            expr = {**PLAIN, "sector": "s.sector_id"}
            join = (
                "JOIN case_sectors s ON s.case_id = c.id"
                if "sector" in (rows_dim, cols_dim)
                else ""
            )
            plain = {
                (r, c): n
                for r, c, n in conn.execute(
                    f"SELECT {expr[rows_dim]}, {expr[cols_dim]}, count(*) FROM cases c {join}"
                    f" {where} GROUP BY 1, 2",
                    params,
                )
            }
            assert m.cells == plain, (rows_dim, cols_dim, f)
            # Totals count each case once in a non-sector dimension.
            # (a case without a sector has no cell in a sector matrix, so no row either).
            for dim, items in ((rows_dim, m.rows), (cols_dim, m.cols)):
                plain_totals = plain_counts(conn, dim, f)
                assert {c.key: c.count for c in items} == {
                    c.key: plain_totals[c.key] for c in items
                }, (dim, f)
                assert {c.key for c in items} == {k[0 if dim == rows_dim else 1] for k in plain}
            totals = [c.count for c in m.rows]
            assert totals == sorted(totals, reverse=True) or rows_dim == "year"
            assert m.total == queries.count_cases(conn, f)


def test_narrowed_filters_count_what_the_bar_says(big: Store) -> None:
    conn = big.conn
    base = Filters(year_from=2000)
    for dim in ("province", "country", "sector", "year", "type"):
        for c in stats.counts(conn, dim, base)[:5]:
            g = stats.narrowed(base, dim, c.key)
            if g is None:
                continue
            if dim == "sector":
                assert queries.count_cases(conn, g) == c.count
            else:
                assert queries.count_cases(conn, g) == c.count, (dim, c)


def test_network_of_a_province_and_a_partner(big: Store) -> None:
    conn = big.conn
    province = next(n for n in walk(queries.region_tree(conn)) if n.key.startswith("p:"))
    net = stats.network(conn, province.key)
    assert net.side == "region" and net.count == province.count
    assert sum(nb.count for nb in net.neighbours) == province.count
    named = next(nb for nb in net.neighbours if nb.steppable)
    back = stats.network(conn, named.key)
    assert back.side == "partner"
    assert sum(nb.count for nb in back.neighbours) == back.count
    # Each neighbour's count is the cases of the pair.
    for nb in back.neighbours[:5]:
        g = Filters(region=nb.key, partner=named.key)
        assert queries.count_cases(conn, g) == nb.count


def test_network_graph_reads_back_as_graphml(big: Store, tmp_path: Path) -> None:
    nx = pytest.importorskip("networkx")
    conn = big.conn
    graph = stats.network_graph(conn, Filters())
    out = tmp_path / "net.graphml"
    nx.write_graphml(graph, out)
    back = nx.read_graphml(out)
    edges = conn.execute("SELECT count(*) FROM cases WHERE partner_id IS NOT NULL").fetchone()[0]
    assert back.number_of_edges() == edges
    kinds = Counter(d["side"] for _, d in back.nodes(data=True))
    assert kinds["region"] > 10 and kinds["partner"] > 10
    _, _, data = next(iter(back.edges(data=True)))
    assert {"case_id", "type", "sectors"} <= set(data)


def test_unknown_dimension_is_a_clear_error(store: Store) -> None:
    with pytest.raises(stats.UnknownDimension, match="Use one of"):
        stats.counts(store.conn, "colour")
    with pytest.raises(stats.UnknownDimension, match="two dimensions"):
        stats.matrix(store.conn, "year", "year")


def test_counts_many_as_counts_one_by_one(big: Store) -> None:
    conn = big.conn
    dims = ["year", "sector", "country", "province", "type", "stage"]
    for f in [*random_filters(conn, random.Random(23), 10), Filters(sectors=("tourism",))]:
        together = stats.counts_many(conn, dims, f)
        for dim in dims:
            assert {c.key: c.count for c in together[dim]} == plain_counts(conn, dim, f), (dim, f)
