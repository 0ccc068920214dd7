"""Small-number suppression: the one rule the API, the exports and the dashboard publish through.

A table is people counts, rows (groups) by columns (categories), published with its margins: each row's total,
each column's total and the grand total, i.e. a full ``(R+1) x (C+1)`` grid whose last row and last column are
sums. A cell computed from fewer than ``THRESHOLD`` people (but at least one) is suppressed (primary
suppression); a zero singles nobody out and is shown. Then more cells are suppressed (complementary
suppression) until no suppressed cell can be recovered from the published ones:

- by subtraction, however combined: the grid's sum equations are the incidence equations of a bipartite graph
  (a node per row and per column, an edge per cell), so a suppressed cell is determined by linear algebra
  exactly when its edge is a bridge of the graph of suppressed cells. A pattern is published only without
  bridges (which also means that no line ever holds a single suppressed cell);
- by counting: in a line whose total is shown, suppressed cells adding up to as many people as there are
  cells would each be one person; and suppressed cells that could all be primaries adding up to
  ``(THRESHOLD - 1)`` each would each be ``THRESHOLD - 1``. Such lines get one more cell.

Complements are taken, line by line, among the smallest non-zero shown cells, inner cells before totals,
so that as little as possible is hidden. The grand total is hidden only when it is itself small or nothing
else can protect a line.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

THRESHOLD = 5

Position = tuple[int, int]


@dataclass(frozen=True)
class ProtectedTable:
    """The full grid (inner cells and margins) and which of its cells may not be shown."""

    grid: tuple[tuple[int, ...], ...]
    suppressed: frozenset[Position]

    @property
    def rows(self) -> int:
        return len(self.grid) - 1

    @property
    def columns(self) -> int:
        return len(self.grid[0]) - 1

    def shown(self, row: int, column: int) -> int | None:
        """The cell's count, or None when it is suppressed (``row == rows`` is the total row, and so on)."""
        return None if (row, column) in self.suppressed else self.grid[row][column]

    def row_total(self, row: int) -> int | None:
        return self.shown(row, self.columns)

    def column_total(self, column: int) -> int | None:
        return self.shown(self.rows, column)


def with_margins(counts: Sequence[Sequence[int]]) -> tuple[tuple[int, ...], ...]:
    if not counts or not counts[0]:
        raise ValueError("a table has at least one row and one column")
    width = len(counts[0])
    if any(len(row) != width for row in counts) or any(value < 0 for row in counts for value in row):
        raise ValueError("a table is rectangular and counts people (never negative)")
    rows = [(*row, sum(row)) for row in counts]
    total = tuple(sum(row[column] for row in rows) for column in range(width + 1))
    return (*(tuple(row) for row in rows), total)


def protect(
    counts: Sequence[Sequence[int]], threshold: int = THRESHOLD, hidden: frozenset[Position] = frozenset()
) -> ProtectedTable:
    """Suppresses what must be suppressed in ``counts`` (rows by columns of people) and its margins; ``hidden``
    are cells already suppressed elsewhere (the total row another table shares)."""
    grid = with_margins(counts)
    rows, columns = len(grid) - 1, len(grid[0]) - 1
    suppressed = {(r, c) for r in range(rows + 1) for c in range(columns + 1) if 0 < grid[r][c] < threshold}
    suppressed |= hidden
    single_column = columns == 1

    def hide(position: Position) -> None:
        suppressed.add(position)
        if single_column:  # one category: a row's total is the cell itself, and must go with it
            suppressed.add((position[0], 1 - position[1]))

    lines = _lines(rows, columns)
    # The weak lines, by their place in ``lines``: the first is mended first. Whether a line is weak depends on its
    # own cells only, so a cell hidden changes its row's and its column's alone (looking at every line again after
    # each cell took most of an answer's suppression: 13 passes over 125 lines for a ten years' series).
    weak_lines = {index for index, line in enumerate(lines) if _weak(grid, line, suppressed, threshold)}
    while True:
        if weak_lines:
            cells, total = lines[min(weak_lines)]
            weak = [*cells, total]
        else:
            bridge = next(_bridges(rows, columns, suppressed), None)
            if bridge is None:
                return ProtectedTable(grid, frozenset(suppressed))
            # A cell determined through a chain of lines: hide one more cell beside it, in its row or column.
            weak = _line_of(bridge, rows, columns, grid, suppressed)
        complement = _complement(grid, weak, suppressed, rows, columns)
        if complement is None:
            # Every cell of the line is hidden already: the rest of the grid must give way.
            complement = _any_shown(grid, suppressed)
            if complement is None:
                return ProtectedTable(grid, frozenset(suppressed))
        before = set(suppressed)
        hide(complement)
        for r, c in suppressed - before:
            for index in (r, rows + 1 + c):  # the cell's row, then its column
                if _weak(grid, lines[index], suppressed, threshold):
                    weak_lines.add(index)
                else:
                    weak_lines.discard(index)


def _lines(rows: int, columns: int) -> list[tuple[list[Position], Position]]:
    """Each sum equation of the grid: its cells and its total; the rows' first (row r is line r), then the
    columns' (column c is line rows + 1 + c)."""
    found = [([(r, c) for c in range(columns)], (r, columns)) for r in range(rows + 1)]
    return found + [([(r, c) for r in range(rows)], (rows, c)) for c in range(columns + 1)]


def _weak(
    grid: tuple[tuple[int, ...], ...],
    line: tuple[list[Position], Position],
    suppressed: set[Position],
    threshold: int,
) -> bool:
    """Whether the line's hidden cells can be told from what it shows: its total hidden while every cell is
    shown, a single cell hidden, or hidden cells whose sum gives each away (``protect``)."""
    cells, total = line
    hidden = [p for p in cells if p in suppressed]
    if total in suppressed:
        return not hidden  # the total is the sum of shown cells
    if not hidden:
        return False
    mass = sum(grid[r][c] for r, c in hidden)
    all_small = all(grid[r][c] < threshold for r, c in hidden)
    return (
        len(hidden) == 1 or (mass <= len(hidden) and mass > 0) or (all_small and mass == (threshold - 1) * len(hidden))
    )


def _complement(
    grid: tuple[tuple[int, ...], ...], line: list[Position], suppressed: set[Position], rows: int, columns: int
) -> Position | None:
    def is_margin(p: Position) -> bool:
        return p[0] == rows or p[1] == columns

    candidates = [p for p in line if p not in suppressed and p != (rows, columns)]
    if not candidates:
        candidates = [p for p in line if p not in suppressed]
    if not candidates:
        return None
    return min(candidates, key=lambda p: (grid[p[0]][p[1]] == 0, is_margin(p), grid[p[0]][p[1]], p))


def _any_shown(grid: tuple[tuple[int, ...], ...], suppressed: set[Position]) -> Position | None:
    shown = [(r, c) for r, row in enumerate(grid) for c in range(len(row)) if (r, c) not in suppressed]
    return min(shown, key=lambda p: (grid[p[0]][p[1]], p)) if shown else None


def _line_of(
    bridge: Position, rows: int, columns: int, grid: tuple[tuple[int, ...], ...], suppressed: set[Position]
) -> list[Position]:
    row = [(bridge[0], c) for c in range(columns + 1)]
    if any(p not in suppressed for p in row):
        return row
    return [(r, bridge[1]) for r in range(rows + 1)]


def _bridges(rows: int, columns: int, suppressed: set[Position]) -> Iterator[Position]:
    """Suppressed cells that are bridges of the bipartite graph rows-columns (Tarjan, iterative)."""
    adjacency: dict[tuple[str, int], list[tuple[tuple[str, int], Position]]] = {}
    for r, c in suppressed:
        adjacency.setdefault(("r", r), []).append((("c", c), (r, c)))
        adjacency.setdefault(("c", c), []).append((("r", r), (r, c)))
    order: dict[tuple[str, int], int] = {}
    low: dict[tuple[str, int], int] = {}
    for start in adjacency:
        if start in order:
            continue
        order[start] = low[start] = len(order)
        stack: list[tuple[tuple[str, int], Position | None, int]] = [(start, None, 0)]
        while stack:
            node, via, index = stack[-1]
            edges = adjacency[node]
            if index < len(edges):
                stack[-1] = (node, via, index + 1)
                neighbour, edge = edges[index]
                if edge == via:
                    continue
                if neighbour in order:
                    low[node] = min(low[node], order[neighbour])
                else:
                    order[neighbour] = low[neighbour] = len(order)
                    stack.append((neighbour, edge, 0))
                continue
            stack.pop()
            if stack:
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[node])
                if low[node] > order[parent] and via is not None:
                    yield via


def protect_sharing_totals(
    first: Sequence[Sequence[int]], second: Sequence[Sequence[int]], threshold: int = THRESHOLD
) -> tuple[ProtectedTable, ProtectedTable]:
    """Two tables of the same columns published together (an indicator by region and by month): their total
    rows are the same numbers, so a total hidden in one is hidden in the other, until both agree."""
    a, b = protect(first, threshold), protect(second, threshold)
    while True:
        a_total = {c for r, c in a.suppressed if r == a.rows}
        b_total = {c for r, c in b.suppressed if r == b.rows}
        if a_total == b_total:
            return a, b
        both = a_total | b_total
        a = protect(first, threshold, frozenset((a.rows, c) for c in both) | a.suppressed)
        b = protect(second, threshold, frozenset((b.rows, c) for c in both) | b.suppressed)
