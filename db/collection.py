"""Growing the collection: the user's own sources and cases, with evidence from passages.

The one API through which the command line and the app add, edit, delete and restore what the
user adds (bundled seed cases are read-only: editing or deleting one raises `SeedCaseError`).

    sid = add_source(store, NewSource(text=..., title=..., url=..., accessed=...))
    preview = preview_case(conn, CaseInput(region="Pemkot Bandung", partner="Braunschweig",
                                           partner_country="Jerman", type="sister-city",
                                           source_id=sid, quotes=(QuoteSpec("..."),)))
    cid = add_case(store, CaseInput(...), force=False)      # DuplicateCase unless force
    update_case(store, cid, {"date": "2019", "sectors": "Tourism; Education"})
    delete_case(store, cid)      # into the bin; notes on it are kept (shown orphaned)
    restore_case(store, cid)     # back, as it was
    attach_evidence(store, cid, sid, QuoteSpec(start=120, end=180, supports=("date",)))

Every write is one transaction; each quote is checked against its source's text
(whitespace-normalised, as the seeds are) and stored with its offsets. Failures raise a
`ParadiploError` subclass whose message is one clear line (or a short list) for the user.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from paradiplo.db import places, schema, searchdocs
from paradiplo.db.casewrite import adjust_summaries
from paradiplo.db.dates import date_problem, year_of
from paradiplo.db.derive import derive_category, derive_stage
from paradiplo.db.errors import NotFound
from paradiplo.db.places import Ambiguity, complete_countries, complete_regions, complete_sectors
from paradiplo.db.seeds import CASE_FACTS
from paradiplo.db.store import Store
from paradiplo.db.text import slugify
from paradiplo.db.usersources import (
    LANGUAGES,
    MAX_SOURCE_CHARS,
    SOURCE_KINDS,
    CaseProblem,
    CollectionError,
    DuplicateCase,
    DuplicateSource,
    LocatedQuote,
    NewSource,
    QuoteNotFound,
    QuoteSpec,
    SeedCaseError,
    add_source,
    locate_quote,
    nearest_passage,
    now_iso,
    source_id_for,
    source_problems,
    source_text,
)
from paradiplo.db.usersources import clean as _clean
from paradiplo.db.usersources import sutils as _sutils
from paradiplo.db.usersources import writing as _writing

__all__ = [
    "EDITABLE_FIELDS",
    "LANGUAGES",
    "MAX_SOURCE_CHARS",
    "PARTNER_KINDS",
    "SOURCE_KINDS",
    "CaseInput",
    "CasePreview",
    "CaseProblem",
    "CollectionError",
    "DeletedCase",
    "DuplicateCase",
    "DuplicateSource",
    "LocatedQuote",
    "NewSource",
    "QuoteNotFound",
    "QuoteSpec",
    "SeedCaseError",
    "add_case",
    "add_source",
    "adjust_summaries",
    "attach_evidence",
    "complete_countries",
    "complete_regions",
    "complete_sectors",
    "data_version",
    "delete_case",
    "find_duplicates",
    "is_user_case",
    "list_deleted",
    "locate_quote",
    "nearest_passage",
    "preview_case",
    "restore_case",
    "source_id_for",
    "source_problems",
    "source_text",
    "split_list",
    "update_case",
]

PARTNER_KINDS: tuple[str, ...] = ("state", "sub_state", "non_state", "unknown")
# Fields `update_case` (and `cases edit --set`) can change.
EDITABLE_FIELDS: tuple[str, ...] = (
    "title",
    "region",
    "partner",
    "partner_country",
    "partner_kind",
    "type",
    "date",
    "date_as_stated",
    "status",
    "summary",
    "sectors",
)


def is_user_case(conn: sqlite3.Connection, case_id: str) -> bool:
    """True for a case the user added; False for a bundled one. NotFound if there is none."""
    row = conn.execute("SELECT origin FROM cases WHERE id = ?", (case_id,)).fetchone()
    if row is None:
        raise NotFound(f"No case with id '{case_id}'. 'paradiplo-tui cases list' shows the ids.")
    return bool(row[0] == "user")


def data_version(conn: sqlite3.Connection) -> int:
    """SQLite's data version of this connection: it changes when another connection (another
    process, another window) commits a change. Poll it to notice outside changes."""
    return int(conn.execute("PRAGMA data_version").fetchone()[0])


# --------------------------------------------------------------------------- inputs
@dataclass(frozen=True)
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


@dataclass(frozen=True)
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

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class DeletedCase:
    id: str
    title: str
    deleted_at: str


# --------------------------------------------------------------------------- vocabularies
def _types(conn: sqlite3.Connection) -> dict[str, tuple[str, str]]:
    """folded id/label/synonym -> (type id, English label)."""
    out: dict[str, tuple[str, str]] = {}
    for tid, en, idl, syn in conn.execute(
        "SELECT id, label_en, label_id, synonyms FROM case_types"
    ):
        for name in (tid, en, idl, *places._json_list(syn)):
            if name:
                out.setdefault(places.fold(str(name)), (tid, en))
    return out


def _sectors(conn: sqlite3.Connection) -> dict[str, str]:
    out: dict[str, str] = {}
    for sid, en, idl, syn in conn.execute("SELECT id, label_en, label_id, synonyms FROM sectors"):
        for name in (sid, en, idl, *places._json_list(syn)):
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
    problems: list[str] = []
    g = places.for_connection(conn)
    region = g.resolve_region(case.region, ambiguous)
    if region.status == "unknown":
        if "did you mean" in region.detail:
            problems.append(f"region: {region.detail}")
        else:
            problems.append(
                f"region '{case.region}' is not in the official list of Indonesia's regions "
                "(write e.g. 'Kota Surabaya', 'Kabupaten Malang', 'Jawa Timur' or 'East Java')"
            )
    elif region.status == "ambiguous" and ambiguous != "keep":
        problems.append(
            f"region '{case.region}' is ambiguous: {region.candidates_text()}; "
            "write 'Kota ...' or 'Kabupaten ...'"
        )
    country = None
    if case.partner_country:
        country = g.resolve_country(case.partner_country)
        if country is None:
            problems.append(
                f"partner country '{case.partner_country}' is not a country I know; give its "
                "English or Indonesian name or its ISO code (e.g. Germany, Jerman, DE)"
            )
    types = _types(conn)
    type_hit = types.get(places.fold(case.type)) if case.type else None
    if type_hit is None:
        known = ", ".join(sorted({t for t, _ in types.values()}))
        problems.append(f"unknown type '{case.type}'; use one of: {known}")
    if case.partner_kind and case.partner_kind not in PARTNER_KINDS:
        problems.append(
            f"partner kind '{case.partner_kind}' must be one of {', '.join(PARTNER_KINDS)}"
        )
    if case.date:
        why = date_problem(case.date)
        if why:
            problems.append(f"date: {why} (put other wording in date_as_stated)")
    sector_map = _sectors(conn)
    sector_ids: list[str] = []
    for s in case.sectors:
        sid = sector_map.get(places.fold(s))
        if sid is None:
            problems.append(f"unknown sector '{s}'; 'paradiplo-tui sectors' lists them")
        elif sid not in sector_ids:
            sector_ids.append(sid)
    quotes: list[LocatedQuote] = []
    try:
        source_text(conn, case.source_id)
    except NotFound as exc:
        problems.append(str(exc))
    else:
        for spec in case.quotes:
            try:
                quotes.append(locate_quote(conn, case.source_id, spec))
            except CollectionError as exc:
                problems.append(str(exc))
    valid_facts = CASE_FACTS | {f"sector:{s}" for s in sector_ids}
    for q in quotes:
        bad = [f for f in q.supports if f not in valid_facts]
        if bad:
            problems.append(
                f"a quote supports unknown fact(s) {', '.join(bad)}; use region, partner, "
                "partner_country, type, date, status, summary, title or sector:<id>"
            )
    partner = _clean(case.partner)
    type_id = type_hit[0] if type_hit else None
    type_label = type_hit[1] if type_hit else None
    title = _clean(case.title) or _default_title(region.name, partner, type_label)
    duplicates: list[tuple[str, str]] = []
    if region.status != "unknown" and type_id:
        duplicates = find_duplicates(
            conn,
            region.area.code if region.area else None,
            _region_actor_name(region),
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
        problems=tuple(problems),
        duplicates=tuple(duplicates),
    )


def _default_title(region: str, partner: str | None, type_label: str | None) -> str:
    what = (type_label or "cooperation").split(" (")[0]
    return f"{region} – {partner or 'partner not named'}: {what}"


def _region_actor_name(region: places.RegionMatch) -> str:
    if region.area:
        return region.area.name
    return f"{region.as_stated} (city or regency not stated)"


def _ensure_region_actor(w: sqlite3.Connection, region: places.RegionMatch) -> dict[str, Any]:
    """The actor for a home-side region (an existing one with its official code, else new)."""
    area = region.area
    if area is not None:
        row = w.execute(
            "SELECT id FROM actors WHERE area_code = ? AND country_code = 'ID'"
            " ORDER BY origin DESC LIMIT 1",
            (area.code,),
        ).fetchone()
        prov = area.province_code or area.code
        actor = {
            "id": row[0] if row else _new_actor_id(w, area.name, "ID"),
            "name": area.name,
            "country_code": "ID",
            "level": area.level,
            "kind": "sub_state",
            "area_code": area.code,
            "province_code": prov,
        }
        if row is None:
            _sutils(w)["actors"].insert({**actor, "origin": "user"})
        return {**actor, "area_code": None if area.level == "province" else area.code}
    # Kept as stated (ambiguity "keep"): like the seeds' "Malang (city or regency not stated)".
    name = _region_actor_name(region)
    codes = [a.code for a in region.candidates]
    provs = {a.province_code or a.code for a in region.candidates}
    row = w.execute(
        "SELECT id FROM actors WHERE name = ? AND country_code = 'ID' LIMIT 1", (name,)
    ).fetchone()
    actor = {
        "id": row[0] if row else _new_actor_id(w, name, "ID"),
        "name": name,
        "as_stated": region.as_stated,
        "country_code": "ID",
        "level": "regency_or_city",
        "kind": "sub_state",
        "area_code": None,
        "province_code": provs.pop() if len(provs) == 1 else None,
        "candidates": json.dumps(codes),
        "unclear": json.dumps(
            [f"'{region.as_stated}' may be any of: " + ", ".join(
                f"{a.name} ({a.code})" for a in region.candidates
            )],
            ensure_ascii=False,
        ),
    }  # fmt: skip
    if row is None:
        _sutils(w)["actors"].insert({**actor, "origin": "user"})
    return actor


def _new_actor_id(w: sqlite3.Connection, name: str, country: str) -> str:
    base = slugify(name) + ("" if country == "ID" else f"-{country.lower()}")
    aid, n = base, 2
    while w.execute("SELECT 1 FROM actors WHERE id = ?", (aid,)).fetchone():
        aid, n = f"{base}-{n}", n + 1
    return aid


def _ensure_country(w: sqlite3.Connection, country: places.Country | None) -> str | None:
    if country is None:
        return None
    w.execute(
        "INSERT OR IGNORE INTO countries(code, name_en, name_id, origin) VALUES (?, ?, ?, 'user')",
        (country.code, country.name_en, country.name_id or country.name_en),
    )
    return country.code


def _ensure_partner_actor(
    w: sqlite3.Connection, name: str, country: str | None, kind: str | None
) -> tuple[str, str, str]:
    """(actor id, kind, stored name) of the partner: an existing actor of that country whose name matches
    with prefixes aside ("Kota Braunschweig" is "Braunschweig"), else a new one."""
    key = places.partner_key(name)
    for aid, aname, akind in w.execute(
        "SELECT id, name, kind FROM actors WHERE country_code IS ? AND coalesce(level, '') NOT IN"
        " ('province', 'regency', 'city', 'regency_or_city') ORDER BY origin DESC",
        (country,),
    ):
        if places.partner_key(aname) == key:
            return aid, akind, aname
    aid = _new_actor_id(w, name, country or "xx")
    _sutils(w)["actors"].insert(
        {
            "id": aid,
            "name": name,
            "country_code": country,
            "kind": kind or "unknown",
            "origin": "user",
        }
    )
    return aid, kind or "unknown", name


def _new_case_id(
    w: sqlite3.Connection, region: str, partner: str | None, type_id: str, date: str | None
) -> str:
    base = slugify(" ".join(p for p in (region, partner or "", type_id, (date or "")[:4]) if p))[
        :80
    ]
    cid, n = base, 2
    while w.execute(
        "SELECT 1 FROM cases WHERE id = ? UNION ALL SELECT 1 FROM case_bin WHERE id = ?",
        (cid, cid),
    ).fetchone():
        cid, n = f"{base}-{n}", n + 1
    return cid


def _case_row(
    w: sqlite3.Connection, case: CaseInput, p: CasePreview
) -> tuple[dict[str, Any], list[str]]:
    """The cases row for a previewed case (actors and countries written as needed)."""
    region = _ensure_region_actor(w, p.region)
    partner_country = _ensure_country(w, p.partner_country)
    partner_id = None
    partner_name = None
    kind = case.partner_kind
    if p.partner:
        partner_id, actor_kind, partner_name = _ensure_partner_actor(
            w, p.partner, partner_country, kind
        )
        kind = kind or actor_kind
    category, basis = derive_category("ID", kind, year_of(case.date), partner_name)
    stage, stage_basis = derive_stage(p.type_id, _clean(case.status))
    row = {
        "title": p.title,
        "region_id": region["id"],
        "partner_id": partner_id,
        "partner_as_stated": p.partner if partner_name != p.partner else None,
        "partner_kind": kind,
        "type": p.type_id,
        "date": case.date or None,
        "date_as_stated": _clean(case.date_as_stated),
        "year": year_of(case.date),
        "status": _clean(case.status),
        "summary": _clean(case.summary),
        "category": category,
        "category_basis": basis,
        "stage": stage,
        "stage_basis": stage_basis,
        "region_name": region["name"],
        "region_country": "ID",
        "province_code": region["province_code"],
        "area_code": region["area_code"],
        "partner_name": partner_name or "(not named)",
        "partner_country": partner_country,
    }
    return row, list(p.sector_ids)


def _write_sectors(w: sqlite3.Connection, case_id: str, sector_ids: Sequence[str]) -> None:
    w.execute("DELETE FROM case_sectors WHERE case_id = ?", (case_id,))
    if sector_ids:
        schema.write_case_sectors(w, {case_id: [(s, None) for s in sector_ids]})


def _write_evidence(
    w: sqlite3.Connection, case_id: str, quotes: Sequence[LocatedQuote]
) -> list[int]:
    table = _sutils(w)["evidence"]
    ids = []
    for q in quotes:
        table.insert(
            {
                "record_type": "case",
                "record_id": case_id,
                "source_id": q.source_id,
                "quote": q.quote,
                "start": q.start,
                "end": q.end,
                "supports": json.dumps(list(q.supports)),
                "origin": "user",
            }
        )
        ids.append(int(table.last_rowid))
    return ids


def _after_case_change(w: sqlite3.Connection, case_ids: Sequence[str]) -> None:
    """After writing cases: their counts in the summaries, their search documents."""
    adjust_summaries(w, case_ids, +1)
    searchdocs.refresh_cases(w, case_ids)


def add_case(
    store: Store, case: CaseInput, *, force: bool = False, ambiguous: Ambiguity = "error"
) -> str:
    """Add the user's case; returns its id. Raises CaseProblem (every problem, nothing
    written), QuoteNotFound, or DuplicateCase (unless `force`)."""
    conn = store.conn
    p = preview_case(conn, case, ambiguous)
    _raise_problems(p)
    if p.duplicates and not force:
        raise DuplicateCase(list(p.duplicates))
    with _writing(store) as w:
        row, sector_ids = _case_row(w, case, p)
        assert p.type_id is not None
        cid = _new_case_id(w, row["region_name"], p.partner, p.type_id, case.date)
        _sutils(w)["cases"].insert(
            {
                "id": cid,
                **row,
                "unclear": "[]",
                "related": "[]",
                "origin": "user",
                "added_at": now_iso(),
            }
        )
        _write_sectors(w, cid, sector_ids)
        quotes = p.quotes or (LocatedQuote(case.source_id, "", 0, 0),)
        _write_evidence(
            w,
            cid,
            [q if q.quote else replace(q, quote=None, start=None, end=None) for q in quotes],  # type: ignore[arg-type]
        )
        _after_case_change(w, [cid])
    return cid


def _raise_problems(p: CasePreview) -> None:
    if not p.problems:
        return
    quote_missing = [q for q in p.problems if q.startswith("Quote not found")]
    raise CaseProblem(quote_missing[:1] + [q for q in p.problems if q not in quote_missing[:1]])


def _case_input(conn: sqlite3.Connection, case_id: str) -> CaseInput:
    """A stored case as the input that would make it (for editing)."""
    r = conn.execute(
        "SELECT c.region_name, c.area_code, c.province_code, c.type, c.partner_id, c.partner_name,"
        " c.partner_country, c.partner_kind, c.date, c.date_as_stated, c.status, c.title,"
        " c.summary, a.as_stated, a.level FROM cases c JOIN actors a ON a.id = c.region_id"
        " WHERE c.id = ?",
        (case_id,),
    ).fetchone()
    if r is None:
        raise NotFound(f"No case with id '{case_id}'. 'paradiplo-tui cases list' shows the ids.")
    (rname, area, prov, tid, pid, pname, pcountry, pkind, date, dstated, status, title, summary,
     stated, level) = r  # fmt: skip
    region = area or prov or rname
    if level == "regency_or_city" and stated:
        region = stated
    sectors = tuple(
        s
        for (s,) in conn.execute("SELECT sector_id FROM case_sectors WHERE case_id = ?", (case_id,))
    )
    ev = conn.execute(
        "SELECT source_id FROM evidence WHERE record_type = 'case' AND record_id = ? ORDER BY id",
        (case_id,),
    ).fetchone()
    return CaseInput(
        region=_code_name(conn, region),
        type=tid or "",
        source_id=ev[0] if ev else "",
        partner=pname if pid else None,
        partner_country=pcountry,
        partner_kind=pkind,
        date=date,
        date_as_stated=dstated,
        status=status,
        sectors=sectors,
        title=title,
        summary=summary,
    )


def _code_name(conn: sqlite3.Connection, value: str) -> str:
    row = conn.execute("SELECT name FROM areas WHERE code = ?", (value,)).fetchone()
    return str(row[0]) if row else value


def _refuse_seed(conn: sqlite3.Connection, case_id: str, verb: str) -> None:
    if not is_user_case(conn, case_id):
        raise SeedCaseError(
            f"{case_id} is a bundled case taken from the source texts and cannot be {verb}. "
            "Write a note on it (paradiplo-tui notes add), or add your own case."
        )


def update_case(
    store: Store,
    case_id: str,
    changes: Mapping[str, str | Sequence[str] | None],
    *,
    ambiguous: Ambiguity = "error",
) -> None:
    """Change fields of the user's case (see EDITABLE_FIELDS; "sectors" takes a list or
    'a; b'). An empty value clears an optional field. The result is checked as a new case
    is (names resolved, vocabulary, dates); refuses bundled cases (SeedCaseError)."""
    conn = store.conn
    _refuse_seed(conn, case_id, "edited")
    unknown = [k for k in changes if k not in EDITABLE_FIELDS]
    if unknown:
        raise CaseProblem(
            [f"cannot set '{k}'; fields: {', '.join(EDITABLE_FIELDS)}" for k in unknown]
        )
    current = _case_input(conn, case_id)
    values: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "sectors":
            values[key] = split_list(value or ())
        elif isinstance(value, str) or value is None:
            values[key] = value.strip() if isinstance(value, str) and value.strip() else None
        else:
            raise CaseProblem([f"'{key}' takes one value"])
    for required in ("region", "type"):
        if required in values and not values[required]:
            raise CaseProblem([f"'{required}' cannot be empty"])
    edited = replace(current, **values)
    if "title" not in changes and (
        current.title
        == _default_title(
            _region_label(conn, current), current.partner, _type_label(conn, current.type)
        )
    ):
        edited = replace(edited, title=None)  # a generated title follows the edit
    p = preview_case(conn, replace(edited, quotes=()), ambiguous, exclude=case_id)
    p = replace(p, problems=tuple(x for x in p.problems if not x.startswith("No source")))
    _raise_problems(p)
    with _writing(store) as w:
        adjust_summaries(w, [case_id], -1)
        row, sector_ids = _case_row(w, edited, p)
        _sutils(w)["cases"].update(case_id, row)
        _write_sectors(w, case_id, sector_ids)
        _after_case_change(w, [case_id])


def _region_label(conn: sqlite3.Connection, case: CaseInput) -> str:
    g = places.for_connection(conn)
    return _region_actor_name(g.resolve_region(case.region, "keep"))


def _type_label(conn: sqlite3.Connection, type_id: str) -> str | None:
    row = conn.execute("SELECT label_en FROM case_types WHERE id = ?", (type_id,)).fetchone()
    return str(row[0]) if row else None


def delete_case(store: Store, case_id: str) -> None:
    """Move the user's case to the bin (restore_case puts it back). Notes on it are kept and
    listed as orphaned meanwhile. Refuses bundled cases (SeedCaseError)."""
    conn = store.conn
    _refuse_seed(conn, case_id, "deleted")
    with _writing(store) as w:
        w.row_factory = sqlite3.Row
        try:
            row = dict(w.execute("SELECT * FROM cases WHERE id = ?", (case_id,)).fetchone())
            sectors = [
                dict(r)
                for r in w.execute(
                    "SELECT sector_id, as_stated FROM case_sectors WHERE case_id = ?", (case_id,)
                )
            ]
            evidence = [
                dict(r)
                for r in w.execute(
                    "SELECT * FROM evidence WHERE record_type = 'case' AND record_id = ? ORDER BY id",
                    (case_id,),
                )
            ]
        finally:
            w.row_factory = None
        record = {"case": row, "sectors": sectors, "evidence": evidence}
        _sutils(w)["case_bin"].upsert(
            {
                "id": case_id,
                "title": row["title"],
                "record": json.dumps(record, ensure_ascii=False),
                "deleted_at": now_iso(),
            },
            pk="id",
        )
        adjust_summaries(w, [case_id], -1)
        w.execute("DELETE FROM evidence WHERE record_type = 'case' AND record_id = ?", (case_id,))
        w.execute("DELETE FROM cases WHERE id = ?", (case_id,))
        searchdocs.delete(w, "case", [case_id])


def restore_case(store: Store, case_id: str) -> None:
    """Put a deleted case back as it was (its sectors and evidence too)."""
    with _writing(store) as w:
        got = w.execute("SELECT record FROM case_bin WHERE id = ?", (case_id,)).fetchone()
        if got is None:
            if w.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone():
                raise CollectionError(f"{case_id} is not deleted: it is in the collection.")
            raise NotFound(
                f"No deleted case with id '{case_id}'. 'paradiplo-tui cases deleted' lists the bin."
            )
        if w.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone():
            raise CollectionError(
                f"A case with id {case_id} is in the collection again; delete it first."
            )
        record = json.loads(got[0])
        db = _sutils(w)
        for aid in (record["case"]["region_id"], record["case"].get("partner_id")):
            if aid and not w.execute("SELECT 1 FROM actors WHERE id = ?", (aid,)).fetchone():
                raise CollectionError(
                    f"{case_id} cannot be restored: its party '{aid}' is no longer in the "
                    "collection. Add the case again."
                )
        db["cases"].insert(record["case"])
        if record["sectors"]:
            schema.write_case_sectors(
                w, {case_id: [(s["sector_id"], s["as_stated"]) for s in record["sectors"]]}
            )
        for e in record["evidence"]:
            e.pop("id", None)
            if not w.execute("SELECT 1 FROM sources WHERE id = ?", (e["source_id"],)).fetchone():
                continue
            db["evidence"].insert(e)
        w.execute("DELETE FROM case_bin WHERE id = ?", (case_id,))
        _after_case_change(w, [case_id])


def list_deleted(conn: sqlite3.Connection) -> list[DeletedCase]:
    """The bin, newest first."""
    return [
        DeletedCase(*r)
        for r in conn.execute(
            "SELECT id, title, deleted_at FROM case_bin ORDER BY deleted_at DESC, id"
        )
    ]


def attach_evidence(store: Store, case_id: str, source_id: str, spec: QuoteSpec) -> int:
    """Add a passage of a source as evidence for a case (the user's or a bundled one: the
    evidence is the user's); returns the evidence id. `spec.supports` names the facts it
    supports (CASE_FACTS, or "sector:<id>" of one of the case's sectors)."""
    conn = store.conn
    is_user_case(conn, case_id)  # NotFound if there is no such case
    located = locate_quote(conn, source_id, spec)
    sectors = {
        s
        for (s,) in conn.execute("SELECT sector_id FROM case_sectors WHERE case_id = ?", (case_id,))
    }
    valid = CASE_FACTS | {f"sector:{s}" for s in sectors}
    bad = [f for f in located.supports if f not in valid]
    if bad:
        raise CaseProblem(
            [
                f"the case has no fact '{f}' (facts: region, partner, date, type, sector:<id>, ...)"
                for f in bad
            ]
        )
    with _writing(store) as w:
        (eid,) = _write_evidence(w, case_id, [located])
        searchdocs.refresh_cases(w, [case_id])
    return eid


def case_as_dict(p: CasePreview) -> dict[str, Any]:
    """A preview as plain data (for --json and the form)."""
    out = asdict(p)
    out["ok"] = p.ok
    return out
