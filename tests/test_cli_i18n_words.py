"""The command line's words in both languages where they come from data tables: the facts a
law's reference supports (`laws`) and the citation's own words (`sources list`); `--json`
stays the same in both."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from paradiplo.db import i18n

from .test_cli import run


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    i18n.set_language("en")


def words(out: str) -> str:
    """The output's words in one line: a table wraps its cells and draws borders."""
    return " ".join(out.replace("│", " ").split())


@pytest.mark.parametrize(
    ("args", "english", "indonesian"),
    [
        (("laws",), "[Status, Description]", "[Status, Deskripsi]"),
        (("sources", "list"), "news piece. undated. file", "berita. tanpa tanggal. berkas"),
    ],
    ids=["laws", "sources-list"],
)
def test_words_from_tables_follow_the_language(
    db_path: Path, args: tuple[str, ...], english: str, indonesian: str
) -> None:
    code_en, out_en, _ = run(db_path, "--lang", "en", *args)
    code_id, out_id, _ = run(db_path, "--lang", "id", *args)
    assert code_en == code_id == 0
    assert english in words(out_en)
    assert indonesian in words(out_id)
    assert english not in words(out_id)


@pytest.mark.parametrize("args", [("laws", "--json"), ("sources", "list", "--json")])
def test_their_json_is_the_same_in_both_languages(db_path: Path, args: tuple[str, ...]) -> None:
    assert run(db_path, "--lang", "en", *args)[1] == run(db_path, "--lang", "id", *args)[1]
