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
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from paradiplo.db import places, schema, searchdocs
from paradiplo.db.casefields import (
    AMBIGUOUS_CHOICES,
    EDITABLE_FIELDS,
    FACTS_HELP,
    PARTNER_KINDS,
    SOURCE_KINDS,
)
from paradiplo.db.casepreview import (
    CaseInput,
    CasePreview,
    case_as_dict,
    case_input,
    default_title,
    find_duplicates,
    preview_case,
    raise_problems,
    region_actor_name,
    split_facts,
    split_list,
)
from paradiplo.db.caserows import (
    after_case_change,
    case_row,
    new_case_id,
    write_evidence,
    write_sectors,
)
from paradiplo.db.casewrite import adjust_summaries
from paradiplo.db.errors import NotFound, no_case
from paradiplo.db.i18n import N_, _
from paradiplo.db.places import Ambiguity, complete_countries, complete_regions, complete_sectors
from paradiplo.db.record import record
from paradiplo.db.seeds import CASE_FACTS
from paradiplo.db.store import Store
from paradiplo.db.usersources import (
    LANGUAGES,
    MAX_SOURCE_CHARS,
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
from paradiplo.db.usersources import sutils as _sutils
from paradiplo.db.usersources import writing as _writing

__all__ = [
    "AMBIGUOUS_CHOICES",
    "EDITABLE_FIELDS",
    "FACTS_HELP",
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
    "case_as_dict",
    "case_input",
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
    "split_facts",
    "split_list",
    "update_case",
]


def is_user_case(conn: sqlite3.Connection, case_id: str) -> bool:
    """True for a case the user added; False for a bundled one. NotFound if there is none."""
    row = conn.execute("SELECT origin FROM cases WHERE id = ?", (case_id,)).fetchone()
    if row is None:
        raise no_case(case_id)
    return bool(row[0] == "user")


def data_version(conn: sqlite3.Connection) -> int:
    """SQLite's data version of this connection: it changes when another connection (another
    process, another window) commits a change. Poll it to notice outside changes."""
    return int(conn.execute("PRAGMA data_version").fetchone()[0])


@record
class DeletedCase:
    id: str
    title: str
    deleted_at: str


def add_case(
    store: Store, case: CaseInput, *, force: bool = False, ambiguous: Ambiguity = "error"
) -> str:
    """Add the user's case; returns its id. Raises CaseProblem (every problem, nothing
    written), QuoteNotFound, or DuplicateCase (unless `force`)."""
    conn = store.conn
    p = preview_case(conn, case, ambiguous)
    raise_problems(p)
    if p.duplicates and not force:
        raise DuplicateCase(list(p.duplicates))
    with _writing(store) as w:
        row, sector_ids = case_row(w, case, p)
        assert p.type_id is not None
        cid = new_case_id(w, row["region_name"], p.partner, p.type_id, case.date)
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
        write_sectors(w, cid, sector_ids)
        quotes = p.quotes or (LocatedQuote(case.source_id, "", 0, 0),)
        write_evidence(
            w,
            cid,
            [q if q.quote else replace(q, quote=None, start=None, end=None) for q in quotes],  # type: ignore[arg-type]
        )
        after_case_change(w, [cid])
    return cid


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
        raise no_case(case_id)
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
            _(
                "{id} is a bundled case taken from the source texts and cannot be {verb}. "
                "Write a note on it (paradiplo-tui notes add), or add your own case."
            ).format(id=case_id, verb=_(verb))
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
    _refuse_seed(conn, case_id, N_("edited"))
    unknown = [k for k in changes if k not in EDITABLE_FIELDS]
    if unknown:
        raise CaseProblem(
            [
                _("cannot set '{field}'; fields: {fields}").format(
                    field=k, fields=", ".join(EDITABLE_FIELDS)
                )
                for k in unknown
            ]
        )
    current = _case_input(conn, case_id)
    values: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "sectors":
            values[key] = split_list(value or ())
        elif isinstance(value, str) or value is None:
            values[key] = value.strip() if isinstance(value, str) and value.strip() else None
        else:
            raise CaseProblem([_("'{field}' takes one value").format(field=key)])
    for required in ("region", "type"):
        if required in values and not values[required]:
            raise CaseProblem([_("'{field}' cannot be empty").format(field=required)])
    edited = replace(current, **values)
    if "title" not in changes and (
        current.title
        == default_title(
            _region_label(conn, current), current.partner, _type_label(conn, current.type)
        )
    ):
        edited = replace(edited, title=None)  # a generated title follows the edit
    p = preview_case(conn, replace(edited, quotes=()), ambiguous, exclude=case_id)
    raise_problems(p.without("source"))
    with _writing(store) as w:
        adjust_summaries(w, [case_id], -1)
        row, sector_ids = case_row(w, edited, p)
        _sutils(w)["cases"].update(case_id, row)
        write_sectors(w, case_id, sector_ids)
        after_case_change(w, [case_id])


def _region_label(conn: sqlite3.Connection, case: CaseInput) -> str:
    g = places.for_connection(conn)
    return region_actor_name(g.resolve_region(case.region, "keep"))


def _type_label(conn: sqlite3.Connection, type_id: str) -> str | None:
    row = conn.execute("SELECT label_en FROM case_types WHERE id = ?", (type_id,)).fetchone()
    return str(row[0]) if row else None


def delete_case(store: Store, case_id: str) -> None:
    """Move the user's case to the bin (restore_case puts it back). Notes on it are kept and
    listed as orphaned meanwhile. Refuses bundled cases (SeedCaseError)."""
    conn = store.conn
    _refuse_seed(conn, case_id, N_("deleted"))
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
                raise CollectionError(
                    _("{id} is not deleted: it is in the collection.").format(id=case_id)
                )
            raise NotFound(
                _(
                    "No deleted case with id '{id}'. 'paradiplo-tui cases deleted' lists the bin."
                ).format(id=case_id)
            )
        if w.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone():
            raise CollectionError(
                _("A case with id {id} is in the collection again; delete it first.").format(
                    id=case_id
                )
            )
        record = json.loads(got[0])
        db = _sutils(w)
        for aid in (record["case"]["region_id"], record["case"].get("partner_id")):
            if aid and not w.execute("SELECT 1 FROM actors WHERE id = ?", (aid,)).fetchone():
                raise CollectionError(
                    _(
                        "{id} cannot be restored: its party '{party}' is no longer in the "
                        "collection. Add the case again."
                    ).format(id=case_id, party=aid)
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
        after_case_change(w, [case_id])


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
                _("the case has no fact '{fact}' (facts: {facts})").format(
                    fact=f, facts=_(FACTS_HELP)
                )
                for f in bad
            ]
        )
    with _writing(store) as w:
        (eid,) = write_evidence(w, case_id, [located])
        searchdocs.refresh_cases(w, [case_id])
    return eid
