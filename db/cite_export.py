"""Sources exported for reference managers: CSL-JSON (Zotero, Pandoc, citeproc), BibTeX
(biblatex-friendly) and RIS (Zotero, EndNote, Mendeley), each made from `SourceRef`.
Read through db/cite.py.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from paradiplo.db.errors import ParadiploError
from paradiplo.db.i18n import _
from paradiplo.db.references import KINDS, LANGIDS, SourceRef, read_sources

EXPORT_FORMATS = ("bibtex", "csl-json", "ris")


# ------------------------------------------------------------------------- CSL-JSON
def _date_parts(value: str | None) -> dict[str, Any] | None:
    if not value:
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", value.strip())
    if not m:
        return {"literal": value}
    return {"date-parts": [[int(p) for p in m.groups() if p]]}


def _csl_name(c: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in c.items() if k in ("family", "given", "literal") and v}


def csl_item(ref: SourceRef) -> dict[str, Any]:
    """The CSL-JSON item of a source (what Zotero, Pandoc and citeproc read)."""
    item: dict[str, Any] = {"id": ref.key, "type": KINDS.get(ref.kind, KINDS["other"])[0]}
    if ref.creators:
        item["author"] = [_csl_name(c) for c in ref.creators]
    if ref.cite_title:
        item["title"] = ref.cite_title
    if ref.container_title:
        item["container-title"] = ref.container_title
    for name, csl in (
        ("volume", "volume"),
        ("issue", "issue"),
        ("pages", "page"),
        ("publisher", "publisher"),
        ("url", "URL"),
        ("language", "language"),
    ):
        value = getattr(ref, name)
        if value:
            item[csl] = value
    for name, csl in (("published", "issued"), ("accessed", "accessed")):
        date = _date_parts(getattr(ref, name))
        if date:
            item[csl] = date
    if ref.keywords:
        item["keyword"] = ", ".join(ref.keywords)
    return item


def csl_json(refs: Sequence[SourceRef]) -> str:
    return json.dumps([csl_item(r) for r in refs], ensure_ascii=False, indent=2) + "\n"


# ------------------------------------------------------------------------- BibTeX
_BIB_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _bib_escape(text: str) -> str:
    text = " ".join(text.split())
    return "".join(_BIB_SPECIAL.get(ch, ch) for ch in text)


def _bib_name(c: dict[str, str]) -> str:
    if c.get("literal"):
        return "{" + _bib_escape(c["literal"]) + "}"  # an organisation: one name, not split
    family, given = _bib_escape(c.get("family", "")), _bib_escape(c.get("given", ""))
    return f"{family}, {given}" if given else family


def bibtex_entry(ref: SourceRef) -> str:
    """One BibTeX (biblatex-friendly) entry; UTF-8, LaTeX specials escaped."""
    csl_type, entry_type, _ris, _words = KINDS.get(ref.kind, KINDS["other"])
    fields: list[tuple[str, str]] = []
    if ref.creators:
        fields.append(("author", " and ".join(_bib_name(c) for c in ref.creators)))
    if ref.cite_title:
        fields.append(("title", _bib_escape(ref.cite_title)))
    container = ref.container_title
    if container:
        if entry_type == "article":
            fields.append(("journal", _bib_escape(container)))
        elif entry_type == "online":  # the site or blog (Pandoc reads it as container-title)
            fields.append(("journaltitle", _bib_escape(container)))
        else:
            fields.append(("organization", _bib_escape(container)))
    if ref.kind == "news":
        fields.append(("entrysubtype", "newspaper"))
    for name in ("volume", "number", "pages", "publisher"):
        value = getattr(ref, "issue" if name == "number" else name)
        if value:
            fields.append((name, _bib_escape(str(value))))
    if ref.year:
        fields.append(("year", ref.year))
        if ref.published and ref.published != ref.year:
            fields.append(("date", _bib_escape(ref.published)))
    if ref.url:
        fields.append(("url", ref.url.replace("{", "%7B").replace("}", "%7D")))
    if ref.accessed:
        fields.append(("urldate", _bib_escape(ref.accessed)))
    if ref.language:
        fields.append(("langid", LANGIDS.get(ref.language, _bib_escape(ref.language))))
    if ref.keywords:
        fields.append(("keywords", _bib_escape(", ".join(ref.keywords))))
    if csl_type == "document" and ref.kind == "citation":
        fields.append(("note", "Reference as cited; details not yet completed"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{entry_type}{{{ref.key},\n{body}\n}}\n"


def bibtex(refs: Sequence[SourceRef]) -> str:
    return "\n".join(bibtex_entry(r) for r in refs)


# ------------------------------------------------------------------------- RIS
def _ris_line(tag: str, value: str) -> str:
    return f"{tag}  - {' '.join(str(value).split())}"


def ris_record(ref: SourceRef) -> str:
    """One RIS record (Zotero, EndNote, Mendeley): TY first, ER last, one field a line."""
    lines = [_ris_line("TY", KINDS.get(ref.kind, KINDS["other"])[2])]
    for c in ref.creators:
        given = f", {c['given']}" if c.get("given") else ""
        lines.append(_ris_line("AU", c.get("literal") or c.get("family", "") + given))
    # The other fields in their order; those without a value are left out.
    fields: list[tuple[str, str | None]] = [
        ("TI", ref.cite_title),
        ("T2", ref.container_title),
        ("PY", ref.year),
    ]
    if ref.published and re.fullmatch(r"\d{4}(-\d{1,2}){0,2}", ref.published):
        y, m, d = ([*ref.published.split("-"), "", ""])[:3]
        fields.append(("DA", f"{y}/{m}/{d}/" if m else f"{y}///"))
    fields += [("VL", ref.volume), ("IS", ref.issue)]
    if ref.pages:
        parts = re.split(r"\s*[-–]+\s*", ref.pages)
        fields += [("SP", parts[0]), ("EP", parts[1] if len(parts) > 1 else None)]
    fields += [
        ("PB", ref.publisher),
        ("UR", ref.url),
        ("Y2", ref.accessed.replace("-", "/") if ref.accessed else None),
        ("LA", ref.language),
        *(("KW", k) for k in ref.keywords),
    ]
    lines += [_ris_line(tag, value) for tag, value in fields if value]
    lines += [_ris_line("ID", ref.key), "ER  - "]
    return "\n".join(lines) + "\n"


def ris(refs: Sequence[SourceRef]) -> str:
    return "\n".join(ris_record(r) for r in refs)


def export_sources(conn: sqlite3.Connection, fmt: str, ids: Iterable[str] | None = None) -> str:
    """Every source (or those of `ids`) once, as BibTeX, CSL-JSON or RIS."""
    refs = read_sources(conn, ids)
    if fmt == "bibtex":
        return bibtex(refs)
    if fmt == "csl-json":
        return csl_json(refs)
    if fmt == "ris":
        return ris(refs)
    raise ParadiploError(
        _("Sources export as one of {formats}, not '{format}'.").format(
            formats=", ".join(EXPORT_FORMATS), format=fmt
        )
    )
