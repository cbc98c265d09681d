"""Import and export of cases (JSON or CSV, same fields both ways) and of notes.

Case fields (see README, "Case fields"): id, title, region, region_country, province, partner,
partner_country, partner_kind, type, date, date_as_stated, status, summary, sectors, source,
evidence, unclear, category, origin. An export imports back unchanged. A malformed file stops
with every problem named by line or record and field, and imports nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

from db import schema, searchdocs
from db.derive import derive_category, derive_stage
from db.errors import ImportProblem, ParadiploError
from db.queries import _citation, _list
from db.seeds import year_of
from db.store import Store
from db.text import clean_user_text, display_safe, find_quote, slugify

CASE_FIELDS = [
    "id",
    "title",
    "region",
    "region_country",
    "province",
    "partner",
    "partner_country",
    "partner_kind",
    "type",
    "date",
    "date_as_stated",
    "status",
    "summary",
    "sectors",
    "source",
    "evidence",
    "unclear",
    "category",
    "stage",
    "origin",
]
REQUIRED = ("title", "region", "type")
# Fields read as one line of text; a list, an object or true/false in one is a mistake.
TEXT_FIELDS = (
    "id",
    "title",
    "region",
    "region_country",
    "province",
    "partner",
    "partner_country",
    "partner_kind",
    "type",
    "date",
    "date_as_stated",
    "status",
    "summary",
    "source",
)
_TEXT_SET = frozenset(TEXT_FIELDS)
_BAD = "\x00not text"  # what `_s` returns for a non-text value; user text never holds a NUL
PARTNER_KINDS = {"state", "sub_state", "non_state", "unknown", ""}
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
MAX_FIELD = 100_000


# ------------------------------------------------------------------------------ export
def iter_case_records(
    conn: sqlite3.Connection, case_ids: list[str] | None = None
) -> Iterator[dict[str, Any]]:
    """Cases as export records, in id order, streamed in chunks."""
    countries = dict(conn.execute("SELECT code, name_en FROM countries").fetchall())
    areas = dict(conn.execute("SELECT code, name FROM areas").fetchall())
    sources = {
        r[0]: r
        for r in conn.execute(
            "SELECT id, file, kind, title, outlet, authors, published, citation FROM sources"
        )
    }
    last = ""
    while True:
        if case_ids is not None:
            batch = case_ids[:0] if last == "\uffff" else case_ids
            last = "\uffff"
            if not batch:
                return
            marks = ",".join("?" * len(batch))
            rows = conn.execute(
                f"SELECT * FROM cases WHERE id IN ({marks}) ORDER BY id", batch
            ).fetchall()
        else:
            rows = conn.execute(
                "SELECT * FROM cases WHERE id > ? ORDER BY id LIMIT 1000", (last,)
            ).fetchall()
        if not rows:
            return
        cols = [d[0] for d in conn.execute("SELECT * FROM cases LIMIT 0").description]
        ids = [r[0] for r in rows]
        marks = ",".join("?" * len(ids))
        sectors: dict[str, list[str]] = {}
        for cid, label in conn.execute(
            "SELECT cs.case_id, s.label_en FROM case_sectors cs JOIN sectors s"
            f" ON s.id = cs.sector_id WHERE cs.case_id IN ({marks}) ORDER BY s.position",
            ids,
        ):
            sectors.setdefault(cid, []).append(label)
        evidence: dict[str, list[dict[str, Any]]] = {}
        for cid, sid, quote in conn.execute(
            "SELECT record_id, source_id, quote FROM evidence WHERE record_type = 'case'"
            f" AND record_id IN ({marks}) ORDER BY id",
            ids,
        ):
            # A citation-only source is exported as its citation, so it imports back the same.
            src_row = sources.get(sid)
            name = src_row[7] if src_row and src_row[2] == "citation" and src_row[7] else sid
            evidence.setdefault(cid, []).append({"source": name, "quote": quote})
        kinds = dict(
            conn.execute(
                f"SELECT c.id, a.kind FROM cases c JOIN actors a ON a.id = c.partner_id"
                f" WHERE c.id IN ({marks})",
                ids,
            ).fetchall()
        )
        for row in rows:
            c = dict(zip(cols, row, strict=True))
            ev = evidence.get(c["id"], [])
            first = ev[0]["source"] if ev else None
            src = sources.get(first) if first else None
            yield {
                "id": c["id"],
                "title": c["title"],
                "region": c["region_name"],
                "region_country": countries.get(c["region_country"], c["region_country"]),
                "province": areas.get(c["province_code"]) if c["province_code"] else None,
                "partner": c["partner_name"] if c["partner_id"] else None,
                "partner_country": countries.get(c["partner_country"], c["partner_country"]),
                "partner_kind": c["partner_kind"] or kinds.get(c["id"]),
                "type": c["type"],
                "date": c["date"],
                "date_as_stated": c["date_as_stated"],
                "status": c["status"],
                "summary": c["summary"],
                "sectors": sectors.get(c["id"], []),
                "source": (src[7] if src[2] == "citation" and src[7] else src[0]) if src else None,
                "source_citation": _citation(src)[1] if src else None,
                "evidence": ev,
                "unclear": _list(c["unclear"]),
                "category": c["category"],
                "category_derived": True,
                "stage": c["stage"],
                "stage_derived": True,
                "origin": c["origin"],
            }
        if case_ids is not None:
            continue
        last = rows[-1][0]


def export_cases(conn: sqlite3.Connection, fmt: str, out: io.TextIOBase | Any) -> int:
    """Write every case as JSON (a list) or CSV; returns the number written."""
    n = 0
    if fmt == "json":
        out.write("[")
        for rec in iter_case_records(conn):
            out.write(",\n  " if n else "\n  ")
            out.write(json.dumps(rec, ensure_ascii=False))
            n += 1
        out.write("\n]\n" if n else "]\n")
        return n
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=CASE_FIELDS, extrasaction="ignore")
        writer.writeheader()
        for rec in iter_case_records(conn):
            flat = dict(rec)
            flat["sectors"] = "; ".join(rec["sectors"])
            flat["evidence"] = json.dumps(rec["evidence"], ensure_ascii=False)
            flat["unclear"] = json.dumps(rec["unclear"], ensure_ascii=False)
            writer.writerow({k: "" if v is None else _cell_out(v) for k, v in flat.items()})
            n += 1
        return n
    raise ParadiploError(f"Unknown format '{fmt}': use json or csv.")


# ------------------------------------------------------------------------------ reading
def read_text_file(path: Path) -> str:
    """Decode an import file, refusing binary files and naming the encoding problem."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ParadiploError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise ParadiploError(f"{path} is a directory; give a JSON or CSV file.") from None
    except OSError as exc:
        raise ParadiploError(f"{path}: cannot read it ({exc.strerror}).") from None
    if not raw.strip():
        raise ParadiploError(f"{path} is empty: nothing to import.")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise ParadiploError(f"{path}: broken UTF-16 text. Save it as UTF-8.") from None
    nul = raw.find(b"\x00")
    if nul >= 0:
        if _looks_utf16(raw[:4096]):
            raise ParadiploError(
                f"{path} looks like UTF-16 text without a byte-order mark. Save it as UTF-8 "
                "(or UTF-16 with a BOM) and import again."
            )
        line = raw[:nul].count(b"\n") + 1
        raise ParadiploError(
            f"{path}, line {line}: a NUL byte; this looks like a binary file, not JSON or CSV text."
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ParadiploError(
            f"{path}, line {line}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); it may be "
            "Latin-1 or Windows-1252. Save the file as UTF-8 and import again."
        ) from None


def _looks_utf16(head: bytes) -> bool:
    """Mostly-ASCII text in UTF-16: one byte of each pair is almost always NUL, the other not."""
    if len(head) < 8:
        return False
    even, odd = head[0::2], head[1::2]
    for zeros, other in ((odd, even), (even, odd)):
        if zeros.count(0) >= 0.4 * len(zeros) and other.count(0) <= 0.05 * len(other):
            return True
    return False


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _parse_json(path: Path, text: str) -> list[tuple[str, dict[str, Any]]]:
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise ImportProblem(
            str(path), [f"line {exc.lineno}, column {exc.colno}: invalid JSON ({exc.msg})"]
        ) from None
    except RecursionError:
        raise ImportProblem(
            str(path), ["the JSON is nested too deeply to be case records"]
        ) from None
    except ValueError as exc:  # NaN/Infinity, or an integer too long to convert
        why = "a number with thousands of digits" if "digits" in str(exc) else str(exc)
        raise ImportProblem(str(path), [f"invalid JSON ({why})"]) from None
    if isinstance(data, dict):
        data = data.get("cases", [data])
    if not isinstance(data, list):
        raise ImportProblem(str(path), ["the JSON must be a list of case objects"])
    out = []
    for i, rec in enumerate(data, 1):
        if not isinstance(rec, dict):
            raise ImportProblem(str(path), [f"record {i}: not an object"])
        rid = rec.get("id")
        shown = f" (id {display_safe(str(rid))[:80]})" if isinstance(rid, str | int) and rid else ""
        out.append((f"record {i}{shown}", rec))
    return out


def _delimiter(text: str) -> str:
    """',' normally; ';' or a tab when the header uses that instead (Excel in an Indonesian or
    European locale saves CSV with ';', since ',' is the decimal mark there)."""
    header = text.split("\n", 1)[0]
    if "," in header:
        return ","
    for sep in (";", "\t"):
        if sep in header:
            return sep
    return ","


def _check_header(path: Path, fieldnames: list[str] | None) -> None:
    if not fieldnames:
        raise ImportProblem(str(path), ["line 1: no header row"])
    header = [h.strip() for h in fieldnames]
    problems = []
    blank = [str(i) for i, h in enumerate(header, 1) if not h]
    if blank:
        problems.append(f"line 1: column(s) {', '.join(blank)} have no name")
    dupes = sorted({h for h in header if h and header.count(h) > 1})
    if dupes:
        problems.append(f"line 1: column(s) {', '.join(dupes)} appear more than once")
    unknown = [
        h
        for h in header
        if h
        and h not in CASE_FIELDS
        and h not in ("quote", "source_citation", "category_derived", "stage_derived")
    ]
    missing = [f for f in REQUIRED if f not in header]
    if missing:
        problems.append(f"line 1: missing column(s) {', '.join(missing)}")
    if unknown:
        problems.append(
            f"line 1: unknown column(s) {', '.join(unknown)}; "
            f"known: {', '.join(CASE_FIELDS)}, quote"
        )
    if problems:
        raise ImportProblem(str(path), problems)


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection: a
# title like '=HYPERLINK(...)' from an imported file would be live in the export). The
# export puts an apostrophe before such a cell, which spreadsheets show as text; the import
# takes it off again, so export and import round-trip.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell_out(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _cell_in(value: object) -> object:
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(_FORMULA_START):
        return value[1:]
    return value


def _csv_record(rec: dict[str, Any]) -> dict[str, Any]:
    """Turn a CSV row's list-valued cells (sectors, evidence, unclear, quote) into lists."""
    for key, value in rec.items():
        rec[key] = _cell_in(value)
    if rec.get("sectors"):
        rec["sectors"] = [s.strip() for s in re.split(r"[;|]", rec["sectors"]) if s.strip()]
    for key in ("evidence", "unclear"):
        if rec.get(key):
            try:
                rec[key] = json.loads(rec[key])
            except (ValueError, RecursionError):
                rec[key] = [rec[key]] if key == "unclear" else "!bad"
    if rec.get("quote"):
        rec.setdefault("evidence", [])
        if isinstance(rec["evidence"], list):
            rec["evidence"] = [
                *rec["evidence"],
                {"source": rec.get("source"), "quote": rec["quote"]},
            ]
    return rec


def _parse_csv(path: Path, text: str) -> list[tuple[str, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    try:
        fieldnames = reader.fieldnames
    except csv.Error as exc:
        raise ImportProblem(str(path), [f"line 1: {exc}"]) from None
    _check_header(path, list(fieldnames) if fieldnames else None)
    out = []
    rows = iter(reader)
    while True:
        start = reader.line_num + 1  # where this record begins (a quoted cell may span lines)
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            msg = str(exc)
            if "field larger" in msg:
                msg = "a value is far too long (is a quote left open?)"
            elif "unexpected end of data" in msg:
                msg = 'a quote (") is opened and never closed'
            raise ImportProblem(str(path), [f"line {start}: {msg}"]) from None
        if None in row:
            raise ImportProblem(str(path), [f"line {start}: more values than columns"])
        rec = {k.strip(): v for k, v in row.items() if k is not None}
        out.append((f"line {start}", _csv_record(rec)))
    return out


def parse_case_file(path: Path) -> tuple[list[tuple[str, dict[str, Any]]], str]:
    """Records with where they are ("line 4", "record 2") and the detected format."""
    text = read_text_file(path)
    stripped = text.lstrip()
    if path.suffix.lower() == ".json" or stripped.startswith(("[", "{")):
        return _parse_json(path, text), "json"
    return _parse_csv(path, text), "csv"


# ------------------------------------------------------------------------------ resolving
@dataclass
class _Resolver:
    conn: sqlite3.Connection
    countries: dict[str, str] = field(default_factory=dict)  # lower name/code -> code
    new_countries: dict[str, str] = field(default_factory=dict)  # code -> name
    areas_by_name: dict[str, list[tuple[str, str, str, str | None]]] = field(default_factory=dict)
    areas: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)
    actors: dict[tuple[str, str], tuple[str, str, str | None]] = field(default_factory=dict)
    actor_ids: set[str] = field(default_factory=set)
    new_actors: dict[str, dict[str, Any]] = field(default_factory=dict)
    sectors: dict[str, str] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # id -> text
    new_sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Caches so that resolving a row never queries the database (large imports).
    actor_geo: dict[str, tuple[str, str | None, str | None]] = field(default_factory=dict)
    new_by_citation: dict[str, str] = field(default_factory=dict)  # citation -> new source id
    region_memo: dict[tuple[str, str, str], tuple[str, str | None, str | None]] = field(
        default_factory=dict
    )

    def load(self) -> None:
        c = self.conn
        for code, en, idl, syn in c.execute(
            "SELECT code, name_en, name_id, synonyms FROM countries"
        ):
            for name in [code, en, idl, *_list(syn)]:
                if name:
                    self.countries.setdefault(str(name).casefold(), code)
        for code, name, level, prov in c.execute(
            "SELECT code, name, level, province_code FROM areas"
        ):
            self.areas[code] = (name, level, prov)
            bare = re.sub(r"^(kota|kabupaten|provinsi)\s+", "", name, flags=re.I)
            for key in {name.casefold(), bare.casefold(), f"provinsi {name}".casefold()}:
                self.areas_by_name.setdefault(key, []).append((code, name, level, prov))
        for aid, name, country, kind, prov, area in c.execute(
            "SELECT id, name, country_code, kind, province_code, area_code FROM actors"
        ):
            self.actors[(name.casefold(), country or "")] = (aid, kind, prov)
            self.actor_ids.add(aid)
            self.actor_geo[aid] = (name, prov, area)
        for sid, en, idl, _syn in c.execute("SELECT id, label_en, label_id, synonyms FROM sectors"):
            for name in (sid, en, idl):
                self.sectors[name.casefold()] = sid
        for tid, en, idl, syn in c.execute(
            "SELECT id, label_en, label_id, synonyms FROM case_types"
        ):
            for name in (tid, en, idl, *_list(syn)):
                self.types.setdefault(str(name).casefold(), tid)
        self.sources = dict(c.execute("SELECT id, text FROM sources").fetchall())

    def country(self, value: str) -> str:
        key = value.strip().casefold()
        if key in self.countries:
            return self.countries[key]
        code = "X-" + slugify(value).upper()
        self.countries[key] = code
        self.new_countries[code] = value.strip()
        return code

    def new_actor_id(self, name: str, country: str) -> str:
        base = slugify(name) + ("" if country == "ID" else f"-{country.lower()}")
        aid, n = base, 2
        while aid in self.actor_ids:
            aid, n = f"{base}-{n}", n + 1
        self.actor_ids.add(aid)
        return aid

    def region(
        self, name: str, country: str, province: str, problems: list[str], where: str
    ) -> tuple[str, str | None, str | None] | None:
        """(actor id, province code, area code) for a home-side region, creating an actor.

        Memoised per (name, country, province): a large import names the same few hundred
        regions over and over. Only successes are kept, so every bad row reports its problem.
        """
        key = (name, country, province)
        known = self.region_memo.get(key)
        if known is None:
            known = self._region(name, country, province, problems, where)
            if known is not None:
                self.region_memo[key] = known
        return known

    def region_name(self, actor_id: str) -> str:
        """The stored name of an actor (existing or about to be created)."""
        if actor_id in self.new_actors:
            return str(self.new_actors[actor_id]["name"])
        geo = self.actor_geo.get(actor_id)
        return geo[0] if geo else actor_id

    def _region(
        self, name: str, country: str, province: str, problems: list[str], where: str
    ) -> tuple[str, str | None, str | None] | None:
        existing = self.actors.get((name.casefold(), country))
        if existing:
            aid = existing[0]
            geo = self.actor_geo.get(aid)
            if geo is None:
                new = self.new_actors[aid]
                return aid, new["province_code"], new["area_code"]
            return aid, geo[1], geo[2]
        if country != "ID":
            aid = self.new_actor_id(name, country)
            self.new_actors[aid] = {
                "id": aid,
                "name": name,
                "country_code": country,
                "level": None,
                "kind": "sub_state",
                "area_code": None,
                "province_code": None,
            }
            self.actors[(name.casefold(), country)] = (aid, "sub_state", None)
            return aid, None, None
        matches = self.areas_by_name.get(name.casefold(), [])
        if province:
            prov_matches = [
                a for a in self.areas_by_name.get(province.casefold(), []) if a[2] == "province"
            ]
            if not prov_matches:
                problems.append(
                    f"{where}, field 'province': '{province}' is not one of "
                    "Indonesia's 38 provinces in the official list"
                )
                return None
            pcode = prov_matches[0][0]
            matches = [m for m in matches if m[0] == pcode or m[3] == pcode]
        if not matches:
            problems.append(
                f"{where}, field 'region': '{name}' is not in the official list of "
                "Indonesia's regions; use its official name (e.g. 'Kota Surabaya')"
            )
            return None
        if len(matches) > 1:
            names = " or ".join(f"{m[1]} ({m[0]})" for m in matches)
            problems.append(
                f"{where}, field 'region': '{name}' is ambiguous: {names}; write "
                "the full official name"
            )
            return None
        code, official, level, prov = matches[0]
        existing = self.actors.get((official.casefold(), "ID"))
        if existing:
            return existing[0], prov or code, None if level == "province" else code
        aid = self.new_actor_id(official, "ID")
        self.new_actors[aid] = {
            "id": aid,
            "name": official,
            "country_code": "ID",
            "level": level,
            "kind": "sub_state",
            "area_code": code,
            "province_code": prov or code,
        }
        self.actors[(official.casefold(), "ID")] = (aid, "sub_state", prov or code)
        return aid, prov or code, None if level == "province" else code

    def partner(self, name: str, country: str | None, kind: str) -> tuple[str, str]:
        key = (name.casefold(), country or "")
        existing = self.actors.get(key)
        if existing:
            return existing[0], existing[1]
        aid = self.new_actor_id(name, country or "xx")
        self.new_actors[aid] = {
            "id": aid,
            "name": name,
            "country_code": country,
            "level": None,
            "kind": kind or "unknown",
            "area_code": None,
            "province_code": None,
        }
        self.actors[key] = (aid, kind or "unknown", None)
        return aid, kind or "unknown"

    def source(self, value: str) -> str:
        value = value.strip()
        if value in self.sources:
            return value
        known = self.new_by_citation.get(value)
        if known is not None:
            return known
        sid = "cite-" + hashlib.sha1(value.encode()).hexdigest()[:10]
        self.new_sources[sid] = {"id": sid, "citation": value}
        self.new_by_citation[value] = sid
        self.sources[sid] = ""
        return sid


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    format: str = ""


def _s(rec: dict[str, Any], key: str) -> str:
    value = rec.get(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return _BAD
    text = str(value)
    if not text.isascii() or "\x00" in text or "\r" in text:
        text = clean_user_text(text)  # plain ASCII is already clean (and NFC): skip the work
    return text.strip()


def _is_text(value: Any) -> bool:
    return value is None or (isinstance(value, str | int | float) and not isinstance(value, bool))


def _shape_problems(rec: dict[str, Any], where: str) -> list[str]:
    """Evidence items and 'unclear' entries that are not text where text is expected."""
    problems = []
    evidence = rec.get("evidence")
    if isinstance(evidence, list):
        for i, e in enumerate(evidence, 1):
            if isinstance(e, dict) and not (_is_text(e.get("source")) and _is_text(e.get("quote"))):
                problems.append(
                    f"{where}, field 'evidence': item {i}: source and quote must be text"
                )
    unclear = rec.get("unclear")
    texts = isinstance(unclear, list) and all(isinstance(u, str) for u in unclear)
    if unclear is not None and not isinstance(unclear, str) and not texts:
        problems.append(f"{where}, field 'unclear': must be a text or a list of texts")
    return problems


class _Fields(dict[str, str]):
    """A record's text fields, cleaned (as `_s` does); a field the record lacks reads ""."""

    def __missing__(self, key: str) -> str:
        return ""


def _clean(value: str) -> str:
    """`_s` of a str value. Plain ASCII is already clean (and NFC): only stripped."""
    if value.isascii() and "\x00" not in value and "\r" not in value:
        return value.strip()
    return clean_user_text(value).strip()


def import_cases(store: Store, path: Path) -> ImportResult:
    """Import a JSON or CSV file of cases in one transaction: all of it, or nothing."""
    with searchdocs.paused_gc():
        return _import_cases(store, path)


def _import_cases(store: Store, path: Path) -> ImportResult:
    records, fmt = parse_case_file(path)
    conn = store.conn
    res = _Resolver(conn)
    res.load()
    seed_ids = {r[0] for r in conn.execute("SELECT id FROM cases WHERE origin = 'seed'")}
    problems: list[str] = []
    prepared: list[dict[str, Any]] = []
    seen: set[str] = set()
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    for where, rec in records:
        v = _Fields()
        before = len(problems)
        # One pass over the record: length and type checks, and each text field cleaned once.
        for key, value in rec.items():
            if type(value) is str:
                if len(value) > MAX_FIELD:
                    problems.append(f"{where}, field '{key}': longer than {MAX_FIELD} characters")
                if key in _TEXT_SET:
                    ascii_clean = value.isascii() and "\x00" not in value and "\r" not in value
                    v[key] = value.strip() if ascii_clean else _clean(value)
            elif key in _TEXT_SET:
                if not _is_text(value):
                    problems.append(f"{where}, field '{key}': must be text")
                v[key] = _s(rec, key)
        title, region = v["title"], v["region"]
        for f in REQUIRED:
            if not v[f]:
                problems.append(f"{where}, field '{f}': required but empty")
        if "evidence" in rec or "unclear" in rec:
            problems += _shape_problems(rec, where)
        cid = v["id"] or slugify(f"{region} {v['partner']} {title}")[:80]
        if cid in seen:
            problems.append(f"{where}, field 'id': duplicate id '{cid}' in this file")
        seen.add(cid)
        date = v["date"]
        if date and not _DATE.match(date):
            problems.append(
                f"{where}, field 'date': '{date}' is not a date; use YYYY, YYYY-MM "
                "or YYYY-MM-DD (put other wording in date_as_stated)"
            )
        type_raw = v["type"]
        type_id = res.types.get(type_raw.casefold()) if type_raw else None
        if type_raw and type_id is None:
            problems.append(
                f"{where}, field 'type': unknown type '{type_raw}'; known: "
                + ", ".join(sorted({v for v in res.types.values()}))
            )
        sectors_raw = rec.get("sectors") or []
        if isinstance(sectors_raw, str):
            sectors_raw = [s.strip() for s in re.split(r"[;|]", sectors_raw) if s.strip()]
        sector_ids = []
        if not isinstance(sectors_raw, list):
            problems.append(f"{where}, field 'sectors': must be a list of sector labels")
            sectors_raw = []
        for s in sectors_raw:
            sid = res.sectors.get(str(s).strip().casefold())
            if sid is None:
                problems.append(
                    f"{where}, field 'sectors': unknown sector '{s}'; see "
                    "'paradiplo-tui sectors' for the vocabulary"
                )
            elif sid not in sector_ids:
                sector_ids.append(sid)
        kind = v["partner_kind"]
        if kind not in PARTNER_KINDS and kind != _BAD:
            problems.append(
                f"{where}, field 'partner_kind': '{kind}' must be state, sub_state, "
                "non_state or unknown"
            )
        evidence = rec.get("evidence") or []
        if not isinstance(evidence, list) or not all(isinstance(e, dict) for e in evidence):
            problems.append(
                f'{where}, field \'evidence\': must be a list of {{"source": ..., "quote": ...}}'
            )
            evidence = []
        source = v["source"]
        if not source and not evidence:
            problems.append(
                f"{where}, field 'source': every case names its source (a source id or a citation)"
            )
        if len(problems) > before:
            continue
        rc_raw = v["region_country"] or "ID"
        region_country = res.country(rc_raw)
        resolved = res.region(region, region_country, v["province"], problems, where)
        if resolved is None:
            continue
        region_id, province_code, area_code = resolved
        partner_name = v["partner"]
        pc_raw = v["partner_country"]
        partner_country = res.country(pc_raw) if pc_raw else None
        partner_id = None
        if partner_name:
            partner_id, actor_kind = res.partner(partner_name, partner_country, kind)
            kind = kind or actor_kind
        ev_rows = []
        for e in evidence:
            esrc = str(e.get("source") or source or "").strip()
            quote = clean_user_text(str(e.get("quote") or "")).strip() or None
            if not esrc:
                problems.append(f"{where}, field 'evidence': a quote without a source")
                continue
            sid = res.source(esrc)
            text = res.sources.get(sid, "")
            start = end = None
            if quote and text:
                found = find_quote(text, quote)
                if found is None:
                    problems.append(
                        f"{where}, field 'evidence': quote not found in source "
                        f'{sid}: "{quote[:60]}"'
                    )
                    continue
                start, end = found
            ev_rows.append((sid, quote, start, end))
        if not ev_rows and source:
            ev_rows.append((res.source(source), None, None, None))
        if cid in seed_ids:
            existing = next(iter_case_records(conn, [cid]), None)
            keys = ("title", "date", "type", "region", "partner")
            mine = {k: v[k] or None for k in keys}
            theirs = {k: existing.get(k) for k in keys} if existing else {}
            if mine != theirs:
                problems.append(
                    f"{where}, field 'id': '{cid}' is a bundled case; give your record another id"
                )
            else:
                prepared.append({"id": cid, "unchanged": True})
            continue
        category, basis = derive_category(
            region_country, kind or None, year_of(date), partner_name or None
        )
        stage, stage_basis = derive_stage(type_id, v["status"] or None)
        unclear = rec.get("unclear") or []
        prepared.append(
            {
                "id": cid,
                "title": title,
                "region_id": region_id,
                "partner_id": partner_id,
                "partner_as_stated": None,
                "partner_kind": kind or None,
                "type": type_id,
                "date": date or None,
                "date_as_stated": v["date_as_stated"] or None,
                "year": year_of(date),
                "status": v["status"] or None,
                "summary": v["summary"] or None,
                "category": category,
                "category_basis": basis,
                "stage": stage,
                "stage_basis": stage_basis,
                "unclear": "[]"
                if not unclear
                else json.dumps(
                    unclear if isinstance(unclear, list) else [str(unclear)], ensure_ascii=False
                ),
                "origin": "user",
                "added_at": stamp,
                "region_name": res.region_name(region_id),
                "region_country": region_country,
                "province_code": province_code,
                "area_code": area_code,
                "partner_name": partner_name or "(not named)",
                "partner_country": partner_country,
                "_sectors": sector_ids,
                "_evidence": ev_rows,
            }
        )
    if problems:
        raise ImportProblem(str(path), problems)
    del records  # the parsed file: the prepared rows hold what is written (memory)
    result = ImportResult(format=fmt)
    rows = [p for p in prepared if not p.get("unchanged")]
    result.unchanged = len(prepared) - len(rows)
    with _big_cache(store.conn), store.write() as w:
        existing_user = _write_cases(w, res, rows, stamp)
        result.updated = sum(1 for r in rows if r["id"] in existing_user)
        result.added = len(rows) - result.updated
    return result


IMPORT_CACHE_KIB = 128 * 1024


@contextmanager
def _big_cache(conn: sqlite3.Connection) -> Iterator[None]:
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
    conn: sqlite3.Connection, res: _Resolver, rows: list[dict[str, Any]]
) -> Callable[[], Iterator[tuple[list[searchdocs.Doc], dict[str, list[str]]]]]:
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
    none: tuple[None, None, None] = (None, None, None)

    def build() -> Iterator[tuple[list[searchdocs.Doc], dict[str, list[str]]]]:
        synonyms = searchdocs.case_synonyms()
        docs: list[searchdocs.Doc] = []
        keys: dict[str, list[str]] = {}
        for r in rows:
            if len(docs) >= searchdocs.STORE_BATCH:
                yield docs, keys
                docs, keys = [], {}
            cid = r["id"]
            sector_ids = sorted(r["_sectors"])
            fields = searchdocs.CaseFields._make(
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
                ]
            )
            docs.append(searchdocs.case_document(fields, synonyms))
            keys[cid] = searchdocs.case_keys(
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


def _write_cases(
    w: sqlite3.Connection, res: _Resolver, rows: list[dict[str, Any]], stamp: str
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
    res: _Resolver,
    rows: list[dict[str, Any]],
    existing: set[str],
    stamp: str,
) -> list[str]:
    """The rows of an import (search documents, summaries and deferred indexes aside);
    returns the statements that make the deferred indexes.

    New cases go in with a plain INSERT and only re-imported ones (`existing`) with INSERT OR
    REPLACE: with foreign keys on, REPLACE costs two to three times as much per row even when
    nothing is replaced. The secondary indexes of cases and their sector rows are made
    afterwards when that is faster (`schema.defer_indexes`).
    """
    schema.insert_rows(
        w,
        "INSERT OR IGNORE INTO countries(code, name_en, name_id, origin) VALUES",
        [(code, name, name, "user") for code, name in res.new_countries.items()],
    )
    actor = itemgetter("id", "name", "country_code", "level", "kind", "area_code", "province_code")
    schema.insert_rows(
        w,
        "INSERT OR IGNORE INTO actors(id, name, country_code, level, kind, area_code,"
        " province_code, origin) VALUES",
        [(*actor(a), "user") for a in res.new_actors.values()],
    )
    schema.insert_rows(
        w,
        "INSERT OR IGNORE INTO sources(id, kind, citation, origin, added_at) VALUES",
        [(s["id"], "citation", s["citation"], "user", stamp) for s in res.new_sources.values()],
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
