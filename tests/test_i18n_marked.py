"""Every user-facing string in tui/ is marked for translation.

An AST check over tui/: a string literal (or an f-string with words in it) passed straight to
what the user sees fails here unless it goes through `_()`, `N_()`, `ngettext()` or
`data_label()`. The sinks: the first argument of `Static(...)`, `Text(...)`, `Label(...)`,
`Button(...)`, of the text helpers `one_line`, `plain` and `_t`, and of `.append(...)` on a
Text; `border_title =` / `border_subtitle =`;
`placeholder=`, `prompt=`, `title=` and `empty=` keyword arguments; `fail(...)`,
`say(...)`, `tell(...)`, `console.print(...)` / `err_console.print(...)`; and f-strings given to
`notify(...)` (App.notify translates a literal itself, and Babel extracts it).

Strings with no words (symbols, keys such as "ctrl+f", "—", "⟨1⟩") pass; ALLOWED lists the
few words that are not language (ids, formats, names).

NOT_YET lists the files not covered yet; remove a file from it once its strings are marked.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TUI = ROOT / "tui"

# Files whose user-facing strings are not all marked yet (see the module docstring).
NOT_YET: set[str] = set()

# Words that are not language: formats, ids, names, units.
ALLOWED = {
    "OK",
    "JSON",
    "CSV",
    "URL",
    "BibTeX",
    "PP 28/2018",
    "KSDPL",
    "KSDLL",
    "Markdown",
    "paradiplo-tui",
}

# Whole strings that are not language (a column of ids is "id" in both languages).
ALLOWED_EXACT = {"id"}

MARKERS = {"_", "N_", "ngettext", "data_label"}
CALL_SINKS = {"Static", "Text", "Label", "Button", "fail", "say", "tell", "_t", "one_line", "plain"}
METHOD_SINKS = {"append"}  # Text.append(literal)
PRINT_OWNERS = {"console", "err_console"}
KEYWORD_SINKS = {"placeholder", "prompt", "title", "empty"}
WORDS = re.compile(r"[A-Za-z]{2,}")


def _words(text: str) -> bool:
    if text.strip() in ALLOWED_EXACT:
        return False
    for allowed in ALLOWED:
        text = text.replace(allowed, "")
    # Rich style names and keys are not passed here; what remains with letters is language.
    return bool(WORDS.search(text))


def _unmarked(node: ast.AST) -> bool:
    """A literal with words that reaches the sink without a marker around it."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _words(node.value)
    if isinstance(node, ast.JoinedStr):
        return any(
            isinstance(v, ast.Constant) and isinstance(v.value, str) and _words(v.value)
            for v in node.values
        )
    if isinstance(node, ast.BinOp):
        return _unmarked(node.left) or _unmarked(node.right)
    if isinstance(node, ast.IfExp):
        return _unmarked(node.body) or _unmarked(node.orelse)
    return False  # a call (marked or not), a name, an attribute: not a literal here


def _name(func: ast.AST) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def findings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[str] = []

    def flag(node: ast.AST, what: str) -> None:
        out.append(f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}: {what}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            if name in MARKERS:
                continue
            first = node.args[0] if node.args else None
            if first is not None:
                owner = node.func.value if isinstance(node.func, ast.Attribute) else None
                owner_name = _name(owner) if owner is not None else None
                if (
                    name in CALL_SINKS
                    or name in METHOD_SINKS
                    or (name == "print" and owner_name in PRINT_OWNERS)
                ) and _unmarked(first):
                    flag(node, f"{name}(...) with an unmarked string")
                if name == "notify" and isinstance(first, ast.JoinedStr) and _unmarked(first):
                    flag(node, "notify(f'...') with words: use _('... {x}').format(x=...)")
            for kw in node.keywords:
                if kw.arg in KEYWORD_SINKS and _unmarked(kw.value):
                    flag(node, f"{kw.arg}= with an unmarked string")
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if (
                    isinstance(target, ast.Attribute)
                    and target.attr in ("border_title", "border_subtitle")
                    and _unmarked(node.value)
                ):
                    flag(node, f"{target.attr} = an unmarked string")
    return out


def _files() -> list[Path]:
    return sorted(p for p in TUI.rglob("*.py") if str(p.relative_to(ROOT)) not in NOT_YET)


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_user_facing_strings_are_marked(path: Path) -> None:
    assert not findings(path)


def test_the_check_finds_an_unmarked_string(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from rich.text import Text\n"
        "a = Text('Not marked')\n"
        "b = Text(_('Marked'))\n"
        "c = Text('⟨1⟩ — ·')\n"
        "w.border_title = f'Notes ({n})'\n"
        "w.border_title = _('Notes ({n})').format(n=n)\n"
        "app.notify('Literal is translated by notify')\n"
        "app.notify(f'Saved {x}')\n"
        "t.append('  (from the bundled texts)', style='dim')\n"
        "t.append('  ' + _('(from the bundled texts)'), style='dim')\n",
        encoding="utf-8",
    )
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        lines = sorted(int(f.split(":")[1]) for f in findings(sample))
    finally:
        ROOT = saved
    assert lines == [2, 5, 8, 9]


def test_not_yet_lists_only_files_that_exist() -> None:
    assert all((ROOT / f).is_file() for f in NOT_YET)
