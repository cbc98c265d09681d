"""The Regions pane: Indonesian provinces and their regencies/cities, then partner countries.

One tree with two sections, so the partner side is one keypress away (`p` jumps between them):
'Indonesia' (country > province > regency/city, from `queries.region_tree`) and 'Partners
abroad' (country > partner, from `queries.partner_tree`). Each node shows its case count under
the other filters. Enter (or a click) on a node filters the agreements by it; Enter on the
section heading, or Escape, clears that side's filter.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from db.models import RegionNode
from tui.widgets.text import one_line

PARTNER_SECTION = "partners"


@dataclass(frozen=True)
class NodeData:
    """What a tree node stands for: a filter key on one side, or a section heading."""

    side: str  # "region" | "partner"
    key: str | None  # None for the section heading
    label: str


class RegionTree(Tree[NodeData]):
    """The region and partner tree. Posts `Chosen` when the user picks a node."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="regions.down"),
        Binding("k", "cursor_up", "Up", show=False, id="regions.up"),
        Binding("right,l", "open_node", "Expand", show=False, id="regions.expand"),
        Binding("left,h", "close_node", "Collapse", show=False, id="regions.collapse"),
        Binding("p", "other_side", "Partners", tooltip="Jump to partners / regions", id="partners"),
        Binding("escape", "clear", "Clear", show=False, id="regions.clear"),
    ]

    @dataclass
    class Chosen(Message):
        """The user picked a region or partner filter (key None clears that side)."""

        side: str
        key: str | None
        label: str

    def __init__(self, **kwargs: object) -> None:
        super().__init__(Text("Regions"), **kwargs)  # type: ignore[arg-type]
        self.show_root = False
        self.guide_depth = 2
        self.auto_expand = False
        self.region_key: str | None = None
        self.partner_key: str | None = None
        self.loaded = False

    def process_label(self, label: str | Text) -> Text:
        """Plain strings are literal here, never markup (labels come from data)."""
        return label if isinstance(label, Text) else Text(label)

    # ------------------------------------------------------------------------ content
    def show(self, regions: list[RegionNode], partners: list[RegionNode]) -> None:
        """Replace the tree, keeping what was expanded and where the cursor was."""
        expanded = {
            (n.data.side, n.data.key)
            for n in self._all_nodes()
            if n.data is not None and n.is_expanded
        }
        cursor = self.cursor_node.data if self.cursor_node else None
        first_load = not self.loaded
        self.clear()
        total_home = sum(n.count for n in regions)
        total_partner = sum(n.count for n in partners)
        # With one home country (the usual case) its provinces sit right under the heading:
        # one level less to indent in a narrow pane.
        home_label = regions[0].label if len(regions) == 1 else "Indonesian side"
        home = self.root.add(
            self._label(home_label, total_home, "region", None, heading=True),
            NodeData("region", None, home_label),
        )
        self._add(home, regions[0].children if len(regions) == 1 else regions, "region")
        abroad = self.root.add(
            self._label("Partners abroad", total_partner, "partner", None, heading=True),
            NodeData("partner", None, "Partners abroad"),
        )
        self._add(abroad, partners, "partner")
        for node in self._all_nodes():
            data = node.data
            if data is None or not node.children:
                continue
            if first_load:
                # Open the sections, Indonesia and its provinces: the common starting point.
                if data.key is None or data.key == "c:ID" or data.key.startswith("p:"):
                    node.expand()
            elif (data.side, data.key) in expanded or self._holds_choice(node):
                node.expand()
        self.loaded = True
        target = self._find(cursor) if cursor else None
        if target is None and first_load:
            chosen = self.region_key or self.partner_key
            side = "region" if self.region_key else "partner"
            target = self._find(NodeData(side, chosen, "")) if chosen else None
        if target is not None:
            self.call_after_refresh(self._move_to, target)
        elif first_load:
            self.cursor_line = 0

    def _move_to(self, node: TreeNode[NodeData]) -> None:
        if node.tree is self and node.line >= 0:
            self.move_cursor(node, animate=False)

    def _holds_choice(self, node: TreeNode[NodeData]) -> bool:
        """Whether the chosen filter node sits somewhere under `node` (so keep it open)."""
        chosen = {self.region_key, self.partner_key} - {None}
        stack = list(node.children)
        while stack:
            child = stack.pop()
            if child.data and child.data.key in chosen:
                return True
            stack.extend(child.children)
        return False

    def _add(self, parent: TreeNode[NodeData], nodes: list[RegionNode], side: str) -> None:
        for n in nodes:
            data = NodeData(side, n.key, n.label)
            label = self._label(n.label, n.count, side, n.key)
            if n.children:
                child = parent.add(label, data)
                self._add(child, n.children, side)
            else:
                parent.add_leaf(label, data)

    def _label(
        self, name: str, count: int, side: str, key: str | None, *, heading: bool = False
    ) -> Text:
        chosen = self.region_key if side == "region" else self.partner_key
        selected = key is not None and key == chosen
        text = Text()
        if selected:
            text.append("● ", style="bold")
        text.append_text(one_line(short_name(name), style="bold underline" if selected else ""))
        if heading:
            text.stylize("bold")
        text.append(f" {count:,}", style="dim")
        return text

    def _all_nodes(self) -> list[TreeNode[NodeData]]:
        out: list[TreeNode[NodeData]] = []
        stack = list(self.root.children)
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(node.children)
        return out

    def _find(self, data: NodeData) -> TreeNode[NodeData] | None:
        for node in self._all_nodes():
            if node.data and node.data.side == data.side and node.data.key == data.key:
                return node
        return None

    def set_choice(self, region: str | None, partner: str | None) -> None:
        """Mark the active filters (labels are redrawn on the next `show`)."""
        self.region_key = region
        self.partner_key = partner

    # ------------------------------------------------------------------------ actions
    def on_tree_node_selected(self, event: Tree.NodeSelected[NodeData]) -> None:
        event.stop()
        data = event.node.data
        if data is None:
            return
        current = self.region_key if data.side == "region" else self.partner_key
        key = None if data.key == current else data.key
        self.post_message(self.Chosen(data.side, key, data.label))

    def action_open_node(self) -> None:
        node = self.cursor_node
        if node is not None and node.allow_expand:
            node.expand()

    def action_close_node(self) -> None:
        """Collapse the node, or go to its parent when it is closed already."""
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent, animate=False)

    def action_other_side(self) -> None:
        """Jump between the Indonesian side and the partners."""
        sections = list(self.root.children)
        if len(sections) < 2:
            return
        node = self.cursor_node
        while node is not None and node.parent is not None and node.parent is not self.root:
            node = node.parent
        target = sections[0] if node is sections[1] else sections[1]
        target.expand()
        self.move_cursor(target, animate=False)
        self.scroll_to_node(target, animate=False)

    def action_clear(self) -> None:
        """Escape: clear the filter of the side the cursor is on (or both)."""
        if self.region_key or self.partner_key:
            node = self.cursor_node
            side = node.data.side if node and node.data else "region"
            if side == "region" and not self.region_key:
                side = "partner"
            if side == "partner" and not self.partner_key:
                side = "region"
            self.post_message(self.Chosen(side, None, ""))
        else:
            self.screen.post_message(ClearRequest())

    def chosen_node(self) -> NodeData | None:
        """The node under the cursor (for 'new note on this region')."""
        node = self.cursor_node
        return node.data if node is not None else None


def short_name(name: str) -> str:
    """'Kabupaten Trenggalek' -> 'Kab. Trenggalek', the usual short form, so a narrow tree
    still shows the name and its count (the filter bar and detail keep the full name)."""
    for long, short in (("Kabupaten ", "Kab. "), ("Provinsi ", "Prov. ")):
        if name.startswith(long):
            return short + name[len(long) :]
    return name


class ClearRequest(Message):
    """Escape where there is nothing local to clear: clear every filter."""
