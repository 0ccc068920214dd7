"""Small-number suppression against an attacker who knows the rule and subtracts every published sum.

The attacks are written independently of the algorithm: exact linear algebra over the rationals (every
combination of the published sums, not only one subtraction at a time) and bounds from the fact that a
suppressed cell counts people."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from reporting_service.domain.suppression import THRESHOLD, ProtectedTable, protect, protect_sharing_totals

Grid = tuple[tuple[int, ...], ...]


def _recoverable(table: ProtectedTable) -> set[tuple[int, int]]:
    """Suppressed cells whose value follows from the published ones by any linear combination of the sums."""
    rows, columns = table.rows, table.columns
    unknowns = sorted(table.suppressed)
    index = {p: i for i, p in enumerate(unknowns)}
    equations: list[list[Fraction]] = []
    lines = [[(r, c) for c in range(columns)] + [(r, columns)] for r in range(rows + 1)]
    lines += [[(r, c) for r in range(rows)] + [(rows, c)] for c in range(columns + 1)]
    for line in lines:
        *cells, total = line
        vector = [Fraction(0)] * len(unknowns)
        for p in cells:
            if p in index:
                vector[index[p]] += 1
        if total in index:
            vector[index[total]] -= 1
        if any(vector):
            equations.append(vector)
    rank = _rank(equations)
    found = set()
    for p, i in index.items():
        unit = [Fraction(int(j == i)) for j in range(len(unknowns))]
        if _rank([*equations, unit]) == rank:
            found.add(p)
    return found


def _rank(matrix: list[list[Fraction]]) -> int:
    rows = [row[:] for row in matrix]
    rank, width = 0, len(rows[0]) if rows else 0
    for column in range(width):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][column] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][column] != 0:
                factor = rows[i][column] / rows[rank][column]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[rank], strict=True)]
        rank += 1
    return rank


def _pinned_by_counting(table: ProtectedTable) -> set[tuple[int, int]]:
    """Cells of a line with a shown total whose suppressed cells would each have to be 1 (as many people as
    cells) or each THRESHOLD - 1 (all small and at their largest)."""
    rows, columns = table.rows, table.columns
    pinned: set[tuple[int, int]] = set()
    lines = [([(r, c) for c in range(columns)], (r, columns)) for r in range(rows + 1)]
    lines += [([(r, c) for r in range(rows)], (rows, c)) for c in range(columns + 1)]
    for cells, total in lines:
        hidden = [p for p in cells if p in table.suppressed]
        if not hidden or total in table.suppressed:
            continue
        mass = table.grid[total[0]][total[1]] - sum(table.grid[r][c] for r, c in cells if p_shown(table, r, c))
        values = [table.grid[r][c] for r, c in hidden]
        if mass == len(hidden) or (all(v < THRESHOLD for v in values) and mass == (THRESHOLD - 1) * len(hidden)):
            pinned.update(p for p in hidden if table.grid[p[0]][p[1]] > 0)
    return pinned


def p_shown(table: ProtectedTable, r: int, c: int) -> bool:
    return (r, c) not in table.suppressed


def _assert_safe(table: ProtectedTable) -> None:
    grid = table.grid
    small = {(r, c) for r, row in enumerate(grid) for c, v in enumerate(row) if 0 < v < THRESHOLD}
    assert small <= table.suppressed, "every cell of fewer than 5 people is suppressed"
    disclosed = {p for p in _recoverable(table) | _pinned_by_counting(table) if grid[p[0]][p[1]] > 0}
    assert not disclosed, f"recovered by subtraction or counting: {disclosed} in {grid}"


def test_a_table_without_small_cells_is_published_whole() -> None:
    table = protect([[10, 20], [30, 40]])
    assert table.suppressed == frozenset()
    assert table.shown(2, 2) == 100


def test_one_small_cell_takes_a_cell_of_its_row_and_of_its_column_with_it() -> None:
    table = protect([[3, 20, 30], [12, 25, 40], [15, 9, 50]])
    assert (0, 0) in table.suppressed
    assert len({c for r, c in table.suppressed if r == 0}) >= 2
    assert len({r for r, c in table.suppressed if c == 0}) >= 2
    _assert_safe(table)
    assert table.shown(3, 3) == 204, "the grand total stays published"


def test_two_small_cells_in_one_row_that_would_each_be_one_person_take_a_third() -> None:
    table = protect([[1, 1, 40], [10, 12, 40]])
    assert len([p for p in table.suppressed if p[0] == 0 and p[1] < 3]) == 3
    _assert_safe(table)


def test_two_cells_of_four_cannot_be_pinned_at_the_largest_small_value() -> None:
    table = protect([[4, 4, 40], [10, 12, 40]])
    _assert_safe(table)


def test_a_zero_is_shown_and_never_used_to_hide_a_small_cell_beside_it() -> None:
    table = protect([[0, 3, 20], [8, 9, 30]])
    assert table.shown(0, 0) == 0
    assert (0, 2) in table.suppressed or (0, 3) in table.suppressed
    _assert_safe(table)


def test_a_group_whose_own_total_is_small_is_hidden_whole_and_cannot_be_had_from_the_grand_total() -> None:
    table = protect([[2, 1], [20, 30], [15, 25]])
    assert {(0, 0), (0, 1), (0, 2)} <= table.suppressed
    assert len([r for r, c in table.suppressed if c == 2 and r < 3]) >= 2, "another group's total is hidden too"
    _assert_safe(table)


def test_a_single_column_table_hides_two_groups_and_keeps_the_total() -> None:
    table = protect([[3], [40], [50], [60]])
    hidden_groups = {r for r, c in table.suppressed if r < 4}
    assert hidden_groups == {0, 1}, "the smallest other group is the complement"
    assert table.shown(4, 0) == 153
    _assert_safe(table)


def test_a_table_of_fewer_than_five_people_shows_nothing_but_zeros() -> None:
    table = protect([[1, 0], [2, 1]])
    assert table.shown(2, 2) is None
    assert all(table.shown(r, c) in (None, 0) for r in range(3) for c in range(3))
    _assert_safe(table)


def test_a_chain_of_lines_that_would_leave_a_bridge_is_closed() -> None:
    # Small cells placed so that line-by-line pairing alone could leave a cell determined through a chain.
    table = protect([[2, 30, 30, 2], [30, 3, 3, 30], [2, 30, 30, 2], [40, 40, 40, 40]])
    _assert_safe(table)


tables = st.integers(min_value=1, max_value=5).flatmap(
    lambda rows: st.integers(min_value=1, max_value=4).flatmap(
        lambda columns: st.lists(
            st.lists(st.one_of(st.integers(0, 6), st.integers(0, 60)), min_size=columns, max_size=columns),
            min_size=rows,
            max_size=rows,
        )
    )
)


@settings(max_examples=400, deadline=None)
@given(tables)
def test_no_suppressed_cell_of_any_table_can_be_recovered(counts: list[list[int]]) -> None:
    _assert_safe(protect(counts))


@settings(max_examples=150, deadline=None)
@given(tables, st.data())
def test_a_table_and_its_series_hide_the_same_totals_and_neither_gives_a_cell_away(
    counts: list[list[int]], data: st.DataObject
) -> None:
    # The same people split another way (by month): same column totals, other rows.
    columns = len(counts[0])
    totals = [sum(row[c] for row in counts) for c in range(columns)]
    months = data.draw(st.integers(min_value=1, max_value=4))
    split: list[list[int]] = [[0] * columns for _ in range(months)]
    for c, total in enumerate(totals):
        for _ in range(total):
            split[data.draw(st.integers(0, months - 1))][c] += 1
    grouped, series = protect_sharing_totals(counts, split)
    assert {c for r, c in grouped.suppressed if r == grouped.rows} == {
        c for r, c in series.suppressed if r == series.rows
    }
    _assert_safe(grouped)
    _assert_safe(series)
