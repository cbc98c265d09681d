"""The fast forms of the list queries (bench/RESULTS.md) answer exactly what the plain ones did."""

from __future__ import annotations

import json
import random
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from paradiplo.db import io, queries, schema
from paradiplo.db.models import Filters
from paradiplo.db.store import Store
from tests.helpers import bench_generator, import_records, walk

_ORDER_REFERENCE = {
    "year": "c.year IS NULL, c.year, c.id",
    "-year": "c.year IS NULL, c.year DESC, c.id",
    "title": "c.title COLLATE NOCASE, c.id",
    "region": "c.region_name COLLATE NOCASE, c.id",
    "partner": "c.partner_name COLLATE NOCASE, c.id",
}


@pytest.fixture
def big(store: Store, tmp_path: Path) -> Store:
    """The seeds plus 400 generated cases, some with equal titles in other letter cases."""
    cases = bench_generator().generate_cases(400, seed=11)
    for i, rec in enumerate(cases[:40]):
        rec["title"] = "Same title" if i % 2 else "SAME TITLE"
        rec["partner"] = ""  # partner not named
    import_records(store, tmp_path, cases)
    return store


def _filters(conn: sqlite3.Connection, rng: random.Random) -> list[Filters]:
    regions = [n.key for n in walk(queries.region_tree(conn))]
    partners = [n.key for n in walk(queries.partner_tree(conn))]
    sectors = [s.id for s in queries.sector_counts(conn, Filters())]
    out = [Filters(), Filters(region="c:ID"), Filters(partner="pc:")]
    for _ in range(25):
        out.append(
            Filters(
                region=rng.choice([None, *regions]),
                partner=rng.choice([None, None, *partners]),
                sectors=tuple(rng.sample(sectors, rng.choice((0, 1, 1, 2)))),
            )
        )
    return out


def _reference_ids(conn: sqlite3.Connection, f: Filters, sort: str) -> list[str]:
    where, params = queries.where_clause(f)
    return [
        r[0]
        for r in conn.execute(
            f"SELECT c.id FROM cases c {where} ORDER BY {_ORDER_REFERENCE[sort]}", params
        )
    ]


def test_list_count_and_position_match_the_plain_queries(big: Store) -> None:
    conn = big.conn
    rng = random.Random(3)
    all_ids = [r[0] for r in conn.execute("SELECT id FROM cases")]
    for f in _filters(conn, rng):
        for sort in _ORDER_REFERENCE:
            expected = _reference_ids(conn, f, sort)
            got = [r.id for r in queries.list_cases(conn, f, sort=sort, limit=10_000)]
            assert got == expected, (f, sort)
            assert queries.count_cases(conn, f) == len(expected)
            for cid in rng.sample(all_ids, 8) + expected[:2] + expected[-2:]:
                want = expected.index(cid) if cid in expected else None
                assert queries.case_position(conn, f, sort, cid) == want, (f, sort, cid)


def _tree_counts(nodes: list[Any]) -> dict[str, int]:
    return {n.key: n.count for n in walk(nodes)}


def test_trees_and_sector_counts_match_counting_cases(big: Store) -> None:
    conn = big.conn
    rng = random.Random(5)
    for f in _filters(conn, rng):
        for key, n in _tree_counts(queries.region_tree(conn, f)).items():
            g = Filters(region=key, partner=f.partner, sectors=f.sectors)
            assert queries.count_cases(conn, g) == n, (f, key)
        for key, n in _tree_counts(queries.partner_tree(conn, f)).items():
            g = Filters(region=f.region, partner=key, sectors=f.sectors)
            assert queries.count_cases(conn, g) == n, (f, key)
        for sc in queries.sector_counts(conn, f):
            g = Filters(region=f.region, partner=f.partner, sectors=(*f.sectors, sc.id))
            where, params = queries.where_clause(g)
            plain = conn.execute(f"SELECT count(*) FROM cases c {where}", params).fetchone()[0]
            assert sc.count == plain, (f, sc.id)


def test_cached_counts_follow_writes_from_any_connection(big: Store, tmp_path: Path) -> None:
    conn = big.conn
    before = _tree_counts(queries.region_tree(conn))
    assert _tree_counts(queries.region_tree(conn)) == before  # served from the memo
    rec = {
        "id": "memo-check",
        "title": "Memo check",
        "region": "Kota Surabaya",
        "partner": "Kitakyushu",
        "partner_country": "Japan",
        "type": "sister-city",
        "sectors": ["tourism"],
        "source": "A citation",
    }
    path = tmp_path / "one.json"
    path.write_text(json.dumps([rec]), encoding="utf-8")
    # Written by another thread, so through another connection.
    worker = threading.Thread(target=io.import_cases, args=(big, path))
    worker.start()
    worker.join()
    after = _tree_counts(queries.region_tree(conn))
    assert after["a:35.78"] == before["a:35.78"] + 1
    tourism = {s.id: s.count for s in queries.sector_counts(conn, Filters())}["tourism"]
    conn.execute("DELETE FROM case_sectors WHERE case_id = 'memo-check'")  # this connection
    schema.rebuild_summaries(conn)  # as every writer of cases and their sectors does
    assert {s.id: s.count for s in queries.sector_counts(conn, Filters())}["tourism"] == (
        tourism - 1
    )


def test_ensure_indexes_adds_what_an_older_database_lacks(store: Store) -> None:
    from paradiplo.db import schema

    conn = store.conn
    assert schema.missing_indexes(conn) == []
    conn.execute("DROP INDEX cases_geo")
    conn.execute("DROP INDEX cases_province_year")
    assert schema.ensure_indexes(conn) == ["cases_geo", "cases_province_year"]
    assert schema.missing_indexes(conn) == []
    plan = conn.execute(
        "EXPLAIN QUERY PLAN SELECT c.region_country, c.province_code, c.area_code, c.region_id,"
        " count(*) FROM cases c GROUP BY 1, 2, 3, 4"
    ).fetchall()
    assert "COVERING INDEX cases_geo" in plan[0][3]


def _documents(conn: sqlite3.Connection) -> dict[tuple[str, str], tuple[str, str, str]]:
    return {
        (kind, ref): (title, body, terms)
        for kind, ref, title, body, terms in conn.execute(
            "SELECT kind, ref_id, title, body, terms FROM search_docs WHERE kind IN ('case', 'note')"
        )
    }


def test_a_large_import_indexes_exactly_as_a_reindex_does(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bulk path (documents made from the import's records in a thread, indexes and FTS
    built afterwards) writes the same search documents, summaries and index as the plain one."""
    from paradiplo.db import notes, schema, searchdocs
    from paradiplo.db.search import search

    monkeypatch.setattr(schema, "DEFER_INDEXES_FROM", 500)
    cases = bench_generator().generate_cases(1200, seed=7)
    first = tmp_path / "first.json"
    first.write_text(json.dumps(cases[:300]), encoding="utf-8")
    io.import_cases(store, first)  # a small import: the plain path
    note = notes.add_note(store, "case", cases[0]["id"], "Catatan tentang kerjasama")
    cases[0]["title"] = "Renamed: Kerja sama pariwisata"
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(cases), encoding="utf-8")
    result = io.import_cases(store, path)  # 900 new, 300 again: the bulk path
    assert (result.added, result.updated) == (900, 300)
    conn = store.conn
    # (Quotes citing sources without text are stored unverified: check() names those.)
    assert [p for p in queries.check(conn) if "stored offsets" not in p] == []
    conn.execute("INSERT INTO search_docs_fts(search_docs_fts) VALUES ('integrity-check')")
    assert schema.missing_indexes(conn) == [] and searchdocs.fts_is_current(conn)
    assert [h.ref_id for h in search(conn, "Renamed", limit=5)] == [cases[0]["id"]]
    assert note.id in {h.ref_id for h in search(conn, "catatan", limit=50)}
    imported = _documents(conn)
    with store.write() as w:
        searchdocs.reindex_all(w)
    assert _documents(conn) == imported
