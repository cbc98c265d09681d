"""What this app derives about a case, never stated by a source: its PP 28/2018 category and
its lifecycle stage. Every writer of cases (the seed build, the import, a case added or edited
by hand) calls these two functions, so a case's derived columns are the same whoever wrote it.

Both return the value and a sentence saying what it rests on, in the app's voice and marked as
derived, for the detail view and the exports.
"""

from __future__ import annotations

import re
from functools import lru_cache

from paradiplo.db.errors import NotFound
from paradiplo.db.i18n import N_

# PP 28/2018 (Kerja Sama Daerah) was issued in 2018.
PP_28_2018_YEAR = 2018


def derive_category(
    region_country: str | None,
    partner_kind: str | None,
    year: int | None = None,
    partner_name: str | None = None,
) -> tuple[str | None, str]:
    """The case's category under PP 28/2018, derived from the partner's kind (not stated).

    PP 28/2018 knows two kinds of foreign partner for a region: a regional government abroad
    (KSDPL) and an institution abroad (KSDLL). A whole foreign state is neither, so no
    category is derived for it.
    """
    if region_country not in (None, "ID"):
        return None, "Derived: PP 28/2018 applies only to Indonesian regions."
    who = f", {partner_name}" if partner_name else ""
    if partner_kind == "sub_state":
        category: str | None = "KSDPL"
        text = (
            f"Derived from the partner's kind (a regional government abroad{who}): KSDPL, kerja "
            "sama daerah dengan pemerintah daerah di luar negeri (PP 28/2018). No source states it."
        )
    elif partner_kind == "non_state":
        category = "KSDLL"
        text = (
            f"Derived from the partner's kind (an institution abroad{who}, not a regional "
            "government): KSDLL, kerja sama daerah dengan lembaga di luar negeri (PP 28/2018). "
            "No source states it."
        )
    elif partner_kind == "state":
        return None, (
            f"Cannot be derived: the partner is a foreign state{who}, which is neither of PP "
            "28/2018's two kinds of partner (a regional government abroad: KSDPL; an "
            "institution abroad: KSDLL). Cooperation with a foreign state goes through the "
            "central government; a KSDLL can follow on from the central government's "
            "cooperation (penerusan kerja sama Pemerintah), which the sources do not say here."
        )
    else:
        return None, "Cannot be derived: the partner's kind is not known."
    if year is None:
        text += " The case is undated: the category applies today's rules to it."
    elif year < PP_28_2018_YEAR:
        text += (
            f" The case ({year}) predates PP 28/2018 (2018): the category applies today's "
            "rules to it."
        )
    elif year == PP_28_2018_YEAR:
        text += (
            " The case is dated 2018, the year PP 28/2018 was issued: it may predate it, and "
            "the category applies today's rules to it."
        )
    return category, text


# ------------------------------------------------------------------------ lifecycle stage
# The stages Kemendagri reports sister cooperations by, in their order.
STAGES = ("exploration", "intent", "agreement", "implementation", "unknown")
STAGE_LABELS = {
    # Marked for the catalog: the app shows them translated; exports keep the English.
    "exploration": N_("exploration (penjajakan)"),
    "intent": N_("intent (letter of intent / pernyataan kehendak)"),
    "agreement": N_("agreement (MoU / nota kesepahaman / sister-city agreement)"),
    "implementation": N_("implementation (a programme or activity reported)"),
    "unknown": N_("unknown"),
}
# Other names a user may give a stage (`cases list --stage penjajakan`).
STAGE_SYNONYMS = {
    "penjajakan": "exploration",
    "explored": "exploration",
    "exploratory": "exploration",
    "loi": "intent",
    "letter of intent": "intent",
    "pernyataan kehendak": "intent",
    "mou": "agreement",
    "nota kesepahaman": "agreement",
    "agreed": "agreement",
    "pelaksanaan": "implementation",
    "implemented": "implementation",
    "programme": "implementation",
    "program": "implementation",
}


def _words(*phrases: str) -> re.Pattern[str]:
    """One pattern matching any of `phrases` as whole words."""
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, phrases)) + r")(?!\w)")


_INTENT_WORDS = _words("letter of intent", "loi", "pernyataan kehendak")
_EXPLORATION_WORDS = _words("penjajakan", "menjajaki", "dijajaki")
_AGREEMENT_WORDS = _words("nota kesepahaman", "memorandum", "mou", "sister city", "sister-city")
_AGREEMENT_TYPES = {"mou", "sister-city"}
_AGREEMENT_STATUSES = {"agreed", "signed", "established"}
_IMPLEMENTATION_STATUSES = {"reported", "implemented", "ongoing", "completed"}


@lru_cache(maxsize=4096)
def derive_stage(
    type_id: str | None,
    status: str | None,
    type_as_stated: str | None = None,
    status_as_stated: str | None = None,
) -> tuple[str, str]:
    """(stage, basis): the case's lifecycle stage, derived from its type and status.

    exploration: exploratory talks, or an invitation or proposal with no letter of intent or
    agreement reported; intent: a letter of intent (pernyataan kehendak); agreement: an MoU,
    nota kesepahaman or sister-city agreement; implementation: a programme, or a cooperation
    reported as carried out; unknown otherwise.
    """
    t = (type_id or "").strip().lower()
    s = (status or "").strip().lower()
    stated = " ".join(x for x in (type_as_stated, status_as_stated) if x)
    words = " ".join(stated.lower().replace('"', " ").split())
    on = _basis_of(type_id, status, type_as_stated, status_as_stated)
    if _INTENT_WORDS.search(words) or t in {"loi", "intent"}:
        stage, why = "intent", "a letter of intent (pernyataan kehendak) is named"
    elif t == "exploratory" or s == "explored" or _EXPLORATION_WORDS.search(words):
        stage, why = "exploration", "exploratory talks (penjajakan)"
    elif t == "proposal" or s == "proposed":
        stage, why = (
            "exploration",
            "an invitation or proposal to cooperate, with no letter of intent or agreement "
            "reported, is the exploratory stage (penjajakan)",
        )
    elif t == "programme":
        stage, why = "implementation", "a cooperation programme is reported"
    elif t in _AGREEMENT_TYPES or s in _AGREEMENT_STATUSES or _AGREEMENT_WORDS.search(words):
        stage, why = "agreement", "an MoU, nota kesepahaman or sister-city agreement"
    elif t == "cooperation" and s in _IMPLEMENTATION_STATUSES:
        stage, why = (
            "implementation",
            "a cooperation reported as carried out (an activity, not an agreement, is named)",
        )
    else:
        if not on:
            return "unknown", (
                "Derived by this app: no type or status is recorded, so no stage shows. "
                "No source names the stage."
            )
        return "unknown", (f"Derived by this app: {on} show no stage. No source names the stage.")
    return stage, (
        f"Derived by this app from {on}: {why}. No source names the stage."
        if on
        else f"Derived by this app: {why}. No source names the stage."
    )


def _basis_of(
    type_id: str | None,
    status: str | None,
    type_as_stated: str | None,
    status_as_stated: str | None,
) -> str:
    parts = []
    if type_id:
        parts.append(
            f"the type ({type_id}, as stated “{type_as_stated}”)"
            if type_as_stated
            else f"the type ({type_id})"
        )
    if status:
        parts.append(
            f"the status ({status}, as stated “{status_as_stated}”)"
            if status_as_stated
            else f"the status ({status})"
        )
    return " and ".join(parts)


def stage_id(value: str) -> str:
    """A stage id from what a user typed: the id, its Indonesian name or another common name."""
    key = " ".join(value.strip().lower().replace("-", " ").replace("_", " ").split())
    if key in STAGES:
        return key
    if key in STAGE_SYNONYMS:
        return STAGE_SYNONYMS[key]
    raise NotFound(
        f"Unknown stage '{value}'. Use one of: {', '.join(STAGES)} "
        "(or penjajakan, LoI, pernyataan kehendak, MoU, nota kesepahaman)."
    )
