"""Publish a collection for a class or a research group: a read-only copy for Datasette.

`publish(store, out_dir)` writes `out_dir/paradiplo.db`, a copy of the collection without the
user's personal data, and `out_dir/metadata.json`, which tells Datasette the title, the
licence and source of the official region data, each source's reference and provenance, what
the tables and columns mean, the facets for browsing cases, the full-text search table and a
few canned queries.

Personal data left out (unless `with_notes`): notes and their tags, note drafts (always left
out: they are unsaved text), and the search index's copies of the notes. The file holds no
local paths and no crash details (those live in the data and config directories, never in the
database); the copy is vacuumed with secure_delete on, so nothing deleted lingers in free
pages, and the full-text indexes are rebuilt from what is left.

The copy gains one table for readers, `agreements`: every case in words (parties, countries,
type, date, sectors, status, the sources' references, who added it) with its own full-text
index. The app opens the published file read-only (`paradiplo-tui --db OUT/paradiplo.db
--read-only`): a read-only connection to a file without notes tables sees empty ones.
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from paradiplo.db import cite, fts, schema
from paradiplo.db.errors import ParadiploError
from paradiplo.db.i18n import _
from paradiplo.db.record import record
from paradiplo.db.store import Store

DB_NAME = "paradiplo.db"
METADATA_NAME = "metadata.json"
DATABASE = "paradiplo"  # the database's name in Datasette's URLs (the file name's stem)
PERSONAL_TABLES = ("note_tags", "notes", "note_drafts")
DEFAULT_TITLE = "Paradiplomacy cases: Indonesian regions' international cooperation"

REGION_LICENSE = "ODbL-1.0"
REGION_LICENSE_URL = "https://opendatacommons.org/licenses/odbl/1-0/"
REGION_SOURCE = (
    "idn-area-data 4.0.1 (fityannugroho/idn-area-data), compiled from Keputusan Menteri Dalam"
    " Negeri Nomor 300.2.2-2138 Tahun 2025 (Kepmendagri 300.2.2-2138/2025)"
)
REGION_SOURCE_URL = "https://github.com/fityannugroho/idn-area-data"


@record
class Published:
    db_path: Path
    metadata_path: Path
    cases: int
    user_cases: int
    notes: int
    facets: list[str]


# ------------------------------------------------------------------------- the copy
def publish(
    store: Store, out_dir: Path, *, with_notes: bool = False, title: str | None = None
) -> Published:
    """Write the published copy and its Datasette metadata into `out_dir` (made if needed).

    Both files are written under temporary names and renamed into place: an earlier
    publication stays whole until the new one is complete.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / DB_NAME
    tmp = out_dir / f".{DB_NAME}.{uuid.uuid4().hex[:8]}.part"
    try:
        dest = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            store.conn.backup(dest)
            _strip(dest, with_notes=with_notes)
            dest.close()
            _add_reader_tables(tmp)
            dest = sqlite3.connect(str(tmp), isolation_level=None)
            _finish(dest)
            counts = _counts(dest)
            metadata = build_metadata(dest, title=title, with_notes=with_notes)
        finally:
            dest.close()
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    meta_path = out_dir / METADATA_NAME
    _write_json(meta_path, metadata)
    table = metadata["databases"][DATABASE]["tables"]["agreements"]
    return Published(
        target,
        meta_path,
        counts["cases"],
        counts["user_cases"],
        counts["notes"],
        [f if isinstance(f, str) else next(iter(f.values())) for f in table["facets"]],
    )


def _strip(conn: sqlite3.Connection, *, with_notes: bool) -> None:
    """Take the personal data out of the copy (in one transaction)."""
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DROP TABLE IF EXISTS note_drafts")  # unsaved text: never published
        if with_notes:
            conn.execute(
                "DELETE FROM note_tags WHERE note_id IN"
                " (SELECT id FROM notes WHERE deleted_at IS NOT NULL)"
            )
            conn.execute("DELETE FROM notes WHERE deleted_at IS NOT NULL")
            conn.execute(
                "DELETE FROM search_docs WHERE kind = 'note' AND ref_id NOT IN (SELECT id FROM notes)"
            )
        else:
            conn.execute("DELETE FROM search_docs WHERE kind = 'note'")
            for table in PERSONAL_TABLES:
                conn.execute(f"DROP TABLE IF EXISTS {table}")
        # Rebuilt from what is left: no deleted text survives in the index's segments.
        fts.rebuild_fts(conn)
        conn.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('published_at', ?)", (_now(),)
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _add_reader_tables(path: Path) -> None:
    """The `agreements` table (every case in words) and its full-text index, via sqlite-utils."""
    import sqlite_utils

    db = sqlite_utils.Database(str(path))
    conn = db.conn
    refs = {r.id: r for r in cite.read_sources(conn)}
    formatted = {f.key: f for f in cite.format_refs(list(refs.values()), "apa", "text")}
    has_stage = "stage" in {c[1] for c in conn.execute("PRAGMA table_info(cases)")}
    stage = "c.stage" if has_stage else "NULL"
    rows = conn.execute(
        "SELECT c.id, c.title, c.region_name, coalesce(pa.name, ''),"
        " coalesce(co.name_en, c.region_country), c.partner_name,"
        " coalesce(pc.name_en, c.partner_country), c.partner_kind,"
        " coalesce(t.label_en, c.type), c.date, c.date_as_stated, c.year, c.status,"
        f" c.summary, c.category, c.origin, {stage},"
        " (SELECT json_group_array(s.label_en) FROM case_sectors cs JOIN sectors s"
        "  ON s.id = cs.sector_id WHERE cs.case_id = c.id),"
        " (SELECT json_group_array(DISTINCT e.source_id) FROM evidence e"
        "  WHERE e.record_type = 'case' AND e.record_id = c.id),"
        " (SELECT group_concat(e.quote, ' … ') FROM evidence e"
        "  WHERE e.record_type = 'case' AND e.record_id = c.id AND e.quote IS NOT NULL)"
        " FROM cases c"
        " LEFT JOIN areas pa ON pa.code = c.province_code"
        " LEFT JOIN countries co ON co.code = c.region_country"
        " LEFT JOIN countries pc ON pc.code = c.partner_country"
        " LEFT JOIN case_types t ON t.id = c.type"
        " ORDER BY c.id"
    ).fetchall()

    def record(r: tuple[Any, ...]) -> dict[str, Any]:
        sources = [refs[s] for s in json.loads(r[18] or "[]") if s in refs]
        out: dict[str, Any] = {
            "id": r[0],
            "title": r[1],
            "region": r[2],
            "province": r[3] or None,
            "region_country": r[4],
            "partner": r[5] or None,
            "partner_country": r[6],
            "partner_kind": r[7],
            "type": r[8],
            "date": r[9],
            "date_as_stated": r[10],
            "year": r[11],
            "status": r[12],
            "sectors": json.loads(r[17] or "[]"),
            "summary": r[13],
            "category": r[14],
            "quotes": r[19],
            "sources": "\n".join(formatted[s.key].reference for s in sources),
            "cite_as": "; ".join(formatted[s.key].in_text for s in sources),
            "added_by": "the collection's owner" if r[15] == "user" else "bundled seed data",
        }
        if has_stage:
            out["stage"] = r[16]
        return out

    table = db.table("agreements")
    table.insert_all(
        (record(r) for r in rows),
        pk="id",
        replace=True,
        columns={"year": int, "sectors": str},
    )
    table.enable_fts(
        ["title", "region", "province", "partner", "partner_country", "summary", "quotes"],
        tokenize=schema.FTS_TOKENIZE,
        create_triggers=False,
        replace=True,
    )
    db.conn.commit()
    db.close()


def _finish(conn: sqlite3.Connection) -> None:
    """One self-contained, compact file (no -wal beside it), nothing left in free pages."""
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("VACUUM")


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    has_notes = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'notes'").fetchone()
    return {
        "cases": conn.execute("SELECT count(*) FROM cases").fetchone()[0],
        "user_cases": conn.execute("SELECT count(*) FROM cases WHERE origin = 'user'").fetchone()[
            0
        ],
        "notes": conn.execute("SELECT count(*) FROM notes").fetchone()[0] if has_notes else 0,
    }


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# ------------------------------------------------------------------------- metadata
CANNED_QUERIES: dict[str, dict[str, Any]] = {
    "cases_by_province_and_partner_country": {
        "title": "Cases by province and partner country",
        "description": "How many cases each province has with each partner country (leave a"
        " field empty for all).",
        "sql": (
            "SELECT province, partner_country, count(*) AS cases,"
            " group_concat(title, ' · ') AS titles FROM agreements"
            " WHERE (:province = '' OR province LIKE '%' || :province || '%')"
            " AND (:partner_country = '' OR partner_country LIKE '%' || :partner_country || '%')"
            " GROUP BY province, partner_country ORDER BY cases DESC, province, partner_country"
        ),
    },
    "region_partners": {
        "title": "A region's partners",
        "description": "Every partner of a province, regency or city (part of its name is"
        " enough, e.g. Surabaya or Jawa Timur), with the type and date of each cooperation.",
        "sql": (
            "SELECT region, province, coalesce(partner, '(not named)') AS partner,"
            " partner_country, type, coalesce(date_as_stated, date) AS date, title, cite_as"
            " FROM agreements WHERE region LIKE '%' || :region || '%'"
            " OR province LIKE '%' || :region || '%' ORDER BY region, partner_country, partner"
        ),
    },
}

AGREEMENT_COLUMNS = {
    "id": "The case's stable id (the app and its exports use it).",
    "title": "Short title of the cooperation.",
    "region": "The Indonesian party (province, regency or city), resolved against the official"
    " list where the source allows.",
    "province": "The Indonesian party's province (official name).",
    "region_country": "Home-side country (Indonesia unless a comparative collection).",
    "partner": "The foreign party as named, or empty when the source names none.",
    "partner_country": "The partner's country.",
    "partner_kind": "state, sub_state (a regional government), non_state or unknown.",
    "type": "Kind of cooperation: sister city, memorandum of understanding, programme, ...",
    "date": "Date as precise as the source states it (YYYY, YYYY-MM or YYYY-MM-DD).",
    "date_as_stated": "The source's own words for the date.",
    "year": "Year of the date, for sorting and faceting.",
    "status": "Status as stated (agreed, established, proposed, explored, ...).",
    "stage": "Lifecycle stage of the cooperation.",
    "sectors": "Sectors of cooperation (a JSON list; facet with 'sectors' as an array).",
    "summary": "What the case is about, in a sentence.",
    "category": "PP 28/2018 category (KSDPL/KSDLL), derived from the partner's kind by the"
    " app, never stated by a source.",
    "quotes": "The verbatim passages of the sources that state the case's facts.",
    "sources": "The sources' references (APA 7th edition).",
    "cite_as": "In-text citation of the sources (APA 7th edition).",
    "added_by": "Whether the case comes with the bundled seed data or was added by the"
    " collection's owner (their own cases).",
}


def build_metadata(
    conn: sqlite3.Connection, *, title: str | None = None, with_notes: bool = False
) -> dict[str, Any]:
    """Datasette's metadata for the published copy."""
    has_stage = "stage" in {c[1] for c in conn.execute("PRAGMA table_info(cases)")}
    facets: list[Any] = ["province", "partner_country", "type", {"array": "sectors"}, "year"]
    case_facets: list[Any] = ["province_code", "partner_country", "type", "year"]
    if has_stage:
        facets.append("stage")
        case_facets.append("stage")
    facets.append("added_by")
    refs = cite.read_sources(conn)
    bundled = [r for r in refs if r.origin == "seed"]
    formatted = {f.key: f for f in cite.format_refs(bundled, "apa", "text")}
    provenance = [
        f"{formatted[r.key].reference} Citation key: {r.key}."
        + (f" Not stated: {', '.join(r.missing(tr=str))}." if r.missing(tr=str) else "")
        for r in bundled
    ]
    n_user_sources = len(refs) - len(bundled)
    description = (
        "Cases of paradiplomacy: the international cooperation of Indonesian provinces,"
        " regencies and cities with foreign partners. Every fact comes with the verbatim"
        " passage of the source that states it. Start with the agreements table (facets:"
        " province, partner country, type, sector, year) or the canned queries below."
        + (" Includes the collection owner's study notes." if with_notes else "")
    )
    agreement_columns = dict(AGREEMENT_COLUMNS)
    if not has_stage:
        agreement_columns.pop("stage")
    tables: dict[str, Any] = {
        "agreements": {
            "description": "Every case in words, one row each: parties, countries, type,"
            " date, sectors, status, the quotes and the sources' references. Cases the"
            " collection's owner added are marked in added_by.",
            "facets": facets,
            "fts_table": "agreements_fts",
            "sort_desc": "year",
            "columns": agreement_columns,
        },
        "cases": {
            "description": "The cases as the app stores them (codes for places, countries and"
            " types; origin 'user' marks the owner's own cases).",
            "facets": case_facets,
            "columns": {
                "origin": "seed (bundled) or user (added by the collection's owner)",
                "province_code": "Official code of the province (areas table)",
                "partner_country": "ISO 3166 code of the partner's country (countries table)",
            },
        },
        "sources": {
            "description": "The sources, with what each states about itself (provenance) and"
            " the fields of its reference. Bundled sources: "
            + " ".join(provenance)
            + (
                f" Plus {n_user_sources} source(s) added by the collection's owner."
                if n_user_sources
                else ""
            ),
            "columns": {
                "kind": "Type of work: news, opinion (blog or opinion post), journal_article,"
                " report, legal, web, book; citation: only a citation string so far",
                "creators": "Authors, family and given names (JSON)",
                "published": "Date issued, as precise as stated",
                "notes": "What the text leaves open about itself",
                "text": "The full text as received",
            },
        },
        "search_docs": {
            "description": "One search document per case, source passage, glossary term"
            + (" and note" if with_notes else "")
            + ". Search with ?_search= (full-text, accents ignored).",
            "fts_table": "search_docs_fts",
            "fts_pk": "id",
            "searchable_columns": ["title", "body"],
        },
        "evidence": {
            "description": "Every quote behind a record and the facts it supports (`supports`)."
        },
        "areas": {
            "description": "Indonesia's provinces, regencies and cities (official list).",
            "license": REGION_LICENSE,
            "license_url": REGION_LICENSE_URL,
            "source": REGION_SOURCE,
            "source_url": REGION_SOURCE_URL,
        },
        "countries": {"description": "Country names in English and Indonesian."},
        "sectors": {"description": "The sector vocabulary in English and Indonesian."},
        "glossary": {"description": "Concepts the sources define, with their definitions."},
        "legal_bases": {"description": "Laws and regulations the sources cite."},
    }
    for hidden in (
        "meta",
        "summary_regions",
        "summary_partners",
        "summary_sectors",
        "case_sectors",
        "passages",
    ):
        tables[hidden] = {"hidden": True}
    if with_notes:
        tables["notes"] = {"description": "The collection owner's study notes."}
    return {
        "title": title or DEFAULT_TITLE,
        "description": description,
        "license": f"Official region data: {REGION_LICENSE}",
        "license_url": REGION_LICENSE_URL,
        "source": f"Official region data: {REGION_SOURCE}",
        "source_url": REGION_SOURCE_URL,
        "databases": {
            DATABASE: {
                "title": title or DEFAULT_TITLE,
                "description": description,
                "license": REGION_LICENSE,
                "license_url": REGION_LICENSE_URL,
                "source": REGION_SOURCE,
                "source_url": REGION_SOURCE_URL,
                "tables": tables,
                "queries": CANNED_QUERIES,
            }
        },
    }


def check_out_dir(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise ParadiploError(
            _("{path} is a file; name a folder to publish into.").format(path=out_dir)
        )
