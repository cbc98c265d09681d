"""Notes export (Markdown for papers, JSON for backup) and JSON import without duplicates."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from db import notes as notes_api
from db.errors import ImportProblem
from db.io import read_text_file
from db.models import Note
from db.store import Store


# ------------------------------------------------------------------------------ notes
def notes_json(conn: sqlite3.Connection) -> dict[str, Any]:
    notes = notes_api.list_notes(conn)
    return {
        "format": "paradiplo-notes",
        "version": 1,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "notes": [
            {
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
            for n in notes
        ],
    }


def _md_escape_heading(text: str) -> str:
    return text.replace("\n", " ").strip()


def notes_markdown(conn: sqlite3.Connection, *, by: str = "case") -> str:
    """Notes as Markdown for a paper's working notes, grouped by case (or by tag).

    Each case group starts with its parties, date and the sources it cites (outlet, authors,
    date, file); notes keep their text exactly as written.
    """
    from db.errors import NotFound
    from db.queries import case_detail

    notes = notes_api.list_notes(conn)
    lines = ["# Study notes", ""]
    lines.append(
        f"Exported {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} from paradiplo-tui; "
        f"{len(notes)} note(s)."
    )
    lines.append("")

    def note_block(n: Note) -> list[str]:
        meta = f"*{n.created_at[:16].replace('T', ' ')}*"
        if n.updated_at != n.created_at:
            meta += f" · edited {n.updated_at[:16].replace('T', ' ')}"
        if n.tags:
            meta += " · " + " ".join(f"`#{t}`" for t in n.tags)
        out = [meta, ""]
        if n.anchor_quote:
            out += ["> " + n.anchor_quote.replace("\n", "\n> "), ""]
        out += [n.body.rstrip(), "", "---", ""]
        return out

    if by == "tag":
        groups: dict[str, list[Note]] = {}
        for n in notes:
            for t in n.tags or ["(untagged)"]:
                groups.setdefault(t, []).append(n)
        for tag in sorted(groups):
            lines += [f"## #{tag}" if tag != "(untagged)" else "## Untagged", ""]
            for n in groups[tag]:
                lines += [f"### {_md_escape_heading(n.target_label)}", ""]
                lines += note_block(n)
        return "\n".join(lines)

    groups2: dict[tuple[str, str], list[Note]] = {}
    for n in notes:
        groups2.setdefault((n.target_type, n.target_id), []).append(n)
    for (ttype, tid), group in groups2.items():
        first = group[0]
        heading = _md_escape_heading(first.target_label)
        lines += [f"## {heading}", ""]
        if first.orphaned:
            lines += [f"*Orphaned note: its {ttype} `{tid}` is no longer in the collection.*", ""]
        elif ttype == "case":
            try:
                d = case_detail(conn, tid)
            except NotFound:
                d = None
            if d is not None:
                partner = d.partner.name if d.partner else "partner not named"
                pcountry = (
                    f" ({d.partner.country_name})" if d.partner and d.partner.country_name else ""
                )
                lines.append(f"- **Parties:** {d.region.name} – {partner}{pcountry}")
                lines.append(f"- **Type:** {d.type_label}")
                lines.append(f"- **Date:** {d.date_as_stated or d.date or 'not stated'}")
                lines.append(f"- **Case id:** `{d.id}`")
                cited: dict[str, str] = {}
                for e in d.evidence:
                    cited.setdefault(e.source_id, e.citation)
                for citation in cited.values():
                    lines.append(f"- **Source:** {citation}")
                lines.append("")
        elif ttype in ("source", "passage"):
            lines += [f"- **Source id:** `{tid}`", ""]
        for n in group:
            lines += note_block(n)
    return "\n".join(lines)


def import_notes_json(store: Store, path: Path) -> tuple[int, int, int]:
    """Import notes exported as JSON. Returns (added, updated, unchanged); never duplicates.

    A note whose id exists is left alone if identical or older, updated if the file's copy
    was edited later.
    """
    text = read_text_file(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportProblem(str(path), [f"line {exc.lineno}: invalid JSON ({exc.msg})"]) from None
    items = data.get("notes") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ImportProblem(str(path), ['expected {"notes": [...]} as written by notes export'])
    problems = []
    for i, n in enumerate(items, 1):
        if not isinstance(n, dict):
            problems.append(f"record {i}: not an object")
            continue
        for f in ("id", "target_type", "target_id", "body"):
            if not isinstance(n.get(f), str) or not n.get(f):
                problems.append(f"record {i}, field '{f}': required text")
        if n.get("target_type") not in notes_api.TARGET_TYPES:
            problems.append(f"record {i}, field 'target_type': one of {notes_api.TARGET_TYPES}")
    if problems:
        raise ImportProblem(str(path), problems)
    added = updated = unchanged = 0
    conn = store.conn
    for n in items:
        row = conn.execute(
            "SELECT body, tags, updated_at FROM notes WHERE id = ?", (n["id"],)
        ).fetchone()
        tags = notes_api.normalise_tags(n.get("tags") or [])
        if row is None:
            anchor = None
            if n.get("anchor_start") is not None:
                anchor = (n["anchor_start"], n["anchor_end"], n.get("anchor_quote") or "")
            notes_api.add_note(
                store,
                n["target_type"],
                n["target_id"],
                n["body"],
                tags,
                anchor=anchor,
                note_id=n["id"],
                created_at=n.get("created_at"),
                updated_at=n.get("updated_at"),
            )
            added += 1
        elif row[0] == n["body"] and json.loads(row[1]) == tags:
            unchanged += 1
        elif (n.get("updated_at") or "") > row[2]:
            notes_api.update_note(store, n["id"], n["body"], tags, expected_version=None)
            updated += 1
        else:
            unchanged += 1
    return added, updated, unchanged
