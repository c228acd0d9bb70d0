"""Property tests: whatever the table, the attack finds no suppressed cell exposed.

Each protected table is attacked afresh, with every programme solved (no feasible tables
handed over from the protection), so the check does not lean on the code it checks.
"""

import numpy as np
import numpy.typing as npt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polku.statistics.disclosure.attack import Status, attack
from polku.statistics.disclosure.protect import protect
from polku.statistics.disclosure.table import FrequencyTable
from polku.statistics.disclosure.tests.helpers import count_arrays

SLACK = 1e-6


@st.composite
def cases(
    draw: st.DrawFn, *, dimensions: int, largest: int, max_cells: int = 81
) -> tuple[npt.NDArray[np.int64], int]:
    """A threshold, and a table with a random share of its cells below it."""
    threshold = draw(st.sampled_from([3, 10, 25]))
    counts = draw(
        count_arrays(
            dimensions=(dimensions, dimensions),
            sizes=(1, largest),
            max_cells=max_cells,
            small=threshold,
        )
    )
    return counts, threshold


def check_protected(case: tuple[npt.NDArray[np.int64], int]) -> None:
    counts, threshold = case
    result = protect(FrequencyTable.from_array(counts), threshold=threshold)
    table = result.table
    status = result.status
    small = table.counts < threshold
    assert np.array_equal(status == Status.PRIMARY, small), "primary means below the threshold"
    ranges = attack(table, result.suppressed)
    primary = status == Status.PRIMARY
    secondary = status == Status.SECONDARY
    assert (ranges.width[primary] >= threshold - SLACK).all(), "a small cell is exposed"
    assert (ranges.width[secondary] >= 1 - SLACK).all(), "a secondary cell is pinned"
    hidden = result.suppressed
    assert (ranges.low[hidden] <= table.counts[hidden] + SLACK).all()
    assert (ranges.high[hidden] >= table.counts[hidden] - SLACK).all()
    # What is lost stays in proportion: without small cells nothing is hidden, and no more
    # than twice the 2^d - 1 cells of a hypercube around each small cell are added.
    n_primary, n_secondary = int(primary.sum()), int(secondary.sum())
    assert n_secondary <= 2 * (2**counts.ndim - 1) * n_primary


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(dimensions=2, largest=6))
def test_it_leaves_no_two_way_table_exposed(case: tuple[npt.NDArray[np.int64], int]) -> None:
    check_protected(case)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(dimensions=3, largest=4))
def test_it_leaves_no_three_way_table_exposed(case: tuple[npt.NDArray[np.int64], int]) -> None:
    check_protected(case)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(dimensions=4, largest=3))
def test_it_leaves_no_four_way_table_exposed(case: tuple[npt.NDArray[np.int64], int]) -> None:
    check_protected(case)
