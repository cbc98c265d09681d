"""The suggestion finder on texts written for the tests, and `paradiplo-tui suggest`."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from paradiplo.db import collection, suggest
from paradiplo.db.store import Store
from paradiplo.tui.cli import main

NEWS = (
    "SURABAYA - Pemerintah Kota Surabaya menandatangani nota kesepahaman dengan Kota "
    "Kitakyushu, Jepang, tentang pengelolaan sampah. Acara itu dihadiri banyak pejabat.\n"
    "Sementara itu, Pemprov Jatim menjajaki kerja sama dengan Provinsi Guangdong, Tiongkok "
    "di bidang perdagangan dan investasi.\n"
    "Kab. Banyuwangi menjalin sister city dengan Suwon City in South Korea sejak 2015.\n"
    "Wali Kota Bandung berkunjung ke Jerman pekan lalu untuk menonton sepak bola.\n"
    "East Java and Western Australia signed a memorandum of understanding on education.\n"
    "Pemerintah Kota Surabaya juga mengadakan festival budaya tahunan.\n"
)


def by_region(found: list[suggest.Suggestion]) -> dict[str, suggest.Suggestion]:
    out: dict[str, suggest.Suggestion] = {}
    for s in found:
        out.setdefault(s.region, s)
    return out


def test_finds_region_partner_country_type_and_sectors(store: Store) -> None:
    found = by_region(suggest.suggest_text(store.conn, NEWS, "src"))
    sby = found["Kota Surabaya"]
    assert sby.region_code == "35.78" and sby.region_as_stated == "Pemerintah Kota Surabaya"
    assert sby.partner == "Kitakyushu" and sby.partner_country == "JP"
    assert sby.type == "mou" and "waste-management" in sby.sectors
    assert NEWS[sby.start : sby.end] == sby.quote and sby.quote.startswith("SURABAYA - Pemerintah")
    jatim = found["Jawa Timur"]  # an abbreviation, a country named in Indonesian
    assert jatim.region_as_stated == "Pemprov Jatim"
    assert jatim.partner == "Provinsi Guangdong" and jatim.partner_country == "CN"
    assert jatim.type == "exploratory" and "trade-investment" in jatim.sectors
    bwi = found["Kabupaten Banyuwangi"]
    assert bwi.partner == "Suwon City" and bwi.partner_country == "KR"
    assert bwi.type == "sister-city"


def test_english_text_and_a_province_named_in_english(store: Store) -> None:
    found = suggest.suggest_text(
        store.conn, "East Java and Western Australia signed a memorandum of understanding.", "s"
    )
    assert [(s.region, s.partner_country, s.type) for s in found] == [("Jawa Timur", "AU", "mou")]


def test_no_suggestion_without_a_cooperation_cue_or_a_foreign_party(store: Store) -> None:
    found = suggest.suggest_text(store.conn, NEWS, "src")
    quotes = " ".join(s.quote for s in found)
    assert "sepak bola" not in quotes  # a region and a country, but no cooperation
    assert "festival budaya" not in quotes  # a region, no foreign party
    assert suggest.suggest_text(store.conn, "Tidak ada apa-apa di sini.", "s") == []


def test_an_ambiguous_name_is_offered_with_its_candidates(store: Store) -> None:
    (s,) = suggest.suggest_text(
        store.conn, "Malang menjalin kerja sama sister city dengan Kota Nonsan, Korea Selatan.", "s"
    )
    assert s.region_status == "ambiguous" and s.region_code is None
    assert set(s.region_candidates) == {"Kota Malang", "Kabupaten Malang"}
    assert s.partner == "Nonsan" and s.partner_country == "KR"


def test_a_suggestion_for_a_bundled_case_names_the_existing_case(store: Store) -> None:
    found = suggest.suggest(store.conn, "001_17fdbbb4dbe6a6d1")
    sidoarjo = next(s for s in found if s.region == "Kabupaten Sidoarjo")
    assert sidoarjo.partner == "Jinan" and sidoarjo.existing == ("sidoarjo-jinan-2008",)


def test_accepting_a_suggestion_adds_the_case_citing_its_sentence(store: Store) -> None:
    sid = collection.add_source(store, collection.NewSource(text=NEWS, title="Berita"))
    before = store.conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    found = suggest.suggest(store.conn, sid)
    assert store.conn.execute("SELECT count(*) FROM cases").fetchone()[0] == before  # not stored
    s = next(x for x in found if x.region == "Kota Surabaya")
    cid = collection.add_case(store, s.to_case_input(date="2012"))
    row = store.conn.execute(
        "SELECT quote, start, \"end\" FROM evidence WHERE record_type = 'case' AND record_id = ?",
        (cid,),
    ).fetchone()
    assert row == (s.quote, s.start, s.end)
    # The same passage, selected in the reader, pre-fills the form with the same parties.
    again = suggest.suggest_for_passage(store.conn, sid, s.start, s.end)
    assert again is not None and again.partner == "Kitakyushu" and again.existing == (cid,)


def test_suggest_command(db_path: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(main, ["--db", str(db_path), "suggest", "001_17fdbbb4dbe6a6d1", "--json"])
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data and {"region", "partner", "partner_country", "type", "sectors", "quote"} <= set(
        data[0]
    )
    r = runner.invoke(main, ["--db", str(db_path), "suggest", "001_17fdbbb4dbe6a6d1"])
    assert r.exit_code == 0 and "Jinan" in r.stdout and "none is stored" in r.stderr
    r = runner.invoke(main, ["--db", str(db_path), "suggest", "no-such-source"])
    assert r.exit_code == 1 and "No source" in r.stderr


def test_a_dateline_is_not_a_party_and_a_part_of_a_country_is_the_partner(store: Store) -> None:
    text = (
        "Jatim dan Australia Barat Perkuat Kerja Sama\n"
        "SURABAYA, KOMPAS.com – Pemerintah Provinsi Jawa Timur dan Pemerintah Negara Bagian "
        "Australia Barat sepakat memperkuat kerja sama sister province sejak 1990.\n"
    )
    found = suggest.suggest_text(store.conn, text, "s")
    assert [(s.region, s.partner, s.partner_country, s.type) for s in found] == [
        ("Jawa Timur", "Australia Barat", "AU", "sister-city")
    ]
    assert found[0].quote.startswith("SURABAYA, KOMPAS.com")  # the fuller sentence, not the title


def test_sectors_named_in_the_next_sentence_about_the_cooperation(store: Store) -> None:
    text = (
        "Pemkot Surabaya menandatangani nota kesepahaman dengan Kota Kitakyushu, Jepang. "
        "Kerja sama itu meliputi pengelolaan sampah dan pendidikan. "
        "Warga juga menikmati festival pariwisata."
    )
    (s,) = suggest.suggest_text(store.conn, text, "s")
    assert set(s.sectors) == {"waste-management", "education"}  # not tourism: another topic
    assert s.quote.endswith("Kitakyushu, Jepang.")  # the quote stays the naming sentence
