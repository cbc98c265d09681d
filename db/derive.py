"""What this app derives about a case, never stated by a source: its PP 28/2018 category and
its lifecycle stage. Every writer of cases (the seed build, the import, a case added or edited
by hand) calls these two functions, so a case's derived columns are the same whoever wrote it.

Both return the value and a sentence saying what it rests on, in the app's voice and marked as
derived, for the detail view and the exports.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from paradiplo.db.errors import NotFound
from paradiplo.db.i18n import N_, _, data_label, language
from paradiplo.db.record import record

# PP 28/2018 (Kerja Sama Daerah) was issued in 2018.
PP_28_2018_YEAR = 2018


# What the derived sentences say, as catalog messages. derive_* write them in English (the
# stored value, the same whatever the language, as `--json` and the exports show it);
# `basis_text` reads a stored sentence back and says it in the interface language.
OUTSIDE_INDONESIA = N_("Derived: PP 28/2018 applies only to Indonesian regions.")
KSDPL_BASIS = N_(
    "Derived from the partner's kind (a regional government abroad): KSDPL, kerja sama daerah "
    "dengan pemerintah daerah di luar negeri (PP 28/2018). No source states it."
)
KSDPL_BASIS_NAMED = N_(
    "Derived from the partner's kind (a regional government abroad, {partner}): KSDPL, kerja "
    "sama daerah dengan pemerintah daerah di luar negeri (PP 28/2018). No source states it."
)
KSDLL_BASIS = N_(
    "Derived from the partner's kind (an institution abroad, not a regional government): KSDLL, "
    "kerja sama daerah dengan lembaga di luar negeri (PP 28/2018). No source states it."
)
KSDLL_BASIS_NAMED = N_(
    "Derived from the partner's kind (an institution abroad, {partner}, not a regional "
    "government): KSDLL, kerja sama daerah dengan lembaga di luar negeri (PP 28/2018). "
    "No source states it."
)
STATE_BASIS = N_(
    "Cannot be derived: the partner is a foreign state, which is neither of PP 28/2018's two "
    "kinds of partner (a regional government abroad: KSDPL; an institution abroad: KSDLL). "
    "Cooperation with a foreign state goes through the central government; a KSDLL can follow "
    "on from the central government's cooperation (penerusan kerja sama Pemerintah), which the "
    "sources do not say here."
)
STATE_BASIS_NAMED = N_(
    "Cannot be derived: the partner is a foreign state, {partner}, which is neither of PP "
    "28/2018's two kinds of partner (a regional government abroad: KSDPL; an institution "
    "abroad: KSDLL). Cooperation with a foreign state goes through the central government; a "
    "KSDLL can follow on from the central government's cooperation (penerusan kerja sama "
    "Pemerintah), which the sources do not say here."
)
KIND_UNKNOWN = N_("Cannot be derived: the partner's kind is not known.")
UNDATED = N_("The case is undated: the category applies today's rules to it.")
PREDATES = N_(
    "The case ({year}) predates PP 28/2018 (2018): the category applies today's rules to it."
)
SAME_YEAR = N_(
    "The case is dated 2018, the year PP 28/2018 was issued: it may predate it, and the "
    "category applies today's rules to it."
)


def _named(plain: str, named: str, partner_name: str | None) -> str:
    return named.format(partner=partner_name) if partner_name else plain


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
        return None, OUTSIDE_INDONESIA
    if partner_kind == "sub_state":
        category: str | None = "KSDPL"
        text = _named(KSDPL_BASIS, KSDPL_BASIS_NAMED, partner_name)
    elif partner_kind == "non_state":
        category = "KSDLL"
        text = _named(KSDLL_BASIS, KSDLL_BASIS_NAMED, partner_name)
    elif partner_kind == "state":
        return None, _named(STATE_BASIS, STATE_BASIS_NAMED, partner_name)
    else:
        return None, KIND_UNKNOWN
    if year is None:
        text += " " + UNDATED
    elif year < PP_28_2018_YEAR:
        text += " " + PREDATES.format(year=year)
    elif year == PP_28_2018_YEAR:
        text += " " + SAME_YEAR
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


def stage_word(stage: str) -> str:
    """A stage's short name in the interface language ('penjajakan', 'agreement'), without
    the gloss in brackets; an unknown stage as it is."""
    return _(STAGE_LABELS[stage]).split(" (")[0] if stage in STAGE_LABELS else stage


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


# What the stage rests on, and why it is that stage (catalog messages, as above).
STAGE_FROM = N_("Derived by this app from {on}: {why}. No source names the stage.")
STAGE_WHY = N_("Derived by this app: {why}. No source names the stage.")
STAGE_NOTHING = N_(
    "Derived by this app: no type or status is recorded, so no stage shows. "
    "No source names the stage."
)
STAGE_NONE = N_("Derived by this app: {on} show no stage. No source names the stage.")
TYPE_STATED = N_("the type ({type}, as stated “{type_as_stated}”)")
TYPE_ONLY = N_("the type ({type})")
STATUS_STATED = N_("the status ({status}, as stated “{status_as_stated}”)")
STATUS_ONLY = N_("the status ({status})")
# TRANSLATORS: what a stage rests on: "the type (…)" and "the status (…)".
TYPE_AND_STATUS = N_("{type_part} and {status_part}")
# Why a case is at its stage, by the rule of `derive_stage` that found it.
WHY = {
    "intent": N_("a letter of intent (pernyataan kehendak) is named"),
    "exploration": N_("exploratory talks (penjajakan)"),
    "proposal": N_(
        "an invitation or proposal to cooperate, with no letter of intent or agreement "
        "reported, is the exploratory stage (penjajakan)"
    ),
    "programme": N_("a cooperation programme is reported"),
    "agreement": N_("an MoU, nota kesepahaman or sister-city agreement"),
    "carried_out": N_(
        "a cooperation reported as carried out (an activity, not an agreement, is named)"
    ),
}


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
        stage, why = "intent", WHY["intent"]
    elif t == "exploratory" or s == "explored" or _EXPLORATION_WORDS.search(words):
        stage, why = "exploration", WHY["exploration"]
    elif t == "proposal" or s == "proposed":
        stage, why = "exploration", WHY["proposal"]
    elif t == "programme":
        stage, why = "implementation", WHY["programme"]
    elif t in _AGREEMENT_TYPES or s in _AGREEMENT_STATUSES or _AGREEMENT_WORDS.search(words):
        stage, why = "agreement", WHY["agreement"]
    elif t == "cooperation" and s in _IMPLEMENTATION_STATUSES:
        stage, why = "implementation", WHY["carried_out"]
    else:
        return "unknown", (STAGE_NONE.format(on=on) if on else STAGE_NOTHING)
    return stage, (STAGE_FROM.format(on=on, why=why) if on else STAGE_WHY.format(why=why))


def _basis_of(
    type_id: str | None,
    status: str | None,
    type_as_stated: str | None,
    status_as_stated: str | None,
) -> str:
    type_part = status_part = ""
    if type_id:
        type_part = (
            TYPE_STATED.format(type=type_id, type_as_stated=type_as_stated)
            if type_as_stated
            else TYPE_ONLY.format(type=type_id)
        )
    if status:
        status_part = (
            STATUS_STATED.format(status=status, status_as_stated=status_as_stated)
            if status_as_stated
            else STATUS_ONLY.format(status=status)
        )
    if type_part and status_part:
        return TYPE_AND_STATUS.format(type_part=type_part, status_part=status_part)
    return type_part or status_part


# ------------------------------------------------------------------------ in words
# Sentences older versions stored, and the message each now reads as.
_LEGACY = {
    KSDPL_BASIS_NAMED.replace("abroad, {partner})", "abroad ({partner}))"): KSDPL_BASIS_NAMED,
    KSDLL_BASIS_NAMED.replace("abroad, {partner},", "abroad ({partner}),"): KSDLL_BASIS_NAMED,
    STATE_BASIS_NAMED.replace("state, {partner},", "state ({partner}),"): STATE_BASIS_NAMED,
    STAGE_NONE.replace("show no stage", "does not show a stage"): STAGE_NONE,
    STAGE_NOTHING.replace("is recorded, so no stage shows", "does not show a stage"): STAGE_NOTHING,
}
_SENTENCES = (
    OUTSIDE_INDONESIA,
    KSDPL_BASIS,
    KSDPL_BASIS_NAMED,
    KSDLL_BASIS,
    KSDLL_BASIS_NAMED,
    STATE_BASIS,
    STATE_BASIS_NAMED,
    KIND_UNKNOWN,
    STAGE_FROM,
    STAGE_WHY,
    STAGE_NOTHING,
    STAGE_NONE,
    *_LEGACY,
)
_AFTERWORDS = (UNDATED, PREDATES, SAME_YEAR)
# A placeholder that is itself one of these messages (read and translated the same way).
_PARTS: dict[str, tuple[str, ...]] = {
    "on": (TYPE_AND_STATUS, TYPE_STATED, TYPE_ONLY, STATUS_STATED, STATUS_ONLY),
    "type_part": (TYPE_STATED, TYPE_ONLY),
    "status_part": (STATUS_STATED, STATUS_ONLY),
    "why": tuple(WHY.values()),
}
_VALUES = {"type": r"[^,()“”]+", "status": r"[^,()“”]+", "year": r"-?\d+"}
_SLOT = re.compile(r"\{(\w+)\}")


@record
class _Template:
    """A message matched in a stored sentence: each placeholder is a value (the name of the
    group that holds it) or another message (a `_Choice`)."""

    english: str
    slots: tuple[tuple[str, str | _Choice], ...]


@record
class _Choice:
    """One of several messages, each matched in its own group."""

    options: tuple[tuple[str, _Template], ...]


class _Reader:
    """Builds one pattern that reads every known sentence back into its messages."""

    def __init__(self) -> None:
        self.groups = 0

    def group(self) -> str:
        self.groups += 1
        return f"g{self.groups}"

    def template(self, english: str) -> tuple[str, _Template]:
        out, slots, pos = [], [], 0
        for m in _SLOT.finditer(english):
            out.append(re.escape(english[pos : m.start()]))
            name = m.group(1)
            node: str | _Choice
            if name in _PARTS:
                rx, node = self.choice(_PARTS[name])
            else:
                node = self.group()
                rx = f"(?P<{node}>{_VALUES.get(name, '.+?')})"
            out.append(rx)
            slots.append((name, node))
            pos = m.end()
        out.append(re.escape(english[pos:]))
        return "".join(out), _Template(english, tuple(slots))

    def choice(self, templates: tuple[str, ...]) -> tuple[str, _Choice]:
        alternatives, options = [], []
        for english in templates:
            group = self.group()
            rx, template = self.template(english)
            alternatives.append(f"(?P<{group}>{rx})")
            options.append((group, template))
        return "(?:" + "|".join(alternatives) + ")", _Choice(tuple(options))


@cache
def _reader() -> tuple[re.Pattern[str], _Choice, _Choice, str]:
    reader = _Reader()
    sentence_rx, sentence = reader.choice(_SENTENCES)
    after_rx, after = reader.choice(_AFTERWORDS)
    group = reader.group()
    pattern = re.compile(f"{sentence_rx}(?P<{group}> {after_rx})?", re.DOTALL)
    return pattern, sentence, after, group


def _value(name: str, value: str) -> str:
    if name == "partner":
        return data_label("actor_name", None, value)
    if name == "type":
        return data_label("type", value, value)
    if name == "status":
        return _(value)
    return value  # the sources' words (as stated) and years, as they are


def _say(node: _Choice, m: re.Match[str]) -> str:
    """The message matched in `node`, in the interface language, with its values."""
    template = next(t for group, t in node.options if m.group(group) is not None)
    values = {
        name: _value(name, m.group(sub)) if isinstance(sub, str) else _say(sub, m)
        for name, sub in template.slots
    }
    return _(_LEGACY.get(template.english, template.english)).format(**values)


def basis_text(stored: str | None) -> str:
    """A stored category or stage basis (the English sentence derive_* wrote, in this
    version or an older one) in the interface language. The sources' words in it stay as they
    are; a sentence this version does not know (written by a newer one) is shown as stored."""
    if not stored or language() != "id":
        return stored or ""
    pattern, sentence, after, group = _reader()
    m = pattern.fullmatch(stored)
    if m is None:
        return stored
    text = _say(sentence, m)
    if m.group(group) is not None:
        text += " " + _say(after, m)
    return text


def stage_id(value: str) -> str:
    """A stage id from what a user typed: the id, its Indonesian name or another common name."""
    key = " ".join(value.strip().lower().replace("-", " ").replace("_", " ").split())
    if key in STAGES:
        return key
    if key in STAGE_SYNONYMS:
        return STAGE_SYNONYMS[key]
    raise NotFound(
        _(
            "Unknown stage '{value}'. Use one of: {stages} "
            "(or penjajakan, LoI, pernyataan kehendak, MoU, nota kesepahaman)."
        ).format(value=value, stages=", ".join(STAGES))
    )
