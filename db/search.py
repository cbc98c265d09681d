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

from db.analyze import analyse_word, fold, join_phrases, phrases, token_spans, tokens, vocabulary
from db.models import Filters, SearchHit
from db.queries import where_clause
from db.searchdocs import OTHERS_BASE, filter_token

HL_OPEN = "\x02"
HL_CLOSE = "\x03"
MAX_QUERY = 500  # characters of a query that are read
MAX_PARTS = 16  # words (or phrases) of a query that are matched
MIN_PREFIX = 2  # a word being typed matches as a prefix from this many characters
SNIPPET_WORDS = 20
CANDIDATES = 1000  # matches ranked per rowid range (see `_ranked`)
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


def _canonical(terms: Iterable[str]) -> tuple[str, ...]:
    """Analysed terms with known phrases joined into one token, as the index stores them."""
    return tuple(join_phrases(list(terms)))


def _is_phrase(terms: tuple[str, ...]) -> bool:
    return len(terms) > 1 and terms in phrases().by_first.get(terms[0], ())


def _highlightable(terms: Iterable[str]) -> set[str]:
    return {t for t in terms if len(t) > 1 and t not in STOP_WORDS}


@lru_cache(maxsize=1)
def _synonyms() -> dict[tuple[str, ...], tuple[tuple[tuple[str, ...], frozenset[str]], ...]]:
    """Canonical synonym -> (canonical form, words to highlight) of every synonym in its groups."""
    table: dict[tuple[str, ...], set[tuple[tuple[str, ...], frozenset[str]]]] = {}
    for group in vocabulary().groups:
        forms = []
        for term in group:
            analysed = _analysed(tokens(term))
            if analysed:
                forms.append((_canonical(analysed), frozenset(_highlightable(analysed))))
        for key, _words in forms:
            table.setdefault(key, set()).update(forms)
    return {k: tuple(sorted(v, key=lambda f: f[0])) for k, v in table.items()}


@dataclass
class _Builder:
    """Collects the parts of a query and the words to highlight."""

    parts: list[Part]
    words: set[str]
    prefixes: list[str]

    def add(self, alts: list[Alt], highlight: Iterable[str], key: tuple[str, ...]) -> None:
        """Add one part: its own forms `alts`, plus every synonym of `key`."""
        self.words.update(_highlightable(highlight))
        for form, words in _synonyms().get(key, ()):
            alts.append(Alt(form))
            self.words.update(words)
        for alt in alts:
            if alt.prefix:
                self.prefixes.append(alt.words[-1])
        self.parts.append(Part(tuple(dict.fromkeys(alts))))

    def word(self, raw: str, prefix: bool) -> None:
        """One unquoted word: as typed (matches titles and bodies) and as its stem."""
        analysed = analyse_word(raw)
        alts = [Alt((raw,), prefix)]
        if analysed != (raw,):
            alts.append(Alt(analysed, prefix and len(analysed) == 1))
        self.add(alts, (raw, *analysed), analysed)

    def phrase(self, analysed: tuple[str, ...]) -> None:
        """Unquoted words forming a known phrase: one joined token ("sister city")."""
        self.add([Alt(("".join(analysed),))], analysed, ("".join(analysed),))

    def quoted(self, raw: tuple[str, ...], prefix: bool) -> None:
        """A quoted phrase: matched as a phrase, as typed or analysed."""
        analysed = _analysed(raw)
        canonical = _canonical(analysed)
        alts = [Alt(raw, prefix), Alt(analysed, prefix and len(analysed) == len(raw))]
        if canonical != analysed:
            alts.append(Alt(canonical))
        self.add(alts, (*raw, *analysed), canonical)


def _free_words(b: _Builder, words: list[str], typing: bool) -> None:
    """Parts for unquoted words: known phrases first, then single words minus stop words.

    The word being typed (the last, with no space after it yet) matches as a prefix once it
    has MIN_PREFIX characters; a shorter one is left out unless it is the whole query.
    """
    analysed = [analyse_word(w) for w in words]
    droppable = any(w not in STOP_WORDS for w in words)
    longest = phrases().longest
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            key = tuple(t for a in analysed[i : i + n] for t in a)
            if _is_phrase(key):
                b.phrase(key)
                i += n
                break
        else:
            word = words[i]
            i += 1
            last = typing and i == len(words)
            if last and len(word) < MIN_PREFIX and (b.parts or i > 1):
                continue
            if droppable and word in STOP_WORDS and not last:
                continue
            b.word(word, last and len(word) >= MIN_PREFIX)


@lru_cache(maxsize=512)
def parse_query(text: str) -> Query:
    """Parse user text into a Query. Never raises; an empty Query matches nothing."""
    text = text[:MAX_QUERY]
    typing = bool(_WORD_END.search(text))
    segments = text.split('"')
    b = _Builder([], set(), [])
    for index, segment in enumerate(segments):
        words = tokens(segment)
        if not words:
            continue
        is_last = index == len(segments) - 1
        if index % 2 == 1:  # inside quotes: one phrase (unclosed at the end: still typing)
            raw = tuple(words[:MAX_PARTS])
            b.quoted(raw, typing and is_last and len(raw[-1]) >= MIN_PREFIX)
        else:
            _free_words(b, words[: MAX_PARTS * 2], typing and is_last)
    return Query(tuple(b.parts[:MAX_PARTS]), frozenset(b.words), tuple(dict.fromkeys(b.prefixes)))


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
    "SELECT d.kind, d.ref_id,"
    " CASE WHEN d.kind = 'passage' THEN coalesce(s.title, s.outlet, s.id, d.title)"
    " ELSE d.title END, d.body,"
    f" snippet(search_docs_fts, 1, '{_FTS_OPEN}', '{_FTS_CLOSE}', '…', {SNIPPET_WORDS}),"
    " search_docs_fts.rank, d.anchor_start, d.anchor_end,"
    " n.target_type, n.target_id, n.anchor_start, n.anchor_end"
    " FROM search_docs_fts JOIN search_docs d ON d.id = search_docs_fts.rowid"
    " LEFT JOIN notes n ON d.kind = 'note' AND n.id = d.ref_id"
    " LEFT JOIN sources s ON d.kind = 'passage'"
    " AND s.id = substr(d.ref_id, 1, instr(d.ref_id, '#') - 1)"
    f" WHERE search_docs_fts MATCH ? AND search_docs_fts.rank MATCH '{RANK}'"
    " AND search_docs_fts.rowid >= ? AND search_docs_fts.rowid < ?"
    " ORDER BY search_docs_fts.rank LIMIT ?"
)
_BOUNDARY = (
    "SELECT rowid FROM search_docs_fts WHERE search_docs_fts MATCH ?"
    " AND rowid >= ? AND rowid < ? ORDER BY rowid DESC LIMIT 1 OFFSET ?"
)
# Rowid ranges searched separately (see db/searchdocs.py): notes, terms and passages; cases.
_SEGMENTS = ((OTHERS_BASE, 1 << 62), (0, OTHERS_BASE))


def filter_expression(filters: Filters | None) -> str | None:
    """FTS5 terms restricting hits to cases matching `filters` and notes on those cases.

    Cases and notes on cases carry a token per filter key (db/searchdocs.py), so the
    restriction runs inside FTS5. Unknown keys raise NotFound, as `where_clause` does.
    """
    if filters is None or filters.is_empty():
        return None
    where_clause(filters)  # validates the keys
    keys = [k for k in (filters.region, filters.partner) if k]
    keys += [f"s:{sector}" for sector in filters.sectors]
    return " AND ".join(f'"{filter_token(k)}"' for k in keys)


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
        title=_clean(str(title or "")),
        snippet=make_snippet(str(snip or ""), str(body or ""), q),
        score=float(score),  # type: ignore[arg-type]
        case_id=case_id,
        source_id=source_id,
        anchor_start=a if isinstance(a, int) else None,
        anchor_end=b if isinstance(b, int) else None,
    )


def _ranked(
    conn: sqlite3.Connection, expr: str, lo: int, hi: int, limit: int
) -> list[tuple[object, ...]]:
    """The best `limit` matches in rowids [lo, hi), ranking at most CANDIDATES of them.

    Ranking costs about a microsecond per match, too much for a word found in 100,000
    documents at every keystroke. So a query with more than CANDIDATES matches in the range
    ranks only its newest CANDIDATES (highest rowids); finding where they start is cheap.
    """
    edge = conn.execute(_BOUNDARY, (expr, lo, hi, CANDIDATES)).fetchone()
    if edge is not None:
        lo = int(edge[0]) + 1
    return [tuple(r) for r in conn.execute(_SELECT, (expr, lo, hi, limit))]


def search(
    conn: sqlite3.Connection,
    text: str,
    *,
    limit: int = 50,
    filters: Filters | None = None,
) -> list[SearchHit]:
    """The best `limit` hits for `text`, best first. Never raises on any query text.

    With non-empty `filters`, only cases matching them (and notes on those cases) are
    returned, as in the agreements pane. Notes, passages and glossary terms are ranked apart
    from cases and merged by score, so a large case collection cannot crowd them out.
    """
    q = parse_query(text)
    expr = q.fts
    if expr is None or limit <= 0:
        return []
    restrict = filter_expression(filters)
    if restrict:
        expr = f"({expr}) AND {restrict}"
    rows: list[tuple[object, ...]] = []
    try:
        for lo, hi in _SEGMENTS:
            rows += _ranked(conn, expr, lo, hi, limit)
    except sqlite3.OperationalError as exc:
        if "fts5" in str(exc) or "syntax" in str(exc):
            return []  # a query FTS5 cannot run (should not happen: every word is quoted)
        raise
    rows.sort(key=lambda r: float(r[5]))  # type: ignore[arg-type]
    return [_hit(r, q) for r in rows[:limit]]
