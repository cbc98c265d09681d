"""A source as a reference (`SourceRef`), read from its columns, with its citation key.

Keys are stable and readable: the first author's family name (or the outlet), the year
(`nd` when undated) and the first word of the title, lower-case ASCII, joined by `_`
(`agustina_2025_peran`, `kumparan_nd_kemitraan`). Two sources with the same key are told
apart by a letter (`b`, `c`, ...) in the order of their ids. Read through db/cite.py.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import field
from typing import Any

from paradiplo.db.errors import NotFound
from paradiplo.db.i18n import N_, _
from paradiplo.db.record import record
from paradiplo.db.text import json_array

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
# What `SourceRef.missing` calls each missing field.
MISSING_WORDS = {
    "type": N_("type"),
    "title": N_("title"),
    "authors": N_("authors"),
    "date": N_("date"),
    "journal": N_("journal"),
    "outlet": N_("outlet"),
    "volume": N_("volume"),
    "issue": N_("issue"),
    "pages": N_("pages"),
    "url": N_("URL"),
    "accessed": N_("date accessed"),
}
LANGIDS = {"id": "indonesian", "en": "english", "ms": "malay", "ja": "japanese"}


@record
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

    def missing(self, tr: Callable[[str], str] = _) -> list[str]:
        """The fields a complete reference of this kind would have and this one lacks, in
        words (`tr`: the interface language unless told otherwise; `str` for English)."""
        return [tr(MISSING_WORDS[f]) for f in self._missing()]

    def _missing(self) -> list[str]:
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
                out.append("url")
            if self.url and not self.accessed:
                out.append("accessed")
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
        raise NotFound(_("No source with id '{id}'.").format(id=missing[0]))
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
