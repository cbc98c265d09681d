"""Facts a researcher can cite, pinned on the bundled seed data: categories that follow PP
28/2018, laws with their status from outside the texts, disagreements between sources, the
sources' own words, stated-but-ambiguous dates, and each case's derived lifecycle stage."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from paradiplo.db import laws, queries, seeds
from paradiplo.db.derive import STAGES, derive_category, derive_stage, stage_id
from paradiplo.db.errors import NotFound, SeedError
from paradiplo.db.models import Filters
from paradiplo.db.store import Store
from paradiplo.db.text import find_quote
from tests.helpers import run

# ----------------------------------------------------------------- 1. category of a state
STATE_CASES = {
    "banyuwangi-singapore-tourism": "Singapore",
    "kediri-australia-msme-export": "Australia",
    "trenggalek-australia-kompak-2018": "Australia",
}


@pytest.mark.parametrize("case_id", sorted(STATE_CASES))
def test_a_foreign_state_gets_no_category_and_the_reason(store: Store, case_id: str) -> None:
    d = queries.case_detail(store.conn, case_id)
    assert d.partner is not None and d.partner.kind == "state"
    assert d.category is None
    basis = d.category_basis or ""
    assert basis.startswith("Cannot be derived: the partner is a foreign state")
    assert STATE_CASES[case_id] in basis
    assert "neither" in basis and "KSDPL" in basis and "KSDLL" in basis
    assert "central government" in basis
    assert "an institution abroad, not a regional government" not in basis


def test_categories_of_the_other_cases_and_dates_before_the_regulation(store: Store) -> None:
    sidoarjo = queries.case_detail(store.conn, "sidoarjo-jinan-2008")
    assert sidoarjo.category == "KSDPL"
    assert "predates PP 28/2018" in (sidoarjo.category_basis or "")
    assert "today's rules" in (sidoarjo.category_basis or "")
    temasek = queries.case_detail(store.conn, "trenggalek-temasek-foundation")
    assert temasek.category == "KSDLL" and "undated" in (temasek.category_basis or "")
    # A case dated after the regulation carries no such note.
    later = derive_category("ID", "sub_state", 2022, "Nonsan")
    assert later[0] == "KSDPL" and "predates" not in later[1] and "undated" not in later[1]
    assert derive_category("ID", "state", 2010)[0] is None
    assert derive_category("JP", "sub_state")[0] is None


def test_the_export_keeps_no_category_for_a_state(db_path: Path) -> None:
    code, out, _ = run(db_path, "export", "cases", "--format", "json")
    assert code == 0
    by_id = {c["id"]: c for c in json.loads(out)}
    for case_id in STATE_CASES:
        assert by_id[case_id]["category"] is None


# ----------------------------------------------------------------------------- 2. laws
def test_laws_have_official_titles_claims_and_outside_references(store: Store) -> None:
    by_id = {law.id: law for law in laws.laws(store.conn)}
    assert set(by_id) == {
        "uu-32-2004",
        "uu-24-2000",
        "uu-23-2014",
        "uu-37-1999",
        "pp-28-2018",
        "permendagri-25-2020",
    }
    uu32 = by_id["uu-32-2004"]
    assert uu32.title == "Undang-Undang Nomor 32 Tahun 2004 tentang Pemerintahan Daerah"
    assert uu32.short == "UU 32/2004"
    # What the source says is its claim, in its voice, with its own wording of the title.
    assert uu32.cited and uu32.claims
    claim = uu32.claims[0]
    assert claim.source_id == "001_17fdbbb4dbe6a6d1"
    assert claim.claim.startswith("The opinion piece says")
    assert claim.title_as_cited == "Undang-undang Nomor 32 tahun 2004 Tentang Pemerintah Daerah"
    assert all(e.quote and e.start is not None for e in claim.evidence)
    # The status and description come from outside the texts, replaced by UU 23/2014.
    ref = uu32.reference
    assert ref is not None and ref.outside_bundled_texts
    assert ref.status == "replaced" and ref.replaced_by == "uu-23-2014"
    assert ref.replaced_by_short == "UU 23/2014"
    assert "central government" in ref.description
    covered = {s for c in ref.citations for s in c.supports}
    assert {"status", "description"} <= covered
    for c in ref.citations:
        assert c.address.startswith("https://peraturan.bpk.go.id/")
        assert c.publication and c.database
    # Framing laws: references only, not cited by the bundled texts, each with a citation.
    for lid in ("uu-23-2014", "uu-37-1999", "pp-28-2018", "permendagri-25-2020"):
        law = by_id[lid]
        assert not law.cited and not law.claims and law.evidence == []
        assert law.reference is not None and law.reference.citations
    assert by_id["uu-23-2014"].reference.status == "amended"  # type: ignore[union-attr]
    assert "Hubungan Luar Negeri" in by_id["uu-37-1999"].title
    assert "Kerja Sama Daerah" in by_id["pp-28-2018"].title


def test_a_case_shows_its_sources_laws_with_a_replaced_one_as_replaced(store: Store) -> None:
    d = queries.case_detail(store.conn, "kediri-australia-msme-export")
    cited = {lb.id: lb for lb in d.legal_bases}
    assert set(cited) == {"uu-32-2004", "uu-24-2000"}  # framing laws are not "cited"
    assert cited["uu-32-2004"].reference is not None
    assert cited["uu-32-2004"].reference.status == "replaced"
    news = queries.case_detail(store.conn, "jabar-shizuoka-mou-2017")
    assert news.legal_bases == []  # the news piece cites no law


def test_laws_command_json_and_text(db_path: Path) -> None:
    code, out, _ = run(db_path, "laws", "--json")
    assert code == 0
    records = {r["id"]: r for r in json.loads(out)}
    uu32 = records["uu-32-2004"]
    assert uu32["title"].endswith("tentang Pemerintahan Daerah")
    assert uu32["cited_in_bundled_texts"] is True
    assert uu32["as_cited"][0]["title_as_cited"].endswith("Tentang Pemerintah Daerah")
    assert uu32["as_cited"][0]["quotes"][0]["quote"].startswith("Peraturan-peraturan")
    assert uu32["reference"]["from_outside_bundled_texts"] is True
    assert uu32["reference"]["status"] == "replaced"
    assert uu32["reference"]["replaced_by"] == "uu-23-2014"
    assert records["pp-28-2018"]["cited_in_bundled_texts"] is False
    assert records["pp-28-2018"]["as_cited"] == []
    code, text, _ = run(db_path, "laws")
    assert code == 0
    assert "UU 32/2004" in text and "REPLACED" in text
    assert "Reference from outside the bundled texts" in text
    assert "Not cited by the bundled texts" in text


def test_a_law_reference_without_a_citation_stops_the_build(tmp_path: Path) -> None:
    seeds_dir = tmp_path / "seeds"
    shutil.copytree(seeds.bundled_seeds_dir(), seeds_dir)
    laws_file = seeds_dir / "laws.toml"
    text = laws_file.read_text(encoding="utf-8")
    start = text.index("cites = [", text.index('id = "uu-37-1999"'))
    end = text.index("]\n", text.index("},\n]", start)) + 2
    laws_file.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(SeedError) as err:
        seeds.load_seeds(seeds_dir)
    assert "laws.toml" in str(err.value) and "uu-37-1999" in str(err.value)


# ------------------------------------------------------------------------ 3. conflicts
def test_the_sources_disagree_on_the_central_governments_part(store: Store) -> None:
    (k,) = laws.conflicts(store.conn)
    assert k.id == "central-government-role"
    sides = {c.source_id: c for c in k.claims}
    assert set(sides) == {"000_5dc3115ab1b62650", "001_17fdbbb4dbe6a6d1"}
    kumparan = " ".join(e.quote or "" for e in sides["000_5dc3115ab1b62650"].evidence)
    kompasiana = " ".join(e.quote or "" for e in sides["001_17fdbbb4dbe6a6d1"].evidence)
    assert "di bawah pengawasan pusat" in kumparan
    assert "tanpa adanya keterlibatan dari pemerintahan pusat" in kompasiana
    texts = {sid: queries.get_source(store.conn, sid).text for sid in sides}
    for sid, claim in sides.items():
        for e in claim.evidence:
            assert e.start is not None and e.end is not None
            assert find_quote(texts[sid][e.start : e.end], e.quote or "") is not None
    # Shown where the topic appears: the glossary entry and the cases of those sources.
    term = next(t for t in queries.glossary(store.conn) if t.id == "paradiplomasi")
    assert [c.id for c in term.conflicts] == ["central-government-role"]
    for case_id in ("jabar-shizuoka-mou-2017", "kediri-australia-msme-export"):
        d = queries.case_detail(store.conn, case_id)
        assert [c.id for c in d.conflicts] == ["central-government-role"]


def test_conflicts_command(db_path: Path) -> None:
    code, out, _ = run(db_path, "conflicts", "--json")
    assert code == 0
    (k,) = json.loads(out)
    assert k["id"] == "central-government-role" and len(k["sides"]) == 2
    quotes = [q["quote"] for side in k["sides"] for q in side["quotes"]]
    assert any("di bawah pengawasan pusat" in q for q in quotes)
    assert any("tanpa adanya keterlibatan dari pemerintahan pusat" in q for q in quotes)
    code, text, _ = run(db_path, "conflicts")
    assert code == 0
    assert "di bawah pengawasan pusat" in text and "What differs" in text


# --------------------------------------------------------------- 4. the sources' own words
def test_every_as_stated_field_is_the_sources_own_words(store: Store) -> None:
    conn = store.conn
    texts = dict(conn.execute("SELECT id, text FROM sources WHERE origin = 'seed'").fetchall())

    def sources_of(record_type: str, record_id: str) -> list[str]:
        rows = conn.execute(
            "SELECT DISTINCT source_id FROM evidence WHERE record_type = ? AND record_id = ?",
            (record_type, record_id),
        ).fetchall()
        return [texts[r[0]] for r in rows]

    checked = 0
    for table, record_type, columns in (
        ("cases", "case", ("type_as_stated", "status_as_stated", "date_as_stated")),
        ("events", "event", ("date_as_stated",)),
        ("actors", "actor", ("as_stated",)),
        ("people", "person", ("office_as_stated",)),
    ):
        for row in conn.execute(f"SELECT id, {', '.join(columns)} FROM {table}"):
            for value in row[1:]:
                if value:
                    found = [t for t in sources_of(record_type, row[0]) if find_quote(t, value)]
                    assert found, f"{table} {row[0]}: {value!r} is not in its sources"
                    checked += 1
    assert checked > 30
    invite = queries.case_detail(conn, "jabar-shizuoka-new-economy")
    assert invite.status_as_stated == "mengajak" and invite.status_gloss == "invited"
    (event,) = invite.events
    assert event.date_as_stated == "baru-baru ini"
    assert event.date_gloss is not None and "recently" in event.date_gloss


def test_a_gloss_in_an_as_stated_field_stops_the_build(tmp_path: Path) -> None:
    seeds_dir = tmp_path / "seeds"
    shutil.copytree(seeds.bundled_seeds_dir(), seeds_dir)
    cases = seeds_dir / "cases.toml"
    text = cases.read_text(encoding="utf-8")
    cases.write_text(
        text.replace('status_as_stated = "mengajak"', 'status_as_stated = "mengajak (invited)"'),
        encoding="utf-8",
    )
    with pytest.raises(SeedError) as err:
        seeds.load_seeds(seeds_dir)
    message = str(err.value)
    assert "jabar-shizuoka-new-economy" in message and "status_gloss" in message


def test_the_journal_abstract_and_findings_verbatim_with_offsets(db_path: Path) -> None:
    code, out, _ = run(db_path, "sources", "--json")
    assert code == 0
    by_id = {s["id"]: s for s in json.loads(out)}
    journal = by_id["004_51416a2b14608b89"]
    text = (seeds.bundled_seeds_dir() / "004_51416a2b14608b89.txt").read_text(encoding="utf-8")
    assert [a["language"] for a in journal["abstract"]] == ["id", "en"]
    for part in journal["abstract"] + journal["findings"]:
        assert text[part["start"] : part["end"]] == part["text"]
    assert journal["abstract"][0]["text"].startswith("Paradiplomasi merupakan wujud")
    assert journal["abstract"][1]["text"].endswith("subnational economic development.")
    assert len(journal["findings"]) >= 3
    # Inferences about a source are marked as inferred.
    assert by_id["000_5dc3115ab1b62650"]["inferred"] == ["kind"]
    assert set(by_id["001_17fdbbb4dbe6a6d1"]["inferred"]) == {"outlet", "kind"}
    assert journal["inferred"] == []
    assert by_id["000_5dc3115ab1b62650"]["abstract"] == []


# ----------------------------------------------------------------- 5. dates and doubts
def test_a_stated_but_ambiguous_year(store: Store) -> None:
    d = queries.case_detail(store.conn, "jabar-shizuoka-new-economy")
    assert d.date_as_stated == "pada 2021"
    assert d.date is None  # not normalised: the year is ambiguous
    assert d.date_note is not None and "ambiguous" in d.date_note
    assert any("date" in e.supports and "pada 2021" in (e.quote or "") for e in d.evidence)


def test_pemerintah_in_the_trenggalek_programme_is_recorded_as_unclear(store: Store) -> None:
    d = queries.case_detail(store.conn, "trenggalek-australia-kompak-2018")
    assert any(
        "antara Pemerintah dengan Australia" in u and "central government" in u for u in d.unclear
    )


# ------------------------------------------------------------------ 6. lifecycle stage
EXPECTED_STAGES = {
    "jabar-shizuoka-mou-2017": "agreement",
    "jabar-shizuoka-new-economy": "exploration",
    "surabaya-sister-cities": "agreement",
    "sidoarjo-jinan-2008": "agreement",
    "malang-nonsan-2017": "agreement",
    "banyuwangi-singapore-tourism": "implementation",
    "kediri-australia-msme-export": "implementation",
    "trenggalek-australia-kompak-2018": "implementation",
    "trenggalek-temasek-foundation": "exploration",
}


def test_each_case_has_a_derived_stage_with_its_basis(store: Store) -> None:
    for case_id, stage in EXPECTED_STAGES.items():
        d = queries.case_detail(store.conn, case_id)
        assert d.stage == stage, case_id
        assert d.stage_basis and d.stage_basis.startswith("Derived by this app")
        assert "No source names the stage" in d.stage_basis
        assert d.evidence_for("type") or d.evidence_for("status")


def test_stage_rules() -> None:
    assert derive_stage("cooperation", None, "penandatanganan Letter of Intent")[0] == "intent"
    assert derive_stage("cooperation", None, "pernyataan kehendak kerja sama")[0] == "intent"
    assert derive_stage("exploratory", "explored")[0] == "exploration"
    assert derive_stage("mou", "agreed")[0] == "agreement"
    assert derive_stage("programme", "reported")[0] == "implementation"
    assert derive_stage(None, None)[0] == "unknown"
    assert derive_stage("cooperation", None)[0] == "unknown"
    assert stage_id("penjajakan") == "exploration" and stage_id("LoI") == "intent"
    assert stage_id("MoU") == "agreement" and set(STAGES) >= set(EXPECTED_STAGES.values())
    with pytest.raises(NotFound):
        stage_id("signed-ish")


def test_filter_and_count_by_stage(store: Store) -> None:
    conn = store.conn
    for stage in STAGES:
        wanted = sorted(k for k, v in EXPECTED_STAGES.items() if v == stage)
        rows = queries.list_cases(conn, Filters(stage=stage), limit=-1)
        assert sorted(r.id for r in rows) == wanted
        assert queries.count_cases(conn, Filters(stage=stage)) == len(wanted)
    both = Filters(stage="exploration", sectors=("tourism",))
    assert [r.id for r in queries.list_cases(conn, both)] == ["jabar-shizuoka-new-economy"]
    assert queries.count_cases(conn, both) == 1
    tree = queries.partner_tree(conn, Filters(stage="implementation"))
    assert {n.key: n.count for n in tree} == {"pc:AU": 2, "pc:SG": 1}
    for f in (Filters(stage="exploration"), both, Filters(stage="exploration", region="p:32")):
        counts = {c.id: c.count for c in queries.sector_counts(conn, f)}
        assert counts["tourism"] == 1 and counts["msme-export"] == 0
    regions = queries.region_tree(conn, both)
    assert [(n.key, n.count) for n in regions] == [("c:ID", 1)]


def test_stage_on_the_command_line(db_path: Path) -> None:
    code, out, _ = run(db_path, "cases", "list", "--stage", "penjajakan", "--json")
    assert code == 0
    assert sorted(c["id"] for c in json.loads(out)) == [
        "jabar-shizuoka-new-economy",
        "trenggalek-temasek-foundation",
    ]
    code, out, _ = run(db_path, "cases", "show", "sidoarjo-jinan-2008", "--json")
    assert code == 0
    rec = json.loads(out)
    assert rec["stage"] == "agreement" and rec["stage_derived"] is True
    assert rec["detail"]["stage_basis"].startswith("Derived by this app")
    code, _, err = run(db_path, "cases", "list", "--stage", "nonsense")
    assert code != 0 and "Unknown stage" in err


def test_imported_cases_get_a_stage_and_the_state_rule(db_path: Path, tmp_path: Path) -> None:
    src = tmp_path / "mine.json"
    src.write_text(
        json.dumps(
            [
                {
                    "title": "Surabaya explores with Australia",
                    "region": "Kota Surabaya",
                    "partner": "Australia",
                    "partner_country": "AU",
                    "partner_kind": "state",
                    "type": "exploratory",
                    "status": "explored",
                    "source": "A citation, 2024",
                },
                {
                    "title": "Surabaya and Busan MoU",
                    "region": "Kota Surabaya",
                    "partner": "Busan",
                    "partner_country": "KR",
                    "partner_kind": "sub_state",
                    "type": "mou",
                    "date": "2015",
                    "source": "A citation, 2024",
                },
            ]
        ),
        encoding="utf-8",
    )
    code, _, err = run(db_path, "import", "cases", str(src))
    assert code == 0, err
    code, out, _ = run(db_path, "cases", "list", "--region", "Surabaya", "--json")
    by_title = {c["title"]: c for c in json.loads(out)}
    explore = by_title["Surabaya explores with Australia"]
    assert explore["stage"] == "exploration" and explore["category"] is None
    mou = by_title["Surabaya and Busan MoU"]
    assert mou["stage"] == "agreement" and mou["category"] == "KSDPL"


def test_an_upgraded_database_gets_stages_and_the_new_category_rule(tmp_path: Path) -> None:
    """A schema 2 database: its cases get a stage, and a state partner loses its KSDLL."""
    from paradiplo.db.store import open_store

    fixture = Path(__file__).parent / "fixtures" / "schema_v2.db"
    path = tmp_path / "old.db"
    shutil.copy(fixture, path)
    raw = sqlite3.connect(path)
    before = raw.execute(
        "SELECT category FROM cases WHERE id = 'kediri-australia-msme-export'"
    ).fetchone()[0]
    raw.close()
    assert before == "KSDLL"
    store = open_store(path)
    try:
        d = queries.case_detail(store.conn, "kediri-australia-msme-export")
        assert d.category is None and d.stage == "implementation"
        n = store.conn.execute("SELECT count(*) FROM cases WHERE stage IS NULL").fetchone()[0]
        assert n == 0
    finally:
        store.close()
