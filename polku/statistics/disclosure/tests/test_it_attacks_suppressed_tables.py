import itertools

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polku.statistics.disclosure.attack import attack, audit
from polku.statistics.disclosure.tests.helpers import (
    cell,
    count_arrays,
    margined,
    pattern,
    reference_ranges,
    statuses,
)

TWO_BY_TWO = [[3, 20], [30, 40]]


def test_it_pins_a_small_cell_suppressed_alone() -> None:
    """Suppressing only the small cell hides nothing: its row total gives it back."""
    table = margined(TWO_BY_TWO)
    ranges = attack(table, pattern(table, [(0, 0)]))
    small = cell(table, 0, 0)
    assert (ranges.low[small], ranges.high[small]) == (3, 3)
    assert ranges.low[cell(table, 1, 1)] == ranges.high[cell(table, 1, 1)] == 40


def test_it_still_pins_it_with_its_row_neighbour_suppressed() -> None:
    """The column totals give both cells back."""
    table = margined(TWO_BY_TWO)
    ranges = attack(table, pattern(table, [(0, 0), (0, 1)]))
    assert ranges.width[cell(table, 0, 0)] == 0
    assert ranges.low[cell(table, 0, 1)] == ranges.high[cell(table, 0, 1)] == 20


def test_it_computes_the_ranges_of_a_fully_suppressed_interior() -> None:
    """With only the totals (23, 70 | 33, 60) published, x11 lies in [0, 23] and the
    others follow from it."""
    table = margined(TWO_BY_TWO)
    ranges = attack(table, pattern(table, [(0, 0), (0, 1), (1, 0), (1, 1)]))
    found = [
        (ranges.low[cell(table, *position)], ranges.high[cell(table, *position)])
        for position in [(0, 0), (0, 1), (1, 0), (1, 1)]
    ]
    assert np.array(found) == pytest.approx(np.array([(0, 23), (0, 23), (10, 33), (37, 60)]))


def test_it_catches_an_unprotected_table() -> None:
    """Primary suppression alone: the audit reports the small cell, pinned to its value."""
    table = margined(TWO_BY_TWO)
    small = cell(table, 0, 0)
    exposed = audit(table, statuses(table, [small]), 10)
    assert [(exposure.cell, exposure.low, exposure.high) for exposure in exposed] == [(small, 3, 3)]
    assert exposed[0].required == 10


def test_it_catches_a_range_narrower_than_the_threshold() -> None:
    """Cells 3 and 4 suppressed beside a published 100 and total 107: each lies in [0, 7],
    not pinned, but narrower than a threshold of 10 (and wide enough for 5)."""
    table = margined([3, 4, 100])
    primary = [cell(table, 0), cell(table, 1)]
    exposed = audit(table, statuses(table, primary), 10)
    assert [(exposure.cell, exposure.width) for exposure in exposed] == [(0, 7), (1, 7)]
    assert audit(table, statuses(table, primary), 7) == []


def test_it_catches_a_pinned_secondary_cell() -> None:
    """A suppressed total whose parts are all published is pinned, whatever its count."""
    table = margined(TWO_BY_TWO)
    row_total = cell(table, 1, 2)
    ranges = attack(table, pattern(table, [(1, 2)]))
    assert ranges.low[row_total] == ranges.high[row_total] == 70
    exposed = audit(table, statuses(table, [], [row_total]), 10)
    assert [exposure.required for exposure in exposed] == [1]


def test_it_reports_an_unbounded_cell_when_nothing_bounds_it() -> None:
    table = margined([3, 4, 100])
    ranges = attack(table, np.ones(4, dtype=np.bool_))
    assert ranges.low.tolist() == [0, 0, 0, 0]
    assert np.isinf(ranges.high).all()


def test_it_ignores_witnesses_that_do_not_match_the_published_cells() -> None:
    """A claimed table that contradicts a published total neither widens a range nor
    clears a cell."""
    table = margined(TWO_BY_TWO)
    small = cell(table, 0, 0)
    wrong = np.array([100.0, 20.0, 30.0, 40.0])
    assert attack(table, pattern(table, [(0, 0)]), witnesses=[wrong]).width[small] == 0
    assert len(audit(table, statuses(table, [small]), 10, witnesses=[wrong])) == 1
    negative = np.array([33.0, -10.0, 0.0, 70.0])
    interior = pattern(table, [(0, 0), (0, 1), (1, 0), (1, 1)])
    assert attack(table, interior, witnesses=[negative]).low[cell(table, 1, 0)] == 10


@st.composite
def suppressed_tables(draw: st.DrawFn) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    counts = draw(count_arrays(max_cells=54))
    n_cells = int(np.prod(np.array(counts.shape) + 1))
    share = draw(st.sampled_from([0.1, 0.3, 0.6, 1.0]))
    seed = draw(st.integers(0, 2**32 - 1))
    suppressed = np.random.default_rng(seed).random(n_cells) < share
    return counts, suppressed


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(suppressed_tables())
def test_it_agrees_with_a_plain_programme_over_the_whole_table(
    drawn: tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]],
) -> None:
    """Splitting into independent groups and the bounds that feasible tables attain change
    no range: each equals a programme over all interior cells and all published cells."""
    counts, suppressed = drawn
    table = margined(counts)
    ranges = attack(table, suppressed)
    expected = reference_ranges(table, suppressed)
    assert np.array_equal(np.isinf(ranges.high), np.isinf(expected.high))
    finite = ~np.isinf(expected.high)
    assert ranges.low == pytest.approx(expected.low, abs=1e-6, nan_ok=True)
    assert ranges.high[finite] == pytest.approx(expected.high[finite], abs=1e-6, nan_ok=True)
    hidden = suppressed
    assert (ranges.low[hidden] <= table.counts[hidden] + 1e-6).all()
    assert (ranges.high[hidden] >= table.counts[hidden] - 1e-6).all()


@st.composite
def small_two_way_tables(
    draw: st.DrawFn,
) -> tuple[npt.NDArray[np.int64], list[tuple[int, int]]]:
    rows = draw(st.integers(2, 3))
    counts = np.array(
        draw(st.lists(st.integers(0, 3), min_size=rows * 3, max_size=rows * 3)), dtype=np.int64
    ).reshape(rows, 3)
    positions = list(itertools.product(range(rows), range(3)))
    hidden = draw(st.lists(st.sampled_from(positions), min_size=1, max_size=4, unique=True))
    return counts, hidden


@settings(max_examples=40, deadline=None)
@given(small_two_way_tables())
def test_it_finds_the_integer_extremes_of_two_way_tables(
    drawn: tuple[npt.NDArray[np.int64], list[tuple[int, int]]],
) -> None:
    """In a two-way table the programmes' ranges are those of whole-number tables, found
    here by trying every whole-number value of the suppressed cells."""
    counts, hidden = drawn
    table = margined(counts)
    ranges = attack(table, pattern(table, hidden))
    grand_total = int(counts.sum())
    values = np.array(list(itertools.product(range(grand_total + 1), repeat=len(hidden))))
    candidates = np.repeat(counts.reshape(1, -1), len(values), axis=0)
    for column, (row, col) in enumerate(hidden):
        candidates[:, row * counts.shape[1] + col] = values[:, column]
    shaped = candidates.reshape(-1, *counts.shape)
    fits = (shaped.sum(axis=2) == counts.sum(axis=1)).all(axis=1) & (
        shaped.sum(axis=1) == counts.sum(axis=0)
    ).all(axis=1)
    for column, position in enumerate(hidden):
        feasible = values[fits, column]
        target = cell(table, *position)
        assert ranges.low[target] == pytest.approx(feasible.min(), abs=1e-6)
        assert ranges.high[target] == pytest.approx(feasible.max(), abs=1e-6)
