"""Full-text search over cases, source passages, notes and glossary terms (SQLite FTS5).

Any string is a valid query and none raises. The text is split into words with the same
analysis as the index (db/analyze.py); every word reaches FTS5 inside double quotes, so
``AND``, ``NEAR``, ``*``, ``-``, ``:`` and parentheses are plain text, never syntax.
``"quoted words"`` match as a phrase. The word still being typed (no space after it yet)
matches as a prefix. Each word also matches its stem, its compound parts and its synonyms
from seeds/synonyms.toml, so ``Jepang`` finds ``Japan`` and ``bekerjasama`` finds
``kerja sama``.

Results are ranked by bm25 with a title match worth more than a body match, and each carries
a one-line snippet with the matching words between HL_OPEN and HL_CLOSE. FTS5 chooses the
snippet; when the match was on a stem or synonym that FTS5 cannot highlight, the words are
found and marked here.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from db.analyze import analyse_word, fold, token_spans, tokens, vocabulary
from db.models import Filters, SearchHit
from db.queries import where_clause

HL_OPEN = "\x02"
HL_CLOSE = "\x03"
MAX_QUERY = 500  # characters of a query that are read
MAX_PARTS = 16  # words (or phrases) of a query that are matched
MAX_KEY = 6  # words in the longest synonym phrase
MIN_PREFIX = 2  # a word being typed matches as a prefix from this many characters
SNIPPET_WORDS = 20
SCAN_CHARS = 20_000  # how far into a long body to look for a word to highlight
# bm25 column weights for (title, body, terms): a title match counts most. `terms` repeats
# title and body as stems plus labels and synonyms, so it only needs a small weight.
RANK = "bm25(8.0, 2.0, 1.0)"

# Private-use markers for FTS5's snippet(); turned into HL_OPEN/HL_CLOSE here.
_FTS_OPEN = "\ue000"
_FTS_CLOSE = "\ue001"
_MARKERS = re.compile("[\x02\x03\ue000\ue001]")
_WS = re.compile(r"\s+")
_WORD_END = re.compile(r"[^\W_]$")

# Words left out of an unquoted query (unless nothing else is left): a question like
# "kerja sama dengan Jepang" or "tourism and trade" should not need the little words.
STOP_WORDS = frozenset(
    "a an the of and or in on at to for with by from is are was as its it that this"
    " dan atau yang di ke dari dengan untuk pada dalam ini itu juga oleh para sebagai".split()
)


# --------------------------------------------------------------------------- queries
@dataclass(frozen=True)
class Alt:
    """One way a query part can match: a phrase of index words, the last one maybe a prefix."""

    words: tuple[str, ...]
    prefix: bool = False

    def fts(self) -> str:
        return '"' + " ".join(self.words) + '"' + ("*" if self.prefix else "")


@dataclass(frozen=True)
class Part:
    """One word or phrase of the query: it must match in one of its forms (alts)."""

    alts: tuple[Alt, ...]

    def fts(self) -> str:
        if len(self.alts) == 1:
            return self.alts[0].fts()
        return "(" + " OR ".join(a.fts() for a in self.alts) + ")"


@dataclass(frozen=True)
class Query:
    """A parsed query: its FTS5 expression and what to highlight in results."""

    parts: tuple[Part, ...]
    words: frozenset[str]  # folded words and analysed terms to highlight
    prefixes: tuple[str, ...]  # folded prefixes (the word being typed) to highlight

    @property
    def fts(self) -> str | None:
        """The FTS5 MATCH expression, or None if the query has no searchable word."""
        if not self.parts:
            return None
        return " AND ".join(p.fts() for p in self.parts)

    def matches(self, word: str) -> bool:
        """Whether one folded word of a result should be highlighted."""
        if word in self.words or word.startswith(self.prefixes):
            return True
        return any(t in self.words for t in analyse_word(word))


def _analysed(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(t for w in words for t in analyse_word(w))


@lru_cache(maxsize=1)
def _synonyms() -> tuple[dict[tuple[str, ...], tuple[tuple[str, ...], ...]], int]:
    """Analysed synonym phrase -> every analysed phrase of its group(s); and the longest key."""
    table: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    for group in vocabulary().groups:
        phrases = [p for p in (_analysed(tokens(t)) for t in group) if p]
        for p in phrases:
            table.setdefault(p, set()).update(phrases)
    longest = max((len(k) for k in table), default=0)
    return {k: tuple(sorted(v)) for k, v in table.items()}, min(longest, MAX_KEY)


def _part(
    raw: tuple[str, ...], prefix: bool, synonyms: tuple[tuple[str, ...], ...] = ()
) -> Part:
    """The alternatives for one query word or phrase: as typed, analysed, and synonyms."""
    alts: list[Alt] = [Alt(raw, prefix)]
    analysed = _analysed(raw)
    if analysed != raw:
        alts.append(Alt(analysed, prefix and len(analysed) == len(raw)))
    for phrase in synonyms:
        if phrase not in (raw, analysed):
            alts.append(Alt(phrase))
    return Part(tuple(dict.fromkeys(alts)))


def _free_parts(words: list[str], typing: bool) -> list[Part]:
    """Parts for unquoted words: synonym phrases first, then single words minus stop words."""
    table, longest = _synonyms()
    analysed = [analyse_word(w) for w in words]
    droppable = any(w not in STOP_WORDS for w in words)
    parts: list[Part] = []
    i = 0
    while i < len(words):
        matched = 0
        for n in range(min(longest, len(words) - i), 0, -1):
            key = tuple(t for a in analysed[i : i + n] for t in a)
            if key in table:
                matched = n
                break
        last = typing and i + max(matched, 1) == len(words)
        if matched:
            key = tuple(t for a in analysed[i : i + matched] for t in a)
            parts.append(_part(tuple(words[i : i + matched]), last, table[key]))
            i += matched
            continue
        word = words[i]
        i += 1
        if droppable and word in STOP_WORDS and not last:
            continue
        parts.append(_part((word,), last and len(word) >= MIN_PREFIX))
    return parts


@lru_cache(maxsize=512)
def parse_query(text: str) -> Query:
    """Parse user text into a Query. Never raises; an empty Query matches nothing."""
    text = text[:MAX_QUERY]
    typing = bool(_WORD_END.search(text))
    segments = text.split('"')
    parts: list[Part] = []
    table, _ = _synonyms()
    for index, segment in enumerate(segments):
        words = tokens(segment)
        if not words:
            continue
        is_last = index == len(segments) - 1
        if index % 2 == 1:  # inside quotes: one phrase (unclosed at the end: still typing)
            raw = tuple(words[:MAX_PARTS])
            prefix = typing and is_last and len(raw[-1]) >= MIN_PREFIX
            parts.append(_part(raw, prefix, table.get(_analysed(raw), ())))
        else:
            parts.extend(_free_parts(words, typing and is_last))
    parts = parts[:MAX_PARTS]
    highlight: set[str] = set()
    prefixes: list[str] = []
    for part in parts:
        for alt in part.alts:
            highlight.update(w for w in alt.words if w not in STOP_WORDS)
            if alt.prefix:
                prefixes.append(alt.words[-1])
    return Query(tuple(parts), frozenset(highlight), tuple(dict.fromkeys(prefixes)))


def fts_query(text: str) -> str | None:
    """The FTS5 MATCH expression for user text, or None if it has no searchable word."""
    return parse_query(text).fts


# --------------------------------------------------------------------------- highlighting
def _clean(text: str) -> str:
    return _WS.sub(" ", _MARKERS.sub("", text)).strip()


def highlight(text: str, query: Query | str) -> str:
    """`text` on one line with the words the query matches between HL_OPEN and HL_CLOSE."""
    q = parse_query(query) if isinstance(query, str) else query
    text = _clean(text)
    out: list[str] = []
    pos = 0
    for start, end, word in token_spans(text):
        if start < pos or not q.matches(word):
            continue
        out += [text[pos:start], HL_OPEN, text[start:end], HL_CLOSE]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _fragment(body: str, q: Query) -> str:
    """A window of the body around its first matching word (or its opening words)."""
    head = _clean(body[:SCAN_CHARS])
    spans = [(s, e) for s, e, _w in token_spans(head)]
    first = next((i for i, (s, e) in enumerate(spans) if q.matches(fold(head[s:e]))), 0)
    lo = max(0, first - SNIPPET_WORDS // 4)
    hi = min(len(spans), lo + SNIPPET_WORDS)
    if not spans:
        return head[:200]
    text = head[spans[lo][0] : spans[hi - 1][1]]
    return ("…" if lo > 0 else "") + text + ("…" if hi < len(spans) or len(body) > len(head) else "")


def make_snippet(fts_snippet: str, body: str, q: Query) -> str:
    """The snippet shown for a hit: FTS5's fragment, re-highlighted with stems and synonyms."""
    marked = highlight(fts_snippet, q)
    if HL_OPEN in marked:
        return marked
    if _FTS_OPEN in fts_snippet:  # FTS5 matched a form this module does not: keep its marks
        return _clean(fts_snippet.replace(_FTS_OPEN, "\x00").replace(_FTS_CLOSE, "\x01")).replace(
            "\x00", HL_OPEN
        ).replace("\x01", HL_CLOSE)
    return highlight(_fragment(body, q), q)


# --------------------------------------------------------------------------- searching
_SELECT = (
    "SELECT d.kind, d.ref_id, d.title, d.body,"
    f" snippet(search_docs_fts, 1, '{_FTS_OPEN}', '{_FTS_CLOSE}', '…', {SNIPPET_WORDS}),"
    " search_docs_fts.rank, d.anchor_start, d.anchor_end,"
    " n.target_type, n.target_id, n.anchor_start, n.anchor_end"
    " FROM search_docs_fts JOIN search_docs d ON d.id = search_docs_fts.rowid"
    " LEFT JOIN notes n ON d.kind = 'note' AND n.id = d.ref_id"
    f" WHERE search_docs_fts MATCH ? AND search_docs_fts.rank MATCH '{RANK}'"
)


def _filter_sql(filters: Filters | None) -> tuple[str, list[object]]:
    """Restrict hits to cases matching the filters, and to notes on those cases."""
    if filters is None or filters.is_empty():
        return "", []
    where, params = where_clause(filters, "c")
    cond = where.removeprefix("WHERE ")
    sql = (
        " AND ((d.kind = 'case' AND EXISTS (SELECT 1 FROM cases c WHERE c.id = d.ref_id"
        f" AND {cond})) OR (d.kind = 'note' AND n.target_type = 'case' AND EXISTS"
        f" (SELECT 1 FROM cases c WHERE c.id = n.target_id AND {cond})))"
    )
    return sql, [*params, *params]


def _hit(row: tuple[object, ...], q: Query) -> SearchHit:
    kind, ref_id, title, body, snip, score, a, b, n_type, n_target, n_a, n_b = row
    ref = str(ref_id)
    case_id = source_id = None
    if kind == "case":
        case_id = ref
    elif kind == "passage":
        source_id = ref.split("#")[0]
    elif kind == "note":
        if n_type == "case":
            case_id = str(n_target)
        elif n_type in ("source", "passage"):
            source_id = str(n_target)
        a, b = n_a, n_b
    return SearchHit(
        kind=str(kind),
        ref_id=ref,
        title=_clean(str(title)),
        snippet=make_snippet(str(snip or ""), str(body or ""), q),
        score=float(score),  # type: ignore[arg-type]
        case_id=case_id,
        source_id=source_id,
        anchor_start=a if isinstance(a, int) else None,
        anchor_end=b if isinstance(b, int) else None,
    )


def search(
    conn: sqlite3.Connection,
    text: str,
    *,
    limit: int = 50,
    filters: Filters | None = None,
) -> list[SearchHit]:
    """The best `limit` hits for `text`, best first. Never raises on any query text.

    With non-empty `filters`, only cases matching them (and notes on those cases) are
    returned, as in the agreements pane.
    """
    q = parse_query(text)
    expr = q.fts
    if expr is None or limit <= 0:
        return []
    extra, params = _filter_sql(filters)
    sql = f"{_SELECT}{extra} ORDER BY search_docs_fts.rank LIMIT ?"
    try:
        rows = conn.execute(sql, [expr, *params, limit]).fetchall()
    except sqlite3.OperationalError as exc:
        if "fts5" in str(exc) or "syntax" in str(exc):
            return []  # a query FTS5 cannot run (should not happen: every word is quoted)
        raise
    return [_hit(tuple(r), q) for r in rows]
