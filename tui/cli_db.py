"""`paradiplo-tui db`: build, check and describe the database."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.table import Table

from paradiplo.db import queries
from paradiplo.db.errors import ParadiploError
from paradiplo.db.i18n import _, number
from paradiplo.db.store import (
    SQLITE_ERRORS,
    UnusableDatabase,
    find_damage,
    open_store,
    swap_in,
    translate,
)
from paradiplo.tui.cli_base import (
    Ctx,
    OnFirstUse,
    _t,
    console,
    current_db,
    emit_json,
    friendly_errors,
    group,
    json_option,
    pass_ctx,
    reads,
    tell,
)

recover = OnFirstUse("paradiplo.db.recover")
seeds = OnFirstUse("paradiplo.db.seeds")


@group("db")
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
                _("Read-only mode (--read-only or PARADIPLO_READONLY) is on: nothing was built.")
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
        why = _("{path} is open read-only: {reason}.")
        _replace(path, why.format(path=path, reason=store.readonly_reason), "newer")
        return
    damage = find_damage(store) or (store.readonly_reason if store.damaged else None)
    if damage is not None:
        store.close()
        _replace(
            path, _("{path} is damaged ({damage}).").format(path=path, damage=damage), "unreadable"
        )
        return
    if store.readonly:  # sound, but it cannot be written (a full disk): say why, change nothing
        reason = store.readonly_reason
        store.close()
        raise ParadiploError(
            _("Cannot rebuild {path}: {reason}. Nothing was changed.").format(
                path=path, reason=reason
            )
        )
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
    tell(why + "\n" + _("Kept the old file as {moved} (a backup).").format(moved=moved))
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
@json_option()
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
@reads(queries.stats, dict)
def db_stats(counts: dict[str, int]) -> None:
    """Count the records in each table."""
    table = Table(_("table"), _("rows"), title=str(current_db()))
    for k, v in counts.items():
        table.add_row(k, number(v))
    console.print(table)


@db_group.command("path")
@pass_ctx
def db_path(ctx: Ctx) -> None:
    """Print where the database is."""
    click.echo(str(ctx.db_path))


COMMANDS = (db_group,)
