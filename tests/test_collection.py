"""Growing the collection from the command line: sources add, cases add/edit/delete/restore,
and each refusal, as a user runs them (CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import refused, run

ARTICLE = """Bandung dan Braunschweig Perpanjang Kerja Sama

BANDUNG - Pemerintah Kota Bandung dan Kota Braunschweig, Jerman, memperpanjang kerja sama
sister city yang telah terjalin sejak 1960. Penandatanganan dilakukan di Balai Kota Bandung.

Wali Kota Bandung mengatakan kerja sama tersebut difokuskan pada pendidikan vokasi dan
pengelolaan sampah.
"""

HTML = """<!doctype html><html lang="id"><head><title>Surabaya dan Kitakyushu</title>
<meta property="og:site_name" content="Warta Timur">
<script>var secret = "tracking-script-text";</script></head><body>
<nav>Beranda | Berita | Olahraga | navigasi-menu</nav>
<article><h1>Surabaya dan Kitakyushu</h1>
<p>Pemkot Surabaya menandatangani nota kesepahaman dengan Kota Kitakyushu, Jepang, tentang
pengelolaan sampah dan lingkungan hidup pada tahun 2012 di Balai Kota Surabaya.</p>
<p>Kerja sama green sister city itu dipuji oleh banyak pihak karena hasilnya nyata.</p>
</article><footer>Hak cipta Warta Timur - footer-text</footer></body></html>
"""


@pytest.fixture
def source_id(db_path: Path, tmp_path: Path) -> str:
    f = tmp_path / "bandung.txt"
    f.write_text(ARTICLE, encoding="utf-8")
    code, out, err = run(
        db_path,
        "sources",
        "add",
        str(f),
        "--title",
        "Bandung dan Braunschweig",
        "--author",
        "Rina Sulastri",
        "--author",
        "Dedi Mulyadi",
        "--outlet",
        "Kabar Priangan",
        "--published",
        "2024-03-14",
        "--url",
        "https://kabar.example/bandung",
        "--accessed",
        "2026-12-01",
        "--language",
        "id",
        "--kind",
        "news",
        "--json",
    )
    assert code == 0, err
    return str(json.loads(out)["id"])


# A Bandung–Hamburg MoU, which ARTICLE does not speak of (options of `cases add`).
HAMBURG_MOU = {
    "--region": "Kota Bandung",
    "--partner": "Hamburg",
    "--partner-country": "DE",
    "--type": "mou",
}


def cases_add(db_path: Path, options: dict[str, str]) -> tuple[int, str, str]:
    """`cases add` with `options` ({"--region": "Kota Bandung", ...})."""
    return run(db_path, "cases", "add", *[x for option in options.items() for x in option])


def add_case(db_path: Path, source_id: str, *extra: str) -> tuple[int, str, str]:
    return run(
        db_path,
        "cases",
        "add",
        "--region",
        "Pemkot Bandung",
        "--partner",
        "Braunschweig",
        "--partner-country",
        "Jerman",
        "--type",
        "sister city",
        "--date",
        "1960",
        "--sector",
        "Education",
        "--source",
        source_id,
        "--quote",
        "memperpanjang kerja sama sister city yang telah terjalin sejak 1960",
        "--supports",
        "partner,date",
        *extra,
    )


# ------------------------------------------------------------------------------ sources
def test_sources_add_text_stores_it_verbatim_with_provenance(db_path: Path, source_id: str) -> None:
    code, out, _ = run(db_path, "sources", "--json")
    assert code == 0
    mine = next(s for s in json.loads(out) if s["id"] == source_id)
    assert mine["text"] == "" or mine["text"] == ARTICLE  # listings may leave the text out
    assert mine["url"] == "https://kabar.example/bandung"
    assert mine["accessed"] == "2026-12-01"
    assert mine["authors"] == ["Rina Sulastri", "Dedi Mulyadi"]
    assert mine["outlet"] == "Kabar Priangan" and mine["published"] == "2024-03-14"
    bundled = [s for s in json.loads(out) if s["origin"] == "seed"]
    assert bundled and all(s["url"] is None and s["accessed"] is None for s in bundled)
    # `sources list` lists the same.
    code, out2, _ = run(db_path, "sources", "list", "--json")
    assert json.loads(out2) == json.loads(out)


def test_an_added_source_is_searchable_and_readable(db_path: Path, source_id: str) -> None:
    from paradiplo.db import queries
    from paradiplo.db.store import open_store

    store = open_store(db_path)
    try:
        src = queries.get_source(store.conn, source_id)
        assert src.text == ARTICLE
        assert "Kabar Priangan" in src.citation
    finally:
        store.close()
    _code, out, _ = run(db_path, "search", "Braunschweig", "--json")
    hits = json.loads(out)
    assert any(h["kind"] == "passage" and h["source_id"] == source_id for h in hits)


def test_sources_add_html_keeps_the_article_not_navigation_or_scripts(
    db_path: Path, tmp_path: Path
) -> None:
    f = tmp_path / "surabaya.html"
    f.write_text(HTML, encoding="utf-8")
    code, out, err = run(db_path, "sources", "add", str(f), "--json")
    assert code == 0, err
    sid = json.loads(out)["id"]
    from paradiplo.db import queries
    from paradiplo.db.store import open_store

    store = open_store(db_path)
    try:
        src = queries.get_source(store.conn, sid)
    finally:
        store.close()
    assert "nota kesepahaman dengan Kota Kitakyushu" in " ".join(src.text.split())
    for junk in ("tracking-script-text", "navigasi-menu", "footer-text"):
        assert junk not in src.text
    assert src.title == "Surabaya dan Kitakyushu"
    assert src.outlet == "Warta Timur"
    assert src.language == "id"


def test_sources_add_reads_standard_input(db_path: Path) -> None:
    code, out, err = run(
        db_path, "sources", "add", "-", "--title", "Dari stdin", "--json", input=ARTICLE
    )
    assert code == 0, err
    assert json.loads(out)["id"]


def test_sources_add_pdf(db_path: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(_tiny_pdf("Kota Surabaya bekerja sama dengan Kitakyushu Jepang"))
    code, out, err = run(db_path, "sources", "add", str(pdf), "--kind", "report", "--json")
    assert code == 0, err
    from paradiplo.db.store import open_store

    store = open_store(db_path)
    try:
        text = store.conn.execute(
            "SELECT text FROM sources WHERE id = ?", (json.loads(out)["id"],)
        ).fetchone()[0]
    finally:
        store.close()
    assert "Kitakyushu" in text


@pytest.mark.parametrize(
    ("content", "name", "expect"),
    [
        (b"", "empty.txt", "empty"),
        (b"   \n\n  ", "blank.txt", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "picture.txt", "not text"),
        (b"caf\xe9 au lait", "latin1.txt", "not UTF-8"),
        (b"%PDF-1.4 this is not really a pdf", "broken.pdf", "PDF"),
        (
            b"<html><head><script>var a = 1;</script></head><body></body></html>",
            "s.html",
            "no article",
        ),
    ],
)
def test_sources_add_refuses_what_is_not_a_text_and_stores_nothing(
    db_path: Path, tmp_path: Path, content: bytes, name: str, expect: str
) -> None:
    f = tmp_path / name
    f.write_bytes(content)
    before = _count_sources(db_path)
    code, _out, err = run(db_path, "sources", "add", str(f))
    assert code == 1
    assert expect in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert _count_sources(db_path) == before


def test_sources_add_refuses_missing_file_folder_bad_dates_and_duplicates(
    db_path: Path, tmp_path: Path, source_id: str
) -> None:
    assert "no such file" in refused(db_path, "sources", "add", str(tmp_path / "nope.txt"))
    assert "folder" in refused(db_path, "sources", "add", str(tmp_path))
    f = tmp_path / "x.txt"
    f.write_text("Sebuah teks.", encoding="utf-8")
    assert "month 13" in refused(db_path, "sources", "add", str(f), "--published", "2017-13-45")
    assert "ASCII" in refused(db_path, "sources", "add", str(f), "--accessed", "２０１７")
    g = tmp_path / "again.txt"
    g.write_text(ARTICLE, encoding="utf-8")
    assert source_id in refused(db_path, "sources", "add", str(g))


# ------------------------------------------------------------------------------ cases
def test_cases_add_resolves_names_and_stores_the_quote_with_offsets(
    db_path: Path, source_id: str
) -> None:
    code, out, err = add_case(db_path, source_id, "--json")
    assert code == 0, err
    cid = json.loads(out)["id"]
    code, out, _ = run(db_path, "cases", "show", cid, "--json")
    rec = json.loads(out)
    assert rec["region"] == "Kota Bandung" and rec["province"] == "Jawa Barat"
    assert rec["partner"] == "Braunschweig" and rec["partner_country"] == "Germany"
    assert rec["type"] == "sister-city" and rec["date"] == "1960" and rec["origin"] == "user"
    assert rec["sectors"] == ["Education"]
    ev = rec["detail"]["evidence"][0]
    assert ARTICLE[ev["start"] : ev["end"]].split() == (
        [
            "memperpanjang",
            "kerja",
            "sama",
            "sister",
            "city",
            "yang",
            "telah",
            "terjalin",
            "sejak",
            "1960",
        ]
    )
    assert ev["supports"] == ["partner", "date"]
    code, out, _ = run(db_path, "db", "check")
    assert code == 0, out
    code, out, _ = run(db_path, "cases", "list", "--region", "Jawa Barat", "--json")
    assert cid in {c["id"] for c in json.loads(out)}


def test_cases_add_refuses_a_quote_not_in_the_source_naming_the_nearest_passage(
    db_path: Path, source_id: str
) -> None:
    quote = "kerja sama dengan Hamburg tentang pengelolaan sampah"
    code, _, err = cases_add(db_path, {**HAMBURG_MOU, "--source": source_id, "--quote": quote})
    assert code == 1
    assert "Quote not found" in err and "nearest passage" in err
    assert "pengelolaan sampah" in err  # the passage that does talk of it


def test_cases_add_refuses_a_duplicate_naming_it_unless_forced(
    db_path: Path, source_id: str
) -> None:
    code, out, _ = add_case(db_path, source_id, "--json")
    first = json.loads(out)["id"]
    # Same region, partner (with a government prefix) and type: refused, naming the case.
    same = {"--region": "Kota Bandung", "--partner": "Kota Braunschweig", "--type": "sister-city"}
    code, _, err = cases_add(
        db_path, {**same, "--partner-country": "Germany", "--source": source_id}
    )
    assert code == 1 and first in err and "--force" in err
    code, out, err = add_case(db_path, source_id, "--force", "--json")
    assert code == 0, err
    assert json.loads(out)["id"] != first


@pytest.mark.parametrize(
    ("args", "expect"),
    [
        (["--region", "Bandung"], "ambiguous"),
        (["--region", "Atlantis"], "not in the official list"),
        (["--region", "Kota Bandung", "--partner-country", "Narnia"], "not a country"),
        (["--region", "Kota Bandung", "--type", "alliance"], "unknown type"),
        (["--region", "Kota Bandung", "--date", "2017-02-30"], "28 days"),
        (["--region", "Kota Bandung", "--sector", "Astrology"], "unknown sector"),
        (["--region", "Kota Bandung", "--source", "no-such-source"], "No source"),
    ],
)
def test_cases_add_refuses_bad_input_with_one_clear_line(
    db_path: Path, source_id: str, args: list[str], expect: str
) -> None:
    options = {**HAMBURG_MOU, "--source": source_id}
    for i in range(0, len(args), 2):
        options[args[i]] = args[i + 1]
    code, _, err = cases_add(db_path, options)
    assert code == 1, err
    assert expect in err and "Traceback" not in err


def test_cases_add_ambiguous_choices(db_path: Path, source_id: str) -> None:
    args = ["cases", "add", "--region", "Bandung", "--partner", "Hamburg", "--type", "mou"]
    code, out, err = run(db_path, *args, "--source", source_id, "--ambiguous", "regency", "--json")
    assert code == 0, err
    assert json.loads(out)["region"] == "Kabupaten Bandung"
    code, out, err = run(db_path, *args, "--source", source_id, "--ambiguous", "keep", "--json")
    assert code == 0, err
    assert json.loads(out)["region"] == "Bandung (city or regency not stated)"


def test_cases_edit_delete_restore_own_case_keeps_its_notes(db_path: Path, source_id: str) -> None:
    _, out, _ = add_case(db_path, source_id, "--json")
    cid = json.loads(out)["id"]
    run(db_path, "notes", "add", cid, "Renewed in 2024 [check]")
    code, _, err = run(
        db_path, "cases", "edit", cid, "--set", "date=1961", "--set", "sectors=Culture; Tourism"
    )
    assert code == 0, err
    rec = json.loads(run(db_path, "cases", "show", cid, "--json")[1])
    assert rec["date"] == "1961" and set(rec["sectors"]) == {"Tourism", "Culture"}
    code, out, _ = run(db_path, "cases", "show", cid)
    assert "Date: 1961" in out  # no date_as_stated: the date itself, not "not stated"

    code, out, err = run(db_path, "cases", "delete", cid)
    assert code == 0, err
    code, out, _ = run(db_path, "cases", "show", cid)
    assert code == 1
    orphans = json.loads(run(db_path, "notes", "list", "--orphaned", "--json")[1])
    assert [n["body"] for n in orphans] == ["Renewed in 2024 [check]"]
    deleted = json.loads(run(db_path, "cases", "deleted", "--json")[1])
    assert [d["id"] for d in deleted] == [cid]
    assert run(db_path, "db", "check")[0] == 0

    code, _, err = run(db_path, "cases", "restore", cid)
    assert code == 0, err
    rec2 = json.loads(run(db_path, "cases", "show", cid, "--json")[1])
    assert rec2["evidence"] == rec["evidence"] and rec2["date"] == "1961"
    assert json.loads(run(db_path, "notes", "list", "--orphaned", "--json")[1]) == []
    assert json.loads(run(db_path, "cases", "deleted", "--json")[1]) == []
    assert run(db_path, "db", "check")[0] == 0
    assert "not deleted" in refused(db_path, "cases", "restore", cid)


def test_seed_cases_refuse_edit_and_delete(db_path: Path) -> None:
    err = refused(db_path, "cases", "edit", "malang-nonsan-2017", "--set", "date=2018")
    assert "bundled case" in err and "note" in err
    assert "bundled case" in refused(db_path, "cases", "delete", "malang-nonsan-2017")
    assert run(db_path, "cases", "show", "malang-nonsan-2017")[0] == 0


def test_cases_edit_refuses_bad_fields_and_values(db_path: Path, source_id: str) -> None:
    cid = json.loads(add_case(db_path, source_id, "--json")[1])["id"]
    assert "cannot set 'colour'" in refused(db_path, "cases", "edit", cid, "--set", "colour=blue")
    assert "plausible year" in refused(db_path, "cases", "edit", cid, "--set", "date=0000")
    code, _, err = run(db_path, "cases", "edit", cid, "--set", "nonsense")
    assert code != 0 and "FIELD=VALUE" in err
    assert "No case" in refused(db_path, "cases", "edit", "no-such-case", "--set", "date=2019")


def test_db_check_accepts_a_quote_against_a_citation_only_source(
    db_path: Path, tmp_path: Path
) -> None:
    f = tmp_path / "cases.csv"
    f.write_text(
        "title,region,partner,partner_country,type,source,quote\n"
        'Bandung–Braunschweig,Kota Bandung,Braunschweig,Germany,sister-city,"Pikiran Rakyat, 2019",'
        '"Bandung dan Braunschweig bersaudara sejak 1960"\n',
        encoding="utf-8",
    )
    code, _, err = run(db_path, "import", "cases", str(f))
    assert code == 0, err
    code, out, _ = run(db_path, "db", "check")
    assert code == 0, out


def _count_sources(db_path: Path) -> int:
    _code, out, _ = run(db_path, "sources", "--json")
    return len(json.loads(out))


def _tiny_pdf(text: str) -> bytes:
    """A one-page PDF with `text` in its text layer (written by hand: no PDF writer needed)."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def test_summaries_follow_every_change_without_a_recount(store: Any) -> None:
    """Adding, editing, deleting and restoring cases keeps the summary tables exactly what a
    recount gives (they are adjusted per case, not recounted)."""
    from paradiplo.db import collection, schema

    sid = collection.add_source(store, collection.NewSource(text=ARTICLE, title="Summaries"))
    ids = []
    for region, partner, sectors in (
        ("Kota Bandung", "Braunschweig", ("Education", "Culture")),
        ("Kota Bandung", "Hamburg", ("Education",)),
        ("East Java", "Kota Braunschweig", ()),
        ("Kab. Malang", None, ("Tourism", "Sport", "Culture")),
    ):
        ids.append(
            collection.add_case(
                store,
                collection.CaseInput(
                    region=region, type="mou", source_id=sid, partner=partner,
                    partner_country="DE" if partner else "JP", sectors=sectors,
                ),
                force=True,
            )
        )  # fmt: skip
        assert schema.summary_problems(store.conn) == 0
    collection.update_case(store, ids[0], {"region": "Jatim", "sectors": "Sport"})
    assert schema.summary_problems(store.conn) == 0
    collection.update_case(store, ids[3], {"partner": "Osaka", "partner_country": "Japan"})
    assert schema.summary_problems(store.conn) == 0
    collection.delete_case(store, ids[1])
    collection.delete_case(store, ids[3])
    assert schema.summary_problems(store.conn) == 0
    collection.restore_case(store, ids[3])
    assert schema.summary_problems(store.conn) == 0
    assert schema.case_sector_problems(store.conn) == 0


def test_attach_a_passage_as_evidence_by_offsets(store: Any) -> None:
    from paradiplo.db import collection, queries

    sid = collection.add_source(store, collection.NewSource(text=ARTICLE, title="Attach"))
    start = ARTICLE.index("Penandatanganan")
    end = ARTICLE.index("Balai Kota Bandung.") + len("Balai Kota Bandung.")
    eid = collection.attach_evidence(
        store,
        "malang-nonsan-2017",  # a bundled case: the evidence is the user's
        sid,
        collection.QuoteSpec(start=start, end=end, supports=("date",)),
    )
    ev = next(
        e for e in queries.case_detail(store.conn, "malang-nonsan-2017").evidence if e.id == eid
    )
    assert (ev.start, ev.end, ev.supports) == (start, end, ["date"])
    assert ev.quote == ARTICLE[start:end]
    with pytest.raises(collection.CaseProblem, match="no fact 'colour'"):
        collection.attach_evidence(
            store,
            "malang-nonsan-2017",
            sid,
            collection.QuoteSpec(start=0, end=10, supports=("colour",)),
        )
    with pytest.raises(collection.CollectionError, match="not a passage"):
        collection.attach_evidence(
            store, "malang-nonsan-2017", sid, collection.QuoteSpec(start=5, end=99999)
        )
    assert queries.check(store.conn) == []
