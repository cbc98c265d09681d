"""`paradiplo-tui notes`: add, list and export your study notes."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from paradiplo.db import notes as notes_api
from paradiplo.db import queries
from paradiplo.db.i18n import _, data_label, number
from paradiplo.db.models import Note
from paradiplo.db.text import clip, display_safe, local_time
from paradiplo.tui.cli_base import (
    Ctx,
    OnFirstUse,
    _t,
    console,
    format_option,
    friendly_errors,
    group,
    output_option,
    pass_ctx,
    reads,
    tell,
    write_or_print,
)
from paradiplo.tui.cli_cite import STYLES

notes_io = OnFirstUse("paradiplo.db.notes_io")


@group("notes")
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
    console.print(_t(_("Saved note {id} on {case}.").format(id=note.id, case=case_id)))


@notes_group.command("list")
@click.option("--case", "case_id", help="Only notes on this case.")
@click.option("--tag", help="Only notes with this tag.")
@click.option(
    "--orphaned", is_flag=True, help="Only orphaned notes (their case, source or region is gone)."
)
@reads(
    lambda conn, case_id, tag, orphaned: notes_api.list_notes(
        conn,
        target_type="case" if case_id else None,
        target_id=case_id,
        tag=tag,
        orphaned_only=orphaned,
    )
)
def notes_list(items: list[Note], **filters: Any) -> None:
    """List notes, newest first."""
    table = Table(
        "id",
        _("on"),
        _("tags"),
        _("edited"),
        _("note"),
        title=_("{n} note(s)").format(n=number(len(items))),
    )
    for n in items:
        label = n.target_label
        if n.target_type == "case":
            label = data_label("case_title", n.target_id, label)
        on = label + (" " + _("(orphaned)") if n.orphaned else "")
        body = display_safe(n.body).strip()  # escapes out before the line is cut
        first = body.splitlines()[0] if body else ""
        table.add_row(
            _t(n.id),
            _t(on),
            _t(" ".join("#" + t for t in n.tags)),
            _t(local_time(n.updated_at)),
            _t(clip(first, 80, "…")),
        )
    console.print(table)


@notes_group.command("export")
@format_option(("md", "json"))
@click.option(
    "--by",
    type=click.Choice(["case", "tag"]),
    default="case",
    show_default=True,
    help="Markdown grouping.",
)
@output_option()
@click.option(
    "--bib",
    type=click.Path(dir_okay=False),
    help="Markdown: also write the BibTeX of every cited source to FILE (for pandoc --citeproc).",
)
@click.option(
    "--style",
    type=STYLES,
    default="apa",
    show_default=True,
    help="Style of the reference list that closes the Markdown.",
)
@pass_ctx
def notes_export(
    ctx: Ctx, fmt: str, by: str, output: str | None, bib: str | None, style: str
) -> None:
    """Export notes as Markdown (grouped by case, sources cited as [@key]) or JSON."""
    with friendly_errors():
        if fmt == "md" and bib:
            import shutil

            from paradiplo.db.cite import export_sources, style_file

            conn = ctx.store().conn
            bib_path = Path(bib)
            csl_path = bib_path.with_name(style_file(style).name)
            here = Path(output).absolute().parent if output else Path.cwd()
            text, cited = notes_io.notes_markdown_cited(
                conn,
                by=by,
                style=style,
                bib_name=os.path.relpath(bib_path.absolute(), here),
                csl_name=os.path.relpath(csl_path.absolute(), here),
            )
            notes_io.write_atomic(bib_path, export_sources(conn, "bibtex", cited))
            shutil.copyfile(style_file(style), csl_path)
            tell(
                _("Wrote the BibTeX of {n} cited source(s) to {bib}, the style to {csl}.").format(
                    n=number(len(cited)), bib=bib, csl=csl_path
                )
            )
        else:
            text = notes_io.export_text(ctx.store().conn, fmt, by, style)
        write_or_print(text, output, _("Wrote notes to {path}.").format(path=output))


COMMANDS = (notes_group,)
