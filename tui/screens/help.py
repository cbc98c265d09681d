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
from textual.widgets import Footer, Static

from db.paths import keymap_path
from db.text import display_safe
from tui.keymap import keys_in_force, with_key
from tui.widgets.dbwork import app_of


def _sections() -> list[tuple[str, list[BindingType]]]:
    """(title, bindings) for every place the app binds keys, imported lazily."""
    from textual.screen import Screen

    from tui.app import ParadiploApp
    from tui.screens.glossary import GlossaryScreen
    from tui.screens.main import MainScreen
    from tui.screens.reader import SourceReaderScreen
    from tui.screens.sources import SourcesScreen
    from tui.widgets.case_list import CaseList
    from tui.widgets.detail import DetailView
    from tui.widgets.regions import RegionTree
    from tui.widgets.sectors import SectorList

    sections: list[tuple[str, list[BindingType]]] = [
        (
            "Everywhere",
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
        ("Main screen", list(MainScreen.BINDINGS)),
        (
            "1 Regions",
            [
                *RegionTree.BINDINGS,
                Binding("enter", "select", "Filter by the region / partner (again: clear)"),
                Binding("space", "toggle", "Open / close the node"),
            ],
        ),
        ("2 Sectors", list(SectorList.BINDINGS)),
        ("3 Agreements", list(CaseList.BINDINGS)),
        ("4 Detail", list(DetailView.BINDINGS)),
        ("Source reader", list(SourceReaderScreen.BINDINGS)),
        ("Sources list", list(SourcesScreen.BINDINGS)),
        ("Glossary", list(GlossaryScreen.BINDINGS)),
    ]
    for title, module, cls_name in (
        ("Search", "tui.screens.search", "SearchScreen"),
        ("Notes screen", "tui.screens.notes", "NotesScreen"),
        ("Note editor", "tui.screens.note_editor", "NoteEditorScreen"),
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


def _as_binding(b: BindingType) -> Binding:
    if isinstance(b, Binding):
        return b
    return Binding(*b)


def all_binding_ids() -> list[str]:
    return [_as_binding(b).id or "" for _title, bs in _sections() for b in bs if _as_binding(b).id]


def _describe(binding: Binding) -> str:
    text = binding.description or binding.action
    if binding.tooltip:
        text += f" — {binding.tooltip}"
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
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        keymap = dict(app_of(self).keymap)
        parts: list[Static] = [
            Static(Text("Keys", style="bold"), classes="help-title"),
            Static(
                Text(
                    f"Remap any key with its id in {display_safe(str(keymap_path()))} "
                    '(lines like: sort = "ctrl+o"). Tab / Shift+Tab move between panes; '
                    "the mouse works too.",
                    style="dim",
                )
            ),
        ]
        for title, bindings in _sections():
            parts.append(Static(Text(title, style="bold underline"), classes="help-section"))
            parts.append(Static(bindings_table(self.app, bindings, keymap)))
        with VerticalScroll(id="help-body", classes="dialog"):
            yield from parts
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
