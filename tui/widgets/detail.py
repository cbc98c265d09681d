"""The Detail pane: one case in full, every fact with the quotes behind it, then the notes.

Facts show what the sources say ("as stated") next to the normalised value, with the numbers of
the quotes that support them (⟨1⟩). What the sources leave unclear is listed as unclear, and the
PP 28/2018 category is marked as derived by this app. The quotes are a cursor list: ↑/↓ (j/k)
move between them, Enter opens the source at the quote, `y` copies it with its citation.

The pane draws its own lines (Textual's line API, like the Agreements list): a case is
rendered to lines once, and showing the next one changes the lines and the scroll height
without mounting, resizing or re-arranging any widget. With widgets per block, every case
cost two screen layouts and a third frame for the scrollbars (about 60 ms at 60 frames a
second); now it is one repaint of the pane.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from db.models import Actor, CaseDetail, Evidence
from tui.widgets.scrolling import set_virtual_size
from tui.widgets.text import fact_label, join, one_line, plain

LEVEL_WORDS = {
    "regency_or_city": "regency or city (not stated which)",
    "province": "province",
    "regency": "regency (kabupaten)",
    "city": "city (kota)",
    "country": "country",
    "state": "state",
}
KIND_WORDS = {
    "state": "a state",
    "sub_state": "a sub-state government",
    "non_state": "a non-state body",
    "unknown": "kind not stated",
}


CASE_CONTEXT = "the case"


@dataclass(frozen=True)
class QuoteRef:
    """One quote in the detail view: which record it backs (the 'context') and the evidence."""

    number: int
    context: str
    evidence: Evidence


def quote_text(ref: QuoteRef) -> Text:
    """A quote with its number, what it backs, its citation and the facts it supports."""
    e = ref.evidence
    text = Text(f"{ref.number}  ", style="bold")
    text.append_text(one_line(ref.context, style="dim"))
    text.append("\n“")
    if e.quote:
        text.append_text(plain(e.quote, style="italic"))
    else:
        text.append("(no quote recorded: the source is cited as a whole)", style="dim")
    text.append("”\n— ")
    text.append_text(plain(e.citation, style="dim"))
    if e.supports:
        text.append("\nsupports: ", style="dim")
        text.append_text(one_line(", ".join(fact_label(f) for f in e.supports)))
    if e.start is None and e.quote:
        text.append("\n(the quote could not be located in the source text)", style="dim")
    return text


def _actor_text(actor: Actor, refs: str) -> Text:
    text = one_line(actor.name, style="bold")
    bits = []
    level = LEVEL_WORDS.get(actor.level or "", actor.level or "")
    if level:
        bits.append(level)
    if actor.province_name and actor.level != "province":
        bits.append(actor.province_name)
    if actor.country_name:
        bits.append(actor.country_name)
    if actor.kind and actor.kind in KIND_WORDS and actor.kind != "sub_state":
        bits.append(KIND_WORDS[actor.kind])
    if bits:
        text.append_text(one_line(" — " + ", ".join(bits)))
    text.append(refs, style="bold")
    if actor.as_stated and actor.as_stated != actor.name:
        text.append("\nas stated: ", style="dim")
        text.append_text(one_line(f"“{actor.as_stated}”", style="italic"))
    if actor.resolution:
        text.append("\n")
        text.append_text(plain(actor.resolution, style="dim"))
    for item in actor.unclear:
        text.append("\nunclear: ", style="bold reverse")
        text.append(" ")
        text.append_text(plain(item))
    return text


def _stated(value: str | None, as_stated: str | None, refs: str, missing: str) -> Text:
    if not value and not as_stated:
        return Text(missing, style="dim italic")
    text = Text()
    if value:
        text.append_text(one_line(value))
    if as_stated and as_stated != value:
        if value:
            text.append(" — as stated: ", style="dim")
        text.append_text(one_line(f"“{as_stated}”", style="italic"))
    text.append(refs, style="bold")
    return text


def build_facts(d: CaseDetail, quotes: list[QuoteRef]) -> list[RenderableType]:
    """The title, summary and fact table of a case, as renderables (all literal text)."""
    numbers: dict[str, list[int]] = {}
    for q in quotes:
        if q.context != CASE_CONTEXT:
            continue
        for fact in q.evidence.supports:
            numbers.setdefault(fact, []).append(q.number)

    def refs(*facts: str) -> str:
        found = sorted({n for f in facts for n in numbers.get(f, [])})
        return ("  ⟨" + ",".join(map(str, found)) + "⟩") if found else ""

    head = one_line(d.title, style="bold")
    if d.origin == "user":
        head.append("  (added by you)", style="dim")
    out: list[RenderableType] = [head]
    if d.summary:
        out.append(plain(d.summary, style="italic"))
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(style="bold", no_wrap=True, max_width=20)
    table.add_column(ratio=1)
    table.add_row("Indonesian party", _actor_text(d.region, refs("region")))
    if d.partner is not None:
        table.add_row("Partner", _actor_text(d.partner, refs("partner", "partner_country")))
    else:
        partner = Text("not named in the sources", style="italic")
        if d.partner_as_stated:
            partner.append(" — as stated: ", style="dim")
            partner.append_text(one_line(f"“{d.partner_as_stated}”", style="italic"))
        partner.append(refs("partner"), style="bold")
        table.add_row("Partner", partner)
    if d.facilitator is not None:
        table.add_row("Facilitator", _actor_text(d.facilitator, refs("facilitator")))
    table.add_row("Type", _stated(d.type_label, d.type_as_stated, refs("type"), "not stated"))
    if d.date_as_stated:
        date = one_line(f"“{d.date_as_stated}”", style="italic")
        if d.date and d.date != d.date_as_stated:
            date.append_text(one_line(f" ({d.date})", style="dim"))
        date.append(refs("date"), style="bold")
    elif d.date:
        date = one_line(d.date) + Text(refs("date"), style="bold")
    else:
        date = Text("not stated in the sources", style="dim italic")
    table.add_row("Date", date)
    table.add_row("Status", _stated(d.status, d.status_as_stated, refs("status"), "not stated"))
    if d.sectors:
        sectors = Text()
        for i, s in enumerate(d.sectors):
            if i:
                sectors.append(", ")
            sectors.append_text(one_line(s.label_en))
            if s.as_stated:
                sectors.append_text(one_line(f" (“{s.as_stated}”)", style="dim"))
        sectors.append(refs(*[f"sector:{s.id}" for s in d.sectors]), style="bold")
    else:
        sectors = Text("not stated in the sources", style="dim italic")
    table.add_row("Sectors", sectors)
    if d.scope_article:
        table.add_row("Scope article", _stated(d.scope_article, None, refs("scope_article"), ""))
    category = Text()
    if d.category:
        category.append_text(one_line(d.category, style="bold"))
        category.append("  derived by this app, not stated in the sources", style="reverse")
        if d.category_basis:
            category.append("\n")
            category.append_text(plain(d.category_basis, style="dim"))
    else:
        category.append("not derived", style="dim italic")
    table.add_row("PP 28/2018 category", category)
    for item in d.unclear:
        table.add_row(Text("Unclear", style="bold reverse"), plain(item))
    out.append(table)
    if d.people:
        people = Table.grid(padding=(0, 1), expand=True)
        people.add_column(ratio=1)
        for p in d.people:
            line = one_line(p.name, style="bold")
            office = p.office or p.office_as_stated
            if office:
                line.append_text(one_line(f" — {office}"))
            if p.office_as_stated and p.office_as_stated != office:
                line.append_text(one_line(f" (“{p.office_as_stated}”)", style="dim"))
            people.add_row(line)
        out += [Text("People", style="bold underline"), people]
    if d.events:
        events_table = Table.grid(padding=(0, 1), expand=True)
        events_table.add_column(no_wrap=True, max_width=22, style="bold")
        events_table.add_column(ratio=1)
        for ev in d.events:
            when = ev.date_as_stated or ev.date or "date not stated"
            what = plain(ev.description)
            if ev.place:
                what.append_text(one_line(f" — {ev.place}", style="dim"))
            if ev.people:
                what.append_text(one_line(" — with " + ", ".join(ev.people), style="dim"))
            events_table.add_row(one_line(when), what)
        out += [Text("Events", style="bold underline"), events_table]
    if d.legal_bases:
        legal = Table.grid(padding=(0, 1), expand=True)
        legal.add_column(ratio=1)
        for lb in d.legal_bases:
            line = one_line(lb.short, style="bold")
            line.append_text(one_line(f" — {lb.title}"))
            if lb.summary:
                line.append("\n")
                line.append_text(plain(lb.summary, style="dim"))
            legal.add_row(line)
        out += [Text("Legal bases cited in its sources", style="bold underline"), legal]
    if d.related:
        related = join([one_line(title) for _cid, title in d.related], ", ")
        out += [Text("Related cases", style="bold underline"), related]
    return out


def collect_quotes(d: CaseDetail) -> list[QuoteRef]:
    """Every quote behind the case, numbered: the case's own first, then its parties,
    people, events and legal bases. The same passage is listed once."""
    seen: set[int] = set()
    out: list[QuoteRef] = []

    def add(context: str, evidence: list[Evidence]) -> None:
        for e in evidence:
            if e.id in seen:
                continue
            seen.add(e.id)
            out.append(QuoteRef(len(out) + 1, context, e))

    add(CASE_CONTEXT, d.evidence)
    add(f"Indonesian party: {d.region.name}", d.region.evidence)
    if d.partner:
        add(f"partner: {d.partner.name}", d.partner.evidence)
    if d.facilitator:
        add(f"facilitator: {d.facilitator.name}", d.facilitator.evidence)
    for p in d.people:
        add(f"person: {p.name}", p.evidence)
    for ev in d.events:
        add(f"event: {ev.date_as_stated or ev.date or ev.description[:40]}", ev.evidence)
    for lb in d.legal_bases:
        add(f"legal basis: {lb.short}", lb.evidence)
    return out


class DetailView(ScrollView, can_focus=True):
    """The case shown in full; a cursor moves over its quotes."""

    COMPONENT_CLASSES = {"detail--selected", "detail--bar"}

    DEFAULT_CSS = """
    DetailView { overflow-x: hidden; scrollbar-gutter: stable; }
    DetailView > .detail--selected { background: $boost; }
    DetailView:focus > .detail--selected { background: $accent 20%; }
    DetailView > .detail--bar { color: $accent; }
    """

    BINDINGS = [
        Binding("up,k", "quote(-1)", "Prev quote", show=False, id="detail.prev"),
        Binding("down,j", "quote(1)", "Next quote", show=False, id="detail.next"),
        Binding("enter", "open_quote", "Open source", id="detail.open"),
        Binding("escape", "back", "Back", show=False, id="detail.back"),
    ]

    @dataclass
    class OpenSource(Message):
        """Open a source in the reader at a passage."""

        source_id: str
        anchor_start: int | None
        case_id: str | None
        anchor_end: int | None = None

    class Back(Message):
        """Escape in the detail pane: back to the agreements."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.detail: CaseDetail | None = None
        self.quotes: list[QuoteRef] = []
        self.selected = -1  # no quote selected: the facts are in view
        # The notes panel under this view (the main screen puts it in the same pane).
        self.notes_panel: Widget | None = None
        self._empty = "No case selected."
        # The case as lines at `_width`: each line's segments (text styles only), and the
        # quote each line belongs to (-1: facts, heading or a blank line).
        self._width = 0
        self._lines: list[list[Segment]] = []
        self._line_quote: list[int] = []
        self._spans: list[tuple[int, int]] = []  # each quote's first line and end
        self._strips: dict[tuple[int, bool], Strip] = {}
        self._styles: tuple[Style, Style, Style] | None = None

    # ------------------------------------------------------------------------ content
    async def show(self, detail: CaseDetail | None, *, empty: str = "No case selected.") -> None:
        """Show a case (None: a placeholder message)."""
        self.show_now(detail, empty=empty)

    def show_now(self, detail: CaseDetail | None, *, empty: str = "No case selected.") -> None:
        """Show a case at once: new lines, one repaint, no layout."""
        self.detail = detail
        self._empty = empty
        self.selected = -1
        if self.notes_panel is not None:
            self.notes_panel.display = detail is not None
        self.quotes = collect_quotes(detail) if detail is not None else []
        self._build()
        self.scroll_to(y=0, animate=False, immediate=True)

    def _content_width(self) -> int:
        return self.scrollable_content_region.width

    def _build(self) -> None:
        """Render the case to lines at the current width."""
        width = self._content_width()
        self._width = width
        self._strips.clear()
        lines: list[list[Segment]] = []
        owner: list[int] = []
        spans: list[tuple[int, int]] = []
        if width <= 2:
            self._lines, self._line_quote, self._spans = lines, owner, spans
            return  # not laid out yet: built again on the first resize
        console = self.app.console
        options = self.app.console_options.update(highlight=False, height=None)

        def add(renderable: RenderableType, at: int, quote: int = -1) -> None:
            rendered = console.render_lines(renderable, options.update_width(at), pad=False)
            lines.extend(rendered)
            owner.extend([quote] * len(rendered))

        def gap() -> None:
            lines.append([])
            owner.append(-1)

        detail = self.detail
        if detail is None:
            add(Text(self._empty, style="dim"), width)
            gap()
        else:
            add(Group(*build_facts(detail, self.quotes)), width)
            gap()
            heading = Text(f"Evidence — {len(self.quotes)} quote(s)", style="bold underline")
            heading.append(
                "   ⟨n⟩ above = quote n · ↑↓ select · Enter open in source · y copy", style="dim"
            )
            add(heading, width)
            gap()
            for i, ref in enumerate(self.quotes):
                start = len(lines)
                add(quote_text(ref), max(width - 2, 1), i)
                spans.append((start, len(lines)))
                gap()
        self._lines, self._line_quote, self._spans = lines, owner, spans
        set_virtual_size(self, Size(width, len(lines)))
        self.refresh()

    def on_resize(self) -> None:
        if self._content_width() != self._width:
            self._build()

    def plain_text(self) -> str:
        """What the pane shows, as plain text (for tests and copying)."""
        return "\n".join("".join(seg.text for seg in line).rstrip() for line in self._lines)

    # ------------------------------------------------------------------------ drawing
    def render_lines(self, crop: Region) -> list[Strip]:
        base = self.rich_style
        styles = (
            base,
            base + self.get_component_rich_style("detail--selected"),
            self.get_component_rich_style("detail--bar", partial=True),
        )
        if styles != self._styles:
            self._styles = styles
            self._strips.clear()
        if self._content_width() != self._width and self.size.width:
            self._build()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_y) + y
        width = self._width
        assert self._styles is not None
        base, selected_style, bar_style = self._styles
        if index >= len(self._lines):
            return Strip.blank(width, base)
        quote = self._line_quote[index]
        selected = quote >= 0 and quote == self.selected
        key = (index, selected)
        strip = self._strips.get(key)
        if strip is not None:
            return strip
        style = selected_style if selected else base
        body = [
            Segment(seg.text, style + seg.style if seg.style else style)
            for seg in self._lines[index]
        ]
        if quote < 0:
            strip = Strip(body).extend_cell_length(width, style).crop(0, width)
        else:
            # A quote sits one cell in from each side; the selected one has a bar on the left.
            lead = Segment("█", style + bar_style) if selected else Segment(" ", style)
            inner = Strip(body).extend_cell_length(width - 2, style).crop(0, width - 2)
            strip = Strip([lead, *inner, Segment(" ", style)]).crop(0, width)
        self._strips[key] = strip
        return strip

    def _repaint_quote(self, quote: int) -> None:
        if 0 <= quote < len(self._spans):
            start, end = self._spans[quote]
            top = int(self.scroll_y)
            self.refresh(Region(0, start - top, self.size.width, end - start))

    # ------------------------------------------------------------------------ quotes
    def _select(self, index: int) -> None:
        old, self.selected = self.selected, index
        if old != index:
            for key in [k for k in self._strips if self._line_quote[k[0]] in (old, index)]:
                del self._strips[key]
            self._repaint_quote(old)
            self._repaint_quote(index)

    def on_focus(self) -> None:
        self._strips.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._strips.clear()
        self.refresh()

    @property
    def current_quote(self) -> QuoteRef | None:
        """The selected quote (None until one is selected with j/↓ or a click)."""
        if not self.quotes or self.selected < 0:
            return None
        return self.quotes[min(self.selected, len(self.quotes) - 1)]

    def action_quote(self, step: int) -> None:
        if not self.quotes:
            self.scroll_relative(y=step, animate=False)
            return
        target = self.selected + step
        if target < 0:
            # Above the first quote: back to the facts.
            self._select(-1)
            self.scroll_home(animate=False)
            return
        if target >= len(self.quotes):
            self.scroll_relative(y=3, animate=False)
            return
        self.select_quote(target)

    def select_quote(self, index: int) -> None:
        if not self.quotes:
            return
        index = max(0, min(index, len(self.quotes) - 1))
        self._select(index)
        if index < len(self._spans):
            start, end = self._spans[index]
            self.scroll_to_region(
                Region(0, start, self._width, end - start),
                animate=False,
                center=True,
                immediate=True,
            )

    def action_open_quote(self) -> None:
        """Open the source at the selected quote (the first one when none is selected)."""
        q = self.current_quote or (self.quotes[0] if self.quotes else None)
        if q is None or self.detail is None:
            return
        e = q.evidence
        self.post_message(self.OpenSource(e.source_id, e.start, self.detail.id, e.end))

    def action_back(self) -> None:
        self.post_message(self.Back())

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        line = int(self.scroll_y) + offset.y
        if not 0 <= line < len(self._line_quote) or self._line_quote[line] < 0:
            return
        index = self._line_quote[line]
        again = index == self.selected
        self.select_quote(index)
        self.focus()
        if again or event.chain >= 2:
            self.action_open_quote()


def make_notes_panel() -> Widget | None:
    """The notes helper's NotesPanel, when it is installed (it lands separately)."""
    try:
        from tui.widgets.notes_panel import NotesPanel
    except ImportError:
        return None
    panel: Widget = NotesPanel(id="notes-panel")
    return panel
