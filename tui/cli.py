"""The `paradiplo-tui` command: no subcommand opens the app; subcommands script the database."""

from __future__ import annotations

import importlib
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Column, Table
from rich.text import Text

from db import notes as notes_api
from db import queries
from db.errors import ParadiploError
from db.files import atomic_text, write_atomic
from db.models import Filters
from db.paths import resolve_db_path
from db.store import (
    ENV_READONLY,
    SQLITE_ERRORS,
    Store,
    UnusableDatabase,
    find_damage,
    open_store,
    swap_in,
    translate,
)
from db.text import display_safe


class _OnFirstUse:
    """A module imported when a command first uses it: launching the app (no subcommand)
    then does not pay for the import, search and recovery code (bench/RESULTS.md)."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)


db_io = _OnFirstUse("db.io")
notes_io = _OnFirstUse("db.notes_io")
recover = _OnFirstUse("db.recover")
resolve = _OnFirstUse("db.resolve")
seeds = _OnFirstUse("db.seeds")
search_api = _OnFirstUse("db.search")

F = TypeVar("F", bound=Callable[..., Any])
console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def _t(value: Any) -> Text:
    """User and source text as literal Rich Text (never markup)."""
    return Text(display_safe("" if value is None else str(value)))


def fail(message: str, code: int = 1) -> None:
    err_console.print(Text("Error: ", style="bold red") + Text(display_safe(message)))
    sys.exit(code)


def _id_column(ids: Iterable[str]) -> Column:
    """An id column never cut short: ids are what the other commands take."""
    return Column("id", no_wrap=True, min_width=min(max((len(i) for i in ids), default=2), 48))


def _current_db() -> Path:
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_object(Ctx) if ctx else None
    return obj.db_path if obj else resolve_db_path(None)


@contextmanager
def friendly_errors() -> Iterator[None]:
    """One clear line (no traceback) for every failure a user can cause or meet.

    Raw SQLite errors reach here when a damaged file fails half-way through a read; they are
    put in words by db.store.translate, which also says how to recover.
    """
    try:
        yield
    except ParadiploError as exc:
        fail(str(exc))
    except SQLITE_ERRORS as exc:
        fail(str(translate(exc, _current_db())))
    except BrokenPipeError:
        # The reader went away (`... | head`): nothing to say, and nothing more to write.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(141)
    except OSError as exc:
        fail(f"{exc.filename or ''} {exc.strerror or exc}".strip())


class Ctx:
    def __init__(self, db: str | None, read_only: bool = False) -> None:
        self.db_path = resolve_db_path(db)
        self.read_only = read_only
        self._store: Store | None = None

    def store(self, *, create: bool = True) -> Store:
        if self._store is None:
            self._store = open_store(self.db_path, create=create, readonly=self.read_only or None)
            if self._store.readonly and not self.read_only:
                err_console.print(
                    Text("Warning: ", style="yellow")
                    + _t(f"{self.db_path} is open read-only: {self._store.readonly_reason}.")
                )
        return self._store


pass_ctx = click.make_pass_decorator(Ctx)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db",
    metavar="PATH",
    envvar="PARADIPLO_DB",
    help="Database file (default: in your data directory; or $PARADIPLO_DB).",
)
@click.option(
    "--read-only",
    "read_only",
    is_flag=True,
    envvar=ENV_READONLY,
    help="Browse without changing the database (note-taking is off); or $PARADIPLO_READONLY=1.",
)
@click.version_option(package_name="paradiplo-tui")
@click.pass_context
def main(ctx: click.Context, db: str | None, read_only: bool) -> None:
    """Browse paradiplomacy cases, their sources and your study notes.

    Run with no command to open the app.
    """
    ctx.obj = Ctx(db, read_only)
    if ctx.invoked_subcommand is None:
        if read_only:
            os.environ[ENV_READONLY] = "1"  # the app opens its database through open_store
        from tui.app import run_app

        with friendly_errors():
            sys.exit(run_app(ctx.obj.db_path))


# --------------------------------------------------------------------------------- db
@main.group("db")
def db_group() -> None:
    """Build, check and describe the database."""


@db_group.command("build")
@click.option("--force", is_flag=True, help="Rebuild the seed data even if it is up to date.")
@pass_ctx
def db_build(ctx: Ctx, force: bool) -> None:
    """Create the database or refresh the bundled seed data (your notes are kept).

    With --force, a file that cannot serve as the database (damaged, not SQLite, another
    program's, written by a newer version) is replaced by a new database holding the notes and
    drafts copied from it; the old file is kept beside it as a backup.
    """
    with friendly_errors():
        path = ctx.db_path
        if ctx.read_only:
            raise ParadiploError(
                "Read-only mode (--read-only or PARADIPLO_READONLY) is on: nothing was built."
            )
        if force and path.is_file():
            _force_rebuild(path)
            return
        existed = path.exists()
        store = open_store(path, readonly=False)
        if store.rebuilt_seeds:
            verb = "Refreshed the seed data in" if existed else "Built"
            console.print(_t(f"{verb} {path}: {_counts(queries.stats(store.conn))}."))
        else:
            console.print(_t(f"{path} is up to date (use --force to rebuild the seed data)."))


def _force_rebuild(path: Path) -> None:
    """Rebuild the seeds in place, or replace an unusable file (see `db_build`)."""
    try:
        store = open_store(path, build_seeds=False, readonly=False)
    except UnusableDatabase as exc:
        _replace(path, str(exc), "unreadable")
        return
    if store.written_by_newer:
        store.close()
        _replace(path, f"{path} is open read-only: {store.readonly_reason}.", "newer")
        return
    damage = find_damage(store) or (store.readonly_reason if store.damaged else None)
    if damage is not None:
        store.close()
        _replace(path, f"{path} is damaged ({damage}).", "unreadable")
        return
    try:
        counts = seeds.build(store.conn, seeds.load_seeds())
    except SQLITE_ERRORS as exc:
        problem = translate(exc, path)
        if not isinstance(problem, UnusableDatabase):
            raise problem from exc
        store.close()
        _replace(path, str(problem), "unreadable")
        return
    console.print(_t(f"Rebuilt the seed data in {path}: {_counts(counts)}."))


def _replace(path: Path, why: str, label: str) -> None:
    """Build a new database holding the notes of the unusable one, then swap it in.

    The new file is complete (notes copied) before it takes the old one's place, and the old
    one is kept as a backup: killed at any moment, the notes are in the file at `path`.
    """
    new = path.with_name(f".{path.name}.rebuild")
    for stale in (new, *(new.with_name(new.name + s) for s in ("-wal", "-shm"))):
        stale.unlink(missing_ok=True)
    store = open_store(new, readonly=False)
    try:
        saved = recover.salvage_notes(path, store)
        counts = _counts(queries.stats(store.conn))
        store.checkpoint()
    finally:
        store.close()
    moved = swap_in(new, path, label)
    err_console.print(_t(f"{why}\nKept the old file as {moved} (a backup)."))
    console.print(_t(f"Built a new database at {path}: {counts}; {saved.describe()}."))


def _counts(counts: dict[str, int]) -> str:
    keys = ("cases", "sources", "actors", "evidence", "notes")
    return ", ".join(f"{counts[k]} {k}" for k in keys if k in counts)


@db_group.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def db_check(ctx: Ctx, as_json: bool) -> None:
    """Check integrity, foreign keys and that every quote is in its source."""
    with friendly_errors():
        problems = queries.check(ctx.store(create=False).conn)
    if as_json:
        emit_json({"ok": not problems, "problems": problems})
    elif problems:
        for p in problems:
            console.print(_t(f"- {p}"))
    else:
        console.print("OK: integrity, foreign keys and every evidence quote check out.")
    if problems:
        sys.exit(1)


@db_group.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def db_stats(ctx: Ctx, as_json: bool) -> None:
    """Count the records in each table."""
    with friendly_errors():
        counts = queries.stats(ctx.store().conn)
    if as_json:
        emit_json(counts)
        return
    table = Table("table", "rows", title=str(ctx.db_path))
    for k, v in counts.items():
        table.add_row(k, str(v))
    console.print(table)


@db_group.command("path")
@pass_ctx
def db_path(ctx: Ctx) -> None:
    """Print where the database is."""
    click.echo(str(ctx.db_path))


# ------------------------------------------------------------------------------ cases
@main.group("cases")
def cases_group() -> None:
    """List and show cases."""


@cases_group.command("list")
@click.option("--region", "-r", help="Province, regency/city or country (name or code).")
@click.option("--sector", "-s", multiple=True, help="Sector id or label (repeat to narrow).")
@click.option("--partner-country", "-c", help="Partner country (name or code).")
@click.option(
    "--sort",
    type=click.Choice(["year", "-year", "title", "region", "partner"]),
    default="-year",
    show_default=True,
)
@click.option("--limit", type=int, default=0, help="At most N cases (0: all).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def cases_list(
    ctx: Ctx,
    region: str | None,
    sector: tuple[str, ...],
    partner_country: str | None,
    sort: str,
    limit: int,
    as_json: bool,
) -> None:
    """List cases, optionally filtered."""
    with friendly_errors():
        conn = ctx.store().conn
        filters = Filters(
            region=resolve.region_key(conn, region) if region else None,
            partner=resolve.country_key(conn, partner_country) if partner_country else None,
            sectors=tuple(resolve.sector_id(conn, s) for s in sector),
        )
        rows = queries.list_cases(conn, filters, sort=sort, limit=limit or -1)
        if as_json:
            ids = [r.id for r in rows]
            by_id = {rec["id"]: rec for rec in db_io.iter_case_records(conn, ids)} if ids else {}
            emit_json([by_id[i] for i in ids])
            return
    table = Table(
        "year",
        _id_column(r.id for r in rows),
        "Indonesian party / region",
        "partner",
        "country",
        "type",
        title=f"{len(rows)} case(s)",
    )
    for r in rows:
        table.add_row(
            _t(r.year or "—"),
            _t(r.id),
            _t(r.region_name),
            _t(r.partner_name),
            _t(r.partner_country or ""),
            _t(r.type_label),
        )
    console.print(table)


@cases_group.command("show")
@click.argument("case_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def cases_show(ctx: Ctx, case_id: str, as_json: bool) -> None:
    """Show one case with every quote behind it."""
    with friendly_errors():
        conn = ctx.store().conn
        d = queries.case_detail(conn, case_id)
        notes = notes_api.notes_for_case(conn, case_id)
        if as_json:
            rec = next(db_io.iter_case_records(conn, [case_id]))
            rec["detail"] = asdict(d)
            rec["notes"] = [asdict(n) for n in notes]
            emit_json(rec)
            return
    console.print(Text(display_safe(d.title), style="bold"))
    partner = d.partner.name if d.partner else f"not named ({d.partner_as_stated or '—'})"
    rows = [
        ("Region", f"{d.region.name} ({d.region.level}, {d.region.province_name or ''})"),
        (
            "Partner",
            partner
            + (f", {d.partner.country_name}" if d.partner and d.partner.country_name else ""),
        ),
        (
            "Type",
            f"{d.type_label}" + (f" — as stated: {d.type_as_stated}" if d.type_as_stated else ""),
        ),
        ("Date", d.date_as_stated or "not stated"),
        ("Status", d.status_as_stated or d.status or "not stated"),
        ("Sectors", ", ".join(s.label_en for s in d.sectors) or "not stated"),
        ("Category", f"{d.category or '—'} (derived: {d.category_basis})"),
    ]
    for k, v in rows:
        console.print(Text(f"{k}: ", style="bold") + _t(v))
    for u in d.unclear:
        console.print(Text("Unclear: ", style="yellow") + _t(u))
    for e in d.evidence:
        console.print(
            Text("\n“", style="dim") + _t(e.quote or "(no quote recorded)") + Text("”", style="dim")
        )
        console.print(
            Text("  — ", style="dim")
            + _t(e.citation)
            + Text(f"  supports: {', '.join(e.supports) or '—'}", style="dim")
        )
    if notes:
        console.print(Text(f"\nNotes ({len(notes)})", style="bold"))
        for n in notes:
            console.print(Text(f"[{n.updated_at[:16]}] ", style="dim") + _t(n.body))


# ------------------------------------------------------------------------ vocabularies
@main.command("sectors")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def sectors_cmd(ctx: Ctx, as_json: bool) -> None:
    """The sector vocabulary with case counts."""
    with friendly_errors():
        counts = queries.sector_counts(ctx.store().conn, Filters())
    if as_json:
        emit_json([asdict(c) for c in counts])
        return
    table = Table("id", "English", "Indonesian", "cases")
    for c in counts:
        table.add_row(c.id, c.label_en, c.label_id, str(c.count))
    console.print(table)


@main.command("sources")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def sources_cmd(ctx: Ctx, as_json: bool) -> None:
    """The sources with their provenance."""
    with friendly_errors():
        items = queries.list_sources(ctx.store().conn)
    if as_json:
        emit_json([asdict(s) for s in items])
        return
    table = Table(_id_column(s.id for s in items), "kind", "citation")
    for s in items:
        table.add_row(_t(s.id), _t(s.kind), _t(s.citation))
    console.print(table)


@main.command("regions")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def regions_cmd(ctx: Ctx, as_json: bool) -> None:
    """The regions with cases, as a tree with counts."""
    with friendly_errors():
        tree = queries.region_tree(ctx.store().conn)
    if as_json:
        emit_json([asdict(n) for n in tree])
        return

    def show(nodes: list[Any], depth: int = 0) -> None:
        for n in nodes:
            console.print(_t(f"{'  ' * depth}{n.label} ({n.count})  [{n.key}]"))
            show(n.children, depth + 1)

    show(tree)


# ------------------------------------------------------------------------------ search
@main.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option(
    "--limit", type=click.IntRange(1, 1000), default=20, show_default=True, help="Hits to show."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def search_cmd(ctx: Ctx, query: tuple[str, ...], limit: int, as_json: bool) -> None:
    """Search cases, source passages, notes and glossary terms.

    The same ranked hits as the app's search (/), without the pane filters. Any text is a
    query: "quoted words" match as a phrase; Indonesian affixes, compounds (kerjasama /
    kerja sama) and English/Indonesian synonyms (Japan / Jepang) match too.
    """
    text = " ".join(query)
    with friendly_errors():
        hits = search_api.search(ctx.store().conn, text, limit=limit)
    if as_json:
        emit_json(
            [
                {
                    "kind": h.kind,
                    "id": h.ref_id,
                    "title": h.title,
                    "snippet": h.snippet.replace(search_api.HL_OPEN, "").replace(
                        search_api.HL_CLOSE, ""
                    ),
                    "score": h.score,
                    "case_id": h.case_id,
                    "source_id": h.source_id,
                    "anchor_start": h.anchor_start,
                    "anchor_end": h.anchor_end,
                }
                for h in hits
            ]
        )
        return
    if not hits:
        console.print(_t(f"No matches for “{text}”."))
        sys.exit(0)
    for h in hits:
        line = Text(f"{h.kind:8} ", style="dim") + Text(display_safe(h.title), style="bold")
        line += Text(f"  {h.ref_id}", style="dim")
        console.print(line)
        console.print(Text("   ") + snippet_text(h.snippet))


def snippet_text(snippet: str) -> Text:
    out = Text()
    for i, part in enumerate(
        display_safe(
            snippet.replace(search_api.HL_OPEN, "\x00")
            .replace(search_api.HL_CLOSE, "\x00")
            .replace("\x00", "\uffff")
        ).split("\uffff")
    ):
        out.append(part.replace("\n", " "), style="bold reverse" if i % 2 else "")
    return out


# ------------------------------------------------------------------------ export/import
@main.group("export")
def export_group() -> None:
    """Export cases."""


@export_group.command("cases")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to FILE instead of standard output.",
)
@pass_ctx
def export_cases(ctx: Ctx, fmt: str, output: str | None) -> None:
    """Export every case (JSON or CSV, the same fields `import cases` reads)."""
    with friendly_errors():
        conn = ctx.store().conn
        if output:
            with atomic_text(Path(output), newline="") as fh:
                n = db_io.export_cases(conn, fmt, fh)
            err_console.print(_t(f"Wrote {n} case(s) to {output}."))
        else:
            db_io.export_cases(conn, fmt, sys.stdout)


@main.group("import")
def import_group() -> None:
    """Import cases or notes."""


@import_group.command("cases")
@click.argument("file", type=click.Path(path_type=Path))
@pass_ctx
def import_cases(ctx: Ctx, file: Path) -> None:
    """Import cases from JSON or CSV (all or nothing; marked as yours)."""
    with friendly_errors():
        result = db_io.import_cases(ctx.store(), file)
    console.print(
        _t(
            f"Imported {file}: {result.added} added, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        )
    )


@import_group.command("notes")
@click.argument("file", type=click.Path(path_type=Path))
@pass_ctx
def import_notes(ctx: Ctx, file: Path) -> None:
    """Import notes from a JSON export (no duplicates)."""
    with friendly_errors():
        added, updated, unchanged = notes_io.import_notes_json(ctx.store(), file)
    console.print(_t(f"Imported {file}: {added} added, {updated} updated, {unchanged} unchanged."))


# ------------------------------------------------------------------------------- notes
@main.group("notes")
def notes_group() -> None:
    """Add, list and export your notes."""


@notes_group.command("add")
@click.argument("case_id")
@click.argument("text")
@click.option("--tag", "-t", multiple=True, help="Tag (repeatable; or comma-separated).")
@pass_ctx
def notes_add(ctx: Ctx, case_id: str, text: str, tag: tuple[str, ...]) -> None:
    """Add a note to a case. TEXT '-' reads the note from standard input."""
    if text == "-":
        text = sys.stdin.read()
    with friendly_errors():
        store = ctx.store()
        queries.case_detail(store.conn, case_id)  # the case must exist when adding
        note = notes_api.add_note(store, "case", case_id, text, tag)
    console.print(_t(f"Saved note {note.id} on {case_id}."))


@notes_group.command("list")
@click.option("--case", "case_id", help="Only notes on this case.")
@click.option("--tag", help="Only notes with this tag.")
@click.option(
    "--orphaned", is_flag=True, help="Only orphaned notes (their case, source or region is gone)."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def notes_list(
    ctx: Ctx, case_id: str | None, tag: str | None, orphaned: bool, as_json: bool
) -> None:
    """List notes, newest first."""
    with friendly_errors():
        items = notes_api.list_notes(
            ctx.store().conn,
            target_type="case" if case_id else None,
            target_id=case_id,
            tag=tag,
            orphaned_only=orphaned,
        )
    if as_json:
        emit_json([asdict(n) for n in items])
        return
    table = Table("id", "on", "tags", "edited", "note", title=f"{len(items)} note(s)")
    for n in items:
        on = n.target_label + (" (orphaned)" if n.orphaned else "")
        first = n.body.strip().splitlines()[0] if n.body.strip() else ""
        table.add_row(
            _t(n.id),
            _t(on),
            _t(" ".join("#" + t for t in n.tags)),
            _t(n.updated_at[:16].replace("T", " ")),
            _t(first[:80]),
        )
    console.print(table)


@notes_group.command("export")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@click.option(
    "--by",
    type=click.Choice(["case", "tag"]),
    default="case",
    show_default=True,
    help="Markdown grouping.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE.")
@pass_ctx
def notes_export(ctx: Ctx, fmt: str, by: str, output: str | None) -> None:
    """Export notes as Markdown (grouped by case, with sources cited) or JSON."""
    with friendly_errors():
        text = notes_io.export_text(ctx.store().conn, fmt, by)
        if output:
            write_atomic(Path(output), text)
            err_console.print(_t(f"Wrote notes to {output}."))
        else:
            click.echo(text, nl=False)


def entry() -> None:
    """The installed `paradiplo-tui` command: `main`, with a last-resort guard.

    A bug must not show a user a traceback: the traceback goes to crash.log in the data
    directory and the user gets one line saying where it is.
    """
    try:
        main(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # the last line of defence
        import traceback

        from db.paths import data_dir

        log = data_dir() / "crash.log"
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            with log.open("a", encoding="utf-8") as fh:
                fh.write(traceback.format_exc() + "\n")
            where = f"details are in {log}"
        except OSError:
            where = "the details could not be saved"
        fail(f"Unexpected error ({type(exc).__name__}: {exc}); {where}. Please report it.")


if __name__ == "__main__":
    entry()
