"""The Regions pane: Indonesian provinces and their regencies/cities, then partner countries.

One tree with two sections, so the partner side is one keypress away (`p` jumps between them):
'Indonesia' (country > province > regency/city, from `queries.region_tree`) and 'Partners
abroad' (country > partner, from `queries.partner_tree`). Each node shows its case count under
the other filters. Enter (or a click) on a node filters the agreements by it; Enter on the
section heading opens or closes it; Escape clears the filter of the side the cursor is on.

In a large collection the view lists some countries without their regions or partners
(`BrowseView.unread`): such a country is read when it is first opened, in a worker, under the
filters shown; from then on every view reads it (see `countries_read`), so its counts follow
the filters like the rest of the tree.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from paradiplo.db.i18n import N_, _, number
from paradiplo.db.models import Filters, RegionNode
from paradiplo.tui.widgets.dbwork import WorkFailed, run_db
from paradiplo.tui.widgets.region_nodes import (
    ClearRequest,
    CountryRead,
    NodeData,
    keys_above,
    name_text,
    short_name,
    zeroed,
)
from paradiplo.tui.widgets.scrolling import PaneSized

__all__ = ["ClearRequest", "NodeData", "RegionTree", "short_name"]  # imported from here

PARTNER_SECTION = "partners"
COUNT_STYLE = Style(dim=True)
OPEN_PROVINCES_UP_TO = 60  # regencies and cities shown open at first, at most


class RegionTree(PaneSized, Tree[NodeData]):
    """The region and partner tree. Posts `Chosen` when the user picks a node."""

    # Labels are cut to the pane's width, so nothing scrolls sideways. Without this the tree
    # measures its labels before it has a size, shows a horizontal scrollbar it does not need,
    # and costs the first screen one more layout and frame.
    DEFAULT_CSS = "RegionTree { overflow-x: hidden; }"

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="regions.down"),
        Binding("k", "cursor_up", "Up", show=False, id="regions.up"),
        Binding("right,l", "open_node", "Expand", show=False, id="regions.expand"),
        Binding("left,h", "close_node", "Collapse", show=False, id="regions.collapse"),
        Binding(
            "p", "other_side", "Partners", tooltip=N_("Jump to partners / regions"), id="partners"
        ),
        Binding("escape", "clear", "Clear", show=False, id="regions.clear"),
    ]

    @dataclass
    class Chosen(Message):
        """The user picked a region or partner filter (key None clears that side)."""

        side: str
        key: str | None
        label: str

    # The tree's height changes with every expand and collapse (and a filter chosen
    # elsewhere opens its province): PaneSized keeps that from re-arranging the screen.

    def __init__(self, **kwargs: object) -> None:
        super().__init__(Text(_("Regions")), **kwargs)  # type: ignore[arg-type]
        self.show_root = False
        self.guide_depth = 2
        self.auto_expand = False
        self.region_key: str | None = None
        self.partner_key: str | None = None
        self.loaded = False
        # (side, key) -> node and -> case count; a heading's key is None.
        self._by_key: dict[tuple[str, str | None], TreeNode[NodeData]] = {}
        self._counts: dict[tuple[str, str | None], int] = {}
        self._shown: tuple[list[RegionNode], list[RegionNode], Collection[str]] | None = None
        self._sections: dict[str, TreeNode[NodeData]] = {}
        self._style_cache: Style | None = None
        self._recounted: list[TreeNode[NodeData]] = []  # nodes whose count changed
        self._home_kind = ""  # the home country's key when it is the only one, else ""
        self._open_provinces = True
        # Children not added yet (their node is collapsed).
        self._deferred: dict[tuple[str, str | None], list[RegionNode]] = {}
        # Countries whose children the view did not read, and those being read now.
        self._unread: set[tuple[str, str | None]] = set()
        self._view_unread: Collection[str] = frozenset()
        self._reading: set[tuple[str, str]] = set()
        self.filters = Filters()  # the filters of the counts shown

    def process_label(self, label: str | Text) -> Text:
        """Plain strings are literal here, never markup (labels come from data)."""
        return label if isinstance(label, Text) else Text(label)

    # ---------------------------------------------------------- lines out of view
    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._show_more()

    def watch_virtual_size(self, old: Size, new: Size) -> None:
        super().watch_virtual_size(old, new)
        self._show_more()

    def on_resize(self) -> None:
        self._show_more()

    def _show_more(self) -> None:
        """The pane's bottom border says how many lines are below the view ("↓ 3 more"),
        so a sixth partner country scrolled out of sight is not taken for absent."""
        pane = self.parent
        if not isinstance(pane, Widget):
            return
        below = (
            self.virtual_size.height - int(self.scroll_y) - self.scrollable_content_region.height
        )
        above = int(self.scroll_y)
        parts = []
        if above > 0:
            parts.append(f"↑ {number(above)}")
        if below > 0:
            parts.append("↓ " + _("{n} more").format(n=number(below)))
        label = "  ".join(parts)
        if str(pane.border_subtitle or "") != label:
            pane.border_subtitle = label

    # -------------------------------------------------------------------- rendering
    @property
    def rich_style(self) -> Style:
        """The base style, looked up once per repaint: the tree asks for it on every line,
        and each lookup walks the DOM."""
        if self._style_cache is None:
            self._style_cache = super().rich_style
        return self._style_cache

    def render_lines(self, crop: Region) -> list[Strip]:
        self._style_cache = None
        return super().render_lines(crop)

    # A node's label holds its name (and the ● of the chosen filter); the count is drawn
    # from `_counts` when the line is rendered. So new counts repaint only their lines,
    # instead of rebuilding a tree of a thousand nodes after every filter change.
    def render_label(self, node: TreeNode[NodeData], base_style: Style, style: Style) -> Text:
        label = super().render_label(node, base_style, style)
        data = node.data
        count = self._counts.get((data.side, data.key)) if data is not None else None
        if count is not None:
            shown = f" {number(count)}"
            # Counts are never cut: a name too long for the pane ends in … before its count.
            room = self.scrollable_content_region.width - self._guide_width(node) - len(shown)
            if label.cell_len > room > 2:
                label.truncate(room, overflow="ellipsis")
            label.append(shown, style=COUNT_STYLE + style)
            if count == 0:
                label.stylize(COUNT_STYLE)
        return label

    def get_label_width(self, node: TreeNode[NodeData]) -> int:
        """Cheaper than rendering the label (the tree asks for every line's width). Never
        wider than the pane: long names are cut before their count, not scrolled."""
        data = node.data
        count = self._counts.get((data.side, data.key)) if data is not None else None
        label = node.label
        width = label.cell_len if isinstance(label, Text) else cell_len(label)
        width += len(f" {count:,}") if count is not None else 0
        width += cell_len(self.ICON_NODE) if node.allow_expand else 0
        room = self.scrollable_content_region.width - self._guide_width(node)
        return min(width, room) if room > 0 else width

    def _guide_width(self, node: TreeNode[NodeData]) -> int:
        """Cells of tree guides before the node's label (the root is hidden)."""
        depth = 0
        parent = node.parent
        while parent is not None:
            depth += 1
            parent = parent.parent
        return max(depth - 1, 0) * self.guide_depth

    def _name_text(self, data: NodeData) -> Text:
        return name_text(data, self.region_key if data.side == "region" else self.partner_key)

    # ------------------------------------------------------------------------ content
    def show(
        self,
        regions: list[RegionNode],
        partners: list[RegionNode],
        unread: Collection[str] = frozenset(),
        filters: Filters | None = None,
    ) -> None:
        """Show new counts (under `filters`), changing only what changed. The countries in
        `unread` have children not read yet: they are read when opened.

        The first call builds the tree; later calls update the counts in place and add only
        the nodes that appeared (a node with no case under the filters stays, with 0), so
        what is expanded and where the cursor is stay as they are. Same data as shown (a
        region filter does not change the region side): nothing to do.
        """
        self.filters = filters or Filters()
        if self._shown is not None and self._shown == (regions, partners, unread):
            return
        self._view_unread = unread
        # With one home country (the usual case) its provinces sit right under the heading:
        # one level less to indent in a narrow pane.
        home_label = regions[0].label if len(regions) == 1 else "Indonesian side"
        home_nodes = regions[0].children if len(regions) == 1 else regions
        home_kind = regions[0].key if len(regions) == 1 else ""
        if not self.loaded:
            self._build_first(home_label, home_nodes, partners)
        else:
            old_regions, old_partners, _old_unread = self._shown or ([], [], ())
            if regions != old_regions:
                if home_kind != self._home_kind:
                    self._rebuild_section("region", home_label, home_nodes)
                else:
                    self._update_section("region", home_label, home_nodes)
            if partners != old_partners:
                self._update_section("partner", N_("Partners abroad"), partners)
            self._expand_to_choice()
        self._home_kind = home_kind
        self._counts[("region", None)] = sum(n.count for n in regions)
        self._counts[("partner", None)] = sum(n.count for n in partners)
        self._recounted.extend(self._sections.values())
        self._repaint_counts()
        self._shown = (regions, partners, unread)

    def _build_first(
        self, home_label: str, home_nodes: list[RegionNode], partners: list[RegionNode]
    ) -> None:
        self.clear()
        self._by_key.clear()
        self._deferred.clear()
        self._unread.clear()
        # Provinces open at first only when their regencies and cities fit in a few
        # screens: a collection across Indonesia has hundreds, a long tree to build and scroll.
        # A country not read yet (`unread`) comes only with a collection too large for that.
        lines = sum(len(n.children) for n in home_nodes)
        unread = any(n.key in self._view_unread for n in home_nodes)
        self._open_provinces = lines <= OPEN_PROVINCES_UP_TO and not unread
        for side, label, nodes in (
            ("region", home_label, home_nodes),
            ("partner", N_("Partners abroad"), partners),
        ):
            data = NodeData(side, None, label)
            section = self.root.add(self._name_text(data), data)
            self._by_key[(side, None)] = section
            self._sections[side] = section
            self._add_all(section, nodes, side)
        for (_side, key), node in self._by_key.items():
            # Open the sections, Indonesia and its provinces: the common starting point.
            if node.children and self._opens_first(key):
                node.expand()
        self._expand_to_choice()
        self.loaded = True
        chosen = self.region_key or self.partner_key
        side = "region" if self.region_key else "partner"
        target = self._by_key.get((side, chosen)) if chosen else None
        if target is not None:
            self.call_after_refresh(self._move_to, target)
        else:
            self.cursor_line = 0

    def _add_all(self, parent: TreeNode[NodeData], nodes: list[RegionNode], side: str) -> None:
        for n in nodes:
            self._add_one(parent, n, side)

    def _add_one(
        self,
        parent: TreeNode[NodeData],
        n: RegionNode,
        side: str,
        before: TreeNode[NodeData] | None = None,
    ) -> TreeNode[NodeData]:
        """Add a node. Its children are added only if it opens at once; otherwise they wait
        until it is expanded (the partner side has hundreds of partners under collapsed
        countries: adding them all made the first load slow)."""
        data = NodeData(side, n.key, n.label)
        key = (side, n.key)
        self._counts[key] = n.count
        if n.key in self._view_unread:
            child = parent.add(self._name_text(data), data, before=before, allow_expand=True)
            self._by_key[key] = child
            self._unread.add(key)
        elif n.children:
            child = parent.add(self._name_text(data), data, before=before)
            self._by_key[key] = child
            if not self.loaded and self._opens_first(n.key):
                self._add_all(child, n.children, side)
            else:
                self._defer(key, n.children)
        else:
            child = parent.add_leaf(self._name_text(data), data, before=before)
            self._by_key[key] = child
        return child

    def _opens_first(self, key: str | None) -> bool:
        """Nodes open on the first load: the sections, Indonesia and (when they fit) its
        provinces."""
        if key is None or key == "c:ID":
            return True
        return key.startswith("p:") and self._open_provinces

    def _defer(self, key: tuple[str, str | None], children: list[RegionNode]) -> None:
        self._deferred[key] = children

    def _path_to(self, side: str, key: str) -> list[tuple[str, str | None]]:
        """The nodes to expand, top first, for `key` waiting under a collapsed node to be
        in the tree (searched only when a filter names a node not shown yet)."""
        for parent, children in self._deferred.items():
            path = keys_above(children, key) if parent[0] == side else None
            if path is not None:
                return [parent, *((side, k) for k in path)]
        return []

    def _materialize(self, node: TreeNode[NodeData]) -> None:
        """Add the children that were waiting for this node to be expanded (or read them,
        for a country whose children the view did not read)."""
        data = node.data
        if data is None:
            return
        if (data.side, data.key) in self._unread:
            self._read_children(data.side, data.key)
            return
        children = self._deferred.pop((data.side, data.key), None)
        if children:
            self._add_all(node, children, data.side)

    def _read_children(self, side: str, key: str | None) -> None:
        """Read a country's children under the filters shown, in a worker (see `CountryRead`)."""
        if key is None or (side, key) in self._reading:
            return
        from paradiplo.db.browse import country_children

        self._reading.add((side, key))
        filters = self.filters
        run_db(
            self,
            f"regions {key}",
            lambda store: CountryRead(
                side, key, filters, country_children(store.conn, filters, key)
            ),
        )

    def on_country_read(self, message: CountryRead) -> None:
        message.stop()
        key = (message.side, message.key)
        self._reading.discard(key)
        node = self._by_key.get(key)
        if key not in self._unread or node is None:
            return  # a view read this country meanwhile
        if message.filters != self.filters:  # the filters changed while it was read
            self._read_children(message.side, message.key)
            return
        self._unread.discard(key)
        self._merge(node, message.children, message.side)
        self._repaint_counts()

    def on_work_failed(self, message: WorkFailed) -> None:
        """A country could not be read: it can be opened again (the App says why)."""
        if message.group.startswith("regions "):
            key = message.group.removeprefix("regions ")
            self._reading.discard(("partner" if key.startswith("pc:") else "region", key))

    def countries_read(self) -> frozenset[str]:
        """The countries whose regions or partners the tree holds or is reading: every view
        reads them (`browse`'s `read_countries`), so their counts stay those of the filters."""
        held = {
            key
            for side_key in self._by_key
            if (key := side_key[1])
            and key.startswith(("c:", "pc:"))
            and side_key not in self._unread
        }
        return frozenset(held | {key for _side, key in self._reading})

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[NodeData]) -> None:
        self._materialize(event.node)

    def _rebuild_section(self, side: str, label: str, nodes: list[RegionNode]) -> None:
        """The home side switched between one country (provinces under the heading) and
        several: rebuild it (rare: only a filter that leaves one home country does this)."""
        section = self._sections[side]
        cursor = self.cursor_node
        stack = list(section.children)
        while stack:
            node = stack.pop()
            if node.data is not None:
                self._by_key.pop((node.data.side, node.data.key), None)
                self._counts.pop((node.data.side, node.data.key), None)
                self._deferred.pop((node.data.side, node.data.key), None)
                self._unread.discard((node.data.side, node.data.key))
            stack.extend(node.children)
        section.remove_children()
        self._add_all(section, nodes, side)
        self._update_section(side, label, nodes)
        gone = cursor is not None and cursor.data is not None and cursor.data.side == side
        if gone and cursor is not None and cursor.data is not None:
            gone = self._by_key.get((side, cursor.data.key)) is not cursor
        if gone:
            self.call_after_refresh(self._move_to, section)

    def _update_section(self, side: str, label: str, nodes: list[RegionNode]) -> None:
        section = self._sections[side]
        if section.data is not None and section.data.label != label:
            section.data = NodeData(side, None, label)
            section.set_label(self._name_text(section.data))
        self._merge(section, nodes, side)

    def _merge(self, parent: TreeNode[NodeData], nodes: list[RegionNode], side: str) -> None:
        """Make `parent`'s children show `nodes`: counts in place, nodes that appeared added
        where they belong, and nodes with no case under the filters kept with a count of 0
        (drawn dim, like the sectors pane): no rebuild, no cursor or expansion lost."""
        present = {c.data.key: c for c in parent.children if c.data is not None}
        for i, n in enumerate(nodes):
            if n.key not in present:
                anchor = next((present[m.key] for m in nodes[i + 1 :] if m.key in present), None)
                present[n.key] = self._add_one(parent, n, side, anchor)
        wanted = {n.key for n in nodes}
        for key, child in present.items():
            if key not in wanted:
                self._zero(child)
        for n in nodes:
            child = present[n.key]
            data = child.data
            if data is not None and data.label != n.label:
                child.data = NodeData(side, n.key, n.label)
                child.set_label(self._name_text(child.data))
            self._set_count(child, n.count)
            side_key = (side, n.key)
            if n.key in self._view_unread:
                self._not_read(child, side_key)
                continue
            self._unread.discard(side_key)
            if side_key in self._deferred or (n.children and not child.children):
                child.allow_expand = True
                self._defer(side_key, n.children)  # added when expanded, with these counts
            elif n.children:
                self._merge(child, n.children, side)
            elif child.children:
                for grandchild in child.children:
                    self._zero(grandchild)

    def _not_read(self, node: TreeNode[NodeData], key: tuple[str, str | None]) -> None:
        """A country the view did not read: its children are read when it opens, or now if
        the tree shows them already (a country opened while the view was being read)."""
        node.allow_expand = True
        self._deferred.pop(key, None)
        self._unread.add(key)
        if node.children:
            self._read_children(*key)

    def _set_count(self, node: TreeNode[NodeData], count: int) -> None:
        data = node.data
        if data is not None and self._counts.get((data.side, data.key)) != count:
            self._counts[(data.side, data.key)] = count
            self._recounted.append(node)

    def _repaint_counts(self) -> None:
        """Repaint the lines whose count changed. A few: line by line. Many (a sector filter
        changes every count): drop the tree's drawn lines at once and repaint it, since a
        repaint request per node costs more than drawing the twenty lines in view."""
        nodes, self._recounted = self._recounted, []
        if len(nodes) > 40 and isinstance(getattr(self, "_updates", None), int):
            self._updates += 1  # Tree's own cache key for drawn lines (textual.widgets._tree)
            self.refresh()
            return
        for node in nodes:
            node.refresh()  # repaints its line only (the label is drawn with the count)

    def _zero(self, node: TreeNode[NodeData]) -> None:
        stack = [node]
        while stack:
            n = stack.pop()
            self._set_count(n, 0)
            if n.data is not None and (n.data.side, n.data.key) in self._deferred:
                key = (n.data.side, n.data.key)
                self._deferred[key] = zeroed(self._deferred[key])
            stack.extend(n.children)

    def _expand_to_choice(self) -> None:
        """Open the branches that hold the chosen filters, so the ● is in view."""
        for side, key in (("region", self.region_key), ("partner", self.partner_key)):
            if not key:
                continue
            if (side, key) not in self._by_key:
                for ancestor in self._path_to(side, key):
                    node = self._by_key.get(ancestor)
                    if node is not None:
                        self._materialize(node)
            node = self._by_key.get((side, key))
            parent = node.parent if node is not None else None
            while parent is not None and parent is not self.root:
                if not parent.is_expanded:
                    self._materialize(parent)
                    parent.expand()
                parent = parent.parent

    def _move_to(self, node: TreeNode[NodeData]) -> None:
        if node.tree is self and node.line >= 0:
            self.move_cursor(node, animate=False)

    def _find(self, data: NodeData) -> TreeNode[NodeData] | None:
        return self._by_key.get((data.side, data.key))

    def set_choice(self, region: str | None, partner: str | None) -> None:
        """Mark the active filters: the old and the new chosen nodes are relabelled now."""
        changed = {("region", self.region_key), ("region", region)}
        changed |= {("partner", self.partner_key), ("partner", partner)}
        if (region, partner) == (self.region_key, self.partner_key):
            return
        self.region_key = region
        self.partner_key = partner
        for side, key in changed:
            node = self._by_key.get((side, key)) if key else None
            if node is not None and node.data is not None:
                node.set_label(self._name_text(node.data))

    # ------------------------------------------------------------------------ actions
    def on_tree_node_selected(self, event: Tree.NodeSelected[NodeData]) -> None:
        event.stop()
        data = event.node.data
        if data is None:
            return
        if data.key is None:
            # A section heading: Enter opens or closes it (Escape clears that side's filter).
            if event.node.is_expanded:
                event.node.collapse()
            else:
                self._materialize(event.node)
                event.node.expand()
            return
        current = self.region_key if data.side == "region" else self.partner_key
        key = None if data.key == current else data.key
        self.post_message(self.Chosen(data.side, key, data.label))

    def action_open_node(self) -> None:
        node = self.cursor_node
        if node is not None and node.allow_expand:
            self._materialize(node)
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
        self._materialize(target)
        target.expand()
        # Land on the section's first entry (a partner country, a province), not its heading.
        first = target.children[0] if target.children else target
        self.move_cursor(first, animate=False)
        self.scroll_to_node(target, animate=False)
        self.scroll_to_node(first, animate=False)

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
