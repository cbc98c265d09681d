"""Citing: every export read back by the tools users have, and APA references as the APA
Publication Manual (7th edition) writes them for the three bundled sources."""

from __future__ import annotations

import json
import re
from pathlib import Path

import bibtexparser
import pytest
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as csl_formatter
from citeproc.source.json import CiteProcJSON
from click.testing import CliRunner

from paradiplo.db import cite
from paradiplo.db.store import Store
from paradiplo.tui.cli import main
from tests.helpers import BANDUNG_CASE, import_records, refused, run

JOURNAL = "004_51416a2b14608b89"
KUMPARAN = "000_5dc3115ab1b62650"
KOMPASIANA = "001_17fdbbb4dbe6a6d1"

# Written from the APA Publication Manual, 7th edition: authors inverted with initials and
# "&" before the last (9.8, 9.9), the year or "(n.d.)" (9.17), the title in sentence case;
# with no author the title moves to the author position (9.12); a work with no author, no
# date and no title starts with a bracketed description (Table 9.1); the newspaper's or the
# blog's name is italic. (The journal article's page names no journal, so its reference ends
# after the title: nothing is invented.)
APA_TEXT = {
    JOURNAL: "Agustina, I., Febriyanti, A. I., Putri, D. N., & Prasetio, L. O. (2025). "
    "Peran strategis kepala daerah dalam mendorong paradiplomasi untuk diplomasi ekonomi daerah.",
    KUMPARAN: "Kemitraan multisektor melalui kerjasama paradiplomasi. (n.d.). Kumparan.",
    KOMPASIANA: "[Opinion post on paradiplomacy by regional governments in East Java]. (n.d.). "
    "Kompasiana.",
}
APA_MARKDOWN = {
    KUMPARAN: "Kemitraan multisektor melalui kerjasama paradiplomasi. (n.d.). *Kumparan*.",
    KOMPASIANA: "\\[Opinion post on paradiplomacy by regional governments in East Java\\]. "
    "(n.d.). *Kompasiana*.",
}
APA_IN_TEXT = {
    JOURNAL: "(Agustina et al., 2025)",
    KUMPARAN: "(“Kemitraan multisektor melalui kerjasama paradiplomasi,” n.d.)",
}
INTERNAL = re.compile(r"\.txt|\d{3}_[0-9a-f]{16}|characters? \d")


def by_source(store: Store) -> dict[str, cite.SourceRef]:
    return {r.id: r for r in cite.read_sources(store.conn)}


# ------------------------------------------------------------------ keys and fields
def test_keys_are_author_or_outlet_year_and_first_title_word(store: Store) -> None:
    refs = by_source(store)
    assert refs[JOURNAL].key == "agustina_2025_peran"
    assert refs[KUMPARAN].key == "kumparan_nd_kemitraan"
    assert refs[KOMPASIANA].key == "kompasiana_nd"
    # Stable: the same keys on every read.
    assert [r.key for r in cite.read_sources(store.conn)] == [
        r.key for r in cite.read_sources(store.conn)
    ]


def test_equal_keys_are_told_apart_in_id_order() -> None:
    base = cite.SourceRef(
        "b", "news", "Sama", None, None, "Tempo", None, [], "2020", *[None] * 6, "id", None, "user"
    )
    other = cite.SourceRef(
        "a", "news", "Sama", None, None, "Tempo", None, [], "2020", *[None] * 6, "id", None, "user"
    )
    assert cite.assign_keys([base, other]) == {"a": "tempo_2020_sama", "b": "tempo_2020_samab"}


def test_bundled_sources_state_only_what_the_texts_say(store: Store) -> None:
    refs = by_source(store)
    j = refs[JOURNAL]
    assert [c["family"] for c in j.creators] == ["Agustina", "Febriyanti", "Putri", "Prasetio"]
    assert j.published == "2025-12-30" and j.kind == "journal_article"
    assert j.missing() == ["journal", "volume", "issue", "pages"]
    k = refs[KUMPARAN]
    assert k.published is None and k.url is None and k.creators == []
    assert k.missing() == ["authors", "date", "URL"]


# ------------------------------------------------------------------ exports, read back
def test_bibtex_read_by_bibtexparser(db_path: Path) -> None:
    code, out, err = run(db_path, "sources", "export", "--format", "bibtex")
    assert code == 0, err
    library = bibtexparser.parse_string(out)
    assert not library.failed_blocks
    entries = {e.key: e for e in library.entries}
    assert set(entries) == {"agustina_2025_peran", "kumparan_nd_kemitraan", "kompasiana_nd"}
    article = entries["agustina_2025_peran"]
    assert article.entry_type == "article"
    assert article["year"] == "2025"
    authors = [a.strip() for a in article["author"].split(" and ")]
    assert authors == [
        "Agustina, Istiq",
        "Febriyanti, Andini Ika",
        "Putri, Desta Nindia",
        "Prasetio, Luki Oka",
    ]
    assert entries["kumparan_nd_kemitraan"]["journal"] == "Kumparan"
    assert "year" not in entries["kumparan_nd_kemitraan"].fields_dict
    assert not INTERNAL.search(out)


def test_csl_json_read_by_citeproc(db_path: Path) -> None:
    code, out, err = run(db_path, "sources", "export", "--format", "csl-json")
    assert code == 0, err
    items = json.loads(out)
    article = next(i for i in items if i["id"] == "agustina_2025_peran")
    assert article["type"] == "article-journal"
    assert len(article["author"]) == 4 and article["issued"] == {"date-parts": [[2025, 12, 30]]}
    source = CiteProcJSON(items)
    style = CitationStylesStyle(str(cite.CSL_DIR / "apa.csl"), validate=False)
    bib = CitationStylesBibliography(style, source, csl_formatter.plain)
    for item in items:
        bib.register(Citation([CitationItem(item["id"])]))
    rendered = [str(e) for e in bib.bibliography()]
    assert len(rendered) == 3 and any("Agustina, I." in r and "(2025)" in r for r in rendered)


RIS_LINE = re.compile(r"^(?:[A-Z][A-Z0-9]  - .*|)$")


def test_ris_read_by_rispy_and_every_line_well_formed(db_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "refs.ris"
    code, _out, err = run(db_path, "sources", "export", "--format", "ris", "-o", str(target))
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    assert all(RIS_LINE.match(line) for line in text.splitlines()), text
    records = rispy.loads(text)
    assert len(records) == 3
    jour = next(r for r in records if r["type_of_reference"] == "JOUR")
    assert jour["authors"] == [
        "Agustina, Istiq",
        "Febriyanti, Andini Ika",
        "Putri, Desta Nindia",
        "Prasetio, Luki Oka",
    ]
    assert jour["year"] == "2025"
    news = next(r for r in records if r["type_of_reference"] == "NEWS")
    assert news["secondary_title"] == "Kumparan" and "year" not in news
    for block in text.rstrip("\n").split("\n\n"):
        lines = block.splitlines()
        assert lines[0].startswith("TY  - ") and lines[-1] == "ER  - "


def test_awkward_text_survives_every_export(store: Store) -> None:
    """A user's source with LaTeX and Markdown specials and a newline: still one entry each."""
    store.conn.execute(
        "INSERT INTO sources(id, kind, title, outlet, published, creators, url, origin)"
        " VALUES ('u1', 'web', 'Kerja sama {50%} & $dana_ #1 ~ ^ \\ [tautan]\nbaris', 'Situs',"
        " '2024-03', '[{\"literal\": \"Pemda & Co {x}\"}]', 'https://e.x/a?b={c}', 'user')"
    )
    refs = cite.read_sources(store.conn, ["u1"])
    library = bibtexparser.parse_string(cite.bibtex(refs))
    assert not library.failed_blocks and len(library.entries) == 1
    assert len(rispy.loads(cite.ris(refs))) == 1
    assert json.loads(cite.csl_json(refs))[0]["title"].startswith("Kerja sama {50%}")
    (f,) = cite.format_refs(refs, "apa", "text")
    assert "Pemda & Co {x}" in f.reference and "(2024, March)" in f.reference


# ------------------------------------------------------------------ formatted references
def test_apa_references_as_the_manual_writes_them(store: Store) -> None:
    refs = list(by_source(store).values())
    text = {r.id: f for r, f in zip(refs, cite.format_refs(refs, "apa", "text"), strict=True)}
    for sid, expected in APA_TEXT.items():
        assert text[sid].reference == expected
    for sid, expected in APA_IN_TEXT.items():
        assert text[sid].in_text == expected
    md = {r.id: f for r, f in zip(refs, cite.format_refs(refs, "apa", "markdown"), strict=True)}
    for sid, expected in APA_MARKDOWN.items():
        assert md[sid].reference == expected


def test_chicago_and_indonesian_apa(store: Store) -> None:
    refs = list(by_source(store).values())
    chicago = {f.key: f for f in cite.format_refs(refs, "chicago", "text")}
    assert chicago["kumparan_nd_kemitraan"].in_text == "(Kumparan, n.d.)"
    assert "Edition" not in " ".join(f.reference for f in chicago.values())
    assert chicago["agustina_2025_peran"].reference.startswith(
        "Agustina, Istiq, Andini Ika Febriyanti, Desta Nindia Putri, and Luki Oka Prasetio. 2025."
    )
    apa_id = {f.key: f for f in cite.format_refs(refs, "apa-id", "text")}
    assert apa_id["agustina_2025_peran"].in_text == "(Agustina dkk., 2025)"
    assert "(t.t.)" in apa_id["kompasiana_nd"].reference


def test_unknown_style_is_refused(store: Store) -> None:
    with pytest.raises(cite.ParadiploError, match="apa, chicago, apa-id"):
        cite.format_refs(cite.read_sources(store.conn), "mla")


# ------------------------------------------------------------------ cite command
def test_cite_prints_claim_quote_in_text_citation_and_reference(db_path: Path) -> None:
    code, out, err = run(db_path, "cite", "jabar-shizuoka-mou-2017", "--fact", "date")
    assert code == 0, err
    assert "dates from 2017-11 (“November 2017”)" in out
    assert "“Jawa Barat telah menjalin kerjasama dengan Prefektur Shizuoka" in out
    assert "(“Kemitraan multisektor melalui kerjasama paradiplomasi,” n.d.)" in out
    assert APA_TEXT[KUMPARAN] in out
    assert not INTERNAL.search(out)


def test_cite_markdown_and_bibtex(db_path: Path) -> None:
    code, out, _ = run(
        db_path, "cite", "jabar-shizuoka-mou-2017", "--format", "markdown", "--style", "chicago"
    )
    assert code == 0 and "[@kumparan_nd_kemitraan]" in out and "## References" in out
    code, out, _ = run(db_path, "cite", "jabar-shizuoka-mou-2017", "--format", "bibtex")
    assert code == 0
    library = bibtexparser.parse_string(out)
    assert [e.key for e in library.entries] == ["kumparan_nd_kemitraan"]


def test_cite_unknown_fact_or_case_says_what_exists(db_path: Path) -> None:
    assert "Quoted facts: date, partner" in refused(
        db_path, "cite", "jabar-shizuoka-mou-2017", "--fact", "planet"
    )
    assert "no-such-case" in refused(db_path, "cite", "no-such-case")


def test_sources_listing_still_works(db_path: Path) -> None:
    code, out, _ = run(db_path, "sources", "--json")
    assert code == 0 and {s["id"] for s in json.loads(out)} == {JOURNAL, KUMPARAN, KOMPASIANA}


# ------------------------------------------------------------------ notes for Pandoc
def test_notes_export_with_bib_beside_it(db_path: Path, tmp_path: Path) -> None:
    run(db_path, "notes", "add", "sidoarjo-jinan-2008", "Compare with Surabaya")
    md, bib = tmp_path / "out" / "notes.md", tmp_path / "out" / "notes.bib"
    code, _, err = run(db_path, "notes", "export", "-o", str(md), "--bib", str(bib))
    assert code == 0, err
    text = md.read_text(encoding="utf-8")
    # For Pandoc: the bibliography, the style and the locale; Pandoc fills the refs div.
    assert text.startswith('---\nbibliography: "notes.bib"\ncsl: "apa.csl"\nlang: en-US\n---\n')
    assert "[@kompasiana_nd]" in text and text.endswith("## References\n\n::: {#refs}\n:::\n")
    assert (md.parent / "apa.csl").read_bytes() == (cite.CSL_DIR / "apa.csl").read_bytes()
    library = bibtexparser.parse_string(bib.read_text(encoding="utf-8"))
    assert [e.key for e in library.entries] == ["kompasiana_nd"]
    assert library.entries[0]["journaltitle"] == "Kompasiana"
    # Without --bib, for readers without Pandoc: the references written out.
    code, out, _ = run(db_path, "notes", "export", "--style", "apa-id")
    assert code == 0 and out.rstrip().endswith(
        "\\[Opinion post on paradiplomacy by regional governments in East Java\\]. (t.t.)."
        " *Kompasiana*."
    )


# ------------------------------------------------------------------ imported citations
def test_imported_citation_gets_a_source_to_complete(store: Store, tmp_path: Path) -> None:
    import_records(store, tmp_path, [BANDUNG_CASE])
    ref = next(r for r in cite.read_sources(store.conn) if r.kind == "citation")
    assert ref.key == "municipal_1960"
    assert ref.missing() == ["type", "title", "authors", "date", "URL"]
    # Until completed it is cited as the user wrote it: a style has nothing to format.
    (f,) = cite.format_refs([ref], "apa", "text")
    assert (f.reference, f.in_text) == (
        "Municipal records, Bandung (1960)",
        "(Municipal records, Bandung (1960))",
    )
    library = bibtexparser.parse_string(cite.export_sources(store.conn, "bibtex"))
    entry = next(e for e in library.entries if e.key == "municipal_1960")
    assert entry["title"] == "Municipal records, Bandung (1960)"


def test_a_users_source_is_completed_field_by_field(
    store: Store, db_path: Path, tmp_path: Path
) -> None:
    record = {
        "title": "Bandung – Braunschweig sister city",
        "region": "Kota Bandung",
        "partner": "Braunschweig",
        "partner_country": "DE",
        "type": "sister city",
        "source": "Municipal records, Bandung (1960)",
    }
    import_records(store, tmp_path, [record])
    store.close()
    code, out, _ = run(db_path, "sources", "--json")
    sid = next(s["id"] for s in json.loads(out) if s["kind"] == "citation")
    err = refused(db_path, "sources", "set", sid, "--date", "1960-13", "--url", "ftp://x")
    assert "date '1960-13'" in err and "url 'ftp://x'" in err
    code, _, err = run(
        db_path,
        "sources",
        "set",
        sid,
        "--kind",
        "report",
        "--title",
        "Laporan kerja sama luar negeri Kota Bandung",
        "--author",
        "{Pemerintah Kota Bandung}",
        "--date",
        "1960",
    )
    assert code == 0 and "@pemerintah_1960_laporan" in err and "Still missing" not in err
    code, out, _ = run(db_path, "sources", "export", "--format", "csl-json", "--source", sid)
    (item,) = json.loads(out)
    assert item["type"] == "report" and item["author"] == [{"literal": "Pemerintah Kota Bandung"}]
    assert "bundled" in refused(
        db_path, "sources", "set", KUMPARAN, "--url", "https://example.org/x"
    )


def test_authors_given_when_adding_a_source_are_in_its_reference(
    db_path: Path, tmp_path: Path
) -> None:
    """`sources add --author` (as the app's Authors field) reaches every reference format."""
    article = tmp_path / "artikel.txt"
    article.write_text(
        "Pemkot Bandung dan Kota Braunschweig, Jerman, menandatangani nota kesepahaman kerja"
        " sama kota kembar pada 2019 di bidang pendidikan dan kebudayaan.\n",
        encoding="utf-8",
    )
    added = CliRunner().invoke(
        main,
        [
            "--db",
            str(db_path),
            "sources",
            "add",
            str(article),
            "--title",
            "Bandung jalin kerja sama",
            "--author",
            "Putra, Andi",
            "--outlet",
            "Pikiran Rakyat",
            "--published",
            "2019-07-15",
            "--json",
        ],
    )
    assert added.exit_code == 0, added.output
    sid = json.loads(added.stdout)["id"]
    bib = CliRunner().invoke(
        main, ["--db", str(db_path), "sources", "export", "--format", "bibtex", "--source", sid]
    )
    assert bib.exit_code == 0, bib.output
    assert "Putra, Andi" in bib.stdout
    csl = CliRunner().invoke(
        main, ["--db", str(db_path), "sources", "export", "--format", "csl-json", "--source", sid]
    )
    assert json.loads(csl.stdout)[0]["author"] == [{"family": "Putra", "given": "Andi"}]
