"""Shared data and small helpers of the data-layer and command-line tests: the bundled cases,
a user's case record, importing records as a user's file (and what a refused one says),
running the command line, the bench's case generator."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from paradiplo.db import io
from paradiplo.db.errors import ImportProblem
from paradiplo.db.store import Store, open_store
from paradiplo.tui.cli import main

ROOT = Path(__file__).resolve().parents[1]

# Every cooperation the bundled seeds name, and those of them in East Java.
SEED_CASES = {
    "jabar-shizuoka-mou-2017",
    "jabar-shizuoka-new-economy",
    "surabaya-sister-cities",
    "sidoarjo-jinan-2008",
    "malang-nonsan-2017",
    "banyuwangi-singapore-tourism",
    "kediri-australia-msme-export",
    "trenggalek-australia-kompak-2018",
    "trenggalek-temasek-foundation",
}
EAST_JAVA_CASES = SEED_CASES - {"jabar-shizuoka-mou-2017", "jabar-shizuoka-new-economy"}

# A case a user adds from their own records: a citation only (no quote), a sub-state partner
# named by its country's Indonesian name.
BANDUNG_CASE: dict[str, Any] = {
    "id": "bandung-braunschweig",
    "title": "Bandung – Braunschweig sister city",
    "region": "Kota Bandung",
    "partner": "Braunschweig",
    "partner_country": "Jerman",
    "partner_kind": "sub_state",
    "type": "sister city",
    "date": "1960",
    "source": "Municipal records, Bandung (1960)",
}

# The frame of a case that the app lists first (dated 2099: the default sort is newest first),
# for tests that fill the rest with their own text.
LISTED_FIRST: dict[str, Any] = {
    "region": "Kota Surabaya",
    "partner_country": "Japan",  # a country is read by the resolver (no free text)
    "type": "sister-city",
    "date": "2099",
}


def listed_first(case_id: str, citation: str, quote: str, **texts: Any) -> dict[str, Any]:
    """A case the app lists first, with `texts` (title, partner, summary...), citing `citation`
    with `quote` as its evidence."""
    evidence = [{"source": citation, "quote": quote}]
    return {**LISTED_FIRST, "id": case_id, **texts, "source": citation, "evidence": evidence}


def write_cases(folder: Path, records: list[dict[str, Any]], name: str = "cases.json") -> Path:
    """A JSON file of case records in `folder`, as a user would import it."""
    path = folder / name
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def import_records(
    store: Store, folder: Path, records: list[dict[str, Any]], name: str = "cases.json"
) -> io.ImportResult:
    """Import `records` through a JSON file written in `folder`."""
    return io.import_cases(store, write_cases(folder, records, name))


@contextmanager
def imported_into(db_path: Path, folder: Path, *records: dict[str, Any]) -> Iterator[Store]:
    """The database at `db_path` with `records` imported (as a user's file in `folder`), open
    for more (notes...); closed afterwards."""
    store = open_store(db_path)
    try:
        import_records(store, folder, list(records))
        yield store
    finally:
        store.close()


def import_refused(store: Store, path: Path) -> ImportProblem:
    """What the case import says when it refuses the file at `path` (the test fails if the
    file imports)."""
    with pytest.raises(ImportProblem) as info:
        io.import_cases(store, path)
    return info.value


def run(db_path: Path, *args: str, input: str | bytes | None = None) -> tuple[int, str, str]:
    """The command line run in-process on the database at `db_path`, `input` typed in:
    (exit code, standard output, standard error)."""
    result = CliRunner().invoke(main, ["--db", str(db_path), *args], input=input)
    return result.exit_code, result.stdout, result.stderr


def refused(db_path: Path, *args: str) -> str:
    """What the command line says on standard error when it refuses a command (exit code 1)."""
    code, _, err = run(db_path, *args)
    assert code == 1, err
    return err


def bench_generator() -> Any:
    """bench/generate.py (not a package): the generator of realistic cases at scale."""
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def walk(nodes: list[Any]) -> list[Any]:
    """Every node of a tree (regions, partners), depth first."""
    return [m for n in nodes for m in (n, *walk(n.children))]
