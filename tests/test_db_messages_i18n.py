"""The data layer's refusals reach the user in the interface language: a command's error after
"Error:" / "Galat:" is in Bahasa Indonesia with --lang id and in English without it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from paradiplo.db import i18n

from .test_cli import run


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    i18n.set_language("en")


def test_a_bundled_case_refuses_deletion_in_the_chosen_language(db_path: Path) -> None:
    code, _, err = run(db_path, "--lang", "id", "cases", "delete", "malang-nonsan-2017")
    assert code != 0
    assert "Galat:" in err
    assert "adalah kasus bawaan" in err and "tidak dapat dihapus" in err
    assert "bundled" not in err

    code, _, err = run(db_path, "cases", "delete", "malang-nonsan-2017")
    assert code != 0
    assert "Error:" in err
    assert "is a bundled case taken from the source texts and cannot be deleted" in err


def test_an_import_names_its_problems_in_the_chosen_language(db_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps([{"id": "x1", "title": "X", "region": "Kota Surabaya", "type": "mou",
                     "source": "s", "date": "2017-02-30"}]),
        encoding="utf-8",
    )  # fmt: skip
    code, _, err = run(db_path, "--lang", "id", "import", "cases", str(bad))
    assert code != 0
    assert "tidak ada yang diimpor" in err
    assert "rekaman 1 (id x1), isian 'date'" in err
    assert "Februari 2017 hanya punya 28 hari" in err

    code, _, err = run(db_path, "import", "cases", str(bad))
    assert code != 0
    assert "nothing was imported" in err
    assert "record 1 (id x1), field 'date'" in err
    assert "February 2017 has 28 days" in err


def test_a_source_file_that_is_not_text_is_refused_in_the_chosen_language(
    db_path: Path, tmp_path: Path
) -> None:
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes(b"Kerja sama\ncaf\xe9 au lait\n")
    code, _, err = run(db_path, "--lang", "id", "sources", "add", str(latin1))
    assert code != 0
    assert "baris 2: bukan teks UTF-8 (byte 0xe9)" in err

    code, _, err = run(db_path, "sources", "add", str(latin1))
    assert code != 0
    assert "line 2: not UTF-8 text (byte 0xe9)" in err


def test_citations_say_their_own_words_in_the_chosen_language(db_path: Path) -> None:
    """The kind of source, "undated" and "file" are the app's words; names, titles and dates
    are the sources'. --json keeps the English citation."""
    code, out_id, _ = run(db_path, "--lang", "id", "cases", "show", "malang-nonsan-2017")
    assert code == 0
    assert "Kompasiana. tulisan opini. tanpa tanggal. berkas 001_" in out_id
    assert "opinion piece" not in out_id
    code, out_en, _ = run(db_path, "--lang", "en", "cases", "show", "malang-nonsan-2017")
    assert "Kompasiana. opinion piece. undated. file 001_" in out_en
    json_id = run(db_path, "--lang", "id", "cases", "show", "malang-nonsan-2017", "--json")[1]
    json_en = run(db_path, "--lang", "en", "cases", "show", "malang-nonsan-2017", "--json")[1]
    assert json_id == json_en and "opinion piece. undated." in json_en


def test_a_citation_the_user_typed_is_shown_as_typed() -> None:
    from paradiplo.db.sourceread import shown_citation

    i18n.set_language("id")
    typed = "Municipal records. report. undated. Bandung (1960)."
    assert shown_citation(typed) == typed
