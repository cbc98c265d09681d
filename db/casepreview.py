"""Checking a case the user states, before anything is written: names resolved, vocabulary,
dates, quotes found in the source, duplicates named (db/collection.py writes it).

    preview = preview_case(conn, CaseInput(region="Pemkot Bandung", partner="Braunschweig",
                                           type="sister-city", source_id=sid))
    preview.problems            # what stops it being saved, one line each
    preview.problems_for("date")  # those about one field (what a form shows beside it)
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import asdict, replace
from typing import Any

from paradiplo.db import places
from paradiplo.db.casefields import FACTS_HELP, PARTNER_KINDS
from paradiplo.db.dates import date_problem
from paradiplo.db.errors import NotFound
from paradiplo.db.i18n import _
from paradiplo.db.places import Ambiguity
from paradiplo.db.record import record
from paradiplo.db.seeds import CASE_FACTS
from paradiplo.db.text import json_list
from paradiplo.db.usersources import (
    CaseProblem,
    CollectionError,
    LocatedQuote,
    QuoteNotFound,
    QuoteSpec,
    locate_quote,
    source_text,
)
from paradiplo.db.usersources import clean as _clean


@record
class CaseInput:
    """A case as the user states it. Names are resolved (see `db.places`)."""

    region: str
    type: str
    source_id: str
    partner: str | None = None
    partner_country: str | None = None
    partner_kind: str | None = None  # state | sub_state | non_state | unknown
    date: str | None = None
    date_as_stated: str | None = None
    status: str | None = None
    sectors: tuple[str, ...] = ()
    title: str | None = None
    summary: str | None = None
    quotes: tuple[QuoteSpec, ...] = ()


@record
class CasePreview:
    """What a `CaseInput` resolves to, before anything is written (the form shows it).

    `problems` lists what stops it being saved; `duplicates` the existing cases with the same
    region, partner and type (saving then needs `force`).
    """

    region: places.RegionMatch
    partner: str | None
    partner_country: places.Country | None
    type_id: str | None
    type_label: str | None
    sector_ids: tuple[str, ...]
    quotes: tuple[LocatedQuote, ...]
    title: str
    problems: tuple[str, ...] = ()
    duplicates: tuple[tuple[str, str], ...] = ()
    # The field each problem is about (region, partner_country, type, partner_kind, date,
    # sectors, source, quotes), in the order of `problems`.
    problem_fields: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    def problems_for(self, *fields: str) -> list[str]:
        """The problems about these fields (e.g. "date": what a form shows beside it)."""
        return [p for p, f in zip(self.problems, self.problem_fields, strict=False) if f in fields]

    def without(self, *fields: str) -> CasePreview:
        """This preview with the problems about these fields set aside."""
        kept = [
            (p, f)
            for p, f in zip(self.problems, self.problem_fields, strict=False)
            if f not in fields
        ]
        return replace(
            self,
            problems=tuple(p for p, _f in kept),
            problem_fields=tuple(f for _p, f in kept),
        )


# --------------------------------------------------------------------------- vocabularies
def _types(conn: sqlite3.Connection) -> dict[str, tuple[str, str]]:
    """folded id/label/synonym -> (type id, English label)."""
    out: dict[str, tuple[str, str]] = {}
    for tid, en, idl, syn in conn.execute(
        "SELECT id, label_en, label_id, synonyms FROM case_types"
    ):
        for name in (tid, en, idl, *json_list(syn)):
            if name:
                out.setdefault(places.fold(str(name)), (tid, en))
    return out


def _sectors(conn: sqlite3.Connection) -> dict[str, str]:
    out: dict[str, str] = {}
    for sid, en, idl, syn in conn.execute("SELECT id, label_en, label_id, synonyms FROM sectors"):
        for name in (sid, en, idl, *json_list(syn)):
            if name:
                out.setdefault(places.fold(str(name)), sid)
    return out


def split_list(value: str | Iterable[str]) -> tuple[str, ...]:
    """'Tourism; Education, Culture' or a list -> ('Tourism', 'Education', 'Culture')."""
    items = [value] if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in items:
        out += [p.strip() for p in re.split(r"[;,|]", item) if p.strip()]
    return tuple(out)


def split_facts(supports: str | Iterable[str]) -> tuple[str, ...]:
    """'date, region' or a list of such -> ('date', 'region')."""
    parts = [supports] if isinstance(supports, str) else list(supports)
    return tuple(f.strip() for part in parts for f in part.split(",") if f.strip())


def case_input(values: Mapping[str, Any]) -> CaseInput:
    """A CaseInput from values named as its fields, as a command's options give them ("type_"
    is "type"): "sectors" as labels or 'a; b'; "quotes" as the words of passages (or
    QuoteSpecs), each supporting the facts named in "supports" ('date, region' or a list)."""
    fields = {k.rstrip("_"): v for k, v in values.items()}
    facts = split_facts(fields.pop("supports", ()) or ())
    quotes = tuple(
        q if isinstance(q, QuoteSpec) else QuoteSpec(quote=q, supports=facts)
        for q in fields.pop("quotes", ()) or ()
    )
    if "sectors" in fields:
        fields["sectors"] = split_list(fields["sectors"] or ())
    return CaseInput(**fields, quotes=quotes)


# --------------------------------------------------------------------------- cases
def find_duplicates(
    conn: sqlite3.Connection,
    region_code: str | None,
    region_name: str,
    partner: str | None,
    type_id: str | None,
    exclude: str | None = None,
) -> list[tuple[str, str]]:
    """Cases with the same region (official code, else name), partner (prefixes such as
    "Kota" or "City of" aside) and type: (id, title) each."""
    if region_code:
        rows = conn.execute(
            "SELECT id, title, partner_name, type FROM cases"
            " WHERE area_code = ? OR (area_code IS NULL AND province_code = ?"
            " AND region_id IN (SELECT id FROM actors WHERE area_code = ?))",
            (region_code, region_code, region_code),
        ).fetchall()
    else:
        rows = conn.execute(
            "SELECT id, title, partner_name, type FROM cases WHERE region_name = ?",
            (region_name,),
        ).fetchall()
    key = places.partner_key(partner or "(not named)")
    return [
        (cid, title)
        for cid, title, pname, tid in rows
        if cid != exclude and tid == type_id and places.partner_key(pname) == key
    ]


def preview_case(
    conn: sqlite3.Connection,
    case: CaseInput,
    ambiguous: Ambiguity = "error",
    *,
    exclude: str | None = None,
) -> CasePreview:
    """Resolve a case's names, vocabulary and quotes without writing anything."""
    problems: list[tuple[str, str]] = []  # (field, problem)
    g = places.for_connection(conn)
    region = g.resolve_region(case.region, ambiguous)
    if region.status == "unknown":
        if region.suggestions:
            problems.append(("region", _("region: {detail}").format(detail=region.detail)))
        else:
            problems.append(
                (
                    "region",
                    _(
                        "region '{region}' is not in the official list of Indonesia's regions "
                        "(write e.g. 'Kota Surabaya', 'Kabupaten Malang', 'Jawa Timur' or "
                        "'East Java')"
                    ).format(region=case.region),
                )
            )
    elif region.status == "ambiguous" and ambiguous != "keep":
        problems.append(
            (
                "region",
                _(
                    "region '{region}' is ambiguous: {candidates}; write 'Kota ...' or "
                    "'Kabupaten ...'"
                ).format(
                    region=case.region,
                    candidates=region.candidates_text(),
                ),
            )
        )
    country = None
    if case.partner_country:
        country = g.resolve_country(case.partner_country)
        if country is None:
            problems.append(
                (
                    "partner_country",
                    _(
                        "partner country '{country}' is not a country I know; give its English "
                        "or Indonesian name or its ISO code (e.g. Germany, Jerman, DE)"
                    ).format(country=case.partner_country),
                )
            )
    types = _types(conn)
    type_hit = types.get(places.fold(case.type)) if case.type else None
    if type_hit is None:
        known = ", ".join(sorted({t for t, _label in types.values()}))
        problems.append(
            (
                "type",
                _("unknown type '{type}'; use one of: {known}").format(type=case.type, known=known),
            )
        )
    if case.partner_kind and case.partner_kind not in PARTNER_KINDS:
        problems.append(
            (
                "partner_kind",
                _("partner kind '{kind}' must be one of {kinds}").format(
                    kind=case.partner_kind, kinds=", ".join(PARTNER_KINDS)
                ),
            )
        )
    if case.date:
        why = date_problem(case.date)
        if why:
            problems.append(("date", date_wording(why)))
    sector_map = _sectors(conn)
    sector_ids: list[str] = []
    for s in case.sectors:
        sid = sector_map.get(places.fold(s))
        if sid is None:
            problems.append(
                (
                    "sectors",
                    _("unknown sector '{sector}'; 'paradiplo-tui sectors' lists them").format(
                        sector=s
                    ),
                )
            )
        elif sid not in sector_ids:
            sector_ids.append(sid)
    quotes: list[LocatedQuote] = []
    try:
        source_text(conn, case.source_id)
    except NotFound as exc:
        problems.append(("source", str(exc)))
    else:
        for spec in case.quotes:
            try:
                quotes.append(locate_quote(conn, case.source_id, spec))
            except QuoteNotFound as exc:
                problems.append(("quote_missing", str(exc)))
            except CollectionError as exc:
                problems.append(("quotes", str(exc)))
    valid_facts = CASE_FACTS | {f"sector:{s}" for s in sector_ids}
    for q in quotes:
        bad = [f for f in q.supports if f not in valid_facts]
        if bad:
            problems.append(
                (
                    "quotes",
                    _("a quote supports unknown fact(s) {facts}; use {known}").format(
                        facts=", ".join(bad), known=_(FACTS_HELP)
                    ),
                )
            )
    partner = _clean(case.partner)
    type_id = type_hit[0] if type_hit else None
    type_label = type_hit[1] if type_hit else None
    title = _clean(case.title) or default_title(region.name, partner, type_label)
    duplicates: list[tuple[str, str]] = []
    if region.status != "unknown" and type_id:
        duplicates = find_duplicates(
            conn,
            region.area.code if region.area else None,
            region_actor_name(region),
            partner,
            type_id,
            exclude,
        )
    return CasePreview(
        region=region,
        partner=partner,
        partner_country=country,
        type_id=type_id,
        type_label=type_label,
        sector_ids=tuple(sector_ids),
        quotes=tuple(quotes),
        title=title,
        problems=tuple(p for _f, p in problems),
        duplicates=tuple(duplicates),
        problem_fields=tuple(f for f, _p in problems),
    )


def date_wording(why: str) -> str:
    """A date problem as a case's problem says it."""
    return _("date: {why} (put other wording in date_as_stated)").format(why=why)


def default_title(region: str, partner: str | None, type_label: str | None) -> str:
    what = (type_label or "cooperation").split(" (")[0]
    return f"{region} – {partner or 'partner not named'}: {what}"


def region_actor_name(region: places.RegionMatch) -> str:
    if region.area:
        return region.area.name
    return f"{region.as_stated} (city or regency not stated)"


def raise_problems(p: CasePreview) -> None:
    """Raise CaseProblem listing the preview's problems (a quote not found first), if any."""
    if not p.problems:
        return
    quote_missing = p.problems_for("quote_missing")[:1]
    raise CaseProblem(quote_missing + [q for q in p.problems if q not in quote_missing])


def case_as_dict(p: CasePreview) -> dict[str, Any]:
    """A preview as plain data (for --json and the form)."""
    out = asdict(p)
    out["ok"] = p.ok
    return out
