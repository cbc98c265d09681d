"""The first screen counted in instructions, not milliseconds: the same figure run after run,
whatever else this (shared, virtual) machine is doing, where the milliseconds of
bench/terminal.py drift by ±20% within minutes.

Each program runs in a 160x50 tmux window under `valgrind --tool=callgrind`, which counts the
instructions the process executes (its threads included) until it exits; each exits once it
has written the first frame of its screen (`os._exit` after that frame):

- bare: the bare Textual app of bench/terminal.py (one line);
- floor: bench/floor_app.py (the main screen's layout, stylesheet and kinds of widgets in
  plain Textual, fixed text, no paradiplo code);
- the app: `paradiplo-tui --db DB` through the installed command's entry point
  (`paradiplo.tui.cli.entry`), on the seed data and on 26,000 sister-city pairs, until the
  main screen's first frame (the four panes with data).

Run: `python bench/instructions.py [--work DIR]` (about a minute; valgrind and tmux needed).
The databases are built in DIR (a temporary folder by default) and each is opened once before
it is counted, as a user's database is after its first launch.
"""

from __future__ import annotations

# The child (a counted program) imports only what it runs: the parent's modules are imported
# in the parent's functions, so that they do not count.
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

SIZE = ("160", "50")
TIMEOUT_S = 180.0


# ------------------------------------------------------------ the programs, in the child
def _leave_after_first_frame(app_class: type, screen_name: str) -> None:
    """Exit once `app_class` has written its first frame of a screen named `screen_name`.

    Textual has no public hook for "a frame was written": this wraps `App._display`, the
    method that writes one (Textual is pinned to 8.2 in pyproject.toml). A later hook such as
    the app's `first_shown` comes several frames on, under valgrind's slow clock.
    """
    display = app_class._display

    def _display(self: object, screen: object, renderable: object) -> None:
        display(self, screen, renderable)
        if type(screen).__name__ == screen_name:
            os._exit(0)

    app_class._display = _display


def _child(kind: str, db: str | None) -> None:
    """Run one program and leave the moment its first screen is drawn."""
    from textual.app import App, ComposeResult

    if kind == "app":
        from paradiplo.tui import cli
        from paradiplo.tui.app import ParadiploApp

        _leave_after_first_frame(ParadiploApp, "MainScreen")
        sys.argv = ["paradiplo-tui", "--db", str(db)]
        cli.entry()
        return
    if kind == "floor":
        import floor_app

        _leave_after_first_frame(floor_app.Floor, "MainScreen")
        floor_app.Floor().run()
        return
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("bare textual app")

    _leave_after_first_frame(Bare, "Screen")
    Bare().run()


# ------------------------------------------------------------------ counting, in the parent
def count(kind: str, db: Path | None, env: dict[str, str], server: str) -> int:
    """Instructions `kind` executes until its first screen is drawn."""
    import re
    import shlex
    import shutil
    import subprocess
    import tempfile
    import time

    log = Path(tempfile.mkdtemp(prefix="callgrind-")) / "log"
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        f"--log-file={log}",
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        kind,
        *([str(db)] if db is not None else []),
    ]
    setting = [f"{k}={v}" for k, v in env.items()]
    line = shlex.join(["env", "-u", "COLUMNS", "-u", "LINES", *setting, *command])
    tmux = ["tmux", "-L", server, "-f", "/dev/null"]
    subprocess.run(
        [*tmux, "new-session", "-d", "-s", "count", "-x", SIZE[0], "-y", SIZE[1], line],
        check=True,
    )
    try:
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline:
            found = re.search(r"Collected : (\d+)", log.read_text() if log.exists() else "")
            if found:
                return int(found.group(1))
            time.sleep(0.5)
        raise SystemExit(f"{kind} did not draw its first screen in {TIMEOUT_S:.0f} s: see {log}")
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True, check=False)
        shutil.rmtree(log.parent, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    args_ = sys.argv[1:] if argv is None else argv
    if args_[:1] == ["--child"]:
        _child(args_[1], args_[2] if len(args_) > 2 else None)
        return 0
    import argparse
    import shutil
    import tempfile

    from common import PAIRS, markdown_table, run_cli
    from generate import write_pairs

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--work", type=Path, default=None, help="working folder (default: temp)")
    ap.add_argument("--pairs", type=int, default=PAIRS, help="sister-city pairs (26,000)")
    args = ap.parse_args(args_)
    for tool in ("valgrind", "tmux"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed (Debian: apt install {tool})")
    work = args.work or Path(tempfile.mkdtemp(prefix="paradiplo-instructions-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {
        "PARADIPLO_DATA_DIR": str(work / "appdata"),
        "PARADIPLO_CONFIG_DIR": str(work / "config"),
        "PARADIPLO_LANG": "en",
        "TEXTUAL_FPS": "120",
        "PATH": os.environ.get("PATH", ""),
        # Set to count another checkout's code (a folder holding paradiplo/db, tui, seeds).
        **({"PYTHONPATH": os.environ["PYTHONPATH"]} if "PYTHONPATH" in os.environ else {}),
    }
    seed_db, pairs_db = work / "count-seed.db", work / f"count-pairs-{args.pairs}.db"
    for db in (seed_db, pairs_db):
        if not db.exists():
            run_cli(env, "--db", str(db), "db", "build")
            if db == pairs_db:
                pairs = write_pairs(args.pairs, work)
                run_cli(env, "--db", str(db), "import", "cases", str(pairs))
        run_cli(env, "--db", str(db), "stats")  # opened once: its stamps are current
    server = f"paradiplo-count-{os.getpid()}"
    runs: list[tuple[str, int]] = []
    for label, kind, db in (
        ("bare Textual app", "bare", None),
        ("floor (bench/floor_app.py)", "floor", None),
        ("app, seed data", "app", seed_db),
        (f"app, {args.pairs:,} sister-city pairs", "app", pairs_db),
    ):
        print(f"[instructions] {label} …", file=sys.stderr, flush=True)
        runs.append((label, count(kind, db, env, server)))
    bare = runs[0][1]
    print(
        markdown_table(
            ["program", "instructions (M)", "ratio to bare"],
            [[label, f"{n / 1e6:,.0f}", f"{n / bare:.2f}x"] for label, n in runs],
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
