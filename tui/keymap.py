"""User key remapping: `keymap.toml` in the config directory, `binding_id = "key"` lines.

Textual applies the mapping (`App.set_keymap`); this module reads the file, says what is wrong
with it in words, and tells the help screen which key each binding has now.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from textual.binding import Binding, BindingType

from paradiplo.db.i18n import _
from paradiplo.db.paths import keymap_path
from paradiplo.db.smallfile import read_small
from paradiplo.db.text import display_safe, quote_value


def load_keymap(path: Path | None = None) -> tuple[dict[str, str], list[str]]:
    """(keymap, problems). A missing file is an empty keymap; a broken one is reported.

    Accepts flat `id = "key"` lines or the same under a `[keys]` table. A value may list
    several keys separated by commas (`"down,j"`).
    """
    path = path or keymap_path()

    def not_toml(exc: Exception) -> tuple[dict[str, str], list[str]]:
        return {}, [
            _("{path}: not valid TOML ({error}); using the default keys.").format(
                path=path, error=exc
            )
        ]

    try:
        text = read_small(path)
    except FileNotFoundError:
        return {}, []
    except OSError as exc:
        return {}, [
            _("{path}: cannot read it ({error}); using the default keys.").format(
                path=path, error=exc.strerror
            )
        ]
    except UnicodeDecodeError as exc:
        return not_toml(exc)
    except ValueError as exc:  # too big, or a pipe or a directory
        return {}, [_("{error}; using the default keys.").format(error=exc)]
    import tomllib  # only when there is a file: most users have none

    try:
        raw = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        return not_toml(exc)
    table = raw.get("keys", raw) if isinstance(raw.get("keys"), dict) else raw
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, key in table.items():
        if isinstance(key, str) and key.strip():
            keymap[binding_id] = ",".join(k.strip() for k in key.split(",") if k.strip())
        elif binding_id != "keys":
            problems.append(
                _("{path}: '{id}' should be a key in quotes, like \"x\".").format(
                    path=path, id=binding_id
                )
            )
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


# ------------------------------------------------------------------- checking a keymap
MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})


@lru_cache(1)
def _key_names() -> frozenset[str]:
    """Every key name Textual can report, without its modifiers (escape, f1, pageup, slash…)."""
    from textual import keys

    names = {v.value.rpartition("+")[2] for v in keys.Keys if not v.value.startswith("<")}
    names |= set(keys.KEY_NAME_REPLACEMENTS.values()) | set(keys.ASCII_KEY_NAMES.values())
    return frozenset(names)


def is_key_name(key: str) -> bool:
    """True if `key` ("ctrl+f", "question_mark", "x", "f6") names a key a terminal can send."""
    from textual.keys import key_to_character

    *mods, base = key.split("+")
    if not base or any(m not in MODIFIERS for m in mods) or len(set(mods)) != len(mods):
        return False
    if len(base) == 1:
        return base.isprintable() and not base.isspace()
    return base in _key_names() or key_to_character(base) is not None


def _keys(raw: str) -> list[str]:
    return [k.strip() for k in raw.split(",") if k.strip()]


def check_keymap(
    keymap: Mapping[str, str], groups: Iterable[Iterable[Binding]], path: Path | None = None
) -> tuple[dict[str, str], list[str]]:
    """(the keymap to apply, problems) for a user's keymap against the app's bindings.

    `groups` are the sets of bindings in force at the same time (the keys everywhere, the main
    screen and one pane; or a screen of its own). A key name that does not exist is dropped; a
    remap that gives a key already in use in one of the groups (by default or by another line)
    is not applied: that binding keeps its default key. So the default quit key stays unless
    quit itself is moved to a valid, free key. Each problem names the binding ids concerned.
    """
    where = display_safe(str(path or keymap_path()))
    members = [[_as_binding(b) for b in group] for group in groups]
    defaults = {b.id: b.key for group in members for b in group if b.id}

    def keeps(binding_id: str) -> str:
        default = defaults.get(binding_id)
        return _("{id} keeps its default key").format(id=binding_id) + (
            f" ({default})" if default else ""
        )

    problems: list[str] = []
    out: dict[str, str] = {}
    for binding_id, raw in keymap.items():
        good = [k for k in _keys(raw) if is_key_name(k)]
        bad = [k for k in _keys(raw) if not is_key_name(k)]
        if bad:
            problems.append(
                _(
                    "{where}: {id} = {value}: {keys} is not a key name"
                    " (like x, ctrl+f, f6, escape, question_mark)"
                ).format(
                    where=where,
                    id=binding_id,
                    value=quote_value(raw),
                    keys=", ".join(quote_value(k) for k in bad),
                )
                + ("." if good else f"; {keeps(binding_id)}.")
            )
        if good:
            out[binding_id] = ",".join(good)
    for _round in range(len(out) + 1):  # each round drops at least one remap, or ends
        dropped = _clashes(out, members, where, problems, keeps)
        if not dropped:
            break
        for binding_id in dropped:
            out.pop(binding_id, None)
    return out, problems


def _as_binding(b: BindingType) -> Binding:
    return b if isinstance(b, Binding) else Binding(*b)


def _name(b: Binding) -> str:
    return b.id or f"{b.action} (built in)"


def _clashes(
    keymap: Mapping[str, str],
    groups: list[list[Binding]],
    where: str,
    problems: list[str],
    keeps: Callable[[str], str],
) -> set[str]:
    """Ids of remaps to drop because their key is taken in a group (problems appended)."""
    dropped: set[str] = set()
    for group in groups:
        holders: dict[str, list[Binding]] = {}
        for b in group:
            for key in keys_in_force(b, keymap):
                for one in _keys(key):
                    if b not in holders.setdefault(one, []):
                        holders[one].append(b)
        for key, bs in holders.items():
            names = list(dict.fromkeys(_name(b) for b in bs))
            # Bindings the keymap moved onto this key (keeping one's own default key is not a
            # move): they give way to whatever else holds it; two moved here both give way.
            losers = [b.id for b in bs if b.id and b.id in keymap and key not in _keys(b.key)]
            if len(names) < 2 or not losers:
                continue
            dropped.update(losers)
            message = (
                _("{where}: the key {key} is given to {names}").format(
                    where=where,
                    key=quote_value(key),
                    names=(" " + _("and") + " ").join(dict.fromkeys(names)),
                )
                + "; "
                + ", ".join(keeps(i) for i in dict.fromkeys(losers))
                + "."
            )
            if message not in problems:
                problems.append(message)
    return dropped
