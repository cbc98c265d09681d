"""Notes export (Markdown for papers, JSON for backup) and JSON import without duplicates."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from paradiplo.db import cite, paths, searchdocs
from paradiplo.db import notes as notes_api
from paradiplo.db.errors import ImportProblem, NotFound, ParadiploError
from paradiplo.db.files import write_atomic
from paradiplo.db.i18n import _
from paradiplo.db.io import read_text_file
from paradiplo.db.models import Note
from paradiplo.db.store import Store
from paradiplo.db.text import display_safe, json_list, local_stamp, quote_value

FORMAT = "paradiplo-notes"
FORMATS = ("md", "json")
GROUPINGS = ("case", "tag")
_TYPE_ORDER = {"case": 0, "passage": 1, "source": 1, "region": 2}


# ------------------------------------------------------------------------------ JSON
def note_record(n: Note) -> dict[str, Any]:
    """One note as exported: everything needed to import it back unchanged."""
    return {
        "id": n.id,
        "target_type": n.target_type,
        "target_id": n.target_id,
        "target": n.target_label,
        "orphaned": n.orphaned,
        "body": n.body,
        "tags": n.tags,
        "created_at": n.created_at,
        "updated_at": n.updated_at,
        "version": n.version,
        "anchor_start": n.anchor_start,
        "anchor_end": n.anchor_end,
        "anchor_quote": n.anchor_quote,
    }


def notes_json(conn: sqlite3.Connection) -> dict[str, Any]:
    notes = notes_api.list_notes(conn)
    return {
        "format": FORMAT,
        "version": 1,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "notes": [note_record(n) for n in notes],
    }


def notes_json_text(conn: sqlite3.Connection) -> str:
    return json.dumps(notes_json(conn), ensure_ascii=False, indent=2) + "\n"


# ------------------------------------------------------------------------------ Markdown
def _one_line(text: str) -> str:
    return " ".join(display_safe(text).split())


def _stamp(iso: str) -> str:
    """A stored UTC timestamp in local time, as the app shows it."""
    return local_stamp(iso)


def _note_block(n: Note, refs: _Refs) -> list[str]:
    """A note: when and tags, what it is on in words (a passage quoted, with its Pandoc
    citation), then its text.

    The text is the user's own Markdown, as written; only terminal escape sequences and
    control characters are removed (a Markdown file is for reading, often with `cat`).
    """
    meta = f"*{_stamp(n.created_at)}*"
    if n.updated_at != n.created_at:
        meta += f" · edited {_stamp(n.updated_at)}"
    if n.tags:
        meta += " · " + " ".join(f"`#{_one_line(t).replace('`', '')}`" for t in n.tags)
    out = [meta, ""]
    ref = refs.get(n.target_id) if n.target_type in ("passage", "source") else None
    if n.target_type == "region" and not n.orphaned:
        out += [f"*Note on {cite.md_escape(_one_line(n.target_label))}*", ""]
    elif n.target_type == "source" and ref is not None:
        out += [f"*Note on {cite.md_escape(cite.short_label(ref))}* [@{ref.key}]", ""]
    if n.anchor_quote:
        quote = display_safe(n.anchor_quote).strip()
        if ref is not None:
            head = _one_line(quote)
            head = head if len(head) <= 60 else head[:59].rstrip() + "…"
            out += [
                f"*Note on a passage of {cite.md_escape(cite.short_label(ref))}:"
                f" “{cite.md_escape(head)}”*",
                "",
            ]
        out += ["> " + quote.replace("\n", "\n> ")]
        if ref is not None:
            out += [">", f"> [@{ref.key}]"]
        out += [""]
    out += [display_safe(n.body).rstrip(), "", "---", ""]
    return out


class _Refs:
    """Every source as a reference (with its key), read once; remembers which were cited."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.by_id = {r.id: r for r in cite.read_sources(conn)}
        self.cited: dict[str, None] = {}

    def get(self, source_id: str) -> cite.SourceRef | None:
        ref = self.by_id.get(source_id)
        if ref is not None:
            self.cited[source_id] = None
        return ref


class _Headers:
    """Group headers (parties, date, cited sources) for each target, computed once."""

    def __init__(self, conn: sqlite3.Connection, refs: _Refs) -> None:
        self.conn = conn
        self.refs = refs

    def lines(self, first: Note) -> list[str]:
        ttype, tid = first.target_type, first.target_id
        word = notes_api.TARGET_WORDS.get(ttype, ttype)
        if first.orphaned:
            return [f"*Orphaned: the {word} `{tid}` is no longer in the collection.*", ""]
        if ttype == "case":
            return self._case_lines(tid)
        if ttype in ("source", "passage"):
            ref = self.refs.get(tid)
            if ref is None:
                return []
            kind = cite.md_escape(ref.kind_words)
            return [f"- **Source:** {kind} [@{ref.key}]", ""]
        return []

    def _case_lines(self, case_id: str) -> list[str]:
        from paradiplo.db.queries import case_detail

        try:
            d = case_detail(self.conn, case_id)
        except NotFound:
            return []
        partner = d.partner.name if d.partner else (d.partner_as_stated or "partner not named")
        pcountry = f" ({d.partner.country_name})" if d.partner and d.partner.country_name else ""
        lines = [
            f"- **Parties:** {_one_line(d.region.name)} – {_one_line(partner)}{pcountry}",
            f"- **Type:** {_one_line(d.type_label)}",
            f"- **Date:** {_date(d.date, d.date_as_stated)}",
        ]
        keys = []
        for e in d.evidence:
            ref = self.refs.get(e.source_id)
            if ref is not None and f"@{ref.key}" not in keys:
                keys.append(f"@{ref.key}")
        if keys:
            lines.append(f"- **Sources:** [{'; '.join(keys)}]")
        return [*lines, ""]


def _date(date: str | None, as_stated: str | None) -> str:
    """'2017-11 (“November 2017”)': the normalised date with the source's words."""
    if not date and not as_stated:
        return "not stated"
    if date and as_stated and as_stated != date:
        return f"{_one_line(date)} (“{_one_line(as_stated)}”)"
    return _one_line(date or as_stated or "")


def _group_by_target(notes: list[Note]) -> list[list[Note]]:
    """Notes per target: cases, then sources, then regions, each by label; orphans last.

    Within a group notes are in the order they were written, as working notes are read.
    """
    groups: dict[tuple[str, str], list[Note]] = {}
    for n in notes:
        key = ("source" if n.target_type == "passage" else n.target_type, n.target_id)
        groups.setdefault(key, []).append(n)
    ordered = sorted(
        groups.values(),
        key=lambda g: (
            g[0].orphaned,
            _TYPE_ORDER.get(g[0].target_type, 9),
            g[0].target_label.casefold(),
            g[0].target_id,
        ),
    )
    return [sorted(g, key=lambda n: (n.created_at, n.id)) for g in ordered]


def notes_markdown(
    conn: sqlite3.Connection,
    *,
    by: str = "case",
    style: str = cite.DEFAULT_STYLE,
    bib_name: str | None = None,
) -> str:
    """Notes as Markdown for a paper's working notes, grouped by case (or by tag)."""
    return notes_markdown_cited(conn, by=by, style=style, bib_name=bib_name)[0]


def notes_markdown_cited(
    conn: sqlite3.Connection,
    *,
    by: str = "case",
    style: str = cite.DEFAULT_STYLE,
    bib_name: str | None = None,
    csl_name: str | None = None,
) -> tuple[str, list[str]]:
    """Notes as Markdown, and the ids of the sources they cite.

    Each case group starts with its parties, date and the sources it cites as Pandoc
    citations (`[@key]`); a note on a passage or a source says so in words and quotes the
    passage with its citation; orphaned notes are listed with a mark; deleted notes are not
    exported. A reference list in `style` closes the file, for readers without Pandoc.

    With `bib_name` (the BibTeX file written beside it) the file is for Pandoc: its metadata
    names the bibliography, the style's CSL file (`csl_name`) and the locale, and it ends
    with the empty `refs` div where `pandoc --citeproc` puts the references (Pandoc adds its
    list to whatever the div holds, so ours would be printed twice).
    """
    if by not in GROUPINGS:
        raise ParadiploError(
            _("Notes are grouped by one of {ways}, not '{by}'.").format(
                ways=", ".join(GROUPINGS), by=by
            )
        )
    cite.check_style(style)
    notes = notes_api.list_notes(conn)
    refs = _Refs(conn)
    headers = _Headers(conn, refs)
    grouped = "tag" if by == "tag" else "case"
    lines = []
    if bib_name:
        meta = [f"bibliography: {json.dumps(bib_name, ensure_ascii=False)}"]
        if csl_name:
            meta.append(f"csl: {json.dumps(csl_name, ensure_ascii=False)}")
        meta.append(f"lang: {cite.STYLES[style][1]}")
        lines += ["---", *meta, "---", ""]
    lines += [
        "# Study notes",
        "",
        f"Exported {datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')} from "
        f"paradiplo-tui; {len(notes)} note(s), grouped by {grouped}; times are local.",
        "",
    ]

    def target_section(group: list[Note], level: str) -> list[str]:
        first = group[0]
        mark = " (orphaned)" if first.orphaned else ""
        out = [f"{level} {_one_line(first.target_label)}{mark}", ""]
        out += headers.lines(first)
        for n in group:
            out += _note_block(n, refs)
        return out

    if by == "tag":
        by_tag: dict[str, list[Note]] = {}
        for n in notes:
            for t in n.tags or [""]:
                by_tag.setdefault(t, []).append(n)
        for tag in sorted(by_tag, key=lambda t: (t == "", t)):
            lines += [f"## #{_one_line(tag)}" if tag else "## Untagged", ""]
            for group in _group_by_target(by_tag[tag]):
                lines += target_section(group, "###")
    else:
        for group in _group_by_target(notes):
            lines += target_section(group, "##")
    cited = list(refs.cited)
    if cited and bib_name:
        lines += ["## References", "", "::: {#refs}", ":::", ""]
    elif cited:
        formatted = cite.format_refs([refs.by_id[i] for i in cited], style, "markdown")
        entries = sorted((f.reference for f in formatted), key=str.casefold)
        lines += ["## References", ""]
        for entry in entries:
            lines += [entry, ""]
    return "\n".join(lines), cited


# ------------------------------------------------------------------------------ files
def export_text(
    conn: sqlite3.Connection, fmt: str, by: str = "case", style: str = cite.DEFAULT_STYLE
) -> str:
    if fmt == "json":
        return notes_json_text(conn)
    if fmt == "md":
        return notes_markdown(conn, by=by, style=style)
    raise ParadiploError(
        _("Notes export format is one of {formats}, not '{fmt}'.").format(
            formats=", ".join(FORMATS), fmt=fmt
        )
    )


def export_notes_to_file(
    conn: sqlite3.Connection, fmt: str, by: str = "case", style: str = cite.DEFAULT_STYLE
) -> Path:
    """Export every note to a new, timestamped file under the data dir's `exports` folder.

    Never overwrites an earlier export. Raises ParadiploError with the reason if the file
    cannot be written (the notes in the database are untouched either way).
    """
    text = export_text(conn, fmt, by, style)
    folder = paths.data_dir() / "exports"
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = "-by-tag" if fmt == "md" and by == "tag" else ""
    target = folder / f"notes-{stamp}{suffix}.{fmt}"
    n = 1
    while target.exists():
        target = folder / f"notes-{stamp}{suffix}-{n}.{fmt}"
        n += 1
    try:
        write_atomic(target, text)
    except OSError as exc:
        raise ParadiploError(
            _("Could not write {path}: {error}. Your notes are unchanged.").format(
                path=target, error=exc.strerror or exc
            )
        ) from exc
    return target


# ------------------------------------------------------------------------------ import
# The largest character position an anchor may name: far beyond any source text, and well
# inside what SQLite stores (a number past 2**63 would fail half-way through the import).
MAX_OFFSET = 2**31 - 1


def _is_timestamp(text: str) -> bool:
    """An ISO 8601 date and time (a year from 1 to 9999, as Python reads it)."""
    if len(text) > 40 or not text.isascii():
        return False
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def _validate(items: list[Any]) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for i, n in enumerate(items, 1):
        if not isinstance(n, dict):
            problems.append(_("record {i}: not an object").format(i=i))
            continue
        for f in ("id", "target_type", "target_id", "body"):
            if not isinstance(n.get(f), str) or not n.get(f, "").strip():
                problems.append(_("record {i}, field '{f}': required text").format(i=i, f=f))
        if n.get("target_type") not in notes_api.TARGET_TYPES:
            problems.append(
                _("record {i}, field 'target_type': one of {kinds}").format(
                    i=i, kinds=", ".join(notes_api.TARGET_TYPES)
                )
            )
        tags = n.get("tags", [])
        if tags is not None and not (
            isinstance(tags, list) and all(isinstance(t, str) for t in tags)
        ):
            problems.append(_("record {i}, field 'tags': a list of text").format(i=i))
        for f in ("created_at", "updated_at", "anchor_quote"):
            if n.get(f) is not None and not isinstance(n.get(f), str):
                problems.append(_("record {i}, field '{f}': text").format(i=i, f=f))
        for f in ("created_at", "updated_at"):
            if isinstance(n.get(f), str) and n[f] and not _is_timestamp(n[f]):
                problems.append(
                    _(
                        "record {i}, field '{f}': {value} is not a date and time "
                        "(YYYY-MM-DDTHH:MM:SS, as notes export writes it)"
                    ).format(i=i, f=f, value=quote_value(n[f]))
                )
        for f in ("anchor_start", "anchor_end"):
            v = n.get(f)
            if v is not None and (
                not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= MAX_OFFSET
            ):
                problems.append(
                    _(
                        "record {i}, field '{f}': {value} is not a whole number from 0 to "
                        "{most:,} (a character position in the source)"
                    ).format(i=i, f=f, value=quote_value(v), most=MAX_OFFSET)
                )
        start, end = n.get("anchor_start"), n.get("anchor_end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= end < start <= MAX_OFFSET:
            problems.append(
                _("record {i}, field 'anchor_end': {end} is before anchor_start {start}").format(
                    i=i, end=end, start=start
                )
            )
        nid = n.get("id")
        if isinstance(nid, str):
            if nid in seen:
                problems.append(
                    _("record {i}, field 'id': '{id}' appears twice in the file").format(
                        i=i, id=nid
                    )
                )
            seen.add(nid)
    return problems


def import_notes_json(store: Store, path: Path) -> tuple[int, int, int]:
    """Import notes exported as JSON, all in one transaction. Returns (added, updated, unchanged).

    Never duplicates: a note whose id exists is left alone if identical or older, and updated
    if the file's copy was edited later. A note deleted here but present in the file is
    brought back (counted as updated): importing a backup must not lose a note.
    """
    text = read_text_file(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportProblem(
            str(path), [_("line {n}: invalid JSON ({error})").format(n=exc.lineno, error=exc.msg)]
        ) from None
    except (RecursionError, ValueError):  # nested thousands deep, or a 5000-digit number
        raise ImportProblem(str(path), [_("not a notes export (invalid or absurd JSON)")]) from None
    items = data.get("notes") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ImportProblem(str(path), [_('expected {"notes": [...]} as written by notes export')])
    problems = _validate(items)
    if problems:
        raise ImportProblem(str(path), problems)
    added = updated = unchanged = 0
    with notes_api.writing(store) as conn:
        changed = []
        for n in items:
            outcome = _import_one(conn, n)
            added += outcome == "added"
            updated += outcome == "updated"
            unchanged += outcome == "unchanged"
            if outcome != "unchanged":
                changed.append(n["id"])
        # Their search documents in one go (one note at a time: 10,000 notes took 11 s).
        with searchdocs.paused_gc(), searchdocs.bulk(conn, len(changed)):
            searchdocs.refresh_notes(conn, changed)
    return added, updated, unchanged


def _import_one(conn: sqlite3.Connection, n: dict[str, Any]) -> str:
    row = conn.execute(
        "SELECT body, tags, updated_at, deleted_at FROM notes WHERE id = ?", (n["id"],)
    ).fetchone()
    tags = notes_api.normalise_tags(n.get("tags") or [])
    if row is None:
        anchor = None
        if n.get("anchor_start") is not None and n.get("anchor_end") is not None:
            anchor = (n["anchor_start"], n["anchor_end"], n.get("anchor_quote") or "")
        new = notes_api.NewNote(
            n["target_type"],
            n["target_id"],
            n["body"],
            tags,
            anchor,
            n["id"],
            n.get("created_at"),
            n.get("updated_at"),
        )
        notes_api.insert_note(conn, new, index=False)
        return "added"
    body, cur_tags, cur_updated, deleted_at = row
    same = body == n["body"] and json_list(cur_tags) == tags
    newer = (n.get("updated_at") or "") > cur_updated
    if deleted_at is None and (same or not newer):
        return "unchanged"
    if same or not newer:  # deleted here: bring back our copy as it is
        body_out, tags_out = body, json_list(cur_tags)
    else:
        body_out, tags_out = n["body"], tags
    notes_api.overwrite_note(
        conn,
        n["id"],
        body_out,
        tags_out,
        expected_version=None,
        updated_at=n.get("updated_at") if newer else None,
        index=False,
    )
    return "updated"
