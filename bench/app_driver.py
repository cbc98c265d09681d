"""Run one app in this process (headless, through Textual's Pilot) and print what it measured.

    python bench/app_driver.py bare   T0 [exercise]
    python bench/app_driver.py app    T0 DB [PLAN.json]

`T0` is the parent's `time.monotonic()` just before it spawned this process (the clock is
system-wide), so "start" covers interpreter start-up, imports and the first screen, as a user
sees it. `bare` is a Textual app that shows one Static widget: the floor any Textual app pays.
`app` is ParadiploApp on DB, timed until `app.ready` (all four panes show data); with a PLAN it
then applies region and sector filters, moves through cases and types searches, timing each
from the change until the frame that shows its result is written to the terminal. `bare
exercise` times list moves and keystrokes in a bare app the same way: the baseline. Prints
one JSON object; peak memory is this process's VmHWM.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

SETTLE_TIMEOUT = 10.0


def _maxrss_mib() -> float:
    """This process's peak resident memory in MiB.

    VmHWM (Linux) counts this program only. ru_maxrss does not: the kernel carries a forked
    child's high-water mark across exec, so a driver spawned by bench/run.py (which holds
    the generated collection, ~450 MiB at 100,000 cases) would report the parent's memory.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
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


FRAME_WAIT = 0.25  # seconds to wait for a frame after a change; none comes if nothing changed


def watch_frames(app: Any) -> list[float]:
    """Record when each frame is written to the (headless) terminal: the moment a user would
    see it. Textual composes a frame on its screen-update timer (60 a second) once something
    changed, and hands it to `App._display`; the list gets `perf_counter()` after each one."""
    frames: list[float] = []
    display = app._display

    def recorded(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        frames.append(time.perf_counter())

    app._display = recorded
    return frames


async def _until(app: Any, condition: Any) -> float:
    """Poll (every half millisecond, leaving the event loop free) until `condition()` holds,
    then wait for the frame that shows it; returns that frame's time.

    The change happened between the last poll that saw it missing and the first that saw it:
    the first frame written after the latter certainly shows it. If none comes (nothing on
    screen changed), the last frame written since the former is taken, or now."""
    frames: list[float] = app._bench_frames
    deadline = time.monotonic() + SETTLE_TIMEOUT
    before = time.perf_counter()
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not show the result")
        before = time.perf_counter()
        await asyncio.sleep(0.0005)
    seen = time.perf_counter()
    wait_until = seen + FRAME_WAIT
    while time.perf_counter() < wait_until:
        if frames and frames[-1] >= seen:
            return next(f for f in frames if f >= seen)
        await asyncio.sleep(0.0005)
    recent = [f for f in frames if f >= before]
    return recent[-1] if recent else seen


async def _timed(app: Any, pilot: Any, action: Any) -> float:
    """Milliseconds from `action` (a key through Pilot) until the app is idle again."""
    t = time.perf_counter()
    result = action()
    if asyncio.iscoroutine(result):
        await result
    await _settle(app, pilot)
    return (time.perf_counter() - t) * 1000


async def _shown(app: Any, action: Any, condition: Any) -> float:
    """Milliseconds from `action()` until the frame that shows `condition()` is written."""
    t = time.perf_counter()
    action()
    return (await _until(app, condition) - t) * 1000


async def _bare(t0: float, exercise: bool = False) -> dict[str, Any]:
    """The floor: a Textual app with one Static (start-up); with `exercise`, the same app
    with a list and a text field, timed the way the app is (the baseline of UI actions)."""
    from textual.app import App, ComposeResult
    from textual.widgets import Input, OptionList, Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("paradiplo")
            if exercise:
                yield OptionList(*[f"row {i}" for i in range(200)])
                yield Input()

    app = Bare()
    out: dict[str, Any] = {}
    async with app.run_test(size=(160, 50)) as pilot:
        app._bench_frames = watch_frames(app)
        await pilot.pause()
        out["start_s"] = time.monotonic() - t0
        if exercise:
            options, field_ = app.query_one(OptionList), app.query_one(Input)
            options.focus()
            await pilot.pause()
            moves = []
            for _ in range(40):
                before = options.highlighted
                moves.append(
                    await _shown(
                        app, options.action_cursor_down, lambda b=before: options.highlighted != b
                    )
                )
            field_.focus()
            await pilot.pause()
            keys = []
            for ch in "shizuoka pariwisata":
                want = field_.value + ch
                keys.append(
                    await _shown(
                        app,
                        lambda c=ch: field_.insert_text_at_cursor(c),
                        lambda w=want: field_.value == w,
                    )
                )
            out["bare_move_ms"], out["bare_key_ms"] = moves, keys
            out.update(await _bare_refill(app))
    out["maxrss_mib"] = _maxrss_mib()
    return out


async def _bare_refill(app: Any) -> dict[str, list[float]]:
    """The floors of a filter change: four panes in a 2x2 grid (as the app's) all given new
    content at once, until drawn. `bare_text_ms`: four `Static`s, 25 new lines each (the least
    any app can do); `bare_refill_ms`: four `OptionList`s, 50 new rows each."""
    from textual.containers import Grid
    from textual.screen import Screen
    from textual.widgets import OptionList, Static

    def rows(seed: int, n: int) -> list[str]:
        return [
            f"{2000 + (seed + i) % 25}  Kabupaten number {seed * 7 + i}  Partner city {i} (Japan)"
            for i in range(n)
        ]

    class Panes(Screen[None]):
        DEFAULT_CSS = """
        Grid { grid-size: 2 2; }
        Static { height: 1fr; border: round $accent; }
        OptionList { height: 1fr; }
        """

        def __init__(self, lists: bool) -> None:
            super().__init__()
            self.lists = lists

        def compose(self) -> Any:
            with Grid():
                for _ in range(4):
                    if self.lists:
                        yield OptionList(*rows(0, 50))
                    else:
                        yield Static("\n".join(rows(0, 25)))

    out: dict[str, list[float]] = {}
    for key, lists in (("bare_text_ms", False), ("bare_refill_ms", True)):
        await app.push_screen(Panes(lists))
        await asyncio.sleep(0.2)
        panes = list(app.screen.query(OptionList if lists else Static))
        times = []
        for k in range(1, 31):

            def refill(k: int = k, lists: bool = lists, panes: list[Any] = panes) -> None:
                with app.batch_update():
                    for n, pane in enumerate(panes):
                        if lists:
                            pane.set_options(rows(k * 4 + n, 50))
                            pane.highlighted = 0
                        else:
                            pane.update("\n".join(rows(k * 4 + n, 25)))

            times.append(await _shown(app, refill, lambda: True))
        out[key] = times
        app.pop_screen()
        await asyncio.sleep(0.1)
    return out


async def _exercise(app: Any, pilot: Any, plan: dict[str, Any]) -> dict[str, Any]:
    """Filters, case moves and search keystrokes through the running app, each timed from
    the change until its result is on screen (the next frame after it was shown), in ms.
    The actions are called directly, not typed through Pilot: Pilot's own waits for the
    process to go idle cost ~70 ms a key, more than what is measured."""
    from textual.widgets import Input

    from paradiplo.db.models import Filters

    out: dict[str, Any] = {}
    main = app.main

    def reloaded() -> bool:
        return bool(main.shows(main.filters, main.sort))

    try:
        for key, name, make in (
            ("app_region_ms", "regions", lambda k: Filters(region=k)),
            ("app_sector_ms", "sectors", lambda k: Filters(sectors=(k,))),
        ):
            times = []
            for value in plan[name]:
                times.append(
                    await _shown(
                        app, lambda v=value, m=make: setattr(main, "filters", m(v)), reloaded
                    )
                )
                await _settle(app, pilot)
            out[key] = times
        await _shown(app, lambda: setattr(main, "filters", Filters()), reloaded)
        await _settle(app, pilot)
        main.action_focus_pane("agreements")
        await _settle(app, pilot)
        case_list = app.focused
        moves = []
        for _ in range(plan["moves"]):
            before = main.current_case
            moves.append(
                await _shown(
                    app,
                    case_list.action_cursor_down,
                    lambda b=before: (
                        main.current_case != b and main.detail_case == main.current_case
                    ),
                )
            )
        out["app_detail_ms"] = moves
    except Exception as exc:  # the app's structure changed: report, do not fail the bench
        out["app_error"] = f"filters/detail: {type(exc).__name__}: {exc}"
    out["maxrss_before_sources_mib"] = _maxrss_mib()
    try:
        # The sources list ('s'): one of every imported citation, so it grows with the cases.
        out["app_sources_ms"] = [await _timed(app, pilot, lambda: pilot.press("s"))]
        await _timed(app, pilot, lambda: pilot.press("escape"))
        # The notes list ('N'): notes on a tenth of the cases.
        out["app_notes_ms"] = [await _timed(app, pilot, lambda: pilot.press("N"))]
        await _timed(app, pilot, lambda: pilot.press("escape"))
    except Exception as exc:
        out["app_error_sources"] = f"sources: {type(exc).__name__}: {exc}"
    try:
        out.update(await _overview(app, pilot, plan))
    except Exception as exc:
        out["app_error_overview"] = f"overview: {type(exc).__name__}: {exc}"
    try:
        echo, results, work = [], [], []
        for query in plan["queries"]:
            await _timed(app, pilot, lambda: pilot.press("slash"))
            screen = app.screen
            if type(screen).__name__ != "SearchScreen":
                out["app_error_search"] = "search: '/' did not open a SearchScreen"
                break
            field_ = screen.query_one(Input)
            started: list[float] = []
            real_start = screen._start

            def stamped(
                generation: int, real: Any = real_start, log: list[float] = started
            ) -> None:
                log.append(time.perf_counter())
                real(generation)

            screen._start = stamped
            for ch in query:
                want = field_.value + ch
                t = time.perf_counter()
                field_.insert_text_at_cursor(ch)
                shown = await _until(app, lambda w=want, f=field_: f.value == w)
                echo.append((shown - t) * 1000)
                del started[:]
                done = await _until(
                    app,
                    lambda s=screen, f=field_: (
                        s.answered == s.generation and s.shown_query == f.value
                    ),
                )
                results.append((done - t) * 1000)
                if started:
                    work.append((done - started[-1]) * 1000)
            await _timed(app, pilot, lambda: pilot.press("escape"))
        out["app_search_echo_ms"] = echo
        out["app_search_results_ms"] = results
        out["app_search_key_ms"] = work
    except Exception as exc:
        out["app_error_search"] = f"search: {type(exc).__name__}: {exc}"
    return out


async def _each_shown(
    app: Any, pilot: Any, changes: list[Any], apply: Any, shown: Any
) -> list[float]:
    """For each change: milliseconds from `apply(change)` until the frame that shows
    `shown(change)` is written; the app settles between changes."""
    times = []
    for change in changes:
        times.append(await _shown(app, lambda c=change: apply(c), lambda c=change: shown(c)))
        await _settle(app, pilot)
    return times


async def _overview(app: Any, pilot: Any, plan: dict[str, Any]) -> dict[str, Any]:
    """The overview ('v', six charts) and the matrix ('m', province x partner country), each
    timed from a filter change (the plan's regions, then sectors, then year ranges) until
    the frame that shows its new counts is written."""
    from paradiplo.db.models import Filters
    from paradiplo.tui.screens.matrix import MatrixScreen
    from paradiplo.tui.screens.overview import OverviewScreen

    changes = [Filters(region=k) for k in plan["regions"]]
    changes += [Filters(sectors=(k,)) for k in plan["sectors"]]
    changes += [Filters(year_from=y, year_to=y + 5) for y in range(1990, 2021, 3)]
    out: dict[str, Any] = {}
    await _timed(app, pilot, lambda: pilot.press("v"))
    overview = app.screen
    assert isinstance(overview, OverviewScreen), type(overview).__name__

    def change(f: Filters) -> None:
        overview.filters = f

    out["app_overview_ms"] = await _each_shown(
        app, pilot, changes, change, lambda f: overview.shown == f
    )
    await _timed(app, pilot, lambda: pilot.press("m"))
    matrix = app.screen
    assert isinstance(matrix, MatrixScreen), type(matrix).__name__
    out["app_matrix_ms"] = await _each_shown(
        app,
        pilot,
        changes,
        matrix.set_filters,
        lambda f: matrix.shown == (f, matrix.rows_dim, matrix.cols_dim),
    )
    await _timed(app, pilot, lambda: pilot.press("escape"))
    await _timed(app, pilot, lambda: pilot.press("escape"))
    return out


async def _app(t0: float, db: Path, plan: dict[str, Any] | None) -> dict[str, Any]:
    from paradiplo.db.store import open_store
    from paradiplo.tui.app import ParadiploApp

    t1 = time.monotonic()
    # As `paradiplo-tui` launches it (tui/app.py run_app): the store opened first, then the app.
    store = open_store(db)
    app = ParadiploApp(db, store=store)
    out: dict[str, Any] = {}
    async with app.run_test(size=(160, 50)) as pilot:
        app._bench_frames = watch_frames(app)
        await asyncio.wait_for(app.ready.wait(), timeout=120)
        now = time.monotonic()
        out["start_s"] = now - t0
        out["start_inproc_s"] = now - t1
        if plan:
            await _settle(app, pilot)
            out.update(await _exercise(app, pilot, plan))
    store.close()
    out["maxrss_mib"] = _maxrss_mib()
    return out


def main() -> None:
    kind, t0 = sys.argv[1], float(sys.argv[2])
    if kind == "bare":
        # At the app's frame rate (tui/__init__.py), so that the floor draws as the app does.
        from paradiplo.tui import FPS

        os.environ.setdefault("TEXTUAL_FPS", str(FPS))
        result = asyncio.run(_bare(t0, exercise=sys.argv[3:4] == ["exercise"]))
    else:
        plan = json.loads(Path(sys.argv[4]).read_text()) if len(sys.argv) > 4 else None
        result = asyncio.run(_app(t0, Path(sys.argv[3]), plan))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
