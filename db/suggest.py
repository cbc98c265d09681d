"""Candidate cases found in a source's text (never stored until the user accepts one).

A sentence is a candidate when it names an Indonesian region (official names and the forms
news uses: Pemkot/Pemkab/Pemprov X, Kota/Kab. X, Jatim, Jabar, DKI, East Java...), a foreign
place or country (in Indonesian or English), and a cooperation cue (kerja sama, sister city,
kota kembar, nota kesepahaman, MoU, menjajaki...). Each candidate carries the resolved region,
partner, partner country, a guessed type and sectors, and the sentence as its quote with
offsets into the source text.

    for s in suggest(conn, source_id): ...
    s = suggest_for_passage(conn, source_id, start, end)   # the form's pre-fill
    case_id = collection.add_case(store, s.to_case_input())
"""

from __future__ import annotations

import itertools
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import replace

from paradiplo.db import places
from paradiplo.db.collection import CaseInput, QuoteSpec, find_duplicates, source_text
from paradiplo.db.i18n import _, data_label
from paradiplo.db.record import record
from paradiplo.db.resolved import either
from paradiplo.db.text import json_list

# Cooperation cues (folded, whitespace-insensitive) and the type each suggests.
CUES: tuple[tuple[str, str], ...] = (
    (r"sister\s+(?:city|cities|province|provinces|state)", "sister-city"),
    (r"kota\s+(?:kembar|bersaudara|bersahabat)", "sister-city"),
    (r"provinsi\s+(?:kembar|bersaudara)", "sister-city"),
    (r"twin(?:ned|ning)?\s+(?:city|cities|town)|twinning", "sister-city"),
    (r"friendship\s+(?:city|cities)", "sister-city"),
    (r"nota\s+kesepahaman|memorandum\s+of\s+understanding|memorandum\s+saling\s+pengertian", "mou"),
    (r"mou|moa|loi|letter\s+of\s+intent", "mou"),
    (r"menjajaki|penjajakan|menjajakan|explor(?:e|es|ed|ing|atory)", "exploratory"),
    (r"mengajak|ajakan|menawarkan|tawaran|invit(?:e|es|ed|ation)", "proposal"),
    (r"program\s+kerja\s*sama|cooperation\s+programme|cooperation\s+program", "programme"),
    (r"(?:ber)?kerja\s*sama(?:nya)?|kolaborasi|berkolaborasi|kemitraan|bermitra", "cooperation"),
    (r"cooperat(?:e|es|ed|ion|ing)|collaborat(?:e|es|ed|ion|ing)|partnership", "cooperation"),
    (r"perjanjian|menandatangani|penandatanganan|agreement|signed", "cooperation"),
)
_CUE_RE = [(re.compile(rf"(?<![^\W_])(?:{p})(?![^\W_])", re.I), t) for p, t in CUES]
# Type precedence when a sentence has several cues.
_TYPE_ORDER = ("sister-city", "mou", "programme", "exploratory", "proposal", "cooperation")

# Sector keywords beyond the vocabulary's labels and synonyms.
SECTOR_WORDS: dict[str, tuple[str, ...]] = {
    "education": ("pendidikan", "education", "beasiswa", "scholarship", "pelajar", "sekolah",
                  "universitas", "student", "exchange", "pertukaran pelajar", "mahasiswa"),
    "tourism": ("pariwisata", "tourism", "wisata", "wisatawan", "tourist"),
    "culture": ("budaya", "kebudayaan", "culture", "cultural", "seni", "kesenian", "art"),
    "trade-investment": ("perdagangan", "investasi", "trade", "investment", "ekspor", "impor",
                         "export", "import", "bisnis", "business", "ekonomi", "economic"),
    "health": ("kesehatan", "health", "rumah sakit", "hospital"),
    "environment": ("lingkungan", "environment", "environmental", "iklim", "climate"),
    "waste-management": ("sampah", "limbah", "waste"),
    "transport": ("transportasi", "perhubungan", "transport", "transportation"),
    "urban-planning": ("tata kota", "urban planning", "perencanaan kota", "smart city"),
    "human-resources": ("sumber daya manusia", "sdm", "pelatihan", "training", "capacity building"),
    "sport": ("olahraga", "sport", "sports", "sepak bola", "football"),
    "msme-export": ("umkm", "msme", "msmes", "usaha kecil"),
    "digital-economy": ("ekonomi digital", "digital economy", "digital"),
    "governance-capacity": ("tata kelola", "governance", "pemerintahan"),
}  # fmt: skip

# A foreign place written before its country: "Kota Braunschweig, Jerman", "Osaka (Jepang)",
# "Kitakyushu di Jepang", "Suwon City in South Korea".
_PLACE_BEFORE = re.compile(
    r"((?:(?:kota|prefektur|provinsi|negara\s+bagian|distrik|city\s+of|state\s+of|"
    r"prefecture\s+of|province\s+of)\s+)?[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’-]+){0,3})"
    r"\s*(?:,|\(|\bdi\b|\bin\b|\bdari\b|\bfrom\b|\bof\b)\s*$",
    re.U,
)
_PLACE_AFTER_WITH = re.compile(
    r"(?:\bdengan\b|\bwith\b|\bdan\b|\band\b)\s+((?:(?:kota|prefektur|provinsi|negara\s+bagian|"
    r"city\s+of|state\s+of)\s+)?[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’-]+){0,3})",
    re.U,
)
_DIRECTION_AFTER = re.compile(r"\s+(?:Barat|Timur|Utara|Selatan|Tengah|Laut|Daya)\b")
_DIRECTION_BEFORE = re.compile(
    r"\b((?:Western|Eastern|Northern|Southern|Central|South|North|West|East)\s+)$"
)
_DATELINE = re.compile(r"\s*(?:,|-|–|—|\()")
# A sentence that goes on about the cooperation just named.
_FOLLOW_UP = re.compile(
    r"\s*[\"“]?(?:(?:kerja\s*sama|kolaborasi|kemitraan|program|nota\s+kesepahaman|mou|"
    r"perjanjian|kesepakatan)\s+(?:itu|ini|tersebut)|(?:the|this)\s+(?:cooperation|"
    r"partnership|agreement|programme|program|memorandum|mou))\b",
    re.I,
)
_ABBREV = re.compile(r"(?:\b(?:Kab|Prov|Kec|Kel|Dr|Ir|Prof|H|Hj|No|St|Jl|Mr|Mrs|Ms|dkk|dll)\.)$")
_GENERIC = {
    "pemerintah", "pemkot", "pemkab", "pemprov", "wali", "walikota", "bupati", "gubernur",
    "the", "dalam", "kota", "city", "indonesia", "presiden", "menteri", "duta", "kedutaan",
}  # fmt: skip


@record
class Suggestion:
    """A candidate case: what the sentence names, resolved, and the sentence as its quote."""

    source_id: str
    quote: str
    start: int
    end: int
    region_as_stated: str
    region: str  # the official name (or as stated when ambiguous)
    region_code: str | None  # official code; None when ambiguous
    region_status: str  # resolved | ambiguous
    region_candidates: tuple[str, ...]  # official names it could be, when ambiguous
    partner: str | None  # the foreign place as written; None when only a country is named
    partner_country: str | None  # ISO code
    partner_country_name: str | None
    type: str  # a case type id (a guess from the cue)
    sectors: tuple[str, ...]  # sector ids (a guess from keywords)
    cue: str  # the cooperation words found
    existing: tuple[str, ...] = ()  # ids of cases already in the collection with these parties

    def describe(self) -> str:
        """The candidate in one line, in the interface language: 'Kota Surabaya – Kitakyushu,
        Jepang'; an ambiguous region with the official regions it may be."""
        region = self.region
        if not self.region_code:
            region = _("{name} (ambiguous: {names})").format(
                name=self.region_as_stated, names=either(self.region_candidates)
            )
        partner = self.partner or _("(partner not named)")
        country = self.partner_country_name
        if country:
            partner += ", " + data_label("country", self.partner_country, country)
        return f"{region} – {partner}"

    def to_case_input(self, **overrides: object) -> CaseInput:
        """The case this suggests, citing its sentence (the user may change any field)."""
        values: dict[str, object] = {
            "region": self.region if self.region_code else self.region_as_stated,
            "type": self.type,
            "source_id": self.source_id,
            "partner": self.partner,
            "partner_country": self.partner_country,
            "sectors": self.sectors,
            "quotes": (
                QuoteSpec(
                    start=self.start,
                    end=self.end,
                    supports=("region", "partner", "partner_country", "type"),
                ),
            ),
        }
        values.update(overrides)
        return CaseInput(**values)  # type: ignore[arg-type]


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence: split at . ! ? before a capital or quote, and at line
    breaks; not after abbreviations such as 'Kab.' or 'Dr.'."""
    for para in re.finditer(r"[^\n]+", text):
        base = para.start()
        chunk = para.group(0)
        start = 0
        for m in re.finditer(r"[.!?]+[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])", chunk):
            if _ABBREV.search(chunk[: m.start() + 1]):
                continue
            yield from _trimmed(chunk, base, start, m.end())
            start = m.end()
        yield from _trimmed(chunk, base, start, len(chunk))


def _trimmed(chunk: str, base: int, a: int, b: int) -> Iterator[tuple[int, int]]:
    piece = chunk[a:b]
    lead = len(piece) - len(piece.lstrip())
    body = piece.strip()
    if body:
        yield base + a + lead, base + a + lead + len(body)


def _sector_patterns(conn: sqlite3.Connection) -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for sid, en, idl, syn in conn.execute("SELECT id, label_en, label_id, synonyms FROM sectors"):
        words = {places.fold(w) for w in (en, idl, *json_list(syn)) if w}
        words |= set(SECTOR_WORDS.get(sid, ()))
        body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len)[::-1])
        out.append((sid, re.compile(rf"(?<![^\W_])(?:{body})(?![^\W_])", re.I)))
    return out


def _foreign_actors(conn: sqlite3.Connection) -> list[tuple[str, str, str | None]]:
    """(name, partner key, country) of the collection's foreign partners."""
    return [
        (name, places.partner_key(name), country)
        for name, country in conn.execute(
            "SELECT DISTINCT a.name, a.country_code FROM actors a WHERE a.country_code IS NOT NULL"
            " AND a.country_code != 'ID' AND a.id IN (SELECT partner_id FROM cases)"
        )
        if len(places.partner_key(name)) >= 4
    ]


def _cue(sentence: str) -> tuple[str, str] | None:
    """(words, type id) of the strongest cooperation cue in a sentence."""
    hits = [(m.group(0), t) for rx, t in _CUE_RE for m in rx.finditer(sentence)]
    if not hits:
        return None
    hits.sort(key=lambda h: _TYPE_ORDER.index(h[1]))
    return hits[0]


def _clean_place(name: str) -> str | None:
    name = name.strip(" ,.;:()")
    words = name.split()
    while words and places.fold(words[0]) in _GENERIC:
        words = words[1:]
    name = " ".join(words)
    if not name or places.fold(name) in _GENERIC:
        return None
    return name


def suggest_text(
    conn: sqlite3.Connection, text: str, source_id: str = "", *, offset: int = 0
) -> list[Suggestion]:
    """Candidates in `text` (offsets are into `text`, plus `offset`)."""
    g = places.for_connection(conn)
    sector_res = _sector_patterns(conn)
    actors = _foreign_actors(conn)
    out: list[Suggestion] = []
    seen: dict[tuple[str, str, str], int] = {}
    spans = list(sentences(text))
    for n, (a, b) in enumerate(spans):
        sentence = text[a:b]
        cue = _cue(sentence)
        if cue is None:
            continue
        mentions = list(g.mentions(sentence))
        regions = [m for m in mentions if m.kind == "region"]
        # A bare ambiguous name beside the same place written in full ("BANDUNG - Pemerintah
        # Kota Bandung ..."): the full one says which it is.
        named = {m.region.area.code for m in regions if m.region and m.region.area}
        regions = [
            m
            for m in regions
            if not (m.region and m.region.area is None)
            or not named & {c.code for c in m.region.candidates}
        ]
        # A dateline ("SURABAYA, KOMPAS.com –", "BANDUNG -") says where the news was written,
        # not who cooperates.
        regions = [m for m in regions if not _dateline(sentence, m)]
        # One region named twice ("SURABAYA - Pemerintah Kota Surabaya ..."): the fuller form.
        fullest: dict[str, places.Mention] = {}
        for m in regions:
            code = m.region.area.code if m.region and m.region.area else m.text
            if code not in fullest or len(m.text) > len(fullest[code].text):
                fullest[code] = m
        regions = sorted(fullest.values(), key=lambda m: m.start)
        countries = [m for m in mentions if m.kind == "country"]
        if not regions:
            continue
        # The fields often follow in the next sentence ("Kerja sama itu meliputi pendidikan
        # dan pariwisata."): read it too when it goes on about the cooperation itself.
        scope = sentence
        for fa, fb in spans[n + 1 : n + 3]:
            following = text[fa:fb]
            if not _FOLLOW_UP.match(following):
                break
            scope += " " + following
        sectors = tuple(sid for sid, rx in sector_res if rx.search(scope))
        for i, r in enumerate(regions):
            partner, country = _partner_for(sentence, regions, i, countries, actors, g)
            if partner is None and country is None:
                continue
            match = r.region
            assert match is not None
            if match.area is None and match.status != "ambiguous":
                continue
            key = (match.name, places.partner_key(partner or ""), cue[1])
            if key in seen:
                # The same candidate again: keep the fuller sentence (a headline is short).
                i = seen[key]
                both = tuple(dict.fromkeys((*out[i].sectors, *sectors)))
                out[i] = replace(out[i], sectors=both)
                if len(sentence) > len(out[i].quote):
                    out[i] = replace(out[i], quote=sentence, start=offset + a, end=offset + b)
                continue
            seen[key] = len(out)
            existing = find_duplicates(
                conn,
                match.area.code if match.area else None,
                match.name if match.area else f"{match.as_stated} (city or regency not stated)",
                partner,
                cue[1],
            )
            out.append(
                Suggestion(
                    source_id=source_id,
                    quote=sentence,
                    start=offset + a,
                    end=offset + b,
                    region_as_stated=r.text,
                    region=match.name,
                    region_code=match.area.code if match.area else None,
                    region_status=match.status,
                    region_candidates=tuple(c.name for c in match.candidates),
                    partner=partner,
                    partner_country=country.code if country else None,
                    partner_country_name=country.name_en if country else None,
                    type=cue[1],
                    sectors=sectors,
                    cue=cue[0],
                    existing=tuple(cid for cid, _ in existing),
                )
            )
    # An ambiguous name ("Bandung" in a headline) whose pairing a later sentence states with
    # the region written in full ("Pemerintah Kota Bandung") is the same candidate.
    full = {(s.region, places.partner_key(s.partner or ""), s.type) for s in out if s.region_code}
    out = [
        s
        for s in out
        if s.region_code
        or not any(
            (c, places.partner_key(s.partner or ""), s.type) in full for c in s.region_candidates
        )
    ]
    # "Kerja sama" (form not stated) beside a sister city or an MoU of the same parties is
    # that one: keep the specific candidate.
    specific = {
        (s.region, places.partner_key(s.partner or "")) for s in out if s.type != "cooperation"
    }
    return [
        s
        for s in out
        if s.type != "cooperation"
        or (s.region, places.partner_key(s.partner or "")) not in specific
    ]


def _partner_for(
    sentence: str,
    regions: list[places.Mention],
    i: int,
    countries: list[places.Mention],
    actors: list[tuple[str, str, str | None]],
    g: places.Gazetteer,
) -> tuple[str | None, places.Country | None]:
    """The partner of the i-th region of a sentence: named between it and the next region
    ("Sidoarjo ... kota Jinan, Tiongkok ... dan Malang ... kota Nonsan, Korea"), else in the
    first later stretch that names one, else anywhere in the sentence."""
    bounds = [r.start for r in regions[i:]] + [len(sentence)]
    for a, b in itertools.pairwise(bounds):
        seg = sentence[:b]
        own = [c for c in countries if a <= c.start < b]
        if own or any(
            re.search(rf"(?<![^\W_]){re.escape(k)}(?![^\W_])", places.fold(sentence[a:b]))
            for _n, k, _c in actors
        ):
            found = _partner(seg, own, regions, actors, g, since=a)
            if found != (None, None):
                return found
    return _partner(sentence, countries, regions, actors, g)


def _partner(
    sentence: str,
    countries: list[places.Mention],
    regions: list[places.Mention],
    actors: list[tuple[str, str, str | None]],
    g: places.Gazetteer,
    since: int = 0,
) -> tuple[str | None, places.Country | None]:
    """The foreign party a sentence names (from `since` on): a known partner of the
    collection, else a place written next to a country ("Kota Braunschweig, Jerman"), else
    the country alone."""
    for c in countries:
        # "Australia Barat", "Western Australia": a part of the country named after it.
        part = _DIRECTION_AFTER.match(sentence, c.end) or _DIRECTION_BEFORE.search(
            sentence[: c.start]
        )
        if part is not None:
            if part.start() >= c.end:
                return sentence[c.start : part.end()], c.country
            return sentence[part.start(1) : c.end], c.country
    folded = places.fold(sentence[since:])
    known = [
        (len(key), name, code)
        for name, key, code in actors
        if re.search(rf"(?<![^\W_]){re.escape(key)}(?![^\W_])", folded)
    ]
    if known:  # the longest name the sentence holds ("Australia Barat" over "Australia")
        _n, name, code = max(known)
        return name, g.resolve_country(code) if code else None
    region_spans = [(m.start, m.end) for m in regions]
    for c in countries:
        before = sentence[: c.start]
        m = _PLACE_BEFORE.search(before)
        if m:
            place = _clean_place(m.group(1))
            inside_region = any(a <= m.start(1) < b for a, b in region_spans)
            if place and not inside_region and _foreign(place, g):
                return place, c.country
        m = _PLACE_AFTER_WITH.search(sentence, since)
        if m and m.end(1) <= c.start:
            place = _clean_place(m.group(1))
            if (
                place
                and _foreign(place, g)
                and not any(a <= m.start(1) < b for a, b in region_spans)
            ):
                return place, c.country
        return None, c.country
    return None, None


def _foreign(place: str, g: places.Gazetteer) -> bool:
    """Not an Indonesian region and not a country's own name."""
    if g.resolve_country(place) is not None:
        return False
    return g.resolve_region(place, "keep").status == "unknown"


def suggest(conn: sqlite3.Connection, source_id: str) -> list[Suggestion]:
    """Candidate cases in a source's text, in text order. NotFound for an unknown source."""
    return suggest_text(conn, source_text(conn, source_id), source_id)


def suggest_for_passage(
    conn: sqlite3.Connection, source_id: str, start: int, end: int
) -> Suggestion | None:
    """The first candidate within a selected passage (for pre-filling the case form); its
    quote is the sentence of the selection that names the parties, with its offsets."""
    text = source_text(conn, source_id)
    start, end = max(0, start), min(len(text), end)
    found = suggest_text(conn, text[start:end], source_id, offset=start)
    return found[0] if found else None


def _dateline(sentence: str, m: places.Mention) -> bool:
    """A place written in capitals at the start of a sentence and followed by a comma or a
    dash: a news dateline ("SURABAYA, KOMPAS.com –")."""
    return (
        not sentence[: m.start].strip()
        and m.text.isupper()
        and _DATELINE.match(sentence, m.end) is not None
    )
