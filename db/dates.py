"""Dates as the collection stores them: YYYY, YYYY-MM or YYYY-MM-DD, checked as real dates."""

from __future__ import annotations

import calendar
import re

from paradiplo.db.i18n import _, date_text

# ASCII digits only: str.isdigit and \d accept '２０１７' and '١٩٩٩', which are not dates here.
_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$", re.ASCII)
# Plausible years for a dated cooperation or a publication: not 0000, not 12345. Fixed, so
# that a file that imports today imports next year too.
MIN_YEAR = 1800
MAX_YEAR = 2100


def max_year() -> int:
    return MAX_YEAR


def date_problem(value: str) -> str | None:
    """None if `value` is a valid YYYY, YYYY-MM or YYYY-MM-DD date; else what is wrong,
    as a phrase ("'2017-02-30' is not a date: February 2017 has 28 days")."""
    m = _DATE.match(value)
    if m is None:
        if value.isdigit() and not value.isascii():
            return _("'{value}' is not a date: write the digits as ASCII 0-9").format(value=value)
        return _("'{value}' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD").format(value=value)
    year = int(m.group(1))
    if not MIN_YEAR <= year <= max_year():
        return _("'{value}' is not a plausible year (between {first} and {last})").format(
            value=value, first=MIN_YEAR, last=max_year()
        )
    if m.group(2) is not None:
        month = int(m.group(2))
        if not 1 <= month <= 12:
            return _("'{value}' is not a date: there is no month {month}").format(
                value=value, month=month
            )
        if m.group(3) is not None:
            day = int(m.group(3))
            days = calendar.monthrange(year, month)[1]
            if not 1 <= day <= days:
                return _("'{value}' is not a date: {month} has {days} days").format(
                    value=value, month=date_text(f"{year}-{month:02d}"), days=days
                )
    return None


def year_of(date: str | None) -> int | None:
    """The year of a checked date, or None."""
    if not date or not _DATE.match(date):
        return None
    return int(date[:4])
