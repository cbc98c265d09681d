"""Commands that grow the collection: `sources` (list, add), `cases add/edit/delete/restore/
deleted` and `suggest`. tui/cli.py registers them."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Any

import click
from rich.table import Table
from rich.text import Text

from paradiplo.db import queries, usersources
from paradiplo.db.i18n import _, data_label, number
from paradiplo.db.models import Source
from paradiplo.db.sourceread import shown_citation
from paradiplo.tui.cli_base import (
    ChoiceOf,
    Ctx,
    OnFirstUse,
    _t,
    ambiguous_option,
    command,
    console,
    emit_json,
    friendly_errors,
    group,
    id_column,
    json_option,
    pass_ctx,
    reads,
    tell,
)
from paradiplo.tui.cli_cases import cases_group

collection = OnFirstUse("paradiplo.db.collection")
sourcefiles = OnFirstUse("paradiplo.db.sourcefiles")
suggest_api = OnFirstUse("paradiplo.db.suggest")

FACTS_HELP = "region, partner, partner_country, type, date, status, summary, title or sector:ID"


# ----------------------------------------------------------------------------- sources
@group("sources", invoke_without_command=True)
@json_option()
@click.pass_context
def sources_group(click_ctx: click.Context, as_json: bool) -> None:
    """The sources with their provenance (`sources add FILE` adds one)."""
    if click_ctx.invoked_subcommand is None:
        click_ctx.invoke(sources_list, as_json=as_json)


@sources_group.command("list")
@reads(queries.list_sources)
def sources_list(items: list[Source]) -> None:
    """List the sources with their provenance."""
    table = Table(id_column(s.id for s in items), _("kind"), _("citation"))
    for s in items:
        cite = shown_citation(s.citation) + (f" {s.url}" if s.url else "")
        if s.accessed:
            cite += " " + _("(accessed {date})").format(date=s.accessed)
        table.add_row(_t(s.id), _t(s.kind), _t(cite))
    console.print(table)


@sources_group.command("add")
@click.argument("file", type=click.Path(path_type=Path, allow_dash=True))
@click.option("--title", help="Title (default: the page's own title for HTML and PDF).")
@click.option("--author", "authors", multiple=True, help="Author (repeatable).")
@click.option("--outlet", help="Outlet or publisher, e.g. Kompas, Jakarta Post.")
@click.option("--published", metavar="DATE", help="Publication date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--url", help="Where you found it.")
@click.option("--accessed", metavar="DATE", help="When you read it there (YYYY-MM-DD).")
@click.option("--language", type=click.Choice(usersources.LANGUAGES), help="Language of the text.")
@click.option(
    "--kind",
    type=click.Choice(usersources.SOURCE_KINDS),
    default="news",
    show_default=True,
    help="What it is.",
)
@json_option('Print JSON ({"id": ...}).')
@pass_ctx
def sources_add(
    ctx: Ctx,
    file: Path,
    title: str | None,
    authors: tuple[str, ...],
    outlet: str | None,
    published: str | None,
    url: str | None,
    accessed: str | None,
    language: str | None,
    kind: str,
    as_json: bool,
) -> None:
    """Add a source text: FILE is .txt, .md, .html (its main text), .pdf, or - (standard input).

    The text is stored verbatim, split into passages, searchable and citable; the source
    reader shows it. `suggest ID` then proposes cases from it.
    """
    with friendly_errors():
        got = sourcefiles.read_source(file, stdin=sys.stdin.buffer if str(file) == "-" else None)
        src = collection.NewSource(
            text=got.text,
            title=title or got.title,
            authors=authors or got.authors,
            outlet=outlet or got.outlet,
            published=published or got.published,
            url=url or got.url,
            accessed=accessed,
            language=language or got.language,
            kind=kind,
            file=got.file,
        )
        store = ctx.store()
        sid = collection.add_source(store, src)
        passages = usersources.passage_count(store.conn, sid)
    if as_json:
        emit_json({"id": sid, "passages": passages, "characters": len(got.text)})
        return
    console.print(
        _t(
            _("Added source {id}: {n} characters in {p} passage(s).").format(
                id=sid, n=number(len(got.text)), p=passages
            )
        )
    )
    console.print(_t(_("Next: paradiplo-tui suggest {id}").format(id=sid)), style="dim")


# ----------------------------------------------------------------------------- cases
def _quote_specs(quotes: tuple[str, ...], supports: tuple[str, ...]) -> tuple[Any, ...]:
    facts = tuple(s.strip() for part in supports for s in part.split(",") if s.strip())
    return tuple(collection.QuoteSpec(quote=q, supports=facts) for q in quotes)


@cases_group.command("add")
@click.option(
    "--region",
    required=True,
    help="Indonesian party: 'Kota Bandung', 'Pemkot Bandung', 'East Java'.",
)
@click.option("--partner", help="Foreign party as the source names it (empty if none).")
@click.option(
    "--partner-country", help="Partner's country: English or Indonesian name, or ISO code."
)
@click.option(
    "--type",
    "type",
    required=True,
    help="sister-city, mou, cooperation, programme, proposal, exploratory.",
)
@click.option("--partner-kind", type=ChoiceOf("paradiplo.db.collection", "PARTNER_KINDS"))
@click.option("--date", help="YYYY, YYYY-MM or YYYY-MM-DD, as precise as the source.")
@click.option("--date-as-stated", help="The date in the source's words.")
@click.option("--status", help="As stated: agreed, established, proposed, explored, ...")
@click.option("--sector", "sectors", multiple=True, help="Sector label or id (repeatable).")
@click.option("--title", help="Short title (default: made from the parties and type).")
@click.option("--summary", help="One-sentence summary.")
@click.option(
    "--source", "source_id", required=True, help="The source's id (paradiplo-tui sources)."
)
@click.option(
    "--quote", "quotes", multiple=True, help="Verbatim passage of the source (repeatable)."
)
@click.option(
    "--supports", "supports", multiple=True, help=f"Facts the quotes support: {FACTS_HELP}."
)
@ambiguous_option(
    "A bare name shared by a Kota and a Kabupaten (Bandung, Malang): refuse, take one, or keep it as stated."
)
@click.option(
    "--force",
    is_flag=True,
    help="Add it even if a case with the same region, partner and type exists.",
)
@json_option('Print JSON ({"id": ...}).')
@pass_ctx
def cases_add(
    ctx: Ctx,
    /,
    sectors: tuple[str, ...],
    quotes: tuple[str, ...],
    supports: tuple[str, ...],
    ambiguous: str,
    force: bool,
    as_json: bool,
    **fields: str | None,
) -> None:
    """Add your own case, citing a source; each --quote is checked against its text."""
    with friendly_errors():
        store = ctx.store()
        # The other options are named as the fields of the case they state.
        case = collection.CaseInput(
            **fields,
            sectors=collection.split_list(sectors),
            quotes=_quote_specs(quotes, supports),
        )
        cid = collection.add_case(store, case, force=force, ambiguous=ambiguous)
        d = queries.case_detail(store.conn, cid)
    if as_json:
        emit_json(
            {"id": cid, "title": d.title, "region": d.region.name, "evidence": len(d.evidence)}
        )
        return
    console.print(
        _t(
            _("Added case {id}: {title} ({n} quote(s)).").format(
                id=cid, title=d.title, n=len([e for e in d.evidence if e.quote])
            )
        )
    )


@cases_group.command("edit")
@click.argument("case_id")
@click.option(
    "--set",
    "sets",
    multiple=True,
    required=True,
    metavar="FIELD=VALUE",
    help="title, region, partner, partner_country, partner_kind, type, date, date_as_stated, "
    "status, summary or sectors ('a; b'); an empty VALUE clears it. Repeatable.",
)
@ambiguous_option()
@json_option()
@pass_ctx
def cases_edit(
    ctx: Ctx, case_id: str, sets: tuple[str, ...], ambiguous: str, as_json: bool
) -> None:
    """Change fields of one of your cases (bundled cases cannot be edited)."""
    changes: dict[str, str] = {}
    for item in sets:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.UsageError(
                _("--set '{item}': write FIELD=VALUE, e.g. --set date=2019").format(item=item)
            )
        changes[key.strip().replace("-", "_")] = value
    with friendly_errors():
        store = ctx.store()
        collection.update_case(store, case_id, changes, ambiguous=ambiguous)
        d = queries.case_detail(store.conn, case_id)
    if as_json:
        emit_json({"id": case_id, "title": d.title, "changed": sorted(changes)})
        return
    console.print(
        _t(
            _("Changed {fields} of {id}: {title}.").format(
                fields=", ".join(sorted(changes)), id=case_id, title=d.title
            )
        )
    )


@cases_group.command("delete")
@click.argument("case_id")
@pass_ctx
def cases_delete(ctx: Ctx, case_id: str) -> None:
    """Move one of your cases to the bin (`cases restore ID` puts it back; notes are kept)."""
    with friendly_errors():
        store = ctx.store()
        from paradiplo.db import notes as notes_api

        n_notes = len(notes_api.notes_for_case(store.conn, case_id))
        collection.delete_case(store, case_id)
    kept = (
        _("; its {n} note(s) are kept and listed as orphaned").format(n=n_notes) if n_notes else ""
    )
    console.print(
        _t(
            _("Deleted {id} (in the bin: paradiplo-tui cases restore {id}){kept}.").format(
                id=case_id, kept=kept
            )
        )
    )


@cases_group.command("restore")
@click.argument("case_id")
@pass_ctx
def cases_restore(ctx: Ctx, case_id: str) -> None:
    """Put a deleted case back from the bin."""
    with friendly_errors():
        collection.restore_case(ctx.store(), case_id)
    console.print(_t(_("Restored {id}.").format(id=case_id)))


@cases_group.command("deleted")
@reads(lambda conn: collection.list_deleted(conn))
def cases_deleted(items: list[Any]) -> None:
    """The bin: your deleted cases, newest first."""
    if not items:
        console.print(_("The bin is empty."))
        return
    table = Table(
        id_column(i.id for i in items),
        _("title"),
        _("deleted"),
        title=_("{n} deleted").format(n=number(len(items))),
    )
    for i in items:
        table.add_row(_t(i.id), _t(i.title), _t(i.deleted_at[:16].replace("T", " ")))
    console.print(table)


# ----------------------------------------------------------------------------- suggest
@command("suggest")
@click.argument("source_id")
@reads(lambda conn, source_id: suggest_api.suggest(conn, source_id))
def suggest_cmd(found: list[Any], source_id: str) -> None:
    """Candidate cases in a source's text (sentences naming an Indonesian region, a foreign
    place or country and a cooperation cue). Nothing is stored: add one with `cases add`."""
    if not found:
        console.print(_t(_("No candidate cases found in {id}.").format(id=source_id)))
        return
    for n, s in enumerate(found, 1):
        head = Text(f"{n}. ", style="bold") + _t(s.describe())
        head += Text(f"  [{data_label('type', s.type, s.type)}]", style="cyan")
        if s.sectors:
            sectors = ", ".join(data_label("sector", x, x) for x in s.sectors)
            head += Text("  " + _("sectors:") + " " + sectors, style="dim")
        console.print(head)
        console.print(
            Text("   “", style="dim") + _t(s.quote) + Text(f"”  ({s.start}-{s.end})", style="dim")
        )
        if s.existing:
            console.print(
                _t("   " + _("already in the collection:") + " " + ", ".join(s.existing)),
                style="yellow",
            )
        q = shlex.quote
        region_arg = s.region if s.region_code else s.region_as_stated
        cmd = (
            f"   paradiplo-tui cases add --source {q(s.source_id)} --region {q(region_arg)}"
            + (f" --partner {q(s.partner)}" if s.partner else "")
            + (f" --partner-country {s.partner_country}" if s.partner_country else "")
            + f" --type {s.type}"
            + "".join(f" --sector {q(x)}" for x in s.sectors)
            + f" --quote {q(s.quote)}"
        )
        console.print(_t(cmd), style="dim")
    tell(_("{n} candidate(s); none is stored until you add it.").format(n=len(found)))


COMMANDS = (sources_group, suggest_cmd)
