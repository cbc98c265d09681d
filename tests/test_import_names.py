"""The case import reads names through the one resolver (db/resolve.py): common forms of
regions, provinces and countries, and errors that show invisible characters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from paradiplo.db import io
from paradiplo.db.store import Store
from tests.helpers import import_refused

CASE = {
    "title": "A cooperation",
    "partner": "Somewhere",
    "partner_kind": "sub_state",
    "type": "cooperation",
    "source": "A citation (2024)",
}


def case_file(tmp_path: Path, **fields: str) -> Path:
    """A file of one case, CASE with `fields`."""
    rec = {**CASE, "id": "one", **fields}
    path = tmp_path / "in.json"
    path.write_text(json.dumps([rec], ensure_ascii=False), encoding="utf-8")
    return path


def imported(store: Store, tmp_path: Path, **fields: str) -> tuple[str | None, str | None, str]:
    io.import_cases(store, case_file(tmp_path, **fields))
    row = store.conn.execute(
        "SELECT area_code, province_code, coalesce(partner_country, '') FROM cases WHERE id = 'one'"
    ).fetchone()
    return row[0], row[1], row[2]


@pytest.mark.parametrize(
    ("region", "area", "province"),
    [
        ("Pemkot Kediri", "35.71", "35"),
        ("Kab. Malang", "35.07", "35"),
        ("Malang Regency", "35.07", "35"),
        ("Kota\u00a0Malang", "35.73", "35"),
        ("Jatim", None, "35"),
        ("Pemprov Jabar", None, "32"),
        ("East Java", None, "35"),
        ("Kota Malang, Jawa Timur", "35.73", "35"),
    ],
)
def test_regions_in_common_forms(
    store: Store, tmp_path: Path, region: str, area: str | None, province: str
) -> None:
    assert imported(store, tmp_path, region=region)[:2] == (area, province)


def test_a_province_field_reads_bengkulu_as_the_province(store: Store, tmp_path: Path) -> None:
    assert imported(store, tmp_path, region="Kota Bengkulu", province="Bengkulu")[:2] == (
        "17.71",
        "17",
    )


@pytest.mark.parametrize(("country", "code"), [("Korsel", "KR"), ("RRT", "CN"), ("UEA", "AE")])
def test_partner_countries_in_common_forms(
    store: Store, tmp_path: Path, country: str, code: str
) -> None:
    assert imported(store, tmp_path, region="Kota Surabaya", partner_country=country)[2] == code
    name = store.conn.execute("SELECT name_en FROM countries WHERE code = ?", (code,)).fetchone()
    assert name is not None and name[0] != code


@pytest.mark.parametrize(
    ("region", "expect"),
    [
        ("Atlan\u200btis", "'Atlan<U+200B>tis' is not in the official list"),
        ("Malang", "'Malang' is ambiguous: Kota Malang (35.73) or Kabupaten Malang (35.07)"),
        ("Kota Sidoarjo", "did you mean Kabupaten Sidoarjo?"),
    ],
)
def test_region_errors_say_what_is_wrong(
    store: Store, tmp_path: Path, region: str, expect: str
) -> None:
    assert expect in str(import_refused(store, case_file(tmp_path, region=region)))


def test_a_partner_country_that_is_no_country_is_refused(store: Store, tmp_path: Path) -> None:
    """A typo or an invented place in the country field is refused, not added as a country."""
    path = case_file(tmp_path, region="Kota Bandung", partner_country="Narnia")
    problem = str(import_refused(store, path))
    assert "field 'partner_country'" in problem and "Narnia" in problem
    found = store.conn.execute("SELECT count(*) FROM countries WHERE name_en = 'Narnia'")
    assert found.fetchone()[0] == 0
