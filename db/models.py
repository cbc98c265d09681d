"""Typed records the query API returns. Plain data: no database handles, no UI."""

from __future__ import annotations

from dataclasses import field

from paradiplo.db.record import record


@record
class Filters:
    """What the agreement list is narrowed to. Empty means everything.

    `region` is a region-tree key (see `RegionNode.key`): ``c:ID`` a home country,
    ``p:35`` a province, ``a:35.78`` an official regency or city, ``r:<actor id>`` a home
    actor without an official code (e.g. an ambiguous 'Malang'). `partner` is a partner-tree
    key: ``pc:JP`` a partner country, ``pa:<actor id>`` one partner.
    `sectors` narrows to cases tagged with every sector listed. `year_from`/`year_to` keep the
    cases dated within those years (both included; either may be open; an undated case is
    outside any year range). `case_type` keeps one type of case (a `case_types` id). `stage`
    narrows to one derived lifecycle stage (db/derive.py STAGES: exploration, intent,
    agreement, implementation, unknown).
    """

    region: str | None = None
    partner: str | None = None
    sectors: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    case_type: str | None = None
    stage: str | None = None

    def is_empty(self) -> bool:
        return not (self.region or self.partner or self.sectors or self.narrows_more())

    def narrows_more(self) -> bool:
        """True if a year, type or stage filter is set: conditions the summary tables (which
        hold counts by region, partner and sector only) cannot answer."""
        return (
            self.year_from is not None
            or self.year_to is not None
            or self.case_type is not None
            or self.stage is not None
        )

    def years_label(self) -> str:
        """'2017', '2010–2020', 'from 2010', 'to 2020' or '' (no year filter)."""
        a, b = self.year_from, self.year_to
        if a is None and b is None:
            return ""
        if a is not None and b is not None:
            return str(a) if a == b else f"{a}–{b}"
        return f"from {a}" if a is not None else f"to {b}"


SORTS = ("year", "-year", "title", "region", "partner")


@record
class CaseRow:
    """One row of the agreement list: a case's title, year and parties, as listed."""

    id: str
    title: str
    year: int | None
    date_as_stated: str | None
    region_name: str
    partner_name: str
    partner_country: str | None
    type: str | None
    type_label: str
    origin: str
    partner_country_code: str | None = None


@record
class RegionNode:
    """A node of the region or partner tree: a country, province, regency, city or partner,
    with the number of cases under it (under the list's filters) and its children."""

    key: str
    label: str
    level: str  # country | province | regency | city | regency_or_city | partner | ...
    count: int
    children: list[RegionNode] = field(default_factory=list)


@record
class Sector:
    """A sector of the vocabulary with its English and Indonesian labels."""

    id: str
    label_en: str
    label_id: str


@record
class SectorCount(Sector):
    """A sector with the number of cases tagged with it (under the list's filters)."""

    count: int


@record
class Evidence:
    """A passage of a source that supports facts of a record: the verbatim quote (None when
    the source is cited as a whole), its offsets in the source text, and the facts it supports."""

    id: int
    source_id: str
    source_label: str
    citation: str
    quote: str | None
    start: int | None
    end: int | None
    supports: list[str]


@record
class Actor:
    """A party to a case: an Indonesian region or a foreign partner, with its place in the
    official lists where it resolved to one (`candidates` and `unclear` where it did not)."""

    id: str
    name: str
    as_stated: str | None
    country_code: str | None
    country_name: str | None
    level: str | None
    kind: str
    area_code: str | None
    area_name: str | None
    province_code: str | None
    province_name: str | None
    candidates: list[str]
    resolution: str | None
    unclear: list[str]
    origin: str
    evidence: list[Evidence] = field(default_factory=list)


@record
class SectorTag(Sector):
    """A sector a case is tagged with, and the source's own word for it."""

    as_stated: str | None


@record
class Person:
    """A person a case names (an official, a minister), with the office as the source states it."""

    id: str
    name: str
    office: str | None
    office_as_stated: str | None
    evidence: list[Evidence] = field(default_factory=list)


@record
class Event:
    """A dated step of a case (a visit, a signing), with the source's own date words."""

    id: str
    date: str | None
    date_as_stated: str | None
    place: str | None
    description: str
    people: list[str]
    evidence: list[Evidence] = field(default_factory=list)
    date_gloss: str | None = None  # an explanation of date_as_stated, not the source's words


@record
class Citation:
    """Where an outside reference can be checked: the official publication, the database
    that holds it and its address, and which parts of the reference it backs."""

    publication: str
    database: str
    address: str
    supports: list[str]


@record
class LawReference:
    """A law's status and description from OUTSIDE the bundled texts, with citations."""

    status: str  # in_force | amended | replaced | revoked
    status_text: str
    replaced_by: str | None
    replaced_by_short: str | None
    amended_by: list[str]
    description: str
    citations: list[Citation]
    checked: str | None
    outside_bundled_texts: bool = True


@record
class Claim:
    """What one source says, in its own voice, about laws or concepts, with its quotes."""

    id: str
    source_id: str
    source_label: str
    about: list[str]  # 'law:<id>', 'term:<id>'
    claim: str
    title_as_cited: str | None
    evidence: list[Evidence] = field(default_factory=list)


@record
class Conflict:
    """Claims of different sources on the same question that disagree."""

    id: str
    question: str
    about: list[str]
    claims: list[Claim]
    note: str | None


@record
class LegalBasis:
    """A law under its official short and full title. `claims` are what the bundled sources
    say about it (their quotes are `evidence`); `reference` is from outside the texts; `cited`
    is False for a law that frames the field but no bundled text cites."""

    id: str
    short: str
    title: str
    summary: str | None
    evidence: list[Evidence] = field(default_factory=list)
    kind: str | None = None
    number: str | None = None
    year: int | None = None
    cited: bool = True
    claims: list[Claim] = field(default_factory=list)
    reference: LawReference | None = None


@record
class CaseDetail:
    """Everything the Detail pane shows of one case, each fact with the passages it rests on."""

    id: str
    title: str
    summary: str | None
    region: Actor
    partner: Actor | None
    partner_as_stated: str | None
    partner_kind: str | None
    facilitator: Actor | None
    type: str | None
    type_label: str
    type_as_stated: str | None
    date: str | None
    date_as_stated: str | None
    status: str | None
    status_as_stated: str | None
    scope_article: str | None
    category: str | None
    category_basis: str | None
    unclear: list[str]
    related: list[tuple[str, str]]  # (id, title)
    origin: str
    sectors: list[SectorTag]
    evidence: list[Evidence]
    people: list[Person]
    events: list[Event]
    legal_bases: list[LegalBasis]
    # Derived by this app (db/derive.py), never stated: the lifecycle stage and what it rests on.
    stage: str | None = None
    stage_label: str | None = None
    stage_basis: str | None = None
    # Explanations kept apart from the source's own words (status_as_stated, date_as_stated).
    status_gloss: str | None = None
    date_note: str | None = None
    # Disagreements between the sources this case is drawn from.
    conflicts: list[Conflict] = field(default_factory=list)

    def evidence_for(self, fact: str) -> list[Evidence]:
        """The passages that support one fact ('partner', 'date', 'sector:tourism', ...)."""
        return [e for e in self.evidence if fact in e.supports]


@record
class Source:
    """A source text (bundled or added by the user) with its provenance and citation."""

    id: str
    file: str | None
    kind: str
    title: str | None
    outlet: str | None
    authors: list[str]
    affiliation: str | None
    published: str | None
    language: str | None
    keywords: list[str]
    notes: list[str]
    citation: str
    label: str
    origin: str
    text: str = ""
    inferred: list[str] = field(default_factory=list)  # fields inferred, not stated by the text
    abstract: list[Excerpt] = field(default_factory=list)
    findings: list[Excerpt] = field(default_factory=list)
    url: str | None = None  # where the user found a source they added (None for bundled texts)
    accessed: str | None = None  # when they read it there (YYYY-MM-DD)


@record
class Excerpt:
    """A verbatim stretch of a source text with its offsets."""

    text: str
    start: int | None
    end: int | None
    language: str | None


@record
class Span:
    """A highlighted stretch of a source text: an evidence passage and what cites it."""

    start: int
    end: int
    record_type: str
    record_id: str
    evidence_id: int


@record
class GlossaryTerm:
    """A term of the glossary and its definition, with the passages it is drawn from."""

    id: str
    term: str
    definition: str
    reference: bool
    evidence: list[Evidence] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


@record
class Note:
    """A study note on a case, source, region or passage (db/notes.py TARGET_TYPES);
    `orphaned` when its target is gone (kept and shown, never deleted silently)."""

    id: str
    target_type: str
    target_id: str
    target_label: str
    orphaned: bool
    body: str
    tags: list[str]
    created_at: str
    updated_at: str
    version: int
    anchor_start: int | None = None
    anchor_end: int | None = None
    anchor_quote: str | None = None


@record
class Draft:
    """The unsaved text of a note being written, kept so that a crash loses nothing."""

    key: str
    note_id: str | None
    target_type: str
    target_id: str
    body: str
    tags: list[str]
    base_version: int | None
    updated_at: str


@record
class SearchHit:
    """One result of a search: a case, passage, note or term, with a highlighted snippet."""

    kind: str  # case | passage | note | term
    ref_id: str
    title: str
    snippet: str  # plain text with highlight markers (see db.search.HL_OPEN/HL_CLOSE)
    score: float
    case_id: str | None = None
    source_id: str | None = None
    anchor_start: int | None = None
    anchor_end: int | None = None
