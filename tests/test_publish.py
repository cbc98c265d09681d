"""Publishing for a class: the copy leaves personal data out, Datasette serves it read-only
with facets, search and canned queries, and the app opens it read-only."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from paradiplo.db import notes as notes_api
from paradiplo.db.store import Store, open_store
from tests.helpers import BANDUNG_CASE, import_records, refused, run

NOTE = "My private thought about Shizuoka, not for the class"
TAGGED = "private-tag-xyz"
DRAFT = "An unsaved draft about Jinan"
USER_CASE = {**BANDUNG_CASE, "sectors": ["Kebudayaan"]}


def personal_store(store: Store, tmp_path: Path) -> None:
    notes_api.add_note(store, "case", "jabar-shizuoka-mou-2017", NOTE, [TAGGED])
    gone = notes_api.add_note(store, "region", "p:35", "A deleted note about Jawa Timur")
    notes_api.delete_note(store, gone.id)
    notes_api.save_draft(store, "case", "sidoarjo-jinan-2008", DRAFT)
    import_records(store, tmp_path, [USER_CASE])
    store.checkpoint()


@pytest.fixture
def published(store: Store, db_path: Path, tmp_path: Path) -> Path:
    """The folder `publish` (no options) made of a collection holding personal data."""
    personal_store(store, tmp_path)
    out = tmp_path / "site"
    code, _, err = run(db_path, "publish", str(out))
    assert code == 0, err
    return out


def test_publish_leaves_personal_data_out(store: Store, db_path: Path, tmp_path: Path) -> None:
    personal_store(store, tmp_path)
    out = tmp_path / "site"
    code, _, err = run(db_path, "publish", str(out), "--title", "Kelas HI")
    assert code == 0, err
    assert "Published 10 case(s), 1 of them yours, no notes" in err
    published = out / "paradiplo.db"
    raw = published.read_bytes()
    for secret in (NOTE, TAGGED, DRAFT, "A deleted note", str(tmp_path)):
        assert secret.encode() not in raw, secret
    assert not (out / "paradiplo.db-wal").exists()
    conn = sqlite3.connect(published)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert not tables & {"notes", "note_tags", "note_drafts"}
    assert conn.execute("SELECT count(*) FROM search_docs WHERE kind = 'note'").fetchone() == (0,)
    mine = conn.execute(
        "SELECT added_by, partner_country FROM agreements WHERE id = 'bandung-braunschweig'"
    ).fetchone()
    assert mine == ("the collection's owner", "Germany")
    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert meta["title"] == "Kelas HI"
    db_meta = meta["databases"]["paradiplo"]
    assert db_meta["license"] == "ODbL-1.0" and "300.2.2-2138" in db_meta["source"]
    assert "idn-area-data" in db_meta["source"]
    assert "Agustina, I., Febriyanti, A. I." in db_meta["tables"]["sources"]["description"]
    assert set(db_meta["queries"]) == {"cases_by_province_and_partner_country", "region_partners"}
    # `stage` is a facet only when the cases table has the column.
    has_stage = "stage" in {c[1] for c in conn.execute("PRAGMA table_info(cases)")}
    assert ("stage" in db_meta["tables"]["agreements"]["facets"]) == has_stage


def test_publish_with_notes_keeps_them_but_not_drafts(
    store: Store, db_path: Path, tmp_path: Path
) -> None:
    personal_store(store, tmp_path)
    out = tmp_path / "site"
    code, _, err = run(db_path, "publish", str(out), "--with-notes")
    assert code == 0, err
    raw = (out / "paradiplo.db").read_bytes()
    assert NOTE.encode() in raw
    assert DRAFT.encode() not in raw and b"A deleted note" not in raw


def test_published_copy_opens_in_the_app_read_only(published: Path) -> None:
    copy = published / "paradiplo.db"
    code, listing, err = run(copy, "--read-only", "cases", "list", "--json")
    assert code == 0, err
    assert len(json.loads(listing)) == 10
    code, notes, _ = run(copy, "--read-only", "notes", "list", "--json")
    assert code == 0 and json.loads(notes) == []
    code, _, err = run(copy, "--read-only", "db", "check")
    assert code == 0, err
    reopened = open_store(copy, readonly=True)
    try:
        assert reopened.readonly and not reopened.rebuilt_seeds
    finally:
        reopened.close()


def test_publish_refuses_a_file_as_folder(db_path: Path, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    assert "is a file" in refused(db_path, "publish", str(tmp_path / "afile"))


# ------------------------------------------------------------------ serve
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(out: Path, env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("paradiplo-tui")),
            "serve",
            str(out),
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60  # a generous wait for start-up, not a timing check
        while True:
            try:
                httpx.get(f"{base}/-/versions.json", timeout=5)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    output = proc.stdout.read() if proc.stdout else ""
                    pytest.fail(f"serve did not start: {output}")
                time.sleep(0.2)
        yield base
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_serve_browses_facets_search_and_queries_read_only(published: Path, db_path: Path) -> None:
    env = {**os.environ, "PARADIPLO_DB": str(db_path)}
    with serving(published, env) as base:
        home = httpx.get(f"{base}/paradiplo.json").json()
        tables = {t["name"] for t in home["tables"]}
        assert {"agreements", "cases", "sources", "search_docs"} <= tables
        assert not tables & {"notes", "note_tags", "note_drafts"}

        cases = httpx.get(f"{base}/paradiplo/agreements.json?_size=0").json()
        facets = cases["facet_results"]
        assert {"province", "partner_country", "type", "sectors", "year", "added_by"} <= set(facets)
        provinces = {f["value"]: f["count"] for f in facets["province"]["results"]}
        assert provinces["Jawa Timur"] == 7 and provinces["Jawa Barat"] == 3
        owners = {f["value"]: f["count"] for f in facets["added_by"]["results"]}
        assert owners == {"bundled seed data": 9, "the collection's owner": 1}
        raw_cases = httpx.get(f"{base}/paradiplo/cases.json?_size=0").json()
        assert {"province_code", "partner_country", "type", "year"} <= set(
            raw_cases["facet_results"]
        )

        found = httpx.get(
            f"{base}/paradiplo/search_docs.json?_search=shizuoka&_shape=objects"
        ).json()
        assert found["rows"] and all(r["kind"] != "note" for r in found["rows"])
        assert any(r["ref_id"] == "jabar-shizuoka-mou-2017" for r in found["rows"])
        in_words = httpx.get(f"{base}/paradiplo/agreements.json?_search=trenggalek").json()
        assert in_words["filtered_table_rows_count"] == 2

        query = httpx.get(
            f"{base}/paradiplo/cases_by_province_and_partner_country.json",
            params={"province": "Jawa Barat", "partner_country": "", "_shape": "objects"},
        ).json()
        assert {(r["partner_country"], r["cases"]) for r in query["rows"]} == {
            ("Japan", 2),
            ("Germany", 1),
        }
        partners = httpx.get(
            f"{base}/paradiplo/region_partners.json",
            params={"region": "Sidoarjo", "_shape": "objects"},
        ).json()
        assert [r["partner"] for r in partners["rows"]] == ["Jinan"]

        # No personal text anywhere; writes are refused.
        everything = httpx.get(
            f"{base}/paradiplo.json", params={"sql": "SELECT group_concat(body) FROM search_docs"}
        ).text
        assert NOTE not in everything and TAGGED not in everything
        assert httpx.get(f"{base}/paradiplo/notes.json").status_code == 404
        write = httpx.get(f"{base}/paradiplo.json", params={"sql": "DELETE FROM cases"}).json()
        assert write["ok"] is False
        post = httpx.post(f"{base}/paradiplo/cases/-/insert", json={"row": {"id": "x"}})
        assert post.status_code >= 400  # Datasette 0.65 has no write API; immutable anyway
        count = httpx.get(
            f"{base}/paradiplo.json",
            params={"sql": "SELECT count(*) AS n FROM cases", "_shape": "objects"},
        ).json()
        assert count["rows"] == [{"n": 10}]


def test_serve_without_a_publication_says_what_to_do(db_path: Path, tmp_path: Path) -> None:
    assert "paradiplo-tui publish" in refused(db_path, "serve", str(tmp_path / "nothing"))


def test_serve_without_datasette_says_how_to_install(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "datasette" else real(name, *a),
    )
    assert "pip install 'paradiplo-tui[serve]'" in refused(db_path, "serve", str(tmp_path))
