"""Writing imported cases: one transaction, bulk statements, search documents made alongside.

`write_cases` takes the rows `db.casecheck` prepared (resolved actors, countries and sources
in its `Resolver`) and writes them; see db/io.py for the whole import.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from paradiplo.db import casedocs, schema, searchdocs

if TYPE_CHECKING:
    from paradiplo.db.casecheck import Resolver

IMPORT_CACHE_KIB = 128 * 1024


@contextmanager
def big_cache(conn: sqlite3.Connection) -> Iterator[None]:
    """For the length of an import: a larger page cache, and sorts in memory; then the
    connection's usual settings.

    The cases table has a dozen indexes; with SQLite's default 2 MiB cache a large import
    spills dirty pages mid-transaction and inserting 100,000 cases takes half again as long.
    Building indexes afterwards (`schema.deferred_indexes`) sorts every row: in memory rather
    than in temporary files. (Durability is untouched: `synchronous` stays NORMAL, and the
    import is one transaction.)
    """
    cache = int(conn.execute("PRAGMA cache_size").fetchone()[0])
    temp = int(conn.execute("PRAGMA temp_store").fetchone()[0])
    conn.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    conn.execute("PRAGMA temp_store = MEMORY")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {cache}")
        conn.execute(f"PRAGMA temp_store = {temp}")


def _document_builder(
    conn: sqlite3.Connection, res: Resolver, rows: list[dict[str, Any]]
) -> Callable[[], Iterator[tuple[list[casedocs.Doc], dict[str, list[str]]]]]:
    """A function that makes the search documents and filter keys of the imported cases from
    the import's own records, without the database, exactly as `searchdocs.refresh_cases`
    makes them from the written rows (tests/test_queries_scale.py checks they agree).

    The few lookup tables it needs are read now, on this thread; the function can then run
    in another while this connection is busy.
    """
    types = {
        r[0]: r[1:] for r in conn.execute("SELECT id, label_en, label_id, synonyms FROM case_types")
    }
    countries = {
        r[0]: r[1:] for r in conn.execute("SELECT code, name_en, name_id, synonyms FROM countries")
    }
    for code, name in res.new_countries.items():
        countries.setdefault(code, (name, name, "[]"))
    sectors = {
        r[0]: r[1:] for r in conn.execute("SELECT id, label_en, label_id, synonyms FROM sectors")
    }
    stated = dict(conn.execute("SELECT id, as_stated FROM actors WHERE as_stated IS NOT NULL"))
    laws = casedocs.source_laws(conn)
    none: tuple[None, None, None] = (None, None, None)

    def build() -> Iterator[tuple[list[casedocs.Doc], dict[str, list[str]]]]:
        synonyms = casedocs.case_synonyms()
        docs: list[casedocs.Doc] = []
        keys: dict[str, list[str]] = {}
        for r in rows:
            if len(docs) >= searchdocs.STORE_BATCH:
                yield docs, keys
                docs, keys = [], {}
            cid = r["id"]
            sector_ids = sorted(r["_sectors"])
            fields = casedocs.CaseFields._make(
                [
                    cid,
                    r["title"],
                    r["summary"],
                    r["region_name"],
                    r["partner_name"],
                    r["date_as_stated"],
                    None,  # type as stated: not part of the import format
                    *types.get(r["type"], none),
                    *countries.get(r["region_country"], none),
                    *countries.get(r["partner_country"], none),
                    stated.get(r["region_id"]),
                    stated.get(r["partner_id"]) if r["partner_id"] else None,
                    r["partner_as_stated"],
                    None,  # status as stated: likewise
                    [(*sectors[s][:2], None, sectors[s][2]) for s in sector_ids],
                    [quote for _sid, quote, _a, _b in r["_evidence"] if quote is not None],
                    r["province_code"],
                    r["area_code"],
                    r["partner_country"],
                    (),  # people: not part of the import format
                    casedocs.laws_of((e[0] for e in r["_evidence"]), laws),
                ]
            )
            docs.append(casedocs.case_document(fields, synonyms))
            keys[cid] = casedocs.case_keys(
                r["region_country"],
                r["province_code"],
                r["area_code"],
                r["region_id"],
                r["partner_country"],
                r["partner_id"],
                sector_ids,
            )
        yield docs, keys

    return build


def _ids_present(conn: sqlite3.Connection, ids: list[str]) -> set[str]:
    """Which of `ids` are already cases (chunked IN lookups on the primary key)."""
    found: set[str] = set()
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        found |= {r[0] for r in conn.execute(f"SELECT id FROM cases WHERE id IN ({marks})", chunk)}
    return found


def write_cases(
    w: sqlite3.Connection, res: Resolver, rows: list[dict[str, Any]], stamp: str
) -> set[str]:
    """Write resolved countries, actors, sources and cases and index them for search; returns
    the ids that were replaced.

    A large import makes its search documents from its own records, in a thread, while this
    one writes the rows, builds the deferred indexes and counts the summaries: statements of
    many rows each, which run inside SQLite without Python's lock (see
    `searchdocs.index_cases_while`).
    """
    existing = _ids_present(w, [r["id"] for r in rows])
    ids = [r["id"] for r in rows]
    with searchdocs.bulk(w, len(rows)):
        build = _document_builder(w, res, rows)

        def write() -> None:
            for statement in _write_rows(w, res, rows, existing, stamp):
                w.execute(statement)
            schema.rebuild_summaries(w)

        if len(rows) >= searchdocs.BULK_DOCS:
            searchdocs.index_cases_while(w, build, write)
        else:
            write()
            searchdocs.refresh_cases(w, ids)
    return existing


def _write_rows(
    w: sqlite3.Connection,
    res: Resolver,
    rows: list[dict[str, Any]],
    existing: set[str],
    stamp: str,
) -> list[str]:
    """The rows of an import (search documents, summaries and deferred indexes aside);
    returns the statements that make the deferred indexes.

    New cases go in with a plain INSERT and only re-imported ones (`existing`) with INSERT OR
    REPLACE: with foreign keys on, REPLACE costs two to three times as much per row even when
    nothing is replaced. The secondary indexes of cases and their sector rows are made
    afterwards when that is faster (`schema.defer_indexes`). Rows go in through
    `bulk.insert_rows`, not sqlite-utils' `insert_all`: an import of 26,000 partner pairs
    writes as many actors, cases and evidence rows, where `insert_all` takes six times as long
    (see db/bulk.py).
    """
    # Only what the written rows use: a record rejected (skip_invalid) after its names were
    # resolved leaves no actor, country or citation behind.
    used_actors = {r["region_id"] for r in rows} | {r["partner_id"] for r in rows}
    used_sources = {e[0] for r in rows for e in r["_evidence"]}
    actors = [a for a in res.new_actors.values() if a["id"] in used_actors]
    used_countries = {a["country_code"] for a in actors} | {r["region_country"] for r in rows}
    used_countries |= {r["partner_country"] for r in rows}
    schema.insert_rows(
        w,
        "INSERT OR IGNORE INTO countries(code, name_en, name_id, origin) VALUES",
        [
            (code, name, name, "user")
            for code, name in res.new_countries.items()
            if code in used_countries
        ],
    )
    actor = itemgetter("id", "name", "country_code", "level", "kind", "area_code", "province_code")
    schema.insert_rows(
        w,
        "INSERT OR IGNORE INTO actors(id, name, country_code, level, kind, area_code,"
        " province_code, as_stated, candidates, unclear, origin) VALUES",
        [
            (
                *actor(a),
                a.get("as_stated"),
                a.get("candidates", "[]"),
                a.get("unclear", "[]"),
                "user",
            )
            for a in actors
        ],
    )
    schema.insert_rows(
        w,
        "INSERT OR IGNORE INTO sources(id, kind, citation, origin, added_at) VALUES",
        [
            (s["id"], "citation", s["citation"], "user", stamp)
            for s in res.new_sources.values()
            if s["id"] in used_sources
        ],
    )
    again = [r["id"] for r in rows if r["id"] in existing]
    for i in range(0, len(again), 500):
        chunk = again[i : i + 500]
        m = ",".join("?" * len(chunk))
        w.execute(f"DELETE FROM case_sectors WHERE case_id IN ({m})", chunk)
        w.execute(f"DELETE FROM evidence WHERE record_type = 'case' AND record_id IN ({m})", chunk)
    keep = schema.CASCADE_INDEXES if existing else ()
    remake = schema.defer_indexes(w, ("cases", "case_sectors", "evidence"), len(rows), keep)
    if rows:
        cols = [k for k in rows[0] if not k.startswith("_")]
        values = itemgetter(*cols)
        for verb, part in (
            ("INSERT", [r for r in rows if r["id"] not in existing]),
            ("INSERT OR REPLACE", [r for r in rows if r["id"] in existing]),
        ):
            head = f"{verb} INTO cases({', '.join(cols)}) VALUES"
            schema.insert_rows(w, head, list(map(values, part)))
    schema.write_case_sectors(
        w,
        {r["id"]: [(s, None) for s in r["_sectors"]] for r in rows},
        {r["id"]: [r[k] for k in schema.CASE_KEYS] for r in rows},
    )
    schema.insert_rows(
        w,
        'INSERT INTO evidence(record_type, record_id, source_id, quote, start, "end", supports,'
        " origin) VALUES",
        [("case", r["id"], *e, "[]", "user") for r in rows for e in r["_evidence"]],
    )
    return remake


# ------------------------------------------------------------------- one case at a time
def adjust_summaries(w: sqlite3.Connection, case_ids: Sequence[str], sign: int) -> None:
    """Add (+1, after writing) or take away (-1, before deleting or changing) these cases'
    counts in the summary tables, as `schema.rebuild_summaries` would count them: a few rows
    per case instead of a recount of the whole collection (a second at 100,000 cases).
    `db check` compares the summaries with a recount."""
    for cid in case_ids:
        row = w.execute(
            "SELECT region_country, province_code, area_code, region_id, partner_country,"
            " partner_id, partner_name FROM cases WHERE id = ?",
            (cid,),
        ).fetchone()
        if row is None:
            continue
        rc, prov, area, rid, pco, pid, pname = row
        sectors = [
            sid
            for (sid,) in w.execute("SELECT sector_id FROM case_sectors WHERE case_id = ?", (cid,))
        ]
        for sec in ("", *sectors):
            _bump(
                w,
                "summary_regions",
                {"sector_id": sec, "region_country": rc, "province_code": prov,
                 "area_code": area, "region_id": rid},
                sign,
            )  # fmt: skip
            _bump(
                w,
                "summary_partners",
                {"sector_id": sec, "partner_country": pco, "partner_id": pid},
                sign,
                {"partner_name": pname},
            )
        keys = [f"s:{a}" for a in sectors]
        for sec in sectors:
            for key in (*keys, f"pc:{pco or ''}", f"pa:{pid or ''}"):
                _bump(w, "summary_sectors", {"key": key, "sector_id": sec}, sign)
            for prefix, value in (("c", rc), ("p", prov), ("a", area), ("r", rid)):
                if value is not None:
                    _bump(
                        w, "summary_sectors", {"key": f"{prefix}:{value}", "sector_id": sec}, sign
                    )


def _bump(
    w: sqlite3.Connection,
    table: str,
    key: dict[str, object],
    sign: int,
    extra: dict[str, object] | None = None,
) -> None:
    where = " AND ".join(f"{k} IS ?" for k in key)
    cur = w.execute(f"UPDATE {table} SET n = n + ? WHERE {where}", (sign, *key.values()))
    if cur.rowcount == 0 and sign > 0:
        cols = {**key, **(extra or {}), "n": sign}
        marks = ", ".join("?" * len(cols))
        w.execute(f"INSERT INTO {table}({', '.join(cols)}) VALUES ({marks})", list(cols.values()))
    elif sign < 0:
        w.execute(f"DELETE FROM {table} WHERE {where} AND n <= 0", list(key.values()))
