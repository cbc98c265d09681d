"""The notes on one target (a case, a source, a region), newest first, under its details.

Note text is the user's: it is rendered as Markdown, but never as Rich/Textual markup, with
terminal escape sequences removed, HTML off and links never opened; very long notes are cut
to a preview (the editor shows the whole text). Keys when focused: up/down choose a note,
e edit, d delete (asks first), u undo the last delete of this session.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from db import notes as notes_api
from db.errors import ParadiploError
from db.i18n import _, number
from db.models import Note
from db.store import Store
from db.text import display_safe

if TYPE_CHECKING:
    from tui.widgets.note_card import NoteCard

MAX_SHOWN = 50  # notes rendered in the panel; the notes screen lists them all

# Notes deleted in this session, per app, newest last: what `u` brings back.
_DELETED: weakref.WeakKeyDictionary[App[Any], list[str]] = weakref.WeakKeyDictionary()


def deleted_this_session(app: App[Any]) -> list[str]:
    """The undo stack of note deletions for this app run (shared by panel and notes screen)."""
    return _DELETED.setdefault(app, [])


def __getattr__(name: str) -> Any:
    """`NoteCard` and its helpers, still importable from here, loaded on first use."""
    if name in ("NoteCard", "PREVIEW_CHARS", "note_markdown", "note_meta", "safe_parser"):
        from tui.widgets import note_card

        return getattr(note_card, name)
    raise AttributeError(name)


class NotesPanel(Widget, can_focus=True):
    """The notes on one target. Call `show_target()`; it loads in a worker."""

    DEFAULT_CSS = """
    NotesPanel { height: auto; padding: 0 0; }
    NotesPanel > #notes-head { height: auto; text-style: bold; }
    NotesPanel > #notes-empty { color: $text-muted; height: auto; display: none; }
    NotesPanel > #notes-list { height: auto; }
    NotesPanel:focus > #notes-head { color: $accent; }
    """

    BINDINGS = [
        Binding("e", "edit", "Edit note", id="note_panel.edit"),
        Binding("d", "delete", "Delete note", id="note_panel.delete"),
        Binding("u", "undo", "Undo delete", id="note_panel.undo"),
        Binding("up", "move(-1)", "Previous note", show=False),
        Binding("down", "move(1)", "Next note", show=False),
    ]

    selected: reactive[int] = reactive(0)

    class NotesChanged(Message):
        """A note on this panel's target was edited, deleted or restored."""

        def __init__(self, target_type: str, target_id: str) -> None:
            super().__init__()
            self.target_type = target_type
            self.target_id = target_id

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.store: Store | None = None
        self.target_type = ""
        self.target_id = ""
        self.target_label = ""
        self.notes: list[Note] = []
        self._token = 0
        self._render_lock = asyncio.Lock()
        # The cards shown, in order. Kept here rather than queried: a card being mounted or
        # removed is already counted right, so a new case can reuse the cards at once.
        self._cards: list[NoteCard] = []
        self._shown_text = ""

    def compose(self) -> ComposeResult:
        yield Static(Text(_("Notes")), id="notes-head")
        yield Static(Text(""), id="notes-empty")
        yield Vertical(id="notes-list")

    # ---------------------------------------------------------------- loading
    def show_target(
        self, store: Store, target_type: str, target_id: str, target_label: str
    ) -> None:
        """Show the notes on this target (loads in a thread worker)."""
        self.store = store
        self.target_type, self.target_id, self.target_label = target_type, target_id, target_label
        self.selected = 0
        self.refresh_notes()

    def show_notes(
        self,
        store: Store,
        target_type: str,
        target_id: str,
        target_label: str,
        notes: list[Note],
    ) -> None:
        """Show notes the caller has loaded already (the main screen reads a case's notes in
        the same worker as the case): no query of its own, and the cards are filled in
        place, so moving between cases repaints once instead of remounting every card."""
        if (target_type, target_id) != (self.target_type, self.target_id):
            self.selected = 0
        self.store = store
        self.target_type, self.target_id, self.target_label = target_type, target_id, target_label
        self._token += 1  # a load still running for an earlier target is dropped
        self._fill_cards(notes)

    def refresh_notes(self) -> None:
        if self.store is None:
            return
        self._token += 1
        token, store = self._token, self.store
        ttype, tid = self.target_type, self.target_id

        def load() -> None:
            try:
                notes = notes_api.list_notes(store.conn, target_type=ttype, target_id=tid)
            except ParadiploError as exc:
                self.app.call_from_thread(self._load_failed, token, str(exc))
                return
            if ttype == "source":  # notes on the source's passages belong here too
                notes += notes_api.list_notes(store.conn, target_type="passage", target_id=tid)
                notes.sort(key=lambda n: n.updated_at, reverse=True)
            self.app.call_from_thread(self._show, token, notes)

        self.run_worker(load, thread=True, group="notes-panel", exit_on_error=False)

    def _load_failed(self, token: int, message: str) -> None:
        if token == self._token:
            empty = self.query_one("#notes-empty", Static)
            empty.update(
                Text(_("Notes could not be read: {error}").format(error=display_safe(message)))
            )
            empty.display = True

    def _show(self, token: int, notes: list[Note]) -> None:
        if token != self._token:
            return  # a newer target was chosen meanwhile
        self.run_worker(self._render_notes(token, notes), group="notes-render")

    async def _render_notes(self, token: int, notes: list[Note]) -> None:
        """Show the notes and wait until new cards are mounted (a render for an outdated
        load is skipped)."""
        async with self._render_lock:
            if token == self._token:
                pending = self._fill_cards(notes)
                for step in pending:
                    await step
                if pending:
                    self._mark_selected()

    def _fill_cards(self, notes: list[Note]) -> list[Awaitable[Any]]:
        """Show `notes`: reuse the cards there are, add or remove only the difference.
        Returns the mounts and removals still under way."""
        self.notes = notes
        n = len(notes)
        head = Text(_("Notes ({n})").format(n=number(n)) if n else _("Notes"))
        if n > MAX_SHOWN:
            head.append(" · " + _("newest {n} shown; N lists them all").format(n=number(MAX_SHOWN)))
        if not n:
            # One line when there is nothing to show: the pane's room is for the case.
            head.append(" · " + _("none here yet: press n to write one"), style="dim not bold")
        if head.plain != self._shown_text:
            self._shown_text = head.plain
            self.query_one("#notes-head", Static).update(head)
        self.query_one("#notes-empty").display = False
        shown = notes[:MAX_SHOWN]
        for card, note in zip(self._cards, shown, strict=False):
            card.set_note(note)
        pending: list[Awaitable[Any]] = []
        box = self.query_one("#notes-list", Vertical)
        if len(self._cards) > len(shown):
            extra = self._cards[len(shown) :]
            del self._cards[len(shown) :]
            pending.append(box.remove_children(extra))
        elif len(shown) > len(self._cards):
            from tui.widgets.note_card import NoteCard

            new = [NoteCard(note) for note in shown[len(self._cards) :]]
            self._cards += new
            pending.append(box.mount_all(new))
        self.selected = min(self.selected, max(0, min(n, MAX_SHOWN) - 1))
        self._mark_selected()
        return pending

    # ---------------------------------------------------------------- selection
    def watch_selected(self) -> None:
        self._mark_selected()

    def _mark_selected(self) -> None:
        if not self.is_mounted:
            return
        for i, card in enumerate(self._cards):
            card.set_class(i == self.selected, "-selected")
            if i == self.selected and self.has_focus and card.is_mounted:
                card.scroll_visible(animate=False)

    def action_move(self, step: int) -> None:
        count = min(len(self.notes), MAX_SHOWN)
        if count:
            self.selected = max(0, min(count - 1, self.selected + step))

    def on_focus(self) -> None:
        self._mark_selected()

    @property
    def current(self) -> Note | None:
        if 0 <= self.selected < min(len(self.notes), MAX_SHOWN):
            return self.notes[self.selected]
        return None

    # ---------------------------------------------------------------- actions
    def _changed(self) -> None:
        self.post_message(self.NotesChanged(self.target_type, self.target_id))
        self.refresh_notes()

    def action_edit(self) -> None:
        from tui.screens.note_editor import NoteEditorScreen

        note = self.current
        if note is None or self.store is None:
            return
        self.app.push_screen(
            NoteEditorScreen(self.store, note.target_type, note.target_id, note.target_label, note),
            lambda saved: self._changed() if saved is not None else self.refresh_notes(),
        )

    def action_delete(self) -> None:
        from tui.screens.note_editor import confirm_delete

        note = self.current
        if note is None or self.store is None:
            return
        confirm_delete(self, note, lambda: self._delete(note))

    def _delete(self, note: Note) -> None:
        store = self.store
        assert store is not None
        self._run_change(lambda: notes_api.delete_note(store, note.id), note.id, "Note deleted")

    def action_undo(self) -> None:
        from tui.screens.note_editor import say

        stack = deleted_this_session(self.app)
        if not stack or self.store is None:
            say(self, "Nothing to undo.")
            return
        note_id = stack.pop()
        store = self.store
        self._run_change(lambda: notes_api.restore_note(store, note_id), None, "Note restored")

    def _run_change(self, change: Callable[[], object], deleted: str | None, done: str) -> None:
        from tui.screens.note_editor import say

        def work() -> None:
            try:
                change()
            except ParadiploError as exc:
                say(self, str(exc), severity="error")
                return
            self.app.call_from_thread(self._after_change, deleted, done)

        self.run_worker(work, thread=True, group="notes-change", exit_on_error=False)

    def _after_change(self, deleted: str | None, done: str) -> None:
        from tui.screens.note_editor import say

        if deleted:
            deleted_this_session(self.app).append(deleted)
            done += " (u to undo)"
        say(self, done)
        self._changed()
