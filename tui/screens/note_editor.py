"""The note editor: multi-line Markdown with tags, explicit saves, drafts while typing.

Why it is built this way:
- Notes are the user's own work. Saving is explicit (Ctrl+S) and an "unsaved" marker shows
  whenever the text differs from what is stored; leaving with unsaved changes asks first.
- While the user types, a draft is written (in a thread, at most DRAFT_DELAY seconds after
  the first unsaved keystroke), so a crash or a closed terminal loses about a second of work.
  The draft is offered back at the next launch (see tui/screens/drafts.py).
- Saves carry the version the edit started from; if another window saved the same note in
  between, the user chooses: keep mine, keep theirs, or save mine as a new note.
- A failed save (read-only file, full disk, lock held too long) keeps the text in the editor
  and shows the reason from the data layer.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Static, TextArea

from paradiplo.db import notes as notes_api
from paradiplo.db.errors import ConflictError, NotFound, ParadiploError
from paradiplo.db.i18n import _, data_label
from paradiplo.db.models import Draft, Note
from paradiplo.db.store import Store
from paradiplo.db.text import clean_user_text, display_safe, local_time, target_word
from paradiplo.tui.screens.choice import ask_about_unsaved_note, ask_which_version, say
from paradiplo.tui.screens.form_dialog import save_cancel_bindings
from paradiplo.tui.widgets.dbwork import DbResult, db_work
from paradiplo.tui.widgets.fixed_input import FixedInput
from paradiplo.tui.widgets.note_text import short_text

DRAFT_DELAY = 0.5  # seconds from an unsaved keystroke to the draft write
_NEVER = 1 << 62  # a sequence number no edit reaches: no more drafts after "discard"


@dataclass
class StatusSaid(DbResult):
    """A line for the editor's status (kind "draft": how the last draft write went)."""

    text: str
    kind: str


@dataclass
class ContextLoaded(DbResult):
    label: str
    anchor: tuple[int, int, str] | None
    note: Note | None


@dataclass
class Saved(DbResult):
    note: Note


@dataclass
class SaveFailed(DbResult):
    text: str


@dataclass
class Conflicted(DbResult):
    error: ConflictError
    deleted: bool


@dataclass
class TheirsLoaded(DbResult):
    note: Note
    deleted: bool


class Discarded(DbResult):
    """The drafts of a discarded edit are gone: the editor closes."""


class NoteTextArea(TextArea):
    """A TextArea that never holds terminal escape sequences or control characters.

    Textual writes a TextArea's text to the terminal as is, so an ESC in it would reach the
    terminal (retitle it, clear the screen). Typed and pasted text is cleaned on the way in;
    loaded text is cleaned by the editor.
    """

    def _replace_via_keyboard(self, insert: str, start: Any, end: Any) -> Any:
        return super()._replace_via_keyboard(display_safe(insert), start, end)


class TagsInput(FixedInput):
    """The tags field; pasted text is cleaned like the note's text."""

    def _on_paste(self, event: events.Paste) -> None:
        # Textual then runs Input's own paste handler (handlers run along the MRO) with the
        # cleaned text; calling super() here would paste twice.
        event.text = display_safe(event.text)


class NoteEditorScreen(ModalScreen[Note | None]):
    """Write or edit one note. Dismisses with the last note saved here, or None."""

    DEFAULT_CSS = """
    NoteEditorScreen { align: center middle; }
    NoteEditorScreen > #editor-box {
        width: 96%; max-width: 120; height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    NoteEditorScreen #note-title { text-style: bold; height: auto; }
    NoteEditorScreen #note-anchor {
        color: $text-muted; height: auto; max-height: 4; margin-bottom: 0;
    }
    NoteEditorScreen #note-body { height: 1fr; }
    NoteEditorScreen #note-tags { margin-top: 0; }
    NoteEditorScreen #note-status { height: auto; }
    NoteEditorScreen #note-status.-unsaved { color: $warning; text-style: bold; }
    NoteEditorScreen #note-status.-error { color: $error; text-style: bold; }
    NoteEditorScreen #note-help { color: $text-muted; }
    """

    BINDINGS = save_cancel_bindings("note", "Save", ("close", "Close"))

    def __init__(
        self,
        store: Store,
        target_type: str,
        target_id: str,
        target_label: str,
        note: Note | None = None,
        draft: Draft | None = None,
        anchor: tuple[int, int, str] | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.target_type = note.target_type if note else target_type
        self.target_id = note.target_id if note else target_id
        self.target_label = target_label or (note.target_label if note else "")
        if anchor is None and note is not None and note.anchor_start is not None:
            end = note.anchor_end if note.anchor_end is not None else note.anchor_start
            anchor = (note.anchor_start, end, note.anchor_quote or "")
        self.note_anchor = anchor
        self._draft = draft
        self._note_id: str | None = note.id if note else (draft.note_id if draft else None)
        # The version the text started from. For a draft it is the version the draft was
        # typed on, so an edit made elsewhere since then is detected, not overwritten.
        self._version: int | None = note.version if note else None
        if draft is not None and draft.note_id and draft.base_version is not None:
            self._version = draft.base_version
        # What is stored: the text counts as unsaved while it differs from this.
        # None: not known yet (a draft of a note loaded in a worker): unsaved until then.
        self._baseline: tuple[str, list[str]] | None = (note.body, note.tags) if note else ("", [])
        if note is None and draft is not None and draft.note_id:
            self._baseline = None
        start = draft if draft is not None else note
        raw_body = start.body if start else ""
        # Escape sequences are never shown (they would reach the terminal); they are only
        # removed from the stored note if the user saves it.
        self._initial_body = display_safe(raw_body)
        self._hidden_controls = self._initial_body != raw_body
        self._initial_tags = display_safe(", ".join(start.tags)) if start else ""
        self._saved_note: Note | None = None
        # Drafts and saves are serialised by a lock and ordered by an edit sequence number:
        # a draft is written only for text newer than the last save.
        self._lock = threading.Lock()
        self._edit_seq = 0
        self._saved_seq = -1
        self._draft_timer: Timer | None = None
        self._has_draft = draft is not None  # a stored draft may need removing
        self._saving = False
        self._close_after_save = False
        self._status = ""
        self._status_kind = ""
        self._shown_status: str | None = None

    # ---------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        with Vertical(id="editor-box"):
            yield Static(self._title_text(), id="note-title")
            if self.note_anchor is not None:
                yield Static(self._anchor_text(), id="note-anchor")
            yield NoteTextArea(
                self._initial_body,
                id="note-body",
                soft_wrap=True,
                tab_behavior="focus",
                show_line_numbers=False,
                placeholder=_("Write your note (Markdown). Ctrl+S saves."),
            )
            yield TagsInput(
                self._initial_tags,
                id="note-tags",
                placeholder=_("Tags, comma or space separated (e.g. comparison, japan)"),
            )
            yield Static("", id="note-status", markup=False)
            yield Static(
                Text(_("Ctrl+S save · Esc close · Tab tags field · Ctrl+Z undo")), id="note-help"
            )

    def _title_text(self) -> Text:
        what = _("Edit note") if self._note_id else _("New note")
        word = target_word(self.target_type, self.target_id, self.target_label or "")
        text = Text(_("{what} on {target}:").format(what=what, target=_(word)) + " ")
        label = self.target_label or self.target_id
        if self.target_type == "case":
            label = data_label("case_title", self.target_id, label)
        text.append(display_safe(label))
        return text

    def _anchor_text(self) -> Text:
        assert self.note_anchor is not None
        quote = " ".join(short_text(self.note_anchor[2], 300).split())
        return Text(
            _("On the passage: “{quote}”").format(quote=quote)
            if quote
            else _("On a passage of this source")
        )

    def on_mount(self) -> None:
        body = self.query_one("#note-body", TextArea)
        body.move_cursor(body.document.end)
        body.focus()
        if self._draft is not None:
            self._status = _("recovered draft typed {when}").format(
                when=local_time(self._draft.updated_at)
            )
            self._status_kind = "notice"
        if self._hidden_controls:
            self._status = _(
                "escape sequences/control characters in this note are not shown; "
                "saving removes them"
            )
            self._status_kind = "notice"
        self._refresh_status()
        needs_label = not self.target_label
        needs_note = self._draft is not None and self._draft.note_id and self._saved_note is None
        needs_anchor = self._draft is not None and self.note_anchor is None
        if needs_label or needs_note or needs_anchor:
            self._load_context()

    @db_work("note-context")
    def _load_context(self) -> ContextLoaded | StatusSaid:
        """For a draft offered back: the note it edits, the target's label, the passage."""
        conn = self.store.conn
        label = self.target_label
        try:
            if not label:
                label, _orphaned = notes_api.target_label(conn, self.target_type, self.target_id)
            anchor = self.note_anchor
            if anchor is None and self._draft is not None:
                anchor = notes_api.draft_anchor(conn, self._draft)
            note: Note | None = None
            if self._draft is not None and self._draft.note_id:
                try:
                    note = notes_api.get_note(conn, self._draft.note_id, include_deleted=True)
                except NotFound:
                    note = None
        except Exception as exc:
            return StatusSaid(_("Could not load the note: {error}").format(error=exc), "error")
        return ContextLoaded(label, anchor, note)

    def on_status_said(self, message: StatusSaid) -> None:
        if message.kind == "draft":
            self._draft_written(message.text)
        else:
            self._set_status(message.text, message.kind)

    def on_context_loaded(self, message: ContextLoaded) -> None:
        self._context_loaded(message.label, message.anchor, message.note)

    def _context_loaded(
        self, label: str, anchor: tuple[int, int, str] | None, note: Note | None
    ) -> None:
        self.target_label = label
        if anchor is not None and self.note_anchor is None:
            self.note_anchor = anchor
            self.query_one("#editor-box").mount(
                Static(self._anchor_text(), id="note-anchor"), after="#note-title"
            )
        if note is not None:
            self._baseline = (note.body, note.tags)
            if self._version is None:
                self._version = note.version
        elif self._baseline is None:
            self._baseline = ("", [])
        self.query_one("#note-title", Static).update(self._title_text())
        self._refresh_status()

    # ---------------------------------------------------------------- state
    def _current(self) -> tuple[str, list[str]]:
        body = clean_user_text(self.query_one("#note-body", TextArea).text)
        tags = notes_api.parse_tags(self.query_one("#note-tags", Input).value)
        return body, tags

    def has_unsaved_changes(self) -> bool:
        """True while the text or tags differ from what is stored (or nothing is stored yet)."""
        if not self.is_mounted:
            return bool(self._draft)
        body, tags = self._current()
        if self._note_id is None and self._saved_note is None and not body.strip():
            return False  # an empty new note: nothing to lose
        if self._baseline is None:
            return True
        base_body, base_tags = self._baseline
        return body != display_safe(base_body) or tags != base_tags

    def _set_status(self, message: str, kind: str = "") -> None:
        self._status, self._status_kind = message, kind
        self._refresh_status()

    def _refresh_status(self) -> None:
        status = self.query_one("#note-status", Static)
        dirty = self.has_unsaved_changes()
        status.set_class(self._status_kind == "error", "-error")
        status.set_class(dirty and self._status_kind != "error", "-unsaved")
        marker = "● " + _("Unsaved changes") if dirty else ""
        parts = [p for p in (marker, self._status) if p]
        if self._note_id is None and not dirty and not self._saved_note:
            parts = [p for p in (self._status,) if p] or [_("New note: nothing written yet")]
        shown = " · ".join(parts)
        if shown != self._shown_status:  # typing must not re-render the status line per key
            self._shown_status = shown
            status.update(Text(shown))

    @on(TextArea.Changed, "#note-body")
    @on(Input.Changed, "#note-tags")
    def _edited(self) -> None:
        self._edit_seq += 1
        if self._status_kind == "saved" and self.has_unsaved_changes():
            self._status, self._status_kind = "", ""  # "Saved" is about older text
        self._refresh_status()
        if self._draft_timer is None:
            self._draft_timer = self.set_timer(DRAFT_DELAY, self._flush_draft)

    # ---------------------------------------------------------------- drafts
    def _flush_draft(self) -> None:
        self._draft_timer = None
        body, tags = self._current()
        seq = self._edit_seq
        if not self.has_unsaved_changes():
            if not self._has_draft:
                return
            body = ""  # back to the stored text: an empty draft removes the old one
        self._has_draft = bool(body)
        self._write_draft(body, tags, seq)

    def _draft_anchor(self) -> tuple[int, int] | None:
        return (
            (self.note_anchor[0], self.note_anchor[1])
            if self.note_anchor and not self._note_id
            else None
        )

    def save_draft_now(self) -> None:
        """Write the unsaved text as a draft at once, in this thread (the app is being ended,
        by SIGTERM or a closed terminal: the timer that would have written it will not run)."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if not self.is_mounted or not self.has_unsaved_changes():
            return
        body, tags = self._current()
        with self._lock:
            if self._edit_seq > self._saved_seq:
                self._store_draft(body, tags)

    def _store_draft(self, body: str, tags: list[str]) -> None:
        notes_api.save_draft(
            self.store,
            self.target_type,
            self.target_id,
            body,
            tags,
            note_id=self._note_id,
            base_version=self._version,
            anchor=self._draft_anchor(),
        )

    @db_work("note-draft", exclusive=False)
    def _write_draft(self, body: str, tags: list[str], seq: int) -> StatusSaid | None:
        """Holds the lock so a save and a draft never interleave."""
        with self._lock:
            if seq <= self._saved_seq:
                return None  # this text is saved (or discarded) already
            try:
                self._store_draft(body, tags)
            except Exception as exc:
                return StatusSaid(_("Draft not kept ({error})").format(error=exc), "draft")
        if body:
            stamp = datetime.now().strftime("%H:%M:%S")
            return StatusSaid(_("draft kept {when}").format(when=stamp), "draft")
        return None

    def _draft_written(self, message: str) -> None:
        """Say how the last draft write went, unless a save's outcome is being shown."""
        if self._status_kind in ("", "draft"):
            self._set_status(display_safe(message), "draft")

    # ---------------------------------------------------------------- saving
    def action_save(self) -> None:
        self._start_save("normal")

    def _start_save(self, mode: str) -> None:
        if self._saving:
            return
        body, tags = self._current()
        if not body.strip():
            self._save_failed(_("The note is empty; nothing was saved."))
            return
        self._saving = True
        self._set_status("Saving…", "saving")
        self._save(body, tags, self._edit_seq, mode)

    @db_work("note-save", exclusive=False)
    def _save(self, body: str, tags: list[str], seq: int, mode: str) -> DbResult:
        """One transaction; then the drafts of this text are dropped."""
        with self._lock:
            old_keys = {
                notes_api.draft_key(
                    self.target_type, self.target_id, self._note_id, anchor=self._draft_anchor()
                )
            }
            if self._draft is not None:
                old_keys.add(self._draft.key)
            try:
                if self._note_id is None or mode == "new":
                    note = notes_api.add_note(
                        self.store,
                        self.target_type,
                        self.target_id,
                        body,
                        tags,
                        anchor=self.note_anchor,
                    )
                else:
                    note = notes_api.update_note(
                        self.store,
                        self._note_id,
                        body,
                        tags,
                        expected_version=None if mode == "overwrite" else self._version,
                    )
            except ConflictError as exc:
                try:
                    deleted = notes_api.is_deleted(self.store.conn, exc.note_id)
                except Exception:
                    deleted = False
                return Conflicted(exc, deleted)
            except ParadiploError as exc:
                return SaveFailed(str(exc))
            except Exception as exc:  # never lose the text to an unexpected error
                return SaveFailed(_("Not saved: {error}").format(error=exc))
            self._note_id, self._version, self._saved_seq = note.id, note.version, seq
            self._draft = None
            old_keys.add(notes_api.draft_key(note.target_type, note.target_id, note.id))
            for key in old_keys:
                try:
                    notes_api.discard_draft(self.store, key)
                except ParadiploError:
                    pass  # a stale draft of a saved note is filtered out by list_drafts
        return Saved(note)

    def on_saved(self, message: Saved) -> None:
        self._saved(message.note)

    def on_save_failed(self, message: SaveFailed) -> None:
        self._save_failed(message.text)

    def on_conflicted(self, message: Conflicted) -> None:
        self._conflict(message.error, message.deleted)

    def _saved(self, note: Note) -> None:
        self._saving = False
        self._saved_note = note
        self._baseline = (note.body, note.tags)
        self.query_one("#note-title", Static).update(self._title_text())
        self._set_status(
            _("Saved {time}").format(time=datetime.now().strftime("%H:%M:%S")), "saved"
        )
        if self._close_after_save:
            self.dismiss(note)

    def _save_failed(self, message: str) -> None:
        self._saving = False
        self._close_after_save = False
        self._set_status(_("Not saved: {error}").format(error=display_safe(message)), "error")
        say(self, message, title=_("Note not saved"), severity="error")

    def _conflict(self, exc: ConflictError, deleted: bool) -> None:
        self._saving = False
        self._set_status(_("Changed elsewhere: choose which version to keep"), "error")
        ask_which_version(self, deleted, exc.current_body, self._conflict_answer)

    def _conflict_answer(self, answer: str | None) -> None:
        if answer == "mine":
            self._start_save("overwrite")
        elif answer == "new":
            self._start_save("new")
        elif answer == "theirs":
            self._load_theirs()
        else:
            self._close_after_save = False
            self._set_status(_("Not saved yet: the note was changed elsewhere"), "error")

    @db_work("note-theirs")
    def _load_theirs(self) -> DbResult:
        assert self._note_id is not None
        try:
            note = notes_api.get_note(self.store.conn, self._note_id, include_deleted=True)
            deleted = notes_api.is_deleted(self.store.conn, self._note_id)
        except ParadiploError as exc:
            return SaveFailed(str(exc))
        with self._lock:
            self._saved_seq = _NEVER
            try:
                notes_api.discard_draft(self.store, notes_api.draft_key("", "", self._note_id))
            except ParadiploError:
                pass
        return TheirsLoaded(note, deleted)

    def on_theirs_loaded(self, message: TheirsLoaded) -> None:
        self._theirs_loaded(message.note, message.deleted)

    def _theirs_loaded(self, note: Note, deleted: bool) -> None:
        if deleted:
            say(self, _("That note was deleted in the other window."), title=_("Kept theirs"))
            self.dismiss(None)
            return
        self._version = note.version
        self._baseline = (note.body, note.tags)
        self.query_one("#note-body", TextArea).load_text(display_safe(note.body))
        self.query_one("#note-tags", Input).value = display_safe(", ".join(note.tags))
        self._saved_seq = self._edit_seq  # no draft for anything typed before this
        self._set_status(_("showing their version"), "saved")
        if self._close_after_save:
            self.dismiss(note)

    # ---------------------------------------------------------------- leaving
    def action_close(self) -> None:
        if not self.has_unsaved_changes():
            if self._draft_timer is not None:
                self._draft_timer.stop()
                self._draft_timer = None
            self.dismiss(self._saved_note)
            return
        ask_about_unsaved_note(self, self._close_answer)

    def _close_answer(self, answer: str | None) -> None:
        if answer == "save":
            self._close_after_save = True
            self._start_save("normal")
        elif answer == "discard":
            if self._draft_timer is not None:
                self._draft_timer.stop()
                self._draft_timer = None
            self._discard_and_close()

    @db_work("note-discard")
    def _discard_and_close(self) -> Discarded:
        with self._lock:
            self._saved_seq = _NEVER
            keys = {
                notes_api.draft_key(
                    self.target_type, self.target_id, self._note_id, anchor=self._draft_anchor()
                )
            }
            if self._draft is not None:
                keys.add(self._draft.key)
            for key in keys:
                try:
                    notes_api.discard_draft(self.store, key)
                except ParadiploError:
                    pass
        return Discarded()

    def on_discarded(self, message: Discarded) -> None:
        self.dismiss(self._saved_note)
