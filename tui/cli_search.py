"""`paradiplo-tui search`: the app's ranked search from the command line."""

from __future__ import annotations

from typing import Any

import click
from rich.text import Text

from paradiplo.db.i18n import _, data_label
from paradiplo.db.labels import search_kind
from paradiplo.db.text import display_safe
from paradiplo.tui.cli_base import OnFirstUse, _t, command, console, fields_of, reads

search_api = OnFirstUse("paradiplo.db.search")


def _search(conn: Any, query: tuple[str, ...], limit: int) -> list[Any]:
    return list(search_api.search(conn, " ".join(query), limit=limit))


def hit_record(h: Any) -> dict[str, Any]:
    snippet = h.snippet.replace(search_api.HL_OPEN, "").replace(search_api.HL_CLOSE, "")
    return {
        **fields_of(h, "kind", "id:ref_id", "title"),
        "snippet": snippet,
        **fields_of(h, "score", "case_id", "source_id", "anchor_start", "anchor_end"),
    }


@command("search")
@click.argument("query", nargs=-1, required=True)
@click.option(
    "--limit", type=click.IntRange(1, 1000), default=20, show_default=True, help="Hits to show."
)
@reads(_search, hit_record)
def search_cmd(hits: list[Any], query: tuple[str, ...], limit: int) -> None:
    """Search cases, source passages, notes and glossary terms.

    The same ranked hits as the app's search (/), without the pane filters. Any text is a
    query: "quoted words" match as a phrase; Indonesian affixes, compounds (kerjasama /
    kerja sama) and English/Indonesian synonyms (Japan / Jepang) match too.
    """
    if not hits:
        console.print(_t(_("No matches for “{query}”.").format(query=" ".join(query))))
        return
    for h in hits:
        title = data_label("case_title", h.ref_id, h.title) if h.kind == "case" else h.title
        line = Text(f"{search_kind(h.kind):8} ", style="dim") + Text(
            display_safe(title), style="bold"
        )
        line += Text(f"  {h.ref_id}", style="dim")
        console.print(line)
        console.print(Text("   ") + snippet_text(h.snippet))


def snippet_text(snippet: str) -> Text:
    out = Text()
    for i, part in enumerate(
        display_safe(
            snippet.replace(search_api.HL_OPEN, "\x00")
            .replace(search_api.HL_CLOSE, "\x00")
            .replace("\x00", "\uffff")
        ).split("\uffff")
    ):
        out.append(part.replace("\n", " "), style="bold reverse" if i % 2 else "")
    return out


COMMANDS = (search_cmd,)
