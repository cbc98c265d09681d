"""What a case's search document says: its words (title; parties and their other names,
countries in both languages, type, summary, sectors, quotes, people, laws) and its pane-filter
keys. Pure reading and text: db/searchdocs.py writes the documents and keeps the index.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import NamedTuple

from paradiplo.db.analyze import tokens

CHUNK = 500


def chunks(ids: Sequence[str], size: int = CHUNK) -> Iterable[Sequence[str]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def qmarks(n: int) -> str:
    return ",".join("?" * n)


def grouped(rows: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """(key, value) rows as each key's values, in the rows' order."""
    out: dict[str, list[str]] = {}
    for key, value in rows:
        out.setdefault(key, []).append(value)
    return out


Doc = tuple[str, str, str, str, str, int | None, int | None]
"""A search document to write: (kind, ref_id, title, body, extra terms, anchor start, end)."""


# ------------------------------------------------------------------------- filter keys
# Cases (and notes on cases) carry their pane-filter keys as index tokens, so search can
# restrict to the filtered cases inside FTS5 itself: a token per key, made of a private-use
# character (which no typed query can produce) and a digest of the key.
FILTER_MARK = "\ue010"


@lru_cache(maxsize=65536)
def filter_token(key: str) -> str:
    """The index token for one filter key: 'p:35', 'pc:JP', 'pc:' (no country), 's:tourism'."""
    digest = hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]
    return FILTER_MARK + digest


def case_filter_keys(conn: sqlite3.Connection, case_ids: Sequence[str]) -> dict[str, list[str]]:
    """Every filter key each case matches, mirroring `db.queries.where_clause`."""
    out: dict[str, list[str]] = {}
    for chunk in chunks(list(case_ids)):
        marks = qmarks(len(chunk))
        for cid, rc, prov, area, rid, pc, pid in conn.execute(
            "SELECT id, region_country, province_code, area_code, region_id, partner_country,"
            f" partner_id FROM cases WHERE id IN ({marks})",
            chunk,
        ):
            keys = [f"r:{rid}", f"pc:{pc or ''}", f"pa:{pid or ''}"]
            keys += [f"{p}:{v}" for p, v in (("c", rc), ("p", prov), ("a", area)) if v]
            out[cid] = keys
        for cid, sector in conn.execute(
            f"SELECT case_id, sector_id FROM case_sectors WHERE case_id IN ({marks})", chunk
        ):
            out.setdefault(cid, []).append(f"s:{sector}")
    return out


def _synonyms(raw: str | None) -> str:
    try:
        return " ".join(json.loads(raw or "[]"))
    except ValueError:
        return ""


class CaseFields(NamedTuple):
    """What a case's search document is made of (as `case_docs` reads it from the database)."""

    id: str
    title: str
    summary: str | None
    region_name: str
    partner_name: str
    date_as_stated: str | None
    type_as_stated: str | None
    type_en: str | None
    type_id: str | None
    type_synonyms: str | None
    region_country_en: str | None
    region_country_id: str | None
    region_country_synonyms: str | None
    partner_country_en: str | None
    partner_country_id: str | None
    partner_country_synonyms: str | None
    region_as_stated: str | None
    partner_actor_as_stated: str | None
    partner_as_stated: str | None
    status_as_stated: str | None
    # (label_en, label_id, as stated, synonyms) of each sector, by sector id.
    sectors: list[tuple[str, str, str | None, str | None]]
    quotes: list[str]  # in evidence order
    # Names a reader may search by (db/resolve.py gives their written forms): the region's
    # province and area, the partner's country; people named in the case's evidence and
    # events; the legal bases its sources cite (short name and title).
    province_code: str | None = None
    area_code: str | None = None
    partner_country: str | None = None
    people: tuple[str, ...] = ()
    laws: tuple[str, ...] = ()


@lru_cache(maxsize=1024)
def _province_label(province_code: str | None, area_code: str | None) -> str:
    """ " (Jawa Timur)" after a regency or city, "" for a province or abroad."""
    if not province_code or not area_code:
        return ""
    from paradiplo.db import resolve

    place = resolve.place(province_code)
    return f" ({place.name})" if place else ""


@lru_cache(maxsize=4096)
def region_names(province_code: str | None, area_code: str | None, shown: str) -> str:
    """The written forms of a case's province and area ("Provinsi East Java Jatim") that the
    words `shown` (its region's name and its province's, in the body) leave out."""
    from paradiplo.db import resolve

    forms: list[str] = []
    for code in (province_code, area_code):
        if code:
            forms += resolve.place_forms(code)
    return _new_words(forms, shown)


@lru_cache(maxsize=1024)
def country_names(country: str | None, shown: str) -> str:
    """The written forms of a partner country ("Korsel") that `shown` (its names and
    synonyms, indexed with the case already) leave out."""
    from paradiplo.db import resolve

    return _new_words(list(resolve.country_forms(country)) if country else [], shown)


def _new_words(forms: list[str], shown: str) -> str:
    """The words of `forms` not in `shown` nor in an earlier form, in order; a form all of
    whose words are new is kept whole ("East Java": its words make a phrase)."""
    seen = set(tokens(shown))
    kept: list[str] = []
    for form in forms:
        words = tokens(form)
        new = [w for w in words if w not in seen]
        kept += words if len(new) == len(words) else new
        seen.update(words)
    return " ".join(kept)


def case_document(c: CaseFields, synonyms: Callable[[str | None], str]) -> Doc:
    """A case's (unanalysed) search document: title; parties, countries in both languages,
    type, summary, sectors and quotes in the body; labels and synonyms as extra terms."""
    province = _province_label(c.province_code, c.area_code)
    parts = [
        f"{c.region_name}{province} – {c.partner_name}"
        + (f" ({c.partner_country_en} / {c.partner_country_id})" if c.partner_country_en else ""),
        " · ".join(x for x in (c.type_en, c.type_id, c.type_as_stated, c.date_as_stated) if x),
        c.summary or "",
        "; ".join(
            f"{en} / {idl}" + (f" ({stated})" if stated else "") for en, idl, stated, _ in c.sectors
        ),
        *c.quotes,
        ("People: " + ", ".join(c.people)) if c.people else "",
        ("Legal bases: " + "; ".join(c.laws)) if c.laws else "",
    ]
    body = "\n".join(p for p in parts if p)
    extra = " ".join(
        x or ""
        for x in (
            synonyms(c.type_synonyms),
            c.region_country_en,
            c.region_country_id,
            synonyms(c.region_country_synonyms),
            synonyms(c.partner_country_synonyms),
            c.region_as_stated,
            c.partner_actor_as_stated,
            c.partner_as_stated,
            c.status_as_stated,
            " ".join(synonyms(syn) for *_, syn in c.sectors),
        )
    )
    # The other forms of the names of its places, each on a line of its own: analysed once
    # per place (see analyze.search_terms).
    region = region_names(c.province_code, c.area_code, f"{c.region_name} {province}")
    abroad = country_names(
        c.partner_country,
        f"{c.partner_country_en} {c.partner_country_id} {synonyms(c.partner_country_synonyms)}",
    )
    extra += "".join(f"\n{x}" for x in (region, abroad) if x)
    return ("case", c.id, c.title, body, extra, None, None)


def case_keys(
    region_country: str | None,
    province_code: str | None,
    area_code: str | None,
    region_id: str,
    partner_country: str | None,
    partner_id: str | None,
    sector_ids: Iterable[str],
) -> list[str]:
    """Every filter key a case matches, mirroring `db.queries.where_clause` (sector ids in
    id order)."""
    keys = [f"r:{region_id}", f"pc:{partner_country or ''}", f"pa:{partner_id or ''}"]
    keys += [
        f"{p}:{v}" for p, v in (("c", region_country), ("p", province_code), ("a", area_code)) if v
    ]
    return keys + [f"s:{sector}" for sector in sector_ids]


def case_docs(
    conn: sqlite3.Connection, chunk: Sequence[str], synonyms: Callable[[str | None], str]
) -> tuple[list[Doc], dict[str, list[str]]]:
    """The (unanalysed) search documents of some cases, and each case's filter keys."""
    marks = qmarks(len(chunk))
    sectors: dict[str, list[tuple[str, str, str | None, str | None]]] = {}
    sector_ids: dict[str, list[str]] = {}
    for cid, sid, en, idl, stated, syn in conn.execute(
        "SELECT cs.case_id, cs.sector_id, s.label_en, s.label_id, cs.as_stated, s.synonyms"
        f" FROM case_sectors cs JOIN sectors s ON s.id = cs.sector_id"
        f" WHERE cs.case_id IN ({marks}) ORDER BY cs.case_id, cs.sector_id",
        chunk,
    ):
        sectors.setdefault(cid, []).append((en, idl, stated, syn))
        sector_ids.setdefault(cid, []).append(sid)
    quotes = grouped(
        conn.execute(
            "SELECT record_id, quote FROM evidence WHERE record_type = 'case'"
            f" AND record_id IN ({marks}) AND quote IS NOT NULL ORDER BY id",
            chunk,
        )
    )
    people = grouped(
        conn.execute(
            "SELECT cp.case_id, p.name FROM case_people cp JOIN people p ON p.id = cp.person_id"
            f" WHERE cp.case_id IN ({marks}) UNION SELECT e.case_id, p.name FROM events e,"
            " json_each(e.people) j JOIN people p ON p.id = j.value"
            f" WHERE e.case_id IN ({marks}) ORDER BY 1, 2",
            [*chunk, *chunk],
        )
    )
    laws = case_laws(conn, chunk)
    rows: list[Doc] = []
    keys: dict[str, list[str]] = {}
    for r in conn.execute(
        "SELECT c.id, c.title, c.summary, c.region_name, c.partner_name, c.date_as_stated,"
        " c.type_as_stated, t.label_en, t.label_id, t.synonyms,"
        " rc.name_en, rc.name_id, rc.synonyms, pc.name_en, pc.name_id, pc.synonyms,"
        " ra.as_stated, pa.as_stated, c.partner_as_stated, c.status_as_stated,"
        " c.region_country, c.province_code, c.area_code, c.region_id, c.partner_country,"
        " c.partner_id"
        " FROM cases c LEFT JOIN case_types t ON t.id = c.type"
        " LEFT JOIN countries rc ON rc.code = c.region_country"
        " LEFT JOIN countries pc ON pc.code = c.partner_country"
        " LEFT JOIN actors ra ON ra.id = c.region_id"
        " LEFT JOIN actors pa ON pa.id = c.partner_id"
        f" WHERE c.id IN ({marks})",
        chunk,
    ):
        cid = r[0]
        fields = CaseFields._make(
            [
                *r[:20],
                sectors.get(cid, []),
                quotes.get(cid, []),
                r[21],
                r[22],
                r[24],
                tuple(people.get(cid, ())),
                laws.get(cid, ()),
            ]
        )
        rows.append(case_document(fields, synonyms))
        rc, prov, area, rid, pc, pid = r[20:]
        keys[cid] = case_keys(rc, prov, area, rid, pc, pid, sector_ids.get(cid, []))
    return rows, keys


def source_laws(conn: sqlite3.Connection) -> dict[str, tuple[str, ...]]:
    """Source id -> the short names and titles of the legal bases it cites (a case citing
    that source is found by them, as its detail view lists them)."""
    out: dict[str, list[str]] = {}
    # A source cites a law when one of its claims is about it (db/laws.py, the same rule as
    # the detail view's "legal bases cited in its sources").
    for sid, short, title in conn.execute(
        "SELECT DISTINCT c.source_id, l.short, l.title FROM legal_bases l JOIN claims c"
        " ON EXISTS (SELECT 1 FROM json_each(c.about) j WHERE j.value = 'law:' || l.id)"
        " ORDER BY l.year, l.id"
    ):
        out.setdefault(sid, []).extend((short, title))
    return {k: tuple(v) for k, v in out.items()}


def laws_of(sources: Iterable[str], by_source: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The legal bases (short name, title) of a case citing `sources`."""
    return tuple(dict.fromkeys(x for s in sorted(set(sources)) for x in by_source.get(s, ())))


def case_laws(conn: sqlite3.Connection, case_ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
    by_source = source_laws(conn)
    if not by_source:
        return {}
    cited: dict[str, set[str]] = {}
    for cid, sid in conn.execute(
        "SELECT record_id, source_id FROM evidence WHERE record_type = 'case'"
        f" AND record_id IN ({qmarks(len(case_ids))})",
        list(case_ids),
    ):
        cited.setdefault(cid, set()).add(sid)
    return {cid: laws_of(sids, by_source) for cid, sids in cited.items()}


def case_synonyms() -> Callable[[str | None], str]:
    """`_synonyms` cached: the same few lists (sectors, types, countries) recur on every case."""
    return lru_cache(maxsize=4096)(_synonyms)
