"""The user's study notes: the most valuable data in the database.

- Notes refer to their target (a case, a source, a passage of a source, a region) by stable id,
  never by foreign key: rebuilding seeds or re-importing cases cannot delete one. A note whose
  target is gone is *orphaned*: kept, listed and exported like any other.
- Every save is one transaction (WAL, busy timeout, retried while another writer holds the
  lock). Edits carry the version they started from; if someone else saved in between, the save
  raises ConflictError instead of overwriting.
- Deleting is soft (deleted_at) so it can be undone; nothing here ever removes a note's row.
- Drafts are saved as the user types, keyed by what is being edited, and offered back later.

Reads take a connection; writes take a Store (they need its write transaction).
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from db import searchdocs
from db.errors import ConflictError, NotFound, ParadiploError
from db.models import Draft, Note
from db.store import Store
from db.text import clean_user_text

TARGET_TYPES = ("case", "source", "region", "passage")
MAX_TAG_LEN = 64


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def normalise_tags(tags: Iterable[str]) -> list[str]:
    """Tags are trimmed, lower-cased, '#'-less, without spaces or commas, unique, in order."""
    out: list[str] = []
    for raw in tags:
        for part in clean_user_text(str(raw)).replace(",", " ").split():
            tag = part.strip().lstrip("#").casefold()[:MAX_TAG_LEN]
            if tag and tag not in out:
                out.append(tag)
    return out


def parse_tags(text: str) -> list[str]:
    """Tags typed in one line: 'comparison, japan #tourism' -> ['comparison', 'japan', 'tourism']."""
    return normalise_tags([text])


_NOTE_COLS = (
    "id, target_type, target_id, anchor_start, anchor_end, anchor_quote, body, tags,"
    " created_at, updated_at, version"
)


def _target_label(conn: sqlite3.Connection, ttype: str, tid: str) -> tuple[str, bool]:
    """(label, orphaned) for a note's target."""
    if ttype == "case":
        row = conn.execute("SELECT title FROM cases WHERE id = ?", (tid,)).fetchone()
    elif ttype in ("source", "passage"):
        row = conn.execute(
            "SELECT coalesce(title, outlet, citation, id) FROM sources WHERE id = ?", (tid,)
        ).fetchone()
    else:
        prefix, _, value = tid.partition(":")
        if prefix in ("p", "a"):
            row = conn.execute("SELECT name FROM areas WHERE code = ?", (value,)).fetchone()
        elif prefix == "c":
            row = conn.execute("SELECT name_en FROM countries WHERE code = ?", (value,)).fetchone()
        else:
            row = conn.execute("SELECT name FROM actors WHERE id = ?", (value,)).fetchone()
    if row is None:
        return f"{tid} (no longer in the collection)", True
    return str(row[0]), False


def _note(conn: sqlite3.Connection, row: tuple[Any, ...]) -> Note:
    (nid, ttype, tid, a_start, a_end, a_quote, body, tags, created, updated, version) = row
    label, orphaned = _target_label(conn, ttype, tid)
    return Note(
        id=nid,
        target_type=ttype,
        target_id=tid,
        target_label=label,
        orphaned=orphaned,
        body=body,
        tags=json.loads(tags or "[]"),
        created_at=created,
        updated_at=updated,
        version=version,
        anchor_start=a_start,
        anchor_end=a_end,
        anchor_quote=a_quote,
    )


def get_note(conn: sqlite3.Connection, note_id: str, *, include_deleted: bool = False) -> Note:
    extra = "" if include_deleted else " AND deleted_at IS NULL"
    row = conn.execute(f"SELECT {_NOTE_COLS} FROM notes WHERE id = ?{extra}", (note_id,))
    found = row.fetchone()
    if found is None:
        raise NotFound(f"No note with id '{note_id}'.")
    return _note(conn, tuple(found))


def list_notes(
    conn: sqlite3.Connection,
    *,
    target_type: str | None = None,
    target_id: str | None = None,
    tag: str | None = None,
    orphaned_only: bool = False,
    limit: int | None = None,
) -> list[Note]:
    """Notes, newest edit first, optionally for one target or one tag."""
    conds = ["n.deleted_at IS NULL"]
    params: list[Any] = []
    if target_type:
        conds.append("n.target_type = ?")
        params.append(target_type)
    if target_id is not None:
        conds.append("n.target_id = ?")
        params.append(target_id)
    if tag:
        conds.append("EXISTS (SELECT 1 FROM note_tags t WHERE t.note_id = n.id AND t.tag = ?)")
        params.append(normalise_tags([tag])[0] if normalise_tags([tag]) else tag)
    sql = (
        f"SELECT {', '.join('n.' + c.strip() for c in _NOTE_COLS.split(','))} FROM notes n"
        f" WHERE {' AND '.join(conds)} ORDER BY n.updated_at DESC, n.id"
    )
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    notes = [_note(conn, tuple(r)) for r in conn.execute(sql, params)]
    if orphaned_only:
        notes = [n for n in notes if n.orphaned]
    return notes


def notes_for_case(conn: sqlite3.Connection, case_id: str) -> list[Note]:
    return list_notes(conn, target_type="case", target_id=case_id)


def note_counts(conn: sqlite3.Connection, case_ids: list[str]) -> dict[str, int]:
    if not case_ids:
        return {}
    marks = ",".join("?" * len(case_ids))
    return dict(
        conn.execute(
            "SELECT target_id, count(*) FROM notes WHERE target_type = 'case'"
            f" AND deleted_at IS NULL AND target_id IN ({marks}) GROUP BY target_id",
            case_ids,
        ).fetchall()
    )


def all_tags(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    return [
        (t, int(n))
        for t, n in conn.execute(
            "SELECT t.tag, count(*) FROM note_tags t JOIN notes n ON n.id = t.note_id"
            " WHERE n.deleted_at IS NULL GROUP BY t.tag ORDER BY t.tag"
        )
    ]


def _write_tags(conn: sqlite3.Connection, note_id: str, tags: list[str]) -> None:
    conn.execute("DELETE FROM note_tags WHERE note_id = ?", (note_id,))
    conn.executemany(
        "INSERT OR IGNORE INTO note_tags(note_id, tag) VALUES (?, ?)", [(note_id, t) for t in tags]
    )


def add_note(
    store: Store,
    target_type: str,
    target_id: str,
    body: str,
    tags: Iterable[str] = (),
    *,
    anchor: tuple[int, int, str] | None = None,
    note_id: str | None = None,
    created_at: str | None = None,
    updated_at: str | None = None,
) -> Note:
    """Save a new note (one transaction). The target need not exist (it may be orphaned)."""
    if target_type not in TARGET_TYPES:
        raise ParadiploError(f"A note attaches to one of {', '.join(TARGET_TYPES)}.")
    body = clean_user_text(body)
    if not body.strip():
        raise ParadiploError("The note is empty; nothing was saved.")
    tag_list = normalise_tags(tags)
    nid = note_id or uuid.uuid4().hex[:12]
    stamp = now_iso()
    with store.write() as conn:
        conn.execute(
            "INSERT INTO notes(id, target_type, target_id, anchor_start, anchor_end, anchor_quote,"
            " body, tags, created_at, updated_at, version) VALUES (?,?,?,?,?,?,?,?,?,?,1)",
            (
                nid,
                target_type,
                target_id,
                *(anchor or (None, None, None)),
                body,
                json.dumps(tag_list, ensure_ascii=False),
                created_at or stamp,
                updated_at or stamp,
            ),
        )
        _write_tags(conn, nid, tag_list)
        searchdocs.refresh_note(conn, nid)
    return get_note(store.conn, nid)


def update_note(
    store: Store,
    note_id: str,
    body: str,
    tags: Iterable[str],
    *,
    expected_version: int | None,
) -> Note:
    """Save an edit. If the note changed since `expected_version`, raise ConflictError.

    Pass expected_version=None to overwrite deliberately (the user chose "keep mine").
    """
    body = clean_user_text(body)
    if not body.strip():
        raise ParadiploError("The note is empty; nothing was saved. Delete it instead.")
    tag_list = normalise_tags(tags)
    with store.write() as conn:
        row = conn.execute(
            "SELECT version, body, deleted_at FROM notes WHERE id = ?", (note_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"No note with id '{note_id}'.")
        version, current_body, _deleted = row
        if expected_version is not None and version != expected_version:
            raise ConflictError(note_id, version, current_body)
        conn.execute(
            "UPDATE notes SET body = ?, tags = ?, updated_at = ?, version = version + 1,"
            " deleted_at = NULL WHERE id = ?",
            (body, json.dumps(tag_list, ensure_ascii=False), now_iso(), note_id),
        )
        _write_tags(conn, note_id, tag_list)
        searchdocs.refresh_note(conn, note_id)
    return get_note(store.conn, note_id)


def delete_note(store: Store, note_id: str) -> None:
    """Soft-delete: the note disappears from lists and search, and can be restored."""
    with store.write() as conn:
        cur = conn.execute(
            "UPDATE notes SET deleted_at = ?, version = version + 1 WHERE id = ?"
            " AND deleted_at IS NULL",
            (now_iso(), note_id),
        )
        if cur.rowcount == 0:
            raise NotFound(f"No note with id '{note_id}'.")
        searchdocs.refresh_note(conn, note_id)


def restore_note(store: Store, note_id: str) -> Note:
    with store.write() as conn:
        conn.execute(
            "UPDATE notes SET deleted_at = NULL, version = version + 1 WHERE id = ?", (note_id,)
        )
        searchdocs.refresh_note(conn, note_id)
    return get_note(store.conn, note_id)


# ------------------------------------------------------------------------------ drafts
def draft_key(target_type: str, target_id: str, note_id: str | None) -> str:
    return f"note:{note_id}" if note_id else f"new:{target_type}:{target_id}"


def save_draft(
    store: Store,
    target_type: str,
    target_id: str,
    body: str,
    tags: Iterable[str] = (),
    *,
    note_id: str | None = None,
    base_version: int | None = None,
) -> str:
    key = draft_key(target_type, target_id, note_id)
    with store.write() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO note_drafts(key, note_id, target_type, target_id, body, tags,"
            " base_version, updated_at) VALUES (?,?,?,?,?,?,?,?)",
            (
                key,
                note_id,
                target_type,
                target_id,
                clean_user_text(body),
                json.dumps(normalise_tags(tags), ensure_ascii=False),
                base_version,
                now_iso(),
            ),
        )
    return key


def list_drafts(conn: sqlite3.Connection) -> list[Draft]:
    return [
        Draft(k, nid, tt, tid, body, json.loads(tags or "[]"), bv, upd)
        for k, nid, tt, tid, body, tags, bv, upd in conn.execute(
            "SELECT key, note_id, target_type, target_id, body, tags, base_version, updated_at"
            " FROM note_drafts ORDER BY updated_at DESC"
        )
    ]


def discard_draft(store: Store, key: str) -> None:
    with store.write() as conn:
        conn.execute("DELETE FROM note_drafts WHERE key = ?", (key,))
