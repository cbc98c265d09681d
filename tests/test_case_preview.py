"""Checking a case before it is written (db.collection.preview_case): each problem names its
field, so a form can show it beside that field in either language; `case_input` builds a
case from a command's option values."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from paradiplo.db import collection, i18n
from paradiplo.db.store import Store

ARTICLE = (
    "Pemerintah Kota Bandung dan Kota Braunschweig, Jerman, memperpanjang kerja sama sister "
    "city yang telah terjalin sejak 1960."
)


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    i18n.set_language("en")


@pytest.fixture
def source_id(store: Store) -> str:
    return collection.add_source(store, collection.NewSource(text=ARTICLE, title="Bandung"))


@pytest.mark.parametrize("lang", ["en", "id"])
def test_each_problem_names_its_field_in_both_languages(
    store: Store, source_id: str, lang: str
) -> None:
    i18n.set_language(lang)
    case = collection.case_input(
        {
            "region": "Kota Bandung",
            "type_": "sister-city",
            "source_id": source_id,
            "partner": "Braunschweig",
            "date": "2017-02-30",
            "sectors": "Tourism; Nosuchsector",
            "quotes": ["sejak 1960", "kalimat yang tidak ada"],
            "supports": "date, colour",
        }
    )
    p = collection.preview_case(store.conn, case)
    assert not p.ok
    assert len(p.problems) == len(p.problem_fields)
    [date] = p.problems_for("date")
    assert ("28 days" if lang == "en" else "28 hari") in date
    [sector] = p.problems_for("sectors")
    assert "Nosuchsector" in sector
    [missing] = p.problems_for("quote_missing")
    assert "kalimat yang tidak ada" in missing
    [facts] = p.problems_for("quotes")
    assert "colour" in facts
    assert p.problems_for("region", "type") == []
    rest = p.without("date", "sectors", "quote_missing", "quotes")
    assert rest.ok and rest.problem_fields == ()


def test_a_missing_quote_is_named_first_when_a_case_is_refused(
    store: Store, source_id: str
) -> None:
    case = collection.case_input(
        {
            "region": "Kota Bandung",
            "type": "sister-city",
            "source_id": source_id,
            "date": "2017-13",
            "quotes": ["kalimat yang tidak ada"],
        }
    )
    with pytest.raises(collection.CaseProblem) as info:
        collection.add_case(store, case)
    assert info.value.problems[0].startswith("Quote not found")
    assert any("no month 13" in p for p in info.value.problems)


def test_case_input_reads_option_values() -> None:
    case = collection.case_input(
        {
            "region": "Kota Bandung",
            "type_": "mou",
            "source_id": "s",
            "sectors": ("Tourism; Education", "Culture"),
            "quotes": ("a", "b"),
            "supports": ("date, region", "partner"),
            "title": None,
        }
    )
    assert case.type == "mou" and case.title is None
    assert case.sectors == ("Tourism", "Education", "Culture")
    assert [q.quote for q in case.quotes] == ["a", "b"]
    assert case.quotes[0].supports == ("date", "region", "partner")


def test_the_editable_fields_are_the_case_fields_a_user_may_change() -> None:
    from paradiplo.db.caseformats import CASE_FIELDS

    assert set(collection.EDITABLE_FIELDS) < set(CASE_FIELDS)
    assert "id" not in collection.EDITABLE_FIELDS and "sectors" in collection.EDITABLE_FIELDS
