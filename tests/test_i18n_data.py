"""The curated seed text and the derived explanations in Bahasa Indonesia: what the sources
leave unclear, names and notes we wrote, glossary definitions, law descriptions, the sources'
claims and disagreements, and the PP 28/2018 category and stage bases. Shown in the chosen
language; stored, exported and `--json` output the same in both; the sources' words never
translated."""

from __future__ import annotations

import itertools
import json
import sqlite3
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from paradiplo.db import datatext, i18n, queries
from paradiplo.db.derive import basis_text, derive_category, derive_stage

from .test_cli import run

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
FIXTURES = ROOT / "tests" / "fixtures"
# Names and terms that read the same in both languages need no Indonesian version.
OPTIONAL = {"actor_name", "term"}


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    i18n.set_language("en")


def flat(text: str) -> str:
    return " ".join(text.split())


# ------------------------------------------------------------------ the seed files
def _records(file: str, table: str) -> list[dict[str, object]]:
    data = tomllib.loads((SEEDS / file).read_text(encoding="utf-8"))
    return [r for r in data.get(table, []) if isinstance(r, dict)]


def _field(rec: dict[str, object], path: str) -> tuple[object, object]:
    *tables, name = path.split(".")
    for t in tables:
        sub = rec.get(t)
        rec = sub if isinstance(sub, dict) else {}
    return rec.get(name), rec.get(name + "_id")


@pytest.mark.parametrize("kind", sorted(datatext.FIELDS))
def test_every_text_we_wrote_in_the_seeds_has_its_indonesian_version(kind: str) -> None:
    file, table, path = datatext.FIELDS[kind]
    for rec in _records(file, table):
        english, indonesian = _field(rec, path)
        if english in (None, "", []):
            continue
        if indonesian is None and kind in OPTIONAL:
            continue
        assert indonesian, f"{file}: [[{table}]] {rec['id']} has no {path}_id"
        if isinstance(english, list):
            assert isinstance(indonesian, list) and len(indonesian) == len(english), (
                f"{file}: [[{table}]] {rec['id']}: {path}_id needs {len(english)} items, in order"
            )
        else:
            assert isinstance(indonesian, str) and indonesian.strip() != english.strip()


def test_no_indonesian_field_is_misnamed() -> None:
    """An `_id` field the app does not read (a typo) would silently stay unshown."""
    known = {(table, path.rsplit(".", 1)[-1]) for _file, table, path in datatext.FIELDS.values()}
    for file, table in {(f, t) for f, t, _p in datatext.FIELDS.values()}:
        for rec in _records(file, table):
            subs = [v for v in rec.values() if isinstance(v, dict)]
            for r in (rec, *subs):
                for key in r:
                    if key.endswith("_id") and key != "id":
                        assert (table, key[:-3]) in known, f"{file}: {rec['id']}: {key}"


def test_every_unclear_item_of_the_bundled_cases_is_shown_in_indonesian(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    ids = [r[0] for r in conn.execute("SELECT id FROM cases ORDER BY id")]
    i18n.set_language("id")
    for cid in ids:
        d = queries.case_detail(conn, cid)
        for item in d.unclear:
            assert i18n.data_label("case_unclear", d.id, item) != item, (cid, item)
        for actor in (d.region, d.partner, d.facilitator):
            for item in actor.unclear if actor else []:
                assert i18n.data_label("actor_unclear", actor.id, item) != item
        assert basis_text(d.category_basis) != d.category_basis
        assert basis_text(d.stage_basis) != d.stage_basis
    # A text that is not the bundled one (changed since, or a user's) is shown as it is.
    assert i18n.data_label("case_unclear", ids[0], "Something else.") == "Something else."
    i18n.set_language("en")
    d = queries.case_detail(conn, "malang-nonsan-2017")
    assert [i18n.data_label("case_unclear", d.id, u) for u in d.unclear] == d.unclear


# ------------------------------------------------------------------ derived bases
def _stored_bases() -> set[str]:
    """Every category and stage basis stored by this version and the older ones."""
    out = set()
    for db in sorted(FIXTURES.glob("schema_v*.db")):
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        cols = {r[1] for r in conn.execute("PRAGMA table_info(cases)")}
        for col in ("category_basis", "stage_basis") if "stage_basis" in cols else ():
            out |= {v for (v,) in conn.execute(f"SELECT {col} FROM cases") if v}
        if "category_basis" in cols and "stage_basis" not in cols:
            out |= {v for (v,) in conn.execute("SELECT category_basis FROM cases") if v}
    for country, kind, year, partner in itertools.product(
        (None, "ID", "MY"),
        ("sub_state", "non_state", "state", "unknown"),
        (None, 2008, 2018, 2021),
        (None, "Shizuoka Prefecture", "Singapore"),
    ):
        out.add(derive_category(country, kind, year, partner)[1])
    for t, s, ts, ss in itertools.product(
        (None, "mou", "sister-city", "cooperation", "programme", "proposal", "loi", "other"),
        (None, "agreed", "reported", "proposed", "explored", "other"),
        (None, "Nota Kesepahaman", "pernah menjajaki"),
        (None, "disepakati kedua pemimpin daerah"),
    ):
        out.add(derive_stage(t, s, ts, ss)[1])
    return out


def test_every_stored_basis_old_or_new_reads_in_indonesian() -> None:
    bases = _stored_bases()
    assert len(bases) > 50
    i18n.set_language("en")
    assert all(basis_text(b) == b for b in bases)
    i18n.set_language("id")
    for b in bases:
        said = basis_text(b)
        assert said != b and "Derived" not in said and "No source" not in said, b
        assert said.startswith(("Diturunkan", "Tidak dapat diturunkan")), said
        # The sources' words in it stay as they are.
        for words in ("“Nota Kesepahaman”", "“pernah menjajaki”", "“disepakati kedua"):
            assert (words in b) == (words in said), b


def test_a_basis_keeps_its_values_and_names_the_partner_in_indonesian() -> None:
    i18n.set_language("id")
    _c, basis = derive_category("ID", "state", 2010, "Singapore")
    assert "mitranya negara asing, Singapura, yang bukan" in basis_text(basis)
    _c, basis = derive_category("ID", "sub_state", 2010, "Shizuoka Prefecture")
    said = basis_text(basis)
    assert "(pemerintah daerah di luar negeri, Prefektur Shizuoka)" in said
    assert "Kasus ini (2010) mendahului PP 28/2018" in said
    _s, basis = derive_stage("mou", "agreed", "Nota Kesepahaman", "disepakati kedua pemimpin")
    said = basis_text(basis)
    assert "jenisnya (Nota Kesepahaman, sesuai tertulis “Nota Kesepahaman”)" in said
    assert "statusnya (disepakati, sesuai tertulis “disepakati kedua pemimpin”)" in said
    # A sentence no version of the app wrote (a newer one's, or typed in) is shown as stored.
    assert basis_text("Derived somehow.") == "Derived somehow."
    assert basis_text(None) == ""


# ------------------------------------------------------------------ the command line
def test_cases_show_says_what_is_unclear_and_the_bases_in_the_chosen_language(
    db_path: Path,
) -> None:
    code, out_id, _ = run(db_path, "--lang", "id", "cases", "show", "malang-nonsan-2017")
    assert code == 0
    out_id = flat(out_id)
    assert "Malang (kota atau kabupaten tidak disebut)" in out_id
    assert (
        "Tidak jelas: Tidak disebut apakah pihak Indonesia adalah Kota Malang atau "
        "Kabupaten Malang." in out_id
    )
    assert "Diturunkan dari jenis mitra (pemerintah daerah di luar negeri, Nonsan)" in out_id
    assert "Diturunkan oleh aplikasi ini dari jenisnya" in out_id
    assert "Whether" not in out_id and "Derived" not in out_id
    code, out_en, _ = run(db_path, "--lang", "en", "cases", "show", "malang-nonsan-2017")
    out_en = flat(out_en)
    assert "Malang (city or regency not stated)" in out_en
    assert "Unclear: Whether the Indonesian party is Kota Malang or Kabupaten Malang" in out_en
    assert "Derived from the partner's kind (a regional government abroad, Nonsan)" in out_en
    assert "Derived by this app from the type (sister-city" in out_en
    quote = "dan juga Malang yang bekerja sama dengan kota Nonsan , Korea selatan"
    assert quote in out_id and quote in out_en


@pytest.mark.parametrize("case_id", ["malang-nonsan-2017", "kediri-australia-msme-export"])
def test_cases_show_json_is_the_same_in_both_languages(db_path: Path, case_id: str) -> None:
    code_en, out_en, _ = run(db_path, "--lang", "en", "cases", "show", case_id, "--json")
    code_id, out_id, _ = run(db_path, "--lang", "id", "cases", "show", case_id, "--json")
    assert code_en == code_id == 0 and out_en == out_id
    detail = json.loads(out_id)["detail"]
    assert detail["category_basis"].startswith(("Derived", "Cannot be derived"))
    assert detail["stage_basis"].startswith("Derived by this app")
    assert detail["unclear"][0].startswith(("Whether", "No date"))


def test_laws_and_conflicts_in_the_chosen_language(db_path: Path) -> None:
    code, laws_id, _ = run(db_path, "--lang", "id", "laws")
    assert code == 0
    laws_id = flat(laws_id)
    assert "Undang-undang tentang perjanjian internasional: cara Indonesia" in laws_id
    assert "Tulisan opini itu menyatakan bahwa undang-undang ini juga" in laws_id
    assert "BERLAKU" in laws_id and "The law on" not in laws_id
    _c, laws_en, _ = run(db_path, "--lang", "en", "laws")
    laws_en = flat(laws_en)
    assert "The law on international agreements: how Indonesia" in laws_en
    assert "The opinion piece says this law is also" in laws_en and "IN FORCE" in laws_en
    # The official title and the source's words are the same in both.
    for same in (
        "Undang-Undang Nomor 24 Tahun 2000 tentang Perjanjian Internasional",
        "“UU No. 24 tahun 2000 tentang Perjanjian Internasional”",
    ):
        assert same in laws_id and same in laws_en
    _c, conflicts_id, _ = run(db_path, "--lang", "id", "conflicts")
    assert "Apakah paradiplomasi berlangsung di bawah pengawasan" in flat(conflicts_id)
    _c, conflicts_en, _ = run(db_path, "--lang", "en", "conflicts")
    assert "Does paradiplomacy happen under" in flat(conflicts_en)
    for args in (("laws", "--json"), ("conflicts", "--json")):
        assert run(db_path, "--lang", "en", *args)[1] == run(db_path, "--lang", "id", *args)[1]


def test_search_and_palette_titles_follow_the_language() -> None:
    i18n.set_language("id")
    assert i18n.record_title("term", "sister-city", "Sister city (kota kembar)") == (
        "Kota kembar (sister city)"
    )
    assert i18n.record_title("partner", "pa:singapore", "Singapore") == "Singapura"
    malang = "Malang (city or regency not stated)"
    assert i18n.record_title("region", "r:malang", malang) == (
        "Malang (kota atau kabupaten tidak disebut)"
    )
    assert i18n.record_title("law", "uu-24-2000", "UU 24/2000") == "UU 24/2000"
    i18n.set_language("en")
    assert i18n.record_title("partner", "pa:singapore", "Singapore") == "Singapore"
