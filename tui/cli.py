"""The `paradiplo-tui` command: no subcommand opens the app; subcommands script the database.

The commands live in modules by topic (tui/cli_<topic>.py), which share tui/cli_base.py; this
module holds the group, registers their commands on it, and is the installed entry point.
"""

from __future__ import annotations

import os
import sys

import click

from paradiplo.db.i18n import LANGUAGES, _
from paradiplo.db.store import ENV_READONLY
from paradiplo.tui import (
    cli_cases,
    cli_cite,
    cli_collection,
    cli_db,
    cli_io,
    cli_laws,
    cli_notes,
    cli_publish,
    cli_search,
    cli_stats,
)
from paradiplo.tui.cli_base import Ctx, fail, friendly_errors
from paradiplo.tui.cli_i18n import VERSION_MESSAGE, TranslatedGroup, use_language


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
@click.version_option(package_name="paradiplo-tui", message=VERSION_MESSAGE)
@click.pass_context
def main(ctx: click.Context, db: str | None, read_only: bool, lang: str | None) -> None:
    """Browse paradiplomacy cases, their sources and your study notes.

    Run with no command to open the app.
    """
    use_language(lang)
    ctx.obj = Ctx(db, read_only)
    if ctx.invoked_subcommand is None:
        if read_only:
            os.environ[ENV_READONLY] = "1"  # the app opens its database through open_store
        from paradiplo.tui.app import run_app

        with friendly_errors():
            sys.exit(run_app(ctx.obj.db_path))


for _command in (
    *cli_db.COMMANDS,
    *cli_cases.COMMANDS,
    *cli_search.COMMANDS,
    *cli_io.COMMANDS,
    *cli_notes.COMMANDS,
    *cli_collection.COMMANDS,
    *cli_cite.COMMANDS,
    *cli_laws.COMMANDS,
    *cli_stats.COMMANDS,
    *cli_publish.COMMANDS,
):
    main.add_command(_command)


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


if __name__ == "__main__":
    entry()
