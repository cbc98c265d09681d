"""Every user-facing string in tui/ is marked for translation.

An AST check over tui/: a string literal (or an f-string with words in it) passed straight to
what the user sees fails here unless it goes through `_()`, `N_()`, `ngettext()` or
`data_label()`. The sinks: the first argument of `Static(...)`, `Text(...)`, `Label(...)`,
`Button(...)`, of the text helpers `one_line`, `plain` and `_t`, and of `.append(...)` on a
Text; `border_title =` / `border_subtitle =`;
`placeholder=`, `prompt=`, `title=`, `empty=`, `tooltip=` and `heading=` keyword arguments; `fail(...)`,
`say(...)`, `tell(...)`, `console.print(...)` / `err_console.print(...)`; and f-strings given to
`notify(...)` (App.notify translates a literal itself, and Babel extracts it).

Strings with no words (symbols, keys such as "ctrl+f", "—", "⟨1⟩") pass; ALLOWED lists the
few words that are not language (ids, formats, names).

A second check reads module- and class-level tables (dicts, tuples, lists of strings) whose
values read as language: labels kept as data and shown later through a variable.

NOT_YET lists the files not covered yet; remove a file from it once its strings are marked.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
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
KEYWORD_SINKS = {"placeholder", "prompt", "title", "empty", "tooltip", "heading"}
WORDS = re.compile(r"[A-Za-z]{2,}|\b[a-z]\.[a-z]\.")  # words, and abbreviations such as "e.g."


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


def findings_in(tmp_path: Path, source: str, check: Callable[[Path], list[str]]) -> list[str]:
    """What `check` finds in a sample file holding `source`."""
    sample = tmp_path / "sample.py"
    sample.write_text(source, encoding="utf-8")
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        return check(sample)
    finally:
        ROOT = saved


def test_the_check_finds_an_unmarked_string(tmp_path: Path) -> None:
    found = findings_in(
        tmp_path,
        "from rich.text import Text\n"
        "a = Text('Not marked')\n"
        "b = Text(_('Marked'))\n"
        "c = Text('⟨1⟩ — ·')\n"
        "w.border_title = f'Notes ({n})'\n"
        "w.border_title = _('Notes ({n})').format(n=n)\n"
        "app.notify('Literal is translated by notify')\n"
        "app.notify(f'Saved {x}')\n"
        "t.append('  (from the bundled texts)', style='dim')\n"
        "t.append('  ' + _('(from the bundled texts)'), style='dim')\n"
        "Input(placeholder='e.g. 2010-2020')\n",
        findings,
    )
    assert sorted(int(f.split(":")[1]) for f in found) == [2, 5, 8, 9, 11]


def test_not_yet_lists_only_files_that_exist() -> None:
    assert all((ROOT / f).is_file() for f in NOT_YET)


# ----------------------------------------------------------------- labels kept as data
# The case form and the add-source form once kept their labels in module-level tables
# (FIELD_LABELS = {"title": "Title", ...}) shown later through a variable, which the sink
# check above cannot see. Module- and class-level dicts, tuples, lists and sets of strings
# are checked here: a value that reads as language (two words, or one capitalised word) must
# be marked with N_() (and translated where shown). Dict keys are ids and are not checked.

# Tables of things that are not language: CSS classes, Rich styles, breakpoints, ids.
DATA_TABLES = {
    "__all__",
    "COMPONENT_CLASSES",
    "DEFAULT_CSS",
    "CSS",
    "HORIZONTAL_BREAKPOINTS",
    "VERTICAL_BREAKPOINTS",
    "HEADING_STYLES",
    "CITE_STYLES",
    "BINDINGS",  # Binding(...) calls: their descriptions are extracted by Babel (Binding:3)
}
# Strings in tables that are deliberately not translated.
DATA_EXACT = {
    # The palette's language switch is found by either language's words.
    "Language: English / Bahasa Indonesia",
    "Switch the interface language (Ganti bahasa antarmuka)",
}
LANGUAGE = re.compile(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}|^[A-Z][a-z]{2,}")


def _table_strings(node: ast.AST) -> Iterator[ast.Constant]:
    """The string literals of a table (containers within containers), not under a call."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
    elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        for element in node.elts:
            yield from _table_strings(element)
    elif isinstance(node, ast.Dict):
        for value in node.values:
            yield from _table_strings(value)
    elif isinstance(node, ast.Starred):
        yield from _table_strings(node.value)


def table_findings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bodies = [tree.body] + [n.body for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
    out: list[str] = []
    for body in bodies:
        for stmt in body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                target, value = stmt.targets[0], stmt.value
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                target, value = stmt.target, stmt.value
            else:
                continue
            name = _name(target)
            if name in DATA_TABLES or not isinstance(
                value, (ast.Dict, ast.Tuple, ast.List, ast.Set)
            ):
                continue
            for const in _table_strings(value):
                text = const.value
                if text in DATA_EXACT or not LANGUAGE.search(text) or not _words(text):
                    continue
                out.append(
                    f"{path.relative_to(ROOT)}:{const.lineno}: {name} holds {text!r}: "
                    "mark it with N_() and translate it where shown"
                )
    return out


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_label_tables_are_marked(path: Path) -> None:
    assert not table_findings(path)


def test_the_check_finds_a_table_of_unmarked_labels(tmp_path: Path) -> None:
    found = findings_in(
        tmp_path,
        "FIELD_LABELS = {'title': 'Title', 'url': 'URL', 'kind': N_('Kind')}\n"
        "HINTS = (('title', N_('Title'), 'the article\\'s title'), ('url', 'URL', 'https://…'))\n"
        "COMPONENT_CLASSES = {'bold underline'}\n"
        "IDS = ('news', 'journal_article', 'apa-id', '-narrow -tiny')\n"
        "class Form:\n"
        "    KINDS = {'news': 'news piece'}\n",
        table_findings,
    )
    assert [f.split(": ", 1)[1].split(":")[0] for f in found] == [
        "FIELD_LABELS holds 'Title'",
        'HINTS holds "the article\'s title"',
        "KINDS holds 'news piece'",
    ]
