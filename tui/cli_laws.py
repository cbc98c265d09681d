"""`paradiplo-tui laws` and `paradiplo-tui conflicts`: the laws with what the bundled sources
claim about them and their status from outside the texts, and where the sources disagree.

What a source says and what comes from outside the bundled texts are printed apart, and the
JSON keeps them in separate keys (`as_cited`; `reference` with `from_outside_bundled_texts`).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from paradiplo.db import laws as laws_api
from paradiplo.db.i18n import _, data_label
from paradiplo.db.models import Claim, Conflict, LegalBasis
from paradiplo.db.sourceread import shown_source_label
from paradiplo.db.text import facts_label
from paradiplo.tui.cli_base import _t, command, console, fields_of, reads


def _claim(c: Claim) -> dict[str, Any]:
    return {
        **fields_of(c, "id", "source:source_id", "source_label", "title_as_cited", "claim"),
        "quotes": [
            fields_of(e, "source:source_id", "quote", "start", "end", "citation")
            for e in c.evidence
        ],
    }


def law_record(law: LegalBasis) -> dict[str, Any]:
    ref = law.reference
    return {
        **fields_of(
            law, "id", "short", "title", "kind", "number", "year", "cited_in_bundled_texts:cited"
        ),
        "as_cited": [_claim(c) for c in law.claims],
        "reference": None
        if ref is None
        else {
            "from_outside_bundled_texts": True,
            **fields_of(ref, "status", "status_text", "replaced_by", "amended_by", "description"),
            "citations": [
                fields_of(c, "publication", "database", "address", "supports")
                for c in ref.citations
            ],
            "checked": ref.checked,
        },
    }


def conflict_record(k: Conflict) -> dict[str, Any]:
    return {
        **fields_of(k, "id", "question", "about", "note"),
        "sides": [_claim(c) for c in k.claims],
    }


def _print_claim(c: Claim, indent: str) -> None:
    head = Text(indent) + Text(_("In") + " ", style="dim") + _t(shown_source_label(c.source_label))
    if c.title_as_cited:
        head += (
            Text(", " + _("cited as") + " ", style="dim")
            + Text("“")
            + _t(c.title_as_cited)
            + Text("”")
        )
    console.print(head + Text(":", style="dim"))
    console.print(Text(indent + "  ") + _t(data_label("claim", c.id, c.claim)))
    for e in c.evidence:
        console.print(Text(indent + "  “", style="dim") + _t(e.quote) + Text("”", style="dim"))


@command("laws")
@reads(laws_api.laws, law_record)
def laws_cmd(items: list[LegalBasis]) -> None:
    """Laws: official titles, what the sources claim, status from outside the texts."""
    for law in items:
        console.print(Text(law.short, style="bold") + Text(" — ") + _t(law.title))
        if law.claims:
            console.print(Text("  " + _("What the bundled sources say:"), style="underline"))
            for c in law.claims:
                _print_claim(c, "    ")
        else:
            console.print(
                Text("  " + _("Not cited by the bundled texts (a framing reference)."), "dim")
            )
        ref = law.reference
        if ref is not None:
            console.print(
                Text("  " + _("Reference from outside the bundled texts:"), style="underline")
                + Text(" ")
                + Text(laws_api.status_words(ref.status).upper(), style="bold")
            )
            console.print(Text("    ") + _t(data_label("law_status_text", law.id, ref.status_text)))
            console.print(Text("    ") + _t(data_label("law_description", law.id, ref.description)))
            for cite in ref.citations:
                console.print(
                    Text(f"    [{facts_label(list(cite.supports), tr=_)}] ", style="dim")
                    + _t(f"{cite.publication}. {cite.database}: {cite.address}")
                )
        console.print()


@command("conflicts")
@reads(laws_api.conflicts, conflict_record)
def conflicts_cmd(items: list[Conflict]) -> None:
    """Where the bundled sources disagree: each side with its quotes."""
    if not items:
        console.print(Text(_("No disagreements between sources are recorded."), style="dim"))
    for k in items:
        console.print(
            Text(k.id + ": ", style="bold") + _t(data_label("conflict_question", k.id, k.question))
        )
        for c in k.claims:
            _print_claim(c, "  ")
        if k.note:
            console.print(
                Text("  " + _("What differs:") + " ", style="dim")
                + _t(data_label("conflict_note", k.id, k.note))
            )
        console.print()


COMMANDS = (laws_cmd, conflicts_cmd)
