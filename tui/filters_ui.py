"""The filters as the main screen shows them: the filter bar above the list (the count, the
active filters, the sort), what the list says when no case matches, and the year filter's
question (t) and the opening of a network (w), shared by the screens that filter."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Protocol

from rich.text import Text
from textual.app import App
from textual.widgets import Static

from paradiplo.db.derive import stage_word
from paradiplo.db.i18n import _, data_label, number
from paradiplo.db.labels import cases_count
from paradiplo.db.models import Filters
from paradiplo.tui.widgets.case_list import SORT_LABELS
from paradiplo.tui.widgets.text import one_line


class FilterBar(Static):
    """The count, the active filters and the sort, above the list."""

    def show(self, text: Text) -> None:
        """Update, asking for a layout only when the bar's height (1 or 2 lines) changes:
        a layout re-arranges the whole screen."""
        width = self.content_region.width
        lines = 1 if width and text.cell_len <= width else 2
        self.update(text, layout=lines != self.size.height)


def filter_bar_text(
    filters: Filters, sort: str, count: int, total: int, labels: dict[str, str]
) -> Text:
    """'12 cases of 130 · region: Jawa Timur · … · sort: year, newest first'."""
    text = Text(cases_count(count), style="bold")
    if count != total:
        text.append(" " + _("of {n}").format(n=number(total)), style="dim")
    parts = filter_parts(filters, labels)
    if parts:
        text.append("  ·  ", style="dim")
        text.append_text(Text("  ·  ", style="dim").join(parts))
        text.append("  " + _("(x clears all · Esc the focused pane's)"), style="dim")
    text.append("  ·  " + _("sort:") + " ", style="dim")
    text.append(_(SORT_LABELS.get(sort, sort)), style="dim")
    return text


def filter_parts(f: Filters, labels: dict[str, str]) -> list[Text]:
    """One 'kind: label' part per active filter, named with `labels` (filter key -> label)."""
    parts: list[Text] = []
    if f.region:
        label = labels.get(f.region, "")
        parts.append(Text(_("region:") + " ", style="dim") + one_line(label))
    if f.partner:
        label = labels.get(f.partner, "")
        if f.partner.startswith("pc:"):
            label = data_label("country", f.partner[3:], label)
        parts.append(Text(_("partner:") + " ", style="dim") + one_line(label))
    if f.sectors:
        names = [data_label("sector", s, labels.get(s, s)) for s in f.sectors]
        parts.append(Text(_("sectors:") + " ", style="dim") + one_line(" + ".join(names)))
    if f.years_label():
        parts.append(Text(_("years:") + " ", style="dim") + Text(f.years_label()))
    if f.case_type is not None:
        label = labels.get(f"type:{f.case_type}", f.case_type or _("not stated"))
        parts.append(Text(_("type:") + " ", style="dim") + one_line(label))
    if f.stage is not None:
        parts.append(Text(_("stage:") + " ", style="dim") + one_line(stage_word(f.stage)))
    return parts


def no_cases_message(total: int) -> Text:
    """What the list says when it is empty: the database has no case, or the filters hide
    every one (and how to clear them)."""
    if total == 0:
        return Text(
            _("The database has no cases yet. Import some with 'paradiplo-tui import cases FILE'.")
        )
    msg = Text(_("No case matches these filters.") + "\n\n", style="bold")
    msg.append(_("Press x to clear all filters (Escape clears the focused pane's),"))
    msg.append(" " + _("or change them in") + " ")
    msg.append(_("1 Regions"), style="bold")
    msg.append(" " + _("and") + " ")
    msg.append(_("2 Sectors"), style="bold")
    msg.append(".")
    return msg


class Filtered(Protocol):
    """A screen with `filters` (the main screen, the overview)."""

    filters: Filters

    @property
    def app(self) -> App[Any]: ...


def ask_years(screen: Filtered) -> None:
    """Ask for a year or a range of years and filter `screen` by it (empty: no year filter)."""
    from paradiplo.tui.screens.overview import YearsDialog

    def answered(years: tuple[int | None, int | None] | None) -> None:
        if years is not None:
            screen.filters = replace(screen.filters, year_from=years[0], year_to=years[1])

    screen.app.push_screen(YearsDialog(screen.filters), answered)


def open_network(screen: Filtered, key: str | None, hint: str) -> None:
    """The network of `key` (a region or partner key) under the screen's filters; without a
    key, `hint` (marked with N_) says how to choose one."""
    from paradiplo.tui.screens.network import NetworkScreen

    if not key:
        screen.app.notify(_(hint), timeout=4)
        return
    screen.app.push_screen(NetworkScreen(key, screen.filters))
