"""Formatted references and in-text citations: citeproc-py with the CSL styles in `db/csl/`
(APA 7th, Chicago author-date; APA 7th with the Indonesian locale). Nothing meant for a paper
carries a file name, a source id or a character offset. Read through db/cite.py.

citeproc-py is imported on first use (it loads lxml): nothing on the way to the app's first
screen pays for it.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from paradiplo.db.cite_export import csl_item
from paradiplo.db.errors import ParadiploError
from paradiplo.db.i18n import N_, _
from paradiplo.db.record import record
from paradiplo.db.references import SourceRef

CSL_DIR = Path(__file__).resolve().parent / "csl"

# style id -> (CSL file in db/csl, locale, label); the label is translated where shown.
STYLES: dict[str, tuple[str, str, str]] = {
    "apa": ("apa.csl", "en-US", N_("APA 7th edition")),
    "chicago": ("chicago-author-date.csl", "en-US", N_("Chicago author-date (18th edition)")),
    "apa-id": ("apa.csl", "id-ID", N_("APA 7th edition, Bahasa Indonesia (dkk., t.t.)")),
}
DEFAULT_STYLE = "apa"


# ------------------------------------------------------------------------- formatting
@record
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
        raise ParadiploError(
            _("The citation style is one of {styles}, not '{style}'.").format(
                styles=", ".join(STYLES), style=style
            )
        )
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
