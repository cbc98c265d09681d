"""The command line, as a user runs it: JSON output, errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from paradiplo.db.caseformats import CASE_FIELDS
from paradiplo.tui.cli import main

from .helpers import SEED_CASES, refused, run


def test_export_json_lists_every_cooperation_with_a_verified_quote(db_path: Path) -> None:
    code, out, _ = run(db_path, "export", "cases", "--format", "json")
    assert code == 0
    cases = json.loads(out)
    assert {c["id"] for c in cases} == SEED_CASES
    for c in cases:
        assert set(CASE_FIELDS) <= set(c), set(CASE_FIELDS) - set(c)
        assert c["evidence"] and all(e["quote"] and e["source"] for e in c["evidence"])


def test_cases_list_filters_and_json(db_path: Path) -> None:
    code, out, _ = run(db_path, "cases", "list", "--region", "Jawa Timur", "--json")
    assert code == 0
    assert len(json.loads(out)) == 7
    code, out, _ = run(db_path, "cases", "list", "--sector", "Pariwisata", "--json")
    assert {c["id"] for c in json.loads(out)} == {
        "jabar-shizuoka-mou-2017",
        "jabar-shizuoka-new-economy",
        "banyuwangi-singapore-tourism",
    }
    code, out, _ = run(db_path, "cases", "list", "--partner-country", "Jepang", "--json")
    assert {c["partner_country"] for c in json.loads(out)} == {"Japan"}
    code, out, _ = run(db_path, "cases", "list", "--region", "Kota Kediri", "--json")
    assert [c["id"] for c in json.loads(out)] == ["kediri-australia-msme-export"]


def test_cases_show(db_path: Path) -> None:
    code, out, _ = run(db_path, "cases", "show", "malang-nonsan-2017")
    assert code == 0 and "Nonsan" in out and "Unclear" in out
    code, out, _ = run(db_path, "cases", "show", "malang-nonsan-2017", "--json")
    assert json.loads(out)["partner_country"] == "South Korea"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["cases", "show", "no-such-case"], "No case with id 'no-such-case'"),
        (["cases", "list", "--region", "Atlantis"], "No region named 'Atlantis'"),
        (["cases", "list", "--region", "Malang"], "ambiguous"),
        (["cases", "list", "--sector", "knitting"], "No sector 'knitting'"),
        (["import", "cases", "/nonexistent.json"], "no such file"),
    ],
)
def test_errors_are_one_clear_line(db_path: Path, args: list[str], message: str) -> None:
    code, out, err = run(db_path, *args)
    assert code != 0
    assert message in err
    assert "Traceback" not in out + err


def test_missing_database_for_check(tmp_path: Path) -> None:
    assert "db build" in refused(tmp_path / "none.db", "db", "check")


def test_db_commands(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    code, out, _ = run(path, "db", "build")
    assert code == 0 and "Built" in out
    code, out, _ = run(path, "db", "build")
    assert "up to date" in out
    code, out, _ = run(path, "db", "build", "--force")
    assert "Rebuilt" in out
    code, out, _ = run(path, "db", "check")
    assert code == 0 and out.startswith("OK")
    code, out, _ = run(path, "db", "stats", "--json")
    assert json.loads(out)["cases"] == 9
    code, out, _ = run(path, "db", "path")
    assert out.strip() == str(path)


def test_db_path_follows_env_and_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    out = runner.invoke(main, ["db", "path"]).stdout.strip()
    assert out == str(tmp_path / "data" / "paradiplo.db")
    monkeypatch.setenv("PARADIPLO_DB", str(tmp_path / "env.db"))
    assert runner.invoke(main, ["db", "path"]).stdout.strip() == str(tmp_path / "env.db")


def test_notes_cli_round_trip(db_path: Path, tmp_path: Path) -> None:
    code, out, _ = run(
        db_path, "notes", "add", "sidoarjo-jinan-2008", "[bold]not markup[/]", "--tag", "comparison"
    )
    assert code == 0
    code, out, _ = run(db_path, "notes", "add", "malang-nonsan-2017", "-", input="from stdin\n")
    assert code == 0
    code, out, _ = run(db_path, "notes", "list", "--json")
    notes = json.loads(out)
    assert {n["body"].strip() for n in notes} == {"[bold]not markup[/]", "from stdin"}
    code, out, _ = run(db_path, "notes", "export", "--format", "md")
    assert "## Sidoarjo – Jinan sister city" in out and "[bold]not markup[/]" in out
    assert "Kompasiana" in out
    dump = tmp_path / "notes.json"
    run(db_path, "notes", "export", "--format", "json", "-o", str(dump))
    code, out, _ = run(db_path, "import", "notes", str(dump))
    assert "0 added" in out and "2 unchanged" in out


def test_search_cli(db_path: Path) -> None:
    code, out, _ = run(db_path, "search", "Shizuoka", "--json")
    hits = json.loads(out)
    assert code == 0 and hits[0]["kind"] == "case" and "jabar-shizuoka" in hits[0]["id"]


def test_seeds_ship_in_the_wheel(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(root),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    wheel = next(tmp_path.glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "paradiplo/seeds/cases.toml",
        "paradiplo/seeds/sources.toml",
        "paradiplo/seeds/vocabulary.toml",
        "paradiplo/seeds/000_5dc3115ab1b62650.txt",
        "paradiplo/seeds/idn-area/regencies.csv",
        "paradiplo/seeds/idn-area/LICENSE.md",
        "paradiplo/tui/app.tcss",
        "paradiplo/db/locale/id/LC_MESSAGES/paradiplo.mo",
        "paradiplo/db/csl/apa.csl",
    ):
        assert expected in names, expected
    # Nothing generic at the top of site-packages: every module lives under `paradiplo/`.
    tops = {name.split("/")[0] for name in names}
    assert tops <= {"paradiplo", *(n for n in tops if n.endswith(".dist-info"))}, tops


def test_output_piped_into_a_reader_that_stops_early_is_not_an_error(tmp_path: Path) -> None:
    """`paradiplo-tui export cases | head`: no 'Error: Broken pipe', no traceback."""
    root = Path(__file__).resolve().parents[1]
    db = tmp_path / "p.db"
    subprocess.run(
        [sys.executable, "-m", "paradiplo.tui.cli", "--db", str(db), "db", "stats"],
        cwd=root,
        capture_output=True,
        check=True,
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "paradiplo.tui.cli",
            "--db",
            str(db),
            "export",
            "cases",
            "--format",
            "json",
        ],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the first line is written
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Error" not in err and "Traceback" not in err, err


@pytest.mark.parametrize(
    ("args", "ids"),
    [
        (["--region", "Jatim"], 7),
        (["--region", "East Java"], 7),
        (["--region", "Pemprov Jabar"], 2),
        (["--region", "pemkot Kediri"], 1),
        (["--partner-country", "Korsel"], 1),
        (["--partner-country", "RRT"], 1),
        (["--region", "Jatim", "--partner-country", "Australia"], 2),
    ],
)
def test_filters_read_common_forms_of_names(db_path: Path, args: list[str], ids: int) -> None:
    code, out, err = run(db_path, "cases", "list", *args, "--json")
    assert code == 0, err
    assert len(json.loads(out)) == ids


def test_region_filter_also_lists_cases_that_may_be_it(db_path: Path) -> None:
    code, out, err = run(db_path, "cases", "list", "--region", "Kota Malang", "--json")
    assert code == 0, err
    assert [(c["id"], c["region_match"]) for c in json.loads(out)] == [
        ("malang-nonsan-2017", "may be")
    ]
    code, out, _ = run(db_path, "cases", "list", "--region", "Kabupaten Malang")
    assert "may be" in out and "malang-nonsan-2017" in out
    code, out, _ = run(db_path, "cases", "list", "--region", "Kota Surabaya", "--json")
    assert [(c["id"], c["region_match"]) for c in json.loads(out)] == [
        ("surabaya-sister-cities", "is")
    ]


def test_region_errors_show_invisible_characters_and_suggest(db_path: Path) -> None:
    code, _, err = run(db_path, "cases", "list", "--region", "Surabya\u00a0")
    assert code != 0
    assert "Surabya<U+00A0>" in err and "Kota Surabaya" in err


def test_every_command_module_is_named_in_the_lazy_group() -> None:
    """Each subcommand is imported from the modules COMMAND_MODULES names: a command (or a
    subcommand added to a group from another module) not named there would not exist."""
    import importlib

    import click

    from paradiplo.tui.cli import COMMAND_MODULES

    def modules_of(command: click.Command) -> set[str]:
        found = {command.callback.__module__.rpartition(".")[2]} if command.callback else set()
        if isinstance(command, click.Group):
            for sub in command.commands.values():
                found |= modules_of(sub)
        return found

    names = {m for modules in COMMAND_MODULES.values() for m in modules}
    loaded = {name: importlib.import_module(f"paradiplo.tui.{name}") for name in names}
    needed: dict[str, set[str]] = {}
    for name, module in loaded.items():
        for command in module.COMMANDS:
            assert command.name is not None
            needed[command.name] = modules_of(command)
            assert COMMAND_MODULES[command.name][0] == name, "its COMMANDS comes first"
    assert {k: set(v) for k, v in COMMAND_MODULES.items()} == needed


def test_a_group_extended_from_another_module_has_all_its_commands() -> None:
    """`sources export` (tui/cli_cite.py) is found in a process that loaded nothing else."""
    import subprocess
    import sys

    for args in (["sources", "--help"], ["cases", "--help"], ["export", "--help"]):
        out = subprocess.run(
            [sys.executable, "-m", "paradiplo.tui.cli", "--lang", "en", *args],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        wanted = {"sources": "export", "cases": "add", "export": "network"}[args[0]]
        assert f"  {wanted} " in out, out


def test_launching_imports_no_command_module() -> None:
    """No subcommand (the app) must not pay for importing the command modules."""
    import subprocess
    import sys

    code = (
        "import sys; import paradiplo.tui.cli;"
        "print(sorted(m for m in sys.modules if m.startswith('paradiplo.tui.cli_')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['paradiplo.tui.cli_base', 'paradiplo.tui.cli_i18n']"
