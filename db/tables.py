"""The tables sqlite-utils makes: their columns, keys, defaults and foreign keys, as data.

db/schema.py makes the rest (in DDL: what sqlite-utils cannot express, and the indexes) and
calls `create` for these, on a new database and in an upgrade alike.
"""

from __future__ import annotations

import sqlite3
from dataclasses import field

from paradiplo.db.record import record


@record
class Table:
    """A table as sqlite-utils creates it (`create_tables`): its columns in order with their
    types, primary key, NOT NULL columns, defaults, and foreign keys (column -> (table,
    column, ON DELETE action))."""

    columns: dict[str, type]
    pk: str | tuple[str, ...] | None = "id"
    not_null: tuple[str, ...] = ()
    defaults: dict[str, object] = field(default_factory=dict)
    references: dict[str, tuple[str, str, str]] = field(default_factory=dict)


def _ref(table: str, column: str = "id", on_delete: str = "NO ACTION") -> tuple[str, str, str]:
    return (table, column, on_delete)


def _text(names: str) -> dict[str, type]:
    """Text columns, named in order in one string."""
    return dict.fromkeys(names.split(), str)


# Every curated or imported record says where it came from: 'seed' or 'user'.
ORIGIN: dict[str, object] = {"origin": "seed"}
TABLES: dict[str, Table] = {
    "meta": Table(_text("key value"), pk="key"),
    "countries": Table(
        _text("code name_en name_id synonyms origin"),
        pk="code",
        not_null=("name_en", "synonyms", "origin"),
        defaults={"synonyms": "[]", **ORIGIN},
    ),
    # `url` and `accessed` (where and when the user read a source they added; NULL for the
    # bundled texts) come with the citation columns (CITATION_COLUMNS, schema 4).
    "sources": Table(
        _text(
            "id file kind title outlet authors affiliation published language keywords notes"
            " citation text origin added_at"
        ),
        not_null=("kind", "authors", "keywords", "notes", "text", "origin"),
        defaults={"authors": "[]", "keywords": "[]", "notes": "[]", "text": "", **ORIGIN},
    ),
    "sectors": Table(
        {**_text("id label_en label_id synonyms"), "position": int, "origin": str},
        not_null=("label_en", "label_id", "synonyms", "position", "origin"),
        defaults={"synonyms": "[]", "position": 0, **ORIGIN},
    ),
    "case_types": Table(
        _text("id label_en label_id synonyms origin"),
        not_null=("label_en", "label_id", "synonyms", "origin"),
        defaults={"synonyms": "[]", **ORIGIN},
    ),
    "cases": Table(
        {
            **_text(
                "id title region_id partner_id partner_as_stated partner_kind facilitator_id"
                " type type_as_stated date date_as_stated"
            ),
            "year": int,
            **_text(
                "status status_as_stated scope_article summary category category_basis"
                " unclear related origin added_at"
            ),
            # Denormalised from actors for fast filtering and sorting of large collections.
            **_text(
                "region_name region_country province_code area_code partner_name partner_country"
            ),
        },
        not_null=(
            "title",
            "region_id",
            "unclear",
            "related",
            "origin",
            "region_name",
            "partner_name",
        ),
        defaults={
            "unclear": "[]",
            "related": "[]",
            **ORIGIN,
            "region_name": "",
            "partner_name": "",
        },
        references={
            "region_id": _ref("actors"),
            "partner_id": _ref("actors"),
            "facilitator_id": _ref("actors"),
            "type": _ref("case_types"),
        },
    ),
    # Summaries (schema 2), rebuilt from cases and case_sectors by `rebuild_summaries` in the
    # transaction of every writer of cases (seed build, import). They answer the trees and the
    # sector counts of the common filters (none, one sector, one region or partner) by reading
    # a few hundred rows at most, however large the collection. The region tree's rows under
    # no filter (sector_id '') or under one sector, then the partner tree's likewise
    # (summary_sectors, WITHOUT ROWID, is in DDL):
    "summary_regions": Table(
        {**_text("sector_id region_country province_code area_code region_id"), "n": int},
        pk=None,
        not_null=("sector_id", "n"),
    ),
    "summary_partners": Table(
        {**_text("sector_id partner_country partner_id partner_name"), "n": int},
        pk=None,
        not_null=("sector_id", "n"),
    ),
    "evidence": Table(
        {
            "id": int,
            **_text("record_type record_id source_id quote"),
            "start": int,
            "end": int,
            **_text("supports origin"),
        },
        not_null=("record_type", "record_id", "source_id", "supports", "origin"),
        defaults={"supports": "[]", **ORIGIN},
        references={"source_id": _ref("sources")},
    ),
    "people": Table(
        _text("id name office office_as_stated actor_id origin"),
        not_null=("name", "origin"),
        defaults=ORIGIN,
        references={"actor_id": _ref("actors")},
    ),
    "case_people": Table(
        _text("case_id person_id"),
        pk=("case_id", "person_id"),
        not_null=("case_id", "person_id"),
        references={
            "case_id": _ref("cases", on_delete="CASCADE"),
            "person_id": _ref("people", on_delete="CASCADE"),
        },
    ),
    "events": Table(
        _text("id case_id date date_as_stated place description people origin"),
        not_null=("case_id", "description", "people", "origin"),
        defaults={"people": "[]", **ORIGIN},
        references={"case_id": _ref("cases", on_delete="CASCADE")},
    ),
    "legal_bases": Table(
        {**_text("id short title kind number"), "year": int, **_text("summary origin")},
        not_null=("short", "title", "origin"),
        defaults=ORIGIN,
    ),
    "glossary": Table(
        {**_text("id term definition"), "reference": int, "origin": str},
        not_null=("term", "definition", "reference", "origin"),
        defaults={"reference": 0, **ORIGIN},
    ),
    # Schema 3: the bin of the user's deleted cases. `record` is the case as `db.collection`
    # wrote it (its row, sector tags and evidence, JSON), enough to put it back as it was.
    "case_bin": Table(
        _text("id title record deleted_at"), not_null=("title", "record", "deleted_at")
    ),
}
# Schema 3 (see schema.FIDELITY_COLUMNS): a law's status and description from outside the bundled
# texts, each with its citations (a JSON list of {database, address, publication}; `checked`
# says what was checked); what one source claims, in its own voice, about laws or concepts
# (`about`: a JSON list of 'law:<id>' / 'term:<id>'; its quotes are evidence rows,
# record_type 'claim'); claims of different sources on the same question that disagree.
FIDELITY_TABLES: dict[str, Table] = {
    "law_references": Table(
        _text(
            "law_id status status_text replaced_by amended_by description citations checked origin"
        ),
        pk="law_id",
        not_null=("status", "status_text", "amended_by", "description", "citations", "origin"),
        defaults={"amended_by": "[]", "citations": "[]", **ORIGIN},
    ),
    "claims": Table(
        _text("id source_id about claim title_as_cited origin"),
        not_null=("source_id", "about", "claim", "origin"),
        defaults={"about": "[]", **ORIGIN},
    ),
    "conflicts": Table(
        _text("id question about claims note origin"),
        not_null=("question", "about", "claims", "origin"),
        defaults={"about": "[]", "claims": "[]", **ORIGIN},
    ),
}


def create(conn: sqlite3.Connection, tables: dict[str, Table]) -> None:
    """Create those of `tables` the database lacks, with sqlite-utils (in the caller's
    transaction, if one is open)."""
    from sqlite_utils.db import ForeignKey

    from paradiplo.db.bulk import sqlite_db

    db = sqlite_db(conn)
    for name, t in tables.items():
        db.create_table(
            name,
            t.columns,
            pk=t.pk,
            not_null=t.not_null,
            defaults=t.defaults,
            foreign_keys=[
                ForeignKey(name, col, table, other, on_delete=action)
                for col, (table, other, action) in t.references.items()
            ],
            if_not_exists=True,
        )
