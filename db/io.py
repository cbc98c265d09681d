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
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from db import searchdocs
from db.errors import ImportProblem, ParadiploError
from db.queries import _citation, _list
from db.seeds import derive_category, year_of
from db.store import Store
from db.text import clean_user_text, find_quote, slugify

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
    "origin",
]
REQUIRED = ("title", "region", "type")
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
            writer.writerow({k: "" if v is None else v for k, v in flat.items()})
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
    if b"\x00" in raw[:4096]:
        raise ParadiploError(
            f"{path} looks like a binary file (it contains NUL bytes), not JSON or CSV text."
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ParadiploError(
            f"{path}, line {line}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); it may be "
            "Latin-1 or Windows-1252. Save the file as UTF-8 and import again."
        ) from None


def parse_case_file(path: Path) -> tuple[list[tuple[str, dict[str, Any]]], str]:
    """Records with where they are ("line 4", "record 2") and the detected format."""
    text = read_text_file(path)
    stripped = text.lstrip()
    if path.suffix.lower() == ".json" or stripped.startswith(("[", "{")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportProblem(
                str(path), [f"line {exc.lineno}, column {exc.colno}: invalid JSON ({exc.msg})"]
            ) from None
        if isinstance(data, dict):
            data = data.get("cases", [data])
        if not isinstance(data, list):
            raise ImportProblem(str(path), ["the JSON must be a list of case objects"])
        out = []
        for i, rec in enumerate(data, 1):
            if not isinstance(rec, dict):
                raise ImportProblem(str(path), [f"record {i}: not an object"])
            out.append((f"record {i}" + (f" (id {rec['id']})" if rec.get("id") else ""), rec))
        return out, "json"
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames:
        raise ImportProblem(str(path), ["line 1: no header row"])
    header = [h.strip() for h in reader.fieldnames]
    unknown = [
        h
        for h in header
        if h not in CASE_FIELDS and h not in ("quote", "source_citation", "category_derived")
    ]
    missing = [f for f in REQUIRED if f not in header]
    if missing or unknown:
        problems = []
        if missing:
            problems.append(f"line 1: missing column(s) {', '.join(missing)}")
        if unknown:
            problems.append(
                f"line 1: unknown column(s) {', '.join(unknown)}; "
                f"known: {', '.join(CASE_FIELDS)}, quote"
            )
        raise ImportProblem(str(path), problems)
    out = []
    try:
        for row in reader:
            line = reader.line_num
            rec = {k.strip(): v for k, v in row.items() if k is not None}
            if None in row:
                raise ImportProblem(str(path), [f"line {line}: more values than columns"])
            if rec.get("sectors"):
                rec["sectors"] = [s.strip() for s in re.split(r"[;|]", rec["sectors"]) if s.strip()]
            for key in ("evidence", "unclear"):
                if rec.get(key):
                    try:
                        rec[key] = json.loads(rec[key])
                    except ValueError:
                        rec[key] = [rec[key]] if key == "unclear" else "!bad"
            if rec.get("quote"):
                rec.setdefault("evidence", [])
                if isinstance(rec["evidence"], list):
                    rec["evidence"] = [
                        *rec["evidence"],
                        {"source": rec.get("source"), "quote": rec["quote"]},
                    ]
            out.append((f"line {line}", rec))
    except csv.Error as exc:
        raise ImportProblem(str(path), [f"line {reader.line_num}: {exc}"]) from None
    return out, "csv"


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
        for aid, name, country, kind, prov in c.execute(
            "SELECT id, name, country_code, kind, province_code FROM actors"
        ):
            self.actors[(name.casefold(), country or "")] = (aid, kind, prov)
            self.actor_ids.add(aid)
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
        """(actor id, province code, area code) for a home-side region, creating an actor."""
        existing = self.actors.get((name.casefold(), country))
        if existing:
            aid = existing[0]
            row = self.conn.execute(
                "SELECT province_code, area_code FROM actors WHERE id = ?", (aid,)
            ).fetchone()
            if row is None:
                new = self.new_actors[aid]
                return aid, new["province_code"], new["area_code"]
            return aid, row[0], row[1]
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
        for sid, new in self.new_sources.items():
            if new["citation"] == value:
                return sid
        sid = "cite-" + hashlib.sha1(value.encode()).hexdigest()[:10]
        self.new_sources[sid] = {"id": sid, "citation": value}
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
    if not isinstance(value, str | int | float):
        return "!bad"
    return clean_user_text(str(value)).strip()


def import_cases(store: Store, path: Path) -> ImportResult:
    """Import a JSON or CSV file of cases in one transaction: all of it, or nothing."""
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
        before = len(problems)
        for key in rec:
            value = rec[key]
            if isinstance(value, str) and len(value) > MAX_FIELD:
                problems.append(f"{where}, field '{key}': longer than {MAX_FIELD} characters")
        title, region = _s(rec, "title"), _s(rec, "region")
        for f in REQUIRED:
            if not _s(rec, f):
                problems.append(f"{where}, field '{f}': required but empty")
        for f in ("title", "region", "partner", "type", "date", "id", "source"):
            if _s(rec, f) == "!bad":
                problems.append(f"{where}, field '{f}': must be text")
        cid = _s(rec, "id") or slugify(f"{region} {_s(rec, 'partner')} {title}")[:80]
        if cid in seen:
            problems.append(f"{where}, field 'id': duplicate id '{cid}' in this file")
        seen.add(cid)
        date = _s(rec, "date")
        if date and not _DATE.match(date):
            problems.append(
                f"{where}, field 'date': '{date}' is not a date; use YYYY, YYYY-MM "
                "or YYYY-MM-DD (put other wording in date_as_stated)"
            )
        type_raw = _s(rec, "type")
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
        kind = _s(rec, "partner_kind")
        if kind not in PARTNER_KINDS:
            problems.append(
                f"{where}, field 'partner_kind': '{kind}' must be state, sub_state, "
                "non_state or unknown"
            )
        evidence = rec.get("evidence") or []
        if not isinstance(evidence, list) or not all(isinstance(e, dict) for e in evidence):
            problems.append(
                f"{where}, field 'evidence': must be a list of "
                '{{"source": ..., "quote": ...}}'
            )
            evidence = []
        source = _s(rec, "source")
        if not source and not evidence:
            problems.append(
                f"{where}, field 'source': every case names its source (a source id or a citation)"
            )
        if len(problems) > before:
            continue
        rc_raw = _s(rec, "region_country") or "ID"
        region_country = res.country(rc_raw)
        resolved = res.region(region, region_country, _s(rec, "province"), problems, where)
        if resolved is None:
            continue
        region_id, province_code, area_code = resolved
        partner_name = _s(rec, "partner")
        pc_raw = _s(rec, "partner_country")
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
            mine = {k: _s(rec, k) or None for k in keys}
            theirs = {k: existing.get(k) for k in keys} if existing else {}
            if mine != theirs:
                problems.append(
                    f"{where}, field 'id': '{cid}' is a bundled case; give your record another id"
                )
            else:
                prepared.append({"id": cid, "unchanged": True})
            continue
        category, basis = derive_category(region_country, kind or None)
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
                "date_as_stated": _s(rec, "date_as_stated") or None,
                "year": year_of(date),
                "status": _s(rec, "status") or None,
                "summary": _s(rec, "summary") or None,
                "category": category,
                "category_basis": basis,
                "unclear": json.dumps(
                    unclear if isinstance(unclear, list) else [str(unclear)], ensure_ascii=False
                ),
                "origin": "user",
                "added_at": stamp,
                "region_name": _region_name(res, region_id),
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
    result = ImportResult(format=fmt)
    with store.write() as w:
        for code, name in res.new_countries.items():
            w.execute(
                "INSERT OR IGNORE INTO countries(code, name_en, name_id, origin)"
                " VALUES (?,?,?, 'user')",
                (code, name, name),
            )
        w.executemany(
            "INSERT OR IGNORE INTO actors(id, name, country_code, level, kind, area_code,"
            " province_code, origin) VALUES (:id, :name, :country_code, :level, :kind,"
            " :area_code, :province_code, 'user')",
            list(res.new_actors.values()),
        )
        w.executemany(
            "INSERT OR IGNORE INTO sources(id, kind, citation, origin, added_at)"
            " VALUES (?, 'citation', ?, 'user', ?)",
            [(s["id"], s["citation"], stamp) for s in res.new_sources.values()],
        )
        existing_user = set()
        ids = [p["id"] for p in prepared if not p.get("unchanged")]
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            existing_user |= {
                r[0]
                for r in w.execute(
                    f"SELECT id FROM cases WHERE id IN ({','.join('?' * len(chunk))})", chunk
                )
            }
        cols = [k for k in (prepared[0] if prepared else {}) if not k.startswith("_")]
        rows = [p for p in prepared if not p.get("unchanged")]
        result.unchanged = len(prepared) - len(rows)
        if existing_user:
            marks_ids = [r["id"] for r in rows if r["id"] in existing_user]
            for i in range(0, len(marks_ids), 500):
                chunk = marks_ids[i : i + 500]
                m = ",".join("?" * len(chunk))
                w.execute(f"DELETE FROM case_sectors WHERE case_id IN ({m})", chunk)
                w.execute(
                    f"DELETE FROM evidence WHERE record_type = 'case' AND record_id IN ({m})", chunk
                )
        if rows:
            cols = [k for k in rows[0] if not k.startswith("_")]
            w.executemany(
                f"INSERT OR REPLACE INTO cases({', '.join(cols)}) VALUES "
                f"({', '.join(':' + c for c in cols)})",
                [{c: r[c] for c in cols} for r in rows],
            )
        w.executemany(
            "INSERT OR IGNORE INTO case_sectors(case_id, sector_id) VALUES (?, ?)",
            [(r["id"], s) for r in rows for s in r["_sectors"]],
        )
        w.executemany(
            'INSERT INTO evidence(record_type, record_id, source_id, quote, start, "end",'
            " supports, origin) VALUES ('case', ?, ?, ?, ?, ?, '[]', 'user')",
            [(r["id"], *e) for r in rows for e in r["_evidence"]],
        )
        searchdocs.refresh_cases(w, [r["id"] for r in rows])
        result.updated = sum(1 for r in rows if r["id"] in existing_user)
        result.added = len(rows) - result.updated
    return result


def _region_name(res: _Resolver, actor_id: str) -> str:
    if actor_id in res.new_actors:
        return str(res.new_actors[actor_id]["name"])
    row = res.conn.execute("SELECT name FROM actors WHERE id = ?", (actor_id,)).fetchone()
    return str(row[0]) if row else actor_id
