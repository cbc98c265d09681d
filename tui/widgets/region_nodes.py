"""What the nodes of the Regions pane (widgets/regions.py) stand for, the messages about
them, and helpers over the trees of a `BrowseView`."""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.text import Text
from textual.message import Message

from paradiplo.db.i18n import _, data_label
from paradiplo.db.models import Filters, RegionNode
from paradiplo.db.record import record
from paradiplo.tui.widgets.dbwork import DbResult
from paradiplo.tui.widgets.text import one_line


@record
class NodeData:
    """What a tree node stands for: a filter key on one side, or a section heading."""

    side: str  # "region" | "partner"
    key: str | None  # None for the section heading
    label: str


@dataclass
class CountryRead(DbResult):
    """The regions or partners under a country of the tree, read when it was opened."""

    side: str
    key: str
    filters: Filters
    children: list[RegionNode]


def keys_above(nodes: list[RegionNode], key: str) -> list[str] | None:
    """The keys of the nodes from `nodes` down to `key`'s parent ([] if `key` is one of
    `nodes`), or None if `key` is not under them."""
    for node in nodes:
        if node.key == key:
            return []
        below = keys_above(node.children, key)
        if below is not None:
            return [node.key, *below]
    return None


def zeroed(nodes: list[RegionNode]) -> list[RegionNode]:
    """The nodes and everything under them with a count of 0."""
    return [replace(n, count=0, children=zeroed(n.children)) for n in nodes]


def name_text(data: NodeData, chosen: str | None) -> Text:
    """A node's label: its name in the interface language, shortened, with a ● when it is
    the `chosen` filter of its side (the count is drawn beside it by the tree)."""
    selected = data.key is not None and data.key == chosen
    text = Text()
    if selected:
        text.append("● ", style="bold")
    label = data.label
    if data.key is None:
        label = _(label)
    elif data.key == "pc:":
        label = _("Partner not named")
    elif data.key.startswith("pc:"):
        label = data_label("country", data.key[3:], label)
    else:
        label = data_label("actor_name", None, label)
    text.append_text(one_line(short_name(label), style="bold underline" if selected else ""))
    if data.key is None:
        text.stylize("bold")
    return text


def short_name(name: str) -> str:
    """'Kabupaten Trenggalek' -> 'Kab. Trenggalek', 'Provinsi Jawa Barat' -> 'Jawa Barat': the
    usual short forms (a province's name is its own), so a narrow tree
    still shows the name and its count (the filter bar and detail keep the full name)."""
    for long, short in (("Kabupaten ", "Kab. "), ("Provinsi ", "")):
        if name.startswith(long):
            return short + name[len(long) :]
    return name


class ClearRequest(Message):
    """Escape where there is nothing local to clear: clear every filter."""
