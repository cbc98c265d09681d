"""A small run of the benchmark (1,000 cases): the script works end to end and reports figures.

The full benchmark (`make bench`: 1,000 to 100,000 cases) is not part of `make test`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_runs_at_1000_cases(tmp_path: Path) -> None:
    raw, results = tmp_path / "raw.json", tmp_path / "RESULTS.md"
    results.write_text(
        "# Results\n\nProse kept.\n\n<!-- bench:begin -->\nold\n<!-- bench:end -->\n"
    )
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--sizes",
            "1000",
            "--quick",
            "--app-runs",
            "1",
            "--no-exercise",
            "--pairs",
            "2000",
            "--work",
            str(tmp_path / "work"),
            "--json",
            str(raw),
            "--results",
            str(results),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "| 1,000 |" in proc.stdout and "Bars (issue 6):" in proc.stdout
    if "| tmux |" in proc.stdout:  # the first screen timed in tmux: with the floor beside it
        assert "the floor (bench/floor_app.py" in proc.stdout
    (figures,) = json.loads(raw.read_text())
    assert figures["n"] == 1000 and figures["import_s"] > 0 and figures["db_mib"] > 0
    for key in ("region_ms", "sector_ms", "detail_ms", "search_ms"):
        assert figures[key] and all(v >= 0 for v in figures[key]), key
    assert figures["app_start_s"] and figures["bare_start_s"]
    assert figures["app"]["maxrss_mib"] > 0
    text = results.read_text()
    assert text.startswith("# Results\n\nProse kept.") and "old" not in text
    assert "| 1,000 |" in text
