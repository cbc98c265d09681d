"""The Textual app (placeholder until the app lands)."""

from __future__ import annotations

from pathlib import Path


def run_app(db_path: Path) -> int:
    raise SystemExit("The app is not built yet.")
