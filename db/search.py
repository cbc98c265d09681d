"""Full-text search over cases, source passages, notes and glossary terms (SQLite FTS5).

Any string is a valid query and none raises. The text is split into words with the same
analysis as the index (db/analyze.py); every word reaches FTS5 inside double quotes, so
``AND``, ``NEAR``, ``*``, ``-``, ``:`` and parentheses are plain text, never syntax.
``"quoted words"`` match as a phrase. The word still being typed (no space after it yet)
matches as a prefix. Each word also matches its stem, its compound parts and its synonyms
from seeds/synonyms.toml, so ``Jepang`` finds ``Japan`` and ``bekerjasama`` finds
``kerja sama``.

Results are ranked by bm25 with a title match worth more than a body match, and each carries
a one-line snippet centred on the first matching word (as typed, stemmed or a synonym), with
the matching words between HL_OPEN and HL_CLOSE.

Speed (100,000 cases, per keystroke): bm25 needs a pass over every document holding each
query word, so a query matching more than CANDIDATES documents is "broad" and ranked more
cheaply (see `_rows`); the word being typed uses the FTS5 prefix indexes (db/schema.py);
and a word being typed that is already common is matched as a whole word (see `search`).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache

from paradiplo.db.analyze import analyse_word, join_phrases, phrases, tokens, vocabulary
from paradiplo.db.models import Filters, SearchHit
from paradiplo.db.queries import where_clause
from paradiplo.db.record import record
from paradiplo.db.searchdocs import OTHERS_BASE, filter_token

HL_OPEN = "\x02"
HL_CLOSE = "\x03"
MAX_QUERY = 500  # characters of a query that are read
MAX_PARTS = 16  # words (or phrases) of a query that are matched
MIN_PREFIX = 2  # a word being typed matches as a prefix from this many characters
SNIPPET_WORDS = 20
CANDIDATES = 500  # more matches than this make a query broad (see `_rows`)
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
# A word of original text: letters and digits with any combining accents attached.
_WORD = re.compile(r"[^\W_](?:[^\W_]|[\u0300-\u036f])*")

# Words left out of an unquoted query (unless nothing else is left): a question like
# "kerja sama dengan Jepang" or "tourism and trade" should not need the little words.
_STOP_EN = "a an the of and or in on at to for with by from is are was as its it that this"
_STOP_ID = "dan atau yang di ke dari dengan untuk pada dalam ini itu juga oleh para sebagai"
STOP_WORDS = frozenset(f"{_STOP_EN} {_STOP_ID}".split())


# --------------------------------------------------------------------------- queries
@record
class Alt:
    """One way a query part can match: a phrase of index words, the last one maybe a prefix."""

    words: tuple[str, ...]
    prefix: bool = False

    def fts(self) -> str:
        return '"' + " ".join(self.words) + '"' + ("*" if self.prefix else "")


@record
class Part:
    """One word or phrase of the query: it must match in one of its forms (alts)."""

    alts: tuple[Alt, ...]
    needles: tuple[str, ...] = ()  # folded words that show this part in a title (broad mode)

    def fts(self) -> str:
        if len(self.alts) == 1:
            return self.alts[0].fts()
        return "(" + " OR ".join(a.fts() for a in self.alts) + ")"


@record
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
        # Stemming an unseen word costs ~0.1 ms: only stem words that could hold a query term
        # (a stem is inside its word but for a first letter, menulis/tulis, or a final y,
        # cities/city).
        cores = self._cores
        if cores is None or not cores.search(word):
            return False
        return any(t in self.words for t in analyse_word(word))

    @cached_property
    def literal(self) -> re.Pattern[str] | None:
        """The query's words (whole) and prefixes as they may be written, for finding the
        first match in a long text at C speed (a word only its stem matches is not in it)."""
        words = _alternation(w for w in self.words if w)
        prefixes = _alternation(p for p in self.prefixes if p)
        # A word may carry Indonesian affixes or an English plural, or join another query
        # word (be-kerja-sama-nya, di-sepakat-i, cities).
        whole = f"{_AFFIX_BEFORE}(?:{words})(?:{words})?{_AFFIX_AFTER}(?![^\\W_])"
        parts = [whole if words else "", f"(?:{prefixes})" if prefixes else ""]
        alternatives = "|".join(p for p in parts if p)
        if not alternatives:
            return None
        return re.compile(f"(?<![^\\W_])(?:{alternatives})", re.IGNORECASE)

    @cached_property
    def _cores(self) -> re.Pattern[str] | None:
        cores = {(w[1:-1] if w.endswith("y") else w[1:]) for w in self.words if len(w) > 3}
        return re.compile(_alternation(cores)) if cores else None


_AFFIX_BEFORE = (
    "(?:memper|diper|meng|meny|peng|peny|mem|men|pem|pen|ber|per|ter|be|di|ke|me|pe|se)?"
)
_AFFIX_AFTER = "(?:kannya|annya|inya|nya|kan|an|i|lah|kah|s|es)?"


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


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
        needles = _highlightable(highlight)
        for form, words in _synonyms().get(key, ()):
            alts.append(Alt(form))
            needles |= words
        self.words |= needles
        prefixed = {a.words for a in alts if a.prefix}
        self.prefixes += [a.words[-1] for a in alts if a.prefix]
        # Each alternative costs a pass over its documents when ranking: no duplicates.
        unique = [a for a in alts if a.prefix or a.words not in prefixed]
        needles |= {a.words[-1] for a in alts if a.prefix}
        self.parts.append(Part(tuple(dict.fromkeys(unique)), tuple(sorted(needles))))

    def word(self, raw: str, prefix: bool) -> None:
        """One unquoted word: as typed (matches titles and bodies) and as its stem."""
        analysed = analyse_word(raw)
        canonical = _canonical(analysed)  # a compound ("bekerjasama") is one joined token
        alts = [Alt((raw,), prefix)]
        if canonical != (raw,):
            alts.append(Alt(canonical))
        self.add(alts, (raw, *analysed), canonical)

    def phrase(self, analysed: tuple[str, ...]) -> None:
        """Unquoted words forming a known phrase: one joined token ("sister city")."""
        self.add([Alt(("".join(analysed),))], analysed, ("".join(analysed),))

    def quoted(self, raw: tuple[str, ...], prefix: bool) -> None:
        """A quoted phrase: matched as written, or with compounds and phrases joined."""
        analysed = _analysed(raw)
        canonical = _canonical(analysed)  # "kerjasama internasional" -> kerjasama, internasional
        alts = [Alt(raw, prefix)]
        if canonical != raw:
            alts.append(Alt(canonical))
        self.add(alts, (*raw, *analysed), canonical)


def _free_words(b: _Builder, words: list[str], typing: bool, every_prefix: bool = False) -> None:
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
            if n > 1 and _is_phrase(key):
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
            b.word(word, (last or every_prefix) and len(word) >= MIN_PREFIX)


@lru_cache(maxsize=512)
def parse_query(text: str, every_prefix: bool = False) -> Query:
    """Parse user text into a Query. Never raises; an empty Query matches nothing.

    `every_prefix`: every unquoted word matches as a prefix, not only the one being typed
    (the command palette: "sido jin" finds Sidoarjo – Jinan)."""
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
            _free_words(b, words[: MAX_PARTS * 2], typing and is_last, every_prefix)
    return Query(tuple(b.parts[:MAX_PARTS]), frozenset(b.words), tuple(dict.fromkeys(b.prefixes)))


def warm() -> None:
    """Load the stemmer and analyse the synonym and phrase lists now (~0.1 s), so that the
    first keystroke of a search does not pay for it. Safe to call from any thread."""
    _synonyms()
    parse_query("kerjasama")


def fts_query(text: str) -> str | None:
    """The FTS5 MATCH expression for user text, or None if it has no searchable word."""
    return parse_query(text).fts


# --------------------------------------------------------------------------- highlighting
def _clean(text: str) -> str:
    return _WS.sub(" ", _MARKERS.sub("", text)).strip()


def _spans(text: str, q: Query) -> Iterator[tuple[int, int]]:
    """(start, end) of each word of `text` the query matches, in order."""
    if not q.words and not q.prefixes:
        return
    for m in _WORD.finditer(text):
        word = m.group()
        if word.isascii():
            if q.matches(word.lower()):
                yield m.span()
        elif any(q.matches(part) for part in tokens(word)):  # folded: "Café" -> "cafe"
            yield m.span()


def highlight(text: str, query: Query | str) -> str:
    """`text` on one line with the words the query matches between HL_OPEN and HL_CLOSE."""
    q = parse_query(query) if isinstance(query, str) else query
    text = _clean(text)
    out: list[str] = []
    pos = 0
    for start, end in _spans(text, q):
        if start < pos:
            continue
        out += [text[pos:start], HL_OPEN, text[start:end], HL_CLOSE]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _fragment(body: str, q: Query) -> tuple[str, bool]:
    """About SNIPPET_WORDS words of the body centred on its first matching word (or from its
    start), and whether a word matched."""
    head = body[:SCAN_CHARS]
    literal = q.literal.search(head) if q.literal is not None else None
    first = literal.span() if literal else next(_spans(head, q), None)
    at = (first[0] + first[1]) // 2 if first else 0
    size = SNIPPET_WORDS * 8  # characters, roughly
    lo = max(0, at - size // 2)
    hi = min(len(head), lo + size)
    if hi - lo < size:  # near the end: take more before the match instead
        lo = max(0, hi - size)
    if lo > 0:  # start and end on word boundaries
        space = head.find(" ", lo, first[0] if first else at)
        lo = space + 1 if space >= 0 else lo
    if hi < len(head):
        space = head.rfind(" ", first[1] if first else lo, hi)
        hi = space if space > 0 else hi
    more = hi < len(body)
    text = ("…" if lo > 0 else "") + _clean(head[lo:hi]) + ("…" if more else "")
    return text, first is not None


def make_snippet(fts_snippet: str, body: str, q: Query) -> str:
    """The snippet shown for a hit: the body's words around its first match, centred on it,
    with stems and synonyms highlighted; FTS5's own fragment if only FTS5 saw the match."""
    fragment, matched = _fragment(body, q)
    if matched:
        return highlight(fragment, q)
    if fts_snippet:
        marked = highlight(fts_snippet, q)
        if HL_OPEN in marked:
            return marked
        if _FTS_OPEN in fts_snippet:  # FTS5 matched a form this module does not: keep its marks
            return (
                _clean(fts_snippet.replace(_FTS_OPEN, "\x00").replace(_FTS_CLOSE, "\x01"))
                .replace("\x00", HL_OPEN)
                .replace("\x01", HL_CLOSE)
            )
    return highlight(fragment, q)


# --------------------------------------------------------------------------- searching
# A hit's columns: kind, ids, display title, body, the FTS5 snippet (exact mode only), score,
# anchors, and for a note its target.
_COLUMNS = (
    "SELECT d.kind, d.ref_id,"
    " CASE WHEN d.kind = 'passage' THEN coalesce(s.title, s.outlet, s.id, d.title)"
    " ELSE d.title END, d.body, {snip}, {score}, d.anchor_start, d.anchor_end,"
    " n.target_type, n.target_id, n.anchor_start, n.anchor_end"
    " FROM {source} JOIN search_docs d ON d.id = {id}"
    " LEFT JOIN notes n ON d.kind = 'note' AND n.id = d.ref_id"
    " LEFT JOIN sources s ON d.kind = 'passage'"
    " AND s.id = substr(d.ref_id, 1, instr(d.ref_id, '#') - 1)"
)
# Exact mode: bm25 over every match; FTS5 sorts, so snippets are made only for rows returned.
_EXACT = (
    "WITH top AS (SELECT rowid AS id, search_docs_fts.rank AS score,"
    f" snippet(search_docs_fts, 1, '{_FTS_OPEN}', '{_FTS_CLOSE}', '…', {SNIPPET_WORDS}) AS snip"
    f" FROM search_docs_fts WHERE search_docs_fts MATCH ? AND rank MATCH '{RANK}'"
    " ORDER BY rank LIMIT ?) "
    + _COLUMNS.format(snip="top.snip", score="top.score", source="top", id="top.id")
    + " ORDER BY top.score"
)
# Matches newest first (FTS5 reads its index in rowid order and stops when asked).
_NEWEST = (
    "SELECT rowid FROM search_docs_fts WHERE search_docs_fts MATCH ? AND rowid < ?"
    " ORDER BY rowid DESC"
)
_SCAN_BATCH = 1000
_SCAN_MAX = 50_000  # matches read at most to find a broad query's newest cases


def _by_id(n: int) -> str:
    """The columns of `n` documents by rowid (broad mode: the score is filled in after)."""
    marks = ",".join("?" * n)
    return _COLUMNS.format(snip="NULL", score="x.id", source="search_docs x", id="x.id") + (
        f" WHERE x.id IN ({marks})"
    )


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


def _newest(conn: sqlite3.Connection, expr: str) -> tuple[list[int], list[int], int]:
    """The newest CANDIDATES matches of notes, terms and passages, and of cases; and how many
    matches were read (all of them if that is at most CANDIDATES).

    One pass, newest first: the other kinds' rowids are above the cases' (see
    db/searchdocs.py), so it reads all of theirs, then cases until it has enough.
    """
    others: list[int] = []
    cases: list[int] = []
    seen = 0
    cursor = conn.execute(_NEWEST, (expr, 1 << 62))
    while rows := cursor.fetchmany(_SCAN_BATCH):
        seen += len(rows)
        for (rowid,) in rows:
            if rowid >= OTHERS_BASE:
                if len(others) < CANDIDATES:
                    others.append(rowid)
            elif len(cases) < CANDIDATES:
                cases.append(rowid)
        if len(cases) >= CANDIDATES or seen >= _SCAN_MAX:
            break
    cursor.close()
    if not cases and seen >= _SCAN_MAX:  # a flood of other matches: find the cases apart
        cases = [r for (r,) in conn.execute(_NEWEST, (expr, OTHERS_BASE)).fetchmany(CANDIDATES)]
    return others, cases, seen


def _broad(
    conn: sqlite3.Connection, ids: list[int], q: Query, limit: int
) -> list[tuple[object, ...]]:
    """Of many matches, those whose title shows most parts of the query, then the newest.

    A part shows if one of its words (as typed, stemmed, or a synonym) is in the lower-cased
    title: a substring test in SQL, cheap enough for every candidate.
    """
    tests = []
    params: list[object] = []
    for part in q.parts:
        if part.needles:
            tests.append("(" + " OR ".join(["instr(t, ?) > 0"] * len(part.needles)) + ")")
            params += part.needles
    score = " + ".join(tests) or "0"
    marks = ",".join("?" * len(ids))
    best = conn.execute(
        f"SELECT id, -({score}) AS score FROM (SELECT id, lower(title) AS t FROM search_docs"
        f" WHERE id IN ({marks})) ORDER BY score, id DESC LIMIT ?",
        [*params, *ids, limit],
    ).fetchall()
    scores = {int(i): float(sc) for i, sc in best}
    found = {int(r[5]): r for r in conn.execute(_by_id(len(scores)), list(scores))}
    return [(*found[i][:5], sc, *found[i][6:]) for i, sc in scores.items() if i in found]


def _rows(conn: sqlite3.Connection, expr: str, q: Query, limit: int) -> list[tuple[object, ...]]:
    """The best `limit` rows for an FTS5 expression, best first.

    bm25 (exact mode) costs a pass over every document holding each query term, however few
    documents match the whole query: too slow at every keystroke for a word found in 100,000
    documents. So the newest matches are read first (cheap: FTS5 yields them newest first and
    stops when told). If there are at most CANDIDATES, they are ranked by bm25. If not, the
    query is broad: the newest CANDIDATES matches of notes, terms and passages and the newest
    CANDIDATES cases are ordered by query words in their title, then newest first; their
    score is minus those title words.
    """
    others, cases, seen = _newest(conn, expr)
    if seen <= CANDIDATES:
        return [tuple(r) for r in conn.execute(_EXACT, (expr, limit))]
    return _broad(conn, others + cases, q, limit)


def _is_broad(conn: sqlite3.Connection, expr: str) -> bool:
    row = conn.execute(
        "SELECT rowid FROM search_docs_fts WHERE search_docs_fts MATCH ?"
        " ORDER BY rowid DESC LIMIT 1 OFFSET ?",
        (expr, CANDIDATES),
    ).fetchone()
    return row is not None


def search(
    conn: sqlite3.Connection,
    text: str,
    *,
    limit: int = 50,
    filters: Filters | None = None,
    every_prefix: bool = False,
) -> list[SearchHit]:
    """The best `limit` hits for `text`, best first. Never raises on any query text.

    With non-empty `filters`, only cases matching them (and notes on those cases) are
    returned, as in the agreements pane. A hit's score is its bm25 (lower is better) or, for
    a broad query (see `_rows`), minus the number of query words in its title.
    """
    q = parse_query(text, every_prefix)
    if q.fts is None or limit <= 0:
        return []
    restrict = filter_expression(filters)
    try:
        if q.prefixes and not every_prefix and _is_broad(conn, f'"{q.prefixes[0]}"'):
            # The word being typed is already a word found everywhere: match it as a word.
            # Its completions add nothing to a list that long, and merging them would cost
            # a pass over every document that has one (FTS5 merges prefix matches eagerly).
            q = parse_query(text + " ")
        expr = f"({q.fts}) AND {restrict}" if restrict else str(q.fts)
        rows = _rows(conn, expr, q, limit)
    except sqlite3.OperationalError as exc:
        if "fts5" in str(exc) or "syntax" in str(exc):
            return []  # a query FTS5 cannot run (should not happen: every word is quoted)
        raise
    return [_hit(r, q) for r in rows]
