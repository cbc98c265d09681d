"""Notes export (Markdown grouped by case or tag, JSON) and import without duplicates; notes
surviving seed rebuilds, schema upgrades and case imports."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest

from paradiplo.db import io as db_io
from paradiplo.db import notes as notes_api
from paradiplo.db import notes_io, seeds
from paradiplo.db.errors import ImportProblem, ParadiploError
from paradiplo.db.paths import data_dir
from paradiplo.db.store import Store, open_store

CASE = "sidoarjo-jinan-2008"
SOURCE = "001_17fdbbb4dbe6a6d1"
JOURNAL = "004_51416a2b14608b89"


def add_some(store: Store) -> dict[str, str]:
    ids = {
        "case1": notes_api.add_note(store, "case", CASE, "Jinan first", ["china"]).id,
        "case2": notes_api.add_note(store, "case", CASE, "Jinan second", ["china", "compare"]).id,
        "other": notes_api.add_note(
            store, "case", "jabar-shizuoka-mou-2017", "West Java **MoU** note", ["japan"]
        ).id,
        "passage": notes_api.add_note(
            store, "passage", SOURCE, "About Malang", anchor=(10, 25, "quoted passage")
        ).id,
        "region": notes_api.add_note(store, "region", "p:35", "East Java overall").id,
        "orphan": notes_api.add_note(store, "case", "removed-case", "Orphaned thought").id,
    }
    return ids


def sections(md: str, level: str = "## ") -> dict[str, str]:
    """Markdown split into {heading: text under it} at one heading level."""
    parts = re.split(rf"^{re.escape(level)}(.+)$", md, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def test_markdown_groups_by_case_with_parties_date_and_sources(store: Store) -> None:
    add_some(store)
    md = notes_io.notes_markdown(store.conn)
    assert md.startswith("# Study notes")
    secs = sections(md)
    jinan = secs["Sidoarjo – Jinan sister city"]
    assert "- **Parties:** Kabupaten Sidoarjo – Jinan (China)" in jinan
    assert "- **Date:** 2008 (“pada tahun 2008”)" in jinan
    # Sources as Pandoc citations; no file names, ids or character offsets for a paper.
    assert "- **Sources:** [@kompasiana_nd]" in jinan
    # Both notes on the case, in the order they were written.
    assert jinan.index("Jinan first") < jinan.index("Jinan second")
    assert "`#china` `#compare`" in jinan
    wj = secs["West Java – Shizuoka Prefecture memorandum of understanding"]
    assert "[@kumparan_nd_kemitraan]" in wj and "West Java **MoU** note" in wj
    # A passage note quotes its passage with the source's citation.
    passage = secs["Kompasiana"]
    assert "*Note on a passage of Kompasiana, n.d.: “quoted passage”*" in passage
    assert "> quoted passage\n>\n> [@kompasiana_nd]" in passage
    assert "East Java overall" in secs["Jawa Timur"]
    assert "*Note on Jawa Timur*" in secs["Jawa Timur"]
    for internal in ("characters", ".txt", "001_17fdbbb4dbe6a6d1", "p:35", "sidoarjo-jinan"):
        assert internal not in md
    # A reference list (APA) closes the file.
    refs = md[md.index("## References") :]
    assert (
        "\\[Opinion post on paradiplomacy by regional governments in East Java\\]. (n.d.). *Kompasiana*."
        in refs
    )
    # Orphans last, marked.
    orphan_heading = next(h for h in secs if h.startswith("removed-case"))
    assert "(orphaned)" in orphan_heading and list(secs)[-2:] == [orphan_heading, "References"]
    assert "Orphaned thought" in secs[orphan_heading]


def test_markdown_by_tag(store: Store) -> None:
    add_some(store)
    md = notes_io.notes_markdown(store.conn, by="tag")
    secs = sections(md)
    assert list(secs) == ["#china", "#compare", "#japan", "Untagged", "References"]
    china = sections(secs["#china"], "### ")
    assert list(china) == ["Sidoarjo – Jinan sister city"]
    assert "Jinan first" in secs["#china"] and "Jinan second" in secs["#compare"]
    assert "- **Parties:**" in secs["#compare"]
    assert "Orphaned thought" in secs["Untagged"] and "About Malang" in secs["Untagged"]
    with pytest.raises(ParadiploError):
        notes_io.notes_markdown(store.conn, by="planet")


def test_markdown_keeps_markup_but_not_escape_sequences(store: Store) -> None:
    notes_api.add_note(
        store, "case", CASE, "[bold]x[/] \x1b[31mred\x1b]0;title\x07 # not a heading"
    )
    deleted = notes_api.add_note(store, "case", CASE, "deleted one")
    notes_api.delete_note(store, deleted.id)
    md = notes_io.notes_markdown(store.conn)
    assert "[bold]x[/] red # not a heading" in md
    assert "\x1b" not in md and "\x07" not in md
    assert "deleted one" not in md


def test_authors_and_date_cited(store: Store) -> None:
    notes_api.add_note(store, "passage", JOURNAL, "journal note", anchor=(0, 10, "Peran"))
    md = notes_io.notes_markdown(store.conn)
    assert "[@agustina_2025_peran]" in md
    assert "Agustina, I., Febriyanti, A. I., Putri, D. N., & Prasetio, L. O. (2025)." in md
    assert "004_51416a2b14608b89" not in md


def test_json_round_trip_without_duplicates(store: Store, tmp_path: Path) -> None:
    ids = add_some(store)
    dump = tmp_path / "notes.json"
    dump.write_text(notes_io.notes_json_text(store.conn), encoding="utf-8")
    data = json.loads(dump.read_text(encoding="utf-8"))
    assert data["format"] == "paradiplo-notes" and len(data["notes"]) == len(ids)
    # Into the same database: nothing new.
    assert notes_io.import_notes_json(store, dump) == (0, 0, len(ids))
    # Into a fresh database: everything, identical, once, even when imported twice.
    fresh = open_store(tmp_path / "fresh.db")
    try:
        assert notes_io.import_notes_json(fresh, dump) == (len(ids), 0, 0)
        assert notes_io.import_notes_json(fresh, dump) == (0, 0, len(ids))
        before = {n.id: n for n in notes_api.list_notes(store.conn)}
        after = {n.id: n for n in notes_api.list_notes(fresh.conn)}
        assert before == after
        assert notes_api.list_notes(fresh.conn, tag="compare")[0].id == ids["case2"]
    finally:
        fresh.close()


def test_import_updates_newer_and_restores_deleted(store: Store, tmp_path: Path) -> None:
    ids = add_some(store)
    data = notes_io.notes_json(store.conn)
    for rec in data["notes"]:
        if rec["id"] == ids["case1"]:
            rec["body"] = "edited on the laptop"
            rec["updated_at"] = "2999-01-01T00:00:00.000+00:00"
        if rec["id"] == ids["case2"]:
            rec["body"] = "older copy"
            rec["updated_at"] = "2000-01-01T00:00:00.000+00:00"
    notes_api.delete_note(store, ids["region"])
    dump = tmp_path / "notes.json"
    dump.write_text(json.dumps(data), encoding="utf-8")
    assert notes_io.import_notes_json(store, dump) == (0, 2, 4)
    assert notes_api.get_note(store.conn, ids["case1"]).body == "edited on the laptop"
    assert notes_api.get_note(store.conn, ids["case2"]).body == "Jinan second"
    assert notes_api.get_note(store.conn, ids["region"]).body == "East Java overall"


def test_bad_import_files_import_nothing(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "notes": [
                    {"id": "ok1", "target_type": "case", "target_id": CASE, "body": "fine"},
                    {"id": "b", "target_type": "planet", "target_id": "x", "body": ""},
                    {"id": "ok1", "target_type": "case", "target_id": CASE, "body": "twice"},
                    {"id": "c", "target_type": "case", "target_id": CASE, "body": "x", "tags": 3},
                ]
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(ImportProblem) as err:
        notes_io.import_notes_json(store, bad)
    text = str(err.value)
    assert "record 2, field 'target_type'" in text and "record 2, field 'body'" in text
    assert "appears twice" in text and "record 4, field 'tags'" in text
    assert notes_api.list_notes(store.conn) == []
    broken = tmp_path / "broken.json"
    broken.write_text('{"notes": [', encoding="utf-8")
    with pytest.raises(ImportProblem, match="invalid JSON"):
        notes_io.import_notes_json(store, broken)


def test_export_to_file_is_atomic_and_never_overwrites(store: Store) -> None:
    add_some(store)
    md = notes_io.export_notes_to_file(store.conn, "md")
    md2 = notes_io.export_notes_to_file(store.conn, "md")
    js = notes_io.export_notes_to_file(store.conn, "json")
    by_tag = notes_io.export_notes_to_file(store.conn, "md", by="tag")
    folder = data_dir() / "exports"
    assert {md.parent, js.parent, by_tag.parent} == {folder}
    assert md != md2 and md.suffix == ".md" and js.suffix == ".json"
    assert "by-tag" in by_tag.name
    assert "## Sidoarjo – Jinan sister city" in md.read_text(encoding="utf-8")
    assert len(json.loads(js.read_text(encoding="utf-8"))["notes"]) == 6
    assert not list(folder.glob("*.part")) and not list(folder.glob(".*"))
    with pytest.raises(ParadiploError):
        notes_io.export_notes_to_file(store.conn, "docx")


def test_export_failure_says_why(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = data_dir()
    blocker.mkdir(parents=True, exist_ok=True)
    (blocker / "exports").write_text("a file where the folder should be")
    with pytest.raises(ParadiploError, match="Could not write"):
        notes_io.export_notes_to_file(store.conn, "md")


# ------------------------------------------------------------------ notes survive data changes
def test_rebuild_keeps_notes(store: Store) -> None:
    ids = add_some(store)
    before = notes_api.list_notes(store.conn)
    seeds.build(store.conn, seeds.load_seeds())
    assert notes_api.list_notes(store.conn) == before
    assert {n.id for n in notes_api.list_notes(store.conn, orphaned_only=True)} == {ids["orphan"]}


def test_rebuild_without_a_case_orphans_its_notes(store: Store, tmp_path: Path) -> None:
    ids = add_some(store)
    edited = tmp_path / "seeds"
    shutil.copytree(seeds.bundled_seeds_dir(), edited)
    cases = (edited / "cases.toml").read_text(encoding="utf-8")
    block = re.compile(r'\[\[case\]\]\nid = "sidoarjo-jinan-2008"\n.*?(?=\n\[\[)', re.S)
    assert block.search(cases)
    (edited / "cases.toml").write_text(block.sub("", cases), encoding="utf-8")
    seeds.build(store.conn, seeds.load_seeds(edited))
    orphans = {n.id: n for n in notes_api.list_notes(store.conn, orphaned_only=True)}
    assert set(orphans) == {ids["orphan"], ids["case1"], ids["case2"]}
    assert orphans[ids["case1"]].body == "Jinan first"
    md = notes_io.notes_markdown(store.conn)
    assert "sidoarjo-jinan-2008 (no longer in the collection) (orphaned)" in md
    assert "Jinan first" in md and "Jinan second" in md
    exported = notes_io.notes_json(store.conn)["notes"]
    assert {r["id"] for r in exported if r["orphaned"]} == set(orphans)
    # Putting the case back brings the notes home.
    seeds.build(store.conn, seeds.load_seeds())
    assert {n.id for n in notes_api.list_notes(store.conn, orphaned_only=True)} == {ids["orphan"]}


def test_importing_cases_keeps_notes(store: Store, tmp_path: Path) -> None:
    add_some(store)
    before = notes_api.list_notes(store.conn)
    out = io.StringIO()
    db_io.export_cases(store.conn, "json", out)
    records = json.loads(out.getvalue())
    for rec in records:
        rec["summary"] = (rec.get("summary") or "") + " (edited)"
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    db_io.import_cases(store, path)
    assert notes_api.list_notes(store.conn) == before


def test_upgrading_a_v1_database_keeps_every_note(tmp_path: Path) -> None:
    fixture = Path(__file__).parent / "fixtures" / "schema_v1.db"
    path = tmp_path / "old.db"
    shutil.copy(fixture, path)
    s = open_store(path)
    try:
        notes = {n.id: n for n in notes_api.list_notes(s.conn)}
        assert len(notes) == 4
        assert notes["44f3a61cc06a"].orphaned
        assert notes["f4c6457ccfed"].body.startswith("Released-v1 note on Jinan [bold]literal[/]")
        assert notes["18f64166737c"].anchor_start == 1855
        assert notes["d845bdd3430b"].target_label == "Jawa Timur"
        assert [d.body for d in notes_api.list_drafts(s.conn)] == ["Unsaved draft from v1"]
    finally:
        s.close()
