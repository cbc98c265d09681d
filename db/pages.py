"""Reading rows straight from the pages of a damaged SQLite file, without SQLite.

When a database file is cut short (a copy that stopped, a full disk, a sync tool), SQLite
refuses it as soon as one page it needs is missing, often a page of the schema: then not even
the list of tables can be read, although most pages holding the notes are still there. This
module reads every page that is left (and the newest committed pages of the -wal file) as
the file format describes them (https://www.sqlite.org/fileformat2.html): each leaf page of a
table holds whole rows, which are decoded here and handed back as tuples, with the number of
the page they came from. Which table a row belongs to is for the caller to judge from its
shape (db/recover.py knows what a note looks like).

Every read is bounded by the data actually present: a damaged cell, a missing overflow page
or a bad length skips that row (and is counted), never raises.
"""

from __future__ import annotations

import mmap
import os
import struct
from dataclasses import dataclass, field
from pathlib import Path

HEADER = b"SQLite format 3\x00"
LEAF_TABLE = 0x0D
INTERIOR_TABLE = 0x05
WAL_MAGIC = (0x377F0682, 0x377F0683)
MAX_OVERFLOW_PAGES = 100_000  # a chain longer than the file is a loop


@dataclass
class PageScan:
    # (page number, rowid, row) for every row read
    rows: list[tuple[int, int, tuple[object, ...]]] = field(default_factory=list)
    # interior table pages: page number -> [(child page, largest rowid under it or None)]
    interiors: dict[int, list[tuple[int, int | None]]] = field(default_factory=dict)
    present: set[int] = field(default_factory=set)  # pages that could be read
    damaged_cells: int = 0  # cells on readable pages that could not be decoded
    pages: int = 0  # table leaf pages read

    def tree_of(self, leaves: set[int]) -> set[int]:
        """The interior pages above the leaf pages `leaves` (one table's b-tree)."""
        tree: set[int] = set()
        below = set(leaves)
        for _level in range(8):
            above = {
                number
                for number, children in self.interiors.items()
                if number not in tree and any(child in below for child, _key in children)
            }
            if not above:
                break
            tree |= above
            below = above
        return tree


def _varint(buf: bytes, i: int) -> tuple[int, int]:
    value = 0
    for k in range(8):
        b = buf[i + k]
        value = (value << 7) | (b & 0x7F)
        if b < 0x80:
            return value, i + k + 1
    return (value << 8) | buf[i + 8], i + 9


def _values(payload: bytes) -> tuple[object, ...]:
    """The columns of one record (raises IndexError/ValueError/UnicodeDecodeError if bad)."""
    header_size, i = _varint(payload, 0)
    if header_size > len(payload) or header_size < 1:
        raise ValueError("bad record header")
    types = []
    while i < header_size:
        t, i = _varint(payload, i)
        types.append(t)
    pos = header_size
    out: list[object] = []
    sizes = {1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8}
    for t in types:
        if t == 0:
            out.append(None)
        elif t in sizes:
            n = sizes[t]
            chunk = payload[pos : pos + n]
            if len(chunk) != n:
                raise ValueError("record cut short")
            out.append(int.from_bytes(chunk, "big", signed=True))
            pos += n
        elif t == 7:
            chunk = payload[pos : pos + 8]
            if len(chunk) != 8:
                raise ValueError("record cut short")
            out.append(struct.unpack(">d", chunk)[0])
            pos += 8
        elif t in (8, 9):
            out.append(t - 8)
        elif t >= 12:
            n = (t - 12) // 2
            chunk = payload[pos : pos + n]
            if len(chunk) != n:
                raise ValueError("record cut short")
            out.append(chunk.decode("utf-8") if t % 2 else bytes(chunk))
            pos += n
        else:
            raise ValueError("reserved serial type")
    return tuple(out)


class _File:
    """The pages of a database file (plus the committed pages of its -wal), by number."""

    def __init__(self, path: Path) -> None:
        # Mapped, not read: a large database is not copied into memory to be salvaged.
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            self.data: bytes | mmap.mmap = (
                mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
            )
        header = bytes(self.data[:100])
        size = int.from_bytes(header[16:18], "big") if len(header) >= 18 else 0
        size = 65536 if size == 1 else size
        if header[:16] != HEADER or size < 512 or size & (size - 1):
            size = 4096  # the header is gone: the size this app's databases use
        self.page_size = size
        reserved = header[20] if len(header) > 20 and header[:16] == HEADER else 0
        self.usable = size - reserved
        self.wal: dict[int, bytes] = {}
        wal = path.with_name(path.name + "-wal")
        if wal.is_file():
            self._read_wal(wal.read_bytes())

    def _read_wal(self, data: bytes) -> None:
        if len(data) < 32 or int.from_bytes(data[:4], "big") not in WAL_MAGIC:
            return
        size = int.from_bytes(data[8:12], "big")
        if size != self.page_size:
            return
        salts = data[16:24]
        pending: dict[int, bytes] = {}
        pos = 32
        while pos + 24 + size <= len(data):
            frame = data[pos : pos + 24]
            if frame[8:16] != salts:
                break  # frames of an older generation of the log
            pending[int.from_bytes(frame[:4], "big")] = data[pos + 24 : pos + 24 + size]
            if int.from_bytes(frame[4:8], "big"):  # a commit: these pages count
                self.wal.update(pending)
                pending = {}
            pos += 24 + size

    def count(self) -> int:
        file_pages = len(self.data) // self.page_size
        return max([file_pages, *self.wal])

    def page(self, number: int) -> bytes | None:
        if number in self.wal:
            return self.wal[number]
        start = (number - 1) * self.page_size
        chunk = bytes(self.data[start : start + self.page_size])
        return chunk if len(chunk) == self.page_size else None

    def free_pages(self) -> set[int]:
        """The pages on the free list (they may hold rows deleted long ago)."""
        first = self.page(1)
        if first is None or first[:16] != HEADER:
            return set()
        free: set[int] = set()
        trunk = int.from_bytes(first[32:36], "big")
        seen: set[int] = set()
        while trunk and trunk not in seen and len(seen) < self.count():
            seen.add(trunk)
            free.add(trunk)
            page = self.page(trunk)
            if page is None:
                break
            leaves = int.from_bytes(page[4:8], "big")
            for k in range(min(leaves, (self.usable - 8) // 4)):
                free.add(int.from_bytes(page[8 + 4 * k : 12 + 4 * k], "big"))
            trunk = int.from_bytes(page[:4], "big")
        return free

    def cell(self, page: bytes, at: int) -> tuple[int, bytes]:
        """(rowid, whole payload) of the table-leaf cell at offset `at`, following overflow
        pages."""
        length, i = _varint(page, at)
        rowid, i = _varint(page, i)
        usable = self.usable
        most = usable - 35
        if length <= most:
            body = page[i : i + length]
            if len(body) != length:
                raise ValueError("cell cut short")
            return rowid, body
        least = ((usable - 12) * 32 // 255) - 23
        local = least + (length - least) % (usable - 4)
        if local > most:
            local = least
        parts = [page[i : i + local]]
        got = local
        next_page = int.from_bytes(page[i + local : i + local + 4], "big")
        hops = 0
        while got < length:
            hops += 1
            over = self.page(next_page) if next_page else None
            if over is None or hops > MAX_OVERFLOW_PAGES:
                raise ValueError("overflow page missing")
            take = min(usable - 4, length - got)
            parts.append(over[4 : 4 + take])
            got += take
            next_page = int.from_bytes(over[:4], "big")
        return rowid, b"".join(parts)


def table_rows(path: Path) -> PageScan:
    """Every row on every readable table leaf page of the database at `path` (not on the
    free list), with the -wal's committed pages in place of older ones."""
    scan = PageScan()
    try:
        db = _File(path)
    except (OSError, ValueError):
        return scan
    try:
        _scan(db, scan)
    finally:
        if isinstance(db.data, mmap.mmap):
            db.data.close()
    return scan


def _scan(db: _File, scan: PageScan) -> None:
    free = db.free_pages()
    for number in range(1, db.count() + 1):
        if number in free:
            continue
        page = db.page(number)
        if page is None:
            continue
        scan.present.add(number)
        base = 100 if number == 1 else 0
        kind = page[base]
        if kind == INTERIOR_TABLE:
            _interior(page, base, number, db.usable, scan)
            continue
        if kind != LEAF_TABLE:
            continue
        cells = int.from_bytes(page[base + 3 : base + 5], "big")
        if cells * 2 + base + 8 > db.usable:
            continue  # not a real page header
        scan.pages += 1
        for k in range(cells):
            ptr = int.from_bytes(page[base + 8 + 2 * k : base + 10 + 2 * k], "big")
            try:
                if not base + 8 <= ptr < db.usable:
                    raise ValueError("cell pointer out of the page")
                rowid, payload = db.cell(page, ptr)
                scan.rows.append((number, rowid, _values(payload)))
            except (IndexError, ValueError, UnicodeDecodeError):
                scan.damaged_cells += 1


def _interior(page: bytes, base: int, number: int, usable: int, scan: PageScan) -> None:
    """The children of an interior table page, each with the largest rowid under it (the
    right-most child's is not on the page: None)."""
    cells = int.from_bytes(page[base + 3 : base + 5], "big")
    if cells * 2 + base + 12 > usable:
        return
    children: list[tuple[int, int | None]] = []
    for k in range(cells):
        ptr = int.from_bytes(page[base + 12 + 2 * k : base + 14 + 2 * k], "big")
        try:
            if not base + 12 <= ptr < usable - 4:
                raise ValueError("cell pointer out of the page")
            key, _end = _varint(page, ptr + 4)
        except (IndexError, ValueError):
            scan.damaged_cells += 1
            continue
        children.append((int.from_bytes(page[ptr : ptr + 4], "big"), key))
    children.append((int.from_bytes(page[base + 8 : base + 12], "big"), None))
    scan.interiors[number] = children
