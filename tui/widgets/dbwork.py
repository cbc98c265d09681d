"""Database work off the UI thread: the one pattern every screen and widget uses.

A method decorated with `@db_work(group)` runs in a Textual thread worker (`@work(thread=True,
exclusive=True)`), reads through `app_of(self).store` (`store.conn` is that thread's own
connection) and returns one typed message, a `DbResult`, which is posted to the node (and is
the worker's result). A newer
call of the same method replaces the older (exclusive): the older's result is not posted, and
a result that arrives after a newer call was made says so (`message.stale`). A failure posts
`WorkFailed`, which bubbles from the node up to the App: a screen may mark its pane first,
the App turns it into a notification a user can act on.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar, cast

from textual import work
from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import Worker, get_current_worker

if TYPE_CHECKING:
    from paradiplo.db.store import Store
    from paradiplo.tui.app import ParadiploApp

P = ParamSpec("P")
N = TypeVar("N", bound=MessagePump)


class DbResult(Message):
    """A result of database work, posted by the worker that read it."""

    worker: Worker[Any] | None = None

    @property
    def stale(self) -> bool:
        """True when a newer call of the same work was made after this one (this one's
        worker was cancelled by it)."""
        return self.worker is not None and self.worker.is_cancelled


@dataclass
class WorkFailed(DbResult):
    """Database work of `group` raised `error`."""

    group: str
    error: Exception


def app_of(node: MessagePump) -> ParadiploApp:
    """The running app, typed (every node of this program runs in a ParadiploApp)."""
    return cast("ParadiploApp", node.app)


def db_work(
    group: str, *, exclusive: bool = True
) -> Callable[
    [Callable[Concatenate[N, P], DbResult | None]],
    Callable[Concatenate[N, P], Worker[DbResult | None]],
]:
    """Run the decorated method in a thread worker of `group` and post the message it returns.

    With `exclusive=False` calls run side by side and none replaces another (pages of a list,
    which say themselves which request they answer).
    """

    def decorate(
        method: Callable[Concatenate[N, P], DbResult | None],
    ) -> Callable[Concatenate[N, P], Worker[DbResult | None]]:
        @functools.wraps(method)
        def job(node: N, *args: P.args, **kwargs: P.kwargs) -> DbResult | None:
            return _post(node, group, lambda: method(node, *args, **kwargs))

        runner = work(thread=True, exclusive=exclusive, group=group, exit_on_error=False)
        return cast(Callable[Concatenate[N, P], "Worker[DbResult | None]"], runner(job))

    return decorate


def _post(node: MessagePump, group: str, read: Callable[[], DbResult | None]) -> DbResult | None:
    """In the worker: run `read` and post its message (or WorkFailed) unless superseded."""
    worker = get_current_worker()
    message: DbResult | None
    try:
        message = read()
    except Exception as exc:
        message = WorkFailed(group, exc)
    if message is not None and not worker.is_cancelled:
        message.worker = worker
        node.post_message(message)
    return message


def run_db(
    node: MessagePump,
    group: str,
    read: Callable[[Store], DbResult | None],
    *,
    exclusive: bool = True,
) -> Worker[DbResult | None]:
    """`db_work` for a closure: run `read(store)` in a thread worker of `group` and post the
    message it returns, the same way (for reads built from local values, as the forms do)."""
    store = app_of(node).store
    return node.run_worker(  # type: ignore[attr-defined,no-any-return]
        lambda: _post(node, group, lambda: read(store)),
        thread=True,
        exclusive=exclusive,
        group=group,
        exit_on_error=False,
    )


def is_current(node: MessagePump, message: DbResult) -> bool:
    """Whether `message` answers the newest call of its work (older ones are dropped)."""
    return not message.stale


@dataclass
class NoteChanged(DbResult):
    """A note was deleted (and can be restored with undo) or restored."""

    change: str
    note_id: str


def change_note(node: MessagePump, change: str, note_id: str) -> NoteChanged:
    """Delete or restore a note (in a worker: see `noted` for the UI's part)."""
    from paradiplo.db import notes as notes_api

    store = app_of(node).store
    if change == "delete":
        notes_api.delete_note(store, note_id)
    else:
        notes_api.restore_note(store, note_id)
    return NoteChanged(change, note_id)


def undo_delete(node: MessagePump, change: Callable[[str, str], object]) -> None:
    """Restore the note deleted last in this session (u), through `change("restore", id)`."""
    stack = app_of(node).deleted_notes
    if not stack:
        app_of(node).notify("Nothing to undo.")
        return
    change("restore", stack.pop())


def noted(node: MessagePump, message: NoteChanged) -> None:
    """After `change_note`: keep a deleted note for undo (u), and say what happened."""
    app = app_of(node)
    if message.change == "delete":
        app.deleted_notes.append(message.note_id)
        app.notify("Note deleted (u to undo)")
    else:
        app.notify("Note restored")
