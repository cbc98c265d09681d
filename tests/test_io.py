"""Case import and export: round trip, resolution against the official list, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from paradiplo.db import io, queries
from paradiplo.db.errors import ImportProblem, ParadiploError
from paradiplo.db.models import Filters
from paradiplo.db.store import Store, open_store
from tests.helpers import BANDUNG_CASE, import_refused


def export_json(store: Store, tmp_path: Path, name: str) -> Path:
    out = tmp_path / name
    with out.open("w", encoding="utf-8") as fh:
        io.export_cases(store.conn, "json", fh)
    return out


def write_json(tmp_path: Path, records: list[dict[str, object]]) -> Path:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


USER_CASE = {**BANDUNG_CASE, "sectors": ["Kebudayaan", "education"]}


def test_import_resolves_and_marks_user_records(store: Store, tmp_path: Path) -> None:
    result = io.import_cases(store, write_json(tmp_path, [USER_CASE]))
    assert (result.added, result.updated) == (1, 0)
    d = queries.case_detail(store.conn, "bandung-braunschweig")
    assert d.origin == "user"
    assert d.region.area_code == "32.73" and d.region.province_name == "Jawa Barat"
    assert d.partner is not None and d.partner.country_code == "DE"
    assert d.category == "KSDPL"
    assert {s.id for s in d.sectors} == {"culture", "education"}
    assert d.evidence[0].quote is None and "Municipal records" in d.evidence[0].citation
    assert queries.count_cases(store.conn, Filters(region="p:32")) == 3


def test_round_trip_export_import_export(store: Store, tmp_path: Path) -> None:
    io.import_cases(store, write_json(tmp_path, [USER_CASE]))
    first = export_json(store, tmp_path, "a.json")
    other = open_store(tmp_path / "other.db")
    result = io.import_cases(other, first)
    assert (result.added, result.unchanged) == (1, 9)
    second = export_json(other, tmp_path, "b.json")
    strip = lambda recs: [{k: v for k, v in r.items()} for r in recs]  # noqa: E731
    assert strip(json.loads(first.read_text())) == strip(json.loads(second.read_text()))
    csv_path = tmp_path / "c.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as fh:
        io.export_cases(other.conn, "csv", fh)
    again = io.import_cases(other, csv_path)
    assert again.added == 0 and again.unchanged == 9 and again.updated == 1
    other.close()


def test_csv_export_is_safe_to_open_in_a_spreadsheet_and_round_trips(
    store: Store, tmp_path: Path
) -> None:
    hostile = {
        **USER_CASE,
        "id": "formula",
        "title": '=HYPERLINK("http://example.invalid","click")',
        "partner": "@Braunschweig",
        "status": "-1+1",
    }
    io.import_cases(store, write_json(tmp_path, [hostile]))
    csv_path = tmp_path / "cases.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as fh:
        io.export_cases(store.conn, "csv", fh)
    import csv

    with csv_path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:  # no cell a spreadsheet would run as a formula
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@")), cell
    row = next(r for r in rows if r["id"] == "formula")
    assert row["title"] == "'" + hostile["title"]
    other = open_store(tmp_path / "other.db")
    io.import_cases(other, csv_path)
    d = queries.case_detail(other.conn, "formula")
    assert d.title == hostile["title"]
    assert d.partner is not None and d.partner.name == "@Braunschweig"
    other.close()


def test_import_other_country_home_side(store: Store, tmp_path: Path) -> None:
    rec = {
        **USER_CASE,
        "id": "osaka-sf",
        "region": "Osaka",
        "region_country": "Japan",
        "partner": "San Francisco",
        "partner_country": "United States",
    }
    io.import_cases(store, write_json(tmp_path, [rec]))
    d = queries.case_detail(store.conn, "osaka-sf")
    assert d.region.country_code == "JP" and d.category is None
    keys = [n.key for n in queries.region_tree(store.conn)]
    assert "c:JP" in keys


def test_province_is_resolved_when_unambiguous(store: Store, tmp_path: Path) -> None:
    rec = {**USER_CASE, "id": "x1", "region": "Surabaya"}
    io.import_cases(store, write_json(tmp_path, [rec]))
    assert queries.case_detail(store.conn, "x1").region.province_code == "35"


@pytest.mark.parametrize(
    ("change", "expect"),
    [
        ({"region": "Malang"}, "record 1 (id bad), field 'region': 'Malang' is ambiguous"),
        ({"region": "Atlantis"}, "field 'region': 'Atlantis' is not in the official list"),
        ({"sectors": ["knitting"]}, "field 'sectors': unknown sector 'knitting'"),
        ({"date": "last year"}, "field 'date': 'last year' is not a date"),
        ({"type": "alliance"}, "field 'type': unknown type 'alliance'"),
        ({"title": ""}, "field 'title': required but empty"),
        ({"source": None}, "field 'source': every case names its source"),
        ({"id": "jabar-shizuoka-mou-2017"}, "is a bundled case"),
    ],
)
def test_bad_records_import_nothing(
    store: Store, tmp_path: Path, change: dict[str, object], expect: str
) -> None:
    good = {**USER_CASE, "id": "good"}
    bad = {**USER_CASE, "id": "bad", **change}
    before = queries.count_cases(store.conn, Filters())
    problem = import_refused(store, write_json(tmp_path, [good, bad]))
    assert expect.split("field")[-1] in str(problem)
    assert queries.count_cases(store.conn, Filters()) == before


def test_csv_errors_name_the_line(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(
        "id,title,region,type,source,sectors\n"
        "a,Ok,Kota Bandung,sister city,cite,Tourism\n"
        "b,Bad,Kota Bandung,sister city,cite,Knitting\n",
        encoding="utf-8",
    )
    assert "line 3, field 'sectors'" in str(import_refused(store, path))
    path.write_text("name,place\nx,y\n", encoding="utf-8")
    assert "line 1: missing column(s) title, region, type" in str(import_refused(store, path))


def test_duplicate_ids_in_file(store: Store, tmp_path: Path) -> None:
    problem = import_refused(store, write_json(tmp_path, [USER_CASE, USER_CASE]))
    assert "duplicate id 'bandung-braunschweig'" in str(problem)


@pytest.mark.parametrize(
    ("payload", "expect"),
    [
        (b"", "is empty"),
        (b"\x00\x01\x02binary", "binary file"),
        ("id,title\né,x\n".encode("latin-1"), "not UTF-8"),
    ],
)
def test_unreadable_files(store: Store, tmp_path: Path, payload: bytes, expect: str) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(payload)
    with pytest.raises(ParadiploError) as info:
        io.import_cases(store, path)
    assert expect in str(info.value)


def test_utf16_and_bom_are_read(store: Store, tmp_path: Path) -> None:
    text = json.dumps([{**USER_CASE, "id": "u16"}])
    path = tmp_path / "u16.json"
    path.write_bytes(text.encode("utf-16"))
    assert io.import_cases(store, path).added == 1
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps([{**USER_CASE, "id": "bom"}]).encode())
    assert io.import_cases(store, path).added == 1


def test_quotes_are_verified_against_source_texts(store: Store, tmp_path: Path) -> None:
    rec = {
        **USER_CASE,
        "id": "q",
        "evidence": [{"source": "001_17fdbbb4dbe6a6d1", "quote": "kota  Nonsan ,\nKorea selatan"}],
    }
    io.import_cases(store, write_json(tmp_path, [rec]))
    ev = queries.case_detail(store.conn, "q").evidence[0]
    assert ev.start is not None
    bad = {**rec, "id": "q2", "evidence": [{"source": "001_17fdbbb4dbe6a6d1", "quote": "invented"}]}
    with pytest.raises(ImportProblem, match="quote not found"):
        io.import_cases(store, write_json(tmp_path, [bad]))
