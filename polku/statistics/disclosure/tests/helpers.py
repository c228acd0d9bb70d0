"""Shared test helpers: tables, suppression patterns and a plain reference attack."""

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt
from hypothesis import strategies as st
from scipy.optimize import linprog

from polku.statistics.disclosure.attack import Ranges, Status, StatusArray
from polku.statistics.disclosure.linked import LinkedPair
from polku.statistics.disclosure.table import BoolArray, FrequencyTable, MarginedTable


def margined(counts: npt.ArrayLike) -> MarginedTable:
    return FrequencyTable.from_array(np.asarray(counts, dtype=np.int64)).with_margins()


def cell(table: MarginedTable, *position: int) -> int:
    """The margined cell at ``position``; index ``size`` of an axis is its Total."""
    return int(np.ravel_multi_index(position, table.shape))


def pattern(table: MarginedTable, positions: Iterable[Sequence[int]]) -> BoolArray:
    suppressed = np.zeros(table.n_cells, dtype=np.bool_)
    for position in positions:
        suppressed[cell(table, *position)] = True
    return suppressed


def statuses(
    table: MarginedTable, primary: Iterable[int], secondary: Iterable[int] = ()
) -> StatusArray:
    status = np.zeros(table.n_cells, dtype=np.int8)
    status[list(primary)] = Status.PRIMARY
    status[list(secondary)] = Status.SECONDARY
    return status


def reference_ranges(table: MarginedTable, suppressed: BoolArray) -> Ranges:
    """The attack written as plainly as possible: one programme over every interior cell
    with every published cell as an equation, per suppressed cell and direction."""
    incidence = table.incidence.toarray()
    published = ~suppressed
    low = np.where(suppressed, np.nan, table.counts.astype(np.float64))
    high = low.copy()
    for target in np.flatnonzero(suppressed):
        for sign in (1.0, -1.0):
            result = linprog(
                sign * incidence[target],
                A_eq=incidence[published],
                b_eq=table.counts[published],
                bounds=(0, None),
                method="highs",
            )
            if result.status == 3:
                assert sign < 0
                high[target] = np.inf
                continue
            assert result.status == 0, result.message
            if sign > 0:
                low[target] = result.fun
            else:
                high[target] = -result.fun
    return Ranges(low, high)


@st.composite
def count_arrays(
    draw: st.DrawFn,
    *,
    dimensions: tuple[int, int] = (2, 4),
    sizes: tuple[int, int] = (2, 4),
    max_cells: int = 81,
    small: int = 10,
) -> npt.NDArray[np.int64]:
    """Arrays of counts of 2 to 4 dimensions, a random share of them below ``small`` and
    the others up to a few dozen, a few hundred or a hundred thousand."""
    n_dimensions = draw(st.integers(*dimensions))
    shape: list[int] = []
    for _ in range(n_dimensions):
        room = max_cells // max(1, int(np.prod(shape)))
        shape.append(draw(st.integers(min(sizes[0], room), min(sizes[1], room))))
    seed = draw(st.integers(0, 2**32 - 1))
    share_small = draw(st.sampled_from([0.0, 0.1, 0.3, 0.6]))
    large = draw(st.sampled_from([4 * small, 300, 100_000]))
    generator = np.random.default_rng(seed)
    is_small = generator.random(shape) < share_small
    counts = np.where(
        is_small,
        generator.integers(0, small, shape),
        generator.integers(small, large, shape),
    )
    return counts.astype(np.int64)


def reference_linked_widths(
    pair: LinkedPair, coarse_status: StatusArray, fine_status: StatusArray
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """The joint attack on a coarse and a fine table written as plainly as possible: one
    variable per joint cell that may hold anyone, one equation per published cell of
    either table and the total, two programmes per withheld cell. The width of each cell's
    range (totals last; ``inf`` unbounded, 0 for published cells)."""
    rows, columns = np.nonzero(pair.allowed)
    n_coarse, n_fine = pair.allowed.shape
    variables = np.arange(rows.size)
    coarse_sums = np.zeros((n_coarse + 1, rows.size))
    coarse_sums[rows, variables] = 1.0
    coarse_sums[n_coarse] = 1.0
    fine_sums = np.zeros((n_fine + 1, rows.size))
    fine_sums[columns, variables] = 1.0
    fine_sums[n_fine] = 1.0
    coarse_counts = np.append(pair.coarse, pair.total)
    fine_counts = np.append(pair.fine, pair.total)
    coarse_shown = np.asarray(coarse_status) == Status.PUBLISHED
    fine_shown = np.asarray(fine_status) == Status.PUBLISHED
    equations = np.vstack([coarse_sums[coarse_shown], fine_sums[fine_shown]])
    rhs = np.concatenate([coarse_counts[coarse_shown], fine_counts[fine_shown]])
    widths = []
    for sums, shown in ((coarse_sums, coarse_shown), (fine_sums, fine_shown)):
        width = np.zeros(shown.size)
        for target in np.flatnonzero(~shown):
            ends = []
            for sign in (1.0, -1.0):
                result = linprog(
                    sign * sums[target],
                    A_eq=equations if equations.size else None,
                    b_eq=rhs if equations.size else None,
                    bounds=(0, None),
                    method="highs",
                )
                if result.status == 3:
                    assert sign < 0
                    ends.append(-np.inf)
                    continue
                assert result.status == 0, result.message
                ends.append(result.fun)
            width[target] = -ends[1] - ends[0]
        widths.append(width)
    return widths[0], widths[1]
