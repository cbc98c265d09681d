"""Reading case files, one reader per format, streaming.

`open_records(path)` checks the file's bytes (empty, binary, UTF-16 without a byte-order
mark, not UTF-8: each named with its line), picks the format and returns a `RecordFile`
whose `records()` yields `(where, record)` pairs one at a time ("line 4", "record 2 (id x)"),
so that a file of any size is read in bounded memory. To add a format, write a reader like
`_json_records` or `_csv_records` and add it to `FORMATS`.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from paradiplo.db.casefields import CASE_FIELDS, EDITABLE_FIELDS, REQUIRED
from paradiplo.db.decoding import UTF16_BOMS, broken_utf16, decode_text, not_utf8
from paradiplo.db.errors import ImportProblem, ParadiploError
from paradiplo.db.i18n import _
from paradiplo.db.record import record
from paradiplo.db.text import display_safe

# Nesting deeper than this is not a case record (and would make a parser recurse).
MAX_DEPTH = 64
# A file this small is parsed again with the json module when the streaming parser fails,
# for its message (line and column); a larger one is named by byte offset instead.
RETRY_BYTES = 64 * 1024 * 1024
CHUNK = 1024 * 1024
JSON_BUFFER = 1024 * 1024

Record = tuple[str, dict[str, Any]]

__all__ = [
    "CASE_FIELDS",
    "EDITABLE_FIELDS",
    "FORMATS",
    "REQUIRED",
    "open_records",
    "read_text_file",
]


def line_label(n: int) -> str:
    """Where a record is: "line 4" (of a CSV file)."""
    return _("line {n}").format(n=n)


def id_label(rid: object) -> str:
    """' (id x)': the record's id, as it follows its place ("record 2 (id x)")."""
    return _(" (id {id})").format(id=display_safe(str(rid))[:80])


def record_label(n: int, rec: Any = None) -> str:
    """Where a record is: "record 2", with its id when it has one ("record 2 (id x)")."""
    rid = rec.get("id") if isinstance(rec, dict) else None
    shown = id_label(rid) if isinstance(rid, str | int) and rid else ""
    return _("record {n}").format(n=n) + shown


def field_problem(where: str, name: str, problem: str) -> str:
    """A problem of one field of one record: "line 4, field 'date': ..."."""
    return _("{where}, field '{field}': {problem}").format(where=where, field=name, problem=problem)


def _read_error(path: Path, exc: OSError) -> ParadiploError:
    """What stops an import file being read, in words."""
    if isinstance(exc, FileNotFoundError):
        return ParadiploError(_("{path}: no such file.").format(path=path))
    if isinstance(exc, IsADirectoryError):
        return ParadiploError(
            _("{path} is a directory; give a JSON or CSV file.").format(path=path)
        )
    return ParadiploError(
        _("{path}: cannot read it ({reason}).").format(path=path, reason=exc.strerror)
    )


def _empty(path: Path) -> str:
    return _("{path} is empty: nothing to import.").format(path=path)


def _utf16_without_bom(path: Path) -> str:
    return _(
        "{path} looks like UTF-16 text without a byte-order mark. Save it as UTF-8 (or UTF-16 "
        "with a BOM) and import again."
    ).format(path=path)


def _nul_byte(path: Path, line: int) -> str:
    return _(
        "{path}, line {line}: a NUL byte; this looks like a binary file, not JSON or CSV text."
    ).format(path=path, line=line)


def read_text_file(path: Path) -> str:
    """Decode an import file, refusing binary files and naming the encoding problem."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _read_error(path, exc) from None
    if not raw.strip():
        raise ParadiploError(_empty(path))

    def nul_problem(nul: int) -> str:
        if _looks_utf16(raw[:4096]):
            return _utf16_without_bom(path)
        return _nul_byte(path, raw[:nul].count(b"\n") + 1)

    return decode_text(raw, str(path), ParadiploError, nul_problem)


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
    raise ValueError(_("{name} is not a number JSON allows").format(name=name))


def _parse_json(path: Path, text: str) -> list[tuple[str, dict[str, Any]]]:
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        where = _("line {line}, column {column}").format(line=exc.lineno, column=exc.colno)
        raise ImportProblem(str(path), [f"{where}: {_invalid_json(exc.msg)}"]) from None
    except RecursionError:
        raise ImportProblem(str(path), [_too_deep()]) from None
    except ValueError as exc:  # NaN/Infinity, or an integer too long to convert
        why = _("a number with thousands of digits") if "digits" in str(exc) else str(exc)
        raise ImportProblem(str(path), [_invalid_json(why)]) from None
    if isinstance(data, dict):
        data = data.get("cases", [data])
    if not isinstance(data, list):
        raise ImportProblem(str(path), [_not_a_list()])
    out = []
    for i, rec in enumerate(data, 1):
        if not isinstance(rec, dict):
            raise ImportProblem(str(path), [f"{record_label(i)}: {_('not an object')}"])
        out.append((record_label(i, rec), rec))
    return out


def _invalid_json(why: str) -> str:
    return _("invalid JSON ({why})").format(why=why)


def _too_deep() -> str:
    return _("the JSON is nested too deeply to be case records")


def _not_a_list() -> str:
    return _("the JSON must be a list of case objects")


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
        raise ImportProblem(str(path), [_("line 1: no header row")])
    header = [h.strip() for h in fieldnames]
    problems = []
    blank = [str(i) for i, h in enumerate(header, 1) if not h]
    if blank:
        problems.append(
            _("line 1: column(s) {columns} have no name").format(columns=", ".join(blank))
        )
    dupes = sorted({h for h in header if h and header.count(h) > 1})
    if dupes:
        problems.append(
            _("line 1: column(s) {columns} appear more than once").format(columns=", ".join(dupes))
        )
    unknown = [
        h
        for h in header
        if h
        and h not in CASE_FIELDS
        and h not in ("quote", "source_citation", "category_derived", "stage_derived")
    ]
    missing = [f for f in REQUIRED if f not in header]
    if missing:
        problems.append(_("line 1: missing column(s) {columns}").format(columns=", ".join(missing)))
    if unknown:
        problems.append(
            _("line 1: unknown column(s) {columns}; known: {known}, quote").format(
                columns=", ".join(unknown), known=", ".join(CASE_FIELDS)
            )
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


# ------------------------------------------------------------------------------ the bytes
class _Counting(io.RawIOBase):
    """A binary file that counts what has been read (for progress)."""

    def __init__(self, fh: IO[bytes]) -> None:
        self._fh = fh
        self.done = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        data = self._fh.read(len(b))
        n = len(data)
        b[:n] = data
        self.done += n
        return n

    def read(self, size: int = -1) -> bytes:
        data = self._fh.read(size)
        self.done += len(data)
        return data


def check_bytes(path: Path) -> str:
    """Read the whole file once, in chunks, and return its encoding ("utf-8-sig" or
    "utf-16"); raise a ParadiploError naming the line for an empty, binary or wrongly
    encoded file. Memory: one chunk."""
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise _read_error(path, exc) from None
    with fh:
        try:
            head = fh.read(CHUNK)
        except OSError as exc:
            raise _read_error(path, exc) from None
        if head.startswith(UTF16_BOMS):
            decoder = codecs.getincrementaldecoder("utf-16")()
            try:
                chunk = head
                while chunk:
                    if decoder.decode(chunk).strip():
                        break
                    chunk = fh.read(CHUNK)
                else:
                    decoder.decode(b"", final=True)
                    raise ParadiploError(_empty(path))
                while chunk := fh.read(CHUNK):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                raise ParadiploError(broken_utf16(str(path))) from None
            return "utf-16"
        if b"\x00" in head[:4096] and _looks_utf16(head[:4096]):
            raise ParadiploError(_utf16_without_bom(path))
        decoder = codecs.getincrementaldecoder("utf-8")()
        lines, offset, blank = 0, 0, True
        chunk = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
        while chunk:
            nul = chunk.find(b"\x00")
            if nul >= 0:
                line = lines + chunk[:nul].count(b"\n") + 1
                raise ParadiploError(_nul_byte(path, line))
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                line = lines + chunk[: exc.start].count(b"\n") + 1
                raise ParadiploError(not_utf8(str(path), line, chunk[exc.start])) from None
            blank = blank and not chunk.strip()
            lines += chunk.count(b"\n")
            offset += len(chunk)
            chunk = fh.read(CHUNK)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise ParadiploError(
                _(
                    "{path}, line {line}: not UTF-8 text (the file ends inside a character). "
                    "Save the file as UTF-8 and import again."
                ).format(path=path, line=lines + 1)
            ) from None
        if blank:
            raise ParadiploError(_empty(path))
    return "utf-8-sig"


@dataclass
class RecordFile:
    """An import file being read: its format, size, and how much has been read so far."""

    path: Path
    format: str
    encoding: str
    size: int
    _reader: Callable[[RecordFile, IO[bytes]], Iterator[Record]]
    _counter: _Counting | None = None

    @property
    def done(self) -> int:
        """Bytes read so far (for a progress bar)."""
        return self._counter.done if self._counter else 0

    def records(self) -> Iterator[Record]:
        with self.path.open("rb") as raw:
            if raw.read(3) != b"\xef\xbb\xbf":  # a UTF-8 byte-order mark is skipped
                raw.seek(0)
            self._counter = _Counting(raw)
            yield from self._reader(self, self._counter)  # type: ignore[arg-type]

    def text(self, fh: IO[bytes]) -> io.TextIOWrapper:
        buffered = io.BufferedReader(fh)  # type: ignore[type-var]
        return io.TextIOWrapper(buffered, encoding=self.encoding, newline="")


def open_records(path: Path) -> RecordFile:
    """Check an import file and get ready to stream its records (see the module doc)."""
    encoding = check_bytes(path)
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(4096).decode(encoding, errors="ignore").lstrip("\ufeff \t\r\n")
    for name, fmt in FORMATS.items():
        if fmt.accepts(path, head):
            return RecordFile(path, name, encoding, size, fmt.reader)
    return RecordFile(path, "csv", encoding, size, FORMATS["csv"].reader)


# ------------------------------------------------------------------------------ JSON
class _TooDeep(Exception):
    pass


class _Utf8(io.RawIOBase):
    """UTF-16 text re-encoded as UTF-8, for the streaming JSON parser."""

    def __init__(self, text: IO[str]) -> None:
        self._text = text
        self._buf = b""

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        while len(self._buf) < len(b):
            more = self._text.read(CHUNK // 4)
            if not more:
                break
            self._buf += more.encode("utf-8")
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n


def _build(events: Iterator[tuple[str, Any]], first: tuple[str, Any], depth: int) -> Any:
    """The value that starts with event `first`, built from the events that follow."""
    kind, value = first
    if kind == "start_map":
        if depth > MAX_DEPTH:
            raise _TooDeep
        out: dict[str, Any] = {}
        for ev in events:
            if ev[0] == "end_map":
                return out
            key = ev[1]
            out[key] = _build(events, next(events), depth + 1)
        return out
    if kind == "start_array":
        if depth > MAX_DEPTH:
            raise _TooDeep
        items: list[Any] = []
        for ev in events:
            if ev[0] == "end_array":
                return items
            items.append(_build(events, ev, depth + 1))
        return items
    return value


@dataclass
class _Progress:
    begun: int = 0  # records begun
    yielded: int = 0  # records handed on (a record being built when the parser fails is not)


def _array_records(
    events: Iterator[tuple[str, Any]], depth: int, count: _Progress
) -> Iterator[Record]:
    """The records of a JSON array whose start has been read, up to its end."""
    for ev in events:
        if ev[0] == "end_array":
            return
        count.begun += 1
        rec = _build(events, ev, depth)
        count.yielded += 1
        if isinstance(rec, dict):
            yield record_label(count.begun, rec), rec
        else:
            yield record_label(count.begun), {"\x00not an object": rec}


def _json_records(rf: RecordFile, fh: IO[bytes]) -> Iterator[Record]:
    """A list of case objects, {"cases": [...]}, or one case object, read event by event."""
    import ijson

    stream: IO[bytes] = fh
    if rf.encoding == "utf-16":
        stream = _Utf8(rf.text(fh))  # type: ignore[assignment]
    # The C parser makes the events of a whole buffer at once (memory grows with the buffer)
    # and joins a long string piece by piece, once per buffer (time grows as it shrinks).
    events = iter(ijson.basic_parse(stream, use_float=True, buf_size=JSON_BUFFER))
    count = _Progress()
    try:
        first = next(events, None)
        if first is None:
            raise ImportProblem(str(rf.path), [_not_a_list()])
        if first[0] == "start_array":
            yield from _array_records(events, 2, count)
        elif first[0] == "start_map":
            top: dict[str, Any] = {}
            cases_seen = False
            for ev in events:
                if ev[0] == "end_map":
                    break
                key = ev[1]
                value_first = next(events)
                if key == "cases" and value_first[0] == "start_array":
                    cases_seen = True
                    yield from _array_records(events, 3, count)
                else:
                    top[key] = _build(events, value_first, 2)
            if not cases_seen:
                if "cases" in top:
                    raise ImportProblem(str(rf.path), [_not_a_list()])
                yield record_label(1, top), top
        else:
            raise ImportProblem(str(rf.path), [_not_a_list()])
        for _rest in events:
            pass  # trailing garbage is reported by the parser
    except _TooDeep:
        raise ImportProblem(str(rf.path), [_too_deep()]) from None
    except ijson.JSONError as exc:
        if rf.size > RETRY_BYTES:
            raise ImportProblem(str(rf.path), [_json_error(exc, count.begun)]) from None
        failed = True
    else:
        failed = False
    if failed:
        # The streaming parser refuses some valid JSON (integers past 64 bits): a file this
        # small is read again with the json module, which says where invalid JSON is broken
        # (line and column), and the records not yet handed on follow.
        again = _parse_json(rf.path, rf.path.read_bytes().decode(rf.encoding))
        yield from again[count.yielded :]


def _json_error(exc: Exception, n: int) -> str:
    """Where a large file's JSON is broken: after which record."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return _("invalid JSON after record {n} ({error})").format(n=n, error=display_safe(first)[:120])


# ------------------------------------------------------------------------------ CSV
def _csv_records(rf: RecordFile, fh: IO[bytes]) -> Iterator[Record]:
    text = rf.text(fh)
    header = text.readline()
    reader = csv.DictReader(
        itertools.chain([header], text), delimiter=_delimiter(header), strict=True
    )
    path = rf.path
    try:
        fieldnames = reader.fieldnames
    except csv.Error as exc:
        raise ImportProblem(str(path), [f"{line_label(1)}: {exc}"]) from None
    _check_header(path, list(fieldnames) if fieldnames else None)
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
                msg = _("a value is far too long (is a quote left open?)")
            elif "unexpected end of data" in msg:
                msg = _('a quote (") is opened and never closed')
            raise ImportProblem(str(path), [f"{line_label(start)}: {msg}"]) from None
        if None in row:
            problem = _("more values than columns")
            raise ImportProblem(str(path), [f"{line_label(start)}: {problem}"])
        rec = {k.strip(): v for k, v in row.items() if k is not None}
        yield line_label(start), _csv_record(rec)


# ------------------------------------------------------------------------------ formats
@record
class Format:
    """An import format: which files it reads (by suffix, or by how the text starts) and
    its reader."""

    suffixes: tuple[str, ...]
    starts: tuple[str, ...]
    reader: Callable[[RecordFile, IO[bytes]], Iterator[Record]]

    def accepts(self, path: Path, head: str) -> bool:
        return path.suffix.lower() in self.suffixes or head.startswith(self.starts)


# Tried in order; a file no format accepts is read as CSV.
FORMATS: dict[str, Format] = {
    "json": Format((".json",), ("[", "{"), _json_records),
    "csv": Format((".csv", ".tsv"), (), _csv_records),
}
