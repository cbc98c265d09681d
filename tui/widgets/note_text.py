"""A note's Markdown as one Rich Text, for panes that draw their own lines (the Detail pane).

Textual's Markdown widget mounts a widget per block: showing a case with notes cost several
layouts and frames. Here the same safe parser (no raw HTML, no auto-links) gives tokens that
become literal text with styles: emphasis, headings, lists, quotes, code and tables keep their
look, and nothing in a note is ever markup or a link that opens. The parser (markdown-it) is
imported on first use: most cases have no notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.text import Text

from paradiplo.db.i18n import _, data_label, number
from paradiplo.db.models import Note
from paradiplo.db.text import display_safe, local_time

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

PREVIEW_CHARS = 3000  # longer notes show a preview; the editor has the whole text

INLINE_STYLES = {"strong": "bold", "em": "italic", "s": "strike", "link": "underline"}
HEADING_STYLES = {"h1": "bold underline", "h2": "bold", "h3": "bold"}


@dataclass
class _State:
    blocks: list[tuple[Text, bool]] = field(default_factory=list)  # (block, tight: in a list)
    prefixes: list[str] = field(default_factory=list)  # what starts each line (nesting)
    numbers: list[int | None] = field(default_factory=list)  # per open list: next number
    bullet: str = ""  # the current list item's bullet, drawn on its first line only
    heading: str = ""
    row: list[Text] | None = None  # the table row being read


def safe_parser() -> MarkdownIt:
    """Markdown without raw HTML or auto-links: a note's text can only ever be text."""
    from markdown_it import MarkdownIt

    return MarkdownIt("gfm-like", {"html": False, "linkify": False})


def short_text(text: str, limit: int) -> str:
    """User text cut to `limit` characters, escape sequences removed, for display."""
    safe = display_safe(text)
    if len(safe) <= limit:
        return safe
    more = number(len(safe) - limit)
    return safe[:limit] + "… (" + _("{n} more characters").format(n=more) + ")"


def note_markdown(body: str, limit: int = PREVIEW_CHARS) -> str:
    """The Markdown shown for a note: escape sequences removed, long notes cut with a mark."""
    safe = display_safe(body)
    if len(safe) <= limit:
        return safe
    more = number(len(safe) - limit)
    return (
        safe[:limit] + "\n\n*… " + _("{n} more characters: press e to open.").format(n=more) + "*"
    )


def note_meta(note: Note, *, with_target: bool = False) -> Text:
    """'written … · edited … · #tags' (and the target) as literal text."""
    text = Text()
    if with_target:
        label = note.target_label
        if note.target_type == "case":
            label = data_label("case_title", note.target_id, label)
        text.append(display_safe(label), style="bold")
        if note.orphaned:
            text.append(" " + _("(orphaned)"), style="bold red")
        text.append(" · ")
    text.append(_("written {when}").format(when=local_time(note.created_at)), style="dim")
    if note.updated_at != note.created_at:
        text.append(
            " · " + _("edited {when}").format(when=local_time(note.updated_at)), style="dim"
        )
    if note.tags:
        text.append(" · ")
        text.append(" ".join("#" + display_safe(t) for t in note.tags), style="italic")
    if note.anchor_quote:
        text.append("\n“" + " ".join(short_text(note.anchor_quote, 200).split()) + "”", "dim")
    return text


def markdown_text(source: str) -> Text:
    """`source` (already made safe for display) as styled, literal text."""
    state = _State()
    for token in safe_parser().parse(source):
        _block(state, token)
    out = Text()
    previous_in_list = False
    for i, (block, in_list) in enumerate(state.blocks):
        if i:
            # Items of a list sit line under line; other blocks are a blank line apart.
            out.append("\n" if in_list and previous_in_list else "\n\n")
        out.append_text(block)
        previous_in_list = in_list
    return out


def _block(state: _State, token: Any) -> None:
    kind = token.type
    if kind in ("bullet_list_open", "ordered_list_open"):
        start = token.attrGet("start") if kind == "ordered_list_open" else None
        state.numbers.append(None if kind == "bullet_list_open" else int(start or 1))
    elif kind in ("bullet_list_close", "ordered_list_close"):
        state.numbers.pop()
    elif kind == "list_item_open":
        number = state.numbers[-1] if state.numbers else None
        state.bullet = "• " if number is None else f"{number}. "
        if number is not None:
            state.numbers[-1] = number + 1
        state.prefixes.append(" " * len(state.bullet))
    elif kind == "list_item_close":
        state.prefixes.pop()
    elif kind == "blockquote_open":
        state.prefixes.append("▌ ")
    elif kind == "blockquote_close":
        state.prefixes.pop()
    elif kind == "heading_open":
        state.heading = HEADING_STYLES.get(token.tag, "bold")
    elif kind == "heading_close":
        state.heading = ""
    elif kind == "tr_open":
        state.row = []
    elif kind == "tr_close" and state.row is not None:
        _add(state, Text(" │ ").join(state.row), tight=True)
        state.row = None
    elif kind == "inline":
        body = _inline(token.children or [])
        if state.row is not None:
            state.row.append(body)
            return
        if state.heading:
            body.stylize(state.heading)
        _add(state, body)
    elif kind in ("fence", "code_block"):
        _add(state, Text(token.content.rstrip("\n"), style="dim"))
    elif kind == "hr":
        _add(state, Text("─" * 20, style="dim"))


def _add(state: _State, body: Text, *, tight: bool = False) -> None:
    """Add a block: each line after the nesting prefixes (a list item's bullet first)."""
    out = Text()
    bullet, state.bullet = state.bullet, ""
    nested = "".join(state.prefixes[:-1] if bullet else state.prefixes)
    for i, line in enumerate(body.split("\n", allow_blank=True)):
        if i:
            out.append("\n")
        lead = nested + (bullet if i == 0 else " " * len(bullet))
        if lead:
            out.append(lead, style="dim")
        out.append_text(line)
    tight = tight or (bool(state.numbers) and bool(state.prefixes))
    state.blocks.append((out, tight))


def _inline(children: list[Any]) -> Text:
    text = Text()
    styles: list[str] = []
    for child in children:
        kind = child.type
        style = " ".join(styles)
        if kind == "text":
            text.append(child.content, style=style)
        elif kind == "code_inline":
            text.append(child.content, style=f"{style} reverse".strip())
        elif kind == "softbreak":
            text.append(" ")
        elif kind == "hardbreak":
            text.append("\n")
        elif kind == "image":
            text.append(child.content or "image", style=f"{style} dim".strip())
        elif kind.endswith("_open") and kind[:-5] in INLINE_STYLES:
            styles.append(INLINE_STYLES[kind[:-5]])
        elif kind.endswith("_close") and kind[:-6] in INLINE_STYLES:
            if styles:
                styles.pop()
        elif child.content:
            text.append(child.content, style=style)
    return text
