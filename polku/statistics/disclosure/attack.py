"""The attacker's view of a suppressed table: each suppressed cell's feasible range.

An attacker who sees every published cell (interior or marginal) knows that the interior
cells are non-negative and add up to each published total. The lowest and highest value a
suppressed cell can take in any table consistent with that is a pair of linear programmes
(the LP relaxation: real-valued tables; an integer attacker can only narrow the range when
it is not already integral, which it is for two-dimensional tables).

The programmes only involve the suppressed interior cells: a published interior cell is a
known number, subtracted from every total it is part of. The suppressed interior cells
split into groups that no published total links (connected components), and each range is
the sum of the ranges over the groups that the cell's interior cells fall in, so each
programme is as small as it can be. Programmes are solved with scipy's HiGHS.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.optimize import linprog
from scipy.sparse import csgraph

from polku.statistics.disclosure.table import BoolArray, IntArray, MarginedTable

FloatArray = npt.NDArray[np.float64]
StatusArray = npt.NDArray[np.int8]

# A suppressed secondary cell must not be pinned to one value: its range must be this wide.
SECONDARY_WIDTH = 1.0

# Absolute slack allowed for the solver's tolerances when a width is compared with the
# width required (counts are whole numbers, so real shortfalls are far larger), plus a
# relative part for tables with very large counts.
WIDTH_TOLERANCE = 1e-6
RELATIVE_TOLERANCE = 1e-9
# A feasible table's value this close to a bound attains it: the solver's own rounding.
WITNESS_ZERO = 1e-7


class Status(enum.IntEnum):
    """Whether a cell is published, and if not, why not."""

    PUBLISHED = 0
    PRIMARY = 1
    SECONDARY = 2

    @property
    def label(self) -> str:
        return self.name.lower()


class AttackError(RuntimeError):
    """The attacker's programme could not be solved (the published cells are inconsistent,
    or the solver failed)."""


@dataclass(frozen=True)
class Ranges:
    """For each margined cell, the lowest and highest value consistent with what is
    published (``inf`` when nothing bounds it). A published cell's range is its count."""

    low: FloatArray
    high: FloatArray

    @property
    def width(self) -> FloatArray:
        return self.high - self.low


@dataclass(frozen=True)
class Exposure:
    """A suppressed cell whose range is narrower than it has to be."""

    cell: int
    low: float
    high: float
    required: float

    @property
    def width(self) -> float:
        return self.high - self.low


@dataclass
class _Component:
    variables: IntArray  # positions among the suppressed interior cells
    matrix: sparse.csr_array  # published totals (rows) over this group's cells
    rhs: FloatArray
    witnesses: list[FloatArray]  # feasible values of this group's cells, found so far


class Attacker:
    """The attacker's equations for one suppression pattern, split into independent groups.

    Solving every programme is the slow part, and many need not be solved: ``0`` is a lower
    bound of any cell and each published total containing all of a cell's parts is an upper
    bound, and a bound that some feasible table attains is the optimum. Feasible tables
    are at hand: the true one, those the caller offers (``witnesses``, kept only if they
    match what is published) and each programme's solution (collected in ``found``, as
    whole interior tables).
    """

    def __init__(
        self,
        table: MarginedTable,
        suppressed: BoolArray,
        witnesses: Iterable[FloatArray] = (),
    ) -> None:
        self.table = table
        counts = table.counts.astype(np.float64)
        interior_suppressed = suppressed[table.interior]
        self.hidden = np.flatnonzero(interior_suppressed)
        truth = counts[table.interior]
        known = np.where(interior_suppressed, 0.0, truth)
        self.truth = truth
        incidence = table.incidence
        published_rows = np.flatnonzero(~suppressed)
        equations = incidence[published_rows][:, self.hidden]
        rhs = counts[published_rows] - incidence[published_rows] @ known
        self.constant = incidence @ known
        self.hidden_incidence = incidence[:, self.hidden].tocsr()
        used = np.flatnonzero(np.diff(equations.indptr) > 0)
        self.equations = equations[used].tocsr()
        self.rhs = rhs[used]
        if bool((self.rhs < -WIDTH_TOLERANCE).any()):
            raise AttackError("The published cells are inconsistent with non-negative counts.")
        n_hidden = self.hidden.size
        if self.equations.shape[0]:
            links = (self.equations.T @ self.equations).tocsr()
        else:
            links = sparse.csr_array((n_hidden, n_hidden))
        _, self.group = csgraph.connected_components(links, directed=False)
        self.row_group = self.group[self.equations.indices[self.equations.indptr[:-1]]]
        self.witnesses = [truth[self.hidden]]
        self.witnesses.extend(
            witness[self.hidden] for witness in consistent(table, suppressed, witnesses)
        )
        self.components: dict[int, _Component] = {}
        self.found: list[FloatArray] = []

    def component(self, group: int) -> _Component:
        if group not in self.components:
            variables = np.flatnonzero(self.group == group)
            rows = np.flatnonzero(self.row_group == group)
            matrix = self.equations[rows][:, variables].tocsr()
            witnesses = [witness[variables] for witness in self.witnesses]
            self.components[group] = _Component(variables, matrix, self.rhs[rows], witnesses)
        return self.components[group]

    def cell_range(self, cell: int) -> tuple[float, float]:
        """The lowest and highest value of margined cell ``cell``."""
        row = self.hidden_incidence[[cell]]
        low = high = float(self.constant[cell])
        if row.nnz == 0:
            return low, high
        objective = np.zeros(self.hidden.size)
        objective[row.indices] = 1.0
        for group in np.unique(self.group[row.indices]):
            part = self.component(int(group))
            if part.matrix.shape[0] == 0:
                # Cells no published total involves: anything from 0 up.
                high = np.inf
                continue
            weights = objective[part.variables]
            low += self._lowest(part, weights)
            high += self._highest(part, weights)
        return low, high

    def _lowest(self, part: _Component, weights: FloatArray) -> float:
        seen = min(float(witness @ weights) for witness in part.witnesses)
        if seen <= WITNESS_ZERO:
            return 0.0
        return self._solve(part, weights)

    def _highest(self, part: _Component, weights: FloatArray) -> float:
        covering = (part.matrix @ weights) >= weights.sum() - 0.5
        bound = float(part.rhs[covering].min()) if bool(covering.any()) else np.inf
        seen = max(float(witness @ weights) for witness in part.witnesses)
        if seen >= bound - WITNESS_ZERO:
            return bound
        return -self._solve(part, -weights)

    def _solve(self, part: _Component, objective: FloatArray) -> float:
        result = linprog(
            objective, A_eq=part.matrix, b_eq=part.rhs, bounds=(0, None), method="highs"
        )
        if result.status == 3:
            return -np.inf
        if result.status != 0:
            raise AttackError(f"The attacker's programme failed: {result.message}")
        solution = np.asarray(result.x, dtype=np.float64)
        part.witnesses.append(solution)
        table = self.truth.copy()
        table[self.hidden[part.variables]] = solution
        self.found.append(table)
        return float(result.fun)


def attack(
    table: MarginedTable,
    suppressed: BoolArray,
    *,
    cells: Iterable[int] | None = None,
    witnesses: Iterable[FloatArray] = (),
) -> Ranges:
    """Each margined cell's feasible range given every published cell and non-negativity.

    ``suppressed`` marks the cells withheld (over the margined table); ``cells`` limits the
    programmes to those suppressed cells (the others' ranges are left as ``nan``).
    ``witnesses`` are interior tables believed consistent with what is published; those
    that are (checked here) save programmes, and change no range.
    """
    suppressed = np.asarray(suppressed, dtype=np.bool_)
    counts = table.counts.astype(np.float64)
    low = np.where(suppressed, np.nan, counts)
    high = low.copy()
    attacker = Attacker(table, suppressed, witnesses)
    targets = np.flatnonzero(suppressed).tolist() if cells is None else list(cells)
    for cell in targets:
        if suppressed[cell]:
            low[cell], high[cell] = attacker.cell_range(int(cell))
    return Ranges(low, high)


def consistent(
    table: MarginedTable, suppressed: BoolArray, witnesses: Iterable[FloatArray]
) -> list[FloatArray]:
    """The interior tables among ``witnesses`` that are non-negative and match every
    published cell (to the solver's tolerance)."""
    candidates = [np.asarray(witness, dtype=np.float64) for witness in witnesses]
    candidates = [values for values in candidates if values.shape == table.interior.shape]
    if not candidates:
        return []
    slack = tolerance(table)
    published = ~np.asarray(suppressed, dtype=np.bool_)
    stacked = np.array(candidates).T
    errors = np.abs(table.incidence[published] @ stacked - table.counts[published][:, None])
    fits = (errors.max(axis=0, initial=0.0) <= slack) & (stacked.min(axis=0) >= -slack)
    return [np.maximum(candidates[index], 0.0) for index in np.flatnonzero(fits)]


def tolerance(table: MarginedTable) -> float:
    """The slack allowed in width comparisons for the solver's rounding."""
    return WIDTH_TOLERANCE + RELATIVE_TOLERANCE * float(table.counts.max(initial=0))


def exposures(table: MarginedTable, ranges: Ranges, required: FloatArray) -> list[Exposure]:
    """The cells whose range is narrower than ``required`` (0 for cells that need none)."""
    slack = tolerance(table)
    short = np.flatnonzero((required > 0) & ~(ranges.width >= required - slack))
    return [
        Exposure(
            int(cell), float(ranges.low[cell]), float(ranges.high[cell]), float(required[cell])
        )
        for cell in short
    ]


def required_widths(status: StatusArray, threshold: int) -> FloatArray:
    """The range each cell needs: the threshold for primary cells, 1 for secondary ones."""
    return np.select(
        [status == Status.PRIMARY, status == Status.SECONDARY],
        [float(threshold), SECONDARY_WIDTH],
        0.0,
    )


def audit(
    table: MarginedTable,
    status: npt.ArrayLike,
    threshold: int,
    *,
    witnesses: Iterable[FloatArray] = (),
) -> list[Exposure]:
    """Attack a suppression pattern: the suppressed cells whose range is narrower than
    required (``threshold`` wide for primary cells, 1 for secondary ones).

    A cell is cleared without a programme when two tables the attacker cannot tell apart
    differ in it by the width it needs, as its range contains both values: the true table
    and those of ``witnesses`` that are non-negative and match every published cell.
    Every other suppressed cell gets its exact range from :func:`attack`.
    """
    statuses = np.asarray(status, dtype=np.int8)
    suppressed = statuses != Status.PUBLISHED
    required = required_widths(statuses, threshold)
    tables = [table.counts[table.interior].astype(np.float64)]
    tables.extend(consistent(table, suppressed, witnesses))
    values = table.incidence @ np.array(tables).T
    shown = values.max(axis=1) - values.min(axis=1)
    unproven = suppressed & (shown < required - tolerance(table))
    ranges = attack(table, suppressed, cells=np.flatnonzero(unproven), witnesses=tables[1:])
    return exposures(table, ranges, np.where(unproven, required, 0.0))
