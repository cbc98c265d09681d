"""Two app instances and a command-line user writing notes to one database at once.

Two soaks, each for PARADIPLO_SOAK_SECONDS (8 by default): no note lost, no error, never
"database is locked". In the first, the instances are processes calling exactly what the app
calls (open_store, add_note, update_note with its version, save_draft/discard_draft, the reads
the panes make), hundreds of writes a second; in the second, they are the real app, headless
under Pilot, writing notes by keys. In both the command-line user runs `paradiplo-tui notes add`
again and again."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from paradiplo.db import notes, queries
from paradiplo.db.models import Filters, Note
from paradiplo.db.store import Store, open_store

from .hostile_helpers import ROOT, integrity

SOAK_SECONDS = float(os.environ.get("PARADIPLO_SOAK_SECONDS", "8"))
CASE = "sidoarjo-jinan-2008"

APP_INSTANCE = r"""
import sys, time
from pathlib import Path
from paradiplo.db import notes, queries
from paradiplo.db.models import Filters
from paradiplo.db.search import search
from paradiplo.db.store import open_store

path, tag, seconds = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3])
store = open_store(path)
deadline = time.monotonic() + seconds
written = errors = 0
i = 0
while time.monotonic() < deadline:
    i += 1
    try:
        notes.save_draft(store, "case", sys.argv[4], f"{tag} typing {i}")  # as the editor types
        note = notes.add_note(store, "case", sys.argv[4], f"{tag} note {i}", [tag])
        written += 1
        print(f"N {note.id}", flush=True)
        notes.discard_draft(store, notes.draft_key("case", sys.argv[4], None))
        if i % 2 == 0:
            edited = notes.update_note(store, note.id, f"{tag} note {i} edited", [tag, "edited"],
                                       expected_version=note.version)
            print(f"U {edited.id}", flush=True)
        if i % 5 == 0:  # what the panes read meanwhile
            queries.list_cases(store.conn, Filters(), limit=50)
            notes.notes_for_case(store.conn, sys.argv[4])
            search(store.conn, tag, limit=10)
    except Exception as exc:  # counted, and shown to the test
        errors += 1
        print(f"E {type(exc).__name__}: {exc}", flush=True)
print(f"DONE {written} {errors}", flush=True)
"""


def app_instance(db: Path, tag: str, case: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", APP_INSTANCE, str(db), tag, str(SOAK_SECONDS), case],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def cli_user(db: Path, deadline: float, out: dict[str, list[str]]) -> None:
    """`paradiplo-tui notes add` in a loop until the deadline; ids and any error kept."""
    i = 0
    while time.monotonic() < deadline:
        i += 1
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "paradiplo.tui.cli",
                "--db",
                str(db),
                "notes",
                "add",
                CASE,
                f"cli {i}",
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
        words = proc.stdout.split()
        if proc.returncode == 0 and words[:2] == ["Saved", "note"]:
            out["ids"].append(words[2])
        else:
            out["errors"].append(f"exit {proc.returncode}: {proc.stderr.strip()[:300]}")
        if proc.stderr.strip():
            out["stderr"].append(proc.stderr.strip()[:300])


def alongside_the_cli(
    db: Path, procs: list[subprocess.Popen[str]], cli_until: float
) -> tuple[list[tuple[str, str]], dict[str, list[str]]]:
    """Run the command-line user until `cli_until` while `procs` run; their output and its."""
    cli_out: dict[str, list[str]] = {"ids": [], "errors": [], "stderr": []}
    cli_thread = threading.Thread(target=cli_user, args=(db, cli_until, cli_out), daemon=True)
    cli_thread.start()
    results = [p.communicate(timeout=SOAK_SECONDS + 120) for p in procs]
    cli_thread.join(timeout=SOAK_SECONDS + 120)
    return results, cli_out


def writers_report(
    names: tuple[str, ...],
    procs: list[subprocess.Popen[str]],
    results: list[tuple[str, str]],
    cli_out: dict[str, list[str]],
) -> tuple[set[str], set[str], list[str]]:
    """Check every writer ended cleanly with no error and never "locked"; return the ids of
    the notes they saved and edited, and a line of figures per writer."""
    expected: set[str] = set(cli_out["ids"])
    edited: set[str] = set()
    figures: list[str] = []
    for name, proc, (out, err) in zip(names, procs, results, strict=True):
        lines = out.splitlines()
        assert proc.returncode == 0 and lines and lines[-1].startswith("DONE"), (name, err[-2000:])
        problems = [ln for ln in lines if ln.startswith("E ")]
        assert lines[-1].split()[2] == "0" and not problems, (name, problems[:5])
        assert "locked" not in out + err, name
        saved = {ln[2:] for ln in lines if ln.startswith("N ")}
        assert saved, f"{name} saved no note"
        expected |= saved
        edited |= {ln[2:] for ln in lines if ln.startswith("U ")}
        figures.append(f"{name}: {len(saved)} notes")
    assert not cli_out["errors"], cli_out["errors"][:5]
    assert not any("locked" in s for s in cli_out["stderr"])
    figures.append(f"cli: {len(cli_out['ids'])} notes")
    return expected, edited, figures


@contextmanager
def after_the_soak(db_path: Path, expected: set[str]) -> Iterator[tuple[Store, dict[str, Note]]]:
    """The database after a soak: intact, every note a writer saved kept, no draft left (each
    writer discarded its own); the store and the notes by id, for more checks."""
    assert integrity(db_path) == "ok"
    store = open_store(db_path)
    try:
        kept = {n.id: n for n in notes.list_notes(store.conn)}
        assert expected <= set(kept), f"lost {len(expected - set(kept))} note(s)"
        assert notes.list_drafts(store.conn) == []
        yield store, kept
    finally:
        store.close()


def test_two_app_instances_and_the_cli_write_at_once(db_path: Path) -> None:
    open_store(db_path).close()  # built and checked before the clock starts
    started = time.monotonic()
    apps = [
        app_instance(db_path, "app1", CASE),
        app_instance(db_path, "app2", "malang-nonsan-2017"),
    ]
    results, cli_out = alongside_the_cli(db_path, apps, started + SOAK_SECONDS)
    elapsed = time.monotonic() - started

    expected, edited, figures = writers_report(("app1", "app2"), apps, results, cli_out)

    with after_the_soak(db_path, expected) as (store, kept):
        assert all(kept[i].body.endswith("edited") and kept[i].version == 2 for i in edited)
        assert queries.count_cases(store.conn, Filters()) == 9
        assert queries.check(store.conn) == []
    summary = f"soak {elapsed:.1f}s: " + ", ".join(figures) + f"; total {len(expected)}; errors 0"
    print(summary)
    report = os.environ.get("PARADIPLO_SOAK_REPORT")
    if report:
        Path(report).write_text(summary + "\n", encoding="utf-8")
    assert len(expected) >= 3


# The same soak with the real app: two headless Textual apps (Pilot, in their own processes),
# each writing notes the way a user does (`n`, the text, Ctrl+S, Escape) while the command line
# adds notes too. Every warning or error the app would show the user is recorded.
REAL_APP = r"""
import asyncio, sys, time
from pathlib import Path
from textual import events
from tests.tui.conftest import press, wait_ready
from paradiplo.tui.app import ParadiploApp
from paradiplo.tui.screens.note_editor import NoteEditorScreen, Saved

path, tag, seconds = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3])


async def main() -> None:
    app = ParadiploApp(path)
    shown = []
    saved = []  # the notes the editor said it saved (its Saved messages)

    def hook(message):
        if isinstance(message, Saved):
            saved.append(message.note)
    notify = app.notify

    def recording_notify(message, *args, severity="information", **kwargs):
        if severity in ("warning", "error"):
            shown.append(str(message))
            print(f"E shown: {message}", flush=True)
        return notify(message, *args, severity=severity, **kwargs)

    app.notify = recording_notify
    written = 0
    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        await wait_ready(pilot)
        print("ready", flush=True)
        deadline = time.monotonic() + seconds
        i = 0
        while time.monotonic() < deadline:
            i += 1
            await press(pilot, "n")
            editor = app.screen
            if not isinstance(editor, NoteEditorScreen):
                print(f"E no editor: {type(editor).__name__}", flush=True)
                break
            app.post_message(events.Paste(f"{tag} note {i}: [Kediri] vs [/b] 🤝"))
            await pilot.pause()
            saved.clear()
            await press(pilot, "ctrl+s")
            note = saved[-1] if saved else None
            if note is None or editor.has_unsaved_changes():
                print(f"E not saved: {i}", flush=True)
            else:
                written += 1
                print(f"N {note.id}", flush=True)
            await press(pilot, "escape")
    print(f"DONE {written} {len(shown)}", flush=True)


asyncio.run(main())
"""


def test_two_real_apps_and_the_cli_write_notes_at_once(db_path: Path) -> None:
    open_store(db_path).close()
    apps = [
        subprocess.Popen(
            [sys.executable, "-c", REAL_APP, str(db_path), tag, str(SOAK_SECONDS)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for tag in ("ui1", "ui2")
    ]
    # The apps take a second or two to start: the command line runs that much longer, so that
    # all three write together for the whole soak.
    results, cli_out = alongside_the_cli(db_path, apps, time.monotonic() + SOAK_SECONDS + 2)

    expected, _, figures = writers_report(("ui1", "ui2"), apps, results, cli_out)

    with after_the_soak(db_path, expected) as (_, kept):
        assert all("[Kediri] vs [/b] 🤝" in kept[i].body for i in expected - set(cli_out["ids"]))
    print("real apps soak: " + ", ".join(figures) + f"; total {len(expected)}; errors 0")
