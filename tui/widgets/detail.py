"""The Detail pane: one case in full, every fact with the quotes behind it, then the notes.

Facts show what the sources say ("as stated") next to the normalised value, with the numbers of
the quotes that support them (⟨1⟩). What the sources leave unclear is listed as unclear, and the
PP 28/2018 category is marked as derived by this app. The quotes are a cursor list: ↑/↓ (j/k)
move between them, Enter opens the source at the quote, `y` copies it with its citation.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widget import AwaitMount, Widget
from textual.widgets import Static

from db.models import Actor, CaseDetail, Evidence
from tui.widgets.text import Cached, fact_label, join, one_line, plain

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


class QuoteItem(Static):
    """A quote with its citation and the facts it supports; the selected one is highlighted."""

    DEFAULT_CSS = """
    QuoteItem { padding: 0 1; margin: 0 0 1 0; }
    QuoteItem.-selected { background: $boost; border-left: thick $accent; padding-left: 0; }
    QuoteItem.-selected.-focused { background: $accent 20%; }
    """

    class Clicked(Message):
        def __init__(self, item: QuoteItem, chain: int) -> None:
            self.item = item
            self.chain = chain
            super().__init__()

    def __init__(self, ref: QuoteRef) -> None:
        super().__init__(self._render_ref(ref), markup=False)
        self.ref = ref

    def set_ref(self, ref: QuoteRef) -> None:
        """Show another quote in this widget (cheaper than a new widget per case)."""
        if ref != self.ref:
            self.ref = ref
            self.update(self._render_ref(ref))

    @staticmethod
    def _render_ref(ref: QuoteRef) -> Text:
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

    def on_click(self, event: events.Click) -> None:
        self.post_message(self.Clicked(self, event.chain))


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


class DetailView(VerticalScroll, can_focus=True):
    """The case shown in full; a cursor moves over its quotes."""

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
        self.notes_panel: Widget | None = None
        # Quote widgets are kept and reused from case to case (hidden when not needed):
        # mounting widgets per case costs frames; updating them in place costs one.
        self._pool: list[QuoteItem] = []

    def compose(self) -> object:
        yield Static(
            Text("No case selected.", style="dim"), id="detail-facts", classes="detail-block"
        )
        box = Vertical(Static(classes="detail-heading"), id="detail-quotes")
        box.display = False
        yield box
        panel = make_notes_panel()
        if panel is not None:
            self.notes_panel = panel
            yield panel

    async def show(self, detail: CaseDetail | None, *, empty: str = "No case selected.") -> None:
        """Show a case (None: a placeholder message), waiting for any new quote widgets."""
        pending = self.show_now(detail, empty=empty)
        if pending is not None:
            await pending

    def show_now(
        self, detail: CaseDetail | None, *, empty: str = "No case selected."
    ) -> AwaitMount | None:
        """Show a case at once, in this frame; returns the mount of extra quote widgets when
        the case has more quotes than any shown before (None otherwise)."""
        self.detail = detail
        facts = self.query_one("#detail-facts", Static)
        box = self.query_one("#detail-quotes", Vertical)
        self.selected = -1
        if self.notes_panel is not None:
            self.notes_panel.display = detail is not None
        if detail is None:
            self.quotes = []
            facts.update(Text(empty, style="dim"))
            box.display = False
            return None
        self.quotes = collect_quotes(detail)
        parts = build_facts(detail, self.quotes)
        facts.update(Cached(Group(*parts)))
        heading = Text(f"Evidence — {len(self.quotes)} quote(s)", style="bold underline")
        heading.append(
            "   ⟨n⟩ above = quote n · ↑↓ select · Enter open in source · y copy", style="dim"
        )
        box.query_one(".detail-heading", Static).update(heading)
        box.display = True
        pending = self._show_quotes(box)
        self._mark()
        self.scroll_home(animate=False)
        return pending

    def _show_quotes(self, box: Vertical) -> AwaitMount | None:
        """Reuse the quote widgets there are; mount only the ones missing."""
        for item, ref in zip(self._pool, self.quotes, strict=False):
            item.set_ref(ref)
            item.display = True
        for item in self._pool[len(self.quotes) :]:
            item.display = False
        if len(self.quotes) > len(self._pool):
            new = [QuoteItem(q) for q in self.quotes[len(self._pool) :]]
            self._pool += new
            return box.mount_all(new)
        return None

    def _items(self) -> list[QuoteItem]:
        return self._pool[: len(self.quotes)]

    def _mark(self) -> None:
        for i, item in enumerate(self._items()):
            item.set_class(i == self.selected, "-selected")
            item.set_class(self.has_focus, "-focused")

    def on_focus(self) -> None:
        self._mark()

    def on_blur(self) -> None:
        self._mark()

    @property
    def current_quote(self) -> QuoteRef | None:
        """The selected quote (None until one is selected with j/↓ or a click)."""
        if not self.quotes or self.selected < 0:
            return None
        return self.quotes[min(self.selected, len(self.quotes) - 1)]

    def action_quote(self, step: int) -> None:
        items = self._items()
        if not items:
            self.scroll_relative(y=step, animate=False)
            return
        target = self.selected + step
        if target < 0:
            # Above the first quote: back to the facts.
            self.selected = -1
            self._mark()
            self.scroll_home(animate=False)
            return
        if target >= len(items):
            self.scroll_relative(y=3, animate=False)
            return
        self.select_quote(target)

    def select_quote(self, index: int) -> None:
        items = self._items()
        if not items:
            return
        self.selected = max(0, min(index, len(items) - 1))
        self._mark()
        self.scroll_to_widget(items[self.selected], animate=False, center=True, immediate=True)

    def action_open_quote(self) -> None:
        """Open the source at the selected quote (the first one when none is selected)."""
        q = self.current_quote or (self.quotes[0] if self.quotes else None)
        if q is None or self.detail is None:
            return
        e = q.evidence
        self.post_message(self.OpenSource(e.source_id, e.start, self.detail.id, e.end))

    def action_back(self) -> None:
        self.post_message(self.Back())

    def on_quote_item_clicked(self, message: QuoteItem.Clicked) -> None:
        items = self._items()
        if message.item in items:
            index = items.index(message.item)
            again = index == self.selected
            self.select_quote(index)
            self.focus()
            if again or message.chain >= 2:
                self.action_open_quote()


def make_notes_panel() -> Widget | None:
    """The notes helper's NotesPanel, when it is installed (it lands separately)."""
    try:
        from tui.widgets.notes_panel import NotesPanel
    except ImportError:
        return None
    panel: Widget = NotesPanel(id="notes-panel")
    return panel
