"""sqlite-utils does the writes, but costs ~65 ms to import: opening the app's database and
reading what its first screen shows must not load it; the first write does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

OPEN_AND_READ = (
    "import sys; from pathlib import Path; import paradiplo.tui.app;"
    "from paradiplo.db import notes, queries; from paradiplo.db.store import open_store;"
    "from paradiplo.db.models import Filters;"
    "s = open_store(Path(sys.argv[1])); queries.list_cases(s.conn, Filters(), limit=50);"
    "notes.list_notes(s.conn); notes.list_drafts(s.conn);"
)


def _loaded_after(code: str, db: Path) -> bool:
    out = subprocess.run(
        [sys.executable, "-c", code + "print('sqlite_utils' in sys.modules)", str(db)],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip() == "True"


def test_opening_an_existing_database_does_not_load_sqlite_utils(db_path: Path) -> None:
    assert not _loaded_after(OPEN_AND_READ, db_path)


def test_the_first_note_saved_loads_it(db_path: Path) -> None:
    save = "notes.add_note(s, 'case', 'x', 'a note');"
    assert _loaded_after(OPEN_AND_READ + save, db_path)
