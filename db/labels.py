"""Labels that the app and the command line show alike, defined once (marked for the
catalog; translated where they are shown)."""

from __future__ import annotations

from paradiplo.db.i18n import N_, _, ngettext, number, pgettext

# Short type labels for narrow lists (the detail view and wide lists show the full label).
TYPE_SHORT = {
    "sister-city": N_("Sister city"),
    "mou": N_("MoU"),
    "cooperation": N_("Cooperation"),
    "programme": N_("Programme"),
    "proposal": N_("Invitation"),
    "exploratory": N_("Exploratory"),
}


def search_kind(kind: str) -> str:
    """A search hit's kind in the interface language, in at most 7 cells."""
    return {
        "case": pgettext("search hit", "case"),
        "passage": pgettext("search hit", "passage"),
        "note": pgettext("search hit", "note"),
        "term": pgettext("search hit", "term"),
        "law": pgettext("search hit", "law"),
    }.get(kind, kind)


# The level of a case's party (an Indonesian region or a foreign partner).
ACTOR_LEVELS = {
    "regency_or_city": N_("regency or city (not stated which)"),
    "province": N_("province"),
    "regency": N_("regency (kabupaten)"),
    "city": N_("city (kota)"),
    "country": N_("country"),
    "state": N_("state"),
    "prefecture": N_("prefecture"),
    "foundation": N_("foundation"),
    "programme": N_("programme"),
}


def actor_level(level: str | None) -> str:
    """A party's level in the interface language ('kota', 'prefektur'); unknown ones as stored."""
    return _(ACTOR_LEVELS[level]) if level in ACTOR_LEVELS else level or ""


def cases_count(n: int) -> str:
    """'1 case' / '26,081 cases' ('26.081 kasus') in the interface language."""
    return ngettext("{n} case", "{n} cases", n).format(n=number(n))
