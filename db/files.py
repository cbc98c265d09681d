"""Writing files so that a crash leaves either the old file or the new one, never half."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO


@contextmanager
def atomic_text(path: Path, *, newline: str | None = "\n") -> Iterator[TextIO]:
    """A text file to write `path` through: it replaces `path` (after an fsync) only when the
    block ends without an error; otherwise `path` is left as it was.

    The file gets the usual permissions (0666 less the umask): exports are meant to be read
    by other programs, unlike a private temporary file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.urandom(4).hex()}.part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` atomically (see `atomic_text`)."""
    with atomic_text(path) as fh:
        fh.write(text)
