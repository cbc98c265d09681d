"""`paradiplo-tui export cases` and `import cases/notes`. `export network` joins the export
group from tui/cli_stats.py."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from paradiplo.db.files import atomic_text
from paradiplo.db.i18n import _, number
from paradiplo.tui.cli_base import (
    Ctx,
    OnFirstUse,
    _t,
    ambiguous_option,
    console,
    err_console,
    format_option,
    friendly_errors,
    group,
    output_option,
    pass_ctx,
    tell,
    warn,
)

db_io = OnFirstUse("paradiplo.db.io")
notes_io = OnFirstUse("paradiplo.db.notes_io")


@group("export")
def export_group() -> None:
    """Export cases."""


@export_group.command("cases")
@format_option(("json", "csv"))
@output_option("Write to FILE instead of standard output.", writable=True)
@pass_ctx
def export_cases(ctx: Ctx, fmt: str, output: str | None) -> None:
    """Export every case (JSON or CSV, the same fields `import cases` reads)."""
    with friendly_errors():
        conn = ctx.store().conn
        if output:
            with atomic_text(Path(output), newline="") as fh:
                n = db_io.export_cases(conn, fmt, fh)
            tell(_("Wrote {n} case(s) to {path}.").format(n=number(n), path=output))
        else:
            db_io.export_cases(conn, fmt, sys.stdout)


@group("import")
def import_group() -> None:
    """Import cases or notes."""


_IMPORT_FIELDS_HELP = """Import cases from JSON or CSV (marked as yours).

\b
All or nothing by default: a file with any bad record imports nothing, and every problem is
named by line or record and field. --skip-invalid imports the valid records and writes the
rejected ones, with their reasons, to FILE.rejected.json (fix them and import that file).

\b
Fields (JSON keys or CSV columns; title, region and type required):
  id              stable id (made from region, partner and title if empty)
  title           short title
  region          the Indonesian party: 'Kota Surabaya', 'Pemkot Surabaya', 'Kab. Malang',
                  'East Java', 'Jatim', 'Jakarta'; a bare name shared by a Kota and a
                  Kabupaten ('Bandung', 'Malang') follows --ambiguous
  region_country  home-side country (default Indonesia)
  province        the home-side province (optional; narrows a bare name)
  partner         the foreign party (empty when the source names none)
  partner_country English or Indonesian name or ISO code ('Germany', 'Jerman', 'DE')
  partner_kind    state, sub_state, non_state or unknown
  type            sister-city, mou, cooperation, programme, proposal, exploratory (or labels)
  date            YYYY, YYYY-MM or YYYY-MM-DD (a real date); date_as_stated keeps the wording
  status, summary as stated
  sectors         sector labels ('paradiplo-tui sectors'); in CSV separated by ';'
  source          a source id or a citation (required)
  evidence        list of {"source", "quote"}; in CSV a JSON list, or a 'quote' column
  unclear         what the source leaves open
"""


@import_group.command("cases", help=_IMPORT_FIELDS_HELP)
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Import the valid records; write the rejected ones to FILE.rejected.json.",
)
@ambiguous_option(
    "A bare name shared by a Kota and a Kabupaten: refuse the record, take the city, "
    "take the regency, or keep it as stated (marked unresolved)."
)
@pass_ctx
def import_cases(ctx: Ctx, file: Path, skip_invalid: bool, ambiguous: str) -> None:
    with friendly_errors(), _import_progress() as progress:
        result = db_io.import_cases(
            ctx.store(), file, skip_invalid=skip_invalid, ambiguous=ambiguous, progress=progress
        )
    summary = _imported(file, result.added, result.updated, result.unchanged)
    if skip_invalid:
        summary += ", " + _("{n} rejected").format(n=number(result.rejected))
    console.print(_t(summary + "."))
    if result.rejected:
        tell(
            _("Rejected {n} record(s), written to {path}:").format(
                n=number(result.rejected), path=result.rejected_file
            )
        )
        for p in result.problems[:20]:
            tell(f"  {p}")
        if result.rejected > 20 or len(result.problems) > 20:
            tell("  ... " + _("see {path} for every one").format(path=result.rejected_file))
    if result.duplicates_total:
        warn(_("{n} probable duplicate(s):").format(n=number(result.duplicates_total)))
        for d in result.duplicates:
            tell(f"  {d}")
        if result.duplicates_total > len(result.duplicates):
            tell(
                "  ... "
                + _("and {n} more").format(
                    n=number(result.duplicates_total - len(result.duplicates))
                )
            )


@contextmanager
def _import_progress() -> Iterator[Callable[[str, int, int], None] | None]:
    """A Rich progress bar on stderr while an import reads and writes, when stderr is a
    terminal; nothing when it is piped or redirected."""
    if not err_console.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )
    tasks: dict[str, Any] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            label = (
                _("Reading and checking")
                if stage == "reading"
                else _("Writing {n} cases").format(n=number(total))
            )
            tasks[stage] = bar.add_task(label, total=total or None)
        bar.update(tasks[stage], completed=done, total=total or None)

    with bar:
        yield update


@import_group.command("notes")
@click.argument("file", type=click.Path(path_type=Path))
@pass_ctx
def import_notes(ctx: Ctx, file: Path) -> None:
    """Import notes from a JSON export (no duplicates)."""
    with friendly_errors():
        added, updated, unchanged = notes_io.import_notes_json(ctx.store(), file)
    console.print(_t(_imported(file, added, updated, unchanged) + "."))


def _imported(file: Path, added: int, updated: int, unchanged: int) -> str:
    return _("Imported {file}: {added} added, {updated} updated, {unchanged} unchanged").format(
        file=file, added=number(added), updated=number(updated), unchanged=number(unchanged)
    )


COMMANDS = (export_group, import_group)
