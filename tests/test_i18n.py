"""The interface language: how it is chosen, the catalogs, data labels, and machine output
that never changes with it."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from paradiplo.db import i18n

from .test_cli import run

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "db" / "locale" / "id" / "LC_MESSAGES" / "paradiplo.po"
MO = PO.with_suffix(".mo")


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    i18n.set_language("en")


@pytest.mark.parametrize(
    ("explicit", "env", "expected"),
    [
        (None, {}, "en"),
        ("id", {}, "id"),
        ("en", {"PARADIPLO_LANG": "id"}, "en"),
        (None, {"PARADIPLO_LANG": "id"}, "id"),
        (None, {"PARADIPLO_LANG": "xx", "LANG": "id_ID.UTF-8"}, "id"),
        (None, {"LANG": "id_ID.UTF-8"}, "id"),
        (None, {"LC_ALL": "en_US.UTF-8", "LANG": "id_ID.UTF-8"}, "en"),
        (None, {"LC_MESSAGES": "id_ID", "LANG": "en_GB.UTF-8"}, "id"),
        (None, {"LANG": "C.UTF-8"}, "en"),
        (None, {"LANG": "fr_FR.UTF-8"}, "en"),
    ],
)
def test_the_language_is_chosen_in_order(
    explicit: str | None, env: dict[str, str], expected: str
) -> None:
    assert i18n.choose_language(explicit, env) == expected


def test_data_numbers_and_dates_follow_the_language() -> None:
    i18n.set_language("id")
    assert i18n.data_label("sector", "tourism", "Tourism") == "Pariwisata"
    assert i18n.data_label("country", "JP", "Japan") == "Jepang"
    assert i18n.data_label("type", "mou", "Memorandum of understanding") == "Nota Kesepahaman"
    assert i18n.number(26081) == "26.081"
    assert i18n.date_text("2017-11-13") == "13 November 2017"
    assert i18n.date_text("2021-08") == "Agustus 2021"
    assert i18n._("Regions") == "Daerah"
    i18n.set_language("en")
    assert i18n.data_label("country", "JP", "Japan") == "Japan"
    assert i18n.number(26081) == "26,081"
    assert i18n.date_text("2021-08") == "August 2021"
    assert i18n._("Regions") == "Regions"


def test_every_message_in_the_catalog_is_translated() -> None:
    catalog = read_po(PO.open("rb"), locale="id")
    untranslated = [
        m.id
        for m in catalog
        if m.id and not (m.string if isinstance(m.string, str) else all(m.string))
    ]
    assert not untranslated
    assert not [m.id for m in catalog if m.id and m.fuzzy]


def test_the_compiled_catalog_is_the_po_file() -> None:
    """`make catalogs` was run after the last change to the .po file."""
    buffer = io.BytesIO()
    write_mo(buffer, read_po(PO.open("rb"), locale="id"))
    assert buffer.getvalue() == MO.read_bytes()


def test_the_catalog_holds_every_marked_message(tmp_path: Path) -> None:
    """Every message marked in the code (_, N_, ngettext, Binding descriptions, notify) is in
    the catalog: a new message fails here until `make catalogs` adds and translates it."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "-q",
            "extract",
            "--no-location",
            "-k",
            "Binding:3",
            "-k",
            "notify:1",
            "-k",
            "pgettext:1c,2",
            "-o",
            str(pot),
            str(ROOT / "db"),
            str(ROOT / "tui"),
        ],
        check=True,
        capture_output=True,
    )
    marked = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(pot.open("rb")) if m.id}
    catalog = {
        m.id if isinstance(m.id, str) else m.id[0]
        for m in read_po(PO.open("rb"), locale="id")
        if m.id
    }
    assert not sorted(marked - catalog)


@pytest.mark.parametrize(
    "args",
    [
        ("cases", "list", "--json"),
        ("cases", "show", "jabar-shizuoka-mou-2017", "--json"),
        ("sectors", "--json"),
        ("export", "cases", "--format", "csv"),
    ],
)
def test_machine_output_is_the_same_in_both_languages(db_path: Path, args: tuple[str, ...]) -> None:
    code_en, out_en, _ = run(db_path, "--lang", "en", *args)
    code_id, out_id, _ = run(db_path, "--lang", "id", *args)
    assert code_en == code_id == 0
    # Timestamps of notes aside, byte for byte the same.
    assert re.sub(r"\d{4}-\d\d-\d\dT[\d:.+Z-]+", "T", out_en) == re.sub(
        r"\d{4}-\d\d-\d\dT[\d:.+Z-]+", "T", out_id
    )


# ------------------------------------------------------------------ seeds and command line
def test_every_bundled_case_has_an_indonesian_title_and_summary() -> None:
    import tomllib

    cases = tomllib.loads((ROOT / "seeds" / "cases.toml").read_text(encoding="utf-8"))["case"]
    i18n.set_language("id")
    for case in cases:
        assert case.get("title_id"), case["id"]
        assert case.get("summary_id") or not case.get("summary"), case["id"]
        assert i18n.data_label("case_title", case["id"], case["title"]) == case["title_id"]
    # A title that is not the bundled one (the case was changed) is shown as it is.
    assert i18n.data_label("case_title", cases[0]["id"], "Another title") == "Another title"
    i18n.set_language("en")
    assert i18n.data_label("case_title", cases[0]["id"], cases[0]["title"]) == cases[0]["title"]


def test_cases_show_in_indonesian_keeps_the_quotes(db_path: Path) -> None:
    code, out_id, _ = run(db_path, "--lang", "id", "cases", "show", "sidoarjo-jinan-2008")
    assert code == 0
    assert "Kota kembar (sister city) Sidoarjo – Jinan" in out_id
    assert "Tanggal: pada tahun 2008" in out_id
    code, out_en, _ = run(db_path, "--lang", "en", "cases", "show", "sidoarjo-jinan-2008")
    assert "Sidoarjo – Jinan sister city" in out_en and "Date: pada tahun 2008" in out_en
    quote = "Sidoarjo yang bekerjasama dengan kota Jinan , Tiongkok pada tahun 2008"
    assert quote in out_id and quote in out_en


def test_every_command_line_help_text_is_in_the_catalog() -> None:
    """Click help texts (docstrings, help=) are messages too: a new command or option fails
    here until `make catalogs` adds it and it is translated."""
    from paradiplo.tui.cli_i18n import help_messages

    catalog = {m.id: m.string for m in read_po(PO.open("rb"), locale="id") if m.id}
    missing = [text for text in help_messages() if not catalog.get(text)]
    assert not missing


@pytest.mark.parametrize(
    ("args", "english", "indonesian"),
    [
        ((), "Browse paradiplomacy cases", "Menjelajah kasus paradiplomasi"),
        (("cases", "list"), "At most N cases (0: all).", "Paling banyak N kasus (0: semua)."),
        (("db",), "Options:", "Pilihan:"),
    ],
)
def test_command_line_help_follows_the_language(
    args: tuple[str, ...], english: str, indonesian: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from paradiplo.tui.cli import main

    monkeypatch.delenv("PARADIPLO_LANG", raising=False)
    out_id = CliRunner().invoke(main, ["--lang", "id", *args, "--help"]).output
    out_en = CliRunner().invoke(main, ["--lang", "en", *args, "--help"]).output
    assert indonesian in " ".join(out_id.split()) and english not in " ".join(out_id.split())
    assert english in " ".join(out_en.split())
    monkeypatch.setenv("PARADIPLO_LANG", "id")
    assert indonesian in " ".join(CliRunner().invoke(main, [*args, "--help"]).output.split())
