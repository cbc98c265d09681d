"""The seed build: every case present, every quote verified, broken seeds stop with a fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from paradiplo.db import queries, seeds
from paradiplo.db.errors import SeedError
from paradiplo.db.models import Filters
from paradiplo.db.store import Store, open_store
from tests.helpers import SEED_CASES


def test_every_named_cooperation_is_a_case(store: Store) -> None:
    rows = queries.list_cases(store.conn, Filters(), limit=100)
    assert {r.id for r in rows} == SEED_CASES


def test_every_quote_is_verbatim_at_its_offsets(store: Store) -> None:
    assert queries.check(store.conn) == []
    texts = {
        s.id: queries.get_source(store.conn, s.id).text for s in queries.list_sources(store.conn)
    }
    for cid in SEED_CASES:
        detail = queries.case_detail(store.conn, cid)
        assert detail.evidence, cid
        for e in detail.evidence:
            assert e.quote and e.start is not None and e.end is not None
            span = " ".join(texts[e.source_id][e.start : e.end].split())
            assert span == " ".join(e.quote.split())


def test_each_fact_has_its_passage(store: Store) -> None:
    d = queries.case_detail(store.conn, "jabar-shizuoka-mou-2017")
    assert d.date_as_stated == "November 2017"
    assert d.evidence_for("date") and "November 2017" in d.evidence_for("date")[0].quote
    assert {s.id for s in d.sectors} == {
        "human-resources",
        "trade-investment",
        "tourism",
        "sport",
        "culture",
        "governance-capacity",
        "transport",
    }
    assert all(d.evidence_for(f"sector:{s.id}") for s in d.sectors)
    assert d.partner is not None and d.partner.country_code == "JP"
    assert d.category == "KSDPL" and "Derived" in (d.category_basis or "")
    assert [lb.id for lb in d.legal_bases] == []  # the news piece cites no law


def test_ambiguity_is_kept_visible(store: Store) -> None:
    d = queries.case_detail(store.conn, "malang-nonsan-2017")
    assert d.region.area_code is None
    assert d.region.candidates == ["35.73", "35.07"]
    assert d.region.unclear
    kediri = queries.case_detail(store.conn, "kediri-australia-msme-export").region
    assert kediri.area_code == "35.71" and kediri.name == "Kota Kediri"


def test_people_events_legal_bases_glossary(store: Store) -> None:
    d = queries.case_detail(store.conn, "jabar-shizuoka-new-economy")
    assert {p.name for p in d.people} == {"Ridwan Kamil", "Heita Kawakatsu"}
    assert d.events and d.events[0].place == "Gedung Pakuan, Kota Bandung"
    k = queries.case_detail(store.conn, "kediri-australia-msme-export")
    assert {lb.id for lb in k.legal_bases} == {"uu-32-2004", "uu-24-2000"}
    terms = {t.id for t in queries.glossary(store.conn)}
    assert {"paradiplomasi", "multi-level-governance", "diplomasi-ekonomi"} <= terms


def test_sources_carry_provenance(store: Store) -> None:
    sources = {s.id: s for s in queries.list_sources(store.conn)}
    journal = sources["004_51416a2b14608b89"]
    assert journal.kind == "journal_article" and journal.published == "2025-12-30"
    assert len(journal.authors) == 4
    assert sources["000_5dc3115ab1b62650"].outlet == "Kumparan"
    assert sources["001_17fdbbb4dbe6a6d1"].outlet == "Kompasiana"


def test_region_tree_counts(store: Store) -> None:
    tree = queries.region_tree(store.conn)
    indonesia = tree[0]
    assert indonesia.key == "c:ID" and indonesia.count == 9
    jatim = next(n for n in indonesia.children if n.key == "p:35")
    assert jatim.count == 7
    assert {c.key for c in jatim.children} >= {"a:35.78", "r:malang-unspecified"}


def _copy_seeds(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(seeds.bundled_seeds_dir(), target, ignore=shutil.ignore_patterns("__*"))
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "expect"),
    [
        ('Tiongkok pada tahun 2008"', 'Tiongkok pada tahun 2009"', "quote not found"),
        ('id = "malang-nonsan-2017"', 'id = "sidoarjo-jinan-2008"', "duplicate case id"),
        (
            'msme-export = "ekspor produk UMKM"',
            'msme-exports = "ekspor produk UMKM"',
            "unknown sector",
        ),
        ('partner = "jinan-cn"', 'partner = "jinan"', "unknown actor 'jinan'"),
        ('[[case]]\nid = "surabaya', '[[case]\nid = "surabaya', "invalid TOML"),
    ],
)
def test_broken_seeds_stop_with_file_record_and_fix(
    tmp_path: Path, old: str, new: str, expect: str
) -> None:
    d = _copy_seeds(tmp_path)
    _edit(d / "cases.toml", old, new)
    with pytest.raises(SeedError) as info:
        seeds.load_seeds(d)
    message = str(info.value)
    assert "cases.toml" in message and expect in message
    assert "Fix:" in message


def test_rebuild_keeps_notes_and_orphans_them(tmp_path: Path, store: Store) -> None:
    from paradiplo.db import notes

    kept = notes.add_note(store, "case", "sidoarjo-jinan-2008", "Jinan note")
    gone = notes.add_note(store, "case", "kediri-australia-msme-export", "Kediri note")
    d = _copy_seeds(tmp_path)
    text = (d / "cases.toml").read_text(encoding="utf-8")
    start = text.index('[[case]]\nid = "kediri-australia-msme-export"')
    end = text.index("[[case]]", start + 5)
    (d / "cases.toml").write_text(text[:start] + text[end:], encoding="utf-8")
    seeds.build(store.conn, seeds.load_seeds(d))
    assert queries.count_cases(store.conn, Filters()) == 8
    assert notes.get_note(store.conn, kept.id).orphaned is False
    orphan = notes.get_note(store.conn, gone.id)
    assert orphan.orphaned and orphan.body == "Kediri note"
    # And back: the bundled seeds restore the case and the note is attached again.
    seeds.build(store.conn, seeds.load_seeds())
    assert notes.get_note(store.conn, gone.id).orphaned is False
    assert queries.check(store.conn) == []


def test_fresh_database_is_built_on_open(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "new.db"
    s = open_store(path)
    assert s.rebuilt_seeds
    assert queries.count_cases(s.conn, Filters()) == 9
    s.close()
    again = open_store(path)
    assert not again.rebuilt_seeds
    again.close()
