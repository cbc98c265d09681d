"""Errors the data layer raises. Each carries a message a user can act on."""

from __future__ import annotations

from collections.abc import Iterable

from paradiplo.db.i18n import _
from paradiplo.db.text import show_invisible


class ParadiploError(Exception):
    """Base class: the message is shown to the user as is (one clear line or a short list).

    Invisible characters in it (a no-break or zero-width space in a name the user typed) are
    written as <U+XXXX>: a message quoting 'Surabaya\u00a0' must not look like 'Surabaya'.
    """

    def __init__(self, *args: object) -> None:
        if args and isinstance(args[0], str):
            args = (show_invisible(args[0]), *args[1:])
        super().__init__(*args)


class SeedError(ParadiploError):
    """A seed file is broken: names the file, the record and what to fix."""

    def __init__(self, file: str, record: str | None, problem: str, fix: str = "") -> None:
        self.file = file
        self.record = record
        self.problem = problem
        self.fix = fix
        where = _("{file}, record '{record}'").format(file=file, record=record) if record else file
        msg = f"{where}: {problem}"
        if fix:
            msg += " " + _("Fix: {fix}").format(fix=fix)
        super().__init__(msg)

    @classmethod
    def not_one_of(
        cls, file: str, record: str | None, problem: str, choices: Iterable[str]
    ) -> SeedError:
        """A value outside the ones a field allows: `problem` names it, the fix lists them."""
        return cls(
            file, record, problem, _("use one of {choices}.").format(choices=sorted(choices))
        )


class ImportProblem(ParadiploError):
    """An import file is malformed; nothing was imported. Lists every problem found."""

    def __init__(self, file: str, problems: list[str], stopped_at: str | None = None) -> None:
        self.file = file
        self.problems = problems
        shown = problems[:20]
        more = ""
        if len(problems) > 20:
            more = "\n  " + _("... and {n} more").format(n=len(problems) - 20)
        if stopped_at:
            more += " " + _("(reading stopped at {where}, after {n} problems)").format(
                where=stopped_at, n=len(problems)
            )
        super().__init__(
            _("{file}: nothing was imported; fix these and import again:").format(file=file)
            + "\n  "
            + "\n  ".join(shown)
            + more
        )


class DatabaseProblem(ParadiploError):
    """The database cannot be used as asked (missing, locked, read-only, not ours, newer)."""


class NotFound(ParadiploError):
    """An id that names no record."""


def no_case(case_id: str) -> NotFound:
    """The error for a case id that names no case."""
    return NotFound(
        _("No case with id '{id}'. 'paradiplo-tui cases list' shows the ids.").format(id=case_id)
    )


class ConflictError(ParadiploError):
    """A note was changed elsewhere since it was loaded; the caller must choose."""

    def __init__(self, note_id: str, current_version: int, current_body: str) -> None:
        self.note_id = note_id
        self.current_version = current_version
        self.current_body = current_body
        super().__init__(
            _(
                "Note {id} was changed elsewhere (now version {version}); keep yours, keep "
                "theirs, or save yours as a new note."
            ).format(id=note_id, version=current_version)
        )


class ReadOnlyError(DatabaseProblem):
    """Writing is impossible: the database is read-only."""
