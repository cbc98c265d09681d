"""The one resolver of place and country names (db/resolve.py): what each written form becomes."""

from __future__ import annotations

import pytest

from paradiplo.db.resolve import (
    Ambiguous,
    Resolved,
    Unknown,
    country_forms,
    normalise,
    place,
    place_forms,
    places,
    resolve_country,
    resolve_place,
    visible,
)

# (as typed, what it must become: a code, "ambiguous:<codes>" or "unknown")
PLACES = [
    # official names and their prefixed forms
    ("Kota Malang", "35.73"),
    ("Kabupaten Malang", "35.07"),
    ("Kab. Malang", "35.07"),
    ("kab malang", "35.07"),
    ("Pemkab Malang", "35.07"),
    ("Pemkot Malang", "35.73"),
    ("Kotamadya Malang", "35.73"),
    ("Malang City", "35.73"),
    ("City of Malang", "35.73"),
    ("Malang Regency", "35.07"),
    ("Regency of Malang", "35.07"),
    ("Pemerintah Kota Malang", "35.73"),
    ("Pemerintah Kabupaten Malang", "35.07"),
    ("Kota Malang, Jawa Timur", "35.73"),
    ("Kota Surabaya", "35.78"),
    ("Surabaya", "35.78"),
    ("Surabaya City", "35.78"),
    ("  kota   SURABAYA  ", "35.78"),
    ("pemkot Kediri", "35.71"),
    ("Pemkab Kediri", "35.06"),
    ("Pemkab Trenggalek", "35.03"),
    ("Trenggalek", "35.03"),
    ("Pemda Banyuwangi", "35.10"),
    ("Banyuwangi", "35.10"),
    ("Sidoarjo", "35.15"),
    ("Kab Toli Toli", "72.04"),
    ("Toli-Toli", "72.04"),
    ("Kota Administrasi Jakarta Selatan", "31.74"),
    ("Jakarta Selatan", "31.74"),
    ("Kota Jakarta Selatan", "31.74"),
    ("South Jakarta", "31.74"),
    ("Solo", "33.72"),
    ("Kota Surakarta", "33.72"),
    ("Ujung Pandang", "73.71"),
    ("Bandung Barat", "32.17"),
    ("Kota Bandung", "32.73"),
    # provinces: official, prefixed, English, abbreviations, former and popular names
    ("Jawa Timur", "35"),
    ("Provinsi Jawa Timur", "35"),
    ("Prov. Jawa Timur", "35"),
    ("Pemprov Jatim", "35"),
    ("Jatim", "35"),
    ("JATIM", "35"),
    ("East Java", "35"),
    ("East Java Province", "35"),
    ("Province of East Java", "35"),
    ("Jabar", "32"),
    ("Pemprov Jabar", "32"),
    ("West Java", "32"),
    ("Jateng", "33"),
    ("Central Java", "33"),
    ("DIY", "34"),
    ("Daerah Istimewa Yogyakarta", "34"),
    ("DI Yogyakarta", "34"),
    ("Special Region of Yogyakarta", "34"),
    ("DKI", "31"),
    ("DKI Jakarta", "31"),
    ("Jakarta", "31"),
    ("Daerah Khusus Jakarta", "31"),
    ("Sumut", "12"),
    ("Sumatera Utara", "12"),
    ("Sumatra Utara", "12"),
    ("North Sumatra", "12"),
    ("Sumbar", "13"),
    ("Sumsel", "16"),
    ("Sulsel", "73"),
    ("South Sulawesi", "73"),
    ("Sulut", "71"),
    ("Sultra", "74"),
    ("Southeast Sulawesi", "74"),
    ("Kalbar", "61"),
    ("Kaltim", "64"),
    ("Kaltara", "65"),
    ("NTB", "52"),
    ("West Nusa Tenggara", "52"),
    ("NTT", "53"),
    ("Babel", "19"),
    ("Kepri", "21"),
    ("Kep. Riau", "21"),
    ("Riau Islands", "21"),
    ("NAD", "11"),
    ("Nanggroe Aceh Darussalam", "11"),
    ("Irian Jaya Barat", "92"),
    ("Papua Barat Daya", "96"),
    ("Southwest Papua", "96"),
    ("Provinsi Gorontalo", "75"),
    ("Malut", "82"),
    ("Bali", "51"),
    # written joined or apart, popular short names
    ("Pangkalpinang", "19.71"),
    ("Kota Pangkalpinang", "19.71"),
    ("Pematang Siantar", "12.72"),
    ("Siantar", "12.72"),
    ("Bau-Bau", "74.72"),
    ("Kota Baubau", "74.72"),
    ("Lubuklinggau", "16.73"),
    ("Labuhan Batu", "12.10"),
    ("Tanjungpinang", "21.72"),
    ("Tangsel", "36.74"),
    ("Tangerang Selatan", "36.74"),
    ("Tangerang", "ambiguous:36.03,36.71"),
    ("Taput", "12.02"),
    ("Padang Sidempuan", "12.77"),
    ("Padangsidimpuan", "12.77"),
    ("Kota Adm. Jakarta Pusat", "31.71"),
    ("Kab. Adm. Kepulauan Seribu", "31.01"),
    ("Pangkep", "73.10"),
    ("Kabupaten Toba Samosir", "12.12"),
    ("Kabupaten Kulonprogo", "34.01"),
    ("Gunung Kidul", "34.03"),
    ("Fak-Fak", "92.03"),
    # codes
    ("35.73", "35.73"),
    ("35", "35"),
    # invisible characters and accents do not matter
    ("Kota\u00a0Malang", "35.73"),
    ("Kota\u200bMalang", "35.73"),
    ("Sura\u200bbaya", "35.78"),
    ("\ufeffJatim", "35"),
    ("Jawa\u2003Timur", "35"),
    ("Kotá Málang", "35.73"),
    # refusals: ambiguous
    ("Malang", "ambiguous:35.07,35.73"),
    ("Kediri", "ambiguous:35.06,35.71"),
    ("Pemda Malang", "ambiguous:35.07,35.73"),
    ("Malang, Jatim", "ambiguous:35.07,35.73"),
    ("Bandung", "ambiguous:32.04,32.73"),
    ("Bengkulu", "ambiguous:17,17.71"),
    ("Gorontalo", "ambiguous:75,75.01,75.71"),
    ("Yogyakarta", "ambiguous:34,34.71"),
    ("Jogja", "ambiguous:34,34.71"),
    # refusals: unknown
    ("Atlantis", "unknown"),
    ("Kota Sidoarjo", "unknown"),
    ("Provinsi Malang", "unknown"),
    ("Irian Jaya", "unknown"),
    ("Kota Malang, Jawa Barat", "unknown"),
    ("", "unknown"),
    ("\u200b", "unknown"),
]


def _outcome(result: object) -> str:
    if isinstance(result, Resolved):
        return str(result.value.code)
    if isinstance(result, Ambiguous):
        return "ambiguous:" + ",".join(sorted(c.code for c in result.candidates))
    assert isinstance(result, Unknown)
    return "unknown"


@pytest.mark.parametrize(("typed", "expected"), PLACES)
def test_place_forms(typed: str, expected: str) -> None:
    assert _outcome(resolve_place(typed)) == expected


COUNTRIES = [
    ("Korsel", "KR"),
    ("Korea Selatan", "KR"),
    ("South Korea", "KR"),
    ("Republic of Korea", "KR"),
    ("KR", "KR"),
    ("kor", "KR"),
    ("Korea", "KR"),
    ("Korut", "KP"),
    ("North Korea", "KP"),
    ("RRT", "CN"),
    ("RRC", "CN"),
    ("Tiongkok", "CN"),
    ("Cina", "CN"),
    ("China", "CN"),
    ("People's Republic of China", "CN"),
    ("Republik Rakyat Tiongkok", "CN"),
    ("AS", "US"),
    ("Amerika Serikat", "US"),
    ("United States", "US"),
    ("USA", "US"),
    ("UEA", "AE"),
    ("Uni Emirat Arab", "AE"),
    ("UK", "GB"),
    ("Inggris", "GB"),
    ("Britania Raya", "GB"),
    ("United Kingdom", "GB"),
    ("Jepang", "JP"),
    ("Japan", "JP"),
    ("JPN", "JP"),
    ("Belanda", "NL"),
    ("Jerman", "DE"),
    ("Prancis", "FR"),
    ("Perancis", "FR"),
    ("Türkiye", "TR"),
    ("Turkiye", "TR"),
    ("Turki", "TR"),
    ("Turkey", "TR"),
    ("Vietnam", "VN"),
    ("Viet Nam", "VN"),
    ("Singapura", "SG"),
    ("Selandia Baru", "NZ"),
    ("Arab Saudi", "SA"),
    ("Timor Leste", "TL"),
    ("Côte d'Ivoire", "CI"),
    ("Pantai Gading", "CI"),
    ("Australia\u00a0", "AU"),
    ("aus", "AU"),
    ("Narnia", "unknown"),
    ("Australi", "unknown"),
    ("", "unknown"),
]


@pytest.mark.parametrize(("typed", "expected"), COUNTRIES)
def test_country_forms(typed: str, expected: str) -> None:
    assert _outcome(resolve_country(typed)) == expected


def test_results_say_what_a_name_became() -> None:
    assert resolve_place("Jatim").describe() == "Jatim → Provinsi Jawa Timur"
    assert resolve_place("Pemkot Kediri").describe() == "Pemkot Kediri → Kota Kediri"
    assert resolve_country("Korsel").describe() == "Korsel → South Korea"
    ambiguous = resolve_place("Malang")
    assert isinstance(ambiguous, Ambiguous)
    assert "Kota Malang (35.73)" in ambiguous.describe()
    assert "Kabupaten Malang (35.07)" in ambiguous.describe()


def test_unknown_names_suggest_the_nearest() -> None:
    found = resolve_place("Surabya")
    assert isinstance(found, Unknown) and "Kota Surabaya" in found.suggestions
    found = resolve_place("Kota Sidoarjo")
    assert isinstance(found, Unknown) and found.suggestions == ("Kabupaten Sidoarjo",)
    found = resolve_country("Australi")
    assert isinstance(found, Unknown) and "Australia" in found.suggestions


def test_errors_show_invisible_characters() -> None:
    assert visible("Kota\u00a0Malang") == "Kota<U+00A0>Malang"
    assert visible("Atlan\u200btis") == "Atlan<U+200B>tis"
    assert visible("plain text") == "plain text"
    found = resolve_place("Atlan\u200btis\u00a0")
    assert isinstance(found, Unknown)
    assert "Atlan<U+200B>tis<U+00A0>" in found.describe()


def test_normalise() -> None:
    assert normalise("Kab.\u00a0MALANG ") == "kab malang"
    assert normalise("Türkiye") == "turkiye"
    assert normalise("Sura\u200bbaya") == "surabaya"


def test_places_and_forms() -> None:
    assert len([p for p in places() if p.level == "province"]) == 38
    assert len(places()) == 38 + 514
    jatim = place("35")
    assert jatim is not None and jatim.label == "Provinsi Jawa Timur"
    assert {"Jawa Timur", "Provinsi Jawa Timur", "East Java", "Jatim"} <= set(place_forms("35"))
    assert {"Kota Malang", "Malang"} <= set(place_forms("35.73"))
    assert {"South Korea", "Korea Selatan", "Korsel"} <= set(country_forms("KR"))
    kota = place("35.73")
    assert kota is not None and kota.level == "city" and kota.province_name == "Jawa Timur"


def test_every_official_name_resolves_to_itself() -> None:
    for p in places():
        found = resolve_place(p.label)
        assert isinstance(found, Resolved) and found.value == p, p
        found = resolve_place(p.code)
        assert isinstance(found, Resolved) and found.value == p, p


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Bengkulu", "17"),
        ("Gorontalo", "75"),
        ("Jambi", "15"),
        ("Jatim", "35"),
        ("Malang", "unknown"),
    ],
)
def test_a_province_field_reads_a_bare_name_as_the_province(typed: str, expected: str) -> None:
    assert _outcome(resolve_place(typed, level="province")) == expected


def test_a_province_narrows_a_name() -> None:
    assert _outcome(resolve_place("Kota Bengkulu, Bengkulu")) == "17.71"
    assert _outcome(resolve_place("Gorontalo", province="Gorontalo")) == (
        "ambiguous:75,75.01,75.71"
    )
    assert _outcome(resolve_place("Kabupaten Gorontalo", province="Gorontalo")) == "75.01"
