"""`stats`, `stats matrix`, `export network` and the year filter of `cases list`, through the CLI."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.helpers import run


def plain(db_path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def test_stats_by_year_as_json_matches_sql(db_path: Path) -> None:
    code, out, _ = run(db_path, "stats", "--by", "year", "--json")
    assert code == 0
    rows = json.loads(out)
    want = plain(db_path, "SELECT year, count(*) FROM cases GROUP BY 1 ORDER BY year IS NULL, year")
    assert [(r["label"], r["count"]) for r in rows] == [
        (str(y) if y is not None else "undated", n) for y, n in want
    ]
    assert all(set(r) >= {"label", "count"} for r in rows)


def test_stats_filters_as_cases_list(db_path: Path) -> None:
    code, out, _ = run(db_path, "stats", "--by", "country", "--region", "Jawa Timur", "--json")
    assert code == 0
    got = sum(r["count"] for r in json.loads(out))
    code, out, _ = run(db_path, "cases", "list", "--region", "Jawa Timur", "--json")
    assert got == len(json.loads(out)) > 0


def test_cases_list_year_and_range(db_path: Path) -> None:
    years = [y for (y,) in plain(db_path, "SELECT year FROM cases WHERE year IS NOT NULL")]
    year = years[0]
    code, out, _ = run(db_path, "cases", "list", "--year", str(year), "--json")
    assert code == 0
    assert len(json.loads(out)) == years.count(year)
    code, out, _ = run(db_path, "cases", "list", "--from", "1900", "--to", "2100", "--json")
    assert len(json.loads(out)) == len(years)
    code, _, err = run(db_path, "cases", "list", "--from", "2020", "--to", "2010")
    assert code != 0 and "swap" in err
    code, _, err = run(db_path, "cases", "list", "--year", "2017", "--from", "2010")
    assert code != 0 and "--year alone" in err


def test_stats_matrix_json_and_csv(db_path: Path) -> None:
    code, out, _ = run(db_path, "stats", "matrix", "--rows", "province", "--cols", "type", "--json")
    assert code == 0
    m = json.loads(out)
    assert (
        sum(map(sum, m["cells"]))
        == m["total"]
        == plain(db_path, "SELECT count(*) FROM cases")[0][0]
    )
    code, out, _ = run(db_path, "stats", "matrix", "--rows", "sector", "--cols", "year", "--csv")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].startswith("sector,") and lines[-1].startswith("total,")
    code, _, err = run(db_path, "stats", "matrix", "--rows", "year", "--cols", "year")
    assert code != 0 and "two dimensions" in err


def test_export_network_graphml_reads_back(db_path: Path, tmp_path: Path) -> None:
    nx = pytest.importorskip("networkx")
    out = tmp_path / "net.graphml"
    code, _, err = run(db_path, "export", "network", "--format", "graphml", "-o", str(out))
    assert code == 0, err
    graph = nx.read_graphml(out)
    named = plain(db_path, "SELECT count(*) FROM cases WHERE partner_id IS NOT NULL")[0][0]
    assert graph.number_of_edges() == named
    for _, data in graph.nodes(data=True):
        assert data["side"] in ("region", "partner") and data["name"]
    gexf = tmp_path / "net.gexf"
    assert run(db_path, "export", "network", "--format", "gexf", "-o", str(gexf))[0] == 0
    assert nx.read_gexf(gexf).number_of_edges() == named


def test_export_network_csv(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "net.csv"
    code, _, _ = run(db_path, "export", "network", "--format", "csv", "-o", str(out))
    assert code == 0
    assert out.read_text().startswith("source,target,case_id")
    assert (tmp_path / "net-nodes.csv").read_text().startswith("id,name,side")


def test_chart_files(db_path: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    svg = tmp_path / "years.svg"
    code, _, err = run(db_path, "stats", "--by", "year", "--format", "svg", "-o", str(svg))
    assert code == 0, err
    assert svg.read_text().lstrip().startswith("<?xml")
    png = tmp_path / "m.png"
    code, _, _ = run(
        db_path,
        "stats",
        "matrix",
        "--rows",
        "province",
        "--cols",
        "country",
        "--format",
        "png",
        "-o",
        str(png),
    )
    assert code == 0 and png.read_bytes()[:4] == b"\x89PNG"
    code, _, err = run(db_path, "stats", "--by", "year", "--format", "svg")
    assert code != 0 and "-o FILE" in err
