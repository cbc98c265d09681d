"""What the resolver, suggestions, citations, counts and the palette say follows the interface
language; their machine output (--json, exports) does not."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from paradiplo.db import i18n, laws, palette, resolve, stats
from paradiplo.db.models import Filters
from paradiplo.db.store import Store

from .test_cli import run

KOMPASIANA = "001_17fdbbb4dbe6a6d1"


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    i18n.set_language("en")


@pytest.mark.parametrize(
    "args",
    [
        ("suggest", KOMPASIANA, "--json"),
        ("stats", "--by", "sector", "--json"),
        ("stats", "--by", "year", "--json"),
        ("stats", "--by", "stage", "--json"),
        ("stats", "matrix", "--rows", "sector", "--cols", "country", "--json"),
        ("stats", "matrix", "--rows", "year", "--cols", "sector", "--csv"),
        ("sources", "export", "--format", "csl-json"),
        ("sources", "export", "--format", "ris"),
        ("sources", "export", "--format", "bibtex"),
    ],
)
def test_machine_output_is_the_same_in_both_languages(db_path: Path, args: tuple[str, ...]) -> None:
    code_en, out_en, _err = run(db_path, "--lang", "en", *args)
    code_id, out_id, _err = run(db_path, "--lang", "id", *args)
    assert code_en == code_id == 0
    assert out_en == out_id


def test_the_resolver_says_what_a_name_became_in_the_interface_language() -> None:
    ambiguous = resolve.resolve_place("Malang").describe()
    unknown = resolve.resolve_place("Surabya").describe()
    assert ambiguous == "'Malang' is ambiguous: Kota Malang (35.73) or Kabupaten Malang (35.07)"
    assert unknown.endswith("; did you mean Kota Surabaya?")
    i18n.set_language("id")
    assert resolve.resolve_place("Malang").describe() == (
        "'Malang' ambigu: Kota Malang (35.73) atau Kabupaten Malang (35.07)"
    )
    assert resolve.resolve_place("Surabya").describe() == (
        "'Surabya' tidak ada dalam daftar resmi provinsi, kabupaten, dan kota di Indonesia;"
        " maksud Anda Kota Surabaya?"
    )
    assert "bukan nama atau kode negara" in resolve.resolve_country("Koresl").describe()


def test_filter_errors_follow_the_language(db_path: Path) -> None:
    code, _out, err = run(db_path, "--lang", "id", "cases", "list", "--region", "Malang")
    assert code != 0
    assert "Tuliskan nama lengkap atau kodenya" in err
    assert "ambigu" in err
    code, _out, err = run(db_path, "--lang", "id", "cases", "list", "--sector", "xyz")
    assert code != 0
    assert "Tidak ada sektor 'xyz'" in err
    code, _out, err = run(db_path, "--lang", "id", "cases", "list", "--partner-country", "Koresl")
    assert code != 0
    assert "?." not in err  # the question ends the message


def test_cited_facts_in_indonesian_keep_the_reference_of_the_style(db_path: Path) -> None:
    code, english, _err = run(db_path, "--lang", "en", "cite", "malang-nonsan-2017")
    assert code == 0
    code, indonesian, _err = run(db_path, "--lang", "id", "cite", "malang-nonsan-2017")
    assert code == 0
    assert "The Indonesian party to" in english and "\nReferences\n" in english
    assert "Pihak Indonesia dalam" in indonesian and "\nDaftar Pustaka\n" in indonesian
    assert "Korea Selatan" in indonesian
    # The quotes and the reference (APA, English locale) are the same in both languages.
    assert english.rstrip().splitlines()[-1] == indonesian.rstrip().splitlines()[-1]
    assert re.findall(r"“[^”]*”", english)[-1] == re.findall(r"“[^”]*”", indonesian)[-1]
    # The Indonesian style formats the reference with the Indonesian locale ("t.t.").
    code, apa_id, _err = run(
        db_path, "--lang", "en", "cite", "malang-nonsan-2017", "--style", "apa-id"
    )
    assert code == 0
    assert "(t.t.)" in apa_id.rstrip().splitlines()[-1]


def test_a_bad_source_field_is_explained_in_indonesian(db_path: Path) -> None:
    code, _out, err = run(db_path, "--lang", "id", "sources", "set", KOMPASIANA, "--url", "foo")
    assert code != 0
    assert "tidak diawali http:// atau https://" in err
    assert "Tidak ada yang diubah" in err


def test_counts_show_labels_in_the_interface_language(store: Store) -> None:
    conn = store.conn
    sectors = {c.key: c for c in stats.counts(conn, "sector")}
    years = {c.key: c for c in stats.counts(conn, "year")}
    assert sectors["tourism"].shown == sectors["tourism"].label == "Tourism"
    assert years[None].shown == "undated"
    i18n.set_language("id")
    sectors = {c.key: c for c in stats.counts(conn, "sector")}
    years = {c.key: c for c in stats.counts(conn, "year")}
    assert sectors["tourism"].label == "Tourism"  # what --json gives
    assert sectors["tourism"].shown == "Pariwisata"
    assert years[None].shown == "tanpa tanggal"
    net = stats.network(conn, "pc:KR", Filters())
    assert net.label == "Korea Selatan"
    labels = stats.filter_labels(conn, Filters(sectors=("tourism",)))
    assert labels["tourism"] == "Pariwisata"


def test_palette_details_and_law_status_follow_the_language(store: Store) -> None:
    hits = palette.find(store.conn, "jatim")
    assert any(h.detail.endswith(("case", "cases")) for h in hits if h.kind == "region")
    i18n.set_language("id")
    hits = palette.find(store.conn, "jatim")
    assert any("kasus" in h.detail for h in hits if h.kind == "region")
    assert laws.status_words("in_force") == "berlaku"


def test_a_suggestion_describes_itself_in_the_interface_language(store: Store) -> None:
    from paradiplo.db import suggest

    found = suggest.suggest(store.conn, KOMPASIANA)
    malang = next(s for s in found if s.region_as_stated == "Malang")
    assert malang.describe() == (
        "Malang (ambiguous: Kota Malang or Kabupaten Malang) – Nonsan, South Korea"
    )
    i18n.set_language("id")
    assert malang.describe() == (
        "Malang (ambigu: Kota Malang atau Kabupaten Malang) – Nonsan, Korea Selatan"
    )


def test_count_errors_follow_the_language(store: Store) -> None:
    i18n.set_language("id")
    with pytest.raises(stats.UnknownDimension, match="Dimensi 'colour' tidak dikenal"):
        stats.counts(store.conn, "colour")
    with pytest.raises(stats.UnknownDimension, match="pilih dua dimensi"):
        stats.matrix(store.conn, "year", "year")


def test_region_completions_and_matches_name_the_level_in_the_interface_language(
    store: Store,
) -> None:
    from paradiplo.db import places

    assert ("Kota Malang", "city, 35.73, Jawa Timur") in places.complete_regions(
        store.conn, "malang"
    )
    i18n.set_language("id")
    assert ("Kota Malang", "kota, 35.73, Jawa Timur") in places.complete_regions(
        store.conn, "malang"
    )
    assert places.resolve_region(store.conn, "Pemkot Malang").describe() == (
        "Kota Malang (kota, 35.73)"
    )
    ambiguous = places.resolve_region(store.conn, "Malang")
    assert ambiguous.candidates_text() == "Kota Malang (35.73) atau Kabupaten Malang (35.07)"


def test_an_unknown_region_offers_the_nearest_names_in_any_language(store: Store) -> None:
    from paradiplo.db import places

    i18n.set_language("id")
    assert places.resolve_region(store.conn, "Surabya").suggestions == ("Kota Surabaya",)
    assert places.resolve_region(store.conn, "Pemkot Malang").suggestions == ()
