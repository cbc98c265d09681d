"""The fields of a case as the user writes them, and their fixed choices: the one definition
the import formats (db/caseformats.py), the import checks (db/casecheck.py), the export
(db/io.py), the collection API (db/collection.py) and the command line's options go by.

Nothing here touches the database, so the command line can name these in its options
without loading the collection API.
"""

from __future__ import annotations

from paradiplo.db.i18n import N_

# The case fields of the import and export formats, in their order (README, "Case fields"),
# each with whether `update_case` (and `cases edit --set`) can change it in the user's own
# case: the one list the readers, the checks (db/casecheck.py), the export and the editing go by.
_FIELDS: tuple[tuple[str, bool], ...] = (
    ("id", False),
    ("title", True),
    ("region", True),
    ("region_country", False),  # follows from the region
    ("province", False),  # follows from the region
    ("partner", True),
    ("partner_country", True),
    ("partner_kind", True),
    ("type", True),
    ("date", True),
    ("date_as_stated", True),
    ("status", True),
    ("summary", True),
    ("sectors", True),
    ("source", False),  # evidence is attached, not edited
    ("evidence", False),
    ("unclear", False),
    ("category", False),  # derived
    ("stage", False),  # derived
    ("origin", False),
)
CASE_FIELDS = [name for name, _editable in _FIELDS]
EDITABLE_FIELDS: tuple[str, ...] = tuple(name for name, editable in _FIELDS if editable)
REQUIRED = ("title", "region", "type")
# A partner's kind (`partner_kind`).
PARTNER_KINDS: tuple[str, ...] = ("state", "sub_state", "non_state", "unknown")
# What `--ambiguous` (and the case form's choice) does with a bare name shared by a Kota and a
# Kabupaten (Bandung, Malang): refuse, take the city, take the regency, or keep it as stated
# (the values of the type db.places.Ambiguity).
AMBIGUOUS_CHOICES: tuple[str, ...] = ("error", "city", "regency", "keep")
# The facts a quote can support, as help texts name them ("sector:ID" for one of the case's
# sectors; db/seeds.py CASE_FACTS is the set).
FACTS_HELP = N_("region, partner, partner_country, type, date, status, summary, title or sector:ID")
# The kinds of source `sources add` and the add-source dialog offer (the seeds use a few more).
SOURCE_KINDS: tuple[str, ...] = (
    "news",
    "opinion",
    "journal_article",
    "report",
    "official",
    "other",
)
