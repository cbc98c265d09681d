"""The Detail pane's side of the main screen: the case under the list's cursor is read in a
worker and shown with its notes; the notes are read again when one changes; the quote under
the Detail pane's cursor is what `y` and `c` cite. `MainScreen` (tui/screens/main.py) is
built on it."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.screen import Screen

from paradiplo.db import notes as notes_api
from paradiplo.db.browse import CaseView, case_view
from paradiplo.db.i18n import _
from paradiplo.db.models import CaseDetail, Note
from paradiplo.tui.citing import QuoteCite
from paradiplo.tui.widgets.case_list import CaseList
from paradiplo.tui.widgets.dbwork import DbResult, app_of, db_work
from paradiplo.tui.widgets.detail import CASE_CONTEXT, DetailView


@dataclass
class CaseLoaded(DbResult):
    """The case the list's cursor moved to, with its notes."""

    case: CaseView


@dataclass
class NotesLoaded(DbResult):
    """The notes of a case, read again after one was saved or changed."""

    case_id: str
    notes: list[Note]


class DetailSide(Screen[None]):
    """The case in the Detail pane, kept in step with the list's cursor."""

    def __init__(self) -> None:
        super().__init__()
        self.current_case: str | None = None  # the case under the list's cursor
        self.current_title = ""
        self._detail_want: str | None = None
        self._detail_shown: str | None = None
        self._detail_loading = False  # a detail load runs and its result has not arrived

    # ------------------------------------------------------------------------ detail
    # Moving the cursor loads the case under it. One load runs at a time: keys pressed
    # meanwhile only change which case is wanted, and when the load returns the newest
    # wanted case is loaded next (a held key shows the cases it passes as fast as they can
    # be read, and never queues a backlog of stale ones).
    def _request_detail(self, case_id: str) -> None:
        self._detail_want = case_id
        if self._detail_loading:
            return
        self._detail_loading = True
        self.load_case(case_id)

    @db_work("detail", exclusive=False)
    def load_case(self, case_id: str) -> CaseLoaded:
        return CaseLoaded(case_view(app_of(self).store.conn, case_id))

    def on_case_loaded(self, message: CaseLoaded) -> None:
        # The load is over once its result is here.
        self._detail_loading = False
        case = message.case
        want = self._detail_want
        if case.case_id != want:
            if want is not None and want != self._detail_shown:
                self._request_detail(want)
            return
        if case.case_id != self.current_case:
            return
        self._show_case(case.case_id, case.detail, case.notes)

    def _show_case(
        self,
        case_id: str | None,
        detail: CaseDetail | None,
        notes: list[Note] | None,
        *,
        empty: str = "",
    ) -> None:
        """Put a case (or a placeholder) in the Detail pane, with its notes, in one go."""
        view = self.query_one(DetailView)
        self._detail_shown = case_id
        self._detail_want = case_id
        if detail is not None and detail == view.detail and (notes or []) != view.notes:
            view.set_notes(notes or [])  # only the notes changed: keep the place in the pane
        elif detail is None or detail != view.detail:
            view.show_now(detail, empty=empty or _("No case selected."), notes=notes)

    @property
    def detail_case(self) -> str | None:
        """The id of the case the Detail pane shows."""
        return self._detail_shown

    def detail_failed(self, text: str) -> None:
        """The case could not be read: the pane says why."""
        self._detail_shown = None
        self.query_one(DetailView).show_now(None, empty=text)

    def current_quote_text(self) -> str | None:
        q = self.query_one(DetailView).current_quote
        if q is None or not q.evidence.quote:
            return None
        return f"“{q.evidence.quote}” — {q.evidence.citation}"

    def current_quote_ref(self) -> QuoteCite | None:
        """The quote under the Detail pane's cursor, for `y` and `c` (cite this fact)."""
        view = self.query_one(DetailView)
        q = view.current_quote
        if q is None or not q.evidence.quote:
            return None
        on_case = q.context == CASE_CONTEXT
        return QuoteCite(
            q.evidence.source_id,
            q.evidence.quote,
            case_id=view.detail.id if view.detail is not None else None,
            supports=tuple(q.evidence.supports) if on_case else (),
            context=None if on_case else q.context,
        )

    def refresh_notes(self) -> None:
        """After a note was saved or changed: the notes under the case and the list's mark."""
        if self.current_case is not None:
            self.load_notes(self.current_case)

    @db_work("note-count")
    def load_notes(self, case_id: str) -> NotesLoaded:
        return NotesLoaded(case_id, notes_api.notes_for_case(app_of(self).store.conn, case_id))

    @on(DetailView.NotesChanged)
    def detail_notes_changed(self, message: DetailView.NotesChanged) -> None:
        self.refresh_notes()

    def on_notes_loaded(self, message: NotesLoaded) -> None:
        self.query_one(CaseList).update_note_count(message.case_id, len(message.notes))
        view = self.query_one(DetailView)
        if view.detail is not None and view.detail.id == message.case_id:
            view.set_notes(message.notes)
