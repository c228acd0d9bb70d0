"""Which cells a model keeps, and whether its estimate exists and is identifiable.

Empty overlaps: when no one is on both lists ``i`` and ``j`` and the model has the ``i:j``
term, that coefficient's maximum likelihood value is minus infinity. The extended maximum
likelihood estimate drops every cell containing both lists and fits the rest; the term
still counts as a parameter wherever a penalty counts parameters.

Existence (Fienberg & Rinaldo 2012): with ``A`` the design over the retained cells and
``t = A^T y``, the estimate exists exactly when some strictly positive ``x`` has
``A^T x = t``; the linear programme ``max s`` subject to ``A^T x = t, x >= s, x >= 0``
has optimum ``s* > 0`` then and ``s* = 0`` otherwise.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import linprog

from polku.mse.terms import Model, design, observable_cells

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# Counts are whole numbers, so a positive optimum is a vertex value of an integral system
# and far from zero; HiGHS's own tolerances are tightened well below this threshold.
LP_ZERO = 1e-7
# Entries of A v (v a unit vector, A of 0s and 1s) below this are rounding noise.
SIGN_ZERO = 1e-9
LP_OPTIONS = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}


class CheckCode(enum.IntEnum):
    """Outcome of the existence and identifiability check (codes as in SparseMSE)."""

    OK = 0
    NOT_EXIST = 1
    NOT_IDENTIFIABLE = 2
    NEITHER = 3

    @property
    def meaning(self) -> str:
        return CHECK_MEANINGS[self]


CHECK_MEANINGS = {
    CheckCode.OK: "The estimate exists and is identifiable.",
    CheckCode.NOT_EXIST: "The maximum likelihood estimate does not exist (it is not finite).",
    CheckCode.NOT_IDENTIFIABLE: "The model is not identifiable from these lists.",
    CheckCode.NEITHER: "The estimate does not exist and the model is not identifiable.",
}


@dataclass(frozen=True)
class Layout:
    """A model as fitted to particular data: the retained cells and the fitted columns."""

    model: Model
    dropped: tuple[int, ...]
    cells: IntArray
    columns: tuple[int, ...]

    @property
    def design(self) -> FloatArray:
        return design(self.cells, self.columns)

    @property
    def key(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        return (self.model.interactions, self.dropped)


def layout(model: Model, cell_counts: IntArray | FloatArray) -> Layout:
    """Drop the cells of empty overlaps among the model's two-list terms."""
    cells = observable_cells(model.n_lists)
    counts = np.asarray(cell_counts)
    dropped = tuple(
        term
        for term in model.interactions
        if term.bit_count() == 2 and counts[cells[(cells & term) == term]].sum() == 0
    )
    keep = np.ones(cells.shape[0], dtype=bool)
    for term in dropped:
        keep &= (cells & term) != term
    columns = tuple(term for term in model.columns if term not in dropped)
    return Layout(model=model, dropped=dropped, cells=cells[keep], columns=columns)


@dataclass(frozen=True)
class CheckResult:
    """The check code, the linear programme's optimum and the design's rank deficiency."""

    code: CheckCode
    lp_optimum: float
    rank_deficiency: int

    @property
    def meaning(self) -> str:
        return self.code.meaning

    @classmethod
    def passed(cls) -> CheckResult:
        """A model that passed the (fast, exact) check inside a selection."""
        return cls(code=CheckCode.OK, lp_optimum=math.nan, rank_deficiency=0)


def lp_optimum(matrix: FloatArray, counts: FloatArray) -> float:
    """``max s`` subject to ``A^T x = A^T y, x >= s, x >= 0`` (HiGHS)."""
    n_cells, n_columns = matrix.shape
    objective = np.zeros(n_cells + 1)
    objective[-1] = -1.0
    equalities = np.hstack([matrix.T, np.zeros((n_columns, 1))])
    inequalities = np.hstack([-np.eye(n_cells), np.ones((n_cells, 1))])
    result = linprog(
        objective,
        A_ub=inequalities,
        b_ub=np.zeros(n_cells),
        A_eq=equalities,
        b_eq=matrix.T @ counts,
        bounds=(0, None),
        method="highs",
        options=LP_OPTIONS,
    )
    if result.status != 0:
        raise ArithmeticError(f"The existence check did not solve: {result.message}")
    return float(-result.fun)


def existence_without_lp(matrix: FloatArray, positive: npt.NDArray[np.bool_]) -> bool | None:
    """Whether the estimate exists, decided exactly from the design when possible.

    The estimate fails to exist exactly when some direction ``c`` has ``(A c) = 0`` on the
    cells with positive counts, ``A c <= 0`` on the others and ``A c != 0`` (the likelihood
    keeps rising along it). If the positive cells' rows have full column rank, only
    ``c = 0`` vanishes on them: the estimate exists. If they lack exactly one dimension,
    ``c`` is a multiple of one vector ``v`` and the estimate is missing exactly when
    ``A v`` has one sign (not all zero) on the zero cells. Otherwise (or if ``A v`` is all
    zero) None: the linear programme decides.
    """
    on_support = matrix[positive]
    if not on_support.shape[0]:
        return None
    _, singular, right = np.linalg.svd(on_support, full_matrices=True)
    tolerance = singular.max(initial=0.0) * max(on_support.shape) * np.finfo(float).eps
    deficiency = matrix.shape[1] - int((singular > tolerance).sum())
    if deficiency == 0:
        return True
    if deficiency > 1:
        return None
    values = matrix[~positive] @ right[-1]
    if np.all(np.abs(values) <= SIGN_ZERO):
        return None
    return not (np.all(values <= SIGN_ZERO) or np.all(values >= -SIGN_ZERO))


def check_layout(fitted: Layout, cell_counts: IntArray | FloatArray) -> CheckResult:
    """The full check as specified: the linear programme and the rank, always both."""
    matrix = fitted.design
    counts = np.asarray(cell_counts, dtype=np.float64)[fitted.cells]
    optimum = lp_optimum(matrix, counts) if matrix.shape[0] else 0.0
    deficiency = matrix.shape[1] - int(np.linalg.matrix_rank(matrix))
    code = CheckCode(int(optimum <= LP_ZERO) + 2 * int(deficiency > 0))
    return CheckResult(code=code, lp_optimum=optimum, rank_deficiency=deficiency)


def check_model(model: Model, cell_counts: IntArray | FloatArray) -> CheckResult:
    return check_layout(layout(model, cell_counts), cell_counts)


class Checker:
    """Answers "does this model pass the check on these data?" quickly, with the same answers.

    Shortcuts, each exact:

    * a model term of three or more lists that nobody is on fails (its margin forces every
      cell containing it to zero, or its column is zero after dropping cells);
    * :func:`existence_without_lp` settles existence from the design restricted to the
      cells with positive counts whenever that lacks at most one dimension, so the linear
      programme is only solved for the rest;
    * results are remembered per model and per set of positive cells, which is what they
      depend on, so bootstrap replicates sharing a support pattern reuse them.
    """

    def __init__(self) -> None:
        self._rank: dict[tuple[int, tuple[int, ...], tuple[int, ...]], bool] = {}
        self._exists: dict[tuple[int, tuple[int, ...], bytes], bool] = {}
        self.linear_programmes = 0

    def passes(self, fitted: Layout, cell_counts: IntArray | FloatArray) -> bool:
        counts = np.asarray(cell_counts)
        model = fitted.model
        for term in model.interactions:
            if term.bit_count() >= 3 and counts[_containing(model.n_lists, term)].sum() == 0:
                return False
        rank_key = (model.n_lists, model.interactions, fitted.dropped)
        identifiable = self._rank.get(rank_key)
        matrix: FloatArray | None = None
        if identifiable is None:
            matrix = fitted.design
            identifiable = int(np.linalg.matrix_rank(matrix)) == matrix.shape[1]
            self._rank[rank_key] = identifiable
        if not identifiable:
            return False
        positive = counts[fitted.cells] > 0
        support = np.packbits(counts > 0).tobytes()
        exists_key = (model.n_lists, model.interactions, support)
        exists = self._exists.get(exists_key)
        if exists is None:
            if matrix is None:
                matrix = fitted.design
            exists = existence_without_lp(matrix, positive)
            if exists is None:
                self.linear_programmes += 1
                optimum = lp_optimum(matrix, counts[fitted.cells].astype(np.float64))
                exists = optimum > LP_ZERO
            self._exists[exists_key] = exists
        return exists


def _containing(n_lists: int, term: int) -> IntArray:
    cells = np.arange(1 << n_lists, dtype=np.int64)
    contained: IntArray = cells[(cells & term) == term]
    return contained


def parse_terms(text: str, lists: Sequence[str]) -> list[int]:
    """Parse ``"A:B,A:C"`` into term bitmasks; raise ValueError naming an unknown list."""
    index = {name: position for position, name in enumerate(lists)}
    terms: list[int] = []
    for raw in text.split(","):
        item = raw.strip()
        if not item:
            continue
        names = [name.strip() for name in item.split(":")]
        if len(names) < 2:
            raise ValueError(f"Term {item!r} needs at least two lists joined by ':'.")
        if len(set(names)) != len(names):
            raise ValueError(f"Term {item!r} names a list twice.")
        mask = 0
        for name in names:
            if name not in index:
                known = ", ".join(lists)
                raise ValueError(f"Term {item!r}: no list named {name!r} (lists: {known}).")
            mask |= 1 << index[name]
        terms.append(mask)
    return terms
