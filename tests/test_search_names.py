"""Search knows names: provinces in any form, abbreviations, people, laws; proper names are
never stemmed and Indonesian affixes meet."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from paradiplo.db import search
from paradiplo.db.analyze import analyse_word, proper_names, tokens
from paradiplo.db.models import SearchHit
from paradiplo.db.resolve import place_forms, places
from paradiplo.db.store import Store
from tests.helpers import EAST_JAVA_CASES

ROOT = Path(__file__).resolve().parents[1]


def hits(store: Store, text: str) -> list[SearchHit]:
    return search.search(store.conn, text, limit=50)


def cases(store: Store, text: str) -> set[str]:
    return {h.ref_id for h in hits(store, text) if h.kind == "case"}


@pytest.mark.parametrize(
    "query",
    ["jatim", "Jatim", "jawa timur", "Jawa Timur", "east java", "East Java", "Provinsi Jawa Timur"],
)
def test_every_form_of_east_java_finds_its_seven_cases(shared: Store, query: str) -> None:
    assert cases(shared, query) == EAST_JAVA_CASES


@pytest.mark.parametrize(
    "query", ["jawa timur australia", "jatim australia", "east java australia"]
)
def test_a_province_and_a_partner_country_together(shared: Store, query: str) -> None:
    assert cases(shared, query) == {
        "kediri-australia-msme-export",
        "trenggalek-australia-kompak-2018",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Jabar", {"jabar-shizuoka-mou-2017", "jabar-shizuoka-new-economy"}),
        ("West Java", {"jabar-shizuoka-mou-2017", "jabar-shizuoka-new-economy"}),
        ("Korsel", {"malang-nonsan-2017"}),
        ("Korea Selatan", {"malang-nonsan-2017"}),
        ("RRT", {"sidoarjo-jinan-2008"}),
        ("Kawakatsu", {"jabar-shizuoka-new-economy"}),
        ("Heita Kawakatsu", {"jabar-shizuoka-new-economy"}),
        ("Ridwan Kamil", {"jabar-shizuoka-new-economy"}),
        ("NK", {"jabar-shizuoka-mou-2017"}),
        ("pemkot", {"kediri-australia-msme-export"}),
        ("Pemkab Trenggalek", {"trenggalek-australia-kompak-2018"}),
    ],
)
def test_names_abbreviations_and_people_find_their_cases(
    shared: Store, query: str, expected: set[str]
) -> None:
    assert expected <= cases(shared, query)


def test_a_case_is_found_by_the_legal_bases_of_its_sources(shared: Store) -> None:
    found = cases(shared, "Perjanjian Internasional")
    assert "kediri-australia-msme-export" in found
    assert "jabar-shizuoka-mou-2017" not in found  # its source cites no law


@pytest.mark.parametrize(
    ("query", "law"),
    [
        ("UU 32", "uu-32-2004"),
        ("undang-undang 24", "uu-24-2000"),
        ("Pemerintah Daerah", "uu-32-2004"),
    ],
)
def test_laws_are_searchable_in_their_own_right(shared: Store, query: str, law: str) -> None:
    found = hits(shared, query)
    assert law in {h.ref_id for h in found if h.kind == "law"}


def test_glossary_terms_are_searchable(shared: Store) -> None:
    assert "sister-city" in {h.ref_id for h in hits(shared, "kota kembar") if h.kind == "term"}


def test_berdiri_does_not_find_kediri(shared: Store) -> None:
    assert "kediri-australia-msme-export" not in cases(shared, "berdiri")
    assert "kediri-australia-msme-export" in cases(shared, "Kediri")


def test_malang_does_not_find_pemalang() -> None:
    assert analyse_word("pemalang") == ("pemalang",)
    assert analyse_word("malang") == ("malang",)


@pytest.mark.parametrize(
    "word", ["disepakati", "sepakat", "kesepakatan", "menyepakati", "bersepakat", "kesepakatannya"]
)
def test_sepakat_and_its_affixed_forms_meet(word: str) -> None:
    assert analyse_word(word) == ("sepakat",)


def test_disepakati_finds_what_kesepakatan_finds(shared: Store) -> None:
    mou = "jabar-shizuoka-mou-2017"
    assert mou in cases(shared, "disepakati")
    assert mou in cases(shared, "kesepakatan")
    assert mou in cases(shared, "sepakat")


def _seed_names() -> list[str]:
    with (ROOT / "seeds" / "cases.toml").open("rb") as fh:
        data = tomllib.load(fh)
    names = [a["name"] for a in data["actor"]] + [a.get("as_stated", "") for a in data["actor"]]
    names += [p["name"] for p in data["person"]] + [e.get("place", "") for e in data["event"]]
    return names


def test_no_proper_name_is_changed_by_the_stemmer() -> None:
    """Every word of every place in the official list (in its written forms) and of every name
    in the seeds is indexed as it is, but the ordinary words inside names."""
    names = [f for p in places() for f in place_forms(p.code)] + _seed_names()
    protected = proper_names()
    changed = {
        w: analyse_word(w)
        for n in names
        for w in tokens(n)
        if w in protected and analyse_word(w) != (w,)
    }
    assert changed == {}
    # and the ordinary words left out are few and really ordinary
    left_out = {w for n in names for w in tokens(n) if w.isalpha() and w not in protected}
    assert left_out <= {
        "kepulauan",
        "pegunungan",
        "seribu",
        "kesejahteraan",
        "pelayanan",
        "kolaborasi",
        "masyarakat",
        "international",
        "foundation",
        "islands",
        "highlands",
        "bagian",
    }


def test_snippets_are_centred_on_the_match(shared: Store) -> None:
    for hit in hits(shared, "Kawakatsu") + hits(shared, "Nonsan"):
        assert search.HL_OPEN in hit.snippet, hit


def test_a_snippet_is_centred_on_the_first_match() -> None:
    body = (
        " ".join(f"kata{i}" for i in range(200))
        + " Kawakatsu "
        + " ".join(f"lain{i}" for i in range(200))
    )
    q = search.parse_query("kawakatsu ")
    snippet = search.make_snippet("", body, q)
    plain = snippet.replace(search.HL_OPEN, "").replace(search.HL_CLOSE, "")
    at = plain.index("Kawakatsu")
    middle = at + len("Kawakatsu") / 2
    assert abs(middle - len(plain) / 2) < len(plain) / 6, snippet
    assert f"{search.HL_OPEN}Kawakatsu{search.HL_CLOSE}" in snippet
    # near the end of a body, the snippet takes more words before the match
    tail = search.make_snippet("", body[: body.index("Kawakatsu") + 10], q)
    assert tail.startswith("…") and len(tail) > 100
