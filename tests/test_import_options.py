"""`import cases` on real-looking lists: --skip-invalid, --ambiguous, English and abbreviated
names, probable duplicates, dates checked as dates, bounded problems, quiet when piped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from paradiplo.db import io
from paradiplo.db.store import Store
from tests.helpers import import_records, import_refused, refused, run, write_cases

HEADER = "title,region,partner,partner_country,type,date,source\n"


def csv_file(tmp_path: Path, *rows: str, name: str = "list.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def rec(**kw: Any) -> dict[str, Any]:
    base = {
        "title": "Twin",
        "region": "Kota Bandung",
        "partner": "Braunschweig",
        "partner_country": "Germany",
        "type": "sister-city",
        "source": "Sister Cities list (2024)",
    }
    return {**base, **kw}


def test_skip_invalid_imports_the_valid_and_writes_the_rejected(
    db_path: Path, tmp_path: Path
) -> None:
    path = csv_file(
        tmp_path,
        "Surabaya–Kitakyushu,Surabaya,Kitakyushu,Japan,sister-city,2012,list",
        "Atlantis–Rome,Atlantis,Rome,Italy,sister-city,1990,list",
        "Medan–Ichikawa,Kota Medan,Ichikawa,Japan,sister-city,2017-13-45,list",
        "Jatim–Western Australia,East Java,Western Australia,Australia,sister-city,1990,list",
    )
    code, out, err = run(db_path, "import", "cases", str(path), "--skip-invalid")
    assert code == 0, err
    assert "2 added" in out and "2 rejected" in out
    assert "line 3, field 'region'" in err and "Atlantis" in err
    assert "line 4, field 'date'" in err and "no month 13" in err
    rejected = tmp_path / "list.csv.rejected.json"
    records = json.loads(rejected.read_text(encoding="utf-8"))
    assert [r["region"] for r in records] == ["Atlantis", "Kota Medan"]
    assert records[1]["_where"] == "line 4" and "month" in records[1]["_rejected"][0]
    # Fixed, the rejected file imports again.
    for r in records:
        r["region"] = "Kota Medan"
        r["date"] = "2017"
    rejected.write_text(json.dumps(records), encoding="utf-8")
    code, out, err = run(db_path, "import", "cases", str(rejected))
    assert code == 0 and "2 added" in out, err


def test_without_skip_invalid_nothing_is_imported(db_path: Path, tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        "Surabaya–Kitakyushu,Surabaya,Kitakyushu,Japan,sister-city,2012,list",
        "Atlantis–Rome,Atlantis,Rome,Italy,sister-city,1990,list",
    )
    err = refused(db_path, "import", "cases", str(path))
    assert "nothing was imported" in err and "line 3" in err
    assert not (tmp_path / "list.csv.rejected.json").exists()
    _, out, _ = run(db_path, "cases", "list", "--region", "Kota Surabaya", "--json")
    assert all(c["origin"] == "seed" for c in json.loads(out))


@pytest.mark.parametrize(
    ("choice", "region"),
    [
        ("city", "Kota Bandung"),
        ("regency", "Kabupaten Bandung"),
        ("keep", "Bandung (city or regency not stated)"),
    ],
)
def test_ambiguous_choices(db_path: Path, tmp_path: Path, choice: str, region: str) -> None:
    path = csv_file(
        tmp_path, "Bandung–Braunschweig,Bandung,Braunschweig,Germany,sister-city,1960,l"
    )
    err = refused(db_path, "import", "cases", str(path))
    assert "ambiguous" in err and "--ambiguous" in err
    code, _, err = run(db_path, "import", "cases", str(path), "--ambiguous", choice)
    assert code == 0, err
    _, out, _ = run(db_path, "export", "cases")
    mine = [c for c in json.loads(out) if c["origin"] == "user"]
    assert [c["region"] for c in mine] == [region]
    assert mine[0]["province"] == "Jawa Barat"
    assert run(db_path, "db", "check")[0] == 0


@pytest.mark.parametrize(
    ("written", "official"),
    [
        ("East Java", "Jawa Timur"),
        ("West Java", "Jawa Barat"),
        ("Jakarta", "Daerah Khusus Ibukota Jakarta"),
        ("Jatim", "Jawa Timur"),
        ("Pemkot Surabaya", "Kota Surabaya"),
        ("Kab. Banyuwangi", "Kabupaten Banyuwangi"),
        ("Bandung City", "Kota Bandung"),
    ],
)
def test_english_names_abbreviations_and_prefixes_resolve(
    store: Store, tmp_path: Path, written: str, official: str
) -> None:
    import_records(store, tmp_path, [rec(id="x", region=written)])
    row = store.conn.execute("SELECT region_name FROM cases WHERE id = 'x'").fetchone()
    assert row[0].endswith(official)


def test_probable_duplicates_are_warned(db_path: Path, tmp_path: Path) -> None:
    first = write_cases(tmp_path, [rec(id="bdg-bs", partner="Braunschweig")], "a.json")
    assert run(db_path, "import", "cases", str(first))[0] == 0
    second = write_cases(
        tmp_path,
        [
            rec(id="bdg-bs-2", partner="Kota Braunschweig"),
            rec(id="sby-kk", region="Kota Surabaya", partner="Kitakyushu", partner_country="JP"),
            rec(
                id="sby-kk-2", region="Surabaya", partner="City of Kitakyushu", partner_country="JP"
            ),
        ],
        "b.json",
    )
    code, out, err = run(db_path, "import", "cases", str(second))
    assert code == 0 and "3 added" in out
    assert "Warning" in err and "2 probable duplicate" in err
    assert "record 1 (id bdg-bs-2): probably the same as case bdg-bs" in err
    assert "record 3 (id sby-kk-2): probably the same as case sby-kk" in err
    # Importing the same file again updates its case: never a duplicate of itself.
    code, out, err = run(db_path, "import", "cases", str(first))
    assert "1 updated" in out and "same as case bdg-bs-2" in err and "case bdg-bs " not in err


@pytest.mark.parametrize(
    ("date", "expect"),
    [
        ("2017-13-45", "no month 13"),
        ("2017-02-30", "February 2017 has 28 days"),
        ("0000", "not a plausible year"),
        ("２０１７", "ASCII"),
        ("١٩٩٩", "ASCII"),
        ("2017-2-3", "is not a date"),
    ],
)
def test_impossible_dates_are_refused_with_record_and_field(
    store: Store, tmp_path: Path, date: str, expect: str
) -> None:
    path = write_cases(tmp_path, [rec(id="ok"), rec(id="bad", date=date)])
    problem = str(import_refused(store, path))
    assert "record 2 (id bad), field 'date'" in problem and expect in problem


def test_a_huge_file_of_empty_records_stops_after_a_bound(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_text("[" + ",".join(["{}"] * 300_000) + "]", encoding="utf-8")
    problem = import_refused(store, path)
    assert len(problem.problems) <= io.MAX_PROBLEMS + 10
    assert "reading stopped at record" in str(problem)


def test_records_are_streamed_from_a_cases_object_and_utf16(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "wrapped.json"
    path.write_text(json.dumps({"cases": [rec(id="w1"), rec(id="w2", partner="Hamburg")]}))
    assert io.import_cases(store, path).added == 2
    path.write_bytes(json.dumps([rec(id="w3", partner="Köln")]).encode("utf-16"))
    assert io.import_cases(store, path).added == 1


def test_help_lists_the_fields_and_import_is_quiet_when_piped(
    db_path: Path, tmp_path: Path
) -> None:
    code, out, _ = run(db_path, "import", "cases", "--help")
    for f in ("partner_country", "partner_kind", "date_as_stated", "sectors", "evidence"):
        assert f in out
    assert "--skip-invalid" in out and "--ambiguous" in out
    path = csv_file(tmp_path, "Surabaya–Kitakyushu,Surabaya,Kitakyushu,Japan,sister-city,2012,l")
    code, out, err = run(db_path, "import", "cases", str(path))
    assert code == 0 and err == ""  # no progress bar when stderr is not a terminal


def test_a_rejected_record_leaves_no_partner_or_citation_behind(
    store: Store, tmp_path: Path
) -> None:
    bad = rec(
        id="bad",
        partner="Zzyzx City",
        source="Zzyzx Gazette (1999)",
        evidence=[{"source": "001_17fdbbb4dbe6a6d1", "quote": "words the text does not have"}],
    )
    result = io.import_cases(store, write_cases(tmp_path, [rec(id="ok"), bad]), skip_invalid=True)
    assert (result.added, result.rejected) == (1, 1)
    assert "quote not found" in result.problems[0]
    conn = store.conn
    assert conn.execute("SELECT count(*) FROM actors WHERE name LIKE 'Zzyzx%'").fetchone()[0] == 0
    assert (
        conn.execute("SELECT count(*) FROM sources WHERE citation LIKE 'Zzyzx%'").fetchone()[0] == 0
    )


def test_progress_is_reported_while_reading_and_writing(store: Store, tmp_path: Path) -> None:
    path = write_cases(tmp_path, [rec(id=f"p{i}", partner=f"Partner {i}") for i in range(1200)])
    seen: list[tuple[str, int, int]] = []
    io.import_cases(store, path, progress=lambda *a: seen.append(a))
    stages = [s for s, _, _ in seen]
    assert "reading" in stages and stages[-1] == "writing"
    size = path.stat().st_size
    assert ("reading", size, size) in seen and seen[-1] == ("writing", 1200, 1200)
