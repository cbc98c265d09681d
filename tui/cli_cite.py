"""Commands for citing: `sources export` (BibTeX, CSL-JSON, RIS) and `cite CASE_ID`.

tui/cli.py registers `cite`; `export` and `set` join the `sources` group of
tui/cli_collection.py (which lists and adds sources).
"""

from __future__ import annotations

import click

from paradiplo.db.i18n import N_, _
from paradiplo.tui.cli_base import (
    ChoiceOf,
    Ctx,
    OnFirstUse,
    command,
    format_option,
    friendly_errors,
    output_option,
    pass_ctx,
    tell,
    write_or_print,
)
from paradiplo.tui.cli_collection import sources_group

cite_api = OnFirstUse("paradiplo.db.cite")
STYLES = ChoiceOf("paradiplo.db.cite", "STYLES")


def default_style() -> str:
    """The citation style chosen in the app (state.json), else APA."""
    from paradiplo.tui.state import load_state

    style = load_state().cite_style
    return style if style in STYLES.choices else "apa"


def _write(text: str, output: str | None, what: str) -> None:
    write_or_print(text, output, _("Wrote {what} to {path}.").format(what=_(what), path=output))


@sources_group.command("export")
@format_option(ChoiceOf("paradiplo.db.cite", "EXPORT_FORMATS"), "bibtex")
@click.option("--source", "source_ids", multiple=True, metavar="ID", help="Only this source.")
@output_option()
@pass_ctx
def sources_export(ctx: Ctx, fmt: str, source_ids: tuple[str, ...], output: str | None) -> None:
    """Every source once, with a stable citation key: BibTeX (@article, @online, ...),
    CSL-JSON (Zotero, Pandoc, citeproc) or RIS (Zotero, EndNote, Mendeley)."""
    with friendly_errors():
        text = cite_api.export_sources(ctx.store().conn, fmt, source_ids or None)
        _write(text, output, N_("the sources"))


@command("cite")
@click.argument("case_id")
@click.option(
    "--fact",
    metavar="FIELD",
    help="Only this fact: region, partner, partner_country, type, date, status, sector "
    "(or sector:ID), ...",
)
@click.option(
    "--style",
    type=STYLES,
    default=None,
    help="Citation style (default: the one chosen in the app, else apa).",
)
@format_option(ChoiceOf("paradiplo.db.cite", "CITE_FORMATS"), "text")
@output_option()
@pass_ctx
def cite_cmd(
    ctx: Ctx, case_id: str, fact: str | None, style: str | None, fmt: str, output: str | None
) -> None:
    """A case's facts as a paper cites them: each claim, the verbatim quote behind it with its
    in-text citation, and the references."""
    with friendly_errors():
        facts = cite_api.case_facts(ctx.store().conn, case_id, fact)
        text = cite_api.render_facts(facts, style or default_style(), fmt)
        _write(text, output, N_("the citation"))


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
        ref = cite_api.complete_source(
            ctx.store(), source_id, given, list(authors) if authors else None
        )
    missing = ref.missing()
    still = (
        " " + _("Still missing: {fields}.").format(fields=", ".join(missing))
        if missing
        else " " + _("Complete.")
    )
    tell(_("Updated {id} (cite as @{key}).").format(id=source_id, key=ref.key) + still)


COMMANDS = (cite_cmd,)
