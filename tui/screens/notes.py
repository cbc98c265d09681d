"""All notes across cases, sources and regions: filter by tag and text, open, edit, export.

Orphaned notes (their case or source is no longer in the collection) are listed with a mark;
they cannot be opened but can be read, edited, deleted and exported like any other.
Dismisses with (target_type, target_id, anchor_start) for the app to open, or None.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Select, Static

from paradiplo.db import notes as notes_api
from paradiplo.db import notes_io
from paradiplo.db.i18n import _, number, record_title
from paradiplo.db.models import Note
from paradiplo.db.store import Store
from paradiplo.db.text import display_safe, local_time, target_word
from paradiplo.tui.keys import back_binding, jk_bindings
from paradiplo.tui.screens.choice import confirm_delete, say
from paradiplo.tui.screens.note_editor import NoteEditorScreen
from paradiplo.tui.widgets.dbwork import (
    DbResult,
    db_work,
)
from paradiplo.tui.widgets.fixed_input import FixedInput
from paradiplo.tui.widgets.keybar import KeyBar
from paradiplo.tui.widgets.note_card import NoteCard
from paradiplo.tui.widgets.note_changes import NoteChanges

FILTER_DELAY = 0.2
MAX_ROWS = 500  # rows shown at once; a filter narrows the rest down


def _row(n: Note) -> tuple[Text, Text, Text, Text]:
    """One table row, all literal text."""
    on_text = Text(display_safe(record_title(n.target_type, n.target_id, n.target_label)))
    if n.orphaned:
        on_text = Text("⚠ " + _("orphaned:") + " ", style="bold red") + on_text
    elif n.target_type != "case":
        word = _(target_word(n.target_type, n.target_id, n.target_label))
        on_text = Text(f"[{word}] ") + on_text
    return (
        on_text,
        Text(" ".join("#" + display_safe(t) for t in n.tags)),
        Text(local_time(n.updated_at)),
        Text(first_line(n.body)),
    )


def first_line(body: str, limit: int = 80) -> str:
    for line in display_safe(body).splitlines():
        if line.strip():
            return line.strip()[:limit]
    return ""


@dataclass
class NotesRead(DbResult):
    """The notes under the filters (at most MAX_ROWS), how many match, and the tags."""

    notes: list[Note]
    matching: int
    tags: list[tuple[str, int]] | None


@dataclass
class Exported(DbResult):
    path: Path


class NotesScreen(NoteChanges, Screen[tuple[str, str, int | None] | None]):
    """Every note, newest edit first."""

    DEFAULT_CSS = """
    NotesScreen { layout: vertical; }
    NotesScreen > #notes-title { height: 1; padding: 0 1; text-style: bold; }
    NotesScreen > #notes-filters { height: auto; }
    NotesScreen #notes-filter { width: 1fr; }
    NotesScreen #notes-tag { width: 36; }
    NotesScreen > #notes-table { height: 1fr; min-height: 5; }
    NotesScreen > #notes-preview {
        height: 40%; border-top: solid $primary-darken-2; padding: 0 1;
    }
    """

    BINDINGS = [
        back_binding("notes"),
        Binding("f", "focus_filter", "Filter", id="notes.filter"),
        Binding("e", "edit", "Edit", id="notes.edit"),
        Binding("d", "delete", "Delete", id="notes.delete"),
        Binding("u", "undo", "Undo delete", id="notes.undo"),
        Binding("x", "export('md')", "Export Markdown", id="notes.export_md"),
        Binding("t", "export('md', 'tag')", "Export by tag", id="notes.export_by_tag"),
        *jk_bindings("notes", "move(1)", "move(-1)"),
        Binding("X", "export('json')", "Export JSON", id="notes.export_json"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.notes: list[Note] = []
        self._filter_timer: Timer | None = None
        self._matching = 0

    def compose(self) -> ComposeResult:
        yield Static(Text(_("Notes")), id="notes-title")
        with Horizontal(id="notes-filters"):
            yield FixedInput(placeholder=_("Filter by text (f)"), id="notes-filter")
            yield Select[str]([], prompt=_("All tags"), id="notes-tag", allow_blank=True)
        table: DataTable[Any] = DataTable(id="notes-table", cursor_type="row", zebra_stripes=True)
        yield table
        with VerticalScroll(id="notes-preview"):
            yield NoteCard(None, with_target=True, empty=_("No notes match."), id="notes-card")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one("#notes-table", DataTable)
        table.add_column(Text(_("On")), key="on", width=34)
        table.add_column(Text(_("Tags")), key="tags")  # as wide as the longest tags
        table.add_column(Text(_("Edited")), key="edited", width=23)  # 30 September 2026 14:05
        table.add_column(Text(_("Note")), key="note")
        table.focus()
        self.reload(tags=True)

    def action_move(self, step: int) -> None:
        """j / k move in the list as the arrows do."""
        table = self.query_one("#notes-table", DataTable)
        if step > 0:
            table.action_cursor_down()
        else:
            table.action_cursor_up()

    # ---------------------------------------------------------------- loading
    @property
    def tag(self) -> str | None:
        value = self.query_one("#notes-tag", Select).value
        return value if isinstance(value, str) else None

    def reload(self, *, tags: bool = False) -> None:
        """Load the notes matching the filters (and the tag list) in a thread."""
        self.load(self.query_one("#notes-filter", Input).value, self.tag, tags)

    @db_work("notes-screen")
    def load(self, text: str, tag: str | None, tags: bool) -> NotesRead:
        conn = self.store.conn
        if text.strip():  # matched in Python: every note is read
            notes = notes_api.list_notes(conn, tag=tag, text=text)
            matching = len(notes)
        else:  # the newest MAX_ROWS, and a count of the rest
            notes = notes_api.list_notes(conn, tag=tag, limit=MAX_ROWS)
            matching = notes_api.count_notes(conn, tag=tag)
        return NotesRead(notes, matching, notes_api.all_tags(conn) if tags else None)

    def data_changed(self) -> None:
        """Another process (or window) changed the database: list the notes again, keeping
        the cursor; when a screen covers this one (a note being typed), once it is back."""
        if self.is_current:
            self.reload(tags=True)
        else:
            self._stale = True

    def on_screen_resume(self) -> None:
        if getattr(self, "_stale", False):
            self._stale = False
            self.reload(tags=True)

    def on_notes_read(self, message: NotesRead) -> None:
        if message.stale:
            return
        tag_list = message.tags
        if tag_list is not None:
            select = self.query_one("#notes-tag", Select)
            current = self.tag
            options = [(Text(f"#{display_safe(t)} ({n})"), t) for t, n in tag_list]
            with select.prevent(Select.Changed):
                select.set_options(options)
                if current in {t for t, _n in tag_list}:
                    select.value = current
        table = self.query_one("#notes-table", DataTable)
        keep = self.current.id if self.current else None
        self._matching = message.matching
        notes = message.notes[:MAX_ROWS]
        self.notes = notes
        table.clear()
        for n in notes:
            table.add_row(*_row(n), key=n.id)
        if keep is not None:
            for i, n in enumerate(notes):
                if n.id == keep:
                    table.move_cursor(row=i)
        self._update_title()
        self._preview()

    def _update_title(self) -> None:
        shown = len(self.notes)
        title = _("Notes: {n}").format(n=number(self._matching))
        if self._matching > shown:
            title += " " + _("(newest {n} shown; filter to narrow)").format(n=number(shown))
        filters = []
        text = self.query_one("#notes-filter", Input).value.strip()
        if text:
            filters.append(_("text “{text}”").format(text=display_safe(text)))
        if self.tag:
            filters.append(_("tag #{tag}").format(tag=display_safe(self.tag)))
        if filters:
            title += " " + _("matching {filters}").format(
                filters=(" " + _("and") + " ").join(filters)
            )
        orphans = sum(1 for n in self.notes if n.orphaned)
        if orphans:
            title += " · " + _("{n} orphaned").format(n=number(orphans))
        title += "  ·  " + _("Enter open · e edit · d delete · u undo · x/X export")
        self.query_one("#notes-title", Static).update(Text(title))

    @property
    def current(self) -> Note | None:
        table = self.query_one("#notes-table", DataTable)
        if not self.notes or table.cursor_row < 0 or table.cursor_row >= len(self.notes):
            return None
        return self.notes[table.cursor_row]

    def _preview(self) -> None:
        self.query_one("#notes-card", NoteCard).set_note(self.current)

    @on(DataTable.RowHighlighted, "#notes-table")
    def _highlighted(self) -> None:
        self._preview()

    # ---------------------------------------------------------------- filters
    @on(Input.Changed, "#notes-filter")
    def _filter_changed(self) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_DELAY, self.reload)

    @on(Input.Submitted, "#notes-filter")
    def _filter_submitted(self) -> None:
        self.query_one("#notes-table", DataTable).focus()

    @on(Select.Changed, "#notes-tag")
    def _tag_changed(self) -> None:
        self.reload()

    def action_focus_filter(self) -> None:
        self.query_one("#notes-filter", Input).focus()

    # ---------------------------------------------------------------- actions
    def action_back(self) -> None:
        if self.focused is self.query_one("#notes-filter", Input):
            self.query_one("#notes-table", DataTable).focus()
            return
        self.dismiss(None)

    @on(DataTable.RowSelected, "#notes-table")
    def _open(self) -> None:
        note = self.current
        if note is None:
            return
        if note.orphaned:
            say(
                self,
                _("Its {what} is no longer in the collection; e edits the note.").format(
                    what=_(note.target_type)
                ),
                title=_("Orphaned note"),
                severity="warning",
            )
            return
        self.dismiss((note.target_type, note.target_id, note.anchor_start))

    def action_edit(self) -> None:
        note = self.current
        if note is None:
            return
        self.app.push_screen(
            NoteEditorScreen(self.store, note.target_type, note.target_id, note.target_label, note),
            lambda _saved: self.reload(tags=True),
        )

    def action_delete(self) -> None:
        note = self.current
        if note is None:
            return
        confirm_delete(self, note, lambda: self._delete(note), first_line(note.body, 300))

    def _delete(self, note: Note) -> None:
        self.change_note("delete", note.id)

    def action_undo(self) -> None:
        self.undo_note_delete()

    def notes_changed(self) -> None:
        self.reload(tags=True)

    @db_work("notes-export", exclusive=False)
    def action_export(self, fmt: str, by: str = "case") -> Exported:
        from paradiplo.tui.state import load_state

        style = load_state().cite_style  # the citation style chosen in the app
        return Exported(notes_io.export_notes_to_file(self.store.conn, fmt, by, style))

    def on_exported(self, message: Exported) -> None:
        say(
            self,
            _("Notes exported to {path}").format(path=message.path),
            title=_("Export"),
            timeout=10,
        )
