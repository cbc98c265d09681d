"""The matrix (`m` in the overview): cases by two dimensions under the filters, rows and
columns sorted by their totals, paged (`[`/`]` columns, `{`/`}` rows). `r` and `c` choose the
rows' and the columns' dimension, `s` swaps them; Enter on a cell shows those cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from paradiplo.db import stats as stats_api
from paradiplo.db.i18n import N_, _, number
from paradiplo.db.models import Filters
from paradiplo.db.store import Store
from paradiplo.tui.keys import CURLY, back_binding, step_bindings
from paradiplo.tui.screens.overview import filter_line, show_in_main, show_line
from paradiplo.tui.widgets.dbwork import DbResult, is_current, run_db
from paradiplo.tui.widgets.keybar import KeyBar
from paradiplo.tui.widgets.matrixgrid import (
    LABEL_WIDTH,
    GridData,
    MatrixGrid,
    MatrixHeader,
    cell_width,
)

ROWS_PAGE = 100


@dataclass
class MatrixLoaded(DbResult):
    filters: Filters
    rows_dim: str
    cols_dim: str
    matrix: stats_api.Matrix
    labels: dict[str, str]


def load_matrix(filters: Filters, rows_dim: str, cols_dim: str) -> Any:
    def load(store: Store) -> MatrixLoaded:
        conn = store.conn
        m = stats_api.matrix(conn, rows_dim, cols_dim, filters)
        return MatrixLoaded(filters, rows_dim, cols_dim, m, stats_api.filter_labels(conn, filters))

    return load


class MatrixScreen(Screen[None]):
    """Rows × columns of counts; Enter on a cell shows its cases in the main screen."""

    DEFAULT_CSS = """
    MatrixScreen #matrix-bar { height: auto; max-height: 3; padding: 0 1; background: $boost; }
    MatrixScreen MatrixGrid { height: 1fr; }
    MatrixScreen MatrixHeader { padding: 0; background: $boost; }
    MatrixScreen #matrix-status { height: auto; max-height: 2; padding: 0 1; }
    """

    AUTO_FOCUS = "#matrix-table"
    BINDINGS = [
        back_binding("matrix"),
        Binding("r", "cycle('rows')", "Rows", id="matrix.rows"),
        Binding("c", "cycle('cols')", "Columns", id="matrix.cols"),
        Binding("s", "swap", "Swap", id="matrix.swap"),
        *step_bindings(
            "page('cols', {})",
            (N_("Next cols"), N_("Prev cols")),
            ("matrix.next_cols", "matrix.prev_cols"),
        ),
        *step_bindings(
            "page('rows', {})",
            (N_("Next rows"), N_("Prev rows")),
            ("matrix.next_rows", "matrix.prev_rows"),
            CURLY,
        ),
    ]

    def __init__(
        self,
        filters: Filters,
        labels: dict[str, str] | None = None,
        rows_dim: str = "province",
        cols_dim: str = "country",
    ) -> None:
        super().__init__()
        self.filters = filters
        self.labels = dict(labels or {})
        self.rows_dim = rows_dim
        self.cols_dim = cols_dim
        self.row_page = 0
        self.col_page = 0
        self.col_starts: list[int] = [0]  # the first column of each page, as laid out
        self.matrix: stats_api.Matrix | None = None
        self.shown: tuple[Filters, str, str] | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text(_("Counting…"), style="dim"), id="matrix-bar")
        yield MatrixHeader(id="matrix-header")
        yield MatrixGrid(id="matrix-table")
        yield Static("", id="matrix-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()

    def set_filters(self, filters: Filters) -> None:
        """Count again under other filters."""
        self.filters = filters
        self.reload()

    def reload(self) -> None:
        run_db(self, "matrix", load_matrix(self.filters, self.rows_dim, self.cols_dim))

    def on_matrix_loaded(self, message: MatrixLoaded) -> None:
        if not is_current(self, message):
            return
        self.labels.update(message.labels)
        self.matrix = message.matrix
        self.row_page = self.col_page = 0
        self.draw()
        self.shown = (message.filters, message.rows_dim, message.cols_dim)

    def draw(self) -> None:
        m = self.matrix
        if m is None:
            return
        label = stats_api.DIMENSION_LABELS
        corner = f"{_(label[m.rows_dim])} \\ {_(label[m.cols_dim])}"
        self.col_starts = column_pages(m.cols, max(self.size.width, 40), m.rows, corner)
        self.col_page = min(self.col_page, len(self.col_starts) - 1)
        rows, cols = self._page_items()
        data = GridData(
            corner,
            [(c.shown, c.count) for c in cols],
            [(r.shown, [m.cell(r.key, c.key) for c in cols], r.count) for r in rows],
            m.total,
        )
        with self.app.batch_update():
            self.query_one(MatrixHeader).show(data)
            self.query_one(MatrixGrid).show(data)
            show_line(
                self.query_one("#matrix-bar", Static),
                filter_line(m.total, self.filters, self.labels),
            )
            n_rows, n_cols = len(m.rows), len(m.cols)
            first_row = self.row_page * ROWS_PAGE
            first_col = self.col_starts[self.col_page]
            status = Text(
                _(
                    "rows {r0}–{r1} of {rn} {rows} · columns {c0}–{c1} of {cn} {cols}"
                    " · sorted by totals · Enter: the cases of a cell"
                ).format(
                    r0=first_row + 1 if rows else 0,
                    r1=first_row + len(rows),
                    rn=number(n_rows),
                    rows=_(label[m.rows_dim]),
                    c0=first_col + 1 if cols else 0,
                    c1=first_col + len(cols),
                    cn=number(n_cols),
                    cols=_(label[m.cols_dim]),
                ),
                style="dim",
            )
            if not m.rows:
                status = Text(_("No case matches these filters."), style="bold")
            show_line(self.query_one("#matrix-status", Static), status)

    def _page_items(self) -> tuple[list[stats_api.Count], list[stats_api.Count]]:
        m = self.matrix
        assert m is not None
        rows = m.rows[self.row_page * ROWS_PAGE : (self.row_page + 1) * ROWS_PAGE]
        starts = [*self.col_starts, len(m.cols)]
        cols = m.cols[starts[self.col_page] : starts[self.col_page + 1]]
        return rows, cols

    @on(MatrixGrid.CellChosen)
    def cell_chosen(self, event: MatrixGrid.CellChosen) -> None:
        if self.matrix is None:
            return
        rows, cols = self._page_items()
        if not 0 <= event.row < len(rows):
            return
        row = rows[event.row]
        col = cols[event.column] if event.column is not None and event.column < len(cols) else None
        f: Filters | None = stats_api.narrowed(self.filters, self.matrix.rows_dim, row.key)
        if f is not None and col is not None:
            f = stats_api.narrowed(f, self.matrix.cols_dim, col.key)
        if f is None:
            self.notify(
                "Those cases cannot be shown as a filter (undated or not stated).", timeout=4
            )
            return
        from paradiplo.tui.screens.overview import bar_labels

        labels = {**self.labels, **bar_labels(self.matrix.rows_dim, row)}
        if col is not None:
            labels.update(bar_labels(self.matrix.cols_dim, col))
        show_in_main(self, f, labels)

    def action_cycle(self, which: str) -> None:
        dims = stats_api.MATRIX_DIMENSIONS
        current, other = (
            (self.rows_dim, self.cols_dim) if which == "rows" else (self.cols_dim, self.rows_dim)
        )
        i = dims.index(current)
        nxt = next(
            d for d in (dims[(i + k) % len(dims)] for k in range(1, len(dims) + 1)) if d != other
        )
        if which == "rows":
            self.rows_dim = nxt
        else:
            self.cols_dim = nxt
        self.reload()

    def action_swap(self) -> None:
        self.rows_dim, self.cols_dim = self.cols_dim, self.rows_dim
        self.reload()

    def action_page(self, which: str, step: int) -> None:
        m = self.matrix
        if m is None:
            return
        if which == "rows":
            last = max(0, (len(m.rows) - 1) // ROWS_PAGE)
            self.row_page = min(max(0, self.row_page + step), last)
        else:
            last = len(self.col_starts) - 1
            self.col_page = min(max(0, self.col_page + step), last)
        self.draw()

    def action_back(self) -> None:
        self.dismiss()

    def on_resize(self) -> None:
        self.draw()


def column_pages(
    cols: list[stats_api.Count],
    width: int,
    rows: list[stats_api.Count] | None = None,
    corner: str = "",
) -> list[int]:
    """The first column of each page: as many columns as fit beside the row labels and the
    totals in `width` cells (as `MatrixGrid` lays them out)."""
    label_width = min(LABEL_WIDTH, max([len(corner), *(len(r.shown) for r in rows or [])]))
    room = max(width - (label_width + 1) - 9 - 2, 8)
    starts = [0]
    used = 0
    for i, c in enumerate(cols):
        need = cell_width(c.shown, c.count) + 2
        if used and used + need > room:
            starts.append(i)
            used = 0
        used += need
    return starts
