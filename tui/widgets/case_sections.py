"""The sections of the Detail pane as Rich renderables: a case's facts with the ⟨n⟩ pointers
to their quotes, its parties, people, laws, disagreements and what the sources leave unclear;
the quotes with their citations; a note's header and text. `DetailView` (detail.py) draws them.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.segment import Segment
from rich.text import Text

from paradiplo.db.datatext import actor_name
from paradiplo.db.derive import basis_text
from paradiplo.db.i18n import N_, _, data_label, date_text
from paradiplo.db.labels import actor_level
from paradiplo.db.laws import status_words
from paradiplo.db.models import Actor, CaseDetail, Claim, Evidence, LegalBasis, Note
from paradiplo.db.record import record
from paradiplo.db.sourceread import shown_citation, shown_source_label
from paradiplo.db.text import clip, display_safe, facts_label
from paradiplo.tui.widgets.text import join, one_line, plain, render_text

# Normalised statuses of the bundled and imported cases, translated where shown.
STATUS_VALUES = (
    N_("agreed"),
    N_("established"),
    N_("reported"),
    N_("proposed"),
    N_("explored"),
    N_("implemented"),
    N_("ongoing"),
    N_("completed"),
)
KIND_WORDS = {
    "state": N_("a state"),
    "sub_state": N_("a sub-state government"),
    "non_state": N_("a non-state body"),
    "unknown": N_("kind not stated"),
}


# What the case's own quotes back: compared as it is, translated where shown (`quote_text`).
CASE_CONTEXT = N_("the case")


@record
class QuoteRef:
    """One quote in the detail view: which record it backs (the 'context') and the evidence."""

    number: int
    context: str
    evidence: Evidence


def quote_parts(ref: QuoteRef, sectors: dict[str, str]) -> list[RenderableType]:
    return [quote_text(ref, sectors)]


def note_parts(note: Note) -> list[RenderableType]:
    from paradiplo.tui.widgets.note_text import markdown_text, note_markdown, note_meta

    return [note_meta(note), markdown_text(note_markdown(note.body))]


def quote_text(ref: QuoteRef, sectors: dict[str, str] | None = None) -> Text:
    """A quote with its number, what it backs, its citation and the facts it supports."""
    e = ref.evidence
    text = Text(f"{ref.number}  ", style="bold")
    # The other contexts are translated when collected (they hold names: `collect_quotes`).
    context = _(CASE_CONTEXT) if ref.context == CASE_CONTEXT else ref.context
    text.append_text(one_line(context, style="dim"))
    text.append("\n“")
    if e.quote:
        text.append_text(plain(e.quote, style="italic"))
    else:
        text.append(_("(no quote recorded: the source is cited as a whole)"), style="dim")
    text.append("”\n— ")
    text.append_text(plain(shown_citation(e.citation), style="dim"))
    if e.supports:
        text.append("\n" + _("supports:") + " ", style="dim")
        text.append_text(one_line(facts_label(e.supports, sectors, _)))
    if e.start is None and e.quote:
        text.append("\n" + _("(the quote could not be located in the source text)"), style="dim")
    return text


def _actor_text(actor: Actor, refs: str) -> Text:
    text = one_line(actor_name(actor), style="bold")
    bits = []
    level = actor_level(actor.level)
    if level:
        bits.append(level)
    if actor.province_name and actor.level != "province":
        bits.append(actor.province_name)
    if actor.country_name:
        bits.append(data_label("country", actor.country_code, actor.country_name))
    if actor.kind and actor.kind in KIND_WORDS and actor.kind != "sub_state":
        bits.append(_(KIND_WORDS[actor.kind]))
    if bits:
        text.append_text(one_line(" — " + ", ".join(bits)))
    text.append(refs, style="bold")
    if actor.as_stated and actor.as_stated not in (actor.name, actor_name(actor)):
        text.append("\n" + _("as stated:") + " ", style="dim")
        text.append_text(one_line(f"“{actor.as_stated}”", style="italic"))
    if actor.resolution:
        text.append("\n")
        text.append_text(
            plain(data_label("actor_resolution", actor.id, actor.resolution), style="dim")
        )
    for item in actor.unclear:
        text.append("\n" + _("unclear:") + " ", style="bold reverse")
        text.append(" ")
        text.append_text(plain(data_label("actor_unclear", actor.id, item)))
    return text


def _gloss(template: str, kind: str, record_id: str, gloss: str) -> Text:
    """A dim gloss after what the sources state: `template` (translated) holds `{gloss}`, the
    gloss in the interface language."""
    return one_line(template.format(gloss=data_label(kind, record_id, gloss)), style="dim")


def _stated(value: str | None, as_stated: str | None, refs: str, missing: str) -> Text:
    if not value and not as_stated:
        return Text(missing, style="dim italic")
    text = Text()
    if value:
        text.append_text(one_line(value))
    if as_stated and as_stated != value:
        if value:
            text.append(" — " + _("as stated:") + " ", style="dim")
        text.append_text(one_line(f"“{as_stated}”", style="italic"))
    text.append(refs, style="bold")
    return text


class Grid:
    """Rows of a label column and a wrapped value column, like `rich.table.Table.grid` with
    `padding=(0, 1)`: the label column as wide as its widest label (at most `label_max`,
    bold, cut with an ellipsis), the values wrapped in the rest. Rendered straight to lines
    (`lines`): Rich's Table measures and renders every cell several times, which made the
    facts of a case cost several milliseconds to draw. With `label_max=0` there is one column.
    """

    def __init__(self, label_max: int = 0) -> None:
        self.label_max = label_max
        self.rows: list[tuple[Text | None, Text]] = []

    def add_row(self, *cells: Text | str) -> None:
        texts = [c if isinstance(c, Text) else Text(c) for c in cells]
        if self.label_max:
            self.rows.append((texts[0], texts[1] if len(texts) > 1 else Text()))
        else:
            self.rows.append((None, texts[0]))

    def lines(self, console: Console, width: int) -> list[list[Segment]]:
        labels = [label for label, _ in self.rows if label is not None]
        label_w = min(max((lb.cell_len for lb in labels), default=0), self.label_max)
        value_w = max(width - label_w - 1, 1) if label_w else width
        out: list[list[Segment]] = []
        blank = " " * (label_w + 1)
        for label, value in self.rows:
            wrapped = value.wrap(console, value_w) or [Text()]
            head = gap = Text(blank)
            if label_w:
                gap.stylize("bold")  # the label column (and the gap after it) is bold
                if label is not None:
                    cell = label.copy()
                    cell.truncate(label_w, overflow="ellipsis", pad=True)
                    head = Text()
                    head.append_text(cell)
                    head.append(" ")
                    head.stylize("bold")
            for i, line in enumerate(wrapped):
                if label_w:
                    line = (head if i == 0 else gap) + line
                out.append(render_text(console, line))
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.lines(console, options.max_width):
            yield from line
            yield Segment.line()


OUTSIDE = N_("reference from outside the bundled texts")


def _claim_text(c: Claim, refs: str) -> Text:
    """A source's claim in its own voice, with the quote numbers behind it."""
    text = Text()
    if c.title_as_cited:
        text.append(_("cited as") + " ", style="dim")
        text.append_text(one_line(f"“{c.title_as_cited}”", style="italic"))
        text.append("\n")
    text.append_text(plain(data_label("claim", c.id, c.claim)))
    text.append(refs, style="bold")
    return text


def legal_basis_text(lb: LegalBasis, refs: str = "") -> Text:
    """A law: official title, what the sources claim about it, and (marked) its status and
    description from outside the bundled texts with their citations."""
    line = one_line(lb.short, style="bold")
    ref = lb.reference
    if ref is not None and ref.status in ("replaced", "revoked"):
        status = status_words(ref.status).upper()
        if ref.replaced_by_short:
            status += " " + _("by {law}").format(law=ref.replaced_by_short)
        line.append("  ")
        line.append_text(one_line(status, style="bold reverse"))
    line.append("\n")
    line.append_text(plain(lb.title, style="italic"))
    for c in lb.claims:
        line.append("\n")
        line.append_text(_claim_text(c, refs))
    if not lb.claims:
        line.append("\n" + _("not cited by the bundled texts"), style="dim italic")
    if ref is not None:
        line.append(f"\n{_(OUTSIDE)}: ", style="reverse")
        line.append(" ")
        line.append_text(one_line(status_words(ref.status), style="bold"))
        line.append("\n")
        line.append_text(plain(data_label("law_status_text", lb.id, ref.status_text), style="dim"))
        line.append("\n")
        line.append_text(plain(data_label("law_description", lb.id, ref.description), style="dim"))
        for cite in ref.citations:
            line.append("\n")
            line.append_text(
                plain(f"[{facts_label(list(cite.supports), tr=_) or _('reference')}] ", style="dim")
                + plain(f"{cite.publication}. {cite.database}: {cite.address}", style="dim")
            )
    return line


def build_facts(d: CaseDetail, quotes: list[QuoteRef]) -> list[RenderableType]:
    """The title, summary and fact table of a case, as renderables (all literal text)."""
    by_evidence = {q.evidence.id: q.number for q in quotes}

    def refs_of(evidence: list[Evidence]) -> str:
        found = sorted({by_evidence[e.id] for e in evidence if e.id in by_evidence})
        return ("  ⟨" + ",".join(map(str, found)) + "⟩") if found else ""

    numbers: dict[str, list[int]] = {}
    for q in quotes:
        if q.context != CASE_CONTEXT:
            continue
        for fact in q.evidence.supports:
            numbers.setdefault(fact, []).append(q.number)

    def refs(*facts: str) -> str:
        found = sorted({n for f in facts for n in numbers.get(f, [])})
        return ("  ⟨" + ",".join(map(str, found)) + "⟩") if found else ""

    head = one_line(data_label("case_title", d.id, d.title), style="bold")
    if d.origin == "user":
        head.append("  " + _("(added by you: E edits, D deletes)"), style="dim")
    else:
        head.append("  " + _("(from the bundled texts)"), style="dim")
    out: list[RenderableType] = [head]
    if d.summary:
        out.append(plain(data_label("case_summary", d.id, d.summary), style="italic"))
    table = Grid(label_max=20)
    table.add_row(_("Indonesian party"), _actor_text(d.region, refs("region")))
    if d.partner is not None:
        table.add_row(_("Partner"), _actor_text(d.partner, refs("partner", "partner_country")))
    else:
        partner = Text(_("not named in the sources"), style="italic")
        if d.partner_as_stated:
            partner.append(" — " + _("as stated:") + " ", style="dim")
            partner.append_text(one_line(f"“{d.partner_as_stated}”", style="italic"))
        partner.append(refs("partner"), style="bold")
        table.add_row(_("Partner"), partner)
    if d.facilitator is not None:
        table.add_row(_("Facilitator"), _actor_text(d.facilitator, refs("facilitator")))
    table.add_row(
        _("Type"),
        _stated(
            data_label("type", d.type, d.type_label),
            d.type_as_stated,
            refs("type"),
            _("not stated"),
        ),
    )
    if d.date_as_stated:
        date = one_line(f"“{d.date_as_stated}”", style="italic")
        if d.date and d.date != d.date_as_stated:
            date.append_text(one_line(f" ({date_text(d.date)})", style="dim"))
        date.append(refs("date"), style="bold")
        if d.date_note:
            date.append("\n")
            date.append(_("ambiguous"), style="bold reverse")
            date.append(" ")
            date.append_text(plain(data_label("case_date_note", d.id, d.date_note), style="dim"))
    elif d.date:
        date = one_line(date_text(d.date)) + Text(refs("date"), style="bold")
    else:
        date = Text(_("not stated in the sources"), style="dim italic")
    table.add_row(_("Date"), date)
    status = _stated(
        _(d.status) if d.status else d.status, d.status_as_stated, refs("status"), _("not stated")
    )
    if d.status_gloss:
        status.append_text(
            _gloss("  " + _("(gloss: {gloss})"), "case_status_gloss", d.id, d.status_gloss)
        )
    table.add_row(_("Status"), status)
    if d.sectors:
        sectors = Text()
        for i, s in enumerate(d.sectors):
            if i:
                sectors.append(", ")
            sectors.append_text(one_line(data_label("sector", s.id, s.label_en)))
            if s.as_stated:
                sectors.append_text(one_line(f" (“{s.as_stated}”)", style="dim"))
        sectors.append(refs(*[f"sector:{s.id}" for s in d.sectors]), style="bold")
    else:
        sectors = Text(_("not stated in the sources"), style="dim italic")
    table.add_row(_("Sectors"), sectors)
    if d.scope_article:
        table.add_row(_("Scope article"), _stated(d.scope_article, None, refs("scope_article"), ""))
    category = Text()
    if d.category:
        category.append_text(one_line(d.category, style="bold"))
        category.append("  " + _("derived by this app, not stated in the sources"), style="reverse")
        if d.category_basis:
            category.append("\n")
            category.append_text(plain(basis_text(d.category_basis), style="dim"))
    else:
        category.append(_("none can be derived"), style="bold")
        if d.category_basis:
            category.append("\n")
            category.append_text(plain(basis_text(d.category_basis), style="dim"))
    table.add_row(_("PP 28/2018 category"), category)
    if d.stage:
        stage = one_line(_(d.stage_label or d.stage), style="bold")
        stage.append(refs("type", "status"), style="bold")
        stage.append("  " + _("derived by this app, not stated in the sources"), style="reverse")
        if d.stage_basis:
            stage.append("\n")
            stage.append_text(plain(basis_text(d.stage_basis), style="dim"))
        table.add_row(_("Stage"), stage)
    for item in d.unclear:
        table.add_row(
            Text(_("Unclear"), style="bold reverse"), plain(data_label("case_unclear", d.id, item))
        )
    out.append(table)
    if d.people:
        people = Grid()
        for p in d.people:
            line = one_line(p.name, style="bold")
            office = data_label("person_office", p.id, p.office or "") or p.office_as_stated
            if office:
                line.append_text(one_line(f" — {office}"))
            if p.office_as_stated and p.office_as_stated != office:
                line.append_text(one_line(f" (“{p.office_as_stated}”)", style="dim"))
            people.add_row(line)
        out += [Text(_("People"), style="bold underline"), people]
    if d.events:
        events_table = Grid(label_max=22)
        for ev in d.events:
            when = ev.date_as_stated or date_text(ev.date) or _("date not stated")
            what = plain(data_label("event_description", ev.id, ev.description))
            if ev.place:
                what.append_text(one_line(f" — {ev.place}", style="dim"))
            if ev.people:
                what.append_text(
                    one_line(" — " + _("with") + " " + ", ".join(ev.people), style="dim")
                )
            if ev.date_gloss and ev.date_as_stated:
                what.append_text(
                    _gloss(
                        " — " + _("date gloss: {gloss}"), "event_date_gloss", ev.id, ev.date_gloss
                    )
                )
            events_table.add_row(one_line(when), what)
        out += [Text(_("Events"), style="bold underline"), events_table]
    if d.legal_bases:
        legal = Grid()
        for lb in d.legal_bases:
            legal.add_row(legal_basis_text(lb, refs_of(lb.evidence)))
        out += [Text(_("Legal bases cited in its sources"), style="bold underline"), legal]
    if d.conflicts:
        disagree = Grid()
        for k in d.conflicts:
            block = plain(data_label("conflict_question", k.id, k.question), style="bold")
            for c in k.claims:
                block.append("\n")
                block.append_text(one_line(f"{shown_source_label(c.source_label)}: ", style="bold"))
                block.append_text(_claim_text(c, refs_of(c.evidence)))
            if k.note:
                block.append("\n")
                block.append_text(plain(data_label("conflict_note", k.id, k.note), style="dim"))
            disagree.add_row(block)
        out += [Text(_("Sources disagree"), style="bold underline"), disagree]
    if d.related:
        related = join(
            [one_line(data_label("case_title", cid, title)) for cid, title in d.related], ", "
        )
        out += [Text(_("Related cases"), style="bold underline"), related]
    return out


def cannot_draw(what: str, exc: BaseException) -> Text:
    """What a record that could not be drawn shows in its place (the rest of the screen and
    the app go on)."""
    text = Text("⚠ " + _("{what} could not be shown").format(what=what) + " ", style="bold red")
    text.append(
        f"({type(exc).__name__}: {display_safe(str(exc))[:200]}). " + _("Please report it.")
    )
    return text


def drawn(make: Callable[[], list[RenderableType]], what: str) -> list[RenderableType]:
    """`make()`, or one line saying that `what` could not be shown if it raises: a value no
    one foresaw in one record must not stop the case (or the app, which reopens the last
    case at every launch) from showing."""
    try:
        return make()
    except Exception as exc:
        return [cannot_draw(what, exc)]


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
    add(_("Indonesian party: {name}").format(name=actor_name(d.region)), d.region.evidence)
    if d.partner:
        add(_("partner: {name}").format(name=actor_name(d.partner)), d.partner.evidence)
    if d.facilitator:
        add(_("facilitator: {name}").format(name=actor_name(d.facilitator)), d.facilitator.evidence)
    for p in d.people:
        add(_("person: {name}").format(name=p.name), p.evidence)
    for ev in d.events:
        when = ev.date_as_stated or date_text(ev.date) or clip(ev.description, 40)
        add(_("event: {when}").format(when=when), ev.evidence)
    for lb in d.legal_bases:
        add(_("legal basis: {law} (the source's claim)").format(law=lb.short), lb.evidence)
    for k in d.conflicts:
        for c in k.claims:
            add(
                _("sources disagree: {source}").format(source=shown_source_label(c.source_label)),
                c.evidence,
            )
    return out
