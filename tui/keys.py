"""The keys that several screens and lists share, each set built in one place.

Every binding a user may remap has an id (`prefix.name`) that keymap.toml names, and the help
screen lists it under that id. The labels here are plain `Binding` descriptions (Babel extracts
them as `Binding:3`); labels a caller passes in are marked with `N_()` where they are written.
The key bar and the help screen translate them where shown.
"""

from __future__ import annotations

from textual.binding import Binding

# The bracket pairs that step to the next / previous thing: ((key, shown), (key, shown)).
SQUARE = (("right_square_bracket", "]"), ("left_square_bracket", "["))
CURLY = (("right_curly_bracket", "}"), ("left_curly_bracket", "{"))


def back_binding(prefix: str, keys: str = "escape") -> Binding:
    """Escape (or `keys`) goes back to where the screen was opened from: `prefix.back`."""
    return Binding(keys, "back", "Back", id=f"{prefix}.back")


def close_binding(prefix: str, keys: str = "escape") -> Binding:
    """Escape (or `keys`) closes the screen: `prefix.close`."""
    return Binding(keys, "close", "Close", id=f"{prefix}.close")


def jk_bindings(prefix: str, down: str = "down", up: str = "up") -> list[Binding]:
    """j / k move down / up as the arrows do (not in the key bar): `prefix.down`, `prefix.up`;
    `down` and `up` are the actions."""
    return [
        Binding("j", down, "Down", show=False, id=f"{prefix}.down"),
        Binding("k", up, "Up", show=False, id=f"{prefix}.up"),
    ]


def step_bindings(
    action: str,
    labels: tuple[str, str],
    ids: tuple[str, str],
    brackets: tuple[tuple[str, str], tuple[str, str]] = SQUARE,
    also: tuple[str, str] | None = None,
) -> list[Binding]:
    """Next and previous on a bracket pair (`]` / `[`, or `}` / `{` with CURLY), shown as the
    bracket in the key bar, with the keys `also` (next, previous) besides. `action` holds `{}`
    where the step goes (1, then -1); `labels` and `ids` are (next, previous)."""
    bindings = []
    for (key, shown), extra, step, label, ident in zip(
        brackets, also or ("", ""), (1, -1), labels, ids, strict=True
    ):
        keys = f"{key},{extra}" if extra else key
        bindings.append(Binding(keys, action.format(step), label, key_display=shown, id=ident))
    return bindings


# The actions of the cursor keys of a list: (a row up, down, a page up, down, first, last row).
CursorActions = tuple[str, str, str, str, str, str]
ROW_ACTIONS: CursorActions = (
    "cursor_up",
    "cursor_down",
    "page_up_rows",
    "page_down_rows",
    "first",
    "last",
)  # RowCursor's


def cursor_bindings(
    prefix: str | None = None,
    *,
    vi: bool = True,
    actions: CursorActions = ROW_ACTIONS,
    sideways: tuple[str, str] | None = None,
) -> list[Binding]:
    """The cursor keys of a list that draws its own rows, none in the key bar: ↑ / ↓ (and k / j
    with `vi`), ← / → (and h / l) when `sideways` names their actions (left, right), Page up /
    Page down, Home / End. With a `prefix` they have the ids `prefix.up`, `prefix.down`,
    `prefix.page_up`, `prefix.page_down`, `prefix.first` and `prefix.last`."""

    def ident(name: str) -> str | None:
        return f"{prefix}.{name}" if prefix else None

    up, down, page_up, page_down, first, last = actions
    rows = [
        Binding("up,k" if vi else "up", up, "Up", show=False, id=ident("up")),
        Binding("down,j" if vi else "down", down, "Down", show=False, id=ident("down")),
    ]
    if sideways is not None:
        left, right = sideways
        rows += [
            Binding("left,h", left, "Left", show=False),
            Binding("right,l", right, "Right", show=False),
        ]
    return [
        *rows,
        Binding("pageup", page_up, "Page up", show=False, id=ident("page_up")),
        Binding("pagedown", page_down, "Page down", show=False, id=ident("page_down")),
        Binding("home", first, "First", show=False, id=ident("first")),
        Binding("end", last, "Last", show=False, id=ident("last")),
    ]


class RowCursor:
    """The actions of `cursor_bindings()` for a list with a row cursor. The list has `cursor`
    (the row), `count` (how many rows), `set_cursor(index)` (moves it, within the rows) and
    `page_rows()` (how many rows a page key moves)."""

    cursor: int

    @property
    def count(self) -> int:
        raise NotImplementedError

    def set_cursor(self, index: int) -> None:
        raise NotImplementedError

    def page_rows(self) -> int:
        raise NotImplementedError

    def action_cursor_up(self) -> None:
        self.set_cursor(self.cursor - 1)

    def action_cursor_down(self) -> None:
        self.set_cursor(self.cursor + 1)

    def action_page_up_rows(self) -> None:
        self.set_cursor(self.cursor - self.page_rows())

    def action_page_down_rows(self) -> None:
        self.set_cursor(self.cursor + self.page_rows())

    def action_first(self) -> None:
        self.set_cursor(0)

    def action_last(self) -> None:
        self.set_cursor(self.count - 1)
