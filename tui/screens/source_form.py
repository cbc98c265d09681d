"""Add a source (`a`): a file (.txt, .md, .html, .pdf) or text pasted into the box, with its
provenance (title, authors, outlet, published, url, accessed, language, kind).

Giving a path and pressing Enter reads the file in a thread (`db.sourcefiles.read_source`:
an HTML page keeps its main text, a PDF its text) and fills the empty provenance fields from
what the file says. Ctrl+S stores the text verbatim (`db.collection.add_source`); problems
(an empty or binary file, a bad date, a text already stored) are shown in the dialog and
nothing is stored. Once added, the source opens in the reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from paradiplo.db.errors import ParadiploError
from paradiplo.db.i18n import N_, _, number
from paradiplo.db.store import Store
from paradiplo.tui.screens.form_dialog import FormDialog, Made, save_cancel_bindings
from paradiplo.tui.widgets.dbwork import DbResult, is_current, run_db
from paradiplo.tui.widgets.text import plain

# The kinds' and languages' names and the fields' labels and hints, translated where shown.
KIND_LABELS = {
    "news": N_("news piece"),
    "opinion": N_("opinion piece"),
    "journal_article": N_("journal article"),
    "report": N_("report"),
    "official": N_("official document"),
    "other": N_("other"),
}
LANGUAGE_LABELS = {"id": N_("Indonesian"), "en": N_("English")}
TEXT_FIELDS = (
    ("title", N_("Title"), N_("the article's title")),
    ("authors", N_("Authors"), N_("separate with ;")),
    ("outlet", N_("Outlet"), N_("Kompas, The Jakarta Post, a journal…")),
    ("published", N_("Published"), N_("YYYY, YYYY-MM or YYYY-MM-DD")),
    ("url", "URL", "https://…"),
    ("accessed", N_("Accessed"), N_("YYYY-MM-DD: when you read it there")),
)


@dataclass
class FileRead(DbResult):
    path: str
    chars: int
    fmt: str
    found: dict[str, str]


@dataclass
class SourceRefused(DbResult):
    message: str
    existing: str | None = None


def _expand(path: str) -> Path:
    return Path(path.strip()).expanduser()


class SourceFormScreen(FormDialog):
    """Add a source; dismissed with its id (None when cancelled)."""

    DEFAULT_CSS = """
    SourceFormScreen { align: center middle; }
    .source-form #source-fields { height: 1fr; }
    #source-problem { height: auto; margin-top: 1; }
    .source-form #source-text { height: 6; }
    SourceFormScreen.-short .dialog-title { margin-bottom: 0; }
    SourceFormScreen.-short .dialog-buttons Button { height: 1; border: none; min-width: 10; }
    """

    BINDINGS = save_cancel_bindings("source_form", "Add")
    PROBLEM_ID = "source-problem"
    LEAVE_QUESTION = (
        N_("Leave without adding?"),
        N_("The text and the fields you filled in are not saved. Leave anyway?"),
    )

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.existing: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog source-form"):
            yield Static(Text(_("Add a source"), style="bold"), classes="dialog-title")
            with VerticalScroll(id="source-fields"):
                with Horizontal(classes="form-row"):
                    yield Label(_("File"), classes="form-label")
                    yield Input(
                        placeholder=_(".txt, .md, .html or .pdf (Enter reads it) — or paste below"),
                        id="source-path",
                        compact=True,
                    )
                yield Static(Text(), id="source-path-line", classes="form-line")
                yield Label(
                    _("Text (paste the article here if you have no file)"),
                    classes="form-label-wide",
                )
                yield TextArea(id="source-text", soft_wrap=True, show_line_numbers=False)
                for name, label, hint in TEXT_FIELDS:
                    with Horizontal(classes="form-row"):
                        yield Label(_(label), classes="form-label")
                        yield Input(placeholder=_(hint), id=f"source-{name}", compact=True)
                with Horizontal(classes="form-row"):
                    yield Label(_("Language"), classes="form-label")
                    yield Select(
                        [(Content(_(v)), k) for k, v in LANGUAGE_LABELS.items()],
                        prompt=_("not stated"),
                        compact=True,
                        id="source-language",
                    )
                with Horizontal(classes="form-row"):
                    yield Label(_("Kind"), classes="form-label")
                    yield Select(
                        [(Content(_(v)), k) for k, v in KIND_LABELS.items()],
                        value="news",
                        allow_blank=False,
                        compact=True,
                        id="source-kind",
                    )
            yield Static(Text(), id="source-problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Open that source"), id="open-existing")
                yield Button(_("Add") + "  ^s", variant="primary", id="add")
                yield Button(_("Cancel  esc"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#source-problem").display = False
        self.query_one("#open-existing").display = False
        self.query_one("#source-path-line").display = False
        self.query_one("#source-path", Input).focus()

    # --------------------------------------------------------------------- the file
    @on(Input.Submitted, "#source-path")
    def _path_entered(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self._read(event.value)
        self.focus_next()

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        if event.input.id != "source-path":
            self.focus_next()

    def _read(self, raw_path: str) -> None:
        path = _expand(raw_path)

        def load(store: Store) -> DbResult:
            from paradiplo.db import sourcefiles

            try:
                got = sourcefiles.read_source(path)
            except ParadiploError as exc:
                return SourceRefused(str(exc))
            found = {
                "title": got.title or "",
                "authors": "; ".join(got.authors),
                "outlet": got.outlet or "",
                "published": got.published or "",
                "url": got.url or "",
                "language": got.language or "",
            }
            return FileRead(str(path), len(got.text), got.format, found)

        run_db(self, "source-read", load)

    def on_file_read(self, message: FileRead) -> None:
        if not is_current(self, message):
            return
        self.show_problem(None)
        line = self.query_one("#source-path-line", Static)
        line.update(
            plain(
                "→ "
                + _("{n} characters read ({fmt})").format(n=number(message.chars), fmt=message.fmt),
                style="green",
            )
        )
        line.display = True
        for name, value in message.found.items():
            if not value:
                continue
            if name == "language":
                select = self.query_one("#source-language", Select)
                if select.is_blank() and value in LANGUAGE_LABELS:
                    select.value = value
                continue
            field = self.query_one(f"#source-{name}", Input)
            if not field.value.strip():
                field.value = value

    # ------------------------------------------------------------------------- save
    def _values(self) -> dict[str, Any]:
        def text(name: str) -> str:
            return self.query_one(f"#source-{name}", Input).value.strip()

        language = self.query_one("#source-language", Select).value
        kind = self.query_one("#source-kind", Select).value
        return {
            "path": self.query_one("#source-path", Input).value.strip(),
            "text": self.query_one("#source-text", TextArea).text,
            "title": text("title"),
            "authors": [a.strip() for a in text("authors").split(";") if a.strip()],
            "outlet": text("outlet"),
            "published": text("published"),
            "url": text("url"),
            "accessed": text("accessed"),
            "language": language if isinstance(language, str) else None,
            "kind": kind if isinstance(kind, str) else "other",
        }

    def action_save(self) -> None:
        if self.busy:
            return
        v = self._values()
        if not v["path"] and not v["text"].strip():
            self.show_problem(
                "Give a file, or paste the text into the box: there is nothing to add."
            )
            return
        if v["path"] and v["text"].strip():
            self.show_problem("Give a file or pasted text, not both: empty one of them.")
            return
        self.busy = True

        def save(store: Store) -> DbResult:
            from paradiplo.db import collection, sourcefiles

            try:
                text, file = v["text"], None
                if v["path"]:
                    got = sourcefiles.read_source(_expand(v["path"]))
                    text, file = got.text, got.file
                src = collection.NewSource(
                    text=text,
                    title=v["title"] or None,
                    authors=tuple(v["authors"]),
                    outlet=v["outlet"] or None,
                    published=v["published"] or None,
                    url=v["url"] or None,
                    accessed=v["accessed"] or None,
                    language=v["language"],
                    kind=v["kind"],
                    file=file,
                )
                problems = collection.source_problems(src)
                if problems:
                    return SourceRefused("; ".join(problems))
                return Made(collection.add_source(store, src))
            except collection.DuplicateSource as exc:
                return SourceRefused(str(exc), exc.source_id)
            except ParadiploError as exc:
                return SourceRefused(str(exc))

        run_db(self, "source-save", save)

    def on_source_refused(self, message: SourceRefused) -> None:
        self.busy = False
        self.show_problem(message.message)
        self.existing = message.existing
        self.query_one("#open-existing").display = message.existing is not None

    @on(Button.Pressed, "#add")
    def _add_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#open-existing")
    def _open_existing(self) -> None:
        if self.existing:
            self.dismiss(self.existing)

    def input_unsaved(self) -> bool:
        """Text pasted or fields typed."""
        v = self._values()
        typed = [v[k] for k in ("text", "title", "outlet", "published", "url", "accessed")]
        return any(str(x).strip() for x in typed) or bool(v["authors"])


def open_add_source(app: Any) -> None:
    """The add-source dialog; the source added opens in the reader."""
    if app.store is None:
        return
    if app.store.readonly:
        app.notify("The database is open read-only: sources cannot be added.", severity="warning")
        return

    def done(source_id: str | None) -> None:
        if source_id:
            app.open_source(source_id, None)
            app.notify(
                _(
                    "Select a passage with m (or the mouse), then c takes a case from it, "
                    "a attaches it to a case."
                ),
                title=_("Source added"),
                timeout=8,
            )

    app.push_screen(SourceFormScreen(app.store), done)
