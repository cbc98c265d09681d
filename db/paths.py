"""Every file location the app uses, in one place."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "paradiplo-tui"
ENV_DB = "PARADIPLO_DB"
ENV_CONFIG_DIR = "PARADIPLO_CONFIG_DIR"
ENV_DATA_DIR = "PARADIPLO_DATA_DIR"


def data_dir() -> Path:
    """Where the default database lives (override with PARADIPLO_DATA_DIR)."""
    override = os.environ.get(ENV_DATA_DIR)
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME))


def config_dir() -> Path:
    """Where keymaps and the remembered UI state live (override with PARADIPLO_CONFIG_DIR)."""
    override = os.environ.get(ENV_CONFIG_DIR)
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME))


def default_db_path() -> Path:
    return data_dir() / "paradiplo.db"


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--db wins, then $PARADIPLO_DB, then the user's data directory."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_DB)
    if env:
        return Path(env).expanduser()
    return default_db_path()


def keymap_path() -> Path:
    return config_dir() / "keymap.toml"


def state_path() -> Path:
    return config_dir() / "state.json"
