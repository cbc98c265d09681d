"""Reading the app's own small files (keymap, remembered state, search history) safely.

Such a file is a convenience: it may be read only if it is a regular file and small. A named
pipe there would block the app forever, and a file of hundreds of megabytes (written by a bug,
or by someone else) would be read whole into memory at every launch.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from paradiplo.db.i18n import _

SMALL = 1024 * 1024  # what a keymap, the state or 50 searches can reasonably take


class FileTooBig(ValueError):
    """The file is larger than the limit: it is not read (callers treat it as unusable)."""


def read_small(path: Path, limit: int = SMALL) -> str:
    """The text of `path` (UTF-8), read only if it is a regular file of at most `limit` bytes.

    Raises FileNotFoundError / OSError as reading would, FileTooBig for a larger file,
    ValueError for a special file (pipe, device, directory, socket) or bytes that are not
    UTF-8. Never blocks on a pipe: it is opened without waiting for a writer.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(_("{path} is not a regular file").format(path=path))
        if info.st_size > limit:
            raise FileTooBig(
                _("{path} is {size} bytes, more than {limit}").format(
                    path=path, size=f"{info.st_size:,}", limit=f"{limit:,}"
                )
            )
        data = b""
        while len(data) <= limit:  # the size can grow while we read: stop past the limit
            chunk = os.read(fd, limit + 1 - len(data))
            if not chunk:
                break
            data += chunk
        if len(data) > limit:
            raise FileTooBig(
                _("{path} is more than {limit} bytes").format(path=path, limit=f"{limit:,}")
            )
    finally:
        os.close(fd)
    return data.decode("utf-8")
