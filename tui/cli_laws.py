"""`paradiplo-tui laws` and `paradiplo-tui conflicts`: the laws with what the bundled sources
claim about them and their status from outside the texts, and where the sources disagree.

What a source says and what comes from outside the bundled texts are printed apart, and the
JSON keeps them in separate keys (`as_cited`; `reference` with `from_outside_bundled_texts`).
"""

from __future__ import annotations

from typing import Any

import click
from rich.text import Text

from paradiplo.db import laws as laws_api
from paradiplo.db.i18n import _, data_label
from paradiplo.db.models import Claim, Conflict, Evidence, LegalBasis
from paradiplo.tui.cli import Ctx, _t, console, emit_json, friendly_errors, main, pass_ctx


def _quote(e: Evidence) -> dict[str, Any]:
    return {
        "source": e.source_id,
        "quote": e.quote,
        "start": e.start,
        "end": e.end,
        "citation": e.citation,
    }


def _claim(c: Claim) -> dict[str, Any]:
    return {
        "id": c.id,
        "source": c.source_id,
        "source_label": c.source_label,
        "title_as_cited": c.title_as_cited,
        "claim": c.claim,
        "quotes": [_quote(e) for e in c.evidence],
    }


def law_record(law: LegalBasis) -> dict[str, Any]:
    ref = law.reference
    return {
        "id": law.id,
        "short": law.short,
        "title": law.title,
        "kind": law.kind,
        "number": law.number,
        "year": law.year,
        "cited_in_bundled_texts": law.cited,
        "as_cited": [_claim(c) for c in law.claims],
        "reference": None
        if ref is None
        else {
            "from_outside_bundled_texts": True,
            "status": ref.status,
            "status_text": ref.status_text,
            "replaced_by": ref.replaced_by,
            "amended_by": ref.amended_by,
            "description": ref.description,
            "citations": [
                {
                    "publication": c.publication,
                    "database": c.database,
                    "address": c.address,
                    "supports": c.supports,
                }
                for c in ref.citations
            ],
            "checked": ref.checked,
        },
    }


def conflict_record(k: Conflict) -> dict[str, Any]:
    return {
        "id": k.id,
        "question": k.question,
        "about": k.about,
        "note": k.note,
        "sides": [_claim(c) for c in k.claims],
    }


def _print_claim(c: Claim, indent: str) -> None:
    head = Text(indent) + Text(_("In") + " ", style="dim") + _t(c.source_label)
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


@main.command("laws")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def laws_cmd(ctx: Ctx, as_json: bool) -> None:
    """Laws: official titles, what the sources claim, status from outside the texts."""
    with friendly_errors():
        items = laws_api.laws(ctx.store().conn)
    if as_json:
        emit_json([law_record(law) for law in items])
        return
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
                + Text(_(laws_api.status_words(ref.status)).upper(), style="bold")
            )
            console.print(Text("    ") + _t(data_label("law_status_text", law.id, ref.status_text)))
            console.print(Text("    ") + _t(data_label("law_description", law.id, ref.description)))
            for cite in ref.citations:
                console.print(
                    Text(f"    [{', '.join(cite.supports)}] ", style="dim")
                    + _t(f"{cite.publication}. {cite.database}: {cite.address}")
                )
        console.print()


@main.command("conflicts")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def conflicts_cmd(ctx: Ctx, as_json: bool) -> None:
    """Where the bundled sources disagree: each side with its quotes."""
    with friendly_errors():
        items = laws_api.conflicts(ctx.store().conn)
    if as_json:
        emit_json([conflict_record(k) for k in items])
        return
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
