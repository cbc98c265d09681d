"""Shared pieces of the hostile-input and fault tests: hostile strings, CLI runners, damage."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from paradiplo.db import notes
from paradiplo.db.store import open_store
from paradiplo.tui.cli import main

ROOT = Path(__file__).resolve().parents[1]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
ROOT_SKIP = "runs as root: file permissions never stop root from writing"

ESC = "\x1b"
# Text that a careless renderer would interpret: Rich markup, Markdown/HTML, terminal escapes,
# control characters, bidi and combining marks, emoji. Each must come out literally or stripped.
HOSTILE: dict[str, str] = {
    "rich_bold": "[bold]not bold[/bold] and [/] stray close",
    "rich_link": "[link=https://evil.example]click me[/link]",
    "rich_click": "[@click=app.quit]quit![/]",
    "rich_style_bad": "[bold red on nonsense]x[/] [ ] [[double]]",
    "markdown": "# Heading\n**bold** _it_ `code` [a](http://x) ![img](x.png)\n> quote\n- item",
    "html": "<script>alert(1)</script><b>b</b>&amp;&lt;",
    "ansi_colour": f"{ESC}[31mred{ESC}[0m and {ESC}[1;4mstyled{ESC}[m",
    "osc_title": f"{ESC}]0;pwned title\x07after title",
    "osc52_clipboard": f"{ESC}]52;c;ZWNobyBwd25lZA=={ESC}\\after clip",
    "csi_clear": f"{ESC}[2J{ESC}[Hcleared?",
    "backslashes": "C:\\path\\to\\[file] \\[escaped\\] \\n not a newline",
    "controls": "bell\x07 back\x08space nul\x00 del\x7f c1\x9b31m vt\x0b ff\x0c cr\r end",
    "rtl": "\u202eevil\u202c العربية עברית \u2066isolate\u2069",
    "combining": "Z\u0351\u0352\u0353a\u0300\u0301\u0302lgo e\u0301 n\u0303",
    "emoji": "👩🏽‍🔬 🇮🇩 🤝 🇯🇵 ❤️‍🔥",
    "zero_width": "zero\u200bwidth\u200d\ufeffjoiners",
    "percent": "%s %d {0} {name} $HOME `rm -rf`",
}
# What each hostile string must still show (a visible, harmless part of it).
VISIBLE = {
    "rich_bold": "[bold]not bold[/bold]",
    "rich_link": "[link=https://evil.example]click me[/link]",
    "rich_click": "[@click=app.quit]quit![/]",
    "rich_style_bad": "[bold red on nonsense]x[/]",
    "markdown": "**bold**",
    "html": "<script>alert(1)</script>",
    "ansi_colour": "red",
    "osc_title": "after title",
    "osc52_clipboard": "after clip",
    "csi_clear": "cleared?",
    "backslashes": "\\[escaped\\]",
    "controls": "bell",
    "rtl": "العربية",
    "combining": "lgo",
    "emoji": "🇮🇩",
    "zero_width": "width",
    "percent": "{name} $HOME",
}


def no_raw_escapes(text: str) -> bool:
    """True if `text` could not move the cursor, retitle the window or touch the clipboard."""
    return ESC not in text and "\x9b" not in text and "\x07" not in text and "\x00" not in text


@dataclass
class CliResult:
    code: int
    out: str
    err: str
    crashed: BaseException | None  # an exception that escaped (would be a traceback)


def cli(db: Path, *args: str, input: str | None = None) -> CliResult:
    """Run the command in-process (fast); `crashed` holds any exception that escaped."""
    result = CliRunner().invoke(main, ["--db", str(db), *args], input=input)
    crashed = result.exception if not isinstance(result.exception, SystemExit) else None
    return CliResult(result.exit_code, result.stdout, result.stderr, crashed)


def cli_process(
    db: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run the real entry point in a child process, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "paradiplo.tui.cli", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )


def assert_clear_failure(res: CliResult, *expect: str) -> str:
    """A non-zero exit with one 'Error: ...' line naming `expect`, and no traceback.

    A 'Warning: ...' line may come first (e.g. the file was opened read-only).
    """
    assert res.crashed is None, f"escaped exception: {res.crashed!r}"
    assert res.code != 0
    assert "Traceback" not in res.out + res.err
    lines = res.err.strip().splitlines()
    errors = [line for line in lines if line.startswith("Error: ")]
    assert len(errors) == 1, res.err
    assert all(line.startswith(("Error: ", "Warning: ")) for line in lines), res.err
    text = errors[0]
    for e in expect:
        assert e in text, (e, text)
    return text


def add_sample_notes(db: Path) -> dict[str, str]:
    """Notes of every kind plus a draft; returns {note id: body}. Leaves the file checkpointed."""
    store = open_store(db)
    made = [
        notes.add_note(store, "case", "sidoarjo-jinan-2008", "Jinan: compare with Nonsan", ["cmp"]),
        notes.add_note(store, "case", "gone-case", "orphan note survives"),
        notes.add_note(store, "region", "p:35", "East Java leads"),
        notes.add_note(
            store, "passage", "001_17fdbbb4dbe6a6d1", "passage note", anchor=(10, 20, "x")
        ),
    ]
    notes.save_draft(store, "case", "malang-nonsan-2017", "half-typed draft about Malang")
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return {n.id: n.body for n in made}


def table_pages(db: Path, *tables: str) -> list[int]:
    """Page numbers (1-based) holding the given tables or indexes (needs the dbstat table)."""
    conn = sqlite3.connect(db)
    try:
        marks = ",".join("?" * len(tables))
        rows = conn.execute(
            f"SELECT DISTINCT pageno FROM dbstat WHERE name IN ({marks}) ORDER BY pageno", tables
        ).fetchall()
        return [int(r[0]) for r in rows]
    finally:
        conn.close()


def overwrite_pages(db: Path, pages: list[int], page_size: int = 4096) -> None:
    """Scribble over whole pages, as a failing disk or a stray write would."""
    junk = bytes((i * 37 + 11) % 256 for i in range(page_size))
    with db.open("r+b") as fh:
        for page in pages:
            fh.seek((page - 1) * page_size)
            fh.write(junk)


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        conn.close()


# ------------------------------------------------- places file permissions cannot fake as root
def _probe(cmd: list[str]) -> bool:
    try:
        return subprocess.run(cmd, capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


_NS: dict[str, bool] = {}


def private_mounts_available() -> bool:
    """True if `unshare -rm` can give a command its own mounts (a user namespace: works for
    root and, where the kernel allows, for anyone). A read-only or full file system stops
    root too, so tests built on it never pass trivially as root."""
    if "ok" not in _NS:
        _NS["ok"] = shutil.which("unshare") is not None and _probe(
            ["unshare", "-rm", "sh", "-c", "d=$(mktemp -d) && mount -t tmpfs -o size=64k t $d"]
        )
    return _NS["ok"]


MOUNTS_SKIP = "no private mounts here (unshare -rm with mount is not allowed)"
needs_mounts = pytest.mark.skipif(not private_mounts_available(), reason=MOUNTS_SKIP)


def in_private_mounts(
    setup: str, argv: list[str], **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    """Run `argv` after the shell `setup` (mounts), in a mount namespace of its own."""
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", f'{setup} && exec "$@"', "sh", *argv],
        capture_output=True,
        text=True,
        timeout=kwargs.pop("timeout", 120),
        cwd=ROOT,
        **kwargs,
    )


def read_only_folder(parent: Path) -> tuple[Path, str]:
    """A new folder in `parent`, and the shell that makes it read-only for every user, root
    included (run it with `in_private_mounts`)."""
    folder = parent / "ro"
    folder.mkdir()
    return folder, f"mount --bind '{folder}' '{folder}' && mount -o remount,ro,bind '{folder}'"


def tiny_tmpfs(folder: Path, kib: int) -> str:
    """Shell that mounts a `kib` KiB file system on `folder` (a disk that fills up)."""
    return f"mount -t tmpfs -o size={kib}k paradiplo-test '{folder}'"


def cli_command(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "paradiplo.tui.cli", "--db", str(db), *args]


_NOBODY: dict[str, list[str] | None] = {}


def _package_tree() -> Path:
    """A folder anyone can read with `paradiplo/{db,tui,seeds}` linking to this checkout: the
    installed package names without the editable install's import hook (which another user's
    Python does not load)."""
    import tempfile

    tree = Path(tempfile.gettempdir()) / f"paradiplo-tree-{os.getuid()}-{abs(hash(str(ROOT)))}"
    package = tree / "paradiplo"
    package.mkdir(parents=True, exist_ok=True)
    for name in ("db", "tui", "seeds"):
        link = package / name
        if not link.is_symlink():
            link.symlink_to(ROOT / name)
    tree.chmod(0o755)
    package.chmod(0o755)
    return tree


def unprivileged() -> list[str] | None:
    """A command prefix that runs this project's Python where file permissions apply: as is
    for a normal user; as root, as `nobody` (setpriv or runuser) with a Python it can run.
    None if there is no such way (then the test is skipped, never passed as root)."""
    if "cmd" in _NOBODY:
        return _NOBODY["cmd"]
    found: list[str] | None = None
    if not IS_ROOT:
        found = [sys.executable]
    else:
        import site
        import sysconfig

        paths = os.pathsep.join(
            [str(_package_tree()), *site.getsitepackages(), sysconfig.get_path("purelib")]
        )
        version = f"python{sys.version_info.major}.{sys.version_info.minor}"
        pythons = [
            sys.executable,
            getattr(sys, "_base_executable", ""),
            *(f"{d}/{version}" for d in ("/usr/bin", "/usr/local/bin", "/opt/python/bin")),
        ]
        for switch in (
            ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"],
            ["runuser", "-u", "nobody", "--"],
        ):
            if shutil.which(switch[0]) is None:
                continue
            for python in filter(None, dict.fromkeys(pythons)):
                cmd = [*switch, "env", f"PYTHONPATH={paths}", "HOME=/tmp", python]
                if _probe([*cmd, "-c", "import sqlite3, textual, click, rich, paradiplo.db.store"]):
                    found = cmd
                    break
            if found:
                break
    _NOBODY["cmd"] = found
    return found


def world_dir() -> Path:
    """A fresh folder anyone can enter and read (tmp_path may be private to root)."""
    import tempfile

    path = Path(tempfile.mkdtemp(prefix="paradiplo-shared-"))
    path.chmod(0o755)
    return path
