"""Search as you type across cases, source passages, notes and glossary terms (`/`).

Results follow the text as it is typed: a short pause (DEBOUNCE) after the last key, the
search runs in a thread worker (exclusive: a newer search cancels the older), and a result
that arrives after the text changed again is dropped (generation check). Each hit shows what
it is, its title and a one-line snippet with the matching words marked; all of it is built
as `Text` from literal strings, never markup.

Keys: type to search; Enter opens the highlighted hit (the first one from the input); ↓ goes
to the results, ↑ at the top of them back to the input; ↑/↓ in the input step through recent
searches; ctrl+f applies or ignores the pane filters; Escape closes. Recent searches are kept
in `search_history.json` in the config directory.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from paradiplo.db import notes as notes_api
from paradiplo.db import search as search_api
from paradiplo.db.errors import ParadiploError
from paradiplo.db.files import write_atomic
from paradiplo.db.i18n import _, ngettext, number, record_title
from paradiplo.db.labels import search_kind as kind_label
from paradiplo.db.models import Filters, SearchHit
from paradiplo.db.paths import config_dir
from paradiplo.db.smallfile import read_small
from paradiplo.db.store import Store
from paradiplo.tui.keys import close_binding
from paradiplo.tui.widgets.dbwork import DbResult, db_work
from paradiplo.tui.widgets.fixed_input import FixedInput
from paradiplo.tui.widgets.scrolling import PaneSized
from paradiplo.tui.widgets.text import one_line

DEBOUNCE = 0.12  # seconds after the last key before searching
LIMIT = 50  # hits shown
FIRST_SHOWN = 12  # results put in the list at once; the rest follow a frame later
HISTORY_MAX = 50
QUERY_MAX = 500  # characters of one remembered search
HISTORY_FILE = "search_history.json"
MATCH_STYLE = "bold reverse"
_MARK = re.compile(f"([{search_api.HL_OPEN}{search_api.HL_CLOSE}])")


# ------------------------------------------------------------------------------ history
def history_path() -> Path:
    return config_dir() / HISTORY_FILE


def load_history(path: Path | None = None) -> list[str]:
    """Recent searches, newest first. A missing, unreadable or oversized file (more than
    `smallfile.SMALL`: 50 searches never take that much) is an empty history, not read."""
    try:
        data = json.loads(read_small(path or history_path()))
    except (OSError, ValueError, RecursionError):
        return []
    if not isinstance(data, list):
        return []
    queries = (q for q in data if isinstance(q, str) and q.strip() and len(q) <= QUERY_MAX)
    return list(itertools.islice(queries, HISTORY_MAX))


def remember(history: list[str], query: str) -> list[str]:
    """`history` with `query` first, once, and at most HISTORY_MAX entries (a query longer
    than QUERY_MAX characters, pasted text, is not kept)."""
    query = " ".join(query.split())
    if not query or len(query) > QUERY_MAX:
        return history
    return [query, *(q for q in history if q != query)][:HISTORY_MAX]


def save_history(history: list[str], path: Path | None = None) -> None:
    """Write the history atomically (a crash leaves the old file or the new one, never half)."""
    path = path or history_path()
    try:
        write_atomic(path, json.dumps(history[:HISTORY_MAX], ensure_ascii=False))
    except OSError:
        pass  # remembering searches is a convenience: never an error for the user


# ------------------------------------------------------------------------------ display
def marked(text: str, style: str = "", match_style: str = MATCH_STYLE) -> Text:
    """Text from a string with search_api.HL_OPEN/HL_CLOSE marks, the marked words styled.

    The marks are split off first; each piece is then made display-safe and appended as
    literal text, so nothing in it can act as markup or an escape sequence.
    """
    out = Text(style=style)
    inside = False
    for piece in _MARK.split(text):
        if piece == search_api.HL_OPEN:
            inside = True
        elif piece == search_api.HL_CLOSE:
            inside = False
        elif piece:
            out.append_text(one_line(piece, style=match_style if inside else ""))
    return out


def lead_to_match(snippet: str, lead: int = 24) -> str:
    """The snippet starting a little before its first marked word, so a one-line view
    that cuts the end still shows the match."""
    first = snippet.find(search_api.HL_OPEN)
    if first <= lead:
        return snippet
    space = snippet.rfind(" ", 0, first - lead)
    return "…" + snippet[space + 1 if space >= 0 else first - lead :]


def hit_prompt(hit: SearchHit, query: str) -> Text:
    """Two lines for one hit: its kind and title, then its snippet; each cut to the width."""
    label = kind_label(hit.kind)
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(f" {label:<7} ", style="reverse")
    line.append(" ")
    title = record_title(hit.kind, hit.ref_id, hit.title)
    line.append_text(marked(search_api.highlight(title, query), style="bold"))
    line.append("\n")
    line.append(" " * 10)
    line.append_text(marked(lead_to_match(hit.snippet), style="dim"))
    return line


def describe_filters(store: Store, filters: Filters) -> str:
    """The pane filters in words ('Jawa Timur · sectors tourism'); runs in a worker."""
    parts = []
    for key in (filters.region, filters.partner):
        if key:
            label, _gone = notes_api.target_label(store.conn, "region", key)
            parts.append(label if key != "pc:" else _("partner not named"))
    if filters.sectors:
        parts.append(_("sectors") + " " + ", ".join(s.replace("-", " ") for s in filters.sectors))
    return " · ".join(parts)


# ------------------------------------------------------------------------------ screen
@dataclass
class SearchDone(DbResult):
    """Hits for one search; `generation` says which keystroke they answer."""

    generation: int
    query: str
    hits: list[SearchHit] = field(default_factory=list)
    error: str = ""
    options: list[Option] = field(default_factory=list)  # one per hit, made in the worker


@dataclass
class FiltersDescribed(DbResult):
    text: str


class ResultsList(PaneSized, OptionList):
    """The hits: new results repaint the list, never re-arrange the screen."""


class SearchScreen(ModalScreen[SearchHit | None]):
    """Type to search; Enter opens a hit (dismisses with it), Escape closes (with None)."""

    DEFAULT_CSS = """
    SearchScreen {
        align: center top;
        background: $background 60%;
    }
    SearchScreen > #search-box {
        width: 100%;
        max-width: 120;
        height: 1fr;
        margin: 1 2;
        padding: 0 1;
        border: round $accent;
        border-title-align: left;
        background: $surface;
    }
    SearchScreen #search-input {
        margin: 0 0 0 0;
    }
    SearchScreen #search-filters {
        height: 1;
        color: $text-muted;
    }
    SearchScreen #search-filters.-on {
        color: $text;
        text-style: bold;
    }
    SearchScreen #search-status {
        height: 1;
        color: $text-muted;
    }
    SearchScreen #search-results {
        height: 1fr;
        overflow-y: scroll;
        border: none;
        padding: 0;
        background: $surface;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    SearchScreen #search-keys {
        height: 1;
        color: $text-muted;
    }
    """

    BINDINGS = [
        close_binding("search"),
        Binding("ctrl+f", "toggle_filters", "Filters on/off", priority=True, id="search.filters"),
        Binding("up", "history(-1)", "Recent searches", show=False, id="search.history_back"),
        Binding("down", "history(1)", "Results", show=False, id="search.history_forward"),
    ]

    def __init__(self, store: Store, filters: Filters) -> None:
        super().__init__()
        self.store = store
        self.filters = filters
        self.apply_filters = not filters.is_empty()
        self.filters_text = ""
        self.hits: list[SearchHit] = []
        self.history = load_history()
        self.history_pos = -1  # -1: editing; n: showing history[n]
        self.draft = ""  # what was typed before stepping into the history
        self.generation = 0
        self.answered = 0  # the generation the shown results answer (tests wait on it)
        self.shown_query = ""  # the query the shown hits answer
        self.searched = False  # a search ran (so the query is worth remembering)
        self._timer: Timer | None = None
        self._recalled = ""  # the text last put in the input from the history
        self._open_first = False  # Enter came before the results: open the best on arrival

    # ---------------------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            yield FixedInput(
                placeholder=_("Search cases, sources, notes…  “quoted phrase” · Japan = Jepang"),
                id="search-input",
            )
            yield Static(id="search-filters")
            yield Static(id="search-status")
            yield ResultsList(id="search-results")
            yield Static(
                Text(
                    _("Enter open · ↓ results · ↑ recent searches · ctrl+f filters · Esc close"),
                    style="dim",
                ),
                id="search-keys",
            )

    def on_mount(self) -> None:
        self.query_one("#search-box").border_title = _("Search")
        self.query_one(Input).focus()
        self._show_filters()
        self._show_recent()
        self.run_worker(search_api.warm, thread=True, group="search-warm")
        if not self.filters.is_empty():
            self.load_filter_labels()

    @db_work("search-filters")
    def load_filter_labels(self) -> FiltersDescribed:
        try:
            text = describe_filters(self.store, self.filters)
        except Exception:  # a label is a nicety; keep the keys
            text = ""
        return FiltersDescribed(text)

    def on_filters_described(self, message: FiltersDescribed) -> None:
        self.filters_text = message.text
        self._show_filters()

    def _show_filters(self) -> None:
        bar = self.query_one("#search-filters", Static)
        if self.filters.is_empty():
            bar.update(Text(_("Searching everything (no pane filters are set)."), style="dim"))
            bar.set_class(False, "-on")
            return
        what = self.filters_text or ", ".join(
            k for k in (self.filters.region, self.filters.partner, *self.filters.sectors) if k
        )
        if self.apply_filters:
            text = Text(_("Filters ON:") + " ") + one_line(what)
            text.append(
                "  — " + _("only these cases and their notes · ctrl+f to search everything")
            )
        else:
            text = Text(_("Filters OFF: searching everything · ctrl+f to keep to") + " ")
            text.append_text(one_line(what))
        bar.update(text)
        bar.set_class(self.apply_filters, "-on")

    def _status(self, text: Text | str) -> None:
        # One line of fixed height (CSS): a new status needs a repaint, never a new layout
        # of the screen (which costs more than the search, at every keystroke).
        self.query_one("#search-status", Static).update(
            text if isinstance(text, Text) else Text(text), layout=False
        )

    def _show_recent(self) -> None:
        """With nothing typed, the list offers the recent searches."""
        results = self.query_one(OptionList)
        self.hits = []
        results.set_options(
            [Option(one_line(q), id=f"h:{i}") for i, q in enumerate(self.history[:10])]
        )
        self._status(
            Text(_("Recent searches (Enter to repeat one)"), style="dim")
            if self.history
            else Text(_("Type to search. Plain words are words; “quotes” make a phrase."))
        )

    # ---------------------------------------------------------------------------- typing
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.value != self._recalled:  # typed, not recalled: leave the history
            self.history_pos = -1
        self._open_first = False
        self._schedule()

    def _schedule(self, delay: float | None = None) -> None:
        """Search after a pause; any newer keystroke makes this one's results stale."""
        delay = DEBOUNCE if delay is None else delay
        self.generation += 1
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if delay <= 0:
            self.call_later(self._start, self.generation)
        else:
            self._timer = self.set_timer(delay, partial(self._start, self.generation))

    def _start(self, generation: int) -> None:
        if generation != self.generation:
            return
        text = self.query_one(Input).value
        if not text.strip():
            self.shown_query = ""
            self.answered = generation
            self._show_recent()
            return
        filters = self.filters if self.apply_filters else None
        self._status(Text(_("Searching…"), style="dim"))
        self.search(generation, text, filters)

    @db_work("search")
    def search(self, generation: int, text: str, filters: Filters | None) -> SearchDone | None:
        """Run the search and make the results' lines (unless a newer search was asked for
        meanwhile)."""
        hits: list[SearchHit] = []
        error = ""
        try:
            hits = search_api.search(self.store.conn, text, limit=LIMIT, filters=filters)
        except ParadiploError as exc:
            error = str(exc)
        except Exception as exc:  # the database failing must not close the screen
            error = _("Search failed ({error}).").format(error=f"{type(exc).__name__}: {exc}")
        if generation != self.generation:
            return None
        options = [Option(hit_prompt(h, text), id=f"r:{i}") for i, h in enumerate(hits)]
        return SearchDone(generation, text, hits, error, options)

    def on_search_done(self, message: SearchDone) -> None:
        if message.generation != self.generation:
            return  # the text changed since: a newer search is on its way
        self.searched = True
        self.answered = message.generation
        self.shown_query = message.query
        self.hits = message.hits
        results = self.query_one(ResultsList)
        # What fits on screen first, the rest after that frame: Textual measures every
        # option it is given, and the first frame should not wait for lines out of view.
        results.set_options(message.options[:FIRST_SHOWN])
        if len(message.options) > FIRST_SHOWN:
            self.call_after_refresh(self._show_rest, message)
        if self.hits:
            results.highlighted = 0
        self._status(self._summary(message))
        if self._open_first and self.hits and not message.error:
            self._open_first = False
            self._remember()
            self.dismiss(self.hits[0])

    def _show_rest(self, message: SearchDone) -> None:
        if message.generation == self.generation and self.is_attached:
            self.query_one(ResultsList).add_options(message.options[FIRST_SHOWN:])

    def _summary(self, message: SearchDone) -> Text:
        if message.error:
            return Text(_("Could not search:") + " ", style="bold") + one_line(message.error)
        query = one_line(message.query.strip())
        if not self.hits:
            text = Text(_("No matches for") + " “") + query + Text("”")
            if self.apply_filters and not self.filters.is_empty():
                text.append(" " + _("in the filtered cases — ctrl+f to search everything"))
            return text
        n = len(self.hits)
        if n >= LIMIT:
            text = Text(_("The best {n} matches for").format(n=number(n)) + " “")
        else:
            text = Text(ngettext("{n} match for", "{n} matches for", n).format(n=number(n)) + " “")
        text = text + query + Text("”")
        if self.apply_filters and not self.filters.is_empty():
            text.append(" " + _("in the filtered cases"), style="bold")
        return text + Text(", " + _("best first"))

    # ---------------------------------------------------------------------------- choosing
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip() and self._pending():  # typed faster than the search ran
            self._open_first = True
            self._schedule(0)
            return
        self._choose(self.query_one(OptionList).highlighted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option_index)

    def _choose(self, index: int | None) -> None:
        results = self.query_one(OptionList)
        if index is None or not 0 <= index < results.option_count:
            return
        option_id = results.get_option_at_index(index).id or ""
        if option_id.startswith("h:"):  # a recent search: run it again
            self._recall(self.history[int(option_id[2:])])
            self.query_one(Input).focus()
            return
        if not option_id.startswith("r:"):
            return
        self._remember()
        self.dismiss(self.hits[int(option_id[2:])])

    def _pending(self) -> bool:
        """True while the shown hits do not answer the text and filters in force yet."""
        return self.answered != self.generation or self.query_one(Input).value != self.shown_query

    def action_close(self) -> None:
        self._remember()
        self.dismiss(None)

    def _remember(self) -> None:
        query = self.query_one(Input).value
        if self.searched and query.strip():
            self.history = remember(self.history, query)
            save_history(self.history)

    # ---------------------------------------------------------------------------- keys
    def action_toggle_filters(self) -> None:
        if self.filters.is_empty():
            self.notify(_("No pane filters are set: search covers everything."), timeout=3)
            return
        self.apply_filters = not self.apply_filters
        self._show_filters()
        self._schedule(0)

    def action_history(self, step: int) -> None:
        """↑/↓ in the input: older/newer recent searches; ↓ past the newest: the results."""
        results = self.query_one(OptionList)
        if self.focused is results:
            return
        if step > 0 and self.history_pos <= 0:
            if self.history_pos == 0:
                self._recall(self.draft)
                self.history_pos = -1
            elif results.option_count:
                results.focus()
                if results.highlighted is None:
                    results.highlighted = 0
            return
        if step < 0 and self.history_pos + 1 >= len(self.history):
            return
        if self.history_pos == -1:
            self.draft = self.query_one(Input).value
        self.history_pos -= step
        self._recall(self.history[self.history_pos])

    def _recall(self, text: str) -> None:
        field_ = self.query_one(Input)
        self._recalled = text
        field_.value = text
        field_.cursor_position = len(text)

    def on_key(self, event: events.Key) -> None:
        """In the results, ↑ on the first goes back to the input, and typing goes on typing."""
        results = self.query_one(OptionList)
        if self.focused is not results:
            return
        field_ = self.query_one(Input)
        if event.key == "up" and results.highlighted in (None, 0):
            field_.focus()
        elif event.key == "backspace":
            field_.focus()
            field_.action_delete_left()
        elif event.is_printable and event.character:
            field_.focus()
            field_.insert_text_at_cursor(event.character)
        else:
            return
        event.stop()
        event.prevent_default()
