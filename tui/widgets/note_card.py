"""One note as a card: its times and tags, then its text as safe Markdown.

Used by the notes screen (N) for the note under the cursor. A module of its own because
Markdown (markdown-it, Textual's Markdown widget and the note editor's helpers) costs about a
tenth of a second to import: it loads when the notes screen opens, never at start-up.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.widgets import Markdown, Static

from paradiplo.db.models import Note
from paradiplo.tui.widgets.note_text import note_markdown, note_meta, safe_parser


class NoteCard(Vertical):
    """One note: its times and tags, then its text as safe Markdown. `set_note` updates it in
    place (no remounting, so it is safe to call as often as the cursor moves)."""

    DEFAULT_CSS = """
    NoteCard {
        height: auto; padding: 0 1; margin-bottom: 1;
        border-left: outer $primary-darken-3;
    }
    NoteCard.-selected { border-left: outer $accent; background: $boost; }
    NoteCard > .note-meta { height: auto; }
    NoteCard > Markdown { margin: 0; padding: 0; background: transparent; }
    """

    def __init__(
        self,
        note: Note | None,
        *,
        with_target: bool = False,
        empty: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.note = note
        self._with_target = with_target
        self._empty = empty

    def _meta(self) -> Text:
        if self.note is None:
            return Text(self._empty)
        return note_meta(self.note, with_target=self._with_target)

    def compose(self) -> ComposeResult:
        yield Static(self._meta(), classes="note-meta")
        yield Markdown(
            note_markdown(self.note.body) if self.note else "",
            open_links=False,
            parser_factory=safe_parser,
        )

    def set_note(self, note: Note | None) -> None:
        if note == self.note:
            return
        self.note = note
        try:
            meta = self.query_one(".note-meta", Static)
            markdown = self.query_one(Markdown)
        except NoMatches:
            return  # not composed yet: compose shows `self.note`
        meta.update(self._meta())
        markdown.update(note_markdown(note.body) if note else "")

    @on(Markdown.LinkClicked)
    def _link(self, event: Markdown.LinkClicked) -> None:
        event.stop()  # links in notes are text: never opened
