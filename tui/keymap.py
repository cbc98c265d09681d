"""User key remapping: `keymap.toml` in the config directory, `binding_id = "key"` lines.

Textual applies the mapping (`App.set_keymap`); this module reads the file, says what is wrong
with it in words, and tells the help screen which key each binding has now.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from textual.binding import Binding

from db.paths import keymap_path
from db.smallfile import read_small


def load_keymap(path: Path | None = None) -> tuple[dict[str, str], list[str]]:
    """(keymap, problems). A missing file is an empty keymap; a broken one is reported.

    Accepts flat `id = "key"` lines or the same under a `[keys]` table. A value may list
    several keys separated by commas (`"down,j"`).
    """
    path = path or keymap_path()
    try:
        raw = tomllib.loads(read_small(path))
    except FileNotFoundError:
        return {}, []
    except OSError as exc:
        return {}, [f"{path}: cannot read it ({exc.strerror}); using the default keys."]
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError) as exc:
        return {}, [f"{path}: not valid TOML ({exc}); using the default keys."]
    except ValueError as exc:  # too big, or a pipe or a directory
        return {}, [f"{exc}; using the default keys."]
    table = raw.get("keys", raw) if isinstance(raw.get("keys"), dict) else raw
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, key in table.items():
        if isinstance(key, str) and key.strip():
            keymap[binding_id] = ",".join(k.strip() for k in key.split(",") if k.strip())
        elif binding_id != "keys":
            problems.append(f"{path}: '{binding_id}' should be a key in quotes, like \"x\".")
    return keymap, problems


def unknown_ids(keymap: Mapping[str, str], known: Iterable[str]) -> list[str]:
    """Binding ids in the keymap that no binding has (probably typos)."""
    known_set = set(known)
    return sorted(k for k in keymap if k not in known_set)


def keys_in_force(binding: Binding, keymap: Mapping[str, str]) -> list[str]:
    """The keys that trigger `binding` once the user's keymap is applied."""
    if binding.id and binding.id in keymap:
        return [k.strip() for k in keymap[binding.id].split(",") if k.strip()]
    return [binding.key]


def with_key(binding: Binding, key: str) -> Binding:
    """The binding on another key (its own key_display no longer applies)."""
    return replace(binding, key=key, key_display=None)
