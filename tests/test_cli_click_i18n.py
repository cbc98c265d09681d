"""Click's own messages (usage, errors, its help words) in the interface language: their
catalog (db/locale/id/LC_MESSAGES/click.po) covers the installed click, and the command line
speaks it under --lang id and stays English under --lang en."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner

from paradiplo.db import i18n
from paradiplo.tui.cli import main
from paradiplo.tui.cli_i18n import CLICK_DYNAMIC

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "db" / "locale" / "id" / "LC_MESSAGES" / "click.po"
FIELDS = re.compile(r"\{(\w+)[^}]*\}|%\((\w+)\)")


@pytest.fixture(autouse=True)
def english_afterwards(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("PARADIPLO_LANG", raising=False)
    monkeypatch.delenv("LANGUAGE", raising=False)  # set by the command line; put back after
    yield
    i18n.set_language("en")


def _fields(text: str) -> set[str]:
    return {a or b for a, b in FIELDS.findall(text)}


def test_the_click_catalog_translates_every_message_of_the_installed_click() -> None:
    """A click upgrade that brings new messages fails here until `make catalogs` adds them
    and they are translated."""
    found = extract_from_dir(os.path.dirname(click.__file__))
    messages = {m[2] if isinstance(m[2], str) else m[2][0] for m in found} | set(CLICK_DYNAMIC)
    catalog = {m.id if isinstance(m.id, str) else m.id[0]: m for m in read_po(PO.open("rb"))}
    assert not sorted(messages - set(catalog))
    for key, m in catalog.items():
        if not key:
            continue
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        assert all(strings) and not m.fuzzy, key
        # The translation uses only the placeholders click fills in.
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        allowed = set().union(*(_fields(i) for i in ids))
        assert all(_fields(s) <= allowed for s in strings), key


def test_the_compiled_click_catalog_is_the_po_file() -> None:
    buffer = io.BytesIO()
    write_mo(buffer, read_po(PO.open("rb"), locale="id"))
    assert buffer.getvalue() == PO.with_suffix(".mo").read_bytes()


@pytest.mark.parametrize(
    ("args", "english", "indonesian"),
    [
        (
            ["cases", "--bogus"],
            "Error: No such option '--bogus'.",
            "Galat: Opsi '--bogus' tidak dikenal.",
        ),
        (
            ["cases", "show"],
            "Error: Missing argument 'CASE_ID'.",
            "Galat: Kurang argumen 'CASE_ID'.",
        ),
        (["bogus"], "Error: No such command 'bogus'.", "Galat: Perintah 'bogus' tidak dikenal."),
        (
            ["cases", "list", "--sort", "x"],
            "Error: Invalid value for '--sort': 'x' is not one of",
            "Galat: Nilai tidak sah untuk '--sort': 'x' bukan salah satu dari",
        ),
        (
            ["cases", "list", "--jsn"],
            "Did you mean '--json'?",
            "Maksud Anda: '--json'?",
        ),
    ],
)
def test_click_errors_follow_the_language(
    args: list[str], english: str, indonesian: str, db_path: Path
) -> None:
    runner = CliRunner()
    out_id = runner.invoke(main, ["--db", str(db_path), "--lang", "id", *args])
    out_en = runner.invoke(main, ["--db", str(db_path), "--lang", "en", *args])
    assert out_id.exit_code == out_en.exit_code == 2
    assert indonesian in out_id.stderr and english not in out_id.stderr
    assert "Penggunaan: " in out_id.stderr and "Usage:" not in out_id.stderr
    assert "untuk bantuan." in out_id.stderr
    assert english in out_en.stderr and "Usage: " in out_en.stderr
    assert "Try '" in out_en.stderr and "Galat" not in out_en.stderr


def test_click_help_words_follow_the_language() -> None:
    runner = CliRunner()
    out_id = runner.invoke(main, ["--lang", "id", "cases", "list", "--help"]).output
    out_en = runner.invoke(main, ["--lang", "en", "cases", "list", "--help"]).output
    for en, id_ in (
        ("Usage:", "Penggunaan:"),
        ("Options:", "Pilihan:"),
        ("[default: -year]", "[bawaan: -year]"),
        ("Show this message and exit.", "Tampilkan pesan ini lalu keluar."),
    ):
        assert id_ in out_id and en not in out_id
        assert en in out_en and id_ not in out_en


def test_the_version_follows_the_language() -> None:
    runner = CliRunner()
    out_id = runner.invoke(main, ["--lang", "id", "--version"]).output
    out_en = runner.invoke(main, ["--lang", "en", "--version"]).output
    assert ", versi " in out_id and "version" not in out_id, out_id
    assert ", version " in out_en, out_en


def test_the_installed_command_speaks_the_language_of_the_environment(db_path: Path) -> None:
    """The real entry point, in a process of its own: $PARADIPLO_LANG chooses, and a locale
    that says otherwise ($LANGUAGE, $LANG) does not reach click's messages."""
    env = {**os.environ, "PARADIPLO_LANG": "id", "LANGUAGE": "en", "LANG": "C.UTF-8"}
    cmd = [sys.executable, "-m", "paradiplo.tui.cli", "--db", str(db_path), "cases", "--bogus"]
    res = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    assert res.returncode == 2 and "Galat: Opsi '--bogus' tidak dikenal." in res.stderr
    env = {**os.environ, "PARADIPLO_LANG": "en", "LANGUAGE": "id", "LANG": "id_ID.UTF-8"}
    res = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    assert "Error: No such option '--bogus'." in res.stderr and "Usage:" in res.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("laws", "--json"),
        ("conflicts", "--json"),
        ("regions", "--json"),
        ("sources", "--json"),
        ("db", "stats", "--json"),
        ("search", "Jepang", "--json"),
        ("stats", "--by", "sector", "--json"),
        ("stats", "matrix", "--rows", "province", "--cols", "type", "--csv"),
        ("export", "network", "--format", "csv"),
    ],
)
def test_every_reading_command_prints_the_same_json_in_both_languages(
    args: tuple[str, ...], db_path: Path
) -> None:
    runner = CliRunner()
    out_en = runner.invoke(main, ["--db", str(db_path), "--lang", "en", *args])
    out_id = runner.invoke(main, ["--db", str(db_path), "--lang", "id", *args])
    assert out_en.exit_code == out_id.exit_code == 0
    assert out_en.stdout == out_id.stdout and out_en.stdout.strip()
