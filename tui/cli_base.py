"""What every `paradiplo-tui` command shares: the database context, the consoles, one way to
fail, the common options (`--json`, `--format`, `-o`), one shape for a command that reads and
prints (JSON or text), and JSON records made from the data layer's dataclasses.

The command modules (tui/cli_<topic>.py) import this one; tui/cli.py holds the `paradiplo-tui`
group and registers their commands on it.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Column
from rich.text import Text

from paradiplo.db.errors import ParadiploError
from paradiplo.db.i18n import _
from paradiplo.db.paths import resolve_db_path
from paradiplo.db.store import SQLITE_ERRORS, Store, open_store, translate
from paradiplo.db.text import display_safe
from paradiplo.tui.cli_i18n import TranslatedCommand, TranslatedGroup

F = TypeVar("F", bound=Callable[..., Any])


class OnFirstUse:
    """A module imported when a command first uses it: launching the app (no subcommand)
    then does not pay for the import, search and recovery code (bench/RESULTS.md)."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)


console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def _t(value: Any) -> Text:
    """User and source text as literal Rich Text (never markup)."""
    return Text(display_safe("" if value is None else str(value)))


def fail(message: str, code: int = 1) -> None:
    err_console.print(Text(_("Error:") + " ", style="bold red") + Text(display_safe(message)))
    sys.exit(code)


def tell(message: str) -> None:
    """A line for the user on standard error (what was written or done), as literal text:
    standard output keeps only the data."""
    err_console.print(_t(message))


def warn(message: str) -> None:
    err_console.print(Text(_("Warning:") + " ", style="yellow") + _t(message))


def id_column(ids: Iterable[str]) -> Column:
    """An id column never cut short: ids are what the other commands take."""
    return Column("id", no_wrap=True, min_width=min(max((len(i) for i in ids), default=2), 48))


def current_db() -> Path:
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
        fail(str(translate(exc, current_db())))
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
                warn(
                    _("{path} is open read-only: {reason}.").format(
                        path=self.db_path, reason=self._store.readonly_reason
                    )
                )
        return self._store


pass_ctx = click.make_pass_decorator(Ctx)


def group(name: str, **settings: Any) -> Callable[[Callable[..., Any]], TranslatedGroup]:
    """A command group of `paradiplo-tui` (its help, and its commands', in the interface
    language); tui/cli.py registers it."""
    return click.group(name, cls=TranslatedGroup, **settings)


def command(name: str, **settings: Any) -> Callable[[Callable[..., Any]], TranslatedCommand]:
    """A command of `paradiplo-tui` itself (see `group`)."""
    return click.command(name, cls=TranslatedCommand, **settings)


# ------------------------------------------------------------------------------ output
def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def fields_of(obj: Any, *names: str) -> dict[str, Any]:
    """`obj`'s attributes as a JSON object, in the order given: "name" keeps the attribute's
    name as the key, "key:attribute" names it otherwise."""
    out: dict[str, Any] = {}
    for name in names:
        key, _sep, attr = name.partition(":")
        out[key] = getattr(obj, attr or key)
    return out


def write_or_print(text: str, output: str | None, written: str) -> None:
    """`text` to FILE (atomically; `written` says so on stderr) or to standard output."""
    if output:
        from paradiplo.db.files import write_atomic

        write_atomic(Path(output), text)
        tell(written)
    else:
        click.echo(text, nl=False)


# ----------------------------------------------------------------------------- options
class ChoiceOf(click.Choice[str]):
    """A choice among the values the data layer defines (`module.name`, e.g. the partner kinds
    of db.collection), read from it when a value or --help needs them: the command line's
    start (and the app's, which goes through it) does not import the module for that."""

    def __init__(self, module: str, name: str) -> None:
        self._where = (module, name)
        super().__init__(())

    @property  # type: ignore[override]
    def choices(self) -> tuple[str, ...]:
        module, name = self._where
        return tuple(getattr(importlib.import_module(module), name))

    @choices.setter
    def choices(self, _given: Any) -> None:
        """click.Choice sets them when made; they are read from the module instead."""


def json_option(help: str = "Print JSON.") -> Callable[[F], F]:
    return click.option("--json", "as_json", is_flag=True, help=help)


def format_option(
    choices: Sequence[str] | click.Choice[str], default: str | None = None, help: str | None = None
) -> Callable[[F], F]:
    """--format, one of `choices` (by default the first of a sequence)."""
    if not isinstance(choices, click.Choice):
        default, choices = default or choices[0], click.Choice(choices)
    return click.option(
        "--format", "fmt", type=choices, default=default, show_default=True, help=help
    )


def output_option(help: str = "Write to FILE.", *, writable: bool = False) -> Callable[[F], F]:
    """-o/--output FILE."""
    return click.option(
        "-o", "--output", type=click.Path(dir_okay=False, writable=writable), help=help
    )


def ambiguous_option(help: str | None = None) -> Callable[[F], F]:
    """--ambiguous: what to do with a bare name shared by a Kota and a Kabupaten."""
    return click.option(
        "--ambiguous",
        type=ChoiceOf("paradiplo.db.places", "AMBIGUITY_CHOICES"),
        default="error",
        show_default=True,
        help=help,
    )


def options(*decorators: Callable[[F], F]) -> Callable[[F], F]:
    """Several option decorators as one, listed in --help in the order given."""

    def apply(fn: F) -> F:
        for option in reversed(decorators):
            fn = option(fn)
        return fn

    return apply


def reads(
    fetch: Callable[..., Any],
    record: Callable[[Any], Any] = asdict,
    *,
    help: str = "Print JSON.",
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """The shape of a command that reads and prints: it takes --json and the database;
    `fetch(conn, **params)` runs with clear errors; with --json its result is printed as JSON
    (`record` of each item of a list, or of the one result), else the decorated function
    shows it (called with the result and the command's other parameters).

    Put it under the command's own options: --json is then listed after them.
    """

    def decorate(show: Callable[..., None]) -> Callable[..., None]:
        @json_option(help)
        @pass_ctx
        @functools.wraps(show)
        def run(ctx: Ctx, /, as_json: bool, **params: Any) -> None:
            with friendly_errors():
                found = fetch(ctx.store().conn, **params)
            if as_json:
                emit_json([record(x) for x in found] if isinstance(found, list) else record(found))
            else:
                show(found, **params)

        return run

    return decorate
