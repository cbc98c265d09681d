"""The tables and the bars: what bench/run.py prints and writes into bench/RESULTS.md."""

from __future__ import annotations

import os
import platform
import re
import sqlite3
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from common import (
    BAR_FILTER_P95_MS,
    BAR_GROWTH,
    BAR_IMPORT_100K_S,
    BAR_OVERVIEW_P95_MS,
    BAR_RSS_MIB,
    BAR_SEARCH_P95_MS,
    BAR_START_RATIO,
    BEGIN,
    END,
    SEARCH_DEBOUNCE_MS,
    FirstScreen,
    SizeResult,
    markdown_table,
    p50_p95,
    pct,
)

# The growth table's columns: each heading with its cell, from a size's growth figures.
GROWTH_COLUMNS: list[tuple[str, Callable[[int, dict[str, list[float]]], str]]] = [
    ("cases", lambda n, g: f"{n:,}"),
    ("add a source ms", lambda n, g: f"{g['source_ms'][0]:.0f}"),
    ("add a case ms p50 / p95", lambda n, g: fmt_pair(g["case_ms"])),
    ("edit ms p50", lambda n, g: f"{statistics.median(g['edit_ms']):.0f}"),
    (
        "delete / restore ms p50",
        lambda n, g: (
            f"{statistics.median(g['delete_ms']):.0f} / {statistics.median(g['restore_ms']):.0f}"
        ),
    ),
    ("`cases add` CLI s", lambda n, g: f"{g['cli_case_s'][0]:.2f}"),
]


def growth_table(results: list[SizeResult]) -> str:
    rows = [[cell(r.n, g) for _, cell in GROWTH_COLUMNS] for r in results if (g := r.growth)]
    return markdown_table([head for head, _ in GROWTH_COLUMNS], rows)


def first_screen_report(firsts: list[FirstScreen]) -> list[str]:
    lines = [
        "First screen (issue 13): launch to the four panes filled at 160x50, in tmux (the "
        "`paradiplo-tui` command, until its screen shows the data: bench/terminal.py) and "
        "headless (Pilot, until `app.ready`), medians (app range) in ms:",
        "",
        markdown_table(
            ["database", "where", "app ms", "bare ms", "ratio", "floor ms (ratio)", "bar"],
            [f.cells() for f in firsts],
        ),
        "",
    ]
    lines += [
        f"- {'met' if f.ratio <= f.bar else 'NOT met'}: first screen with {f.label} "
        f"({f.where}) {f.ratio:.2f}x bare Textual (bar {f.bar}x)"
        for f in firsts
    ]
    lines += [
        f"- the floor (bench/floor_app.py: this screen's layout, stylesheet and kinds of widgets "
        f"in plain Textual, fixed text, no paradiplo code) is {f.floor_ratio:.2f}x bare Textual "
        f"({f.label} run)"
        for f in firsts
        if f.floor_ratio is not None
    ]
    return lines


# ------------------------------------------------------------------------------ reporting
def fmt_pair(values: list[float]) -> str:
    if not values:
        return "n/a"
    a, b = p50_p95(values)
    return f"{a:.1f} / {b:.1f}"


def table(results: list[SizeResult]) -> str:
    head = [
        "cases",
        "import s (CPU s)",
        "notes import s",
        "DB MiB",
        "start app / bare ms (ratio)",
        "region filter ms p50 / p95",
        "sector filter ms p50 / p95",
        "open case ms p50 / p95",
        "search/key ms p50 / p95",
        "CLI search ms",
        "app: region / sector / case ms p95 (bare text, lists, move)",
        "app: key echo / search ms p95 (bare key)",
        "app peak MiB",
    ]
    rows = []
    for r in results:
        if r.app_start_s:
            a, b = statistics.median(r.app_start_s), statistics.median(r.bare_start_s)
            start = f"{a * 1000:.0f} / {b * 1000:.0f} ({a / b:.2f}x)"
        else:
            start = "not run"
        app = r.app
        through = " / ".join(
            f"{pct(app[k], 95):.0f}" if app.get(k) else "n/a"
            for k in ("app_region_ms", "app_sector_ms", "app_detail_ms")
        ) + (
            " ("
            + ", ".join(
                f"{pct(r.bare[k], 95):.0f}"
                for k in ("bare_text_ms", "bare_refill_ms", "bare_move_ms")
            )
            + ")"
            if r.bare.get("bare_text_ms")
            else ""
        )
        typing = " / ".join(
            f"{pct(app[k], 95):.1f}" if app.get(k) else "n/a"
            for k in ("app_search_echo_ms", "app_search_key_ms")
        ) + (f" ({pct(r.bare['bare_key_ms'], 95):.1f})" if r.bare.get("bare_key_ms") else "")
        rss = f"{app['maxrss_mib']:.0f}" if app.get("maxrss_mib") else "not run"
        rows.append(
            [
                f"{r.n:,}",
                f"{r.import_s:.1f} ({r.import_cpu_s:.1f})",
                f"{r.notes_s:.1f}",
                f"{r.db_mib:.0f}",
                start,
                fmt_pair(r.region_ms),
                fmt_pair(r.sector_ms),
                fmt_pair(r.detail_ms),
                fmt_pair(r.search_ms),
                f"{r.cli_search_s * 1000:.0f}",
                through if app.get("app_region_ms") else "not run",
                typing if app.get("app_search_echo_ms") else "not run",
                rss,
            ]
        )
    return markdown_table(head, rows)


def parts_table(results: list[SizeResult]) -> str:
    """p95 of each part of a filter change (the app runs the three one after another)."""
    keys = sorted({k for r in results for k in r.parts_ms})
    rows = [
        [f"{r.n:,}", *(f"{pct(r.parts_ms[k], 95):.1f}" if r.parts_ms.get(k) else "" for k in keys)]
        for r in results
    ]
    return markdown_table(["cases", *keys], rows)


def bars(results: list[SizeResult]) -> list[str]:
    """Each bar of issue 6, checked at the largest size run (growth: smallest to largest)."""
    big, small = results[-1], results[0]
    out = []

    def check(ok: bool, text: str) -> None:
        out.append(f"- {'met' if ok else 'NOT met'}: {text}")

    if big.app_start_s:
        ratio = statistics.median(big.app_start_s) / statistics.median(big.bare_start_s)
        check(
            ratio <= BAR_START_RATIO,
            f"app start {ratio:.2f}x bare Textual (bar {BAR_START_RATIO}x)",
        )
    for name, values in (
        ("region filter", big.region_ms),
        ("sector filter", big.sector_ms),
        ("open case", big.detail_ms),
    ):
        check(
            pct(values, 95) < BAR_FILTER_P95_MS,
            f"{name} p95 {pct(values, 95):.1f} ms (bar {BAR_FILTER_P95_MS:.0f})",
        )
    for name, key in (
        ("region filter", "app_region_ms"),
        ("sector filter", "app_sector_ms"),
        ("open case", "app_detail_ms"),
    ):
        if big.app.get(key):
            v = pct(big.app[key], 95)
            floors = (
                [("bare_move_ms", "a move in a bare Textual OptionList")]
                if key == "app_detail_ms"
                else [
                    ("bare_text_ms", "a bare Textual app redrawing four panes of text"),
                    ("bare_refill_ms", "one refilling four lists"),
                ]
            )
            against = [
                f"{v / pct(big.bare[f], 95):.2f}x {what}, {pct(big.bare[f], 95):.0f} ms"
                for f, what in floors
                if big.bare.get(f)
            ]
            check(
                v < BAR_FILTER_P95_MS,
                f"{name} through the app p95 {v:.0f} ms"
                + (f" ({'; '.join(against)})" if against else "")
                + f" (bar {BAR_FILTER_P95_MS:.0f})",
            )
    for name, key in (("overview", "app_overview_ms"), ("matrix", "app_matrix_ms")):
        if big.app.get(key):
            v = pct(big.app[key], 95)
            check(
                v < BAR_OVERVIEW_P95_MS,
                f"{name} drawn after a filter change, through the app, p95 {v:.0f} ms"
                f" (bar {BAR_OVERVIEW_P95_MS:.0f})",
            )
    v = pct(big.search_ms, 95)
    check(
        v < BAR_SEARCH_P95_MS, f"search per keystroke p95 {v:.1f} ms (bar {BAR_SEARCH_P95_MS:.0f})"
    )
    if big.app.get("app_search_echo_ms"):
        v = pct(big.app["app_search_echo_ms"], 95)
        base = pct(big.bare["bare_key_ms"], 95) if big.bare.get("bare_key_ms") else None
        check(
            v < BAR_SEARCH_P95_MS,
            f"keystroke in the search box drawn, through the app, p95 {v:.1f} ms"
            + (f" ({v / base:.2f}x a bare Textual Input, {base:.1f} ms)" if base else "")
            + f" (bar {BAR_SEARCH_P95_MS:.0f})",
        )
    if big.app.get("app_search_key_ms"):
        v = pct(big.app["app_search_key_ms"], 95)
        check(
            v < BAR_SEARCH_P95_MS,
            f"search run and its results drawn, through the app, p95 {v:.1f} ms, after the"
            f" {SEARCH_DEBOUNCE_MS:.0f} ms typing pause the search box waits for"
            f" (bar {BAR_SEARCH_P95_MS:.0f})",
        )
    if big.app.get("maxrss_mib"):
        check(
            big.app["maxrss_mib"] < BAR_RSS_MIB,
            f"app peak memory {big.app['maxrss_mib']:.0f} MiB (bar {BAR_RSS_MIB:.0f})",
        )
    if big.n >= 100_000:
        check(
            big.import_s < BAR_IMPORT_100K_S,
            f"import of {big.n:,} cases {big.import_s:.1f} s (bar {BAR_IMPORT_100K_S:.0f})",
        )
    if big.n >= 100 * small.n:
        for name, a, b in (
            ("region filter", small.region_ms, big.region_ms),
            ("sector filter", small.sector_ms, big.sector_ms),
            ("search per keystroke", small.search_ms, big.search_ms),
        ):
            g = pct(b, 95) / max(pct(a, 95), 1e-9)
            check(
                g < BAR_GROWTH,
                f"{name} p95 grows {g:.1f}x from {small.n:,} to {big.n:,} (bar {BAR_GROWTH:.0f}x)",
            )
        # The same growth as the user sees it: through the app, until drawn.
        for name, key in (
            ("region filter through the app", "app_region_ms"),
            ("sector filter through the app", "app_sector_ms"),
            ("search results drawn through the app", "app_search_key_ms"),
        ):
            if small.app.get(key) and big.app.get(key):
                g = pct(big.app[key], 95) / max(pct(small.app[key], 95), 1e-9)
                check(
                    g < BAR_GROWTH,
                    f"{name} p95 grows {g:.1f}x from {small.n:,} to {big.n:,}"
                    f" (bar {BAR_GROWTH:.0f}x)",
                )
    for r in results:
        if r.combo_ms:
            out.append(
                f"- note ({r.n:,}): province and sector together p50 / p95 "
                f"{fmt_pair(r.combo_ms)} ms"
            )
        if r.app.get("app_sources_ms"):
            out.append(
                f"- note ({r.n:,}): opening the sources list ('s') took "
                f"{r.app['app_sources_ms'][0]:.0f} ms; peak memory before it "
                f"{r.app['maxrss_before_sources_mib']:.0f} MiB, after {r.app['maxrss_mib']:.0f} MiB"
            )
        for what, key in (
            ("the overview (v)", "app_overview_ms"),
            ("the matrix (m)", "app_matrix_ms"),
        ):
            if r.app.get(key):
                out.append(
                    f"- note ({r.n:,}): {what} drawn after a filter change p50 / p95 "
                    f"{fmt_pair(r.app[key])} ms ({len(r.app[key])} changes)"
                )
        if r.app.get("app_notes_ms"):
            out.append(
                f"- note ({r.n:,}): opening the notes list ('N', {r.n // 10:,} notes) took "
                f"{r.app['app_notes_ms'][0]:.0f} ms"
            )
        for k in ("app_error", "app_error_search", "app_error_sources", "app_error_overview"):
            if r.app.get(k):
                out.append(f"- note ({r.n:,}): {r.app[k]}")
    return out


def machine() -> list[str]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import textual

    mem = ""
    try:
        kib = int(re.findall(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[0])
        mem = f", {kib / 2**20:.0f} GiB RAM"
    except (OSError, IndexError):
        pass
    return [
        f"- CPU: {cpu or 'unknown'}, nproc {os.cpu_count()}{mem}",
        f"- {platform.system()} {platform.release()}; Python {platform.python_version()}; "
        f"SQLite {sqlite3.sqlite_version}; Textual {textual.__version__}",
    ]


def report(
    results: list[SizeResult],
    argv: list[str],
    started: float,
    loads: list[float],
    firsts: list[FirstScreen] | None = None,
) -> str:
    lines = [
        f"Command: `python bench/run.py {' '.join(argv)}`".replace("run.py `", "run.py`"),
        f"Run at {time.strftime('%Y-%m-%d %H:%M', time.localtime(started))}, took "
        f"{(time.time() - started) / 60:.1f} min; load average at start / end: "
        f"{loads[0]:.2f} / {loads[1]:.2f}",
        "",
        *machine(),
        "",
        *([*first_screen_report(firsts), ""] if firsts else []),
    ]
    if not results:
        return "\n".join(lines)
    lines += [
        table(results),
        "",
        "Growing the collection (db/collection.py, after the app's runs; the CLI time includes"
        " start-up):",
        "",
        growth_table(results),
        "",
        "Filter change, by part (p95 ms; the app runs the three one after another in one worker):",
        "",
        parts_table(results),
        "",
        "Bars (issue 6):",
        "",
        *bars(results),
    ]
    return "\n".join(lines)


def write_results(path: Path, text: str) -> None:
    """Replace the generated block of `path` (between the markers), keeping the prose around it."""
    block = f"{BEGIN}\n{text}\n{END}"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in old and END in old:
        new = old[: old.index(BEGIN)] + block + old[old.index(END) + len(END) :]
    else:
        new = (old + "\n\n" if old else "# Benchmark results\n\n") + block + "\n"
    path.write_text(new, encoding="utf-8")
