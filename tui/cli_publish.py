"""Sharing a collection: `publish OUT_DIR` (a read-only copy for Datasette, personal notes
left out) and `serve [OUT_DIR]` (Datasette on it, on this machine only unless --host says
otherwise). tui/cli.py registers them."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import click

from paradiplo.db.i18n import _, number
from paradiplo.tui.cli_base import Ctx, command, fail, friendly_errors, pass_ctx, tell

LOOPBACK = ("127.0.0.1", "localhost", "::1")
INSTALL_HINT = (
    "Datasette is not installed; `serve` needs it. Install it with "
    "pip install 'paradiplo-tui[serve]' (from a checkout: .venv/bin/pip install -e '.[serve]'), "
    "or serve the published folder with any Datasette: datasette serve -i OUT_DIR/paradiplo.db "
    "--metadata OUT_DIR/metadata.json."
)


@command("publish")
@click.argument("out_dir", type=click.Path(path_type=Path))
@click.option("--with-notes", is_flag=True, help="Include your study notes (left out by default).")
@click.option("--title", metavar="T", help="Title shown on the published site.")
@pass_ctx
def publish_cmd(ctx: Ctx, out_dir: Path, with_notes: bool, title: str | None) -> None:
    """Write OUT_DIR/paradiplo.db, a copy of the collection without your notes, drafts or
    anything personal, and OUT_DIR/metadata.json for Datasette (title, licence and source of
    the region data, the sources' provenance, facets, search, canned queries)."""
    with friendly_errors():
        from paradiplo.db import publish

        publish.check_out_dir(out_dir)
        result = publish.publish(ctx.store(), out_dir, with_notes=with_notes, title=title)
    own = (
        ", " + _("{n} of them yours").format(n=number(result.user_cases))
        if result.user_cases
        else ""
    )
    notes = (
        _("{n} note(s) included").format(n=number(result.notes))
        if with_notes
        else _("no notes (use --with-notes)")
    )
    tell(
        _("Published {n} case(s){own}, {notes}, to {path}:").format(
            n=number(result.cases), own=own, notes=notes, path=out_dir
        )
    )
    tell(
        f"  {result.db_path}  ("
        + _("open it: {command}").format(command=f"paradiplo-tui --db {result.db_path} --read-only")
        + ")"
    )
    tell(
        f"  {result.metadata_path}  ("
        + _("serve it: {command}").format(command=f"paradiplo-tui serve {out_dir}")
        + ")"
    )


@command("serve")
@click.argument("out_dir", required=False, type=click.Path(path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 0.0.0.0 shares it with the local network.",
)
@pass_ctx
def serve_cmd(ctx: Ctx, out_dir: Path | None, port: int, host: str) -> None:
    """Browse a published collection in a web browser with Datasette, read-only (immutable).
    Without OUT_DIR, publishes the collection (no notes) to `published/` in the data
    directory first."""
    if importlib.util.find_spec("datasette") is None:
        fail(INSTALL_HINT)
    with friendly_errors():
        from paradiplo.db import publish
        from paradiplo.db.paths import data_dir

        if out_dir is None:
            out_dir = data_dir() / "published"
            publish.publish(ctx.store(), out_dir)
        db_file, meta = out_dir / publish.DB_NAME, out_dir / publish.METADATA_NAME
        if not db_file.is_file():
            fail(
                _(
                    "{path} holds no published collection ({file} is missing); run: {command}"
                ).format(
                    path=out_dir, file=publish.DB_NAME, command=f"paradiplo-tui publish {out_dir}"
                )
            )
    if host not in LOOPBACK:
        tell(
            _("Note: listening on {host}: anyone who can reach this machine can browse it.").format(
                host=host
            )
        )
    shown = f"[{host}]" if ":" in host else host
    tell(
        _("Serving {path} read-only at {url} (Ctrl+C stops it).").format(
            path=db_file, url=f"http://{shown}:{port}/"
        )
    )
    args = [sys.executable, "-m", "datasette", "serve", "-i", str(db_file)]
    if meta.is_file():
        args += ["--metadata", str(meta)]
    # Long quotes and references are cut in the table pages (a row stays a few lines high);
    # each row's own page and the JSON and CSV exports have them whole.
    args += ["--setting", "truncate_cells_html", "180", "--host", host, "--port", str(port)]
    sys.stdout.flush()
    sys.stderr.flush()
    # Datasette takes this process's place: a signal that stops `serve` stops the server.
    os.execv(sys.executable, args)


COMMANDS = (publish_cmd, serve_cmd)
