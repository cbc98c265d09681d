"""Citing sources and facts: citation keys, BibTeX, CSL-JSON and RIS, formatted references.

A source's reference fields (schema.CITATION_COLUMNS, filled from seeds/sources.toml for the
bundled texts, empty for a source an import made from a citation string) become one
`SourceRef`; every export and every formatted reference is made from it, so they agree.

- Keys are stable and readable: the first author's family name (or the outlet), the year
  (`nd` when undated) and the first word of the title, lower-case ASCII, joined by `_`
  (`agustina_2025_peran`, `kumparan_nd_kemitraan`). Two sources with the same key are told
  apart by a letter (`b`, `c`, ...) in the order of their ids.
- Formatted references and in-text citations come from citeproc-py with the CSL styles in
  `db/csl/` (APA 7th, Chicago author-date; APA 7th with the Indonesian locale). Nothing meant
  for a paper carries a file name, a source id or a character offset.

citeproc-py is imported on first use (it loads lxml): nothing on the way to the app's first
screen pays for it.

Here: the facts of a case with their quotes (`case_facts`, `render_facts`, `cite_quote`) and
completing a source's fields. `SourceRef` and the keys are in db/references.py, the exports
in db/cite_export.py, the formatting in db/cite_format.py (all importable from here).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence
from typing import Any

from paradiplo.db.cite_export import (
    EXPORT_FORMATS,
    bibtex,
    bibtex_entry,
    csl_item,
    csl_json,
    export_sources,
    ris,
    ris_record,
)
from paradiplo.db.cite_format import (
    CSL_DIR,
    DEFAULT_STYLE,
    STYLES,
    Formatted,
    check_style,
    format_refs,
    md_escape,
    short_label,
    style_file,
)
from paradiplo.db.errors import NotFound, ParadiploError
from paradiplo.db.i18n import N_, _, data_label
from paradiplo.db.models import CaseDetail
from paradiplo.db.record import record
from paradiplo.db.references import (
    KINDS,
    LANGIDS,
    SourceRef,
    assign_keys,
    base_key,
    parse_name,
    read_sources,
)

# The public names, wherever they are defined (callers import them from here).
__all__ = [
    "CITE_FORMATS",
    "CSL_DIR",
    "DEFAULT_STYLE",
    "EDITABLE",
    "EXPORT_FORMATS",
    "KINDS",
    "LANGIDS",
    "STYLES",
    "CitedFact",
    "Formatted",
    "ParadiploError",
    "SourceRef",
    "assign_keys",
    "base_key",
    "bibtex",
    "bibtex_entry",
    "case_facts",
    "check_style",
    "cite_quote",
    "claims_for",
    "complete_source",
    "csl_item",
    "csl_json",
    "export_sources",
    "format_refs",
    "md_escape",
    "parse_name",
    "read_sources",
    "render_facts",
    "ris",
    "ris_record",
    "short_label",
    "style_file",
]

CITE_FORMATS = ("text", "markdown", "bibtex")


# ------------------------------------------------------------------------- facts
@record
class CitedFact:
    """A claim about a case, the verbatim quote behind it, and where the quote is from."""

    claims: tuple[str, ...]
    quote: str | None
    source: SourceRef


def _claim(d: CaseDetail, fact: str) -> str:
    """One fact of a case as a sentence, in the interface language (the data's Indonesian
    labels and title in Indonesian); the source's own words stay as stated."""
    title = data_label("case_title", d.id, d.title)
    region = d.region.name
    partner = d.partner.name if d.partner else (d.partner_as_stated or _("a partner not named"))
    code = d.partner.country_code if d.partner else None
    country = d.partner.country_name if d.partner and d.partner.country_name else None
    country = data_label("country", code, country) if country else None
    in_country = f" ({country})" if country and country != partner else ""
    parties = _("{region} and {partner}").format(region=region, partner=partner + in_country)
    kind, _sep, rest = fact.partition(":")
    if fact == "region":
        return _("The Indonesian party to “{title}” is {region}.").format(
            title=title, region=region
        )
    if fact == "partner":
        return _("The partner of {region} in “{title}” is {partner}.").format(
            region=region, title=title, partner=partner + in_country
        )
    if fact == "partner_country":
        return _("The partner of {region} in “{title}” is from {country}.").format(
            region=region, title=title, country=country or _("a country not stated")
        )
    if fact == "facilitator" and d.facilitator:
        return _("The cooperation between {parties} is facilitated by {facilitator}.").format(
            parties=parties, facilitator=d.facilitator.name
        )
    if fact == "type":
        stated = f" (“{d.type_as_stated}”)" if d.type_as_stated else ""
        label = data_label("type", d.type, d.type_label).lower()
        return _("The cooperation between {parties} is a {type}.").format(
            parties=parties, type=label + stated
        )
    if fact == "date":
        when = d.date or _("a date not stated")
        if d.date_as_stated and d.date_as_stated != d.date:
            when += f" (“{d.date_as_stated}”)"
        return _("The cooperation between {parties} dates from {date}.").format(
            parties=parties, date=when
        )
    if fact == "status":
        stated = d.status_as_stated or d.status or _("not stated")
        return _("The status of the cooperation between {parties}: {status}.").format(
            parties=parties, status=stated
        )
    if kind == "sector":
        label = next(
            (data_label("sector", s.id, s.label_en) for s in d.sectors if s.id == rest),
            rest.replace("-", " "),
        )
        return _("The cooperation between {parties} covers {sector}.").format(
            parties=parties, sector=label.lower()
        )
    if fact == "scope_article":
        return _("The scope of the cooperation between {parties}: {scope}.").format(
            parties=parties, scope=d.scope_article
        )
    if fact in ("title", "summary"):
        return data_label("case_summary", d.id, d.summary) if d.summary else title
    return _("{fact} of “{title}”.").format(fact=fact.replace("_", " ").capitalize(), title=title)


def case_facts(conn: sqlite3.Connection, case_id: str, fact: str | None = None) -> list[CitedFact]:
    """The case's quotes, each with the claims it supports and its source, in the order of
    the evidence (`fact` keeps one field: 'date', 'partner', 'sector:tourism', or 'sector' for
    every sector)."""
    from paradiplo.db.queries import case_detail

    d = case_detail(conn, case_id)
    pairs: list[tuple[str, Any]] = []
    for e in d.evidence:
        for f in e.supports or ["title"]:
            if fact is None or f == fact or (fact == "sector" and f.startswith("sector:")):
                pairs.append((f, e))
    if fact is not None and not pairs:
        stated = sorted({f for e in d.evidence for f in e.supports})
        raise ParadiploError(
            _("No quote in case '{id}' supports '{fact}'. Quoted facts: {facts}.").format(
                id=case_id, fact=fact, facts=", ".join(stated) or _("none")
            )
        )
    refs = {r.id: r for r in read_sources(conn, {e.source_id for _f, e in pairs})}
    by_evidence: dict[int, tuple[list[str], Any]] = {}
    for f, e in pairs:
        by_evidence.setdefault(e.id, ([], e))[0].append(_claim(d, f))
    return [
        CitedFact(tuple(dict.fromkeys(claims)), e.quote, refs[e.source_id])
        for claims, e in by_evidence.values()
    ]


def claims_for(conn: sqlite3.Connection, case_id: str, supports: Sequence[str]) -> list[str]:
    """Claims about a case for the facts a quote supports (the app's 'cite this fact')."""
    from paradiplo.db.queries import case_detail

    d = case_detail(conn, case_id)
    return [_claim(d, f) for f in supports]


def render_facts(facts: Sequence[CitedFact], style: str = DEFAULT_STYLE, fmt: str = "text") -> str:
    """Claims with their quotes and citations, then the references (text or Markdown), or the
    BibTeX of the sources with the claims as comments."""
    if fmt not in CITE_FORMATS:
        raise ParadiploError(
            _("The citation format is one of {formats}, not '{format}'.").format(
                formats=", ".join(CITE_FORMATS), format=fmt
            )
        )
    sources = list({f.source.id: f.source for f in facts}.values())
    if fmt == "bibtex":
        lines = []
        for f in facts:
            lines += [f"% {' '.join(c.split())}" for c in f.claims]
            if f.quote:
                lines.append(f"% “{' '.join(f.quote.split())}” \\parencite{{{f.source.key}}}")
        return "\n".join(lines) + "\n\n" + bibtex(sources)
    formatted = {
        x.key: x for x in format_refs(sources, style, "markdown" if fmt == "markdown" else "text")
    }
    out: list[str] = []
    whole = _("(the source as a whole)")
    for f in facts:
        cite = formatted[f.source.key]
        if fmt == "markdown":
            quote = (
                f"> “{md_escape(' '.join(f.quote.split()))}” [@{f.source.key}]"
                if f.quote
                else f"> {whole} [@{f.source.key}]"
            )
            out += [*(f"- {md_escape(c)}" for c in f.claims), "", quote, ""]
        else:
            quote = (
                f"“{' '.join(f.quote.split())}” {cite.in_text}"
                if f.quote
                else f"{whole} {cite.in_text}"
            )
            out += [*f.claims, quote, ""]
    heading = ("## " if fmt == "markdown" else "") + _("References")
    out += [heading, ""]
    out += [
        formatted[s.key].reference + ("\n" if fmt == "markdown" else "")
        for s in sorted(sources, key=lambda s: formatted[s.key].reference.casefold())
    ]
    return "\n".join(out).rstrip() + "\n"


def cite_quote(
    conn: sqlite3.Connection,
    source_id: str,
    quote: str,
    style: str = DEFAULT_STYLE,
    claims: Sequence[str] = (),
) -> str:
    """A quote as a paper quotes it: the claims it supports (if any), “the quote” with its
    in-text citation, then the reference. Plain text, for the clipboard."""
    (ref,) = read_sources(conn, [source_id])
    (f,) = format_refs([ref], style, "text")
    lines = [*claims, f"“{' '.join(quote.split())}” {f.in_text}", "", f.reference]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------- completing
# The fields `complete_source` sets (CLI option -> column).
EDITABLE = (
    "kind", "title", "title_sentence", "description", "outlet", "container", "volume", "issue",
    "pages", "publisher", "published", "url", "accessed", "language",
)  # fmt: skip
_DATE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")


def complete_source(
    store: Any,
    source_id: str,
    fields: dict[str, str],
    authors: Sequence[str] | None = None,
) -> SourceRef:
    """Fill in a source's reference fields (a source the user added: the bundled ones are
    rebuilt from seeds/sources.toml). An empty value clears a field. Returns the source."""
    import sqlite_utils

    problems = []
    unknown = sorted(set(fields) - set(EDITABLE))
    if unknown:
        problems.append(_("unknown field(s) {fields}").format(fields=", ".join(unknown)))
    kind = fields.get("kind")
    if kind and kind not in KINDS:
        kinds = ", ".join(k for k in KINDS if k != "citation")
        problems.append(_("kind is one of {kinds}").format(kinds=kinds))
    for name, word in (("published", N_("date")), ("accessed", N_("accessed"))):
        value = fields.get(name)
        if value and not _DATE.fullmatch(value):
            problems.append(
                _("{field} '{value}' is not YYYY, YYYY-MM or YYYY-MM-DD").format(
                    field=_(word), value=value
                )
            )
    url = fields.get("url")
    if url and not re.match(r"https?://\S+$", url):
        problems.append(_("url '{url}' does not start with http:// or https://").format(url=url))
    names = [parse_name(a) for a in authors or [] if a.strip()]
    if problems:
        raise ParadiploError(
            _("Source '{id}': {problems}. Nothing was changed.").format(
                id=source_id, problems="; ".join(problems)
            )
        )
    with store.write() as conn:
        row = conn.execute("SELECT origin FROM sources WHERE id = ?", (source_id,)).fetchone()
        if row is None:
            raise NotFound(_("No source with id '{id}'.").format(id=source_id))
        if row[0] == "seed":
            raise ParadiploError(
                _(
                    "Source '{id}' is bundled: its fields come from seeds/sources.toml and are"
                    " rebuilt from it; change that file instead. Nothing was changed."
                ).format(id=source_id)
            )
        values: dict[str, Any] = {k: (v or None) for k, v in fields.items()}
        if authors is not None:
            values["creators"] = json.dumps(names, ensure_ascii=False)
            values["authors"] = json.dumps(
                [c.get("literal") or f"{c.get('given', '')} {c['family']}".strip() for c in names],
                ensure_ascii=False,
            )
        if values:
            sqlite_utils.Database(conn).table("sources").update(source_id, values)
    (ref,) = read_sources(store.conn, [source_id])
    return ref
