"""Run one app in this process (headless, through Textual's Pilot) and print what it measured.

    python bench/app_driver.py bare   T0
    python bench/app_driver.py app    T0 DB [PLAN.json]

`T0` is the parent's `time.monotonic()` just before it spawned this process (the clock is
system-wide), so "start" covers interpreter start-up, imports and the first screen, as a user
sees it. `bare` is a Textual app that shows one Static widget: the floor any Textual app pays.
`app` is ParadiploApp on DB, timed until `app.ready` (all four panes show data); with a PLAN it
then applies region and sector filters, moves through cases and types searches, timing each
from the change to the moment the app is idle again (workers done, messages handled, screen
refreshed). Prints one JSON object; peak memory is this process's ru_maxrss.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

SETTLE_TIMEOUT = 10.0


def _maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


async def _settle(app: Any, pilot: Any) -> None:
    """Wait until no worker runs and the message queues are drained (the app is idle)."""
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while time.monotonic() < deadline:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            return
    raise TimeoutError("the app did not settle")


async def _bare(t0: float) -> dict[str, Any]:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("paradiplo")

    app = Bare()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        start = time.monotonic() - t0
    return {"start_s": start, "maxrss_mib": _maxrss_mib()}


async def _timed(app: Any, pilot: Any, action: Any) -> float:
    t = time.perf_counter()
    result = action()
    if asyncio.iscoroutine(result):
        await result
    await _settle(app, pilot)
    return (time.perf_counter() - t) * 1000


async def _exercise(app: Any, pilot: Any, plan: dict[str, Any]) -> dict[str, Any]:
    """Filters, case moves and search keystrokes through the running app (ms each)."""
    from db.models import Filters

    out: dict[str, Any] = {}
    main = app.main
    try:
        region = []
        for key in plan["regions"]:
            region.append(
                await _timed(app, pilot, lambda k=key: setattr(main, "filters", Filters(region=k)))
            )
        out["app_region_ms"] = region
        sector = []
        for sid in plan["sectors"]:
            sector.append(
                await _timed(
                    app, pilot, lambda s=sid: setattr(main, "filters", Filters(sectors=(s,)))
                )
            )
        out["app_sector_ms"] = sector
        await _timed(app, pilot, lambda: setattr(main, "filters", Filters()))
        await _timed(app, pilot, lambda: main.action_focus_pane("agreements"))
        out["app_detail_ms"] = [
            await _timed(app, pilot, lambda: pilot.press("down")) for _ in range(plan["moves"])
        ]
    except Exception as exc:  # the app's structure changed: report, do not fail the bench
        out["app_error"] = f"filters/detail: {type(exc).__name__}: {exc}"
    out["maxrss_before_sources_mib"] = _maxrss_mib()
    try:
        # The sources list ('s'): one of every imported citation, so it grows with the cases.
        out["app_sources_ms"] = [await _timed(app, pilot, lambda: pilot.press("s"))]
        await _timed(app, pilot, lambda: pilot.press("escape"))
    except Exception as exc:
        out["app_error_sources"] = f"sources: {type(exc).__name__}: {exc}"
    try:
        keys = []
        for query in plan["queries"]:
            await _timed(app, pilot, lambda: pilot.press("slash"))
            if type(app.screen).__name__ != "SearchScreen":
                # Typing on the main screen would press the app's own keys ('s' sources...).
                out["app_error_search"] = "search: '/' did not open a SearchScreen"
                break
            for ch in query:
                keys.append(
                    await _timed(app, pilot, lambda c=ch: pilot.press("space" if c == " " else c))
                )
            await _timed(app, pilot, lambda: pilot.press("escape"))
        if keys:
            out["app_search_key_ms"] = keys
    except Exception as exc:
        out["app_error_search"] = f"search: {type(exc).__name__}: {exc}"
    return out


async def _app(t0: float, db: Path, plan: dict[str, Any] | None) -> dict[str, Any]:
    from tui.app import ParadiploApp

    t1 = time.monotonic()
    app = ParadiploApp(db)
    out: dict[str, Any] = {}
    async with app.run_test(size=(160, 50)) as pilot:
        await asyncio.wait_for(app.ready.wait(), timeout=120)
        now = time.monotonic()
        out["start_s"] = now - t0
        out["start_inproc_s"] = now - t1
        if plan:
            await _settle(app, pilot)
            out.update(await _exercise(app, pilot, plan))
    out["maxrss_mib"] = _maxrss_mib()
    return out


def main() -> None:
    kind, t0 = sys.argv[1], float(sys.argv[2])
    if kind == "bare":
        result = asyncio.run(_bare(t0))
    else:
        plan = json.loads(Path(sys.argv[4]).read_text()) if len(sys.argv) > 4 else None
        result = asyncio.run(_app(t0, Path(sys.argv[3]), plan))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
