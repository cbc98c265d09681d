"""`paradiplo-tui stats` (counts by one dimension, a matrix of two, charts for a paper) and
`paradiplo-tui export network` (regions and partners as a graph), on the filters of `cases list`.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import Any

import click
from rich.table import Column, Table

from paradiplo.db import stats as stats_api
from paradiplo.db.derive import STAGES
from paradiplo.db.errors import ParadiploError
from paradiplo.db.i18n import _, number
from paradiplo.db.models import Filters
from paradiplo.tui.cli_base import (
    Ctx,
    _t,
    console,
    emit_json,
    fields_of,
    format_option,
    friendly_errors,
    group,
    json_option,
    options,
    output_option,
    pass_ctx,
    tell,
)
from paradiplo.tui.cli_cases import PLACE_OPTIONS, YEAR_OPTIONS, resolve, years
from paradiplo.tui.cli_io import export_group

# The filters of `cases list`, with the year range, type and stage.
filter_options = options(
    YEAR_OPTIONS,
    PLACE_OPTIONS,
    click.option("--type", "case_type", help="Case type id or label (e.g. mou, sister-city)."),
    click.option("--stage", help="Lifecycle stage (" + ", ".join(STAGES) + ")."),
)
CHART_FORMATS = ("table", "svg", "png")  # svg/png: a chart written to -o FILE


def make_filters(conn: Any, opts: dict[str, Any]) -> Filters:
    y0, y1 = years(opts.get("year"), opts.get("year_from"), opts.get("year_to"))
    region, partner = opts.get("region"), opts.get("partner_country")
    stage = opts.get("stage")
    if stage is not None:
        from paradiplo.db.derive import stage_id

        stage = stage_id(stage)
    ctype = opts.get("case_type")
    return Filters(
        region=resolve.region_key(conn, region) if region else None,
        partner=resolve.country_key(conn, partner) if partner else None,
        sectors=tuple(resolve.sector_id(conn, s) for s in opts.get("sector") or ()),
        year_from=y0,
        year_to=y1,
        case_type=stats_api.type_id(conn, ctype) if ctype else None,
        stage=stage,
    )


def _write_chart(fig: Any, output: str | None, fmt: str) -> None:
    if not output:
        raise ParadiploError(f"--format {fmt} writes a file: give -o FILE.")
    tmp = Path(output + ".part")
    fig.savefig(tmp, format=fmt, bbox_inches="tight")
    tmp.replace(output)
    tell(_("Wrote {path}.").format(path=output))


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ParadiploError(
            "Charts need matplotlib: pip install 'paradiplo-tui[charts]' (or pip install matplotlib)."
        ) from exc
    return plt


def _describe(f: Filters) -> str:
    bits = []
    if f.region:
        bits.append(f.region)
    if f.partner:
        bits.append(f.partner)
    bits += list(f.sectors)
    if f.years_label():
        bits.append(f.years_label())
    if f.case_type is not None:
        bits.append(f.case_type or "type not stated")
    if f.stage:
        bits.append(f.stage)
    return ", ".join(bits)


# ------------------------------------------------------------------------------ stats
@group("stats", invoke_without_command=True)
@click.option(
    "--by",
    "by",
    type=click.Choice(stats_api.DIMENSIONS),
    help="Count the cases by this dimension.",
)
@filter_options
@json_option("Print JSON: a list of {label, count}.")
@format_option(CHART_FORMATS, help="svg/png: a bar chart (matplotlib) written to -o FILE.")
@output_option("The chart's file.")
@click.pass_context
def stats_group(
    ctx: click.Context,
    /,
    by: str | None,
    as_json: bool,
    fmt: str,
    output: str | None,
    **opts: Any,
) -> None:
    """Count cases by province, region, partner country, sector, year, type, stage or category.

    Takes the filters of `cases list`. `stats matrix` crosses two dimensions. A case counts
    once in each of its sectors.
    """
    if ctx.invoked_subcommand is not None:
        return
    if by is None:
        click.echo(ctx.get_help())
        ctx.exit(0)
    obj = ctx.find_object(Ctx)
    assert obj is not None
    with friendly_errors():
        conn = obj.store().conn
        f = make_filters(conn, opts)
        items = stats_api.counts(conn, by, f)
        if fmt in ("svg", "png"):
            plt = _pyplot()
            height = max(2.5, 0.28 * len(items) + 1)
            fig, ax = plt.subplots(figsize=(7, height))
            labels = [c.shown for c in items]
            values = [c.count for c in items]
            bars = ax.barh(range(len(items)), values, color="#4c72b0")
            ax.set_yticks(range(len(items)), labels, fontsize=8)
            ax.invert_yaxis()
            ax.bar_label(bars, labels=[f"{v:,}" for v in values], fontsize=7, padding=2)
            title = _("Cases by {dimension}").format(dimension=_(stats_api.DIMENSION_LABELS[by]))
            described = _describe(f)
            ax.set_title(title + (f" ({described})" if described else ""), fontsize=10)
            ax.set_xlabel(_("cases"))
            ax.spines[["top", "right"]].set_visible(False)
            _write_chart(fig, output, fmt)
            plt.close(fig)
            return
    if as_json:
        emit_json([fields_of(c, "label", "count", "key") for c in items])
        return
    table = Table(
        _(stats_api.DIMENSION_LABELS[by]),
        Column(_("cases"), justify="right"),
        title=_("Cases by {dimension}").format(dimension=_(stats_api.DIMENSION_LABELS[by])),
    )
    for c in items:
        table.add_row(_t(c.shown), f"{c.count:,}")
    console.print(table)


@stats_group.command("matrix")
@click.option("--rows", "rows_dim", type=click.Choice(stats_api.MATRIX_DIMENSIONS), required=True)
@click.option("--cols", "cols_dim", type=click.Choice(stats_api.MATRIX_DIMENSIONS), required=True)
@filter_options
@json_option("Print JSON: rows, columns and cells.")
@click.option(
    "--csv", "as_csv", is_flag=True, help="Print CSV: a header of columns, a line per row."
)
@format_option(CHART_FORMATS, help="svg/png: a heat map (matplotlib) written to -o FILE.")
@output_option("The chart's or CSV's file.")
@click.option(
    "--top", type=click.IntRange(1), default=None, help="Only the N largest rows and columns."
)
@pass_ctx
def stats_matrix(
    ctx: Ctx,
    /,
    rows_dim: str,
    cols_dim: str,
    as_json: bool,
    as_csv: bool,
    fmt: str,
    output: str | None,
    top: int | None,
    **opts: Any,
) -> None:
    """Cases by two dimensions: a cell per row and column value, rows and columns sorted by
    their totals (e.g. --rows province --cols country)."""
    with friendly_errors():
        conn = ctx.store().conn
        f = make_filters(conn, opts)
        m = stats_api.matrix(conn, rows_dim, cols_dim, f)
        rows, cols = (m.rows[:top], m.cols[:top]) if top else (m.rows, m.cols)
        if fmt in ("svg", "png"):
            plt = _pyplot()
            rows, cols = rows[:40], cols[:30]
            grid = [[m.cell(r.key, c.key) for c in cols] for r in rows]
            fig, ax = plt.subplots(
                figsize=(max(5, 0.35 * len(cols) + 3), max(3, 0.3 * len(rows) + 2))
            )
            image = ax.imshow(grid, cmap="Blues", aspect="auto")
            ax.set_xticks(
                range(len(cols)), [c.shown for c in cols], rotation=60, ha="right", fontsize=7
            )
            ax.set_yticks(range(len(rows)), [r.shown for r in rows], fontsize=7)
            if len(rows) * len(cols) <= 400:
                peak = max((v for line in grid for v in line), default=0)
                for i, line in enumerate(grid):
                    for j, v in enumerate(line):
                        if v:
                            ax.text(
                                j,
                                i,
                                f"{v:,}",
                                ha="center",
                                va="center",
                                fontsize=6,
                                color="white" if v > peak / 2 else "black",
                            )
            fig.colorbar(image, ax=ax, label=_("cases"))
            described = _describe(f)
            ax.set_title(
                _("Cases by {rows} and {cols}").format(
                    rows=_(stats_api.DIMENSION_LABELS[rows_dim]),
                    cols=_(stats_api.DIMENSION_LABELS[cols_dim]),
                )
                + (f" ({described})" if described else ""),
                fontsize=10,
            )
            _write_chart(fig, output, fmt)
            plt.close(fig)
            return
        if as_json:
            emit_json(
                {
                    "rows_dim": rows_dim,
                    "cols_dim": cols_dim,
                    "total": m.total,
                    "rows": [fields_of(r, "label", "key", "count") for r in rows],
                    "cols": [fields_of(c, "label", "key", "count") for c in cols],
                    "cells": [[m.cell(r.key, c.key) for c in cols] for r in rows],
                }
            )
            return
        if as_csv:
            buf = io.StringIO()
            writer = csv.writer(buf)
            writer.writerow(
                [stats_api.DIMENSION_LABELS[rows_dim], *[c.label for c in cols], "total"]
            )
            for r in rows:
                writer.writerow([r.label, *[m.cell(r.key, c.key) for c in cols], r.count])
            writer.writerow(["total", *[c.count for c in cols], m.total])
            if output:
                Path(output).write_text(buf.getvalue(), encoding="utf-8")
                tell(_("Wrote {path}.").format(path=output))
            else:
                sys.stdout.write(buf.getvalue())
            return
    table = Table(
        _(stats_api.DIMENSION_LABELS[rows_dim]),
        *[Column(header=_t(c.shown), justify="right") for c in cols],
        Column(_("total"), justify="right"),
    )
    for r in rows:
        table.add_row(_t(r.shown), *[str(m.cell(r.key, c.key) or "") for c in cols], f"{r.count:,}")
    console.print(table)


# ------------------------------------------------------------------------------ network
@export_group.command("network")
@format_option(("graphml", "gexf", "csv"))
@output_option("Write to FILE (csv: the edges; the nodes go to FILE's name with -nodes).")
@filter_options
@pass_ctx
def export_network(ctx: Ctx, /, fmt: str, output: str | None, **opts: Any) -> None:
    """Regions and partners as nodes, cases as edges, for Gephi or networkx.

    Nodes carry name, side (region or partner), country, level, kind and province; each case
    is an edge with case_id, title, type, year and sectors. Cases whose source names no
    partner have no edge (how many is said).
    """
    with friendly_errors():
        conn = ctx.store().conn
        f = make_filters(conn, opts)
        left_out = stats_api.unnamed_partner_cases(conn, f)
        if fmt == "csv":
            _network_csv(conn, f, output)
        else:
            import networkx as nx

            graph = stats_api.network_graph(conn, f)
            writer = nx.write_graphml if fmt == "graphml" else nx.write_gexf
            target = Path(output) if output else None
            if target is None:
                buf = io.BytesIO()
                writer(graph, buf)
                sys.stdout.buffer.write(buf.getvalue())
            else:
                tmp = target.with_name(target.name + ".part")
                writer(graph, tmp)
                tmp.replace(target)
            if output:
                tell(
                    _("Wrote {nodes} nodes and {edges} edges to {path}.").format(
                        nodes=graph.number_of_nodes(),
                        edges=graph.number_of_edges(),
                        path=output,
                    )
                )
        if left_out:
            tell(_("{n} case(s) name no partner and have no edge.").format(n=number(left_out)))


def _network_csv(conn: Any, f: Filters, output: str | None) -> None:
    if not output:
        _edges_csv(sys.stdout, conn, f)
        return
    path = Path(output)
    nodes_path = path.with_name(f"{path.stem}-nodes{path.suffix or '.csv'}")
    with path.open("w", encoding="utf-8", newline="") as fh:
        _edges_csv(fh, conn, f)
    with nodes_path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "side", "country", "level", "kind", "province"])
        for n in stats_api.network_nodes(conn, f):
            w.writerow([n.id, n.name, n.side, n.country, n.level, n.kind, n.province])
    tell(
        _("Wrote the edges to {path} and the nodes to {nodes}.").format(path=path, nodes=nodes_path)
    )


def _edges_csv(fh: Any, conn: Any, f: Filters) -> None:
    w = csv.writer(fh)
    w.writerow(["source", "target", "case_id", "title", "type", "year", "sectors"])
    for e in stats_api.network_edges(conn, f):
        w.writerow(
            [e.source, e.target, e.case_id, e.title, e.type, e.year or "", ";".join(e.sectors)]
        )


COMMANDS = (stats_group,)
