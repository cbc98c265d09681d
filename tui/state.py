"""What the app remembers between launches: the last case, the filters, the sort and theme.

Kept in `db.paths.state_path()` as JSON and written atomically (temp file + rename), so a crash
mid-write never leaves a broken file. A missing or unreadable file means a fresh start, never an
error: the state is a convenience, not data.
"""

from __future__ import annotations

import itertools
import json
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from paradiplo.db.files import write_atomic
from paradiplo.db.models import SORTS, Filters
from paradiplo.db.paths import state_path
from paradiplo.db.smallfile import read_small

CITE_STYLES = ("apa", "chicago", "apa-id")  # db.cite.STYLES, without loading db.cite


@dataclass
class UIState:
    """What the app remembers between launches (state.json): the selected case, filters,
    sort, theme, language and citation style."""

    case_id: str | None = None
    region: str | None = None
    partner: str | None = None
    sectors: list[str] = field(default_factory=list)
    sort: str = "-year"
    theme: str | None = None
    language: str | None = None  # chosen in the app; --lang and $PARADIPLO_LANG come first
    cite_style: str = "apa"  # the citation style `y`, `c` and `cite` use (db.cite.STYLES)
    year_from: int | None = None
    year_to: int | None = None

    @property
    def filters(self) -> Filters:
        return Filters(
            region=self.region,
            partner=self.partner,
            sectors=tuple(self.sectors),
            year_from=self.year_from,
            year_to=self.year_to,
        )

    def set_filters(self, filters: Filters) -> None:
        self.region = filters.region
        self.partner = filters.partner
        self.sectors = list(filters.sectors)
        self.year_from = filters.year_from
        self.year_to = filters.year_to


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def load_state(path: Path | None = None) -> UIState:
    """The remembered state, or defaults when there is none or it cannot be read."""
    path = path or state_path()
    try:
        raw = json.loads(read_small(path))
    except (OSError, ValueError, RecursionError):
        return UIState()
    if not isinstance(raw, dict):
        return UIState()
    sectors = raw.get("sectors")
    sort = raw.get("sort")
    return UIState(
        case_id=_str_or_none(raw.get("case_id")),
        region=_str_or_none(raw.get("region")),
        partner=_str_or_none(raw.get("partner")),
        sectors=[s for s in sectors if isinstance(s, str)] if isinstance(sectors, list) else [],
        sort=sort if sort in SORTS else "-year",
        theme=_str_or_none(raw.get("theme")),
        language=_str_or_none(raw.get("language")),
        cite_style=str(raw["cite_style"]) if raw.get("cite_style") in CITE_STYLES else "apa",
        year_from=_year_or_none(raw.get("year_from")),
        year_to=_year_or_none(raw.get("year_to")),
    )


def _year_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


_LOCK = threading.Lock()
_written: dict[Path, int] = {}  # per file, the generation last written
_generations = itertools.count(1)


def next_generation() -> int:
    """A number for the next save, larger than any given before in this process."""
    return next(_generations)


def save_state(state: UIState, path: Path | None = None, *, generation: int | None = None) -> None:
    """Write the state atomically; failures are ignored (the next save tries again).

    The app saves from a thread while the user browses (the write ends with an fsync, too
    slow for the UI thread) and once more on the way out: with `generation` numbers, a slow
    older write never lands after a newer one.
    """
    path = path or state_path()
    with _LOCK:
        if generation is not None:
            if generation < _written.get(path, -1):
                return
            _written[path] = generation
        _write(state, path)


def _write(state: UIState, path: Path) -> None:
    try:
        write_atomic(path, json.dumps(asdict(state), ensure_ascii=False, indent=2))
    except OSError:
        pass
