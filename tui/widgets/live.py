"""Live refresh: a running app shows what another process (the command line, a second window)
adds or changes, within about two seconds, without a restart.

`ChangeWatcher(app)` polls SQLite's `PRAGMA data_version` (see `db.ui_queries.data_version`)
on the UI thread once a second (microseconds: it reads the write-ahead log's index, no
table), and posts `DataChanged` to the app when another connection has committed. The app
then reloads through its ordinary loading path, keeping the filters, the selected case and the
cursor.
"""

from __future__ import annotations

from typing import Any

from textual.message import Message

from paradiplo.db import ui_queries

POLL_SECONDS = 1.0


class DataChanged(Message):
    """Another connection committed a change to the database."""


class ChangeWatcher:
    def __init__(self, app: Any, interval: float = POLL_SECONDS) -> None:
        self.app = app
        self.version: int | None = None
        self.failed = False
        self.timer = app.set_interval(interval, self.check, name="data-version")
        self.check()  # the version the shown data was read at

    def check(self) -> bool:
        """Look once; True (and `DataChanged` posted) when the database changed."""
        store = getattr(self.app, "store", None)
        if store is None or self.failed:
            return False
        try:
            version = ui_queries.data_version(store.conn)
        except Exception:  # a damaged or vanished file: the panes report it when they load
            self.failed = True
            self.timer.stop()
            return False
        changed = self.version is not None and version != self.version
        self.version = version
        if changed:
            self.app.post_message(DataChanged())
        else:
            retry = getattr(self.app, "refresh_if_stale", None)
            if callable(retry):
                retry()  # a reload put off while the screen was busy
        return changed

    def stop(self) -> None:
        self.timer.stop()
