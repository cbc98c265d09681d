"""Decoding the files a user gives (import files, source texts): UTF-8, or UTF-16 with a
byte-order mark, with one message for each way a file is not such text."""

from __future__ import annotations

from collections.abc import Callable

from paradiplo.db.errors import ParadiploError
from paradiplo.db.i18n import _

UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def broken_utf16(where: str) -> str:
    return _("{where}: broken UTF-16 text; save it as UTF-8.").format(where=where)


def not_utf8(where: str, line: int, byte: int) -> str:
    """The message for a byte that is not UTF-8, on `line` of the file `where`."""
    return _(
        "{where}, line {line}: not UTF-8 text (byte 0x{byte}); it may be Latin-1 or "
        "Windows-1252, or not text at all. Save the file as UTF-8 and try again."
    ).format(where=where, line=line, byte=f"{byte:02x}")


def decode_text(
    raw: bytes,
    where: str,
    error: type[ParadiploError],
    nul_problem: Callable[[int], str],
    nul_within: int | None = None,
) -> str:
    """`raw` as text: UTF-16 when it starts with a byte-order mark, else UTF-8 (a UTF-8
    byte-order mark is skipped). Raises `error`: for broken UTF-16, for a NUL byte (with
    `nul_problem(offset of the first NUL)`, which says what the file then looks like; only
    the first `nul_within` bytes are looked at when given), or naming the line of the first
    byte that is not UTF-8."""
    if raw.startswith(UTF16_BOMS):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise error(broken_utf16(where)) from None
    nul = raw.find(b"\x00", 0, nul_within)
    if nul >= 0:
        raise error(nul_problem(nul))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(not_utf8(where, line, raw[exc.start])) from None
