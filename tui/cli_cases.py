"""`paradiplo-tui cases list/show`, `sectors` and `regions`: reading the collection. The
filters of `cases list` are defined here for the commands that take them too (`stats`).
`cases add/edit/delete/restore/deleted` join the group from tui/cli_collection.py."""

from __future__ import annotations

from dataclasses import asdict, replace

import click
from rich import box
from rich.table import Table
from rich.text import Text

from paradiplo.db import notes as notes_api
from paradiplo.db import queries
from paradiplo.db.datatext import actor_name
from paradiplo.db.derive import basis_text
from paradiplo.db.errors import ParadiploError
from paradiplo.db.i18n import _, data_label, date_text, number
from paradiplo.db.labels import TYPE_SHORT, actor_level
from paradiplo.db.models import CaseRow, Filters, RegionNode, SectorCount
from paradiplo.db.sourceread import shown_citation
from paradiplo.db.text import display_safe, facts_label
from paradiplo.tui.cli_base import (
    Ctx,
    OnFirstUse,
    _t,
    command,
    console,
    emit_json,
    err_console,
    friendly_errors,
    group,
    json_option,
    options,
    pass_ctx,
    reads,
)

db_io = OnFirstUse("paradiplo.db.io")
resolve = OnFirstUse("paradiplo.db.resolve")

# ---------------------------------------------------------------------------- filters
PLACE_OPTIONS = options(
    click.option("--region", "-r", help="Province, regency/city or country (name or code)."),
    click.option("--sector", "-s", multiple=True, help="Sector id or label (repeat to narrow)."),
    click.option("--partner-country", "-c", help="Partner country (name or code)."),
)
YEAR_OPTIONS = options(
    click.option("--year", "year", type=int, help="Only cases dated in this year."),
    click.option("--from", "year_from", type=int, help="Only cases dated in or after this year."),
    click.option("--to", "year_to", type=int, help="Only cases dated in or before this year."),
)


def years(
    year: int | None, year_from: int | None, year_to: int | None
) -> tuple[int | None, int | None]:
    """The year range asked for, checked."""
    if year is not None:
        if year_from is not None or year_to is not None:
            raise ParadiploError(_("Give --year alone, or --from and/or --to, not both."))
        return year, year
    if year_from is not None and year_to is not None and year_from > year_to:
        raise ParadiploError(
            _("--from {start} is after --to {end}: swap them.").format(start=year_from, end=year_to)
        )
    return year_from, year_to


# ------------------------------------------------------------------------------ cases
@group("cases")
def cases_group() -> None:
    """List and show cases; add your own, edit, delete and restore them."""


@cases_group.command("list")
@PLACE_OPTIONS
@YEAR_OPTIONS
@click.option(
    "--stage",
    help="Derived lifecycle stage: exploration (penjajakan), intent (LoI), agreement (MoU),"
    " implementation, unknown.",
)
@click.option(
    "--sort",
    type=click.Choice(["year", "-year", "title", "region", "partner"]),
    default="-year",
    show_default=True,
)
@click.option("--limit", type=int, default=0, help="At most N cases (0: all).")
@json_option()
@pass_ctx
def cases_list(
    ctx: Ctx,
    region: str | None,
    sector: tuple[str, ...],
    partner_country: str | None,
    year: int | None,
    year_from: int | None,
    year_to: int | None,
    stage: str | None,
    sort: str,
    limit: int,
    as_json: bool,
) -> None:
    """List cases, optionally filtered.

    Names are read in any common form: `--region Jatim`, `"Pemkot Kediri"`, `"Malang
    Regency"`, `--partner-country Korsel`. A regency or city also lists the cases whose
    source leaves open whether it is that one (marked "may be"). Years: --year 2017, or
    --from 2010 --to 2020.
    """
    with friendly_errors():
        from paradiplo.db.derive import stage_id

        conn = ctx.store().conn
        where = resolve.region_filter(conn, region) if region else None
        partner = resolve.country_key(conn, partner_country) if partner_country else None
        sectors = tuple(resolve.sector_id(conn, s) for s in sector)
        stage_key = stage_id(stage) if stage else None
        y0, y1 = years(year, year_from, year_to)
        filters = Filters(
            region=where.key if where else None,
            partner=partner,
            sectors=sectors,
            stage=stage_key,
            year_from=y0,
            year_to=y1,
        )
        rows = queries.list_cases(conn, filters, sort=sort, limit=limit or -1)
        maybe: list[CaseRow] = []
        for key in where.possible if where else ():
            if limit and len(rows) + len(maybe) >= limit:
                break
            more = replace(filters, region=key)
            maybe += queries.list_cases(conn, more, sort=sort, limit=limit or -1)
        if limit:
            maybe = maybe[: max(0, limit - len(rows))]
        if as_json:
            ids = [r.id for r in rows + maybe]
            by_id = {rec["id"]: rec for rec in db_io.iter_case_records(conn, ids)} if ids else {}
            possible = {r.id for r in maybe}
            records = [by_id[i] for i in ids]
            if where:
                for rec in records:
                    rec["region_match"] = "may be" if rec["id"] in possible else "is"
            emit_json(records)
            return
    caption = _t(where.resolution) if where else None
    console.print(cases_table(rows, console.width, maybe=maybe, caption=caption))


def _short_region(name: str) -> str:
    for long, short in (("Kabupaten ", "Kab. "), ("Provinsi ", "")):
        if name.startswith(long):
            return short + name[len(long) :]
    return name


def cases_table(
    rows: list[CaseRow],
    width: int,
    *,
    maybe: list[CaseRow] | None = None,
    caption: Text | None = None,
) -> Table:
    """The case list fitted to `width` columns of terminal: ids whole (the other commands take
    them), then the parties, then the type; what does not fit is shortened in that order
    (short type labels, the country as its code beside the partner, "Kab."/"Prov." for
    regions, names cut with …), and headers never break. `--json` / `export` stay complete.
    `maybe` are cases whose region may be the one asked for (listed after, marked so)."""
    possible = list(maybe or [])

    def plan(level: int) -> tuple[list[str], list[list[str]]]:
        short = level >= 1
        heads = [_("year"), "id", _("Indonesian party"), _("partner")]
        if level < 2:
            heads.append(_("country"))
        heads.append(_("type"))
        body = []
        for r in rows + possible:
            partner = _("(not named)") if r.partner_name == "(not named)" else r.partner_name
            if level >= 2 and r.partner_country and r.partner_country != r.partner_name:
                partner += f" ({r.partner_country_code or r.partner_country})"
            line = [
                str(r.year or "—"),
                r.id,
                (_short_region(r.region_name) if level >= 3 else r.region_name)
                + (" " + _("(may be)") if r in possible else ""),
                partner,
            ]
            if level < 2:
                line.append(data_label("country", r.partner_country_code, r.partner_country or ""))
            kind = data_label("type", r.type, r.type_label)
            line.append(_(TYPE_SHORT[r.type]) if short and r.type in TYPE_SHORT else kind)
            body.append(line)
        return heads, body

    def natural(heads: list[str], body: list[list[str]]) -> list[int]:
        return [max([len(h), *(len(b[i]) for b in body)]) for i, h in enumerate(heads)]

    level = 0
    heads, body = plan(level)
    while sum(natural(heads, body)) + 2 * len(heads) - 1 > width and level < 3:
        level += 1
        heads, body = plan(level)
    widths = natural(heads, body)
    # Still too wide: the names give way (down to 10 cells each), then the type, then the year.
    flexible = [
        i for i, h in enumerate(heads) if h in (_("Indonesian party"), _("partner"), _("country"))
    ]
    for drop in (None, _("type"), _("year")):
        if drop in heads:
            i = heads.index(drop)
            del heads[i], widths[i]
            body = [[c for j, c in enumerate(b) if j != i] for b in body]
            flexible = [
                i
                for i, h in enumerate(heads)
                if h in (_("Indonesian party"), _("partner"), _("country"))
            ]
        over = sum(widths) + 2 * len(heads) - 1 - width
        while over > 0:
            widest = max(flexible, key=lambda i: widths[i], default=None)
            if widest is None or widths[widest] <= 10:
                break
            widths[widest] -= 1
            over -= 1
        if over <= 0:
            break
    title = _("{n} case(s)").format(n=number(len(rows)))
    if possible:
        title += " " + _("and {n} that may be it").format(n=number(len(possible)))
    table = Table(
        title=title,
        caption=caption,
        box=box.SIMPLE_HEAD,
        show_edge=False,
        padding=(0, 1, 0, 0),
    )
    for h, w in zip(heads, widths, strict=True):
        if h == _("Indonesian party") and w < len(h):
            h = _("region")
        table.add_column(h, no_wrap=True, overflow="ellipsis", width=w)
    if _("partner") in heads:
        # The partner's name is cut before its country code ("Shizuoka Pr… (JP)").
        i, w = heads.index(_("partner")), widths[heads.index(_("partner"))]
        for b in body:
            name, sep, code = b[i].rpartition(" (")
            if sep and len(b[i]) > w and len(code) <= 4 and w > len(code) + 4:
                b[i] = name[: w - len(code) - 3] + "…" + sep + code
    for b in body:
        table.add_row(*(_t(c) for c in b))
    return table


@cases_group.command("show")
@click.argument("case_id")
@json_option()
@pass_ctx
def cases_show(ctx: Ctx, case_id: str, as_json: bool) -> None:
    """Show one case with every quote behind it. CASE_ID may be a unique beginning of an id."""
    with friendly_errors():
        conn = ctx.store().conn
        case_id, completed = queries.find_case_id(conn, case_id)
        if completed:
            err_console.print(Text(_("Showing") + " ", style="dim") + _t(case_id))
        d = queries.case_detail(conn, case_id)
        notes = notes_api.notes_for_case(conn, case_id)
        if as_json:
            rec = next(db_io.iter_case_records(conn, [case_id]))
            rec["detail"] = asdict(d)
            rec["notes"] = [asdict(n) for n in notes]
            emit_json(rec)
            return
    console.print(Text(display_safe(data_label("case_title", d.id, d.title)), style="bold"))
    if d.summary:
        console.print(
            Text(display_safe(data_label("case_summary", d.id, d.summary)), style="italic")
        )
    not_stated = _("not stated")
    partner = (
        actor_name(d.partner)
        if d.partner
        else _("not named ({as_stated})").format(as_stated=d.partner_as_stated or "—")
    )
    country = (
        data_label("country", d.partner.country_code, d.partner.country_name)
        if d.partner and d.partner.country_name
        else ""
    )
    type_label = data_label("type", d.type, d.type_label)
    rows = [
        (
            _("Region"),
            f"{actor_name(d.region)} ({actor_level(d.region.level)}, {d.region.province_name or ''})",
        ),
        (_("Partner"), partner + (f", {country}" if country else "")),
        (
            _("Type"),
            type_label
            + (" — " + _("as stated:") + f" {d.type_as_stated}" if d.type_as_stated else ""),
        ),
        (_("Date"), d.date_as_stated or date_text(d.date) or not_stated),
        (_("Status"), d.status_as_stated or d.status or not_stated),
        (
            _("Sectors"),
            ", ".join(data_label("sector", s.id, s.label_en) for s in d.sectors) or not_stated,
        ),
        (
            _("Category"),
            _("{value} (derived: {basis})").format(
                value=d.category or "—", basis=basis_text(d.category_basis)
            ),
        ),
        (_("Stage"), f"{_(d.stage_label) if d.stage_label else '—'} ({basis_text(d.stage_basis)})"),
    ]
    for k, v in rows:
        console.print(Text(f"{k}: ", style="bold") + _t(v))
    for u in d.unclear:
        console.print(
            Text(_("Unclear:") + " ", style="yellow") + _t(data_label("case_unclear", d.id, u))
        )
    sector_labels = {s.id: data_label("sector", s.id, s.label_en) for s in d.sectors}
    for e in d.evidence:
        console.print(
            Text("\n“", style="dim")
            + _t(e.quote or _("(no quote recorded)"))
            + Text("”", style="dim")
        )
        console.print(
            Text("  — ", style="dim")
            + _t(shown_citation(e.citation))
            + Text(
                "  " + _("supports:") + f" {facts_label(e.supports, sector_labels, _) or '—'}",
                style="dim",
            )
        )
    if notes:
        console.print(Text("\n" + _("Notes ({n})").format(n=number(len(notes))), style="bold"))
        for n in notes:
            console.print(Text(f"[{n.updated_at[:16]}] ", style="dim") + _t(n.body))


# ------------------------------------------------------------------------ vocabularies
@command("sectors")
@reads(lambda conn: queries.sector_counts(conn, Filters()))
def sectors_cmd(counts: list[SectorCount]) -> None:
    """The sector vocabulary with case counts."""
    table = Table("id", _("English"), _("Indonesian"), _("cases"))
    for c in counts:
        table.add_row(c.id, c.label_en, c.label_id, number(c.count))
    console.print(table)


@command("regions")
@reads(queries.region_tree)
def regions_cmd(tree: list[RegionNode]) -> None:
    """The regions with cases, as a tree with counts."""
    print_tree(tree)


def print_tree(nodes: list[RegionNode], depth: int = 0) -> None:
    for n in nodes:
        console.print(_t(f"{'  ' * depth}{n.label} ({number(n.count)})  [{n.key}]"))
        print_tree(n.children, depth + 1)


COMMANDS = (cases_group, sectors_cmd, regions_cmd)
