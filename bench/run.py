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
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import PAIRS, FirstScreen, run_cli
from measure import load, measure_app, measure_first_screen, measure_growth, measure_queries
from report import report, write_results


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
        "--pairs",
        type=int,
        default=PAIRS,
        help="sister-city pairs in the first screen's large database (26,000)",
    )
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
            firsts = measure_first_screen(work, env, repeat, args.pairs)
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
