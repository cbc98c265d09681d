"""What is wrong with a database file, in words a user can act on: a raw SQLite error
translated, a special file or a non-SQLite file refused, a fresh file that may not be made."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from pathlib import Path
from typing import TypeGuard

from paradiplo.db.errors import DatabaseProblem, ReadOnlyError
from paradiplo.db.i18n import N_, _

SQLITE_HEADER = b"SQLite format 3\x00"
MOVE_ASIDE = N_("Run 'paradiplo-tui db build --force'")
# What callers outside db/ catch to report a raw SQLite failure through `translate` (tui/ may
# not import sqlite3).
SQLITE_ERRORS: tuple[type[sqlite3.Error], ...] = (sqlite3.Error,)


class UnusableDatabase(DatabaseProblem):
    """The file at the path cannot serve as this version's database: not SQLite, another
    program's, damaged, or too new to read. `db build --force` moves it aside (keeping it) and
    builds a new one; a locked or read-only database is never one of these.
    """


def is_sqlite_error(error: BaseException) -> TypeGuard[sqlite3.Error]:
    """True for an error raised by SQLite itself (for callers that do not import sqlite3)."""
    return isinstance(error, sqlite3.Error)


def translate(exc: sqlite3.Error, path: Path) -> DatabaseProblem:
    """Turn a raw SQLite error into a message a user can act on."""
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return ReadOnlyError(
            _("{path} is read-only: {error}. Nothing was changed.").format(path=path, error=text)
        )
    if "locked" in text or "busy" in text:
        return DatabaseProblem(
            _("{path} is locked by another program ({error}). Try again.").format(
                path=path, error=text
            )
        )
    if "full" in text or ("disk I/O" in text and disk_nearly_full(path)):
        return DatabaseProblem(
            _(
                "The disk holding {path} is full ({error}; {free} free); nothing was saved and "
                "the database is as it was. Free some space and try again."
            ).format(path=path, error=text, free=free_text(path))
        )
    if "unable to open" in text:
        return DatabaseProblem(
            _(
                "Cannot open {path} ({error}): check that the file and its folder can be read "
                "(and written, unless you browse with --read-only)."
            ).format(path=path, error=text)
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return UnusableDatabase(
            _(
                "{path} is damaged or not a database ({error}). {move_aside} to make a new "
                "one: the old file is kept as a backup and your notes are copied from it."
            ).format(path=path, error=text, move_aside=_(MOVE_ASIDE))
        )
    return DatabaseProblem(f"{path}: {text}")


# Below this much free space, an I/O error while writing is taken for a full disk (SQLite
# says "disk I/O error" when it cannot grow its -shm file, "disk is full" elsewhere).
NEARLY_FULL_BYTES = 4 * 1024 * 1024


def _free_bytes(path: Path) -> int | None:
    for folder in (path.parent, *path.parents):
        try:
            return shutil.disk_usage(folder).free
        except OSError:
            continue
    return None


def disk_nearly_full(path: Path) -> bool:
    free = _free_bytes(path)
    return free is not None and free < NEARLY_FULL_BYTES


def free_text(path: Path) -> str:
    free = _free_bytes(path)
    return _("unknown space") if free is None else f"{free / 1024:,.0f} KB"


def is_writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def refuse_fresh(path: Path, create: bool, readonly: bool) -> None:
    """Raise if a missing or empty file may not be created here; make its folder otherwise."""
    if not create:
        raise DatabaseProblem(
            _("No database at {path}. Run 'paradiplo-tui db build' to create it.").format(path=path)
        )
    if readonly:
        if path.exists():
            message = _(
                "{path} is empty and read-only mode was asked for, so no database can be built "
                "there. Run without --read-only (or unset PARADIPLO_READONLY) to build it."
            )
        else:
            message = _(
                "{path} does not exist and read-only mode was asked for, so no database can be "
                "built there. Run without --read-only (or unset PARADIPLO_READONLY) to build it."
            )
        raise DatabaseProblem(message.format(path=path))
    if path.exists() and not is_writable(path):
        raise DatabaseProblem(
            _("{path} is an empty, read-only file; use another --db path.").format(path=path)
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseProblem(
            _("Cannot create {path}: {error}.").format(path=path.parent, error=exc.strerror)
        ) from exc


_KINDS = (
    (stat.S_ISDIR, N_("a directory")),
    (stat.S_ISFIFO, N_("a named pipe (FIFO)")),
    (stat.S_ISCHR, N_("a character device")),
    (stat.S_ISBLK, N_("a block device")),
    (stat.S_ISSOCK, N_("a socket")),
)


def refuse_special(path: Path) -> None:
    """Raise unless `path` is a regular file (through links) or nothing at all.

    A directory, pipe, device or socket named as the database is never opened, created over,
    moved or replaced: reading a pipe would hang, and `/dev/null` is not ours to delete.
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            raise DatabaseProblem(
                _(
                    "{path} is a link to {target}, which does not exist; it was left as it is. "
                    "Make the link point to a file, or use --db FILE."
                ).format(path=path, target=os.readlink(path))
            ) from None
        return
    except OSError as exc:
        raise DatabaseProblem(
            _("Cannot look at {path}: {error}.").format(path=path, error=exc.strerror)
        ) from exc
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _KINDS if test(mode)), N_("a special file"))
    link = _(" (a link to {target})").format(target=os.readlink(path)) if path.is_symlink() else ""
    raise DatabaseProblem(
        _(
            "{path}{link} is {kind}, not a database file; it was left as it is. "
            "Use --db FILE with a regular file or a new path."
        ).format(path=path, link=link, kind=_(kind))
    )


def check_header(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise DatabaseProblem(
            _("Cannot read {path}: {error}.").format(path=path, error=exc.strerror)
        ) from exc
    if header != SQLITE_HEADER:
        raise UnusableDatabase(
            _(
                "{path} is not a SQLite database. {move_aside} to move it aside (it is kept) "
                "and build a new one, or use --db to choose another file."
            ).format(path=path, move_aside=_(MOVE_ASIDE))
        )
