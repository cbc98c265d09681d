"""The sources list: every source with its provenance, and the credit for the region data.

↑/↓ move, Enter opens the source in the reader, Escape goes back. The list pages from SQLite
(tui/widgets/source_list.py): a large collection has tens of thousands of citation sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Static

from paradiplo.db import queries
from paradiplo.db.i18n import N_, _, data_label, date_text, number
from paradiplo.db.models import Source
from paradiplo.db.sourceread import shown_citation
from paradiplo.db.store import Store
from paradiplo.tui.keys import back_binding, jk_bindings
from paradiplo.tui.screens.list_detail import ListDetailScreen
from paradiplo.tui.widgets.dbwork import DbResult, app_of, db_work, is_current, run_db
from paradiplo.tui.widgets.source_list import PAGE, SourceList
from paradiplo.tui.widgets.text import one_line, plain

REGION_CREDIT = N_(
    "Indonesia's provinces, regencies and cities: idn-area-data project "
    "(fityannugroho/idn-area-data, release 4.0.1), from Keputusan Menteri Dalam Negeri Nomor "
    "300.2.2-2138 Tahun 2025; Open Database License 1.0"
)


@dataclass
class ReferenceLoaded(DbResult):
    """The highlighted source as a reference: formatted, its key, what it lacks."""

    source_id: str
    style_label: str
    reference: str
    key: str
    missing: list[str]


def reference_text(message: ReferenceLoaded) -> Text:
    text = Text(_("Reference ({style})").format(style=_(message.style_label)) + "\n", style="bold")
    text.append_text(plain(message.reference))
    text.append("\n" + _("Citation key") + " ", style="dim")
    text.append_text(one_line(f"@{message.key}"))
    if message.missing:
        text.append("\n" + _("Missing for a complete reference:") + " ", style="bold")
        text.append_text(one_line(", ".join(message.missing)))
        text.append(
            "\n"
            + _(
                "(not stated by the text; a source you added is completed with"
                " paradiplo-tui sources set {id} ...)"
            ).format(id=message.source_id),
            style="dim",
        )
    return text


@dataclass
class SourcesLoaded(DbResult):
    count: int
    first_page: list[Source]


def provenance(src: Source) -> Group:
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1)
    rows = [
        (N_("Title"), src.title),
        (N_("Kind"), _(queries.SOURCE_KIND_LABELS.get(src.kind, src.kind))),
        (N_("Outlet"), src.outlet),
        (N_("Authors"), ", ".join(src.authors)),
        (N_("Affiliation"), src.affiliation),
        (N_("Published"), date_text(src.published) or _("undated")),
        (N_("Language"), src.language),
        (N_("Keywords"), ", ".join(src.keywords)),
        (N_("File"), src.file),
        (N_("URL"), getattr(src, "url", None)),
        (N_("Accessed"), date_text(getattr(src, "accessed", None))),
        (
            N_("Added by"),
            _("you (imported)") if src.origin == "user" else _("the bundled seed data"),
        ),
    ]
    fields = {"Kind": "kind", "Outlet": "outlet", "Title": "title", "Authors": "authors"}
    for label, value in rows:
        if value:
            cell = plain(value)
            if fields.get(label) in src.inferred:
                cell.append("  " + _("inferred, not stated by the text"), style="reverse")
            table.add_row(_(label), cell)
    parts: list[Text | Table] = [
        one_line(src.title or src.label, style="bold"),
        plain(shown_citation(src.citation), style="italic"),
        table,
    ]
    for heading, excerpts in ((N_("Abstract"), src.abstract), (N_("Findings"), src.findings)):
        if not excerpts:
            continue
        block = Text(
            _("{heading} (verbatim from the text)").format(heading=_(heading)) + "\n", style="bold"
        )
        for x in excerpts:
            if x.language:
                block.append(f"[{x.language}] ", style="dim")
            block.append_text(plain(x.text, style="italic"))
            block.append("\n")
        parts.append(block)
    if src.notes:
        notes = Text(_("Notes on this source") + "\n", style="bold")
        for n in src.notes:
            notes.append("• ")
            notes.append_text(plain(data_label("source_note", src.id, n)))
            notes.append("\n")
        parts.append(notes)
    parts.append(Text(_("Enter opens the full text."), style="dim"))
    return Group(*parts)


class SourcesScreen(ListDetailScreen[str | None]):
    """All sources; dismisses with the id of the source to open, or None."""

    DEFAULT_CSS = """
    SourcesScreen #sources-body { height: 1fr; }
    SourcesScreen #credit { height: auto; padding: 0 1; }
    """

    NAME = "sources"

    BINDINGS = [
        back_binding("sources"),
        *jk_bindings("sources"),
    ]

    def make_list(self, **kwargs: Any) -> Widget:
        return SourceList(**kwargs)

    def compose_detail(self) -> ComposeResult:
        yield Static(id="source-provenance")
        yield Static(id="source-reference")

    def compose_below(self) -> ComposeResult:
        yield Static(Text(_("Region data:") + " " + _(REGION_CREDIT), style="dim"), id="credit")

    def on_mount(self) -> None:
        self.query_one("#sources-list").border_title = _("Sources")
        self.query_one("#sources-detail").border_title = _("Provenance")
        self.load()
        self.query_one(SourceList).focus()

    def data_changed(self) -> None:
        """Another process added or changed sources: list them again, keeping the place."""
        self.load()

    @db_work("sources")
    def load(self) -> SourcesLoaded:
        conn = app_of(self).store.conn
        return SourcesLoaded(
            queries.count_sources(conn), queries.list_sources(conn, limit=PAGE, offset=0)
        )

    def on_sources_loaded(self, message: SourcesLoaded) -> None:
        if message.stale:
            return
        source_list = self.query_one(SourceList)
        was = source_list.current.id if source_list.count and source_list.current else None
        source_list.border_title = _("Sources ({n})").format(n=number(message.count))
        source_list.reset(message.count, message.first_page)
        keep = next((i for i, s in enumerate(message.first_page) if s.id == was), None)
        if keep:
            source_list.cursor = keep

    def on_source_list_highlighted(self, message: SourceList.Highlighted) -> None:
        if message.source is not None:
            self.query_one("#source-provenance", Static).update(provenance(message.source))
            self._load_reference(message.source.id)

    def _load_reference(self, source_id: str) -> None:
        style = getattr(self.app, "state", None)
        style_id = getattr(style, "cite_style", "apa")

        def load(store: Store) -> ReferenceLoaded:
            from paradiplo.db import cite

            (ref,) = cite.read_sources(store.conn, [source_id])
            (formatted,) = cite.format_refs([ref], style_id, "text")
            label = cite.STYLES[style_id][2]
            return ReferenceLoaded(source_id, label, formatted.reference, ref.key, ref.missing())

        run_db(self, "source-reference", load)

    def on_reference_loaded(self, message: ReferenceLoaded) -> None:
        if not is_current(self, message):
            return
        current = self.query_one(SourceList).current
        if current is not None and current.id == message.source_id:
            self.query_one("#source-reference", Static).update(reference_text(message))

    def on_source_list_selected(self, message: SourceList.Selected) -> None:
        self.dismiss(message.source_id)

    def focused_target(self) -> tuple[str, str, str] | None:
        """'n' here writes a note on the highlighted source."""
        src = self.query_one(SourceList).current
        return ("source", src.id, src.title or src.label) if src else None

    def action_back(self) -> None:
        self.dismiss(None)

    def action_down(self) -> None:
        self.query_one(SourceList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(SourceList).action_cursor_up()
