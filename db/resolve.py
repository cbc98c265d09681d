"""Turn what a user types on the command line into filter keys and ids."""

from __future__ import annotations

import re
import sqlite3

from db.errors import NotFound
from db.text import json_list


def region_key(conn: sqlite3.Connection, text: str) -> str:
    """'Jawa Timur', 'Surabaya', 'Kota Surabaya', '35.78', 'p:35' -> a region-tree key."""
    value = text.strip()
    if re.match(r"^(c|p|a|r):", value):
        return value
    if re.match(r"^\d{2}$", value):
        return f"p:{value}"
    if re.match(r"^\d{2}\.\d{2}$", value):
        return f"a:{value}"
    folded = value.casefold()
    row = conn.execute(
        "SELECT code FROM countries WHERE lower(name_en) = ? OR lower(name_id) = ?"
        " OR lower(code) = ?",
        (folded, folded, folded),
    ).fetchone()
    if row and conn.execute("SELECT 1 FROM cases WHERE region_country = ?", row).fetchone():
        return f"c:{row[0]}"
    rows = conn.execute(
        "SELECT code, name, level FROM areas WHERE lower(name) = ?"
        " OR lower(name) IN ('kota ' || ?, 'kabupaten ' || ?, 'provinsi ' || ?)",
        (folded, folded, folded, folded),
    ).fetchall()
    with_cases = [
        r
        for r in rows
        if conn.execute(
            "SELECT 1 FROM cases WHERE province_code = ? OR area_code = ? LIMIT 1", (r[0], r[0])
        ).fetchone()
    ]
    pick = with_cases or rows
    if len(pick) == 1:
        code, _name, level = pick[0]
        return f"p:{code}" if level == "province" else f"a:{code}"
    if len(pick) > 1:
        names = ", ".join(f"{n} ({c})" for c, n, _ in pick)
        raise NotFound(f"Region '{text}' is ambiguous: {names}. Give the full name or the code.")
    row = conn.execute(
        "SELECT id FROM actors WHERE lower(name) = ? OR lower(as_stated) = ? OR id = ?",
        (folded, folded, value),
    ).fetchone()
    if row:
        return f"r:{row[0]}"
    raise NotFound(f"No region named '{text}'. 'paradiplo-tui regions' lists those with cases.")


def sector_id(conn: sqlite3.Connection, text: str) -> str:
    folded = text.strip().casefold()
    row = conn.execute(
        "SELECT id FROM sectors WHERE id = ? OR lower(label_en) = ? OR lower(label_id) = ?",
        (folded, folded, folded),
    ).fetchone()
    if row is None:
        raise NotFound(f"No sector '{text}'. 'paradiplo-tui sectors' lists the vocabulary.")
    return str(row[0])


def country_key(conn: sqlite3.Connection, text: str) -> str:
    folded = text.strip().casefold()
    for code, en, idl, syn in conn.execute(
        "SELECT code, name_en, name_id, synonyms FROM countries"
    ):
        names = {code.casefold(), (en or "").casefold(), (idl or "").casefold()}
        names |= {s.casefold() for s in json_list(syn)}
        if folded in names:
            return f"pc:{code}"
    raise NotFound(f"No country '{text}' in the collection.")
