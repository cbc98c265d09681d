"""Opening the case form and the attach-evidence dialog: from the main screen (E: edit one's
own case) and from a passage selected in the source reader (c: a new case, a: attach)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen

from paradiplo.db.i18n import N_, _, data_label
from paradiplo.tui.screens.case_hints import CaseValues


def values_from_detail(detail: Any) -> CaseValues:
    """A case as the form shows it for editing (from `queries.case_detail`)."""
    region = detail.region
    region_text = region.name
    kept = region.level == "regency_or_city" and bool(region.as_stated)
    if kept:
        region_text = region.as_stated
    partner = detail.partner
    return CaseValues(
        region=region_text,
        partner=partner.name if partner is not None else "",
        partner_country=(
            data_label("country", partner.country_code, partner.country_name)
            if partner is not None and partner.country_name
            else ""
        ),
        partner_kind=detail.partner_kind or "unknown",
        type=detail.type or "",
        date=detail.date or "",
        status=detail.status or "",
        sectors=[data_label("sector", s.id, s.label_en) for s in detail.sectors],
        title=detail.title,
        keep_ambiguous=kept,
    )


def _from_passage(
    reader: Any,
    passage: tuple[int, int],
    readonly: str,
    dialog: Screen[str | None],
    done: Callable[[str], None],
) -> None:
    """Push `dialog` on the reader (unless the database is read-only: say `readonly`); when it
    made something (a case id), `done(id)`, then reload the source with the passage current
    (it is underlined as cited now)."""
    app = reader.app
    if getattr(app.store, "readonly", False):
        app.notify(readonly, severity="warning")
        return
    start, end = passage

    def made(case_id: str | None) -> None:
        if case_id is None:
            return
        done(case_id)
        reader.anchor_start, reader.anchor_end = start, end
        reader.load(reader.source_id)

    app.push_screen(dialog, made)


def open_case_from_passage(reader: Any, source: Any, passage: tuple[int, int]) -> None:
    """A new case citing the selected passage, the form pre-filled from its suggestion."""
    from paradiplo.tui.screens.case_form import CaseFormScreen

    start, end = passage

    def done(case_id: str) -> None:
        reader.app.notify(
            _("Case {id} added. Enter on the passage opens it.").format(id=case_id),
            title=_("Case added"),
        )

    form = CaseFormScreen(
        reader.app.store,
        CaseValues(),
        source_id=source.id,
        passage=passage,
        quote=source.text[start:end],
        heading=_("New case from the passage"),
        suggest=True,
    )
    _from_passage(
        reader, passage, N_("The database is open read-only: cases cannot be added."), form, done
    )


def open_attach_evidence(
    reader: Any, source: Any, passage: tuple[int, int], case_id: str | None
) -> None:
    """Attach the selected passage to a case (chosen in a dialog) as evidence."""
    from paradiplo.tui.screens.evidence import AttachEvidenceScreen

    start, end = passage

    def done(chosen: str) -> None:
        reader.app.notify(
            _("The passage is now evidence for {id}.").format(id=chosen),
            title=_("Evidence attached"),
        )
        reader.case_id = chosen

    dialog = AttachEvidenceScreen(
        reader.app.store, source.id, passage, source.text[start:end], case_id
    )
    _from_passage(
        reader,
        passage,
        N_("The database is open read-only: evidence cannot be added."),
        dialog,
        done,
    )
