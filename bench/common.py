"""What the benchmark's parts share: where things are, the bars, timing helpers and the
records of results (bench/run.py runs it)."""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))


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


# -------------------------------------------------------------------------- first screen
@dataclass
class FirstScreen:
    """Start-up to the first screen filled, against a bare Textual app in the same run, in
    tmux (`where="tmux"`, bench/terminal.py) or headless through Textual's Pilot."""

    label: str
    bar: float
    where: str = "headless"
    app_s: list[float] = field(default_factory=list)
    bare_s: list[float] = field(default_factory=list)
    floor_s: list[float] = field(default_factory=list)  # bench/floor_app.py (tmux only)

    @property
    def ratio(self) -> float:
        return statistics.median(self.app_s) / statistics.median(self.bare_s)

    @property
    def floor_ratio(self) -> float | None:
        if not self.floor_s:
            return None
        return statistics.median(self.floor_s) / statistics.median(self.bare_s)

    def cells(self) -> list[str]:
        a, b = statistics.median(self.app_s), statistics.median(self.bare_s)
        spread = f"{min(self.app_s) * 1000:.0f}-{max(self.app_s) * 1000:.0f}"
        return [
            self.label,
            self.where,
            f"{a * 1000:.0f} ({spread})",
            f"{b * 1000:.0f}",
            f"{self.ratio:.2f}x",
            "—"
            if self.floor_ratio is None
            else f"{statistics.median(self.floor_s) * 1000:.0f} ({self.floor_ratio:.2f}x)",
            f"{self.bar}x",
        ]
