"""Commands for citing: `sources export` (BibTeX, CSL-JSON, RIS) and `cite CASE_ID`.

Registered on the group of tui/cli.py (the last lines there import this module); `export` and
`set` join the `sources` group of tui/cli_collection.py (which lists and adds sources).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import click

from paradiplo.db.i18n import N_, _
from paradiplo.tui.cli import (
    Ctx,
    _t,
    err_console,
    friendly_errors,
    main,
    pass_ctx,
)
from paradiplo.tui.cli_collection import sources_group


def _cite() -> Any:
    return importlib.import_module("paradiplo.db.cite")


def default_style() -> str:
    """The citation style chosen in the app (state.json), else APA."""
    from paradiplo.tui.state import load_state

    style = load_state().cite_style
    return style if style in STYLE_IDS else "apa"


STYLE_IDS = ("apa", "chicago", "apa-id")


def write_or_print(text: str, output: str | None, what: str) -> None:
    if output:
        from paradiplo.db.files import write_atomic

        write_atomic(Path(output), text)
        err_console.print(_t(_("Wrote {what} to {path}.").format(what=_(what), path=output)))
    else:
        click.echo(text, nl=False)


@sources_group.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["bibtex", "csl-json", "ris"]),
    default="bibtex",
    show_default=True,
)
@click.option("--source", "source_ids", multiple=True, metavar="ID", help="Only this source.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE.")
@pass_ctx
def sources_export(ctx: Ctx, fmt: str, source_ids: tuple[str, ...], output: str | None) -> None:
    """Every source once, with a stable citation key: BibTeX (@article, @online, ...),
    CSL-JSON (Zotero, Pandoc, citeproc) or RIS (Zotero, EndNote, Mendeley)."""
    with friendly_errors():
        text = _cite().export_sources(ctx.store().conn, fmt, source_ids or None)
        write_or_print(text, output, N_("the sources"))


@main.command("cite")
@click.argument("case_id")
@click.option(
    "--fact",
    metavar="FIELD",
    help="Only this fact: region, partner, partner_country, type, date, status, sector "
    "(or sector:ID), ...",
)
@click.option(
    "--style",
    type=click.Choice(STYLE_IDS),
    default=None,
    help="Citation style (default: the one chosen in the app, else apa).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "bibtex"]),
    default="text",
    show_default=True,
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE.")
@pass_ctx
def cite_cmd(
    ctx: Ctx, case_id: str, fact: str | None, style: str | None, fmt: str, output: str | None
) -> None:
    """A case's facts as a paper cites them: each claim, the verbatim quote behind it with its
    in-text citation, and the references."""
    with friendly_errors():
        cite = _cite()
        facts = cite.case_facts(ctx.store().conn, case_id, fact)
        text = cite.render_facts(facts, style or default_style(), fmt)
        write_or_print(text, output, N_("the citation"))


@sources_group.command("set")
@click.argument("source_id")
@click.option(
    "--kind",
    type=click.Choice(
        ["news", "opinion", "journal_article", "report", "legal", "web", "book", "other"]
    ),
    help="Type of work (opinion: a blog or opinion post).",
)
@click.option("--title", help="Title as stated.")
@click.option("--title-sentence", help="Title in sentence case, for APA and CSL.")
@click.option("--description", help="Bracketed description of a work with no title.")
@click.option(
    "--author",
    "authors",
    multiple=True,
    help="'Family, Given' or '{Organisation}' (repeat, in order; --author '' clears).",
)
@click.option("--outlet", help="Newspaper, site or blog.")
@click.option("--journal", "container", help="Journal (or the site when not the outlet).")
@click.option("--volume")
@click.option("--issue")
@click.option("--pages")
@click.option("--publisher")
@click.option("--date", "published", help="Date issued: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--url")
@click.option("--accessed", help="Date you read it online: YYYY-MM-DD.")
@click.option("--language", help="Language code, e.g. id or en.")
@pass_ctx
def sources_set(
    ctx: Ctx, /, source_id: str, authors: tuple[str, ...], **fields: str | None
) -> None:
    """Complete a source you added (a case imported with a citation string gets one): the
    fields its reference needs. `sources export` and the app then cite it in full."""
    given = {k: v for k, v in fields.items() if v is not None}
    with friendly_errors():
        ref = _cite().complete_source(
            ctx.store(), source_id, given, list(authors) if authors else None
        )
    missing = ref.missing()
    still = (
        " " + _("Still missing: {fields}.").format(fields=", ".join(missing))
        if missing
        else " " + _("Complete.")
    )
    err_console.print(
        _t(_("Updated {id} (cite as @{key}).").format(id=source_id, key=ref.key) + still)
    )
