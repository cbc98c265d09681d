"""What the command palette offers for what the user typed: regions, partners, countries,
sectors, sources, laws, glossary terms and cases, best first.

    find(conn, text, limit=20) -> list[PaletteHit]

The words may come in any order and each is a prefix ("sido jin"). A name matches through
its written forms (db/resolve.py: "jatim" is Jawa Timur, "korsel" South Korea) and the
search synonyms (seeds/synonyms.toml); cases are found through the search index (db/search.py)
with every word a prefix, so a case matches by its region, province, partner, country, type,
sectors, people and laws as search finds it ("jatim australia" -> Kediri and Trenggalek).

The names (a few hundred to a few thousand rows, however many cases) are read once per
change of the database and matched in memory; cases are one search.
"""

from __future__ import annotations

import bisect
import sqlite3
import threading
from functools import lru_cache

from paradiplo.db import resolve
from paradiplo.db.analyze import analyse_word, tokens, vocabulary
from paradiplo.db.i18n import _, language
from paradiplo.db.labels import cases_count
from paradiplo.db.record import record
from paradiplo.db.text import json_list

# How a kind ranks when its name matches equally well (higher first).
_KIND_WEIGHT = {
    "region": 0.9,
    "partner": 0.85,
    "country": 0.85,
    "sector": 0.8,
    "law": 0.8,
    "term": 0.75,
    "source": 0.7,
    "case": 0.6,
}


@record
class PaletteHit:
    """One offer: `kind` (region, partner, country, sector, source, law, term, case), the
    `key` to act on (a filter key 'p:35', 'a:35.73', 'r:ID', 'pc:KR', 'pa:ID', 's:ID', or a
    case, source, law or term id), the `label` to show, a `detail` line and a `score` in
    (0, 1], higher is better."""

    kind: str
    key: str
    label: str
    detail: str
    score: float


@record
class _Entry:
    kind: str
    key: str
    label: str
    detail: str
    words: frozenset[str]  # folded words of every form of the name, and their stems


@record
class _Names:
    """The names, and an index of their words: each word (sorted, for prefixes) -> the
    numbers of the names holding it."""

    entries: tuple[_Entry, ...]
    vocabulary: tuple[str, ...]
    postings: dict[str, tuple[int, ...]]

    @classmethod
    def of(cls, entries: tuple[_Entry, ...]) -> _Names:
        postings: dict[str, list[int]] = {}
        for i, entry in enumerate(entries):
            for w in entry.words:
                postings.setdefault(w, []).append(i)
        return cls(entries, tuple(sorted(postings)), {k: tuple(v) for k, v in postings.items()})

    def scores(self, word: str) -> dict[int, float]:
        """Name number -> how well `word` matches it: 1 a whole word (or its stem), 0.95 a
        one-word synonym, 0.8 the start of a word."""
        out: dict[int, float] = {}
        i = bisect.bisect_left(self.vocabulary, word)
        while i < len(self.vocabulary) and self.vocabulary[i].startswith(word):
            for n in self.postings[self.vocabulary[i]]:
                out[n] = 0.8
            i += 1
        stems = analyse_word(word)
        synonyms = _synonym_words().get(word) or _synonym_words().get(stems[0], frozenset())
        for w in synonyms:
            for n in self.postings.get(w, ()):
                out[n] = 0.95
        for w in (word, *stems):
            for n in self.postings.get(w, ()):
                out[n] = 1.0
        return out


_cache_lock = threading.Lock()
_cache: dict[int, tuple[tuple[int, int, str], _Names]] = {}


def _words(*texts: str | None) -> frozenset[str]:
    out: set[str] = set()
    for text in texts:
        for w in tokens(text or ""):
            out.add(w)
            out.update(analyse_word(w))
    return frozenset(out)


def _entries(conn: sqlite3.Connection) -> tuple[_Entry, ...]:
    """Every name the palette can offer, read from the database (see `find`)."""
    out: list[_Entry] = []
    counts_p = dict(
        conn.execute(
            "SELECT province_code, count(*) FROM cases WHERE province_code IS NOT NULL"
            " GROUP BY province_code"
        ).fetchall()
    )
    counts_a = dict(
        conn.execute(
            "SELECT area_code, count(*) FROM cases WHERE area_code IS NOT NULL GROUP BY area_code"
        ).fetchall()
    )
    # Areas a case's region may be (the source leaves open which): offered, saying so.
    maybe: dict[str, int] = {}
    for candidates, n in conn.execute(
        "SELECT a.candidates, count(*) FROM cases c JOIN actors a ON a.id = c.region_id"
        " WHERE a.candidates != '[]' GROUP BY a.id"
    ):
        for code in json_list(candidates):
            maybe[code] = maybe.get(code, 0) + int(n)
    for code, n in counts_p.items():
        place = resolve.place(code)
        if place is not None:
            forms = resolve.place_forms(code)
            out.append(_Entry("region", f"p:{code}", place.label, cases_count(n), _words(*forms)))
    for code in sorted(set(counts_a) | set(maybe)):
        place = resolve.place(code)
        if place is None:
            continue
        detail = cases_count(counts_a.get(code, 0))
        if code in maybe:
            detail += "; " + _("{cases} that may be it").format(cases=cases_count(maybe[code]))
        detail += f" · {place.province_name}"
        forms = resolve.place_forms(code)
        out.append(_Entry("region", f"a:{code}", place.label, detail, _words(*forms)))
    # Regions the official list cannot place (abroad, or "Malang, city or regency not stated").
    for aid, name, stated, n in conn.execute(
        "SELECT a.id, a.name, a.as_stated, count(*) FROM cases c JOIN actors a"
        " ON a.id = c.region_id WHERE c.area_code IS NULL AND (a.level IS NULL OR"
        " a.level != 'province') GROUP BY a.id"
    ):
        out.append(_Entry("region", f"r:{aid}", name, cases_count(n), _words(name, stated)))
    for code, en, idl, n in conn.execute(
        "SELECT c.partner_country, co.name_en, co.name_id, count(*) FROM cases c"
        " JOIN countries co ON co.code = c.partner_country GROUP BY c.partner_country"
    ):
        label = en if not idl or idl == en else f"{en} / {idl}"
        forms = resolve.country_forms(code)
        out.append(_Entry("country", f"pc:{code}", label, cases_count(n), _words(en, idl, *forms)))
    for aid, name, stated, country, n in conn.execute(
        "SELECT a.id, a.name, a.as_stated, co.name_en, count(*) FROM cases c JOIN actors a"
        " ON a.id = c.partner_id LEFT JOIN countries co ON co.code = a.country_code"
        " WHERE a.level IS NULL OR a.level != 'country' GROUP BY a.id"
    ):
        detail = cases_count(n) + (f" · {country}" if country else "")
        out.append(_Entry("partner", f"pa:{aid}", name, detail, _words(name, stated)))
    for sid, en, idl, syn in conn.execute("SELECT id, label_en, label_id, synonyms FROM sectors"):
        words = _words(en, idl, *json_list(syn))
        out.append(_Entry("sector", f"s:{sid}", f"{en} / {idl}", _("Sector"), words))
    for sid, title, outlet, citation in conn.execute(
        "SELECT id, title, outlet, citation FROM sources ORDER BY origin DESC, id LIMIT 5000"
    ):
        label = title or outlet or citation or sid
        detail = " · ".join(x for x in (outlet, sid) if x and x != label)
        out.append(_Entry("source", sid, label, detail, _words(title, outlet, citation, sid)))
    for lid, short, title in conn.execute("SELECT id, short, title FROM legal_bases"):
        out.append(_Entry("law", lid, short, title, _words(short, title)))
    for tid, term in conn.execute("SELECT id, term FROM glossary"):
        out.append(_Entry("term", tid, term, _("Glossary term"), _words(term)))
    return tuple(out)


def _names(conn: sqlite3.Connection) -> _Names:
    """`_entries` and their index, read again only when the database changed (by anyone)
    or the interface language did (the details are in words)."""
    version = (
        int(conn.execute("PRAGMA data_version").fetchone()[0]),
        conn.total_changes,
        language(),
    )
    with _cache_lock:
        known = _cache.get(id(conn))
        if known is not None and known[0] == version:
            return known[1]
    names = _Names.of(_entries(conn))
    with _cache_lock:
        if len(_cache) > 8:  # connections come and go (one per worker thread)
            _cache.clear()
        _cache[id(conn)] = (version, names)
    return names


@lru_cache(maxsize=1)
def _synonym_words() -> dict[str, frozenset[str]]:
    """Analysed word -> the words of its one-word synonyms ("jepang" -> {"japan", ...})."""
    out: dict[str, set[str]] = {}
    for group in vocabulary().groups:
        single = [t for t in group if len(tokens(t)) == 1]
        words = {w for t in single for w in tokens(t)} | {
            s for t in single for w in tokens(t) for s in analyse_word(w)
        }
        for w in words:
            out.setdefault(w, set()).update(words)
    return {k: frozenset(v) for k, v in out.items()}


def find(conn: sqlite3.Connection, text: str, limit: int = 20) -> list[PaletteHit]:
    """What to offer for `text` in the command palette, best first (see the module)."""
    words = tokens(text)[:8]
    if not words:
        return []
    # The whole text as one name in any written form ("Pemkot Kediri", "Korsel").
    exact: set[str] = set()
    place = resolve.resolve_place(text, suggest=False)
    if isinstance(place, resolve.Resolved):
        code = place.value.code
        exact.add(f"p:{code}" if place.value.level == "province" else f"a:{code}")
    country = resolve.resolve_country(text, suggest=False)
    if isinstance(country, resolve.Resolved):
        exact.add(f"pc:{country.value.code}")
    names = _names(conn)
    totals: dict[int, float] | None = None
    for word in words:  # every word must match: intersect, adding up the scores
        scores = names.scores(word)
        if totals is None:
            totals = scores
        else:
            totals = {n: t + scores[n] for n, t in totals.items() if n in scores}
        if not totals:
            break
    hits: list[PaletteHit] = []
    for n, total in (totals or {}).items():
        entry = names.entries[n]
        score = total / len(words) * _KIND_WEIGHT[entry.kind]
        hits.append(PaletteHit(entry.kind, entry.key, entry.label, entry.detail, score))
    for entry in names.entries:
        if entry.key in exact:
            hits = [h for h in hits if h.key != entry.key]
            hits.append(PaletteHit(entry.kind, entry.key, entry.label, entry.detail, 1.0))
    hits.sort(key=lambda h: (-h.score, h.kind, h.label))
    hits = hits[:limit]
    from paradiplo.db import search

    found = search.search(conn, text, limit=limit, every_prefix=True)
    cases = [h for h in found if h.kind == "case"]
    if cases:
        labels = dict(
            conn.execute(
                f"SELECT id, region_name FROM cases WHERE id IN ({','.join('?' * len(cases))})",
                [h.ref_id for h in cases],
            ).fetchall()
        )
        for rank, h in enumerate(cases):
            score = _KIND_WEIGHT["case"] * (1.0 - rank / (2 * len(cases)))
            detail = str(labels.get(h.ref_id, ""))
            hits.append(PaletteHit("case", h.ref_id, h.title, detail, score))
    hits.sort(key=lambda h: -h.score)
    return hits[:limit]
