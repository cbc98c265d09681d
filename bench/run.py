"""Speed at scale: generate collections, import them, time what a user waits for, print a table.

    python bench/run.py                       # 1,000, 10,000 and 100,000 cases (make bench)
    python bench/run.py --sizes 1000 --quick  # a fast smoke run
    python bench/run.py --results bench/RESULTS.md   # also write the table into that file

For each size: generate cases and notes (bench/generate.py), build a fresh database and load
them through the public CLI (`paradiplo-tui import cases` / `import notes`, timed as
subprocesses), then measure
- the query functions the app runs (db/queries.py, db/notes.py, db/search.py), median and
  95th percentile over many selections: a region filter, a sector filter, a province and a
  sector together (each: everything the app reloads when a filter changes), opening a case,
  and search per keystroke;
- the CLI `search` for one query (subprocess wall time);
- app start (process spawn to `app.ready`, headless) against a bare Textual app with one Static
  widget, measured alternately in the same run, and the app's peak memory (VmHWM);
- the same filter, case and keystroke actions through the running app (headless), from the
  change until its result is drawn, against a bare Textual app's Input and OptionList timed
  the same way.
See bench/RESULTS.md for the bars and the latest figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from generate import write_collection, write_pairs  # noqa: E402

from paradiplo.db import notes as notes_api  # noqa: E402
from paradiplo.db import queries  # noqa: E402
from paradiplo.db import search as search_api  # noqa: E402
from paradiplo.db.models import Filters  # noqa: E402
from paradiplo.db.store import open_store  # noqa: E402

QUERIES = ["shizuoka", "pariwisata", "sister city", "kerjasama"]
PAGE = 100  # rows the agreements list asks for (tui/widgets/case_list.py)
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"

# The bars of issue 6 (at the largest size).
BAR_START_RATIO = 2.0
# The bars of issue 13: the first screen against a bare Textual app, measured side by side.
BAR_FIRST_SEED = 1.3
BAR_FIRST_PAIRS = 1.5
PAIRS = 26_000
BAR_FILTER_P95_MS = 50.0
BAR_SEARCH_P95_MS = 30.0
BAR_OVERVIEW_P95_MS = 100.0  # issue 17: the overview and the matrix after a filter change
BAR_RSS_MIB = 250.0
BAR_IMPORT_100K_S = 30.0
BAR_GROWTH = 3.0
SEARCH_DEBOUNCE_MS = 120.0  # tui/screens/search.py DEBOUNCE


# ------------------------------------------------------------------------------ helpers
def pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of `values`."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def p50_p95(values: list[float]) -> tuple[float, float]:
    return statistics.median(values), pct(values, 95)


def cli_command() -> list[str]:
    """How to run `paradiplo-tui`: the installed script next to this Python, else the module."""
    script = Path(sys.executable).parent / "paradiplo-tui"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "paradiplo.tui.cli"]


def run_cli(env: dict[str, str], *args: str) -> float:
    """Run the CLI, fail loudly if it fails, and return its wall time in seconds."""
    return run_cli_cpu(env, *args)[0]


def run_cli_cpu(env: dict[str, str], *args: str) -> tuple[float, float]:
    """`run_cli`, with the CPU time (user + system) the command used: on a shared machine
    the wall time depends on the other programs running, the CPU time much less."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run([*cli_command(), *args], env=env, capture_output=True, text=True)
    took = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"paradiplo-tui {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return took, cpu


def timed_ms(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def markdown_table(head: list[str], rows: list[list[str]]) -> str:
    """A Markdown table: the heading row, the rule, then one line per row."""
    lines = [head, ["---"] * len(head), *rows]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


@dataclass
class SizeResult:
    n: int
    import_s: float = 0.0
    import_cpu_s: float = 0.0
    notes_s: float = 0.0
    db_mib: float = 0.0
    region_ms: list[float] = field(default_factory=list)
    sector_ms: list[float] = field(default_factory=list)
    combo_ms: list[float] = field(default_factory=list)
    detail_ms: list[float] = field(default_factory=list)
    search_ms: list[float] = field(default_factory=list)
    cli_search_s: float = 0.0
    parts_ms: dict[str, list[float]] = field(default_factory=dict)
    app: dict[str, Any] = field(default_factory=dict)
    bare_start_s: list[float] = field(default_factory=list)
    bare: dict[str, Any] = field(default_factory=dict)  # the bare app's timed UI actions
    app_start_s: list[float] = field(default_factory=list)
    growth: dict[str, list[float]] = field(default_factory=dict)  # adding to the collection


# ------------------------------------------------------------------------------ loading
def load(n: int, work: Path, env: dict[str, str]) -> tuple[Path, SizeResult]:
    """Generate, build a fresh database, import cases and notes through the CLI."""
    res = SizeResult(n)
    cases_file, notes_file = write_collection(n, work / "data")
    db = work / f"bench-{n}.db"
    for p in work.glob(f"bench-{n}.db*"):
        p.unlink()
    run_cli(env, "--db", str(db), "db", "build")
    res.import_s, res.import_cpu_s = run_cli_cpu(
        env, "--db", str(db), "import", "cases", str(cases_file)
    )
    res.notes_s = run_cli(env, "--db", str(db), "import", "notes", str(notes_file))
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    res.db_mib = sum(p.stat().st_size for p in work.glob(f"bench-{n}.db*")) / 2**20
    return db, res


# ------------------------------------------------------------------------------ queries
def _walk(nodes: list[Any]) -> list[Any]:
    out = []
    for node in nodes:
        out.append(node)
        out += _walk(node.children)
    return out


def filter_change(conn: sqlite3.Connection, f: Filters, current: str | None) -> dict[str, float]:
    """Everything the app reloads when the filters change (tui/screens/main.py: reload), by part.

    The app runs the three groups one after another in one worker, as summed here.
    """
    parts: dict[str, float] = {}
    parts["trees"] = timed_ms(lambda: (queries.region_tree(conn, f), queries.partner_tree(conn, f)))
    parts["sectors"] = timed_ms(lambda: queries.sector_counts(conn, f))

    def cases() -> None:
        queries.count_cases(conn, f)
        queries.count_cases(conn, Filters())
        rows = queries.list_cases(conn, f, sort="-year", limit=PAGE, offset=0)
        if current:
            queries.case_position(conn, f, "-year", current)
        notes_api.note_counts(conn, [r.id for r in rows])

    parts["cases"] = timed_ms(cases)
    return parts


def measure_queries(db: Path, res: SizeResult, rng: random.Random, quick: bool) -> dict[str, Any]:
    """Median/p95 of the app's queries; returns the selections for the through-app plan."""
    store = open_store(db)
    conn = store.conn
    nodes = [n for n in _walk(queries.region_tree(conn)) if n.level != "country"]
    regions = [n.key for n in rng.sample(nodes, min(len(nodes), 20 if quick else 60))]
    sectors = [s.id for s in queries.sector_counts(conn, Filters())]
    ids = [r[0] for r in conn.execute("SELECT id FROM cases ORDER BY random() LIMIT 300")]
    current = ids[0] if ids else None
    parts: dict[str, list[float]] = {}

    def record(kind: str, split: dict[str, float]) -> float:
        for k, v in split.items():
            parts.setdefault(f"{kind}.{k}", []).append(v)
        return sum(split.values())

    filter_change(conn, Filters(), current)  # warm the page cache, as the app's start does
    res.region_ms = [
        record("region", filter_change(conn, Filters(region=k), current)) for k in regions
    ]
    rounds = 1 if quick else 3
    res.sector_ms = [
        record("sector", filter_change(conn, Filters(sectors=(s,)), current))
        for _ in range(rounds)
        for s in sectors
    ]
    # A region and a sector together (the app keeps the region when a sector is picked): no
    # summary answers these, the sector's rows in case_sectors do.
    provinces = [k for k in regions if k.startswith("p:")] or regions
    res.combo_ms = [
        record("combo", filter_change(conn, Filters(region=r, sectors=(s,)), current))
        for r, s in zip(provinces * len(sectors), sectors * 2, strict=False)
    ]
    for cid in ids[: 50 if quick else 300]:
        res.detail_ms.append(
            timed_ms(
                lambda c=cid: (queries.case_detail(conn, c), notes_api.notes_for_case(conn, c))
            )
        )
    for _ in range(1 if quick else 5):
        for q in QUERIES:
            for i in range(1, len(q) + 1):
                res.search_ms.append(timed_ms(lambda p=q[:i]: search_api.search(conn, p, limit=50)))
    res.parts_ms = parts
    store.close()
    return {
        "regions": regions[: 4 if quick else 30],
        "sectors": sectors[: 3 if quick else 20],
        "moves": 4 if quick else 40,
        "queries": ["shiz"] if quick else QUERIES,
    }


# ------------------------------------------------------------------------------ growing
GROWTH_TEXT = (
    "BANDUNG - Pemerintah Kota Bandung dan Kota Braunschweig, Jerman, memperpanjang kerja sama "
    "sister city yang telah terjalin sejak 1960.\n"
    "Wali Kota Bandung mengatakan kerja sama itu difokuskan pada pendidikan vokasi.\n"
)


def measure_growth(db: Path, res: SizeResult, env: dict[str, str], quick: bool) -> None:
    """What a user waits for when adding to a collection of this size: a source, a case
    (resolving names, checking the quote, duplicates, search index and summaries), an edit,
    a delete and a restore, through db/collection.py; and `cases add` through the CLI."""
    from paradiplo.db import collection

    store = open_store(db)
    g: dict[str, list[float]] = {}
    text = GROWTH_TEXT + f"Bench run {time.time()}.\n"
    sid = ""

    def add_source() -> None:
        nonlocal sid
        sid = collection.add_source(store, collection.NewSource(text=text, title="Bench"))

    g["source_ms"] = [timed_ms(add_source)]
    case = collection.CaseInput(
        region="Pemkot Bandung",
        partner="Braunschweig",
        partner_country="Jerman",
        type="sister city",
        date="1960",
        sectors=("Education",),
        source_id=sid,
        quotes=(collection.QuoteSpec("memperpanjang kerja sama sister city"),),
    )
    ids: list[str] = []
    for _ in range(3 if quick else 7):
        g.setdefault("case_ms", []).append(
            timed_ms(lambda: ids.append(collection.add_case(store, case, force=True)))
        )
    for cid in ids[:3]:
        g.setdefault("edit_ms", []).append(
            timed_ms(lambda c=cid: collection.update_case(store, c, {"status": "renewed"}))
        )
        g.setdefault("delete_ms", []).append(
            timed_ms(lambda c=cid: collection.delete_case(store, c))
        )
        g.setdefault("restore_ms", []).append(
            timed_ms(lambda c=cid: collection.restore_case(store, c))
        )
    store.close()
    g["cli_case_s"] = [
        run_cli(
            env, "--db", str(db), "cases", "add", "--region", "Kota Bandung", "--partner",
            "Hamburg", "--partner-country", "DE", "--type", "mou", "--source", sid, "--force",
        )
    ]  # fmt: skip
    res.growth = g


def growth_table(results: list[SizeResult]) -> str:
    head = [
        "cases",
        "add a source ms",
        "add a case ms p50 / p95",
        "edit ms p50",
        "delete / restore ms p50",
        "`cases add` CLI s",
    ]
    rows = [
        [
            f"{r.n:,}",
            f"{g['source_ms'][0]:.0f}",
            fmt_pair(g["case_ms"]),
            f"{statistics.median(g['edit_ms']):.0f}",
            f"{statistics.median(g['delete_ms']):.0f} / {statistics.median(g['restore_ms']):.0f}",
            f"{g['cli_case_s'][0]:.2f}",
        ]
        for r in results
        if (g := r.growth)
    ]
    return markdown_table(head, rows)


# ------------------------------------------------------------------------------ the app
def run_driver(kind: str, env: dict[str, str], *extra: str) -> dict[str, Any]:
    """Spawn bench/app_driver.py; its JSON result plus the child's peak RSS from wait4."""
    cmd = [sys.executable, str(HERE / "app_driver.py"), kind]
    config = tempfile.mkdtemp(prefix="config-", dir=env["PARADIPLO_DATA_DIR"])
    t0 = time.monotonic()
    proc = subprocess.Popen(
        [*cmd, repr(t0), *extra],
        env={**env, "PARADIPLO_CONFIG_DIR": config},  # a first launch: no remembered state
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out, err = proc.communicate(timeout=900)
    if proc.returncode != 0:
        raise SystemExit(f"app driver ({kind}) failed:\n{err[-3000:]}")
    return dict(json.loads(out.strip().splitlines()[-1]))


def measure_app(
    db: Path,
    res: SizeResult,
    plan: dict[str, Any],
    env: dict[str, str],
    repeat: int,
    exercise: bool,
    work: Path,
) -> None:
    """Start-up (alternating bare and app runs), then one run that exercises the app.

    The project's own modules are byte-compiled first, as a user's first launch leaves them
    (installed packages already are): where PYTHONDONTWRITEBYTECODE is set, as on the
    project's CI machines, every launch would otherwise compile them again (~100 ms).
    """
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "db"), str(ROOT / "tui")],
        check=True,
    )
    for _ in range(repeat):
        res.bare_start_s.append(run_driver("bare", env)["start_s"])
        res.app_start_s.append(run_driver("app", env, str(db))["start_s"])
    if exercise:
        plan_file = work / "plan.json"
        plan_file.write_text(json.dumps(plan))
        res.bare = run_driver("bare", env, "exercise")
        res.app = run_driver("app", env, str(db), str(plan_file))
    else:
        res.app = run_driver("app", env, str(db))


# -------------------------------------------------------------------------- first screen
@dataclass
class FirstScreen:
    """Start-up to the first screen filled, against a bare Textual app in the same run."""

    label: str
    bar: float
    app_s: list[float] = field(default_factory=list)
    bare_s: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return statistics.median(self.app_s) / statistics.median(self.bare_s)

    def cells(self) -> list[str]:
        a, b = statistics.median(self.app_s), statistics.median(self.bare_s)
        spread = f"{min(self.app_s) * 1000:.0f}-{max(self.app_s) * 1000:.0f}"
        return [
            self.label,
            f"{a * 1000:.0f} ({spread})",
            f"{b * 1000:.0f}",
            f"{self.ratio:.2f}x",
            f"{self.bar}x",
        ]


def measure_first_screen(work: Path, env: dict[str, str], repeat: int) -> list[FirstScreen]:
    """The first screen of a database holding the seed data only, and of one with ~26,000
    world sister-city pairs imported (bench/generate.py `generate_pairs`: synthesised, no real
    list ships with the project); each started alternately with the bare app."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "db"), str(ROOT / "tui")],
        check=True,
    )
    seed_db, pairs_db = work / "first-seed.db", work / f"first-pairs-{PAIRS}.db"
    for db in (seed_db, pairs_db):
        for p in work.glob(db.name + "*"):
            p.unlink()
        run_cli(env, "--db", str(db), "db", "build")
    run_cli(env, "--db", str(pairs_db), "import", "cases", str(write_pairs(PAIRS, work / "data")))
    out = []
    for label, db, bar in (
        ("seed data", seed_db, BAR_FIRST_SEED),
        (f"{PAIRS:,} sister-city pairs", pairs_db, BAR_FIRST_PAIRS),
    ):
        first = FirstScreen(label, bar)
        run_driver("app", env, str(db))  # once unmeasured: the database's pages in the cache
        for _ in range(repeat):
            first.bare_s.append(run_driver("bare", env)["start_s"])
            first.app_s.append(run_driver("app", env, str(db))["start_s"])
        out.append(first)
    return out


def first_screen_report(firsts: list[FirstScreen]) -> list[str]:
    lines = [
        "First screen (issue 13): process spawn to the four panes filled, headless at 160x50, "
        "medians (app range) in ms:",
        "",
        markdown_table(
            ["database", "app ms", "bare ms", "ratio", "bar"], [f.cells() for f in firsts]
        ),
        "",
    ]
    lines += [
        f"- {'met' if f.ratio <= f.bar else 'NOT met'}: first screen with {f.label} "
        f"{f.ratio:.2f}x bare Textual (bar {f.bar}x)"
        for f in firsts
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


# ------------------------------------------------------------------------------ main
def main(argv: list[str] | None = None) -> int:
    args_list = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sizes", default="1000,10000,100000", help="comma-separated case counts")
    ap.add_argument("--quick", action="store_true", help="fewer selections and start-up runs")
    ap.add_argument("--no-app", action="store_true", help="skip everything that runs the app")
    ap.add_argument(
        "--no-exercise", action="store_true", help="time app start-up only, not actions in it"
    )
    ap.add_argument("--app-runs", type=int, default=None, help="start-up runs of each app (5)")
    ap.add_argument("--work", type=Path, default=None, help="working folder (default: a temp dir)")
    ap.add_argument("--results", type=Path, default=None, help="write the report into this file")
    ap.add_argument("--json", type=Path, default=None, help="write raw figures as JSON")
    ap.add_argument(
        "--first-screen-only",
        action="store_true",
        help="time only the first screen (seed data; 26,000 sister-city pairs)",
    )
    args = ap.parse_args(args_list)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    repeat = args.app_runs if args.app_runs is not None else (2 if args.quick else 5)
    started, load0 = time.time(), os.getloadavg()[0]
    work = args.work or Path(tempfile.mkdtemp(prefix="paradiplo-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        PARADIPLO_DATA_DIR=str(work / "appdata"),
        PARADIPLO_CONFIG_DIR=str(work / "config"),
        NO_COLOR="1",
    )
    env.pop("PARADIPLO_DB", None)
    env.pop("PARADIPLO_READONLY", None)
    os.environ.update({k: env[k] for k in ("PARADIPLO_DATA_DIR", "PARADIPLO_CONFIG_DIR")})
    Path(env["PARADIPLO_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    rng = random.Random(6)
    results = []
    firsts: list[FirstScreen] = []
    try:
        if not args.no_app:
            print("[first screen] seed data and sister-city pairs …", file=sys.stderr, flush=True)
            firsts = measure_first_screen(work, env, repeat)
        for n in [] if args.first_screen_only else sizes:
            print(f"[{n:,} cases] generating and importing …", file=sys.stderr, flush=True)
            db, res = load(n, work, env)
            print(
                f"[{n:,} cases] imported in {res.import_s:.1f} s; measuring queries …",
                file=sys.stderr,
                flush=True,
            )
            plan = measure_queries(db, res, rng, args.quick)
            res.cli_search_s = statistics.median(
                run_cli(env, "--db", str(db), "search", "shizuoka")
                for _ in range(1 if args.quick else 3)
            )
            if not args.no_app:
                print(f"[{n:,} cases] starting the app …", file=sys.stderr, flush=True)
                measure_app(db, res, plan, env, repeat, not args.no_exercise, work)
            print(f"[{n:,} cases] adding to the collection …", file=sys.stderr, flush=True)
            measure_growth(db, res, env, args.quick)
            results.append(res)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    text = report(results, args_list, started, [load0, os.getloadavg()[0]], firsts)
    print(text)
    if args.results:
        write_results(args.results, text)
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in results], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
