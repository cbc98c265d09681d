"""Helpers for driving the real app with Pilot: start it on the test database and let every
database worker finish before looking at the screen."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from paradiplo.tui.app import ParadiploApp


async def settle(pilot: Pilot[object], rounds: int = 20) -> None:
    """Wait until no worker is running and the messages they posted are handled.

    A worker's result can start another worker (the list's pages, the detail of the case the
    cursor lands on), so this loops until a pass finds nothing left to wait for.
    """
    app = pilot.app
    for _ in range(rounds):
        if not any(w.is_running for w in app.workers):
            await pilot.pause()
            if not any(w.is_running for w in app.workers):
                return
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            pass  # a newer call of the same work replaced it (exclusive groups): nothing to wait for
        await pilot.pause()


async def wait_ready(pilot: Pilot[object]) -> None:
    """Wait for the four panes to show data (`app.ready`), then for everything to settle."""
    app = pilot.app
    assert isinstance(app, ParadiploApp)
    await asyncio.wait_for(app.ready.wait(), timeout=15)
    await settle(pilot)


async def press(pilot: Pilot[object], *keys: str) -> None:
    """Press keys one by one, letting the database work each one starts finish."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


@pytest.fixture
def app(db_path: Path) -> ParadiploApp:
    return ParadiploApp(db_path)
