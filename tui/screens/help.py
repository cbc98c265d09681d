"""The help screen (`?`): every key binding, grouped by where it works, with the keys in force.

Keys come from the bindings themselves with the user's keymap applied, so a remapped key shows
as remapped. Each row also shows the binding id to use in `keymap.toml`.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from paradiplo.db.i18n import N_, _
from paradiplo.db.paths import keymap_path
from paradiplo.db.text import display_safe
from paradiplo.tui.keymap import keys_in_force, with_key
from paradiplo.tui.keys import close_binding
from paradiplo.tui.screens.dialogs import DIALOG_CSS
from paradiplo.tui.widgets.dbwork import app_of
from paradiplo.tui.widgets.keybar import KeyBar

# Textual's own descriptions of Tab / Shift+Tab (Screen.BINDINGS), marked for the catalog:
# the help translates every description where it shows it.
TEXTUAL_KEY_WORDS = (N_("Focus Next"), N_("Focus Previous"))


def _sections() -> list[tuple[str, list[BindingType]]]:
    """(title, bindings) for every place the app binds keys, imported lazily."""
    from textual.screen import Screen

    from paradiplo.tui.app import ParadiploApp
    from paradiplo.tui.screens.glossary import GlossaryScreen
    from paradiplo.tui.screens.main import MainScreen
    from paradiplo.tui.screens.reader import SourceReaderScreen
    from paradiplo.tui.screens.sources import SourcesScreen
    from paradiplo.tui.widgets.case_list import CaseList
    from paradiplo.tui.widgets.detail import DetailView
    from paradiplo.tui.widgets.regions import RegionTree
    from paradiplo.tui.widgets.sectors import SectorList

    sections: list[tuple[str, list[BindingType]]] = [
        (
            N_("Everywhere"),
            [
                *ParadiploApp.BINDINGS,
                Binding(
                    "ctrl+p",
                    "command_palette",
                    "Command palette: find cases, regions, sectors, sources; export notes",
                ),
                *[
                    b
                    for b in Screen.BINDINGS
                    if isinstance(b, Binding) and b.key in ("tab", "shift+tab")
                ],
            ],
        ),
        (N_("Main screen"), list(MainScreen.BINDINGS)),
        (
            N_("1 Regions"),
            [
                *RegionTree.BINDINGS,
                Binding("enter", "select", "Filter by the region / partner (again: clear)"),
                Binding("space", "toggle", "Open / close the node"),
            ],
        ),
        (N_("2 Sectors"), list(SectorList.BINDINGS)),
        (N_("3 Agreements"), list(CaseList.BINDINGS)),
        (N_("4 Detail"), list(DetailView.BINDINGS)),
        (N_("Source reader"), list(SourceReaderScreen.BINDINGS)),
        (N_("Sources list"), list(SourcesScreen.BINDINGS)),
        (N_("Glossary"), list(GlossaryScreen.BINDINGS)),
    ]
    for title, module, cls_name in (
        (N_("Search"), "paradiplo.tui.screens.search", "SearchScreen"),
        (N_("Notes screen"), "paradiplo.tui.screens.notes", "NotesScreen"),
        (N_("Note editor"), "paradiplo.tui.screens.note_editor", "NoteEditorScreen"),
        (N_("Case form"), "paradiplo.tui.screens.case_form", "CaseFormScreen"),
        (
            N_("Attach a passage to a case"),
            "paradiplo.tui.screens.evidence",
            "AttachEvidenceScreen",
        ),
        (N_("Add a source"), "paradiplo.tui.screens.source_form", "SourceFormScreen"),
        (N_("Overview (v)"), "paradiplo.tui.screens.overview", "OverviewScreen"),
        (N_("A chart in the overview"), "paradiplo.tui.widgets.barchart", "BarChart"),
        (N_("Matrix (m in the overview)"), "paradiplo.tui.screens.matrix", "MatrixScreen"),
        (N_("A matrix's cells"), "paradiplo.tui.widgets.matrixgrid", "MatrixGrid"),
        (N_("Network (w in the overview)"), "paradiplo.tui.screens.network", "NetworkScreen"),
    ):
        try:
            mod = __import__(module, fromlist=[cls_name])
            cls = getattr(mod, cls_name)
        except (ImportError, AttributeError):
            continue
        own = [b for b in cls.__dict__.get("BINDINGS", [])]
        if own:
            sections.append((title, own))
    return sections


# "How do I…": the first tasks of a new user, step by step. {id} is the key in force for the
# binding with that id (remapped keys show as remapped).
TASKS: list[tuple[str, str]] = [
    (
        N_("Find a province's cooperations with a country"),
        N_(
            "{pane_regions} Regions, move to the province (j/k), Enter. Then {partners} jumps to the "
            "partner countries: move to the country, Enter. Both filters apply together; the "
            "Agreements pane lists the cases. x clears every filter, Escape the focused pane's."
        ),
    ),
    (
        N_("Read what a source says about a case"),
        N_(
            "Select the case in Agreements ({pane_agreements}), then {pane_detail} Detail: move to a "
            "quote with ↑↓ and press Enter. The source opens at that passage; [ and ] step "
            "between cited passages; Escape goes back."
        ),
    ),
    (
        N_("Search everything"),
        N_(
            "{search} then type: cases, source passages, notes and glossary terms, in Indonesian "
            "or English. Enter opens a result."
        ),
    ),
    (
        N_("Write and export notes"),
        N_(
            "{note_new} on a case, a region or a passage in the source reader; Ctrl+S saves. "
            "{notes} lists every note: x exports Markdown, t Markdown by tag, X JSON."
        ),
    ),
    (
        N_("Cite a quote"),
        N_(
            "In Detail or the source reader, {copy_quote} copies the selected quote with its "
            "citation. {sources} lists the sources with their provenance."
        ),
    ),
    (
        N_("Add your own sources and cases"),
        N_(
            "On the command line: paradiplo-tui sources add FILE, then paradiplo-tui cases add "
            "(see paradiplo-tui cases add --help), or paradiplo-tui import cases FILE."
        ),
    ),
]


class _Keys(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return key


def tasks_text(app: App[object], keymap: dict[str, str]) -> Text:
    """The task list with the keys in force filled in."""
    keys: dict[str, str] = {}
    for _title, bindings in _sections():
        for raw in bindings:
            b = _as_binding(raw)
            if b.id and b.id not in keys:
                first = (keys_in_force(b, keymap) or [b.key])[0].split(",")[0].strip()
                keys[b.id] = (
                    b.key_display
                    if b.key_display and b.id not in keymap
                    else app.get_key_display(with_key(b, first))
                )
    text = Text()
    for i, (task, steps) in enumerate(TASKS):
        if i:
            text.append("\n")
        text.append(f"• {_(task)}: ", style="bold")
        text.append(_(steps).format_map(_Keys(keys)))
    return text


def _as_binding(b: BindingType) -> Binding:
    if isinstance(b, Binding):
        return b
    return Binding(*b)


PANES = ("1 Regions", "2 Sectors", "3 Agreements", "4 Detail")


def binding_groups() -> list[list[BindingType]]:
    """The sets of bindings in force at the same time, for checking a keymap: the keys that
    work everywhere (Textual's own included) with the main screen and one pane, or with one
    of the other screens."""
    from textual.app import App
    from textual.screen import Screen

    sections = dict(_sections())
    everywhere = [*sections.pop("Everywhere"), *App.BINDINGS, *Screen.BINDINGS]
    main = sections.pop("Main screen")
    groups = [[*everywhere, *main, *sections.pop(pane)] for pane in PANES if pane in sections]
    return groups + [[*everywhere, *bindings] for bindings in sections.values()]


def all_binding_ids() -> list[str]:
    return [_as_binding(b).id or "" for _title, bs in _sections() for b in bs if _as_binding(b).id]


def _describe(binding: Binding) -> str:
    text = _(binding.description) if binding.description else binding.action
    if binding.tooltip:
        text += f" — {_(binding.tooltip)}"
    return text


def bindings_table(
    app: App[object], bindings: Iterable[BindingType], keymap: dict[str, str]
) -> Table:
    table = Table.grid(padding=(0, 2), expand=True)
    table.add_column(style="bold", width=14)
    table.add_column(ratio=1)
    table.add_column(style="dim", width=18, overflow="ellipsis", no_wrap=True)
    for raw in bindings:
        b = _as_binding(raw)
        keys = keys_in_force(b, keymap)
        shown = []
        for key in keys:
            for one in key.split(","):
                one = one.strip()
                if not one:
                    continue
                shown.append(
                    b.key_display
                    if b.key_display and not (b.id and b.id in keymap)
                    else app.get_key_display(with_key(b, one))
                )
        table.add_row(Text(" ".join(dict.fromkeys(shown))), Text(_describe(b)), Text(b.id or ""))
    return table


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = (
        DIALOG_CSS
        + """
    HelpScreen { align: center middle; }
    HelpScreen #help-body { width: 90%; max-width: 120; height: 90%; max-height: 90%; }
    HelpScreen .help-section { margin-top: 1; }
    """
    )

    BINDINGS = [close_binding("help", "escape,q,question_mark")]

    def compose(self) -> ComposeResult:
        keymap = dict(app_of(self).keymap)
        parts: list[Static] = [
            Static(Text(_("Keys"), style="bold"), classes="help-title"),
            Static(
                Text(
                    _(
                        "Remap any key with its id in {path} "
                        '(lines like: sort = "ctrl+o"). Tab / Shift+Tab move between panes; '
                        "the mouse works too."
                    ).format(path=display_safe(str(keymap_path()))),
                    style="dim",
                )
            ),
        ]
        parts.append(Static(Text(_("How do I…"), style="bold underline"), classes="help-section"))
        parts.append(Static(tasks_text(self.app, keymap)))
        for title, bindings in _sections():
            parts.append(Static(Text(_(title), style="bold underline"), classes="help-section"))
            parts.append(Static(bindings_table(self.app, bindings, keymap)))
        with VerticalScroll(id="help-body", classes="dialog"):
            yield from parts
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
