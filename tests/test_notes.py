"""The notes data layer: saving, versions, soft delete, drafts, orphans, failures."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from paradiplo.db import notes as notes_api
from paradiplo.db import search as search_api
from paradiplo.db import store as store_mod
from paradiplo.db.errors import (
    ConflictError,
    DatabaseProblem,
    NotFound,
    ParadiploError,
    ReadOnlyError,
)
from paradiplo.db.store import Store

CASE = "sidoarjo-jinan-2008"
OTHER = "malang-nonsan-2017"
SOURCE = "001_17fdbbb4dbe6a6d1"


def test_add_get_and_list_newest_first(store: Store) -> None:
    a = notes_api.add_note(store, "case", CASE, "first", ["Comparison", "#China, sister-city"])
    b = notes_api.add_note(store, "case", CASE, "second")
    assert a.tags == ["comparison", "china", "sister-city"]
    assert a.version == 1 and a.created_at == a.updated_at
    assert a.target_label == "Sidoarjo – Jinan sister city" and not a.orphaned
    assert [n.id for n in notes_api.notes_for_case(store.conn, CASE)] == [b.id, a.id]
    assert notes_api.get_note(store.conn, a.id) == a
    assert notes_api.note_counts(store.conn, [CASE, OTHER]) == {CASE: 2}
    assert notes_api.all_tags(store.conn) == [("china", 1), ("comparison", 1), ("sister-city", 1)]


def test_note_text_is_stored_exactly_as_written(store: Store) -> None:
    body = "[bold]x[/] [@click=app.quit]q[/] \x1b[31mred\x1b]0;t\x07 é\r\nline\x00"
    note = notes_api.add_note(store, "case", CASE, body)
    assert note.body == "[bold]x[/] [@click=app.quit]q[/] \x1b[31mred\x1b]0;t\x07 é\nline"


def test_tags_never_keep_control_characters() -> None:
    assert notes_api.parse_tags("\x1b[31mred, #Japan  japan,,") == ["red", "japan"]


def test_empty_note_or_bad_target_is_refused(store: Store) -> None:
    with pytest.raises(ParadiploError, match="empty"):
        notes_api.add_note(store, "case", CASE, "  \n ")
    with pytest.raises(ParadiploError, match="attaches to"):
        notes_api.add_note(store, "planet", "mars", "text")
    assert notes_api.list_notes(store.conn) == []


def test_targets_case_source_passage_region_and_orphans(store: Store) -> None:
    notes_api.add_note(store, "source", SOURCE, "on the source")
    p = notes_api.add_note(store, "passage", SOURCE, "on a passage", anchor=(10, 20, "quoted"))
    prov = notes_api.add_note(store, "region", "p:35", "on East Java")
    gone = notes_api.add_note(store, "case", "no-such-case", "orphan")
    odd = notes_api.add_note(store, "region", "zz:1", "unknown key")
    assert (p.anchor_start, p.anchor_end, p.anchor_quote) == (10, 20, "quoted")
    assert p.target_label == "Kompasiana" and not p.orphaned
    assert prov.target_label == "Jawa Timur"
    assert gone.orphaned and "no longer in the collection" in gone.target_label
    assert odd.orphaned
    orphans = notes_api.list_notes(store.conn, orphaned_only=True)
    assert {n.id for n in orphans} == {gone.id, odd.id}
    # A listing reads case and source labels with the notes: the same as one note at a time.
    listed = notes_api.list_notes(store.conn)
    assert [(n.target_label, n.orphaned) for n in listed] == [
        (g.target_label, g.orphaned) for g in (notes_api.get_note(store.conn, n.id) for n in listed)
    ]


def test_filters_by_tag_and_text(store: Store) -> None:
    a = notes_api.add_note(store, "case", CASE, "Jinan and Sidoarjo", ["china"])
    b = notes_api.add_note(store, "case", OTHER, "Nonsan, Korea", ["korea"])
    assert [n.id for n in notes_api.list_notes(store.conn, tag="#China")] == [a.id]
    assert [n.id for n in notes_api.list_notes(store.conn, text="nonsan")] == [b.id]
    # The target's label and the tags match too.
    assert [n.id for n in notes_api.list_notes(store.conn, text="sister city")] == [b.id, a.id]
    assert [n.id for n in notes_api.list_notes(store.conn, text="KOREA", tag="korea")] == [b.id]
    assert notes_api.list_notes(store.conn, text="nothing like this") == []
    assert len(notes_api.list_notes(store.conn, limit=1)) == 1
    assert notes_api.count_notes(store.conn) == 2
    assert notes_api.count_notes(store.conn, tag="#Korea") == 1
    assert notes_api.count_notes(store.conn, tag="none") == 0


def test_update_checks_the_version(store: Store) -> None:
    note = notes_api.add_note(store, "case", CASE, "v1", ["a"])
    v2 = notes_api.update_note(store, note.id, "v2", ["b"], expected_version=1)
    assert (v2.body, v2.tags, v2.version) == ("v2", ["b"], 2)
    assert v2.created_at == note.created_at and v2.updated_at >= note.updated_at
    with pytest.raises(ConflictError) as err:
        notes_api.update_note(store, note.id, "stale edit", [], expected_version=1)
    assert err.value.current_version == 2 and err.value.current_body == "v2"
    assert "keep yours, keep theirs" in str(err.value)
    # "Keep mine": overwrite deliberately.
    v3 = notes_api.update_note(store, note.id, "stale edit", [], expected_version=None)
    assert (v3.body, v3.version) == ("stale edit", 3)
    with pytest.raises(NotFound):
        notes_api.update_note(store, "nope", "x", [], expected_version=1)


def test_soft_delete_and_restore(store: Store) -> None:
    note = notes_api.add_note(store, "case", CASE, "Findable zanzibar note", ["t"])
    assert [h.ref_id for h in search_api.search(store.conn, "zanzibar") if h.kind == "note"]
    notes_api.delete_note(store, note.id)
    assert notes_api.list_notes(store.conn) == []
    assert notes_api.all_tags(store.conn) == []
    assert not [h for h in search_api.search(store.conn, "zanzibar") if h.kind == "note"]
    assert notes_api.is_deleted(store.conn, note.id)
    with pytest.raises(NotFound):
        notes_api.get_note(store.conn, note.id)
    with pytest.raises(NotFound):
        notes_api.delete_note(store, note.id)
    # Editing a note that another window deleted conflicts (the delete bumped the version).
    with pytest.raises(ConflictError):
        notes_api.update_note(store, note.id, "edit", [], expected_version=note.version)
    back = notes_api.restore_note(store, note.id)
    assert back.body == note.body and back.tags == ["t"]
    assert notes_api.restore_note(store, note.id).version == back.version  # no-op
    assert [h.ref_id for h in search_api.search(store.conn, "zanzibar") if h.kind == "note"]
    with pytest.raises(NotFound):
        notes_api.restore_note(store, "nope")


def test_drafts_saved_listed_and_discarded(store: Store) -> None:
    key = notes_api.save_draft(store, "case", CASE, "typing…", ["x"])
    assert key == "new:case:" + CASE
    [draft] = notes_api.list_drafts(store.conn)
    assert (draft.body, draft.tags, draft.note_id) == ("typing…", ["x"], None)
    notes_api.save_draft(store, "case", CASE, "typing more")
    assert [d.body for d in notes_api.list_drafts(store.conn)] == ["typing more"]
    # An empty body removes the draft: nothing to offer back.
    notes_api.save_draft(store, "case", CASE, "   ")
    assert notes_api.list_drafts(store.conn) == []
    notes_api.save_draft(store, "case", CASE, "again")
    notes_api.discard_draft(store, key)
    assert notes_api.list_drafts(store.conn) == []


def test_draft_of_an_edit_and_stale_drafts(store: Store) -> None:
    note = notes_api.add_note(store, "case", CASE, "saved text", ["a"])
    key = notes_api.save_draft(
        store, "case", CASE, "edited text", ["a"], note_id=note.id, base_version=1
    )
    assert key == f"note:{note.id}"
    [draft] = notes_api.list_drafts(store.conn)
    assert (draft.note_id, draft.base_version) == (note.id, 1)
    assert notes_api.get_draft(store.conn, key) == draft
    # The save won but the draft cleanup did not happen: the draft is stale, not offered.
    notes_api.update_note(store, note.id, "edited text", ["a"], expected_version=1)
    assert notes_api.list_drafts(store.conn) == []


def test_passage_draft_keeps_its_anchor(store: Store) -> None:
    text = store.conn.execute("SELECT text FROM sources WHERE id = ?", (SOURCE,)).fetchone()[0]
    notes_api.save_draft(store, "passage", SOURCE, "about this", anchor=(100, 130))
    notes_api.save_draft(store, "passage", SOURCE, "another passage", anchor=(200, 210, "q"))
    drafts = {d.body: d for d in notes_api.list_drafts(store.conn)}
    assert len(drafts) == 2
    assert notes_api.draft_anchor(store.conn, drafts["about this"]) == (100, 130, text[100:130])
    assert notes_api.draft_anchor(store.conn, drafts["another passage"])[:2] == (200, 210)  # type: ignore[index]
    case_draft = notes_api.get_draft(store.conn, notes_api.save_draft(store, "case", CASE, "c"))
    assert case_draft is not None and notes_api.draft_anchor(store.conn, case_draft) is None


# ---------------------------------------------------------------------- failures say why
def test_read_only_store_says_why_and_changes_nothing(db_path: Path) -> None:
    ro = Store(db_path, readonly=True)
    ro.readonly_reason = "the file is not writable"
    try:
        with pytest.raises(ReadOnlyError, match="read-only"):
            notes_api.add_note(ro, "case", CASE, "text")
        with pytest.raises(ReadOnlyError):
            notes_api.save_draft(ro, "case", CASE, "text")
    finally:
        ro.close()


def test_sqlite_read_only_connection_is_translated(db_path: Path) -> None:
    """A write refused by SQLite itself surfaces as a ParadiploError, not sqlite3.Error."""
    s = Store(db_path)  # a store that believes it may write
    s.conn.execute("PRAGMA query_only = ON")  # SQLite refuses every write on its connection
    try:
        with pytest.raises(ReadOnlyError, match="read-only"):
            notes_api.add_note(s, "case", CASE, "text")
    finally:
        s.close()


def test_disk_full_is_translated_and_rolled_back(store: Store) -> None:
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(DatabaseProblem, match="full"):
        notes_api.add_note(store, "case", CASE, "x" * 200_000)
    store.conn.execute("PRAGMA max_page_count = 4294967294")
    assert notes_api.list_notes(store.conn) == []
    assert not store.conn.in_transaction


def test_locked_too_long_says_so(
    store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_mod, "LOCK_WAIT_SECONDS", 0.3)
    store.conn.execute("PRAGMA busy_timeout = 20")
    other = sqlite3.connect(str(db_path), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseProblem, match="locked"):
            notes_api.add_note(store, "case", CASE, "text")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert notes_api.add_note(store, "case", CASE, "text").body == "text"
