"""One note as a card: its times and tags, then its text as safe Markdown.

Kept apart from the notes panel because Markdown (markdown-it, Textual's Markdown widget and
the note editor's helpers) costs about a tenth of a second to import: the main screen shows a
notes panel at once, but most cases have no notes, so this loads when the first card is due.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.widgets import Markdown, Static

from db.models import Note
from db.text import display_safe
from tui.screens.note_editor import local_time, short_text

PREVIEW_CHARS = 3000  # longer notes show a preview; the editor has the whole text


def safe_parser() -> MarkdownIt:
    """Markdown without raw HTML or auto-links: a note's text can only ever be text."""
    return MarkdownIt("gfm-like", {"html": False, "linkify": False})


def note_markdown(body: str, limit: int = PREVIEW_CHARS) -> str:
    """The Markdown shown for a note: escape sequences removed, long notes cut with a mark."""
    safe = display_safe(body)
    if len(safe) <= limit:
        return safe
    return safe[:limit] + f"\n\n*… {len(safe) - limit:,} more characters: press e to open.*"


def note_meta(note: Note, *, with_target: bool = False) -> Text:
    """'written … · edited … · #tags' (and the target) as literal text."""
    text = Text()
    if with_target:
        text.append(display_safe(note.target_label), style="bold")
        if note.orphaned:
            text.append(" (orphaned)", style="bold red")
        text.append(" · ")
    text.append(f"written {local_time(note.created_at)}", style="dim")
    if note.updated_at != note.created_at:
        text.append(f" · edited {local_time(note.updated_at)}", style="dim")
    if note.tags:
        text.append(" · ")
        text.append(" ".join("#" + display_safe(t) for t in note.tags), style="italic")
    if note.anchor_quote:
        text.append("\n“" + " ".join(short_text(note.anchor_quote, 200).split()) + "”", "dim")
    return text


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
