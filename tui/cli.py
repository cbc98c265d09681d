"""The `paradiplo-tui` command: no subcommand opens the app; subcommands script the database.

The commands live in modules by topic (tui/cli_<topic>.py), which share tui/cli_base.py; this
module holds the group, names which module holds each command (`COMMAND_MODULES`), and is the
installed entry point. A command's module is imported when that command runs (or --help lists
them): launching the app imports none of them (they cost ~100 ms: bench/RESULTS.md).
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from paradiplo.db.i18n import LANGUAGES, _
from paradiplo.db.store import ENV_READONLY
from paradiplo.tui import pause_collector, resume_collector
from paradiplo.tui.cli_base import Ctx, fail, friendly_errors
from paradiplo.tui.cli_i18n import VERSION_MESSAGE, TranslatedGroup, use_language

# Each subcommand and the modules (tui/cli_<topic>.py) that make it: the first one's COMMANDS
# holds it, the others add subcommands to it.
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "cases": ("cli_cases", "cli_collection"),
    "sectors": ("cli_cases",),
    "regions": ("cli_cases",),
    "cite": ("cli_cite",),
    "sources": ("cli_collection", "cli_cite"),
    "suggest": ("cli_collection",),
    "db": ("cli_db",),
    "export": ("cli_io", "cli_stats"),
    "import": ("cli_io",),
    "laws": ("cli_laws",),
    "conflicts": ("cli_laws",),
    "notes": ("cli_notes",),
    "publish": ("cli_publish",),
    "serve": ("cli_publish",),
    "search": ("cli_search",),
    "stats": ("cli_stats",),
}


class LazyGroup(TranslatedGroup):
    """The top group: its subcommands are imported from their modules when first asked for
    (click's "lazily loading subcommands" pattern)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMAND_MODULES, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            for name in COMMAND_MODULES[cmd_name]:
                module = importlib.import_module(f"paradiplo.tui.{name}")
                for command in module.COMMANDS:
                    self.add_command(command)
        return self.commands.get(cmd_name)


@click.group(
    cls=LazyGroup,
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

        with friendly_errors():  # the app turns the collector back on (`entry`)
            sys.exit(run_app(ctx.obj.db_path))
    resume_collector()  # a command: no first screen to wait for


def entry() -> None:
    """The installed `paradiplo-tui` command: `main`, with a last-resort guard.

    A bug must not show a user a traceback: the traceback goes to crash.log in the data
    directory and the user gets one line saying where it is.
    """
    # The collector is paused while Textual and the app are imported (in `main`) and the
    # first screen is built, ~15 ms of the launch: see tui/__init__.py.
    pause_collector()
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
