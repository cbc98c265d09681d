"""The app's citing: copy the selected quote with its citation (y) or "cite this fact" (c)
to the terminal's clipboard, and the citation style they use. Part of `ParadiploApp`
(tui/app.py), as a mixin."""

from __future__ import annotations

from dataclasses import dataclass

from paradiplo.db.i18n import N_, _
from paradiplo.db.store import Store
from paradiplo.tui.app_base import AppBase
from paradiplo.tui.widgets.dbwork import DbResult, run_db


@dataclass
class CitationReady(DbResult):
    """A citation worked out in a thread, ready for the clipboard."""

    text: str
    with_claims: bool
    style_label: str


# db.cite.STYLES' labels, without loading db.cite (and citeproc) at start-up.
CITE_STYLE_LABELS = {
    "apa": N_("APA 7th edition"),
    "chicago": N_("Chicago author-date"),
    "apa-id": N_("APA 7th edition, Bahasa Indonesia"),
}


class CiteActions(AppBase):
    """The citing actions of the app (mixed into `ParadiploApp`)."""

    def action_copy_quote(self) -> None:
        """Copy the selected quote with its in-text citation and reference in the chosen
        style (OSC 52: the terminal's clipboard)."""
        self._copy_citation(with_claims=False)

    def action_cite_fact(self) -> None:
        """Copy "cite this fact": the facts the selected quote supports, the quote with its
        in-text citation, and the reference."""
        self._copy_citation(with_claims=True)

    def _copy_citation(self, *, with_claims: bool) -> None:
        getter = getattr(self.screen, "current_quote_ref", None)
        ref = getter() if callable(getter) else None
        if ref is None:
            old = getattr(self.screen, "current_quote_text", None)
            text = old() if callable(old) else None
            if text:  # a screen that quotes without a source record (the glossary)
                self.copy_to_clipboard(text)
                self.notify("Copied the quote with its citation.", timeout=3)
            else:
                self.notify("Select a quote first (in the Detail pane or the source reader).")
            return
        if not self.store_is_open:
            return
        style = self.state.cite_style

        def work(store: Store) -> CitationReady:
            from paradiplo.db import cite

            claims: list[str] = []
            if with_claims and ref.case_id and ref.supports:
                claims = cite.claims_for(store.conn, ref.case_id, ref.supports)
            elif with_claims and ref.context:
                claims = [ref.context]
            text = cite.cite_quote(store.conn, ref.source_id, ref.quote, style, claims)
            return CitationReady(text, bool(claims), cite.STYLES[style][2])

        run_db(self, "copy-citation", work)

    def on_citation_ready(self, message: CitationReady) -> None:
        self.copy_to_clipboard(message.text)
        what = _("the fact, its quote and reference") if message.with_claims else _("the quote")
        self.notify(
            _("Copied {what} ({style}).").format(what=what, style=_(message.style_label)), timeout=3
        )

    def set_cite_style(self, style: str) -> None:
        """The citation style for `y`, `c` and `paradiplo-tui cite` (kept in state.json)."""
        from paradiplo.tui.state import CITE_STYLES

        if style not in CITE_STYLES:
            return
        self.state.cite_style = style
        self._save_state()
        self.notify(
            _("Citation style: {label}").format(label=_(CITE_STYLE_LABELS.get(style, style))) + ".",
            timeout=3,
        )
