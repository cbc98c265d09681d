"""What the command palette offers (db/palette.py): words in any order, each a prefix, through
every written form of a name and the search synonyms; regions, partners, countries, sectors,
sources, laws, terms and cases, best first."""

from __future__ import annotations

from pathlib import Path

import pytest

from paradiplo.db import palette
from paradiplo.db.store import Store


def offers(store: Store, text: str) -> list[tuple[str, str]]:
    return [(h.kind, h.key) for h in palette.find(store.conn, text)]


def test_jatim_australia_offers_the_two_cases(shared: Store) -> None:
    assert set(offers(shared, "jatim australia")) == {
        ("case", "kediri-australia-msme-export"),
        ("case", "trenggalek-australia-kompak-2018"),
    }


def test_malang_offers_both_malang_regions_and_the_case(shared: Store) -> None:
    found = offers(shared, "malang")
    assert {("region", "a:35.73"), ("region", "a:35.07"), ("case", "malang-nonsan-2017")} <= set(
        found
    )
    # regions first, then the case
    assert found.index(("case", "malang-nonsan-2017")) > found.index(("region", "a:35.73"))
    detail = {h.key: h.detail for h in palette.find(shared.conn, "malang")}
    assert "may be it" in detail["a:35.73"]


# What a user types, and one thing the palette must offer for it.
EXAMPLES: dict[str, tuple[str, str]] = {
    "Shizuoka MoU": ("case", "jabar-shizuoka-mou-2017"),
    "mou shizuoka": ("case", "jabar-shizuoka-mou-2017"),
    "sidoarjo jinan": ("case", "sidoarjo-jinan-2008"),
    "jinan sidoarjo": ("case", "sidoarjo-jinan-2008"),
    "sido jin": ("case", "sidoarjo-jinan-2008"),
    "sister city malang": ("case", "malang-nonsan-2017"),
    "kota kembar": ("term", "sister-city"),
    "UU 32": ("law", "uu-32-2004"),
    "undang-undang 24": ("law", "uu-24-2000"),
    "Pemkot Kediri": ("region", "a:35.71"),
    "Jabar": ("region", "p:32"),
    "east java": ("region", "p:35"),
    "jatim": ("region", "p:35"),
    "Korsel": ("country", "pc:KR"),
    "Jepang": ("country", "pc:JP"),
    "RRT": ("country", "pc:CN"),
    "wisata": ("sector", "s:tourism"),
    "jinan": ("partner", "pa:jinan-cn"),
    "kompas": ("source", "001_17fdbbb4dbe6a6d1"),
}
# Examples whose thing must be the first offer.
BEST_FIRST = ["UU 32", "Pemkot Kediri", "kota kembar", "jatim"]


@pytest.mark.parametrize("text", EXAMPLES)
def test_examples_find_something(shared: Store, text: str) -> None:
    assert EXAMPLES[text] in offers(shared, text)


@pytest.mark.parametrize("text", BEST_FIRST)
def test_the_best_offer_comes_first(shared: Store, text: str) -> None:
    assert offers(shared, text)[0] == EXAMPLES[text]


@pytest.mark.parametrize("text", ["", "   ", "xyzzy"])
def test_nothing_matching_offers_nothing(shared: Store, text: str) -> None:
    assert offers(shared, text) == []


@pytest.mark.parametrize("text", ['"', "AND OR NEAR(", "🙂", "\x00", "[b]x[/b]", "*", "-:^"])
def test_odd_text_never_raises(shared: Store, text: str) -> None:
    offers(shared, text)


def test_a_new_case_is_offered_after_an_import(store: Store, tmp_path: Path) -> None:
    import json

    from paradiplo.db import io

    assert offers(store, "Penang") == []
    rec = {
        "title": "Surabaya – Penang cooperation",
        "region": "Pemkot Surabaya",
        "partner": "Penang",
        "partner_country": "Malaysia",
        "type": "cooperation",
        "source": "A test citation",
    }
    path = tmp_path / "one.json"
    path.write_text(json.dumps([rec]), encoding="utf-8")
    io.import_cases(store, path)
    assert ("partner", "pa:penang-my") in offers(store, "Penang")
    assert ("country", "pc:MY") in offers(store, "Malaysia")
