"""Citing sources and facts: citation keys, BibTeX, CSL-JSON and RIS, formatted references.

A source's reference fields (schema.CITATION_COLUMNS, filled from seeds/sources.toml for the
bundled texts, empty for a source an import made from a citation string) become one
`SourceRef`; every export and every formatted reference is made from it, so they agree.

- Keys are stable and readable: the first author's family name (or the outlet), the year
  (`nd` when undated) and the first word of the title, lower-case ASCII, joined by `_`
  (`agustina_2025_peran`, `kumparan_nd_kemitraan`). Two sources with the same key are told
  apart by a letter (`b`, `c`, ...) in the order of their ids.
- Formatted references and in-text citations come from citeproc-py with the CSL styles in
  `db/csl/` (APA 7th, Chicago author-date; APA 7th with the Indonesian locale). Nothing meant
  for a paper carries a file name, a source id or a character offset.

citeproc-py is imported on first use (it loads lxml): nothing on the way to the app's first
screen pays for it.
"""

from __future__ import annotations

import html
import json
import re
import sqlite3
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paradiplo.db.errors import NotFound, ParadiploError
from paradiplo.db.models import CaseDetail
from paradiplo.db.text import json_array

CSL_DIR = Path(__file__).resolve().parent / "csl"

# style id -> (CSL file in db/csl, locale, label)
STYLES: dict[str, tuple[str, str, str]] = {
    "apa": ("apa.csl", "en-US", "APA 7th edition"),
    "chicago": ("chicago-author-date.csl", "en-US", "Chicago author-date (18th edition)"),
    "apa-id": ("apa.csl", "id-ID", "APA 7th edition, Bahasa Indonesia (dkk., t.t.)"),
}
DEFAULT_STYLE = "apa"
EXPORT_FORMATS = ("bibtex", "csl-json", "ris")
CITE_FORMATS = ("text", "markdown", "bibtex")

# kind -> (CSL type, BibTeX entry type, RIS type, words)
KINDS: dict[str, tuple[str, str, str, str]] = {
    "news": ("article-newspaper", "article", "NEWS", "news article"),
    "opinion": ("post-weblog", "online", "BLOG", "blog or opinion post"),
    "journal_article": ("article-journal", "article", "JOUR", "journal article"),
    "report": ("report", "report", "RPRT", "report"),
    "legal": ("legislation", "misc", "LEGAL", "legal document"),
    "web": ("webpage", "online", "ELEC", "web page"),
    "book": ("book", "book", "BOOK", "book"),
    "citation": ("document", "misc", "GEN", "reference as cited"),
    "other": ("document", "misc", "GEN", "document"),
}
# What a reference of each kind needs (the app and `sources` list what is missing).
_NEEDS_CONTAINER = {"news", "opinion", "journal_article"}
_ONLINE = {"news", "opinion", "web"}
LANGIDS = {"id": "indonesian", "en": "english", "ms": "malay", "ja": "japanese"}


@dataclass(frozen=True)
class SourceRef:
    """A source as a reference: what the bundled text states or the user filled in."""

    id: str
    kind: str
    title: str | None
    title_sentence: str | None
    description: str | None
    outlet: str | None
    container: str | None
    creators: list[dict[str, str]]
    published: str | None
    volume: str | None
    issue: str | None
    pages: str | None
    publisher: str | None
    url: str | None
    accessed: str | None
    language: str | None
    citation: str | None
    origin: str
    key: str = ""
    keywords: list[str] = field(default_factory=list)

    @property
    def cite_title(self) -> str | None:
        """The title a reference gives: sentence case if recorded, else as stated; for an
        untitled work its bracketed description."""
        if self.title_sentence or self.title:
            return self.title_sentence or self.title
        if self.description:
            return f"[{self.description}]"
        if self.kind == "citation" and self.citation:
            return self.citation
        return None

    @property
    def container_title(self) -> str | None:
        return self.container or self.outlet

    @property
    def year(self) -> str | None:
        m = re.match(r"(\d{4})", self.published or "")
        return m.group(1) if m else None

    @property
    def kind_words(self) -> str:
        return KINDS.get(self.kind, KINDS["other"])[3]

    def missing(self) -> list[str]:
        """The fields a complete reference of this kind would have and this one lacks."""
        out = []
        if not (self.title or self.title_sentence):
            out.append("title")
        if not self.creators:
            out.append("authors")
        if not self.published:
            out.append("date")
        if self.kind in _NEEDS_CONTAINER and not self.container_title:
            out.append("journal" if self.kind == "journal_article" else "outlet")
        if self.kind == "journal_article":
            out += [f for f in ("volume", "issue", "pages") if not getattr(self, f)]
        if self.kind in _ONLINE or self.kind == "citation":
            if not self.url:
                out.append("URL")
            if self.url and not self.accessed:
                out.append("date accessed")
        if self.kind in ("citation", "other"):
            out.insert(0, "type")
        return out


# The sources columns a reference is read from, in the order `_row_ref` takes them: the
# SourceRef fields of the same names, then `authors` (names as written, when not parsed).
_FIELDS = (
    "id", "kind", "title", "title_sentence", "description", "outlet", "container", "creators",
    "published", "volume", "issue", "pages", "publisher", "url", "accessed", "language",
    "citation", "origin", "keywords", "authors",
)  # fmt: skip
_COLUMNS = ", ".join(_FIELDS)


def _row_ref(row: Sequence[Any]) -> SourceRef:
    values = dict(zip(_FIELDS, row, strict=True))
    creators = json_array(values.pop("creators"))
    authors = json_array(values.pop("authors"))
    if not creators:
        # A source added with `sources add --author` (or the app's Authors field) has its
        # authors as written: their names are read the way `sources set --author` reads them.
        creators = [parse_name(str(a)) for a in authors if str(a).strip()]
    keywords = json_array(values.pop("keywords"))
    return SourceRef(
        **values,
        creators=[c for c in creators if isinstance(c, dict)],
        keywords=[k for k in keywords if isinstance(k, str)],
    )


def read_sources(conn: sqlite3.Connection, ids: Iterable[str] | None = None) -> list[SourceRef]:
    """Sources as references with their keys (bundled first, then by id); only `ids` if given.

    Keys are worked out over every source, so a source has the same key in every export.
    """
    rows = conn.execute(f"SELECT {_COLUMNS} FROM sources ORDER BY origin DESC, id").fetchall()
    refs = [_row_ref(r) for r in rows]
    keys = assign_keys(refs)
    keyed = [_with_key(r, keys[r.id]) for r in refs]
    if ids is None:
        return keyed
    wanted = list(dict.fromkeys(ids))
    by_id = {r.id: r for r in keyed}
    missing = [i for i in wanted if i not in by_id]
    if missing:
        raise NotFound(f"No source with id '{missing[0]}'.")
    return [by_id[i] for i in wanted]


def _with_key(ref: SourceRef, key: str) -> SourceRef:
    from dataclasses import replace

    return replace(ref, key=key)


# ------------------------------------------------------------------------- keys
def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _first_word(text: str | None) -> str:
    for word in re.split(r"[\s\-–—/:,.;]+", text or ""):
        w = _ascii(word)
        if w:
            return w
    return ""


def base_key(ref: SourceRef) -> str:
    """Author or outlet, year ('nd' undated), first word of the title: 'agustina_2025_peran'."""
    name = ""
    if ref.creators:
        c = ref.creators[0]
        name = _first_word(c.get("family") or c.get("literal"))
    if not name:
        name = _first_word(ref.container_title)
    if not name and ref.kind == "citation":
        name = _first_word(ref.citation)
    year = ref.year
    if not year and ref.kind == "citation":
        m = re.search(r"\b(1[89]\d\d|20\d\d)\b", ref.citation or "")
        year = m.group(1) if m else None
    word = _first_word(ref.title_sentence or ref.title)
    parts = [name or "anon", year or "nd"]
    if word and word != name:
        parts.append(word)
    return "_".join(parts)


def assign_keys(refs: Sequence[SourceRef]) -> dict[str, str]:
    """source id -> citation key; equal keys get b, c, ... in the order of the source ids."""
    groups: dict[str, list[str]] = {}
    for r in refs:
        groups.setdefault(base_key(r), []).append(r.id)
    out: dict[str, str] = {}
    for key, ids in groups.items():
        for n, sid in enumerate(sorted(ids)):
            out[sid] = key if n == 0 else key + _letters(n)
    return out


def _letters(n: int) -> str:
    """1 -> 'b', 2 -> 'c', ..., 25 -> 'z', 26 -> 'ba', ..."""
    out = ""
    while True:
        n, r = divmod(n, 26)
        out = "abcdefghijklmnopqrstuvwxyz"[r] + out
        if n == 0:
            return out


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
        if c.get("literal"):
            lines.append(_ris_line("AU", c["literal"]))
        else:
            name = c.get("family", "") + (f", {c['given']}" if c.get("given") else "")
            lines.append(_ris_line("AU", name))
    if ref.cite_title:
        lines.append(_ris_line("TI", ref.cite_title))
    if ref.container_title:
        lines.append(_ris_line("T2", ref.container_title))
    if ref.year:
        lines.append(_ris_line("PY", ref.year))
    if ref.published and re.fullmatch(r"\d{4}(-\d{1,2}){0,2}", ref.published):
        y, m, d = ([*ref.published.split("-"), "", ""])[:3]
        lines.append(_ris_line("DA", f"{y}/{m}/{d}/" if m else f"{y}///"))
    if ref.volume:
        lines.append(_ris_line("VL", ref.volume))
    if ref.issue:
        lines.append(_ris_line("IS", ref.issue))
    if ref.pages:
        parts = re.split(r"\s*[-–]+\s*", ref.pages)
        first, last = parts[0], (parts[1] if len(parts) > 1 else None)
        lines.append(_ris_line("SP", first))
        if last:
            lines.append(_ris_line("EP", last))
    if ref.publisher:
        lines.append(_ris_line("PB", ref.publisher))
    if ref.url:
        lines.append(_ris_line("UR", ref.url))
    if ref.accessed:
        lines.append(_ris_line("Y2", ref.accessed.replace("-", "/")))
    if ref.language:
        lines.append(_ris_line("LA", ref.language))
    for k in ref.keywords:
        lines.append(_ris_line("KW", k))
    lines.append(_ris_line("ID", ref.key))
    lines.append("ER  - ")
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
    raise ParadiploError(f"Sources export as one of {', '.join(EXPORT_FORMATS)}, not '{fmt}'.")


# ------------------------------------------------------------------------- formatting
@dataclass(frozen=True)
class Formatted:
    """A source's reference-list entry and its in-text citation in one style."""

    key: str
    reference: str
    in_text: str


_LOCK = threading.Lock()
_STYLE_CACHE: dict[str, Any] = {}


def style_file(style: str) -> Path:
    """The CSL file of a style (for Pandoc's `csl:`)."""
    return CSL_DIR / STYLES[check_style(style)][0]


def check_style(style: str) -> str:
    if style not in STYLES:
        raise ParadiploError(f"The citation style is one of {', '.join(STYLES)}, not '{style}'.")
    return style


def _patch_citeproc() -> None:
    """Two fixes that make citeproc-py follow the CSL 1.0 specification (once per process):

    - A variable used as a substitute (APA puts the title where the author is missing) is
      suppressed in the rest of the reference, also when the substitute is a macro (the
      title was otherwise printed twice for a work with no author).
    - A `cs:label` of an empty variable prints nothing (Chicago printed "Edition." for every
      work without an edition).
    - `initialize="false"` on a name keeps given names whole (Chicago's reference list names
      authors in full; citeproc-py shortened them to initials).
    """
    from citeproc import model

    if getattr(model, "_paradiplo_patched", False):
        return

    def add_to_repressed_list(self: Any, child: Any, context: Any) -> None:
        layout = context.get_layout()
        seen: set[str] = set()

        def walk(el: Any) -> None:
            for sub in el.iter():
                var = sub.get("variable")
                if var and (sub is child or str(sub.tag).endswith("}text")):
                    for v in var.split():
                        layout.repressed.setdefault(sub.tag, []).append(v)
                macro = sub.get("macro")
                if macro and macro not in seen:
                    seen.add(macro)
                    walk(child.get_macro(macro))

        walk(child)

    original = model.Label.process

    def label_process(
        self: Any,
        item: Any,
        variable: Any = None,
        plural: Any = None,
        context: Any = None,
        **kw: Any,
    ) -> Any:
        if variable is None:
            var = self.get("variable")
            if var and var != "locator":
                try:
                    value = item.reference[var.replace("-", "_")]
                except model.VariableError:
                    return None
                if not value:
                    return None
        return original(self, item, variable, plural, context, **kw)

    # Speed: citeproc-py looks a macro up by an XPath search of the whole style every time it
    # is used (APA: hundreds per reference, 40% of the time); a style's macros never change.
    macros: dict[tuple[int, str], Any] = {}

    def get_macro(self: Any, name: str) -> Any:
        root = self.get_root()
        key = (id(root), name)
        found = macros.get(key)
        if found is None:
            found = macros[key] = root.xpath_search(f"cs:macro[@name='{name}'][1]")[0]
            found._paradiplo_root = root  # keeps the root alive while its id is a key
        return found

    original_initialize = model.Name.initialize

    def initialize(self: Any, given: str, mark: str, context: Any) -> Any:
        if self.get("initialize") == "false":
            return given
        return original_initialize(self, given, mark, context)

    model.Name.initialize = initialize
    model.Substitute.add_to_repressed_list = add_to_repressed_list
    model.Label.process = label_process
    model.CitationStylesElement.get_macro = get_macro
    model._paradiplo_patched = True  # type: ignore[attr-defined]


def _style(style: str) -> Any:
    from citeproc import CitationStylesStyle

    if style not in _STYLE_CACHE:
        file, locale, _label = STYLES[check_style(style)]
        _STYLE_CACHE[style] = CitationStylesStyle(
            str(CSL_DIR / file), locale=locale, validate=False
        )
    return _STYLE_CACHE[style]


def format_refs(
    refs: Sequence[SourceRef], style: str = DEFAULT_STYLE, fmt: str = "text"
) -> list[Formatted]:
    """Each source's reference and in-text citation, rendered by citeproc-py with a bundled
    CSL style. `fmt`: 'text' (plain), 'markdown' (italics as *...*) or 'html'.

    A source that is still only a citation string (an import made it and nobody completed it)
    is cited as its string, as the user wrote it: a style has nothing to format.
    """
    check_style(style)
    as_given = {r.key: _as_given(r, fmt) for r in refs if _only_a_string(r)}
    rendered = _render([r for r in refs if r.key not in as_given], style, fmt)
    by_key = {**as_given, **{f.key: f for f in rendered}}
    return [by_key[r.key] for r in refs]


def _only_a_string(ref: SourceRef) -> bool:
    return ref.kind == "citation" and not (ref.title or ref.title_sentence or ref.creators)


def _as_given(ref: SourceRef, fmt: str) -> Formatted:
    text = " ".join((ref.citation or ref.id).split())
    short = text if len(text) <= 60 else text[:59].rstrip() + "…"
    if fmt == "markdown":
        return Formatted(ref.key, md_escape(text), f"({md_escape(short)})")
    if fmt == "html":
        return Formatted(ref.key, html.escape(text), f"({html.escape(short)})")
    return Formatted(ref.key, text, f"({short})")


def _render(refs: Sequence[SourceRef], style: str, fmt: str) -> list[Formatted]:
    if not refs:
        return []
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    items = [csl_item(r) for r in refs]
    with _LOCK:  # citeproc keeps rendering state on the parsed style
        _patch_citeproc()
        source = CiteProcJSON(items)
        bib = CitationStylesBibliography(_style(style), source, formatter.html)
        citations = []
        for item in items:
            c = Citation([CitationItem(item["id"])])
            bib.register(c)
            citations.append(c)
        in_text = [str(bib.cite(c, lambda _item: None)) for c in citations]
        entries = [str(e) for e in bib.bibliography()]
        order = [str(k) for k in bib.keys]
    ref_by_key = dict(zip(order, entries, strict=False))
    out = []
    for item, cite in zip(items, in_text, strict=True):
        out.append(
            Formatted(
                item["id"],
                _convert(ref_by_key.get(item["id"], ""), fmt),
                _convert(cite, fmt),
            )
        )
    return out


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _convert(markup: str, fmt: str) -> str:
    """citeproc's HTML as plain text, Markdown or HTML."""
    markup = " ".join(markup.split())
    # Both bundled locales put a comma or full stop inside the closing quote
    # (punctuation-in-quote), which citeproc-py does not do itself.
    markup = re.sub(r"”((?:</[a-z]+>)*)([,.])", r"\2”\1", markup)
    # A bracketed description stands in for a missing title without quotation marks (APA 9.8).
    markup = re.sub(r"“(\[[^“”\]]*\])([,.]?)”", r"\1\2", markup)
    if fmt == "html":
        return markup
    out = []
    for token in re.split(r"(<[^>]+>)", markup):
        if token.startswith("<"):
            if fmt == "markdown" and token in ("<i>", "</i>"):
                out.append("*")
            elif fmt == "markdown" and token in ("<b>", "</b>"):
                out.append("**")
            continue
        text = html.unescape(token)
        out.append(_MD_SPECIAL.sub(r"\\\1", text) if fmt == "markdown" else text)
    return "".join(out).strip()


def short_label(ref: SourceRef) -> str:
    """Who and when in words, as a sentence names a source: 'Agustina et al., 2025',
    'Kompasiana, n.d.'."""
    names = [c.get("family") or c.get("literal") or "" for c in ref.creators]
    names = [n for n in names if n]
    if len(names) > 2:
        who = f"{names[0]} et al."
    elif names:
        who = " and ".join(names)
    else:
        who = ref.container_title or ref.cite_title or "Unknown source"
    return f"{who}, {ref.year or 'n.d.'}"


def md_escape(text: str) -> str:
    """Plain text for Markdown: the characters Markdown reads as syntax are escaped."""
    return _MD_SPECIAL.sub(r"\\\1", text)


# ------------------------------------------------------------------------- facts
@dataclass(frozen=True)
class CitedFact:
    """A claim about a case, the verbatim quote behind it, and where the quote is from."""

    claims: tuple[str, ...]
    quote: str | None
    source: SourceRef


def _claim(d: CaseDetail, fact: str) -> str:
    partner = d.partner.name if d.partner else (d.partner_as_stated or "a partner not named")
    country = d.partner.country_name if d.partner and d.partner.country_name else None
    in_country = f" ({country})" if country and country != partner else ""
    parties = f"{d.region.name} and {partner}{in_country}"
    kind, _, rest = fact.partition(":")
    if fact == "region":
        return f"The Indonesian party to “{d.title}” is {d.region.name}."
    if fact == "partner":
        return f"The partner of {d.region.name} in “{d.title}” is {partner}{in_country}."
    if fact == "partner_country":
        return f"The partner of {d.region.name} in “{d.title}” is from {country or 'a country not stated'}."
    if fact == "facilitator" and d.facilitator:
        return f"The cooperation between {parties} is facilitated by {d.facilitator.name}."
    if fact == "type":
        stated = f" (“{d.type_as_stated}”)" if d.type_as_stated else ""
        return f"The cooperation between {parties} is a {d.type_label.lower()}{stated}."
    if fact == "date":
        when = d.date or "a date not stated"
        if d.date_as_stated and d.date_as_stated != d.date:
            when += f" (“{d.date_as_stated}”)"
        return f"The cooperation between {parties} dates from {when}."
    if fact == "status":
        stated = d.status_as_stated or d.status or "not stated"
        return f"The status of the cooperation between {parties}: {stated}."
    if kind == "sector":
        label = next((s.label_en for s in d.sectors if s.id == rest), rest.replace("-", " "))
        return f"The cooperation between {parties} covers {label.lower()}."
    if fact == "scope_article":
        return f"The scope of the cooperation between {parties}: {d.scope_article}."
    if fact in ("title", "summary"):
        return d.summary or d.title
    return f"{fact.replace('_', ' ').capitalize()} of “{d.title}”."


def case_facts(conn: sqlite3.Connection, case_id: str, fact: str | None = None) -> list[CitedFact]:
    """The case's quotes, each with the claims it supports and its source, in the order of
    the evidence (`fact` keeps one field: 'date', 'partner', 'sector:tourism', or 'sector' for
    every sector)."""
    from paradiplo.db.queries import case_detail

    d = case_detail(conn, case_id)
    pairs: list[tuple[str, Any]] = []
    for e in d.evidence:
        for f in e.supports or ["title"]:
            if fact is None or f == fact or (fact == "sector" and f.startswith("sector:")):
                pairs.append((f, e))
    if fact is not None and not pairs:
        stated = sorted({f for e in d.evidence for f in e.supports})
        raise ParadiploError(
            f"No quote in case '{case_id}' supports '{fact}'. "
            f"Quoted facts: {', '.join(stated) or 'none'}."
        )
    refs = {r.id: r for r in read_sources(conn, {e.source_id for _f, e in pairs})}
    by_evidence: dict[int, tuple[list[str], Any]] = {}
    for f, e in pairs:
        by_evidence.setdefault(e.id, ([], e))[0].append(_claim(d, f))
    return [
        CitedFact(tuple(dict.fromkeys(claims)), e.quote, refs[e.source_id])
        for claims, e in by_evidence.values()
    ]


def claims_for(conn: sqlite3.Connection, case_id: str, supports: Sequence[str]) -> list[str]:
    """Claims about a case for the facts a quote supports (the app's 'cite this fact')."""
    from paradiplo.db.queries import case_detail

    d = case_detail(conn, case_id)
    return [_claim(d, f) for f in supports]


def render_facts(facts: Sequence[CitedFact], style: str = DEFAULT_STYLE, fmt: str = "text") -> str:
    """Claims with their quotes and citations, then the references (text or Markdown), or the
    BibTeX of the sources with the claims as comments."""
    if fmt not in CITE_FORMATS:
        raise ParadiploError(
            f"The citation format is one of {', '.join(CITE_FORMATS)}, not '{fmt}'."
        )
    sources = list({f.source.id: f.source for f in facts}.values())
    if fmt == "bibtex":
        lines = []
        for f in facts:
            lines += [f"% {' '.join(c.split())}" for c in f.claims]
            if f.quote:
                lines.append(f"% “{' '.join(f.quote.split())}” \\parencite{{{f.source.key}}}")
        return "\n".join(lines) + "\n\n" + bibtex(sources)
    formatted = {
        x.key: x for x in format_refs(sources, style, "markdown" if fmt == "markdown" else "text")
    }
    out: list[str] = []
    for f in facts:
        cite = formatted[f.source.key]
        if fmt == "markdown":
            quote = (
                f"> “{md_escape(' '.join(f.quote.split()))}” [@{f.source.key}]"
                if f.quote
                else f"> (the source as a whole) [@{f.source.key}]"
            )
            out += [*(f"- {md_escape(c)}" for c in f.claims), "", quote, ""]
        else:
            quote = (
                f"“{' '.join(f.quote.split())}” {cite.in_text}"
                if f.quote
                else f"(the source as a whole) {cite.in_text}"
            )
            out += [*f.claims, quote, ""]
    heading = "## References" if fmt == "markdown" else "References"
    out += [heading, ""]
    out += [
        formatted[s.key].reference + ("\n" if fmt == "markdown" else "")
        for s in sorted(sources, key=lambda s: formatted[s.key].reference.casefold())
    ]
    return "\n".join(out).rstrip() + "\n"


def cite_quote(
    conn: sqlite3.Connection,
    source_id: str,
    quote: str,
    style: str = DEFAULT_STYLE,
    claims: Sequence[str] = (),
) -> str:
    """A quote as a paper quotes it: the claims it supports (if any), “the quote” with its
    in-text citation, then the reference. Plain text, for the clipboard."""
    (ref,) = read_sources(conn, [source_id])
    (f,) = format_refs([ref], style, "text")
    lines = [*claims, f"“{' '.join(quote.split())}” {f.in_text}", "", f.reference]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------- completing
# The fields `complete_source` sets (CLI option -> column).
EDITABLE = (
    "kind", "title", "title_sentence", "description", "outlet", "container", "volume", "issue",
    "pages", "publisher", "published", "url", "accessed", "language",
)  # fmt: skip
_DATE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")


def parse_name(text: str) -> dict[str, str]:
    """'Family, Given' or 'Given Family' (last word as family name) or '{Organisation}'."""
    text = " ".join(text.split())
    if text.startswith("{") and text.endswith("}") and len(text) > 2:
        return {"literal": text[1:-1].strip()}
    family, sep, given = text.partition(",")
    if sep:
        return (
            {"family": family.strip(), "given": given.strip()}
            if given.strip()
            else {"family": family.strip()}
        )
    *given_words, last = text.split(" ")
    return {"family": last, "given": " ".join(given_words)} if given_words else {"family": last}


def complete_source(
    store: Any,
    source_id: str,
    fields: dict[str, str],
    authors: Sequence[str] | None = None,
) -> SourceRef:
    """Fill in a source's reference fields (a source the user added: the bundled ones are
    rebuilt from seeds/sources.toml). An empty value clears a field. Returns the source."""
    import sqlite_utils

    problems = []
    unknown = sorted(set(fields) - set(EDITABLE))
    if unknown:
        problems.append(f"unknown field(s) {', '.join(unknown)}")
    kind = fields.get("kind")
    if kind and kind not in KINDS:
        problems.append(f"kind is one of {', '.join(k for k in KINDS if k != 'citation')}")
    for name, word in (("published", "date"), ("accessed", "accessed")):
        value = fields.get(name)
        if value and not _DATE.fullmatch(value):
            problems.append(f"{word} '{value}' is not YYYY, YYYY-MM or YYYY-MM-DD")
    url = fields.get("url")
    if url and not re.match(r"https?://\S+$", url):
        problems.append(f"url '{url}' does not start with http:// or https://")
    names = [parse_name(a) for a in authors or [] if a.strip()]
    if problems:
        raise ParadiploError(f"Source '{source_id}': {'; '.join(problems)}. Nothing was changed.")
    with store.write() as conn:
        row = conn.execute("SELECT origin FROM sources WHERE id = ?", (source_id,)).fetchone()
        if row is None:
            raise NotFound(f"No source with id '{source_id}'.")
        if row[0] == "seed":
            raise ParadiploError(
                f"Source '{source_id}' is bundled: its fields come from seeds/sources.toml and"
                " are rebuilt from it; change that file instead. Nothing was changed."
            )
        values: dict[str, Any] = {k: (v or None) for k, v in fields.items()}
        if authors is not None:
            values["creators"] = json.dumps(names, ensure_ascii=False)
            values["authors"] = json.dumps(
                [c.get("literal") or f"{c.get('given', '')} {c['family']}".strip() for c in names],
                ensure_ascii=False,
            )
        if values:
            sqlite_utils.Database(conn).table("sources").update(source_id, values)
    (ref,) = read_sources(store.conn, [source_id])
    return ref
