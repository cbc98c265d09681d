"""Measuring: building the collections through the CLI, timing the queries, the growth of
the collection, the running app and the first screen (bench/run.py runs it)."""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import (
    BAR_FIRST_PAIRS,
    BAR_FIRST_SEED,
    HERE,
    PAGE,
    PAIRS,
    QUERIES,
    ROOT,
    FirstScreen,
    SizeResult,
    run_cli,
    run_cli_cpu,
    timed_ms,
)
from generate import write_collection, write_pairs
from terminal import Terminal, TerminalFailed
from terminal import available as terminal_available

from paradiplo.db import notes as notes_api
from paradiplo.db import queries
from paradiplo.db import search as search_api
from paradiplo.db.models import Filters
from paradiplo.db.store import open_store


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


def measure_first_screen(
    work: Path, env: dict[str, str], repeat: int, pairs: int = PAIRS
) -> list[FirstScreen]:
    """The first screen of a database holding the seed data only, and of one with ~26,000
    world sister-city pairs imported (bench/generate.py `generate_pairs`: synthesised, no real
    list ships with the project); each started alternately with the bare app, in tmux (where
    tmux is installed: bench/terminal.py) and headless."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "db"), str(ROOT / "tui")],
        check=True,
    )
    seed_db, pairs_db = work / "first-seed.db", work / f"first-pairs-{pairs}.db"
    for db in (seed_db, pairs_db):
        for p in work.glob(db.name + "*"):
            p.unlink()
        run_cli(env, "--db", str(db), "db", "build")
    run_cli(env, "--db", str(pairs_db), "import", "cases", str(write_pairs(pairs, work / "data")))
    out = []
    terminal = Terminal(env) if terminal_available() else None
    try:
        for label, db, bar in (
            ("seed data", seed_db, BAR_FIRST_SEED),
            (f"{pairs:,} sister-city pairs", pairs_db, BAR_FIRST_PAIRS),
        ):
            run_driver("app", env, str(db))  # once unmeasured: the database's pages cached
            if terminal is not None:
                shown = FirstScreen(label, bar, "tmux")
                try:
                    for _ in range(repeat):
                        shown.bare_s.append(terminal.bare())
                        shown.floor_s.append(terminal.floor())
                        shown.app_s.append(terminal.app(db))
                    out.append(shown)
                except TerminalFailed as exc:  # said in the report; the headless runs go on
                    print(f"[first screen] tmux: {exc}", file=sys.stderr, flush=True)
            first = FirstScreen(label, bar)
            for _ in range(repeat):
                first.bare_s.append(run_driver("bare", env)["start_s"])
                first.app_s.append(run_driver("app", env, str(db))["start_s"])
            out.append(first)
    finally:
        if terminal is not None:
            terminal.close()
    return out
