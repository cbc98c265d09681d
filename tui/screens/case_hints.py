"""What the case form says while typing, apart from the form itself: the values it holds, what
each field resolves to (read in a worker by `db.collection.preview_case`), and the completion
of the region, the country and the sectors (names inline, and a list under the form).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from textual import on
from textual.suggester import Suggester
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from paradiplo.db.i18n import _
from paradiplo.db.store import Store
from paradiplo.tui.screens.form_dialog import FormDialog
from paradiplo.tui.widgets.dbwork import DbResult, is_current, run_db
from paradiplo.tui.widgets.text import one_line

COMPLETING = ("region", "partner_country", "sectors")


@dataclass
class CaseValues:
    """What the form holds (all text, as the user typed it)."""

    region: str = ""
    partner: str = ""
    partner_country: str = ""
    partner_kind: str = "unknown"
    type: str = ""
    date: str = ""
    status: str = ""
    sectors: list[str] = field(default_factory=list)
    title: str = ""
    # A bare name shared by a Kota and a Kabupaten (Malang), kept as the source states it.
    keep_ambiguous: bool = False


@dataclass
class Completions(DbResult):
    field_name: str
    typed: str
    items: list[tuple[str, str]]  # (name, what it is)


_LIST_SEP = re.compile(r"[;,|]")


def split_items(value: str) -> list[str]:
    """'Tourism; Education, Culture' -> its items (as `db.collection.split_list` reads them)."""
    return [p.strip() for p in _LIST_SEP.split(value) if p.strip()]


def make_case_input(
    values: CaseValues,
    source_id: str,
    passage: tuple[int, int] | None,
    supports: tuple[str, ...],
) -> Any:
    """The `CaseInput` the form's values state (built in a worker: db.collection is imported
    there, not on the UI thread)."""
    from paradiplo.db.collection import CaseInput, QuoteSpec

    quotes: tuple[QuoteSpec, ...] = ()
    if passage is not None:
        quotes = (QuoteSpec(start=passage[0], end=passage[1], supports=supports),)
    return CaseInput(
        region=values.region,
        type=values.type,
        source_id=source_id,
        partner=values.partner or None,
        partner_country=values.partner_country or None,
        partner_kind=values.partner_kind or None,
        date=values.date or None,
        status=values.status or None,
        sectors=tuple(values.sectors),
        title=values.title or None,
        quotes=quotes,
    )


# The fields whose own line under the form shows their problems (not repeated in the box).
FIELD_LINES = ("region", "partner_country", "type", "date", "sectors")


def preview_lines(conn: Any, p: Any, values: CaseValues) -> dict[str, tuple[str, str]]:
    """What each field resolves to, one line each (runs in the worker)."""
    from paradiplo.db import places
    from paradiplo.db.i18n import data_label

    lines: dict[str, tuple[str, str]] = {}
    region = p.region
    if region.area is not None:
        g = places.for_connection(conn)
        areas = getattr(g, "areas", {})
        prov = areas.get(region.area.province_code or "")
        where = f" ({prov.name})" if prov is not None and prov != region.area else ""
        lines["region"] = ("ok", f"→ {region.area.name}{where}")
    elif region.candidates and values.keep_ambiguous:
        lines["region"] = (
            "ok",
            "→ "
            + _("kept as stated: {name} ({candidates}: not stated which)").format(
                name=region.as_stated, candidates=region.candidates_text()
            ),
        )
    elif region.candidates:
        names = " / ".join(a.name for a in region.candidates)
        lines["region"] = (
            "warn",
            _("ambiguous: {names} — write Kota … or Kabupaten …").format(names=names),
        )
    elif values.region.strip():
        lines["region"] = (
            "error",
            _("“{name}” is not in the official list of Indonesia's regions").format(
                name=values.region.strip()
            ),
        )
    else:
        lines["region"] = ("error", _("required"))
    if values.partner_country.strip():
        c = p.partner_country
        if c is not None:
            other = f" / {c.name_id}" if c.name_id and c.name_id != c.name_en else ""
            lines["partner_country"] = ("ok", f"→ {c.name_en}{other} ({c.code})")
        else:
            lines["partner_country"] = (
                "error",
                _(
                    "“{name}” is not a country known here (English or Indonesian name, or ISO code)"
                ).format(name=values.partner_country.strip()),
            )
    if values.partner.strip():
        lines["partner"] = ("info", f"→ {p.partner}")
    else:
        lines["partner"] = ("info", _("not named (the source names no partner)"))
    if p.type_label:
        lines["type"] = ("ok", "→ " + data_label("type", p.type_id or "", p.type_label))
    if values.date.strip():
        bad = p.problems_for("date")
        lines["date"] = ("error", bad[0]) if bad else ("ok", f"→ {values.date.strip()}")
    items = split_items(", ".join(values.sectors))
    if items:
        unknown = p.problems_for("sectors")
        if unknown:
            lines["sectors"] = ("error", "; ".join(unknown))
        else:
            from paradiplo.db import ui_queries

            labels = ui_queries.sector_labels(conn)
            lines["sectors"] = (
                "ok",
                "→ " + ", ".join(data_label("sector", s, labels.get(s, s)) for s in p.sector_ids),
            )
    if not values.title.strip():
        lines["title"] = ("info", f"→ {p.title}")
    return lines


class NameSuggester(Suggester):
    """Inline completion from the names the form's last completion list found."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self.names: list[str] = []
        self.list_mode = False  # complete the last item of a ;/, separated list

    async def get_suggestion(self, value: str) -> str | None:
        head, last = "", value
        if self.list_mode:
            # The last item of the list, after its separator and spaces (kept as typed).
            cut = max(value.rfind(";"), value.rfind(","))
            last = value[cut + 1 :].lstrip()
            head = value[: len(value) - len(last)]
        if not last:
            return None
        folded = last.casefold()
        for name in self.names:
            if name.casefold().startswith(folded) and len(name) > len(last):
                return head + name
        return None


class CompletingForm(FormDialog):
    """The completion of the case form's fields (COMPLETING): the names starting with what is
    typed appear inline (→ or End takes one), the list under the form (#form-choices) shows
    every match (↓ goes there, Enter takes one)."""

    def __init__(self) -> None:
        super().__init__()
        self._suggesters: dict[str, NameSuggester] = {}
        self._choices_for: str | None = None

    def suggester_for(self, name: str) -> NameSuggester | None:
        """The inline completion of field `name` (None for a field that does not complete)."""
        if name not in COMPLETING:
            return None
        suggester = self._suggesters[name] = NameSuggester()
        suggester.list_mode = name == "sectors"
        return suggester

    def close_choices(self) -> bool:
        """Escape in the list of matches closes it (back to the field): True if it did."""
        choices = self.query_one("#form-choices", OptionList)
        if not (choices.display and self.focused is choices):
            return False
        choices.display = False
        if self._choices_for:
            self.query_one(f"#{self._choices_for}", Input).focus()
        return True

    def _complete(self, name: str, typed: str) -> None:
        last = typed
        if name == "sectors":
            cut = max(typed.rfind(";"), typed.rfind(","))
            last = typed[cut + 1 :].strip()

        def load(store: Store) -> Completions:
            from paradiplo.db import collection

            conn = store.conn
            if name == "region":
                items = collection.complete_regions(conn, last, limit=30)
            elif name == "partner_country":
                items = collection.complete_countries(conn, last, limit=30)
            else:
                items = collection.complete_sectors(conn, last)
            return Completions(name, typed, items)

        run_db(self, "form-complete", load)

    def on_completions(self, message: Completions) -> None:
        if not is_current(self, message):
            return
        suggester = self._suggesters.get(message.field_name)
        if suggester is not None:
            suggester.names = [n for n, _ in message.items]
        choices = self.query_one("#form-choices", OptionList)
        focused = self.focused
        if not isinstance(focused, Input) or focused.id != message.field_name:
            return
        choices.clear_options()
        last = message.typed
        if message.field_name == "sectors":
            last = last[max(last.rfind(";"), last.rfind(",")) + 1 :].strip()
        if not last or not message.items:
            choices.display = False
            return
        for name, what in message.items[:30]:
            label = one_line(name, style="bold")
            label.append_text(one_line(f"  {what}", style="dim"))
            choices.add_option(Option(label, id=name))
        choices.display = True
        choices.border_title = _("{n} matching · ↓ to choose, Enter takes one").format(
            n=len(message.items)
        )
        self._choices_for = message.field_name
        # The list takes room from the fields: keep the field being typed in view.
        self.call_after_refresh(focused.scroll_visible, animate=False)

    def on_key(self, event: Any) -> None:
        focused = self.focused
        choices = self.query_one("#form-choices", OptionList)
        if (
            event.key == "down"
            and isinstance(focused, Input)
            and focused.id in COMPLETING
            and choices.display
            and choices.option_count
        ):
            event.stop()
            event.prevent_default()
            choices.focus()
            choices.highlighted = 0

    @on(OptionList.OptionSelected, "#form-choices")
    def _choice_taken(self, event: OptionList.OptionSelected) -> None:
        name = self._choices_for
        if not name:
            return
        value = event.option.id or ""
        field_input = self.query_one(f"#{name}", Input)
        if name == "sectors":
            current = field_input.value
            cut = max(current.rfind(";"), current.rfind(","))
            head = current[: cut + 1]
            value = (head + " " if head else "") + value + "; "
        field_input.value = value
        field_input.cursor_position = len(value)
        event.option_list.display = False
        field_input.focus()
