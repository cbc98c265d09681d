"""The user's study notes: the most valuable data in the database.

- Notes refer to their target (a case, a source, a passage of a source, a region) by stable id,
  never by foreign key: rebuilding seeds or re-importing cases cannot delete one. A note whose
  target is gone is *orphaned*: kept, listed and exported like any other.
- Every save is one transaction (WAL, busy timeout, retried while another writer holds the
  lock). Edits carry the version they started from; if someone else saved in between, the save
  raises ConflictError instead of overwriting.
- Deleting is soft (deleted_at) so it can be undone; nothing here ever removes a note's row.
- Drafts are saved as the user types, keyed by what is being edited, and offered back later.
- Any SQLite failure while writing (read-only file, full disk, lock held too long) surfaces as
  a ParadiploError whose message says why; the caller keeps the user's text.

Reads take a connection; writes take a Store (they need its write transaction).
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from paradiplo.db.bulk import sqlite_db
from paradiplo.db.errors import ConflictError, NotFound, ParadiploError
from paradiplo.db.i18n import _
from paradiplo.db.models import Draft, Note
from paradiplo.db.record import record
from paradiplo.db.store import Store, translate
from paradiplo.db.text import clean_user_text, json_list, now_iso, strip_control

TARGET_TYPES = ("case", "source", "region", "passage")
TARGET_WORDS = {"case": "case", "source": "source", "passage": "source", "region": "region"}
MAX_TAG_LEN = 64

Anchor = tuple[int, int, str]


def normalise_tags(tags: Iterable[str]) -> list[str]:
    """Tags are trimmed, lower-cased, '#'-less, without spaces, commas or control characters,
    unique, in order (a tag is a keyword: it never needs an escape sequence)."""
    out: list[str] = []
    for raw in tags:
        for part in strip_control(clean_user_text(str(raw))).replace(",", " ").split():
            tag = part.strip().lstrip("#").casefold()[:MAX_TAG_LEN]
            if tag and tag not in out:
                out.append(tag)
    return out


def parse_tags(text: str) -> list[str]:
    """Tags typed in one line: 'comparison, japan #tourism' -> ['comparison', 'japan', 'tourism']."""
    return normalise_tags([text])


@contextmanager
def writing(store: Store) -> Iterator[sqlite3.Connection]:
    """`store.write()`, with raw SQLite errors turned into messages a user can act on.

    Errors raised at COMMIT (disk full, I/O) and by statements (read-only file) would otherwise
    reach the UI as bare sqlite3 exceptions; the editor needs a ParadiploError to show.
    """
    try:
        with store.write() as conn:
            yield conn
    except sqlite3.Error as exc:
        raise translate(exc, store.path) from exc


_NOTE_COLS = (
    "id, target_type, target_id, anchor_start, anchor_end, anchor_quote, body, tags,"
    " created_at, updated_at, version"
)
_N_NOTE_COLS = ", ".join("n." + c.strip() for c in _NOTE_COLS.split(","))


# A source's label, wherever a note on it or on one of its passages is shown.
_SOURCE_LABEL = "coalesce(s.title, s.outlet, s.citation, s.id)"


def _lookup_label(conn: sqlite3.Connection, ttype: str, tid: str) -> str | None:
    if ttype == "case":
        row = conn.execute("SELECT title FROM cases WHERE id = ?", (tid,)).fetchone()
    elif ttype in ("source", "passage"):
        row = conn.execute(
            f"SELECT {_SOURCE_LABEL} FROM sources s WHERE s.id = ?", (tid,)
        ).fetchone()
    elif ttype == "region":
        prefix, _, value = tid.partition(":")
        if prefix in ("p", "a"):
            row = conn.execute("SELECT name FROM areas WHERE code = ?", (value,)).fetchone()
        elif prefix in ("c", "pc"):
            row = conn.execute("SELECT name_en FROM countries WHERE code = ?", (value,)).fetchone()
        elif prefix in ("r", "pa"):
            row = conn.execute("SELECT name FROM actors WHERE id = ?", (value,)).fetchone()
        else:
            row = None
    else:
        row = None
    return None if row is None else str(row[0])


def target_label(conn: sqlite3.Connection, target_type: str, target_id: str) -> tuple[str, bool]:
    """(label, orphaned) for a note's target: its title or name, or a 'gone' label."""
    label = _lookup_label(conn, target_type, target_id)
    if label is None:
        return _("{id} (no longer in the collection)").format(id=target_id), True
    return label, False


# A listing's labels of case and source targets, read with the notes (one statement instead
# of one lookup per note: 10,000 notes listed in ~0.1 s instead of ~1 s). NULL: not found, or
# another kind of target (looked up by `target_label`).
_LISTED_LABEL = (
    "CASE WHEN n.target_type = 'case' THEN (SELECT c.title FROM cases c WHERE c.id = n.target_id)"
    f" WHEN n.target_type IN ('source', 'passage') THEN (SELECT {_SOURCE_LABEL} FROM sources s"
    " WHERE s.id = n.target_id) END"
)


def _note(
    conn: sqlite3.Connection,
    row: tuple[Any, ...],
    labels: dict[Any, Any],
    listed_label: str | None = None,
) -> Note:
    (nid, ttype, tid, a_start, a_end, a_quote, body, tags, created, updated, version) = row
    if listed_label is not None:
        label, orphaned = listed_label, False
    else:
        key = (ttype, tid)
        if key not in labels:
            labels[key] = target_label(conn, ttype, tid)
        label, orphaned = labels[key]
    # Columns hold whatever another program (or a damaged page) put there: a blob, a number,
    # text where a number belongs. Each is read as the type the app expects, never trusted.
    return Note(
        id=_stored_text(nid),
        target_type=_stored_text(ttype),
        target_id=_stored_text(tid),
        target_label=_stored_text(label),
        orphaned=orphaned,
        body=_stored_text(body),
        tags=json_list(tags),
        created_at=_stored_text(created),
        updated_at=_stored_text(updated),
        version=_stored_int(version) or 0,
        anchor_start=_stored_int(a_start),
        anchor_end=_stored_int(a_end),
        anchor_quote=None if a_quote is None else _stored_text(a_quote),
    )


def _stored_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return "" if value is None else str(value)


def _stored_int(value: object) -> int | None:
    """An integer column's value, or None if it holds something else."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    try:
        return int(str(value)) if value is not None else None
    except ValueError:
        return None


def _index_note(conn: sqlite3.Connection, note_id: str) -> None:
    """(Re)index a note for search. The search modules (the analyser and its vocabulary) are
    loaded here, on the first write, not when the app starts."""
    from paradiplo.db import searchdocs

    searchdocs.refresh_note(conn, note_id)


def get_note(conn: sqlite3.Connection, note_id: str, *, include_deleted: bool = False) -> Note:
    extra = "" if include_deleted else " AND deleted_at IS NULL"
    row = conn.execute(f"SELECT {_NOTE_COLS} FROM notes WHERE id = ?{extra}", (note_id,))
    found = row.fetchone()
    if found is None:
        raise NotFound(_("No note with id '{id}'.").format(id=note_id))
    return _note(conn, tuple(found), {})


def is_deleted(conn: sqlite3.Connection, note_id: str) -> bool:
    """True if the note exists but is soft-deleted (e.g. by another window)."""
    row = conn.execute("SELECT deleted_at FROM notes WHERE id = ?", (note_id,)).fetchone()
    return row is not None and row[0] is not None


def _matches(note: Note, needle: str) -> bool:
    hay = f"{note.body}\n{note.target_label}\n{' '.join(note.tags)}\n{note.anchor_quote or ''}"
    return needle in hay.casefold()


# Notes `n` with one tag (the parameter: `_tag_key` of what the user typed).
_TAGGED = "EXISTS (SELECT 1 FROM note_tags t WHERE t.note_id = n.id AND t.tag = ?)"


def _tag_key(tag: str) -> str:
    """A tag as stored (`#China` is `china`), or as typed if it normalises to nothing."""
    wanted = normalise_tags([tag])
    return wanted[0] if wanted else tag


def list_notes(
    conn: sqlite3.Connection,
    *,
    target_type: str | None = None,
    target_id: str | None = None,
    tag: str | None = None,
    text: str | None = None,
    orphaned_only: bool = False,
    limit: int | None = None,
) -> list[Note]:
    """Notes, newest edit first, optionally for one target, one tag, or containing `text`.

    `text` matches (case-insensitively) the body, the tags, the target's label and the
    anchored quote: a plain filter for the notes screen; ranked search is db.search.
    """
    conds = ["n.deleted_at IS NULL"]
    params: list[Any] = []
    if target_type:
        conds.append("n.target_type = ?")
        params.append(target_type)
    if target_id is not None:
        conds.append("n.target_id = ?")
        params.append(target_id)
    if tag:
        conds.append(_TAGGED)
        params.append(_tag_key(tag))
    sql = (
        f"SELECT {_N_NOTE_COLS}, {_LISTED_LABEL} FROM notes n WHERE {' AND '.join(conds)}"
        " ORDER BY n.updated_at DESC, n.id"
    )
    filtered = orphaned_only or bool(text and text.strip())
    if limit is not None and not filtered:
        sql += f" LIMIT {int(limit)}"
    labels: dict[Any, Any] = {}
    needle = (text or "").strip().casefold()
    notes: list[Note] = []
    for r in conn.execute(sql, params):
        note = _note(conn, tuple(r[:-1]), labels, r[-1])
        if orphaned_only and not note.orphaned:
            continue
        if needle and not _matches(note, needle):
            continue
        notes.append(note)
        if limit is not None and len(notes) >= limit:
            break
    return notes


def count_notes(conn: sqlite3.Connection, *, tag: str | None = None) -> int:
    """How many notes (not deleted) there are, or with `tag`: what `list_notes` would list
    without a text filter, counted without reading them."""
    sql = "SELECT count(*) FROM notes n WHERE n.deleted_at IS NULL"
    params: list[Any] = []
    if tag:
        sql += f" AND {_TAGGED}"
        params.append(_tag_key(tag))
    return int(conn.execute(sql, params).fetchone()[0])


def notes_for_case(conn: sqlite3.Connection, case_id: str) -> list[Note]:
    return list_notes(conn, target_type="case", target_id=case_id)


def note_counts(conn: sqlite3.Connection, case_ids: list[str]) -> dict[str, int]:
    if not case_ids:
        return {}
    out: dict[str, int] = {}
    for i in range(0, len(case_ids), 500):
        chunk = case_ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        out.update(
            conn.execute(
                "SELECT target_id, count(*) FROM notes WHERE target_type = 'case'"
                f" AND deleted_at IS NULL AND target_id IN ({marks}) GROUP BY target_id",
                chunk,
            ).fetchall()
        )
    return out


def all_tags(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    return [
        (t, int(n))
        for t, n in conn.execute(
            "SELECT t.tag, count(*) FROM note_tags t JOIN notes n ON n.id = t.note_id"
            " WHERE n.deleted_at IS NULL GROUP BY t.tag ORDER BY t.tag"
        )
    ]


def _write_tags(conn: sqlite3.Connection, note_id: str, tags: list[str]) -> None:
    table = sqlite_db(conn).table("note_tags")
    table.delete_where("note_id = ?", [note_id])
    table.insert_all(({"note_id": note_id, "tag": t} for t in tags), ignore=True)


def _check_new(target_type: str, target_id: str, body: str) -> str:
    if target_type not in TARGET_TYPES:
        raise ParadiploError(
            _("A note attaches to one of {kinds}.").format(kinds=", ".join(TARGET_TYPES))
        )
    if not target_id:
        raise ParadiploError(_("A note needs something to attach to (a case, source or region)."))
    body = clean_user_text(body)
    if not body.strip():
        raise ParadiploError(_("The note is empty; nothing was saved."))
    return body


@record
class NewNote:
    """A note to insert: what it is on, its text and tags, and (for an import) the id, passage
    and times it had elsewhere."""

    target_type: str
    target_id: str
    body: str
    tags: Iterable[str] = ()
    anchor: Anchor | None = None
    note_id: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


def insert_note(conn: sqlite3.Connection, new: NewNote, *, index: bool = True) -> str:
    """Insert a note inside the caller's write transaction; returns its id.

    `index=False` leaves its search document to the caller (`searchdocs.refresh_notes` for
    many notes at once is far faster than one at a time).
    """
    body = _check_new(new.target_type, new.target_id, new.body)
    tag_list = normalise_tags(new.tags)
    nid = new.note_id or uuid.uuid4().hex[:12]
    stamp = now_iso()
    start, end, quote = new.anchor or (None, None, None)
    sqlite_db(conn).table("notes").insert(
        {
            "id": nid,
            "target_type": new.target_type,
            "target_id": new.target_id,
            "anchor_start": start,
            "anchor_end": end,
            "anchor_quote": quote,
            "body": body,
            "tags": json.dumps(tag_list, ensure_ascii=False),
            "created_at": new.created_at or stamp,
            "updated_at": new.updated_at or new.created_at or stamp,
            "version": 1,
        }
    )
    _write_tags(conn, nid, tag_list)
    if index:
        _index_note(conn, nid)
    return nid


def add_note(
    store: Store,
    target_type: str,
    target_id: str,
    body: str,
    tags: Iterable[str] = (),
    *,
    anchor: Anchor | None = None,
    created_at: str | None = None,
    updated_at: str | None = None,
) -> Note:
    """Save a new note (one transaction). The target need not exist (it may be orphaned)."""
    new = NewNote(target_type, target_id, body, tags, anchor, None, created_at, updated_at)
    _check_new(target_type, target_id, body)
    with writing(store) as conn:
        nid = insert_note(conn, new)
    return get_note(store.conn, nid)


def _version(conn: sqlite3.Connection, note_id: str) -> tuple[int, str, str | None]:
    """(version, body, deleted_at) of a note, read in the write transaction that changes it."""
    row = conn.execute(
        "SELECT version, body, deleted_at FROM notes WHERE id = ?", (note_id,)
    ).fetchone()
    if row is None:
        raise NotFound(_("No note with id '{id}'.").format(id=note_id))
    return int(row[0]), str(row[1]), row[2]


def _change(conn: sqlite3.Connection, note_id: str, version: int, **values: object) -> None:
    """Set a note's `values` and its next version (the writer holds the write lock since it
    read `version`, so no other save comes between)."""
    sqlite_db(conn).table("notes").update(note_id, {**values, "version": version + 1})


def overwrite_note(
    conn: sqlite3.Connection,
    note_id: str,
    body: str,
    tags: Iterable[str],
    *,
    expected_version: int | None,
    updated_at: str | None = None,
    index: bool = True,
) -> None:
    """Update a note inside the caller's write transaction (see `update_note`; `index` as
    for `insert_note`)."""
    body = clean_user_text(body)
    if not body.strip():
        raise ParadiploError(_("The note is empty; nothing was saved. Delete it instead."))
    tag_list = normalise_tags(tags)
    version, current_body, _deleted = _version(conn, note_id)
    if expected_version is not None and version != expected_version:
        raise ConflictError(note_id, version, current_body)
    _change(
        conn,
        note_id,
        version,
        body=body,
        tags=json.dumps(tag_list, ensure_ascii=False),
        updated_at=updated_at or now_iso(),
        deleted_at=None,
    )
    _write_tags(conn, note_id, tag_list)
    if index:
        _index_note(conn, note_id)


def update_note(
    store: Store,
    note_id: str,
    body: str,
    tags: Iterable[str],
    *,
    expected_version: int | None,
) -> Note:
    """Save an edit. If the note changed since `expected_version`, raise ConflictError.

    Deleting bumps the version too, so editing a note another window deleted also conflicts.
    Pass expected_version=None to overwrite deliberately (the user chose "keep mine"); that
    also brings back a note deleted elsewhere, since the user just said they want it.
    """
    with writing(store) as conn:
        overwrite_note(conn, note_id, body, tags, expected_version=expected_version)
    return get_note(store.conn, note_id)


def delete_note(store: Store, note_id: str) -> None:
    """Soft-delete: the note disappears from lists and search, and can be restored."""
    with writing(store) as conn:
        row = conn.execute("SELECT version, deleted_at FROM notes WHERE id = ?", (note_id,))
        found = row.fetchone()
        if found is None or found[1] is not None:
            raise NotFound(_("No note with id '{id}' (already deleted?).").format(id=note_id))
        _change(conn, note_id, int(found[0]), deleted_at=now_iso())
        _index_note(conn, note_id)


def restore_note(store: Store, note_id: str) -> Note:
    """Undo a delete. Restoring a note that is not deleted changes nothing."""
    with writing(store) as conn:
        version, _body, deleted_at = _version(conn, note_id)
        if deleted_at is not None:
            _change(conn, note_id, version, deleted_at=None)
            _index_note(conn, note_id)
    return get_note(store.conn, note_id)


# ------------------------------------------------------------------------------ drafts
def draft_key(
    target_type: str,
    target_id: str,
    note_id: str | None,
    *,
    anchor: tuple[int, int] | tuple[int, int, str] | None = None,
) -> str:
    """What a draft is of: an existing note, or a new note on a target (and passage).

    The passage offsets are part of a new passage note's key, so two drafts on different
    passages of one source stay apart and the offsets survive until the draft is offered back.
    """
    if note_id:
        return f"note:{note_id}"
    key = f"new:{target_type}:{target_id}"
    if anchor is not None:
        key += f"@{int(anchor[0])}-{int(anchor[1])}"
    return key


def draft_anchor(conn: sqlite3.Connection, draft: Draft) -> Anchor | None:
    """The passage (start, end, quote) a new-note draft was written on, if any.

    The quote is re-read from the source; None if the key has no anchor or the source is gone.
    """
    if draft.note_id or draft.target_type != "passage" or "@" not in draft.key:
        return None
    _, _, span = draft.key.rpartition("@")
    start_s, _, end_s = span.partition("-")
    try:
        start, end = int(start_s), int(end_s)
    except ValueError:
        return None
    row = conn.execute(
        "SELECT substr(text, ?, ?) FROM sources WHERE id = ?",
        (start + 1, max(0, end - start), draft.target_id),
    ).fetchone()
    return (start, end, str(row[0]) if row else "")


def save_draft(
    store: Store,
    target_type: str,
    target_id: str,
    body: str,
    tags: Iterable[str] = (),
    *,
    note_id: str | None = None,
    base_version: int | None = None,
    anchor: tuple[int, int] | tuple[int, int, str] | None = None,
) -> str:
    """Keep what is being typed, so a crash loses at most the last debounce interval.

    An empty body removes the draft instead: there is nothing to offer back.
    """
    key = draft_key(target_type, target_id, note_id, anchor=anchor)
    body = clean_user_text(body)
    with writing(store) as conn:
        drafts = sqlite_db(conn).table("note_drafts")
        if not body.strip():
            drafts.delete_where("key = ?", [key])
            return key
        drafts.insert(
            {
                "key": key,
                "note_id": note_id,
                "target_type": target_type,
                "target_id": target_id,
                "body": body,
                "tags": json.dumps(normalise_tags(tags), ensure_ascii=False),
                "base_version": base_version,
                "updated_at": now_iso(),
            },
            replace=True,
        )
    return key


def list_drafts(conn: sqlite3.Connection) -> list[Draft]:
    """Drafts worth offering back, newest first.

    A draft of an existing note whose text and tags equal the saved note is stale (the save
    won, the draft cleanup did not): it is left out.
    """
    out: list[Draft] = []
    for k, nid, tt, tid, body, tags, bv, upd, cur_body, cur_tags in conn.execute(
        "SELECT d.key, d.note_id, d.target_type, d.target_id, d.body, d.tags, d.base_version,"
        " d.updated_at, n.body, n.tags FROM note_drafts d"
        " LEFT JOIN notes n ON n.id = d.note_id AND n.deleted_at IS NULL"
        " ORDER BY d.updated_at DESC"
    ):
        tag_list = json_list(tags)
        if nid and cur_body == body and json_list(cur_tags) == tag_list:
            continue
        out.append(
            Draft(
                _stored_text(k),
                None if nid is None else _stored_text(nid),
                _stored_text(tt),
                _stored_text(tid),
                _stored_text(body),
                tag_list,
                _stored_int(bv),
                _stored_text(upd),
            )
        )
    return out


def get_draft(conn: sqlite3.Connection, key: str) -> Draft | None:
    for d in list_drafts(conn):
        if d.key == key:
            return d
    return None


def discard_draft(store: Store, key: str) -> None:
    with writing(store) as conn:
        sqlite_db(conn).table("note_drafts").delete_where("key = ?", [key])
