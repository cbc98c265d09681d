"""The checks of laws.toml: every law carries a reference from outside the bundled texts with
a citation for each part; claims quote their own source and name known laws or terms;
conflicts set claims of different sources against each other."""

from __future__ import annotations

from typing import TYPE_CHECKING

from paradiplo.db.errors import SeedError
from paradiplo.db.i18n import _
from paradiplo.db.text import find_quote

if TYPE_CHECKING:
    from paradiplo.db.seedfiles import SeedData

LAW_STATUSES = {"in_force", "amended", "replaced", "revoked"}


def check_laws(data: SeedData, ids: dict[str, set[str]], source_ids: set[str]) -> None:
    """Laws carry a reference from outside the texts with a citation for each part; claims
    are about known laws and terms; conflicts set claims of different sources side by side."""
    lf = "laws.toml"
    for rec in data.legal_bases:
        rid = rec["id"]
        if rec.get("evidence"):
            raise SeedError(
                lf,
                rid,
                _("a [[law]] takes no evidence: what a source says about it is a [[claim]]."),
                _('move the quotes into a [[claim]] with about = ["law:<id>"].'),
            )
        ref = rec.get("reference")
        if not isinstance(ref, dict):
            raise SeedError(
                lf,
                rid,
                _(
                    "the law has no [law.reference] (its status and description from outside the bundled texts)."
                ),
                _("add status, status_text, description and cites."),
            )
        for f in ("status", "status_text", "description"):
            if not isinstance(ref.get(f), str) or not ref[f].strip():
                raise SeedError(
                    lf,
                    rid,
                    _("reference field '{f}' is missing.").format(f=f),
                    _("add '{f}'.").format(f=f),
                )
        if ref["status"] not in LAW_STATUSES:
            raise SeedError.not_one_of(
                lf, rid, _("unknown status '{status}'.").format(status=ref["status"]), LAW_STATUSES
            )
        if ref.get("replaced_by") is not None and ref["replaced_by"] not in ids["law"]:
            raise SeedError(
                lf,
                rid,
                _("'replaced_by' names unknown law '{replaced_by}'.").format(
                    replaced_by=ref["replaced_by"]
                ),
                _("add it."),
            )
        if ref["status"] == "replaced" and not ref.get("replaced_by"):
            raise SeedError(lf, rid, _("a replaced law needs 'replaced_by'."), _("name the law."))
        cites = ref.get("cites")
        if not isinstance(cites, list) or not cites:
            raise SeedError(
                lf, rid, _("the reference cites nothing."), _("add cites = [{ publication, ... }].")
            )
        covered: set[str] = set()
        for cite in cites:
            if not isinstance(cite, dict) or not all(
                isinstance(cite.get(k), str) and cite[k].strip()
                for k in ("publication", "database", "address")
            ):
                raise SeedError(
                    lf,
                    rid,
                    _("each citation needs 'publication', 'database' and 'address'."),
                    _("say which official publication and database, and give the address."),
                )
            if not cite["address"].startswith("https://"):
                raise SeedError(lf, rid, _("a citation's address is not an https address."))
            covered.update(cite.get("supports", []))
        missing = {"status", "description"} - covered
        if missing:
            raise SeedError(
                lf,
                rid,
                _("no citation supports the reference's {items}.").format(
                    items=", ".join(sorted(missing))
                ),
                _('give a citation with supports = ["status", "description"].'),
            )
    for rec in data.claims:
        rid = rec["id"]
        if rec["source"] not in source_ids:
            raise SeedError(lf, rid, _("unknown source '{source}'.").format(source=rec["source"]))
        if any(item.get("source") != rec["source"] for item in rec.get("evidence", [])):
            raise SeedError(
                lf,
                rid,
                _("a claim quotes only its own source."),
                _("split it into one per source."),
            )
        about = rec.get("about", [])
        if not isinstance(about, list) or not about:
            raise SeedError(
                lf, rid, _("'about' is missing."), _('e.g. about = ["law:uu-32-2004"].')
            )
        for topic in about:
            kind, _sep, value = str(topic).partition(":")
            pool = {"law": ids["law"], "term": ids["term"]}.get(kind)
            if pool is None or value not in pool:
                raise SeedError(
                    lf,
                    rid,
                    _("'about' names unknown '{topic}'.").format(topic=topic),
                    _("use 'law:<law id>' or 'term:<glossary term id>'."),
                )
        cited = rec.get("title_as_cited")
        if cited is not None and find_quote(data.texts[rec["source"]], str(cited)) is None:
            raise SeedError(
                lf,
                rid,
                _('title_as_cited is not in the source: "{cited}".').format(cited=str(cited)[:80]),
                _("copy the title exactly as the source writes it."),
            )
    claim_source = {c["id"]: c["source"] for c in data.claims}
    for rec in data.conflicts:
        rid = rec["id"]
        claims = rec.get("claims", [])
        if not isinstance(claims, list) or any(c not in claim_source for c in claims):
            raise SeedError(lf, rid, _("'claims' must name [[claim]] ids."))
        if len({claim_source[c] for c in claims}) < 2:
            raise SeedError(
                lf,
                rid,
                _("a conflict needs claims of at least two different sources."),
                _("name a claim of each source that disagrees."),
            )
        for topic in rec.get("about", []):
            kind, _sep, value = str(topic).partition(":")
            if value not in {"law": ids["law"], "term": ids["term"]}.get(kind, set()):
                raise SeedError(lf, rid, _("'about' names unknown '{topic}'.").format(topic=topic))
