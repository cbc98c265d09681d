"""Import and export of cases (JSON or CSV, same fields both ways).

Case fields (see README, "Case fields"): id, title, region, region_country, province, partner,
partner_country, partner_kind, type, date, date_as_stated, status, summary, sectors, source,
evidence, unclear, category, origin. An export imports back unchanged.

An import is three jobs, each in its own module: reading the file's records one at a time
(db/caseformats.py: one reader per format), checking each record (db/casecheck.py: fields,
names through db/resolve.py, quotes) and writing the rows in one transaction
(db/casewrite.py). By default a file with any bad record imports nothing and every problem
is named (up to MAX_PROBLEMS, then reading stops); with `skip_invalid` the valid records are
imported and the rejected ones written to FILE.rejected.json with their reasons.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from paradiplo.db import caseformats, places, searchdocs
from paradiplo.db.casecheck import MAX_FIELD, TEXT_FIELDS, Checker
from paradiplo.db.casefields import AMBIGUOUS_CHOICES, CASE_FIELDS, REQUIRED
from paradiplo.db.caseformats import _cell_out, read_text_file
from paradiplo.db.casewrite import big_cache, write_cases
from paradiplo.db.errors import ImportProblem, ParadiploError
from paradiplo.db.i18n import _
from paradiplo.db.sourceread import _citation
from paradiplo.db.store import Store
from paradiplo.db.text import json_list as _list

__all__ = [
    "AMBIGUOUS_CHOICES",
    "CASE_FIELDS",
    "MAX_FIELD",
    "REQUIRED",
    "TEXT_FIELDS",
    "ImportResult",
    "export_cases",
    "import_cases",
    "iter_case_records",
    "read_text_file",
]

# All or nothing: reading stops after this many problems (a file of three million empty
# records is refused after a few hundred of them, in bounded memory).
MAX_PROBLEMS = 1000
# With skip_invalid: how many problems are kept to show (all go to FILE.rejected.json).
MAX_SHOWN = 50
MAX_DUPLICATES_SHOWN = 20
Progress = Callable[[str, int, int], None]


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
        sectors = _by_case(
            conn,
            "SELECT cs.case_id, s.label_en FROM case_sectors cs JOIN sectors s"
            f" ON s.id = cs.sector_id WHERE cs.case_id IN ({marks}) ORDER BY s.position",
            ids,
        )
        quotes = _by_case(
            conn,
            "SELECT record_id, source_id, quote FROM evidence WHERE record_type = 'case'"
            f" AND record_id IN ({marks}) ORDER BY id",
            ids,
        )
        kinds = dict(
            conn.execute(
                f"SELECT c.id, a.kind FROM cases c JOIN actors a ON a.id = c.partner_id"
                f" WHERE c.id IN ({marks})",
                ids,
            ).fetchall()
        )
        for row in rows:
            c = dict(zip(cols, row, strict=True))
            ev = [
                {"source": _exported_source(sources, sid), "quote": quote}
                for sid, quote in quotes.get(c["id"], [])
            ]
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
                "sectors": [label for (label,) in sectors.get(c["id"], [])],
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


def _by_case(
    conn: sqlite3.Connection, sql: str, ids: list[str]
) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of `sql` (the case id first) by case id, in the query's order."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    for cid, *rest in conn.execute(sql, ids):
        out.setdefault(cid, []).append(tuple(rest))
    return out


def _exported_source(sources: dict[str, Any], sid: str) -> str:
    """A citation-only source is exported as its citation, so it imports back the same."""
    src_row = sources.get(sid)
    return str(src_row[7]) if src_row and src_row[2] == "citation" and src_row[7] else sid


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
    raise ParadiploError(_("Unknown format '{format}': use json or csv.").format(format=fmt))


# ------------------------------------------------------------------------------ reading


# ------------------------------------------------------------------------------ import
@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    format: str = ""
    rejected: int = 0  # records skipped (skip_invalid)
    rejected_file: Path | None = None  # where they were written
    problems: list[str] = field(default_factory=list)  # the first problems of rejected records
    duplicates: list[str] = field(default_factory=list)  # probable duplicates (warnings)
    duplicates_total: int = 0


class _Rejects:
    """The rejected records, written as they come to FILE.rejected.json (a JSON list of the
    records as read, each with its reasons under "_rejected"), complete only when closed."""

    def __init__(self, path: Path) -> None:
        self.path = path.with_name(path.name + ".rejected.json")
        self._part = self.path.with_name(self.path.name + ".part")
        self._fh: IO[str] | None = None
        self.n = 0

    def add(self, where: str, rec: dict[str, Any], problems: list[str]) -> None:
        if self._fh is None:
            try:
                self._fh = self._part.open("w", encoding="utf-8")
            except OSError as exc:
                raise ParadiploError(
                    _(
                        "{path}: cannot write the rejected records there ({reason}); nothing "
                        "was imported."
                    ).format(path=self.path, reason=exc.strerror)
                ) from None
            self._fh.write("[")
        original = rec.get("\x00not an object", rec) if "\x00not an object" in rec else rec
        item = {"_rejected": problems, "_where": where}
        if isinstance(original, dict):
            item.update(original)
        else:
            item["_value"] = original
        self._fh.write(",\n  " if self.n else "\n  ")
        self._fh.write(json.dumps(item, ensure_ascii=False, default=str))
        self.n += 1

    def finish(self) -> Path | None:
        if self._fh is None:
            return None
        self._fh.write("\n]\n")
        self._fh.close()
        os.replace(self._part, self.path)
        return self.path

    def discard(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._part.unlink(missing_ok=True)


def import_cases(
    store: Store,
    path: Path,
    *,
    skip_invalid: bool = False,
    ambiguous: str = "error",
    progress: Progress | None = None,
) -> ImportResult:
    """Import a JSON or CSV file of cases in one transaction.

    All of it or nothing (a ParadiploError naming every problem) unless `skip_invalid`: then
    every valid record is imported and the others are written to FILE.rejected.json.
    `ambiguous` settles a bare name shared by a Kota and a Kabupaten: "error" (refuse),
    "city", "regency", or "keep" (stored as stated, marked unresolved). `progress(stage,
    done, total)` is called now and then ("reading": bytes; "writing").
    """
    if ambiguous not in AMBIGUOUS_CHOICES:
        raise ParadiploError(
            _("--ambiguous must be one of {choices}").format(choices=", ".join(AMBIGUOUS_CHOICES))
        )
    with searchdocs.paused_gc():
        return _import_cases(store, path, skip_invalid, ambiguous, progress)


def _import_cases(
    store: Store, path: Path, skip_invalid: bool, ambiguous: str, progress: Progress | None
) -> ImportResult:
    rf = caseformats.open_records(path)
    conn = store.conn
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    checker = Checker(conn, stamp, ambiguous)
    result = ImportResult(format=rf.format)
    problems: list[str] = []
    prepared: list[dict[str, Any]] = []
    rejects = _Rejects(path)
    stopped = None
    try:
        for n, (where, rec) in enumerate(rf.records(), 1):
            row, found = checker.check(where, rec)
            if progress is not None and n % 500 == 0:
                progress("reading", rf.done, rf.size)
            if found:
                if skip_invalid:
                    rejects.add(where, rec, found)
                    if len(result.problems) < MAX_SHOWN:
                        result.problems += found[: MAX_SHOWN - len(result.problems)]
                    continue
                problems += found
                if len(problems) >= MAX_PROBLEMS:
                    stopped = where
                    break
                continue
            if row is not None:
                row["_where"] = where
                prepared.append(row)
        if problems:
            raise ImportProblem(str(path), problems, stopped)
        if progress is not None:
            progress("reading", rf.size, rf.size)
        rows = [p for p in prepared if not p.get("unchanged")]
        result.unchanged = len(prepared) - len(rows)
        del prepared
        _warn_duplicates(conn, rows, result)
        result.rejected = rejects.n
        result.rejected_file = rejects.finish()
    except BaseException:
        rejects.discard()
        raise
    if progress is not None:
        progress("writing", 0, len(rows))
    with big_cache(store.conn), store.write() as w:
        existing_user = write_cases(w, checker.res, rows, stamp)
        result.updated = sum(1 for r in rows if r["id"] in existing_user)
        result.added = len(rows) - result.updated
    if progress is not None:
        progress("writing", len(rows), len(rows))
    return result


def _warn_duplicates(
    conn: sqlite3.Connection, rows: list[dict[str, Any]], result: ImportResult
) -> None:
    """Probable duplicates: another case (in the collection or in this file) with the same
    region, type and partner once prefixes such as "Kota" or "City of" are set aside."""
    mine = {r["id"] for r in rows}
    seen: dict[tuple[str, str, str | None], str] = {}
    for cid, region, partner, type_id in conn.execute(
        "SELECT id, region_id, partner_name, type FROM cases"
    ):
        if cid not in mine:
            seen.setdefault((region, places.partner_key(partner), type_id), cid)
    for r in rows:
        key = (r["region_id"], places.partner_key(r["partner_name"]), r["type"])
        other = seen.get(key)
        if other is None:
            seen[key] = r["id"]
            continue
        result.duplicates_total += 1
        if len(result.duplicates) < MAX_DUPLICATES_SHOWN:
            result.duplicates.append(
                _(
                    "{where}: probably the same as case {other} (same region, partner and type)"
                ).format(where=_with_id(r["_where"], r["id"]), other=other)
            )


def _with_id(where: str, cid: str) -> str:
    """Where a record is, with its id ("line 4 (id x)") unless that already says it."""
    shown = caseformats.id_label(cid)
    return where if where.endswith(shown) else where + shown
