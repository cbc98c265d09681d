"""Turn text into index terms for full-text search (used at write time and query time).

The same analysis runs over stored text and over queries, so both sides agree on what a word
is. It folds case and accents, stems Indonesian with PySastrawi (``bekerja`` -> ``kerja``,
``perdagangan`` -> ``dagang``), splits compounds written joined (``kerjasama`` ->
``kerja sama``, also inside affixes: ``bekerjasama``, ``kerjasamanya``), and reduces English
plurals (``cities`` -> ``city``). PySastrawi's stop-word remover is deliberately not used: it
drops ``kerja``, ``sama`` and ``luar``, which this domain needs.

Known phrases (the compounds and the multi-word synonyms of seeds/synonyms.toml) are also
indexed as one joined token (``kerjasama``, ``sistercity``), which keeps queries for them
fast. Synonym groups themselves are applied at query time (db/search.py). The compounds and
phrases change the index, so they are part of `ANALYZER_VERSION`: a database indexed with
another version is reindexed when it is opened (db/store.py, db/searchdocs.py:reindex_all).

Measured (PySastrawi 1.2.1): ~0.1 ms per word on first sight, ~0.2 µs once cached.
"""

from __future__ import annotations

import hashlib
import re
import threading
import tomllib
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from itertools import compress
from operator import ne
from typing import Any

from paradiplo.db.record import record

# Bump when the analysis rules below, or what db/searchdocs.py stores, change; the
# compound table adds its own digest.
_RULES_VERSION = "6"

# Word characters as SQLite's unicode61 tokenizer sees them (letters and digits; `_` separates).
_TOKEN = re.compile(r"[^\W_]+")
# A word in original (unfolded) text: letters/digits with any combining accents attached.
_RAW_TOKEN = re.compile(r"[^\W_](?:[^\W_]|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff])*")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")

# Indonesian affixes around a joined compound: be+kerjasama, kerjasama+nya, di+...+kan.
# meN-/peN- drop the first consonant of the root (me+nandatangani -> tandatangan).
_PREFIXES = (
    "",
    "ber",
    "be",
    "di",
    "ke",
    "se",
    "ter",
    "me",
    "mem",
    "men",
    "meng",
    "menge",
    "pe",
    "pem",
    "pen",
    "peng",
    "per",
    "memper",
    "diper",
)
_SUFFIXES = ("", "nya", "an", "kan", "i", "lah", "kah", "annya", "kannya", "inya", "ku", "mu")
_NASAL = (("ng", "k"), ("ny", "s"), ("n", "t"), ("m", "p"))


@record
class Vocabulary:
    """The contents of seeds/synonyms.toml: compounds (joined -> parts) and synonym groups."""

    compounds: dict[str, tuple[str, ...]]
    groups: tuple[tuple[str, ...], ...]
    digest: str


def _read_synonyms_file() -> dict[str, Any]:
    text = resources.files("paradiplo.seeds").joinpath("synonyms.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """Load seeds/synonyms.toml once. A missing or broken file means no compounds/synonyms."""
    try:
        raw = _read_synonyms_file()
    except (OSError, tomllib.TOMLDecodeError, ModuleNotFoundError):
        raw = {}
    compounds: dict[str, tuple[str, ...]] = {}
    table = raw.get("compounds")
    for joined, apart in (table if isinstance(table, dict) else {}).items():
        key = fold(str(joined))
        parts = tuple(_TOKEN.findall(fold(str(apart))))
        if _TOKEN.fullmatch(key) and len(parts) > 1:
            compounds[key] = parts
    groups = tuple(
        tuple(str(t) for t in g["terms"] if str(t).strip())
        for g in (raw["group"] if isinstance(raw.get("group"), list) else [])
        if isinstance(g, dict) and isinstance(g.get("terms"), list)
    )
    # Each province's names and abbreviations ("Jawa Timur", "East Java", "Jatim") come from
    # the one resolver of names (db/resolve.py), not from this file.
    from paradiplo.db.resolve import province_groups

    groups += tuple(g for g in province_groups() if len(g) > 1)
    # The index depends on the compounds and on the multi-word synonyms (indexed as one token
    # too, see `join_phrases`), so they make the analyzer version.
    phrases = sorted({fold(t) for g in groups for t in g if len(_TOKEN.findall(fold(t))) > 1})
    digest = hashlib.sha1(
        repr((sorted(compounds.items()), phrases)).encode(), usedforsecurity=False
    ).hexdigest()[:10]
    return Vocabulary(compounds, groups, digest)


def fold(text: str) -> str:
    """Lower-case and strip accents (as the index's unicode61 tokenizer does)."""
    if text.isascii():
        return text.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))


# ASCII text splits faster without the regex: every character but a letter or a digit
# separates words, exactly as for `_TOKEN`. Non-ASCII punctuation that folding leaves alone
# (and that separates words too) is blanked first, so that most case text takes this path.
_ASCII_SEPARATORS = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})
_PUNCTUATION = ("\u2013", "\u00b7", "\u2014", "\u201c", "\u201d", "\u2018", "\u2019", "\u2026")


def tokens(text: str) -> list[str]:
    """The folded words of `text`, as FTS5 would split them."""
    if not text.isascii():
        for mark in _PUNCTUATION:
            if mark in text:
                text = text.replace(mark, " ")
                if text.isascii():
                    break
        else:
            return _TOKEN.findall(fold(text))
    return text.lower().translate(_ASCII_SEPARATORS).split()


def token_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, folded word) for each word of the original text, for highlighting."""
    for m in _RAW_TOKEN.finditer(text):
        folded = fold(m.group())
        for part in _TOKEN.findall(folded):
            yield m.start(), m.end(), part


# ----------------------------------------------------------------------------- stemming
class _Sastrawi:
    """PySastrawi's stemmer, loaded on first use (its dictionary takes ~40 ms to read)."""

    _lock = threading.Lock()
    _stemmer: Any = None

    @classmethod
    def get(cls) -> Any:
        if cls._stemmer is None:
            with cls._lock:
                if cls._stemmer is None:
                    from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
                    from Sastrawi.Stemmer.Stemmer import Stemmer
                    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

                    words = StemmerFactory().get_words_from_file()
                    cls._stemmer = Stemmer(ArrayDictionary(words))
        return cls._stemmer


def sastrawi_stem(word: str) -> str:
    """PySastrawi's stem of one folded word (uncached: use `analyse_word`)."""
    return str(_Sastrawi.get().stem_word(word))


def _is_root(word: str) -> bool:
    return bool(_Sastrawi.get().get_dictionary().contains(word))


def _english(word: str) -> str:
    """Light English plural folding: cities -> city, agreements -> agreement."""
    if len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _compound(word: str) -> tuple[str, ...] | None:
    """The parts of a joined compound, also inside Indonesian affixes, or None."""
    table = vocabulary().compounds
    if not table:
        return None
    if word in table:
        return table[word]
    for prefix in _PREFIXES:
        if not word.startswith(prefix):
            continue
        rest = word[len(prefix) :]
        for suffix in _SUFFIXES:
            if not rest.endswith(suffix):
                continue
            core = rest[: len(rest) - len(suffix)] if suffix else rest
            if core in table:
                return table[core]
            if prefix in ("me", "pe"):
                for nasal, root in _NASAL:
                    if core.startswith(nasal) and root + core[len(nasal) :] in table:
                        return table[root + core[len(nasal) :]]
    return None


# ----------------------------------------------------------------------------- proper names
# Ordinary words inside names: stemmed as usual ("Kepulauan Riau" still meets "pulau").
_COMMON_IN_NAMES = frozenset(
    [
        "bagian",
        "kepulauan",
        "pegunungan",
        "kesejahteraan",
        "pelayanan",
        "kolaborasi",
        "masyarakat",
        "islands",
        "highlands",
        "territories",
        "states",
        "emirates",
        "terluar",
        "international",
        "foundation",
        "seribu",
    ]
)


def _seed_names() -> list[str]:
    """Names in the bundled seeds: actors, people, places of events, outlets, countries."""
    out: list[str] = []
    try:
        seeds = resources.files("paradiplo.seeds")
        cases = tomllib.loads(seeds.joinpath("cases.toml").read_text(encoding="utf-8"))
        vocab = tomllib.loads(seeds.joinpath("vocabulary.toml").read_text(encoding="utf-8"))
        sources = tomllib.loads(seeds.joinpath("sources.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, ModuleNotFoundError):
        return out
    for table, keys in (
        (cases.get("actor"), ("name", "as_stated")),
        (cases.get("person"), ("name",)),
        (cases.get("event"), ("place",)),
        (vocab.get("country"), ("en", "id_label", "synonyms")),
        (sources.get("source"), ("outlet", "authors")),
    ):
        for rec in table if isinstance(table, list) else []:
            for key in keys:
                value = rec.get(key) if isinstance(rec, dict) else None
                out += [str(v) for v in (value if isinstance(value, list) else [value]) if v]
    return out


@lru_cache(maxsize=1)
def proper_names() -> frozenset[str]:
    """Folded words of proper names, indexed as they are and never stemmed (``Kediri`` is
    not ``diri``, ``Pemalang`` not ``malang``): every place of the official list in its
    written forms (db/resolve.py), every country's names (pycountry, English and
    Indonesian) and the names in the bundled seeds, less the ordinary words inside names
    (``kepulauan``, ``islands``)."""
    from paradiplo.db import resolve

    names = resolve.written_names() + _seed_names()
    words = {w for n in names for w in tokens(n)}
    return frozenset(w for w in words if w.isalpha() and w not in _COMMON_IN_NAMES)


def _se_root(word: str, stemmed: str) -> str | None:
    """PySastrawi takes ``se-`` for a prefix even where it belongs to the root: it stems
    ``disepakati`` and ``menyepakati`` to ``pakat`` but ``kesepakatan`` to ``sepakat``. The
    root with ``se`` kept, when it is a root and the word holds it (``nye`` for me-+s)."""
    root = "se" + stemmed
    if (root in word or "nye" + stemmed in word) and _is_root(root):
        return root
    return None


@lru_cache(maxsize=200_000)
def analyse_word(word: str) -> tuple[str, ...]:
    """Index terms for one folded word: usually one stem; a joined compound gives its parts;
    a proper name itself."""
    if len(word) <= 2 or not word.isalpha() or not word.isascii():
        return (word,)
    if word in proper_names():
        return (word,)
    parts = _compound(word)
    if parts is not None:
        return parts
    stemmed = sastrawi_stem(word)
    if stemmed != word:
        stemmed = _se_root(word, stemmed) or stemmed
        parts = _compound(stemmed)
        return parts if parts is not None else (stemmed,)
    if _is_root(word):
        return (word,)
    return (_english(word),)


# Every analysed form of more than one term ("kerja sama") met so far: `_joined_tokens` looks
# for phrases inside these. Bounded by the compounds of seeds/synonyms.toml.
_MULTI_TERM: set[str] = set()


@lru_cache(maxsize=200_000)
def _analysed(word: str) -> str:
    terms = analyse_word(word)
    if len(terms) == 1:
        return terms[0]
    joined = " ".join(terms)
    _MULTI_TERM.add(joined)
    return joined


def stem(word: str) -> str:
    """The analysed form of one folded word, space-separated if it is a compound."""
    return _analysed(word)


def analyse(text: str) -> list[str]:
    """The analysed terms of a text, in order (a compound gives its parts)."""
    return [t for w in tokens(text) for t in analyse_word(w)]


# ----------------------------------------------------------------------------- phrases
# Compounds ("kerja sama") and multi-word synonyms ("sister city", "kota kembar") are also
# indexed as one joined token ("kerjasama", "sistercity"). A query for them then looks up one
# term instead of checking word positions in every document holding two very common words,
# which keeps ranking (bm25 counts every document a query term is in) fast on 100,000 cases.
@record
class Phrases:
    by_first: dict[str, tuple[tuple[str, ...], ...]]  # first term -> phrases, longest first
    longest: int


@lru_cache(maxsize=1)
def phrases() -> Phrases:
    """Every phrase indexed as one token too, as analysed terms."""
    vocab = vocabulary()
    found = {tuple(t for p in parts for t in analyse_word(p)) for parts in vocab.compounds.values()}
    for group in vocab.groups:
        found.update(tuple(analyse(term)) for term in group)
    found = {p for p in found if len(p) > 1}
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for phrase in sorted(found, key=len, reverse=True):
        by_first.setdefault(phrase[0], []).append(phrase)
    return Phrases(
        {k: tuple(v) for k, v in by_first.items()}, max((len(p) for p in found), default=0)
    )


def phrase_at(terms: list[str], i: int) -> tuple[str, ...] | None:
    """The longest known phrase starting at terms[i], or None."""
    for phrase in phrases().by_first.get(terms[i], ()):
        if tuple(terms[i : i + len(phrase)]) == phrase:
            return phrase
    return None


def join_phrases(terms: list[str]) -> list[str]:
    """Terms with each known phrase replaced by its joined token (for queries)."""
    out: list[str] = []
    i = 0
    while i < len(terms):
        phrase = phrase_at(terms, i)
        if phrase is None:
            out.append(terms[i])
            i += 1
        else:
            out.append("".join(phrase))
            i += len(phrase)
    return out


@lru_cache(maxsize=1)
def _phrase_needles() -> dict[str, tuple[tuple[str, tuple[tuple[str, str], ...]], ...]]:
    """First term -> for each second term that follows it in a phrase, the pair as it reads
    in the padded text (" kerja sama ") and its phrases as (" kerja sama ", "kerjasama")."""
    pairs: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for first, group in phrases().by_first.items():
        for p in group:
            needle = (f" {' '.join(p)} ", "".join(p))
            pairs.setdefault(first, {}).setdefault(f" {p[0]} {p[1]} ", []).append(needle)
    return {
        first: tuple((pair, tuple(needles)) for pair, needles in by_pair.items())
        for first, by_pair in pairs.items()
    }


def _joined_tokens(analysed: list[str], terms: str) -> list[str]:
    """A joined token for each known phrase in `terms` (`analysed`, joined by spaces), sorted.

    Each phrase is counted with str.count over the padded text (at C speed; non-overlapping,
    as it always was), but only once its first term is among the words and its first two
    terms stand next to each other (one substring test): a typical document so counts two or
    three phrases of the ~80. The words are the analysed forms themselves (cached strings,
    cheap to put in a set) plus the terms inside the multi-term ones.
    """
    needles = _phrase_needles()
    forms = set(analysed)
    present = needles.keys() & forms
    for multi in _MULTI_TERM & forms:
        present.update(needles.keys() & set(multi.split()))
    if not present:
        return []
    padded = f" {terms} "
    out: list[str] = []
    for first in present:
        for pair, phrases_of_pair in needles[first]:
            if pair in padded:
                for needle, token in phrases_of_pair:
                    n = padded.count(needle)
                    if n:
                        out += [token] * n
    out.sort()
    return out


def index_terms(text: str) -> str:
    """Every analysed term of `text` in order, then a joined token per known phrase."""
    analysed = list(map(_analysed, tokens(text)))
    terms = " ".join(analysed)
    joined = _joined_tokens(analysed, terms)
    return f"{terms} {' '.join(joined)}" if joined else terms


# The hidden part of a case document (labels and synonyms of its type, countries and
# sectors, names as stated) repeats across a collection: about 28,000 distinct ones in the
# benchmark's 100,000 cases. Bounded, so a huge import cannot grow it without limit.
_hidden_terms = lru_cache(maxsize=8192)(index_terms)


def search_terms(shown: str, hidden: str = "") -> str:
    """The `terms` column of a search document.

    `shown` (title and body) is indexed as written in its own columns, so only the analysed
    forms that differ from the words as written are stored here (``bekerja`` -> ``kerja``),
    plus a joined token per known phrase; `hidden` (labels and synonyms that are not shown)
    is stored in full. Storing each word once keeps the doclists of common words short, and
    with them the cost of every query that touches them.
    """
    words = tokens(shown)
    analysed = list(map(_analysed, words))
    changed = " ".join(compress(analysed, map(ne, analysed, words)))
    joined = _joined_tokens(analysed, " ".join(analysed))
    # Each line of `hidden` is analysed (and cached) apart: a case's place names (a line of
    # their own) repeat across a collection far more than the rest.
    hidden_terms = " ".join(_hidden_terms(line) for line in hidden.split("\n") if line)
    parts = [changed, hidden_terms, " ".join(joined)]
    return " ".join(p for p in parts if p)


def _version() -> str:
    # The proper names change the index too (~30 ms to gather; only when the analyser loads).
    names = hashlib.sha1(
        " ".join(sorted(proper_names())).encode(), usedforsecurity=False
    ).hexdigest()[:8]
    return f"{_RULES_VERSION}.{vocabulary().digest}.{names}"


ANALYZER_VERSION = _version()
