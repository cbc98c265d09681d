"""Database work off the UI thread: one way for every widget to query, one place for errors.

`run_db(node, group, fn)` runs `fn(store)` in a thread worker owned by the App (so the App's
single `on_worker_state_changed` handler reports every failure) and posts the message `fn`
returns to `node`. Each group has a generation counter: a newer request in the same group makes
older results stale, and stale results are dropped both in the thread and on arrival.
`store.conn` inside `fn` is that thread's own connection.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import Worker, get_current_worker

from db.store import Store


class DbResult(Message):
    """A query result delivered to a widget; `group`/`generation` say which request it answers."""

    group: str = ""
    generation: int = 0


def _app(node: MessagePump) -> Any:
    return node.app


def is_current(node: MessagePump, message: DbResult) -> bool:
    """False when a newer request in the same group was made after this result's."""
    gens: dict[str, int] = _app(node).db_generations
    return gens.get(message.group, 0) == message.generation


def run_db(
    node: MessagePump,
    group: str,
    fn: Callable[[Store], DbResult | None],
    *,
    exclusive: bool = True,
    description: str = "",
) -> Worker[None]:
    """Run `fn(store)` in a thread; post its result message to `node` unless superseded.

    With `exclusive=False` several requests of the group run side by side and none makes
    another stale (used for pages of the case list, which carry their own generation).
    """
    app = _app(node)
    gens: dict[str, int] = app.db_generations
    generation = gens.get(group, 0) + (1 if exclusive else 0)
    gens[group] = generation
    store: Store = app.store

    def job() -> None:
        message = fn(store)
        if message is None:
            return
        if get_current_worker().is_cancelled or gens.get(group, 0) != generation:
            return
        message.group = group
        message.generation = generation
        node.post_message(message)

    worker: Worker[None] = app.run_worker(
        job,
        name=description or group,
        group=group,
        thread=True,
        exclusive=exclusive,
        exit_on_error=False,
    )
    return worker


def run_db_together(
    node: MessagePump,
    jobs: list[tuple[str, Callable[[Store], DbResult | None]]],
    *,
    name: str = "reload",
) -> Worker[None]:
    """Run several groups' requests one after another in one thread worker, posting each
    result as it is ready; each group's generation is bumped as by `run_db`.

    Cheaper than one worker a group when the queries are short: no thread start-up per group,
    and no threads contending for the interpreter with each other and the UI. A group whose
    query fails is reported as that group's failure (`App.db_failed`), as its own worker's
    would be; the groups after it still run.
    """
    app = _app(node)
    gens: dict[str, int] = app.db_generations
    wanted: list[tuple[str, int, Callable[[Store], DbResult | None]]] = []
    for group, fn in jobs:
        gens[group] = gens.get(group, 0) + 1
        wanted.append((group, gens[group], fn))
        # A request of the group still running is stale now: let it stop early.
        app.workers.cancel_group(app, group)
    store: Store = app.store

    def job() -> None:
        worker = get_current_worker()
        for group, generation, fn in wanted:
            if worker.is_cancelled or gens.get(group, 0) != generation:
                continue
            try:
                message = fn(store)
            except Exception as exc:  # reported as its own group's failure; the others go on
                app.call_from_thread(app.db_failed, group, exc)
                continue
            if message is None or worker.is_cancelled or gens.get(group, 0) != generation:
                continue
            message.group = group
            message.generation = generation
            node.post_message(message)

    worker: Worker[None] = app.run_worker(
        job, name=name, group=name, thread=True, exclusive=True, exit_on_error=False
    )
    return worker
