"""Text analysis for search: folding, Indonesian stemming, compounds, phrases (db/analyze.py)."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from paradiplo.db import analyze
from paradiplo.db.analyze import analyse_word, fold, index_terms, join_phrases, search_terms, tokens
from paradiplo.db.resolve import province_groups


def test_fold_ignores_case_and_accents() -> None:
    assert fold("Café NAÏVE Ångström") == "cafe naive angstrom"
    assert tokens("Kerja-sama, (Jepang)!  x_y") == ["kerja", "sama", "jepang", "x", "y"]


@pytest.mark.parametrize(
    "word", ["kerjasama", "bekerjasama", "kerjasamanya", "dikerjasamakan", "berkerjasama"]
)
def test_joined_compounds_and_their_affixed_forms_give_the_parts(word: str) -> None:
    assert analyse_word(word) == ("kerja", "sama")


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("penandatanganan", ("tanda", "tangan")),
        ("ditandatangani", ("tanda", "tangan")),
        ("menandatangani", ("tanda", "tangan")),  # meN- drops the t of the root
        ("walikota", ("wali", "kota")),
    ],
)
def test_other_compounds(word: str, parts: tuple[str, ...]) -> None:
    assert analyse_word(word) == parts


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("bekerja", "kerja"),
        ("perdagangan", "dagang"),
        ("pariwisata", "pariwisata"),
        ("kemiskinan", "miskin"),
        ("cities", "city"),  # English plurals fold too
        ("agreements", "agreement"),
        ("businesses", "business"),
        ("teknis", "teknis"),  # an Indonesian root ending in s is left alone
        ("shizuoka", "shizuoka"),
    ],
)
def test_stems(word: str, stem: str) -> None:
    assert analyse_word(word) == (stem,)


def test_the_words_sastrawi_would_drop_as_stop_words_are_kept() -> None:
    assert index_terms("kerja sama luar negeri").split()[:4] == ["kerja", "sama", "luar", "negeri"]


def test_known_phrases_are_also_indexed_as_one_token() -> None:
    terms = index_terms("Kota Surabaya bekerja sama dengan kota kembar; sister cities").split()
    assert {"kerjasama", "kotakembar", "sistercity"} <= set(terms)
    assert join_phrases(["bekerja", "kerja", "sama", "sister", "city"]) == [
        "bekerja",
        "kerjasama",
        "sistercity",
    ]


def test_search_terms_store_only_what_the_text_columns_cannot_match() -> None:
    terms = search_terms("Pemda bekerjasama dalam perdagangan", "hidden label")
    words = terms.split()
    assert "pemda" not in words and "dalam" not in words  # indexed as written already
    assert {"kerja", "sama", "dagang", "kerjasama", "hidden", "label"} <= set(words)


def test_odd_text_never_breaks_analysis() -> None:
    for text in ["", "\x00\x1b[31m", "①②", "日本語 テキスト", "🙂" * 50, "a" * 10_000, "x_" * 20]:
        index_terms(text)
        search_terms(text, text)


def test_stems_are_cached() -> None:
    analyse_word.cache_clear()
    analyse_word("menjajaki")
    analyse_word("menjajaki")
    info = analyse_word.cache_info()
    assert info.hits == 1 and info.misses == 1


def test_the_analyzer_version_follows_the_compound_and_phrase_lists() -> None:
    rules, digest, names = analyze.ANALYZER_VERSION.split(".")
    assert rules.isdigit() and len(names) == 8  # the rules' own number; a digest of the names
    assert digest == analyze.vocabulary().digest
    assert analyze.vocabulary().compounds["kerjasama"] == ("kerja", "sama")
    assert any("Jepang" in g for g in analyze.vocabulary().groups)


def test_the_synonyms_file_is_well_formed() -> None:
    text = resources.files("paradiplo.seeds").joinpath("synonyms.toml").read_text(encoding="utf-8")
    raw = tomllib.loads(text)
    assert set(raw) == {"compounds", "group"}
    for joined, apart in raw["compounds"].items():
        assert tokens(joined) == [joined] and len(tokens(apart)) > 1, joined
    for group in raw["group"]:
        assert set(group) == {"terms"} and len(group["terms"]) >= 2, group
    # The file's groups, then each province's names from db/resolve.py.
    provinces = [g for g in province_groups() if len(g) > 1]
    assert len(analyze.vocabulary().groups) == len(raw["group"]) + len(provinces)
