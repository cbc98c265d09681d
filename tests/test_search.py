"""Search on the seed data: ranking, Indonesian morphology, synonyms, filters, safety."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paradiplo.db import notes, queries, search, searchdocs
from paradiplo.db.analyze import ANALYZER_VERSION
from paradiplo.db.errors import NotFound
from paradiplo.db.models import Filters, SearchHit
from paradiplo.db.search import HL_CLOSE, HL_OPEN
from paradiplo.db.store import Store, open_store
from paradiplo.tui.cli import main

ROOT = Path(__file__).resolve().parents[1]

WEST_JAVA = {"jabar-shizuoka-mou-2017", "jabar-shizuoka-new-economy"}
SISTER_CITIES = {"surabaya-sister-cities", "sidoarjo-jinan-2008", "malang-nonsan-2017"}


def find(store: Store, text: str, **kw: object) -> list[SearchHit]:
    return search.search(store.conn, text, **kw)  # type: ignore[arg-type]


def cases(hits: list[SearchHit]) -> list[str]:
    return [h.ref_id for h in hits if h.kind == "case"]


def refs(hits: list[SearchHit], kind: str) -> set[str]:
    return {h.ref_id for h in hits if h.kind == kind}


# ------------------------------------------------------------------------------ ranking
def test_shizuoka_ranks_a_west_java_case_first(shared: Store) -> None:
    hits = find(shared, "Shizuoka")
    assert hits[0].kind == "case" and hits[0].ref_id in WEST_JAVA
    assert set(cases(hits)) == WEST_JAVA


def test_japan_finds_the_west_java_cases(shared: Store) -> None:
    assert set(cases(find(shared, "Japan"))) == WEST_JAVA


def test_pariwisata_finds_the_west_java_scope_and_banyuwangi(shared: Store) -> None:
    found = set(cases(find(shared, "pariwisata")))
    assert {"jabar-shizuoka-mou-2017", "banyuwangi-singapore-tourism"} <= found


def test_sister_city_finds_the_east_java_sister_cities_first(shared: Store) -> None:
    hits = find(shared, "sister city")
    assert set(cases(hits)[:3]) == SISTER_CITIES


def test_a_title_match_outranks_a_body_match(shared: Store) -> None:
    hits = find(shared, "Banyuwangi")
    assert hits[0].ref_id == "banyuwangi-singapore-tourism"
    assert hits == sorted(hits, key=lambda h: h.score)


# --------------------------------------------------------------------------- morphology
def test_every_spelling_of_kerja_sama_finds_the_same_passages(shared: Store) -> None:
    found = [
        refs(find(shared, q, limit=200), "passage")
        for q in ("kerjasama", "kerja sama", "bekerjasama", "kerjasamanya", "Kerjasama ")
    ]
    assert found[0] and all(f == found[0] for f in found)
    # A passage that only says "bekerjasama" and one that only says "bekerja sama" both count.
    assert {"001_17fdbbb4dbe6a6d1#3", "001_17fdbbb4dbe6a6d1#4"} <= found[0]


def test_affixed_words_find_their_root(shared: Store) -> None:
    # "perdagangan" in the text; "berdagang" shares its root.
    assert refs(find(shared, "berdagang"), "passage") & refs(find(shared, "perdagangan"), "passage")


def test_the_word_being_typed_matches_as_a_prefix(shared: Store) -> None:
    assert set(cases(find(shared, "Shiz"))) == WEST_JAVA
    assert find(shared, "Shiz ") == []  # a finished word is a word
    assert set(cases(find(shared, "Shizuoka "))) == WEST_JAVA


# ----------------------------------------------------------------------------- synonyms
@pytest.mark.parametrize(
    ("one", "other", "expected"),
    [
        ("Jepang", "Japan", WEST_JAVA),
        ("Tiongkok", "China", {"sidoarjo-jinan-2008"}),
        ("UMKM", "MSME", {"kediri-australia-msme-export"}),
        ("kota kembar", "sister city", SISTER_CITIES),
        ("Korea Selatan", "South Korea", {"malang-nonsan-2017"}),
        (
            "Singapura",
            "Singapore",
            {"banyuwangi-singapore-tourism", "trenggalek-temasek-foundation"},
        ),
        ("pariwisata", "tourism", {"banyuwangi-singapore-tourism"}),
    ],
)
def test_english_and_indonesian_find_the_same_cases(
    shared: Store, one: str, other: str, expected: set[str]
) -> None:
    a, b = set(cases(find(shared, one))), set(cases(find(shared, other)))
    assert a == b and expected <= a


def test_a_synonym_match_is_highlighted_in_the_snippet(shared: Store) -> None:
    passage = next(h for h in find(shared, "Japan") if h.kind == "passage")
    assert f"{HL_OPEN}Jepang{HL_CLOSE}" in passage.snippet
    hit = next(h for h in find(shared, "bekerja sama") if h.ref_id == "001_17fdbbb4dbe6a6d1#3")
    assert f"{HL_OPEN}bekerjasama{HL_CLOSE}" in hit.snippet


def test_an_english_note_is_found_in_indonesian(store: Store) -> None:
    assert find(store, "kota kembar Jepang") == []
    note = notes.add_note(store, "case", "malang-nonsan-2017", "Twin cities in Japan too?")
    hits = find(store, "kota kembar Jepang")
    assert [(h.kind, h.ref_id, h.case_id) for h in hits] == [
        ("note", note.id, "malang-nonsan-2017")
    ]
    o, c = HL_OPEN, HL_CLOSE
    assert hits[0].snippet == f"{o}Twin{c} {o}cities{c} in {o}Japan{c} too?"
    notes.delete_note(store, note.id)
    assert find(store, "kota kembar Jepang") == []


# ------------------------------------------------------------------------------ phrases
def test_quoted_words_match_as_a_phrase(shared: Store) -> None:
    assert refs(find(shared, '"Prefektur Shizuoka"'), "passage")
    assert find(shared, '"Shizuoka Prefektur"') == []
    assert set(cases(find(shared, '"sister city"'))) >= SISTER_CITIES


def test_little_words_are_left_out_of_questions(shared: Store) -> None:
    assert set(cases(find(shared, "kerja sama dengan Jepang"))) == WEST_JAVA
    assert set(cases(find(shared, "tourism and Singapore"))) == {"banyuwangi-singapore-tourism"}


# ------------------------------------------------------------------------------ filters
@pytest.mark.parametrize(
    "filters",
    [
        Filters(region="p:35"),
        Filters(region="p:32"),
        Filters(partner="pc:AU"),
        Filters(partner="pc:"),
        Filters(sectors=("tourism",)),
        Filters(region="p:35", sectors=("msme-export",)),
        Filters(region="r:malang-unspecified"),
    ],
)
def test_filters_keep_only_the_cases_the_panes_show(shared: Store, filters: Filters) -> None:
    allowed = {c.id for c in queries.list_cases(shared.conn, filters, limit=1000)}
    for text in ("kerjasama", "cooperation", "sister city", "pariwisata", "a"):
        hits = find(shared, text, filters=filters, limit=200)
        assert all(h.kind in ("case", "note") for h in hits)
        assert set(cases(hits)) <= allowed
    everything = set(cases(find(shared, "kerjasama", limit=200)))
    assert set(cases(find(shared, "kerjasama", filters=filters, limit=200))) == everything & allowed


def test_filters_bring_notes_on_the_filtered_cases(store: Store) -> None:
    east = notes.add_note(store, "case", "sidoarjo-jinan-2008", "compare chapter three")
    west = notes.add_note(store, "case", "jabar-shizuoka-mou-2017", "compare chapter three")
    on_source = notes.add_note(store, "source", "001_17fdbbb4dbe6a6d1", "compare chapter three")
    found = {h.ref_id for h in find(store, "compare", filters=Filters(region="p:35"))}
    assert found == {east.id}
    assert {h.ref_id for h in find(store, "compare")} == {east.id, west.id, on_source.id}
    hit = next(h for h in find(store, "compare") if h.ref_id == on_source.id)
    assert hit.source_id == "001_17fdbbb4dbe6a6d1" and hit.case_id is None


def test_an_unknown_filter_is_reported(shared: Store) -> None:
    with pytest.raises(NotFound):
        find(shared, "kerjasama", filters=Filters(region="zz:1"))


# ------------------------------------------------------------------------------- safety
ODD = [
    "",
    " ",
    '"',
    '""',
    '"unclosed phrase',
    "((",
    ")",
    "*",
    "-",
    ":",
    "^",
    "NOT",
    "AND OR NOT",
    "NEAR(a b, 3)",
    "title: Shizuoka",
    "{title body}: x",
    "-Shizuoka",
    "Shizuoka*",
    "a OR b AND NOT c",
    "🙂🙂🙂",
    "日本",
    "\x00\x1b[31m\x07",
    "'; DROP TABLE notes; --",
    "x" * 5000,
    "kerja " * 400,
    "\ue010" + "0" * 16,  # looks like a filter token
]


@pytest.mark.parametrize("text", ODD)
def test_any_text_is_a_query(shared: Store, text: str) -> None:
    hits = find(shared, text)
    assert isinstance(hits, list)
    assert find(shared, "Shizuoka")  # and the connection is still fine


def test_fts_operators_are_plain_words(shared: Store) -> None:
    assert search.fts_query("NEAR(a b) AND -x ") == '"near" AND "b" AND "x"'
    assert find(shared, "-Shizuoka") == find(shared, "Shizuoka")


FTS_BITS = ['"', "(", ")", "*", "-", ":", "^", "AND", "OR", "NOT", "NEAR", "{", "}", "+"]
WORDS = ["kerja", "sama", "Jepang", "sister", "city", "🙂", "\x00", " "]


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.one_of(
        st.text(),
        st.lists(st.sampled_from(FTS_BITS + WORDS)).map("".join),
    )
)
def test_arbitrary_text_never_raises(shared: Store, text: str) -> None:
    for hit in find(shared, text, limit=5) + find(shared, text, filters=Filters(region="p:35")):
        assert hit.kind in ("case", "passage", "note", "term", "law")
        assert hit.snippet.count(HL_OPEN) == hit.snippet.count(HL_CLOSE)
    search.highlight(text, text)


# ----------------------------------------------------------------------- broad queries
def test_a_broad_query_puts_title_matches_first(
    shared: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "CANDIDATES", 3)  # every query with 4+ matches is broad
    hits = find(shared, "sister city")
    assert set(cases(hits)[:3]) == SISTER_CITIES
    assert all(HL_OPEN in h.snippet for h in hits)
    assert refs(hits, "passage") and refs(hits, "term")


def test_a_common_word_being_typed_matches_as_a_word(
    shared: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "CANDIDATES", 2)
    assert search.parse_query("kerja").prefixes == ("kerja",)
    assert find(shared, "kerja") == find(shared, "kerja ")


# ------------------------------------------------------------------------------ reindex
def test_an_index_from_another_analyzer_is_rebuilt_on_opening(db_path: Path) -> None:
    store = open_store(db_path)
    notes.add_note(store, "case", "kediri-australia-msme-export", "Ekspor UMKM ke Jepang")
    with store.write() as conn:
        conn.execute("UPDATE meta SET value = 'old' WHERE key = 'analyzer_version'")
        conn.execute("UPDATE search_docs SET terms = ''")
    store.close()
    store = open_store(db_path)
    try:
        assert store.reindexed
        assert searchdocs.stored_analyzer_version(store.conn) == ANALYZER_VERSION
        assert searchdocs.fts_is_current(store.conn)
        assert [h.kind for h in find(store, "Japan eksport")] == []
        assert {h.kind for h in find(store, "UMKM Japan")} == {"note"}
        assert set(cases(find(store, "bekerjasama"))) >= {"kediri-australia-msme-export"}
    finally:
        store.close()
    again = open_store(db_path)
    assert not again.reindexed
    again.close()


def test_opening_a_current_index_does_not_load_the_analyser(db_path: Path) -> None:
    """The analyser's files, unchanged since they last checked this database, vouch for its
    index: opening it (as the app does at start-up) loads neither db.analyze nor the search
    documents' module. Run in a fresh interpreter, where nothing has loaded them yet."""
    open_store(db_path).close()  # records the fingerprint
    probe = (
        "import sys; from pathlib import Path; from db.store import open_store; "
        f"s = open_store(Path({str(db_path)!r})); "
        "print(s.reindexed, 'paradiplo.db.analyze' in sys.modules, 'paradiplo.db.searchdocs' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.split() == ["False", "False", "False"]


def test_the_fingerprint_is_never_waited_for(db_path: Path) -> None:
    """Recording the analyser's fingerprint is an optimisation: with another program holding
    the write lock, opening goes on at once (and records it another time)."""
    import sqlite3
    import time

    open_store(db_path).close()
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("DELETE FROM meta WHERE key = 'analyzer_inputs'")
    other.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        store = open_store(db_path)
        took = time.monotonic() - started
        row = store.conn.execute("SELECT value FROM meta WHERE key = 'analyzer_inputs'")
        assert row.fetchone() is None and not store.reindexed
        store.close()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert took < 2


# ---------------------------------------------------------------------------------- CLI
def test_cli_search_json_matches_the_api(db_path: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(db_path), "search", "--json", "Jepang"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    store = open_store(db_path)
    try:
        expected = find(store, "Jepang", limit=20)
    finally:
        store.close()
    assert [(h["kind"], h["id"]) for h in hits] == [(h.kind, h.ref_id) for h in expected]
    assert hits[0]["id"] in WEST_JAVA
    assert all(HL_OPEN not in h["snippet"] for h in hits)


def test_cli_search_says_when_nothing_matches(db_path: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(db_path), "search", "zzqx", '"('])
    assert result.exit_code == 0 and "No matches" in result.stdout
