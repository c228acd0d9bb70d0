"""Shared test helpers: tables, suppression patterns and a plain reference attack."""

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt
from hypothesis import strategies as st
from scipy.optimize import linprog

from polku.statistics.disclosure.attack import Ranges, Status, StatusArray
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
