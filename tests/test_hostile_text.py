"""Text that looks like markup or terminal control, in notes, tags, search queries and the
command line: stored as written (minus NUL), searched without error, printed literally or with
escape sequences stripped, never interpreted."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paradiplo.db import notes, notes_io
from paradiplo.db.errors import ParadiploError
from paradiplo.db.search import search
from paradiplo.db.store import Store, open_store
from paradiplo.db.text import clean_user_text, display_safe

from .hostile_helpers import HOSTILE, VISIBLE, cli, no_raw_escapes

CASE = "sidoarjo-jinan-2008"


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_note_round_trips_and_is_searchable(store: Store, name: str) -> None:
    body = f"{HOSTILE[name]} marker{len(name)}zz"
    note = notes.add_note(store, "case", CASE, body, [HOSTILE[name][:20], "ok"])
    again = notes.get_note(store.conn, note.id)
    assert again.body == clean_user_text(body)
    assert "ok" in again.tags
    assert all(" " not in t and "," not in t and t for t in again.tags)
    hits = search(store.conn, f"marker{len(name)}zz", limit=10)
    assert any(h.kind == "note" and h.ref_id == note.id for h in hits)
    safe = display_safe(again.body)
    assert no_raw_escapes(safe) and VISIBLE[name] in safe


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_search_queries(store: Store, name: str) -> None:
    notes.add_note(store, "case", CASE, HOSTILE[name])
    for q in (HOSTILE[name], f'"{HOSTILE[name]}', f"{HOSTILE[name]}*", f"title:{HOSTILE[name]}"):
        search(store.conn, q, limit=5)


def test_fts_syntax_in_queries_never_raises(store: Store) -> None:
    for q in ['"', "NEAR(", "a AND", "*", "-x", "^", "title:x", "(((", "OR OR", "NOT", "a:b:c",
              "{title body}: x", '"unbalanced', "x" * 100_000, "", "   ", "AND OR NOT NEAR"]:  # fmt: skip
        assert isinstance(search(store.conn, q, limit=5), list)


def test_one_megabyte_note(store: Store, db_path: Path, tmp_path: Path) -> None:
    paragraph = "Paradiplomasi Jawa Timur [bold]x[/] \x1b[31mred\x1b[0m 🇮🇩 " * 20 + "\n\n"
    body = (paragraph * (1_048_576 // len(paragraph) + 1))[:1_048_576] + " uniquetailword"
    note = notes.add_note(store, "case", CASE, body, ["big"])
    assert notes.get_note(store.conn, note.id).body == body
    assert [h.ref_id for h in search(store.conn, "uniquetailword", limit=5) if h.kind == "note"]
    assert notes.list_notes(store.conn, text="uniquetailword")[0].id == note.id
    exported = notes_io.notes_markdown(store.conn)
    notes_part = exported[: exported.index("## References")]  # the reference list closes it
    assert len(exported) > 800_000 and notes_part.rstrip().endswith("uniquetailword\n\n---")
    updated = notes.update_note(store, note.id, body + " more", ["big"], expected_version=1)
    assert updated.version == 2
    store.close()
    res = cli(db_path, "notes", "list")
    assert res.code == 0 and no_raw_escapes(res.out)
    res = cli(db_path, "cases", "show", CASE)
    assert res.code == 0 and no_raw_escapes(res.out) and "uniquetailword" in res.out


def test_cli_prints_hostile_notes_literally(db_path: Path) -> None:
    for name, text in HOSTILE.items():
        res = cli(db_path, "notes", "add", CASE, text, "--tag", f"t-{name}")
        assert res.code == 0, (name, res.err)
    for args in (
        ("notes", "list"),
        ("cases", "show", CASE),
        ("search", "bold"),
        ("notes", "export"),
    ):
        res = cli(db_path, *args)
        assert res.code == 0 and res.crashed is None, (args, res.err)
        if args[-1] != "export":  # the export is the user's own file: their text as written
            assert no_raw_escapes(res.out), (args, repr(res.out[:300]))
    shown = cli(db_path, "cases", "show", CASE).out
    for name in ("rich_bold", "rich_link", "rich_click", "html", "osc_title", "emoji"):
        assert VISIBLE[name] in shown, name
    listed = json.loads(cli(db_path, "notes", "list", "--json").out)
    assert {n["body"] for n in listed} >= {clean_user_text(HOSTILE["rich_click"])}


def test_cli_note_from_stdin_with_control_bytes(db_path: Path) -> None:
    res = cli(db_path, "notes", "add", CASE, "-", input="line\r\nnext\x00 \x1b]0;t\x07end\n")
    assert res.code == 0
    body = json.loads(cli(db_path, "notes", "list", "--json").out)[0]["body"]
    assert body == "line\nnext \x1b]0;t\x07end\n"


def test_empty_or_blank_notes_are_refused_with_a_message(store: Store) -> None:
    for body in ("", "   ", "\x00\x00", "\n\t\n"):
        with pytest.raises(ParadiploError, match="empty"):
            notes.add_note(store, "case", CASE, body)


# ------------------------------------------------------------------------ property-based
_STORE: dict[str, Store] = {}


def _one_store(template: Path, factory: pytest.TempPathFactory) -> Store:
    if "s" not in _STORE:
        path = factory.mktemp("hyp") / "h.db"
        path.write_bytes(template.read_bytes())
        _STORE["s"] = open_store(path)
    return _STORE["s"]


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    body=st.text(min_size=0, max_size=300),
    tags=st.lists(st.text(max_size=20), max_size=4),
    target=st.sampled_from(["case", "source", "region", "passage"]),
)
def test_note_round_trip_property(
    seeded_template: Path,
    tmp_path_factory: pytest.TempPathFactory,
    body: str,
    tags: list[str],
    target: str,
) -> None:
    store = _one_store(seeded_template, tmp_path_factory)
    try:
        note = notes.add_note(store, target, "any-target-id", body, tags)
    except ParadiploError:
        assert not clean_user_text(body).strip()
        return
    got = notes.get_note(store.conn, note.id)
    assert got.body == unicodedata.normalize("NFC", body.replace("\x00", "").replace("\r\n", "\n"))
    assert got.tags == notes.normalise_tags(tags)
    assert no_raw_escapes(display_safe(got.body))
    # Editing it with the same text keeps it; deleting and restoring gives it back.
    notes.update_note(store, note.id, got.body, got.tags, expected_version=got.version)
    notes.delete_note(store, note.id)
    assert notes.restore_note(store, note.id).body == got.body


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=st.text(max_size=80))
def test_search_never_raises_property(
    seeded_template: Path, tmp_path_factory: pytest.TempPathFactory, query: str
) -> None:
    store = _one_store(seeded_template, tmp_path_factory)
    hits = search(store.conn, query, limit=10)
    for h in hits:
        assert isinstance(h.title, str) and isinstance(h.snippet, str)


@given(text=st.text(max_size=200))
def test_display_safe_property(text: str) -> None:
    safe = display_safe(text)
    assert no_raw_escapes(safe)
    assert all(c in "\t\n" or unicodedata.category(c) != "Cc" for c in safe)
    assert display_safe(safe) == safe  # idempotent: safe text passes through unchanged


# ------------------------------------------------- cut after stripping; invisible characters
@pytest.mark.parametrize("at", [60, 70, 75, 78])
def test_escapes_cut_by_a_short_column_leave_no_fragment(db_path: Path, at: int) -> None:
    """The note list's first-line column is cut at 80: the escape sequence must be gone
    before that, or its tail ('8;;http://ev') shows as text."""
    link = "\x1b]8;;http://evil.example/steal\x07click\x1b]8;;\x07"
    colour = "\x1b[38;2;255;0;0m"
    store = open_store(db_path)
    notes.add_note(store, "case", CASE, "a" * at + link + " tail")
    notes.add_note(store, "case", CASE, "b" * at + colour + "red words")
    store.close()
    res = cli(db_path, "notes", "list")
    assert res.code == 0 and no_raw_escapes(res.out)
    for fragment in ("8;;", "http://ev", "evil", "38;2", "[38", ";255"):
        assert fragment not in res.out, (fragment, res.out)
    assert "click" in res.out or "…" in res.out


@pytest.mark.parametrize(
    ("args", "typed"),
    [
        (("cases", "show", f"{CASE}\u00a0"), "<U+00A0>"),
        (("cases", "show", "sidoarjo\u200b-jinan-2008"), "<U+200B>"),
        (("cases", "show", f"\ufeff{CASE}"), "<U+FEFF>"),
        (("cases", "list", "--sector", "Tourism\u3000x"), "<U+3000>"),
        (("notes", "add", f"{CASE}\u2060", "x"), "<U+2060>"),
        (("cases", "list", "--partner-country", "Atlan\u00adtis"), "<U+00AD>"),
    ],
    ids=["no-break", "zero-width", "bom", "ideographic", "word-joiner", "soft-hyphen"],
)
def test_errors_quoting_a_name_show_invisible_characters(
    db_path: Path, args: tuple[str, ...], typed: str
) -> None:
    res = cli(db_path, *args)
    assert res.code != 0 and res.crashed is None
    assert typed in res.err, res.err
    assert not any(unicodedata.category(ch) in ("Cf", "Zs") and ch != " " for ch in res.err)


def test_quote_value_shows_what_would_hide() -> None:
    from paradiplo.db.text import quote_value, show_invisible

    assert show_invisible("Kota\u00a0Malang") == "Kota<U+00A0>Malang"
    assert show_invisible("👩🏽\u200d🔬 العربية e\u0301") == "👩🏽<U+200D>🔬 العربية e\u0301"
    assert quote_value("a\nb\x1b[2J") == "'a<U+000A>b<U+001B>[2J'"
    assert quote_value("x" * 100, limit=10) == "'" + "x" * 10 + "'…"
    assert quote_value(10**20) == "100000000000000000000"
