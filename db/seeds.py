"""Build the database from the checked seed records (db/seedfiles.py reads and checks them).

Building never touches user data: notes, drafts, and user-origin records are kept.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from paradiplo.db.bulk import sqlite_db
from paradiplo.db.derive import derive_category, derive_stage
from paradiplo.db.errors import SeedError
from paradiplo.db.i18n import _
from paradiplo.db.seedfiles import (
    CASE_FACTS,
    CITATION_TEXT_FIELDS,
    SeedData,
    load_seeds,
)
from paradiplo.db.stamps import bundled_seeds_dir, seed_digest
from paradiplo.db.text import now_iso

# The names callers have always imported from here.
__all__ = [
    "CASE_FACTS",
    "SeedData",
    "build",
    "bundled_seeds_dir",
    "load_seeds",
    "seed_digest",
    "split_passages",
]


def year_of(date: str | None) -> int | None:
    if not date:
        return None
    head = date[:4]
    return int(head) if head.isdigit() else None


AREA_COLUMNS = ("code", "name", "level", "province_code")


def _seed_row(
    record: Mapping[str, Any],
    columns: str,
    *,
    renamed: Mapping[str, str] | None = None,
    lists: tuple[str, ...] = (),
    **extra: Any,
) -> dict[str, Any]:
    """A seed record as a row of `columns` (space-separated; a column is read from the record's
    key of the same name, or from `renamed[column]`); `lists` are stored as JSON arrays."""
    renamed = renamed or {}
    row = {c: record.get(renamed.get(c, c)) for c in columns.split()}
    row.update({c: _j(record.get(renamed.get(c, c))) for c in lists})
    return {**row, **extra, "origin": "seed"}


def _vocab(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A sector or case type of vocabulary.toml as a row."""
    return {
        "id": entry["id"],
        "label_en": entry["en"],
        "label_id": entry["id_label"],
        "synonyms": _j(entry.get("synonyms")),
        "origin": "seed",
    }


def _j(value: Any) -> str:
    return json.dumps(value if value is not None else [], ensure_ascii=False)


def split_passages(text: str) -> list[tuple[int, int, str]]:
    """Paragraphs of a source text with their offsets (blank lines or single newlines split)."""
    out: list[tuple[int, int, str]] = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            out.append((start + lead, start + lead + len(stripped), stripped))
    return out


def build(conn: sqlite3.Connection, data: SeedData) -> dict[str, int]:
    """Replace the seed-origin records with `data` in one transaction. User data is kept.

    The rows are written with sqlite-utils (`insert_all`, OR REPLACE where a record may be
    there already): a new column is one more key in a record.
    """
    from paradiplo.db import schema, searchdocs

    stamp = now_iso("seconds")
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("PRAGMA defer_foreign_keys = ON")
        _clear_seed_rows(conn)
        db = sqlite_db(conn)

        def put(
            table: str,
            rows: Iterable[dict[str, Any]],
            *,
            replace: bool = False,
            ignore: bool = False,
        ) -> None:
            db.table(table).insert_all(rows, replace=replace, ignore=ignore)

        seed = {"origin": "seed"}
        put("areas", ({k: a[k] for k in AREA_COLUMNS} for a in data.areas), replace=True)
        put(
            "countries",
            (
                {
                    "code": c["code"],
                    "name_en": c["en"],
                    "name_id": c.get("id_label"),
                    "synonyms": _j(c.get("synonyms")),
                    **seed,
                }
                for c in data.countries
            ),
            replace=True,
        )
        put(
            "sectors",
            ({**_vocab(x), "position": i} for i, x in enumerate(data.sectors)),
            replace=True,
        )
        put("case_types", (_vocab(t) for t in data.types), replace=True)
        put(
            "sources",
            (
                _seed_row(
                    x,
                    "id file kind title outlet affiliation published language citation",
                    lists=("authors", "keywords", "notes", "inferred"),
                    text=data.texts[x["id"]],
                    added_at=stamp,
                )
                for x in data.sources
            ),
            replace=True,
        )
        for x in data.sources:
            db.table("sources").update(x["id"], _citation_fields(x))
            db.table("passages").delete_where("source_id = ?", [x["id"]])
            put(
                "passages",
                (
                    {"source_id": x["id"], "seq": i, "start": a, "end": b, "text": t}
                    for i, (a, b, t) in enumerate(split_passages(data.texts[x["id"]]))
                ),
            )
        area_by_code = {a["code"]: a for a in data.areas}
        actor_by_id = {}
        for a in data.actors:
            area = area_by_code.get(a.get("area_code") or "")
            province = a.get("province_code") or (
                (area["province_code"] or area["code"]) if area else None
            )
            actor_by_id[a["id"]] = {**a, "province_code": province}
        put(
            "actors",
            (
                _seed_row(
                    actor_by_id[a["id"]],
                    "id name as_stated country_code level kind area_code province_code resolution",
                    renamed={"country_code": "country"},
                    lists=("candidates", "unclear"),
                )
                for a in data.actors
            ),
            replace=True,
        )
        cases = []
        for c in data.cases:
            region = actor_by_id[c["region"]]
            partner = actor_by_id.get(c.get("partner") or "")
            partner_kind = c.get("partner_kind") or (partner["kind"] if partner else None)
            category, basis = derive_category(
                region.get("country"),
                partner_kind,
                year_of(c.get("date")),
                partner["name"] if partner else None,
            )
            stage, stage_basis = derive_stage(
                c.get("type"), c.get("status"), c.get("type_as_stated"), c.get("status_as_stated")
            )
            area_code = region.get("area_code")
            if area_code and area_by_code[area_code]["level"] == "province":
                area_code = None
            cases.append(
                {
                    "id": c["id"],
                    "title": c["title"],
                    "region_id": c["region"],
                    "partner_id": c.get("partner"),
                    "partner_as_stated": c.get("partner_as_stated"),
                    "partner_kind": partner_kind,
                    "facilitator_id": c.get("facilitator"),
                    "type": c["type"],
                    "type_as_stated": c.get("type_as_stated"),
                    "date": c.get("date"),
                    "date_as_stated": c.get("date_as_stated"),
                    "year": year_of(c.get("date")),
                    "status": c.get("status"),
                    "status_as_stated": c.get("status_as_stated"),
                    "scope_article": c.get("scope_article"),
                    "summary": c.get("summary"),
                    "category": category,
                    "category_basis": basis,
                    "unclear": _j(c.get("unclear")),
                    "related": _j(c.get("related")),
                    "added_at": stamp,
                    "region_name": region["name"],
                    "region_country": region.get("country"),
                    "province_code": region.get("province_code"),
                    "area_code": area_code,
                    "partner_name": partner["name"] if partner else "(not named)",
                    "partner_country": partner.get("country") if partner else None,
                    "stage": stage,
                    "stage_basis": stage_basis,
                    "status_gloss": c.get("status_gloss"),
                    "date_note": c.get("date_note"),
                    **seed,
                }
            )
        put("cases", cases, replace=True)
        for c in data.cases:
            conn.execute("DELETE FROM case_sectors WHERE case_id = ?", (c["id"],))
        schema.write_case_sectors(
            conn, {c["id"]: list(c.get("sectors", {}).items()) for c in data.cases}
        )
        put(
            "people",
            (
                _seed_row(
                    x, "id name office office_as_stated actor_id", renamed={"actor_id": "actor"}
                )
                for x in data.people
            ),
            replace=True,
        )
        put(
            "case_people",
            (
                {"case_id": cid, "person_id": x["id"]}
                for x in data.people
                for cid in x.get("cases", [])
            ),
            ignore=True,
        )
        put(
            "events",
            (
                _seed_row(
                    e,
                    "id case_id date date_as_stated place description date_gloss",
                    renamed={"case_id": "case"},
                    lists=("people",),
                )
                for e in data.events
            ),
            replace=True,
        )
        for table, rows in _law_rows(data).items():
            put(table, rows, replace=True)
        put(
            "glossary",
            (
                {
                    "id": t["id"],
                    "term": t["term"],
                    "definition": t["definition"],
                    "reference": 1 if t.get("reference") else 0,
                    **seed,
                }
                for t in data.terms
            ),
            replace=True,
        )
        put(
            "evidence",
            (
                {
                    "record_type": rt,
                    "record_id": rid,
                    "source_id": sid,
                    "quote": q,
                    "start": a,
                    "end": b,
                    "supports": _j(sup),
                    **seed,
                }
                for rt, rid, sid, q, a, b, sup in data.evidence
            ),
        )
        schema.rebuild_summaries(conn)
        searchdocs.refresh_cases(conn, [c["id"] for c in data.cases])
        searchdocs.refresh_passages(conn, [s["id"] for s in data.sources])
        searchdocs.refresh_terms(conn)
        put(
            "meta",
            (
                {"key": k, "value": v}
                for k, v in (
                    ("seed_digest", data.digest),
                    ("seeds_built_at", stamp),
                    ("schema_version", str(schema.SCHEMA_VERSION)),
                )
            ),
            replace=True,
        )
        problems = conn.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise SeedError(
                "cases.toml",
                None,
                _("the build would leave {n} broken references (first: {first}).").format(
                    n=len(problems), first=tuple(problems[0])
                ),
                _("restore the removed record that user data still refers to."),
            )
        conn.execute("COMMIT")
    except BaseException:
        schema.rollback(conn)
        raise
    return {
        "sources": len(data.sources),
        "actors": len(data.actors),
        "cases": len(data.cases),
        "evidence": len(data.evidence),
        "people": len(data.people),
        "events": len(data.events),
        "legal_bases": len(data.legal_bases),
        "claims": len(data.claims),
        "conflicts": len(data.conflicts),
        "terms": len(data.terms),
        "sectors": len(data.sectors),
        "areas": len(data.areas),
    }


def _law_rows(data: SeedData) -> dict[str, list[dict[str, Any]]]:
    """Laws (a reference only when no claim is about them), their outside references, the
    sources' claims and the conflicts between them, as rows of their tables."""
    cited = {
        str(t)[4:] for c in data.claims for t in c.get("about", []) if str(t).startswith("law:")
    }
    return {
        "legal_bases": [
            {
                **_seed_row(lb, "id short title kind number year", summary=None),
                "reference": 0 if lb["id"] in cited else 1,
            }
            for lb in data.legal_bases
        ],
        "law_references": [
            _seed_row(
                lb["reference"],
                "status status_text replaced_by description checked",
                renamed={"citations": "cites"},
                lists=("amended_by", "citations"),
                law_id=lb["id"],
            )
            for lb in data.legal_bases
        ],
        "claims": [
            _seed_row(
                c,
                "id source_id claim title_as_cited",
                renamed={"source_id": "source"},
                lists=("about",),
            )
            for c in data.claims
        ],
        "conflicts": [
            _seed_row(k, "id question note", lists=("about", "claims")) for k in data.conflicts
        ],
    }


def _clear_seed_rows(conn: sqlite3.Connection) -> None:
    """Delete seed-origin records so edited seeds replace them.

    Records that user data still refers to (a user case citing a seed source or actor) are
    kept and re-attributed to the user, so a seed edit can never break the user's records.
    """
    from paradiplo.db import searchdocs

    conn.execute("DELETE FROM evidence WHERE origin = 'seed'")
    conn.execute("DELETE FROM events WHERE origin = 'seed'")
    conn.execute(
        "DELETE FROM case_people WHERE person_id IN (SELECT id FROM people WHERE origin = 'seed')"
    )
    conn.execute("DELETE FROM people WHERE origin = 'seed'")
    seed_cases = [r[0] for r in conn.execute("SELECT id FROM cases WHERE origin = 'seed'")]
    conn.execute("DELETE FROM cases WHERE origin = 'seed'")
    searchdocs.delete(conn, "case", seed_cases)
    conn.execute("DELETE FROM legal_bases WHERE origin = 'seed'")
    conn.execute("DELETE FROM law_references WHERE origin = 'seed'")
    conn.execute("DELETE FROM claims WHERE origin = 'seed'")
    conn.execute("DELETE FROM conflicts WHERE origin = 'seed'")
    conn.execute("DELETE FROM glossary WHERE origin = 'seed'")
    searchdocs.delete_kind(conn, "term")
    searchdocs.delete_kind(conn, "law")
    conn.execute(
        "UPDATE actors SET origin = 'user' WHERE origin = 'seed' AND id IN ("
        " SELECT region_id FROM cases UNION SELECT partner_id FROM cases"
        " UNION SELECT facilitator_id FROM cases)"
    )
    conn.execute("DELETE FROM actors WHERE origin = 'seed'")
    conn.execute(
        "UPDATE sources SET origin = 'user' WHERE origin = 'seed' AND id IN ("
        " SELECT source_id FROM evidence)"
    )
    seed_sources = [r[0] for r in conn.execute("SELECT id FROM sources WHERE origin = 'seed'")]
    for sid in seed_sources:
        searchdocs.delete_prefix(conn, "passage", f"{sid}#")
    conn.execute("DELETE FROM sources WHERE origin = 'seed'")
    conn.execute(
        "UPDATE sectors SET origin = 'user' WHERE origin = 'seed' AND id IN ("
        " SELECT sector_id FROM case_sectors)"
    )
    conn.execute("DELETE FROM sectors WHERE origin = 'seed'")
    conn.execute(
        "UPDATE case_types SET origin = 'user' WHERE origin = 'seed' AND id IN ("
        " SELECT type FROM cases)"
    )
    conn.execute("DELETE FROM case_types WHERE origin = 'seed'")
    conn.execute(
        "UPDATE countries SET origin = 'user' WHERE origin = 'seed' AND code IN ("
        " SELECT country_code FROM actors)"
    )
    conn.execute("DELETE FROM countries WHERE origin = 'seed'")


def _citation_fields(s: dict[str, Any]) -> dict[str, Any]:
    """A seed source's reference fields (schema.CITATION_COLUMNS) as column values."""
    return {
        "creators": _j(s.get("creators")),
        **{c: None if s.get(c) is None else str(s[c]) for c in CITATION_TEXT_FIELDS},
    }
