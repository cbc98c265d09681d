"""The command line in the interface language: the project's help texts and click's own words.

Click reads help texts (docstrings and `help=`) when the commands are defined, before the
language is known, so they are translated where they are shown: `TranslatedGroup` (the class
of `paradiplo-tui` and, through `command_class` / `group_class`, of every command under it)
passes each help text through `_()` while it writes `--help`. The language is taken from the
arguments first (`--lang id` anywhere before `--`), then as `set_language` chooses it.

The help texts are messages of the catalog like any other: `make catalogs` runs
`python -m paradiplo.tui.cli_i18n POT` after Babel's extraction, which adds every help text of the
command tree (`help_messages()`) to the template; tests/test_i18n.py checks that each one is
in the Indonesian catalog and translated.

Click's own messages ("Usage:", "Options", "Error: No such option…", "Try … for help.",
"Missing argument…", "Invalid value for…") go through the standard `gettext` module. They have
their own catalog, `db/locale/<lang>/LC_MESSAGES/click.po` (extracted from the installed click
by `make catalogs`); `use_language` binds it as gettext's default domain in the language chosen.
"""

from __future__ import annotations

import gettext
import inspect
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from paradiplo.db.i18n import LOCALE_DIR, _, set_language

CLICK_DOMAIN = "click"
CLICK_HELP = "Show this message and exit."  # --help's help, a message of click's catalog


def use_language(lang: str | None) -> str:
    """Choose the interface language (`set_language`) and speak it in click's own messages
    too: click's catalog becomes gettext's default domain, in that language (gettext takes
    the language from $LANGUAGE, which comes before the locale variables)."""
    chosen = set_language(lang)
    gettext.bindtextdomain(CLICK_DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(CLICK_DOMAIN)
    os.environ["LANGUAGE"] = chosen
    return chosen


def _clean(text: str | None) -> str | None:
    return inspect.cleandoc(text) if text else text


@contextmanager
def _translated(commands: list[Any], ctx: click.Context | None = None) -> Iterator[None]:
    """Swap each command's (and its parameters') help texts for translated ones meanwhile."""
    saved: list[tuple[Any, str, Any]] = []

    def swap(obj: Any, attr: str) -> None:
        value = getattr(obj, attr, None)
        if isinstance(value, str) and value:
            saved.append((obj, attr, value))
            # A docstring's text up to \f, as click shows it.
            head, cut, tail = (_clean(value) or "").partition("\f")
            setattr(obj, attr, _(head) + cut + tail)

    try:
        for cmd in commands:
            for attr in ("help", "short_help", "epilog"):
                swap(cmd, attr)
            params = cmd.get_params(ctx) if ctx is not None else getattr(cmd, "params", [])
            for param in params:
                swap(param, "help")
        yield
    finally:
        for obj, attr, value in reversed(saved):
            setattr(obj, attr, value)


def _language_from(args: list[str]) -> str | None:
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def _help_now(option: click.Option | None) -> click.Option | None:
    """Click keeps the --help option it made first, its help in the language of then: in the
    language of now (a process may run commands in both, as the tests do)."""
    if option is not None:
        option.help = gettext.gettext(CLICK_HELP)
    return option


class TranslatedCommand(click.Command):
    """A command whose --help is in the interface language."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _help_now(super().get_help_option(ctx))

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _translated([self], ctx):
            super().format_help(ctx, formatter)


class ClickMessage(str):
    """A click message translated when it is used, not when the option is defined (click
    builds `--version`'s message at import time, before the language is chosen)."""

    def __mod__(self, values: Any) -> str:
        import gettext

        return str(gettext.gettext(str(self)) % values)


VERSION_MESSAGE = ClickMessage("%(prog)s, version %(version)s")  # click's own msgid


class TranslatedGroup(click.Group):
    """A group whose --help (its own text and its commands' short help) is in the interface
    language; its commands and subgroups are translated the same way."""

    command_class = TranslatedCommand
    group_class = type

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _help_now(super().get_help_option(ctx))

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if ctx.parent is None:
            use_language(_language_from(args))  # before an eager --help is answered
        return super().parse_args(ctx, args)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        subcommands = [self.get_command(ctx, name) for name in self.list_commands(ctx)]
        with _translated([self], ctx), _translated([c for c in subcommands if c is not None]):
            super().format_help(ctx, formatter)


def help_messages(group: click.Command | None = None) -> list[str]:
    """Every help text of the command tree, as the catalog keys it (cleaned, up to \\f)."""
    if group is None:
        from paradiplo.tui.cli import main

        group = main
    out: list[str] = []

    def add(text: str | None) -> None:
        if text:
            key = (_clean(text) or "").partition("\f")[0]
            if key and key not in out:
                out.append(key)

    def walk(cmd: click.Command) -> None:
        for text in (cmd.help, cmd.short_help, cmd.epilog):
            add(text)
        for param in cmd.params:
            add(getattr(param, "help", None))
        if isinstance(cmd, click.Group):  # through get_command: the top group loads lazily
            ctx = click.Context(cmd)
            for name in cmd.list_commands(ctx):
                sub = cmd.get_command(ctx, name)
                if sub is not None:
                    walk(sub)

    walk(group)
    return out


# Click's messages that its source passes to gettext through a variable (Babel cannot see them).
CLICK_DYNAMIC = ("required",)


def add_to_template(
    pot_path: str, messages: list[str] | None = None, comment: str = "click help"
) -> int:
    """Add messages to a Babel template (.pot): by default the command line's help texts;
    return how many."""
    from babel.messages.pofile import read_po, write_po

    with open(pot_path, "rb") as fh:
        catalog = read_po(fh)
    messages = help_messages() if messages is None else messages
    for text in messages:
        if text not in catalog:
            catalog.add(text, auto_comments=[comment])
    with open(pot_path, "wb") as fh:
        write_po(fh, catalog, omit_header=False, sort_output=True, no_location=True)
    return len(messages)


if __name__ == "__main__":
    # `python -m paradiplo.tui.cli_i18n POT`: the help texts; `--click POT`: click's own
    # messages that extraction misses.
    if sys.argv[1] == "--click":
        add_to_template(sys.argv[2], list(CLICK_DYNAMIC), "passed to gettext in a variable")
    else:
        add_to_template(sys.argv[1])
