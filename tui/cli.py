"""The `paradiplo-tui` command: no subcommand opens the app; subcommands script the database."""

from __future__ import annotations

import importlib
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any, TypeVar

import click
from rich import box
from rich.console import Console
from rich.table import Column, Table
from rich.text import Text

from paradiplo.db import notes as notes_api
from paradiplo.db import queries
from paradiplo.db.datatext import actor_name
from paradiplo.db.derive import basis_text
from paradiplo.db.errors import ParadiploError
from paradiplo.db.files import atomic_text, write_atomic
from paradiplo.db.i18n import (
    LANGUAGES,
    N_,
    _,
    data_label,
    date_text,
    number,
    pgettext,
    set_language,
)
from paradiplo.db.models import CaseRow, Filters
from paradiplo.db.paths import resolve_db_path
from paradiplo.db.store import (
    ENV_READONLY,
    SQLITE_ERRORS,
    Store,
    UnusableDatabase,
    find_damage,
    open_store,
    swap_in,
    translate,
)
from paradiplo.db.text import clip, display_safe, facts_label
from paradiplo.tui.cli_i18n import TranslatedGroup


class _OnFirstUse:
    """A module imported when a command first uses it: launching the app (no subcommand)
    then does not pay for the import, search and recovery code (bench/RESULTS.md)."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)


db_io = _OnFirstUse("paradiplo.db.io")
notes_io = _OnFirstUse("paradiplo.db.notes_io")
recover = _OnFirstUse("paradiplo.db.recover")
resolve = _OnFirstUse("paradiplo.db.resolve")
seeds = _OnFirstUse("paradiplo.db.seeds")
search_api = _OnFirstUse("paradiplo.db.search")

F = TypeVar("F", bound=Callable[..., Any])
console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def _t(value: Any) -> Text:
    """User and source text as literal Rich Text (never markup)."""
    return Text(display_safe("" if value is None else str(value)))


def fail(message: str, code: int = 1) -> None:
    err_console.print(Text(_("Error:") + " ", style="bold red") + Text(display_safe(message)))
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
                    Text(_("Warning:") + " ", style="yellow")
                    + _t(
                        _("{path} is open read-only: {reason}.").format(
                            path=self.db_path, reason=self._store.readonly_reason
                        )
                    )
                )
        return self._store


pass_ctx = click.make_pass_decorator(Ctx)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(
    cls=TranslatedGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
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
@click.option(
    "--lang",
    "lang",
    type=click.Choice(LANGUAGES),
    help="Interface language: en or id (or $PARADIPLO_LANG, else your locale).",
)
@click.version_option(package_name="paradiplo-tui")
@click.pass_context
def main(ctx: click.Context, db: str | None, read_only: bool, lang: str | None) -> None:
    """Browse paradiplomacy cases, their sources and your study notes.

    Run with no command to open the app.
    """
    set_language(lang)
    ctx.obj = Ctx(db, read_only)
    if ctx.invoked_subcommand is None:
        if read_only:
            os.environ[ENV_READONLY] = "1"  # the app opens its database through open_store
        from paradiplo.tui.app import run_app

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
            counts = _counts(queries.stats(store.conn))
            done = (
                _("Refreshed the seed data in {path}: {counts}.")
                if existed
                else _("Built {path}: {counts}.")
            )
            console.print(_t(done.format(path=path, counts=counts)))
        else:
            console.print(
                _t(
                    _("{path} is up to date (use --force to rebuild the seed data).").format(
                        path=path
                    )
                )
            )


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
    if store.readonly:  # sound, but it cannot be written (a full disk): say why, change nothing
        reason = store.readonly_reason
        store.close()
        raise ParadiploError(f"Cannot rebuild {path}: {reason}. Nothing was changed.")
    try:
        counts = seeds.build(store.conn, seeds.load_seeds())
    except SQLITE_ERRORS as exc:
        problem = translate(exc, path)
        if not isinstance(problem, UnusableDatabase):
            raise problem from exc
        store.close()
        _replace(path, str(problem), "unreadable")
        return
    console.print(
        _t(
            _("Rebuilt the seed data in {path}: {counts}.").format(
                path=path, counts=_counts(counts)
            )
        )
    )


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
    err_console.print(
        _t(why + "\n" + _("Kept the old file as {moved} (a backup).").format(moved=moved))
    )
    console.print(
        _t(
            _("Built a new database at {path}: {counts}; {saved}.").format(
                path=path, counts=counts, saved=saved.describe()
            )
        )
    )


def _counts(counts: dict[str, int]) -> str:
    words = {
        "cases": _("cases"),
        "sources": _("sources"),
        "actors": _("actors"),
        "evidence": _("evidence"),
        "notes": _("notes"),
    }
    return ", ".join(f"{number(counts[k])} {w}" for k, w in words.items() if k in counts)


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
        console.print(_("OK: integrity, foreign keys and every evidence quote check out."))
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
    table = Table(_("table"), _("rows"), title=str(ctx.db_path))
    for k, v in counts.items():
        table.add_row(k, number(v))
    console.print(table)


@db_group.command("path")
@pass_ctx
def db_path(ctx: Ctx) -> None:
    """Print where the database is."""
    click.echo(str(ctx.db_path))


# ------------------------------------------------------------------------------ cases
@main.group("cases")
def cases_group() -> None:
    """List and show cases; add your own, edit, delete and restore them."""


@cases_group.command("list")
@click.option("--region", "-r", help="Province, regency/city or country (name or code).")
@click.option("--sector", "-s", multiple=True, help="Sector id or label (repeat to narrow).")
@click.option("--partner-country", "-c", help="Partner country (name or code).")
@click.option("--year", "year", type=int, help="Only cases dated in this year.")
@click.option("--from", "year_from", type=int, help="Only cases dated in or after this year.")
@click.option("--to", "year_to", type=int, help="Only cases dated in or before this year.")
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
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
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
    from paradiplo.tui.cli_stats import years

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


TYPE_SHORT = {
    "sister-city": N_("Sister city"),
    "mou": N_("MoU"),
    "cooperation": N_("Cooperation"),
    "programme": N_("Programme"),
    "proposal": N_("Invitation"),
    "exploratory": N_("Exploratory"),
}


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
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
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
        (_("Region"), f"{actor_name(d.region)} ({d.region.level}, {d.region.province_name or ''})"),
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
            + _t(e.citation)
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
    table = Table("id", _("English"), _("Indonesian"), _("cases"))
    for c in counts:
        table.add_row(c.id, c.label_en, c.label_id, number(c.count))
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
            console.print(_t(f"{'  ' * depth}{n.label} ({number(n.count)})  [{n.key}]"))
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
        console.print(_t(_("No matches for “{query}”.").format(query=text)))
        sys.exit(0)
    for h in hits:
        title = data_label("case_title", h.ref_id, h.title) if h.kind == "case" else h.title
        line = Text(f"{_search_kind(h.kind):8} ", style="dim") + Text(
            display_safe(title), style="bold"
        )
        line += Text(f"  {h.ref_id}", style="dim")
        console.print(line)
        console.print(Text("   ") + snippet_text(h.snippet))


def _search_kind(kind: str) -> str:
    """A hit's kind in the interface language (the app's search says the same)."""
    return {
        "case": pgettext("search hit", "case"),
        "passage": pgettext("search hit", "passage"),
        "note": pgettext("search hit", "note"),
        "term": pgettext("search hit", "term"),
        "law": pgettext("search hit", "law"),
    }.get(kind, kind)


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
            err_console.print(
                _t(_("Wrote {n} case(s) to {path}.").format(n=number(n), path=output))
            )
        else:
            db_io.export_cases(conn, fmt, sys.stdout)


@main.group("import")
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
@click.option(
    "--ambiguous",
    type=click.Choice(["error", "city", "regency", "keep"]),
    default="error",
    show_default=True,
    help="A bare name shared by a Kota and a Kabupaten: refuse the record, take the city, "
    "take the regency, or keep it as stated (marked unresolved).",
)
@pass_ctx
def import_cases(ctx: Ctx, file: Path, skip_invalid: bool, ambiguous: str) -> None:
    with friendly_errors(), _import_progress() as progress:
        result = db_io.import_cases(
            ctx.store(), file, skip_invalid=skip_invalid, ambiguous=ambiguous, progress=progress
        )
    summary = _("Imported {file}: {added} added, {updated} updated, {unchanged} unchanged").format(
        file=file,
        added=number(result.added),
        updated=number(result.updated),
        unchanged=number(result.unchanged),
    )
    if skip_invalid:
        summary += ", " + _("{n} rejected").format(n=number(result.rejected))
    console.print(_t(summary + "."))
    if result.rejected:
        err_console.print(
            _t(
                _("Rejected {n} record(s), written to {path}:").format(
                    n=number(result.rejected), path=result.rejected_file
                )
            )
        )
        for p in result.problems[:20]:
            err_console.print(_t(f"  {p}"))
        if result.rejected > 20 or len(result.problems) > 20:
            err_console.print(
                _t("  ... " + _("see {path} for every one").format(path=result.rejected_file))
            )
    if result.duplicates_total:
        err_console.print(
            Text(_("Warning:") + " ", style="yellow")
            + _t(_("{n} probable duplicate(s):").format(n=number(result.duplicates_total)))
        )
        for d in result.duplicates:
            err_console.print(_t(f"  {d}"))
        if result.duplicates_total > len(result.duplicates):
            err_console.print(
                _t(
                    "  ... "
                    + _("and {n} more").format(
                        n=number(result.duplicates_total - len(result.duplicates))
                    )
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
    console.print(
        _t(
            _("Imported {file}: {added} added, {updated} updated, {unchanged} unchanged").format(
                file=file, added=number(added), updated=number(updated), unchanged=number(unchanged)
            )
            + "."
        )
    )


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
    console.print(_t(_("Saved note {id} on {case}.").format(id=note.id, case=case_id)))


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
            _t(n.updated_at[:16].replace("T", " ")),
            _t(clip(first, 80, "…")),
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
@click.option(
    "--bib",
    type=click.Path(dir_okay=False),
    help="Markdown: also write the BibTeX of every cited source to FILE (for pandoc --citeproc).",
)
@click.option(
    "--style",
    type=click.Choice(["apa", "chicago", "apa-id"]),
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
            err_console.print(
                _t(
                    _(
                        "Wrote the BibTeX of {n} cited source(s) to {bib}, the style to {csl}."
                    ).format(n=number(len(cited)), bib=bib, csl=csl_path)
                )
            )
        else:
            text = notes_io.export_text(ctx.store().conn, fmt, by, style)
        if output:
            write_atomic(Path(output), text)
            err_console.print(_t(_("Wrote notes to {path}.").format(path=output)))
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

        from paradiplo.db.paths import data_dir

        log = data_dir() / "crash.log"
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            with log.open("a", encoding="utf-8") as fh:
                fh.write(traceback.format_exc() + "\n")
            where = _("details are in {path}").format(path=log)
        except OSError:
            where = _("the details could not be saved")
        fail(
            _("Unexpected error ({error}); {where}. Please report it.").format(
                error=f"{type(exc).__name__}: {exc}", where=where
            )
        )


# Commands defined in their own modules (they import this one and register on `main`).
from paradiplo.tui import (  # noqa: E402,F401
    cli_cite,
    cli_collection,
    cli_laws,
    cli_publish,
    cli_stats,
)

if __name__ == "__main__":
    entry()
