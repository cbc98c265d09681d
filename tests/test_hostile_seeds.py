"""Broken seed files stop the build with the file, the record and the fix, and never leave a
half-built database. tests/test_seeds.py covers a broken quote, a duplicate case id, an unknown
sector or actor and invalid TOML in cases.toml; these are the rest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from paradiplo.db import notes, queries, seedfiles, seeds
from paradiplo.db.errors import SeedError
from paradiplo.db.models import Filters
from paradiplo.db.store import Store

from .hostile_helpers import assert_clear_failure, cli

JINAN = '{ source = "001_17fdbbb4dbe6a6d1", quote = "ada beberapa kota di Jawa Timur'
SRC0 = 'id = "000_5dc3115ab1b62650"\nfile = "000_5dc3115ab1b62650.txt"'


def copy_seeds(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(seeds.bundled_seeds_dir(), target, ignore=shutil.ignore_patterns("__*"))
    for p in target.rglob("*"):
        p.chmod(0o644 if p.is_file() else 0o755)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def broken(d: Path, *expect: str) -> str:
    with pytest.raises(SeedError) as info:
        seeds.load_seeds(d)
    message = str(info.value)
    for e in expect:
        assert e in message, (e, message)
    assert "Fix:" in message or "restore" in message
    return message


def test_missing_source_text(tmp_path: Path) -> None:
    d = copy_seeds(tmp_path)
    (d / "000_5dc3115ab1b62650.txt").unlink()
    broken(d, "sources.toml", "record '000_5dc3115ab1b62650'", "is missing")


def test_source_text_not_utf8(tmp_path: Path) -> None:
    d = copy_seeds(tmp_path)
    path = d / "000_5dc3115ab1b62650.txt"
    path.write_bytes(
        path.read_text(encoding="utf-8").encode("utf-8") + "\n caf\xe9".encode("latin-1")
    )
    broken(d, "000_5dc3115ab1b62650.txt", "not valid UTF-8", "save it as UTF-8")


def test_source_file_is_a_folder(tmp_path: Path) -> None:
    d = copy_seeds(tmp_path)
    path = d / "000_5dc3115ab1b62650.txt"
    path.unlink()
    path.mkdir()
    broken(d, "000_5dc3115ab1b62650", "sources.toml")


@pytest.mark.parametrize(
    ("file", "old", "new", "expect"),
    [
        ("cases.toml", JINAN, '{ source = "001_17fdbbb4dbe6a6d1", supports = ["region"] }, ' + JINAN, ["sidoarjo-jinan-2008", "has no quote"]),
        ("cases.toml", JINAN, '{ source = "001_17fdbbb4dbe6a6d1", quote = "   " }, ' + JINAN, ["sidoarjo-jinan-2008", "has no quote"]),
        ("cases.toml", JINAN, '{ source = "001_17fdbbb4dbe6a6d1", quote = 2008 }, ' + JINAN, ["sidoarjo-jinan-2008", "has no quote"]),
        ("cases.toml", JINAN, '"just a string", ' + JINAN, ["sidoarjo-jinan-2008", "evidence"]),
        ("cases.toml", JINAN, '{ source = "nope", quote = "x" }, ' + JINAN, ["unknown source 'nope'"]),
        ("cases.toml", 'supports = ["region", "partner", "partner_country", "type", "date", "status"]', "supports = [1, 2]", ["sidoarjo-jinan-2008", "supports"]),
        ("cases.toml", 'id = "sidoarjo-jinan-2008"\ntitle = "Sidoarjo – Jinan sister city"\n', 'id = "sidoarjo-jinan-2008"\n', ["sidoarjo-jinan-2008", "'title' is missing"]),
        ("cases.toml", 'type = "sister-city"\ntype_as_stated = "kerjasama sister city"\ndate = "2008"', 'type = ["sister-city"]\ntype_as_stated = "kerjasama sister city"\ndate = "2008"', ["sidoarjo-jinan-2008", "type"]),
        ("sources.toml", SRC0, SRC0.replace('"000_5dc3115ab1b62650.txt"', "42"), ["sources.toml", "000_5dc3115ab1b62650", "file"]),
        ("sources.toml", 'kind = "news"', 'kind = ["news"]', ["sources.toml", "kind"]),
        ("sources.toml", 'id = "001_17fdbbb4dbe6a6d1"', 'id = "000_5dc3115ab1b62650"', ["duplicate source id"]),
        ("sources.toml", "[[source]]", "[[source]\n", ["sources.toml", "invalid TOML"]),
        ("vocabulary.toml", "[[sector]]", "[[sector]] = 1", ["vocabulary.toml", "invalid TOML"]),
    ],
    ids=[
        "evidence-without-quote", "blank-quote", "number-quote", "evidence-not-a-table",
        "unknown-source", "supports-not-text", "missing-title", "type-is-a-list",
        "source-file-not-text", "source-kind-list", "duplicate-source", "sources-bad-toml",
        "vocabulary-bad-toml",
    ],
)  # fmt: skip
def test_broken_seed_record(
    tmp_path: Path, file: str, old: str, new: str, expect: list[str]
) -> None:
    d = copy_seeds(tmp_path)
    edit(d / file, old, new)
    broken(d, file, *expect)


def test_cases_toml_not_utf8(tmp_path: Path) -> None:
    d = copy_seeds(tmp_path)
    (d / "cases.toml").write_bytes((d / "cases.toml").read_bytes() + b"\n# caf\xe9\n")
    broken(d, "cases.toml")


def test_missing_seed_file(tmp_path: Path) -> None:
    d = copy_seeds(tmp_path)
    (d / "vocabulary.toml").unlink()
    broken(d, "vocabulary.toml", "missing")


def test_broken_seeds_never_touch_the_database(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build that stops half-way leaves the old data and every note in place."""
    note = notes.add_note(store, "case", "sidoarjo-jinan-2008", "keep me")
    d = copy_seeds(tmp_path)
    edit(d / "cases.toml", 'Tiongkok pada tahun 2008"', 'Tiongkok pada tahun 2009"')
    with pytest.raises(SeedError):
        seeds.build(store.conn, seeds.load_seeds(d))
    assert queries.count_cases(store.conn, Filters()) == 9
    assert notes.get_note(store.conn, note.id).body == "keep me"
    # And through the command line: one clear line naming the file.
    monkeypatch.setattr(seedfiles, "bundled_seeds_dir", lambda: d)
    text = assert_clear_failure(cli(store.path, "db", "build", "--force"), "cases.toml")
    assert "quote not found" in text and "Fix:" in text
    assert not list(store.path.parent.glob("*.bak")), "a seed problem is not a damaged database"
