"""Editing, deleting and restoring one's own cases from the main screen (E, D, U).

Bundled cases come from the source texts: E and D on one say why they cannot be changed (and
what to do instead). D asks first; the case goes to the bin (`db.collection.delete_case`),
its notes are kept; U puts the last deleted case back (as does `paradiplo-tui cases restore`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from paradiplo.db.errors import ParadiploError
from paradiplo.db.i18n import N_, _, data_label

SEED_REFUSAL = N_(
    "{title} is a bundled case, taken from the source texts: it cannot be {verb}. "
    "Write a note on it (n), or add your own case from a passage (s, open a source, m, c)."
)


def deleted_cases(app: Any) -> list[str]:
    """The cases deleted in this session, newest last (U restores them in turn)."""
    stack: list[str] | None = getattr(app, "_deleted_cases", None)
    if stack is None:
        stack = []
        app._deleted_cases = stack
    return stack


def _current(main: Any) -> Any:
    from paradiplo.tui.widgets.detail import DetailView

    detail = main.query_one(DetailView).detail
    if detail is None or detail.id != main.current_case:
        main.app.notify("Select a case first.")
        return None
    return detail


def _writable(app: Any) -> bool:
    if app.store is None or app.store.readonly:
        app.notify("The database is open read-only: cases cannot be changed.", severity="warning")
        return False
    return True


def _own_case(main: Any, verb: str) -> Any:
    """The selected case if it is the user's own and can be changed (`verb`: "edited",
    "deleted"), else None after saying why not."""
    detail = _current(main)
    if detail is None or not _writable(main.app):
        return None
    if detail.origin != "user":
        main.app.notify(
            _(SEED_REFUSAL).format(
                title=data_label("case_title", detail.id, detail.title), verb=_(verb)
            ),
            timeout=8,
        )
        return None
    return detail


def _in_thread(app: Any, work: Callable[[], None], done: Callable[[], None]) -> None:
    def run() -> None:
        try:
            work()
        except ParadiploError as exc:
            app.call_from_thread(app.notify, str(exc), title=_("Not done"), severity="error")
            return
        app.call_from_thread(done)

    app.run_worker(run, thread=True, group="case-change", exit_on_error=False)


def edit_case(main: Any) -> None:
    from paradiplo.tui.screens.case_form import CaseFormScreen
    from paradiplo.tui.screens.case_open import values_from_detail

    app = main.app
    detail = _own_case(main, N_("edited"))
    if detail is None:
        return

    def done(case_id: str | None) -> None:
        if case_id:
            main.reload()
            app.notify("Case saved.", timeout=3)

    app.push_screen(
        CaseFormScreen(
            app.store,
            values_from_detail(detail),
            case_id=detail.id,
            heading=_("Edit {id}").format(id=detail.id),
        ),
        done,
    )


def _delete(store: Any, case_id: str) -> None:
    from paradiplo.db import collection  # imported in the worker thread, not on the UI thread

    collection.delete_case(store, case_id)


def _restore(store: Any, case_id: str) -> None:
    from paradiplo.db import collection

    collection.restore_case(store, case_id)


def delete_case(main: Any) -> None:
    from paradiplo.tui.screens.dialogs import ConfirmScreen

    app = main.app
    detail = _own_case(main, N_("deleted"))
    if detail is None:
        return
    case_id, title = detail.id, detail.title

    def deleted() -> None:
        deleted_cases(app).append(case_id)
        main.reload()
        app.notify(
            _("Deleted {title} (its notes are kept). Press U to restore it.").format(
                title=data_label("case_title", case_id, title)
            ),
            title=_("Case deleted"),
            timeout=10,
        )

    def answered(yes: bool | None) -> None:
        if yes:
            _in_thread(app, lambda: _delete(app.store, case_id), deleted)

    app.push_screen(
        ConfirmScreen(
            _("Delete this case?"),
            _(
                "{title} ({id}) goes to the bin; notes on it are kept. "
                "U (or 'paradiplo-tui cases restore ID') puts it back."
            ).format(title=data_label("case_title", case_id, title), id=case_id),
            yes=N_("Delete"),
            no=N_("Keep it"),
        ),
        answered,
    )


def restore_case(main: Any) -> None:
    app = main.app
    if not _writable(app):
        return
    stack = deleted_cases(app)
    if not stack:
        app.notify("No case deleted in this session ('paradiplo-tui cases deleted' lists the bin).")
        return
    case_id = stack.pop()

    def restored() -> None:
        main.select_case(case_id)
        app.notify(_("Restored {id}.").format(id=case_id), title=_("Case restored"), timeout=4)

    _in_thread(app, lambda: _restore(app.store, case_id), restored)
