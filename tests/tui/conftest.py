"""Helpers for driving the real app with Pilot: start it on the test database, let every
database worker finish before looking at the screen, and read the screen as the user sees it."""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest
from rich.cells import cell_len
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.worker import WorkerCancelled

from paradiplo.tui.app import ParadiploApp

ScreenT = TypeVar("ScreenT", bound=Screen[Any])

# One run of text in one style, in the SVG screenshot Textual exports (Rich's export_svg).
_SVG_TEXT = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)" textLength="([\d.]+)"[^>]*>(.*?)</text>', re.S
)


async def settle(pilot: Pilot[Any], rounds: int = 20) -> None:
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


async def wait_ready(pilot: Pilot[Any]) -> None:
    """Wait for the four panes to show data (`app.ready`), then for everything to settle."""
    app = pilot.app
    assert isinstance(app, ParadiploApp)
    await asyncio.wait_for(app.ready.wait(), timeout=15)
    await settle(pilot)


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Press keys one by one, letting the database work each one starts finish."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def press_to(pilot: Pilot[Any], screen: type[ScreenT], *keys: str) -> ScreenT:
    """Press `keys` (as `press`); the `screen` they lead to (the test fails on another one)."""
    await press(pilot, *keys)
    shown = pilot.app.screen
    assert isinstance(shown, screen), f"{keys} led to {shown!r}, not a {screen.__name__}"
    return shown


def after_keys(*keys: str, theme: str | None = None) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """A snapshot's `run_before`: (in `theme`) wait for the data to show, then press `keys`."""

    async def run_before(pilot: Pilot[Any]) -> None:
        if theme is not None:
            pilot.app.theme = theme
        await wait_ready(pilot)
        await press(pilot, *keys)

    return run_before


@asynccontextmanager
async def running(
    db_path: Path, size: tuple[int, int] = (120, 40), **options: Any
) -> AsyncIterator[tuple[ParadiploApp, Pilot[Any]]]:
    """The app on `db_path` at `size` (`options` go to `run_test`), its panes showing data."""
    app = ParadiploApp(db_path)
    async with app.run_test(size=size, **options) as pilot:
        await wait_ready(pilot)
        yield app, pilot


def screen_text(app: App[Any]) -> str:
    """Every character the screen shows (with the screens under a dialog), line by line: read
    from the app's screenshot, where each run of text in one style is placed by row and column."""
    rows: dict[float, list[tuple[float, str]]] = {}
    cell = 0.0
    for x, y, length, body in _SVG_TEXT.findall(app.export_screenshot()):
        text = html.unescape(body).replace("\xa0", " ")  # a space is written as &#160;
        cell = cell or float(length) / len(text)
        rows.setdefault(float(y), []).append((float(x), text.replace("\n", "")))
    lines = []
    for y in sorted(rows):
        line = ""
        for x, text in sorted(rows[y]):
            line += " " * (round(x / cell) - cell_len(line)) + text
        lines.append(line)
    return "\n".join(lines)


@pytest.fixture
def app(db_path: Path) -> ParadiploApp:
    return ParadiploApp(db_path)
