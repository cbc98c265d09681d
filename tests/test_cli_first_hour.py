"""The command line at a new user's first use: a case list that fits the terminal, ids typed
in part, evidence that says what it supports in words."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import refused, run


def cli_at_width(db_path: Path, width: int, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": str(width), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "paradiplo.tui.cli", "--db", str(db_path), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("width", [60, 80, 120])
def test_cases_list_fits_the_terminal(db_path: Path, width: int) -> None:
    out = cli_at_width(db_path, width, "cases", "list").stdout
    lines = out.splitlines()
    assert all(len(line) <= width for line in lines), [ln for ln in lines if len(ln) > width]
    header = next(line for line in lines if line.split() and line.split()[0] in ("year", "id"))
    # One header line, never broken into fragments over several lines.
    assert header.split()[:2] in (["year", "id"], ["id", "region"])
    assert not any(line.strip() in ("party", "/", "region") for line in lines)
    # Every id whole: they are what the other commands take.
    for case_id in ("trenggalek-australia-kompak-2018", "jabar-shizuoka-mou-2017"):
        assert case_id in out
    if width >= 80:
        assert "MoU" in out and "(JP)" in out  # the type and the partner's country stay


def test_cases_list_json_stays_complete_whatever_the_width(db_path: Path) -> None:
    narrow = cli_at_width(db_path, 40, "cases", "list", "--json").stdout
    wide = cli_at_width(db_path, 200, "cases", "list", "--json").stdout
    assert narrow == wide and '"partner_country"' in narrow


def test_cases_show_takes_a_unique_beginning_of_an_id(db_path: Path) -> None:
    code, out, err = run(db_path, "cases", "show", "jabar-shizuoka-m")
    assert code == 0
    assert "Showing jabar-shizuoka-mou-2017" in err
    assert "Shizuoka" in out


def test_cases_show_lists_the_candidates_of_an_ambiguous_beginning(db_path: Path) -> None:
    code, _out, err = run(db_path, "cases", "show", "jabar-s")
    assert code == 1
    assert "jabar-shizuoka-mou-2017" in err and "jabar-shizuoka-new-economy" in err
    assert "Type more of the id" in err


def test_cases_show_prefix_is_literal_not_a_pattern(db_path: Path) -> None:
    assert "No case with id '%'" in refused(db_path, "cases", "show", "%")


def test_evidence_says_what_it_supports_in_words(db_path: Path) -> None:
    code, out, _ = run(db_path, "cases", "show", "jabar-shizuoka-mou-2017")
    assert code == 0
    assert "Trade and investment" in out
    assert "sector:" not in out and "sector trade" not in out
