"""Read the curated seed files and check every record against its sources.

The seed files live in the `seeds` package (shipped with the install):
  sources.toml     provenance of each bundled source text (<id>.txt beside it)
  vocabulary.toml  sectors, case types and countries
  cases.toml       actors, cases, people, events, glossary terms
  laws.toml        laws (official titles, references from outside the texts), the sources'
                   claims about laws and concepts, and where the sources disagree
  idn-area/        the official list of Indonesia's provinces, regencies and cities (ODbL)

`load_seeds` returns a checked SeedData; db/seeds.py builds the database from it.
"""

from __future__ import annotations

import csv
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paradiplo.db.errors import SeedError
from paradiplo.db.i18n import _
from paradiplo.db.seedlaws import check_laws
from paradiplo.db.stamps import bundled_seeds_dir, seed_digest
from paradiplo.db.text import clip, find_quote

SEED_FILES = ("sources.toml", "vocabulary.toml", "cases.toml", "laws.toml")
CASE_FACTS = {
    "region",
    "partner",
    "partner_country",
    "partner_kind",
    "facilitator",
    "type",
    "date",
    "status",
    "scope_article",
    "summary",
    "title",
    "people",
    "place",
    "description",
}
ACTOR_KINDS = {"state", "sub_state", "non_state", "unknown"}
SOURCE_KINDS = {
    "news", "opinion", "journal_article", "report", "book", "web", "legal", "official",
    "citation", "other",
}  # fmt: skip
# The kinds of record in cases.toml and laws.toml: the SeedData list each fills, and the
# fields every record of that kind must have.
RECORD_KINDS: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    "cases.toml": (
        ("actor", "actors", ("name", "kind")),
        ("case", "cases", ("title", "region", "type")),
        ("person", "people", ("name",)),
        ("event", "events", ("case", "description")),
        ("term", "terms", ("term", "definition")),
    ),
    "laws.toml": (
        ("law", "legal_bases", ("short", "title")),
        ("claim", "claims", ("source", "claim")),
        ("conflict", "conflicts", ("question",)),
    ),
}


@dataclass
class SeedData:
    """Everything parsed from the seed files, checked, with quote offsets resolved."""

    directory: Path
    sources: list[dict[str, Any]] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    sectors: list[dict[str, Any]] = field(default_factory=list)
    types: list[dict[str, Any]] = field(default_factory=list)
    countries: list[dict[str, Any]] = field(default_factory=list)
    actors: list[dict[str, Any]] = field(default_factory=list)
    cases: list[dict[str, Any]] = field(default_factory=list)
    people: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    legal_bases: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    terms: list[dict[str, Any]] = field(default_factory=list)
    areas: list[dict[str, Any]] = field(default_factory=list)
    # (record_type, record_id, source_id, quote, start, end, supports)
    evidence: list[tuple[str, str, str, str, int, int, list[str]]] = field(default_factory=list)
    digest: str = ""


def _load_toml(directory: Path, name: str) -> dict[str, Any]:
    path = directory / name
    if not path.exists():
        raise SeedError(
            name, None, _("the file is missing."), _("restore {path}.").format(path=path)
        )
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise SeedError(
            name,
            None,
            _("invalid TOML ({exc}).").format(exc=exc),
            _("correct the syntax at that line and column."),
        ) from exc
    except UnicodeDecodeError as exc:
        raise SeedError(name, None, _("not valid UTF-8."), _("save the file as UTF-8.")) from exc


def _records(doc: Mapping[str, Any], key: str, file: str) -> list[dict[str, Any]]:
    value = doc.get(key, [])
    if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
        raise SeedError(
            file, None, _("'{key}' must be a list of tables ([[{key}]]).").format(key=key)
        )
    return [dict(r) for r in value]


def _require(rec: Mapping[str, Any], fields: Iterable[str], file: str, kind: str) -> str:
    rid = rec.get("id") or rec.get("code")
    if not isinstance(rid, str) or not rid.strip():
        raise SeedError(
            file,
            None,
            _("a [[{kind}]] record has no 'id'.").format(kind=kind),
            _("give it a unique slug id."),
        )
    for f in fields:
        if rec.get(f) in (None, ""):
            raise SeedError(
                file,
                rid,
                _("required field '{f}' is missing.").format(f=f),
                _("add '{f}'.").format(f=f),
            )
    return rid


def _unique(records: list[dict[str, Any]], file: str, kind: str, key: str = "id") -> set[str]:
    seen: set[str] = set()
    for rec in records:
        rid = str(rec.get(key))
        if rid in seen:
            raise SeedError(
                file,
                rid,
                _("duplicate {kind} id '{rid}'.").format(kind=kind, rid=rid),
                _("give each record its own id."),
            )
        seen.add(rid)
    return seen


def load_seeds(directory: Path | None = None) -> SeedData:
    """Parse and check every seed file. Raises SeedError naming file, record and fix."""
    directory = directory or bundled_seeds_dir()
    data = SeedData(directory=directory)
    docs = {}
    for name in SEED_FILES:
        docs[name] = _load_toml(directory, name)

    # Sources and their texts.
    src_file = "sources.toml"
    data.sources = _records(docs[src_file], "source", src_file)
    for rec in data.sources:
        sid = _require(rec, ["file", "kind"], src_file, "source")
        if not isinstance(rec["kind"], str) or rec["kind"] not in SOURCE_KINDS:
            raise SeedError.not_one_of(
                src_file, sid, _("unknown kind '{kind}'.").format(kind=rec["kind"]), SOURCE_KINDS
            )
        if not isinstance(rec["file"], str):
            raise SeedError(src_file, sid, _("'file' must be a file name."), _("quote the name."))
        path = directory / rec["file"]
        if not path.is_file():
            raise SeedError(
                src_file,
                sid,
                _("source text {file} is missing.").format(file=rec["file"]),
                _("put the text at {path}.").format(path=path),
            )
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise SeedError(
                src_file,
                sid,
                _("cannot read {file} ({strerror}).").format(
                    file=rec["file"], strerror=exc.strerror
                ),
                _("make it readable."),
            ) from exc
        try:
            data.texts[sid] = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SeedError(
                rec["file"], sid, _("the text is not valid UTF-8."), _("save it as UTF-8.")
            ) from exc
        _check_citation_fields(rec, src_file, sid)
    source_ids = _unique(data.sources, src_file, "source")

    # Vocabularies.
    voc = "vocabulary.toml"
    data.sectors = _records(docs[voc], "sector", voc)
    data.types = _records(docs[voc], "type", voc)
    data.countries = _records(docs[voc], "country", voc)
    for rec in data.sectors:
        _require(rec, ["en", "id_label"], voc, "sector")
    for rec in data.types:
        _require(rec, ["en", "id_label"], voc, "type")
    for rec in data.countries:
        _require(rec, ["en"], voc, "country")
    sector_ids = _unique(data.sectors, voc, "sector")
    type_ids = _unique(data.types, voc, "type")
    country_codes = _unique(data.countries, voc, "country", key="code")

    # Official areas.
    data.areas = load_areas(directory / "idn-area")
    area_codes = {a["code"] for a in data.areas}

    cf, lf = "cases.toml", "laws.toml"
    for file, kinds in RECORD_KINDS.items():
        for kind, name, _required in kinds:
            setattr(data, name, _records(docs[file], kind, file))
    all_ids: dict[str, set[str]] = {}
    for file, kinds in RECORD_KINDS.items():
        for kind, name, required in kinds:
            recs: list[dict[str, Any]] = getattr(data, name)
            for rec in recs:
                _require(rec, required, file, kind)
            all_ids[kind] = _unique(recs, file, kind)

    def check_ref(rid: str, field_name: str, value: Any, pool: set[str], what: str) -> None:
        if value is not None and (not isinstance(value, str) or value not in pool):
            raise SeedError(
                cf,
                rid,
                _("'{field_name}' names unknown {what} '{value}'.").format(
                    field_name=field_name, what=what, value=value
                ),
                _("add that {what} or correct the id.").format(what=what),
            )

    for rec in data.actors:
        rid = rec["id"]
        if rec["kind"] not in ACTOR_KINDS:
            raise SeedError.not_one_of(
                cf, rid, _("unknown actor kind '{kind}'.").format(kind=rec["kind"]), ACTOR_KINDS
            )
        check_ref(rid, "country", rec.get("country"), country_codes, "country")
        check_ref(rid, "area_code", rec.get("area_code"), area_codes, "official area code")
        check_ref(rid, "province_code", rec.get("province_code"), area_codes, "province code")
        for cand in rec.get("candidates", []):
            check_ref(rid, "candidates", cand, area_codes, "official area code")
    for rec in data.cases:
        rid = rec["id"]
        check_ref(rid, "region", rec.get("region"), all_ids["actor"], "actor")
        check_ref(rid, "partner", rec.get("partner"), all_ids["actor"], "actor")
        check_ref(rid, "facilitator", rec.get("facilitator"), all_ids["actor"], "actor")
        check_ref(rid, "type", rec.get("type"), type_ids, "case type")
        for rel in rec.get("related", []):
            check_ref(rid, "related", rel, all_ids["case"], "case")
        sectors = rec.get("sectors", {})
        if not isinstance(sectors, dict):
            raise SeedError(
                cf, rid, _("'sectors' must be a table of sector id = wording as stated.")
            )
        for sec in sectors:
            check_ref(rid, "sectors", sec, sector_ids, "sector")
        if rec.get("partner") is None and not rec.get("partner_as_stated"):
            raise SeedError(
                cf,
                rid,
                _("a case needs 'partner' or 'partner_as_stated'."),
                _("name the partner actor, or quote how the source describes it."),
            )
    for rec in data.people:
        check_ref(rec["id"], "actor", rec.get("actor"), all_ids["actor"], "actor")
        for c in rec.get("cases", []):
            check_ref(rec["id"], "cases", c, all_ids["case"], "case")
    for rec in data.events:
        check_ref(rec["id"], "case", rec.get("case"), all_ids["case"], "case")
        for p in rec.get("people", []):
            check_ref(rec["id"], "people", p, all_ids["person"], "person")

    # Evidence: every record except reference glossary notes must cite a verbatim passage.
    def take_evidence(file: str, record_type: str, rec: dict[str, Any]) -> None:
        rid = rec.get("id") or rec.get("code")
        items = rec.get("evidence", [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise SeedError(
                file,
                rid,
                _("'evidence' must be a list of tables."),
                _("write evidence = [{ source = ..., quote = ..., supports = [...] }]."),
            )
        if not items and not rec.get("reference"):
            raise SeedError(
                file,
                rid,
                _("has no evidence."),
                _("add evidence = [{ source = ..., quote = ..., supports = [...] }]."),
            )
        for item in items:
            sid = item.get("source")
            quote = item.get("quote")
            if sid not in source_ids:
                raise SeedError(
                    file,
                    rid,
                    _("evidence names unknown source '{sid}'.").format(sid=sid),
                    _("use one of: {items}.").format(items=", ".join(sorted(source_ids))),
                )
            if not isinstance(quote, str) or not quote.strip():
                raise SeedError(file, rid, _("an evidence item has no quote."), _("add the quote."))
            where = find_quote(data.texts[sid], quote)
            if where is None:
                raise SeedError(
                    file,
                    rid,
                    _('quote not found in source {sid}: "{quote}".').format(
                        sid=sid, quote=clip(quote, 80, "…")
                    ),
                    _(
                        "copy the passage verbatim from the source text (whitespace may differ, nothing else)."
                    ),
                )
            supports = item.get("supports", [])
            if not isinstance(supports, list) or not all(isinstance(s, str) for s in supports):
                raise SeedError(
                    file, rid, _("'supports' must be a list of field names."), _('e.g. ["date"].')
                )
            for s in supports:
                if s.startswith("sector:") and s[7:] not in rec.get("sectors", {}):
                    raise SeedError(
                        file,
                        rid,
                        _("evidence supports '{s}' but the record has no such sector.").format(s=s),
                        _("add the sector or fix the name."),
                    )
            data.evidence.append((record_type, str(rid), sid, quote, where[0], where[1], supports))

    for rec in data.sources:
        provenance = [{"source": rec["id"], **item} for item in rec.get("provenance", [])]
        for part in ("abstract", "findings"):
            items = rec.get(part, [])
            if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                raise SeedError(
                    src_file,
                    rec["id"],
                    _("'{part}' must be a list of tables.").format(part=part),
                    _('write {part} = [{{ language = "en", quote = "..." }}].').format(part=part),
                )
            provenance += [
                {
                    "source": rec["id"],
                    "quote": item.get("quote"),
                    "supports": [part, f"language:{item.get('language') or 'und'}"],
                }
                for item in items
            ]
        inferred = rec.get("inferred", [])
        if not isinstance(inferred, list) or not all(isinstance(i, str) for i in inferred):
            raise SeedError(src_file, rec["id"], _("'inferred' must be a list of field names."))
        take_evidence(src_file, "source", {**rec, "evidence": provenance, "reference": True})
    for kind, name, _required in RECORD_KINDS[cf]:
        for rec in getattr(data, name):
            take_evidence(cf, kind, rec)

    for rec in data.claims:
        take_evidence(lf, "claim", rec)
    check_laws(data, all_ids, source_ids)
    _check_as_stated(data)
    data.digest = seed_digest(directory)
    return data


def _check_as_stated(data: SeedData) -> None:
    """Every *_as_stated wording is the source's own words: it must appear verbatim in a
    source the record quotes. A gloss goes into its own field (status_gloss, date_gloss)."""
    cf = "cases.toml"

    def check(kind: str, rec: dict[str, Any], field_name: str, value: Any) -> None:
        if value is None:
            return
        sources = {i.get("source") for i in rec.get("evidence", []) if isinstance(i, dict)}
        texts = [data.texts[s] for s in sources if s in data.texts]
        if not texts:
            return  # a reference record: nothing to check against
        if not isinstance(value, str) or not any(find_quote(t, value) for t in texts):
            raise SeedError(
                cf,
                rec.get("id"),
                _('{field_name} is not the source\'s own words: "{value}".').format(
                    field_name=field_name, value=str(value)[:80]
                ),
                _(
                    "copy the wording verbatim from a source the record quotes; put a gloss or explanation in its own field (e.g. status_gloss, date_gloss) or in 'unclear'."
                ),
            )

    for rec in data.cases:
        for f in ("type_as_stated", "status_as_stated", "date_as_stated", "partner_as_stated"):
            check("case", rec, f, rec.get(f))
        for sector, wording in (rec.get("sectors") or {}).items():
            check("case", rec, f"sector {sector}'s wording", wording)
    for rec in data.actors:
        check("actor", rec, "as_stated", rec.get("as_stated"))
    for rec in data.people:
        check("person", rec, "office_as_stated", rec.get("office_as_stated"))
    for rec in data.events:
        check("event", rec, "date_as_stated", rec.get("date_as_stated"))


def load_areas(directory: Path) -> list[dict[str, Any]]:
    """The official provinces and regencies/cities (codes from 71 up are cities)."""
    areas: list[dict[str, Any]] = []
    prov = directory / "provinces.csv"
    regs = directory / "regencies.csv"
    for path in (prov, regs):
        if not path.exists():
            raise SeedError(
                f"idn-area/{path.name}",
                None,
                _("the official area list is missing."),
                _("restore {path}.").format(path=path),
            )
    with prov.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            areas.append(
                {
                    "code": row["code"],
                    "name": row["name"],
                    "level": "province",
                    "province_code": None,
                }
            )
    with regs.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            suffix = int(row["code"].split(".")[1])
            areas.append(
                {
                    "code": row["code"],
                    "name": row["name"],
                    "level": "city" if suffix >= 71 else "regency",
                    "province_code": row["province_code"],
                }
            )
    return areas


# sources.toml fields that only a reference needs (schema.CITATION_COLUMNS); all optional.
CITATION_TEXT_FIELDS = (
    "title_sentence", "description", "container", "volume", "issue", "pages", "publisher",
    "url", "accessed",
)  # fmt: skip


def _check_citation_fields(rec: dict[str, Any], file: str, sid: str) -> None:
    for name in CITATION_TEXT_FIELDS:
        if name in rec and not isinstance(rec[name], str | int):
            raise SeedError(
                file,
                sid,
                _("'{name}' must be text.").format(name=name),
                _('write {name} = "...".').format(name=name),
            )
    creators = rec.get("creators", [])
    ok = isinstance(creators, list) and all(
        isinstance(c, dict)
        and c
        and set(c) <= {"family", "given", "literal"}
        and all(isinstance(v, str) and v.strip() for v in c.values())
        and ("family" in c or "literal" in c)
        for c in creators
    )
    if not ok:
        raise SeedError(
            file,
            sid,
            _("'creators' must be a list of names."),
            _(
                'write creators = [{ family = "Agustina", given = "Istiq" }] or [{ literal = "Pemerintah Provinsi Jawa Barat" }].'
            ),
        )
    accessed = rec.get("accessed")
    if isinstance(accessed, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", accessed):
        raise SeedError(
            file,
            sid,
            _("'accessed' is '{accessed}'.").format(accessed=accessed),
            _("write it as YYYY-MM-DD."),
        )
