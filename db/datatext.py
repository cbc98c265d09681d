"""The Indonesian versions of the curated text we wrote in English in the seed files.

The bundled seeds carry, beside what the sources say verbatim, text in the app's voice: case
titles and summaries, what the sources leave unclear, notes and glosses, the names we give
actors, people's offices, events, glossary terms and definitions, the laws' status and
description, the sources' claims as we report them, disagreements, notes on the sources. A
seed record's English field `f` has its Indonesian version in `f_id` (for a list, the same
items in the same order). `i18n.data_label(kind, key, english)` shows it under Indonesian.

Only the bundled text is translated: a value that is not the seeds' English for that record
(a user's own case, a record changed since) is shown as it is. The sources' quotes (and the
`*_as_stated` fields, which are the sources' words) have no Indonesian version: they are never
translated. Nothing here changes what is stored or exported.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from paradiplo.db.stamps import bundled_seeds_dir

if TYPE_CHECKING:
    from paradiplo.db.models import Actor

# kind -> (seed file, record table, field): the English text shown, keyed by the record's id.
FIELDS: dict[str, tuple[str, str, str]] = {
    "case_title": ("cases.toml", "case", "title"),
    "case_summary": ("cases.toml", "case", "summary"),
    "case_unclear": ("cases.toml", "case", "unclear"),
    "case_date_note": ("cases.toml", "case", "date_note"),
    "case_status_gloss": ("cases.toml", "case", "status_gloss"),
    "actor_name": ("cases.toml", "actor", "name"),
    "actor_resolution": ("cases.toml", "actor", "resolution"),
    "actor_unclear": ("cases.toml", "actor", "unclear"),
    "person_office": ("cases.toml", "person", "office"),
    "event_description": ("cases.toml", "event", "description"),
    "event_date_gloss": ("cases.toml", "event", "date_gloss"),
    "term": ("cases.toml", "term", "term"),
    "term_definition": ("cases.toml", "term", "definition"),
    "law_status_text": ("laws.toml", "law", "reference.status_text"),
    "law_description": ("laws.toml", "law", "reference.description"),
    "claim": ("laws.toml", "claim", "claim"),
    "conflict_question": ("laws.toml", "conflict", "question"),
    "conflict_note": ("laws.toml", "conflict", "note"),
    "source_note": ("sources.toml", "source", "notes"),
}


def _field(rec: dict[str, Any], path: str) -> tuple[Any, Any]:
    """(English, Indonesian) of a field of a record; `path` may name a sub-table's field."""
    *tables, name = path.split(".")
    for table in tables:
        sub = rec.get(table)
        rec = sub if isinstance(sub, dict) else {}
    return rec.get(name), rec.get(name + "_id")


def pairs(english: Any, indonesian: Any) -> list[tuple[str, str]]:
    """The (English, Indonesian) pairs of one field: one for a text, one per item for a list
    (a list whose Indonesian version has another length gives none: which item is which
    would be a guess)."""
    if isinstance(english, str) and isinstance(indonesian, str) and indonesian.strip():
        return [(english, indonesian)]
    if (
        isinstance(english, list)
        and isinstance(indonesian, list)
        and len(english) == len(indonesian)
    ):
        return [
            (en, id_)
            for en, id_ in zip(english, indonesian, strict=True)
            if isinstance(en, str) and isinstance(id_, str) and id_.strip()
        ]
    return []


@cache
def seed_file(name: str) -> dict[str, Any]:
    """A bundled seed file, parsed once (empty if it cannot be read)."""
    import tomllib  # read when Indonesian text is first shown, not at start-up

    try:
        text = (bundled_seeds_dir() / name).read_text(encoding="utf-8")
        return tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError):
        return {}


@cache
def _table(name: str) -> dict[tuple[str, str, str], str]:
    """(kind, record id, English) -> Indonesian, for the kinds of one seed file."""
    out: dict[tuple[str, str, str], str] = {}
    data = seed_file(name)
    for kind, (file, records, path) in FIELDS.items():
        if file != name:
            continue
        for rec in data.get(records, []):
            if isinstance(rec, dict) and isinstance(rec.get("id"), str):
                for en, id_ in pairs(*_field(rec, path)):
                    out[(kind, rec["id"], en)] = id_
    return out


@cache
def _by_english(kind: str) -> dict[str, str]:
    """English -> Indonesian for one kind, whatever the record (a text two records translate
    differently is left out)."""
    out: dict[str, str] = {}
    clash: set[str] = set()
    for (k, _key, en), id_ in _table(FIELDS[kind][0]).items():
        if k == kind:
            if out.get(en, id_) != id_:
                clash.add(en)
            out[en] = id_
    return {en: id_ for en, id_ in out.items() if en not in clash}


def indonesian(kind: str, key: str | None, english: str) -> str | None:
    """The seeds' Indonesian version of `english`, the `kind` text of record `key` (any record
    when `key` is None), or None if the seeds have none for that text."""
    spec = FIELDS.get(kind)
    if spec is None or not english:
        return None
    if key is None:
        return _by_english(kind).get(english)
    return _table(spec[0]).get((kind, key, english))


def actor_name(actor: Actor) -> str:
    """An actor's name in the interface language (the seeds' Indonesian name where the name
    is ours, e.g. 'Malang (kota atau kabupaten tidak disebut)'; official and stated names as
    they are)."""
    from paradiplo.db.i18n import data_label

    return data_label("actor_name", actor.id, actor.name)
