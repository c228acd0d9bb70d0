"""Exhaustive BIC search over hierarchical models, built once and rerun on resampled tables.

The bootstrap reruns the whole search in every replicate, so the search is organised for
repetition: the model enumeration, the design matrices and the existence checks are set up
once; a replicate only works out which terms its counts leave empty, looks up (or computes,
in one batch) which models pass the check for its pattern of non-empty cells, and fits the
models it needs in batches.

Only the models that could still win are fitted. No model's log-likelihood exceeds the
saturated one, so a model with ``k`` parameters has ``BIC >= k log n - 2 l_saturated``;
models come in order of ``k``, and once that floor exceeds the best BIC found, no later
model can win. The search first fits the model that won on the original table, which
usually makes the floor bite after a few hundred models. The winner is exactly the one an
exhaustive search finds (ties going to the first model in enumeration order).
"""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import numpy.typing as npt
from scipy.special import gammaln, xlogy

from polku.mse.check import (
    LP_ZERO,
    Checker,
    CheckResult,
    check_layout,
    existence_without_lp,
    layout,
    lp_optimum,
)
from polku.mse.fit import fit_poisson_batch
from polku.mse.selection import Selection, fit_model, hierarchical_models
from polku.mse.terms import Model, design, observable_cells, pairs, term_sort_key

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# Models fitted per numpy batch: enough to amortise Python overhead, small enough that the
# floor on BIC gets to stop the search between batches.
BATCH = 256
# More models than this would take minutes per search; 6 lists with pairs is 2^15 = 32768.
MAX_MODELS = 100_000

UNKNOWN, FAILS, PASSES = -1, 0, 1
# Newton converges quadratically, so once steps are below this the log-likelihood is within
# about 1e-10 of its maximum: ample for comparing BIC values. The winner is refitted to
# full precision.
SEARCH_STEP_TOLERANCE = 1e-5


class BicSearch:
    """All hierarchical models up to ``maxorder`` for tables with ``n_lists`` lists."""

    def __init__(self, n_lists: int, maxorder: int, cell_counts: IntArray) -> None:
        self.n_lists = n_lists
        self.maxorder = maxorder
        self.cells = observable_cells(n_lists)
        counts = cell_counts[self.cells].astype(np.float64)
        every_higher = tuple(
            sum(1 << index for index in chosen)
            for size in range(3, maxorder + 1)
            for chosen in combinations(range(n_lists), size)
        )
        self.higher_design = design(self.cells, every_higher)
        present = counts @ self.higher_design > 0
        allowed = tuple(term for term, keep in zip(every_higher, present, strict=True) if keep)
        self.allowed = frozenset(allowed)
        self.every_higher = every_higher
        pair_terms = pairs(n_lists)
        self.terms = pair_terms + tuple(sorted(allowed, key=term_sort_key))
        self.models = hierarchical_models(n_lists, maxorder, self.allowed, limit=MAX_MODELS)
        position = {term: index for index, term in enumerate(self.terms)}
        mains = tuple(1 << index for index in range(n_lists))
        columns = (0, *mains, *self.terms)
        full = design(self.cells, columns)
        # A zero column at the end stands for the padding of narrower models.
        self.full_design = np.hstack([full, np.zeros((full.shape[0], 1))])
        padding_column = full.shape[1]
        count = len(self.models)
        self.width = max(model.n_parameters for model in self.models)
        self.column_index = np.full((count, self.width), padding_column, dtype=np.int64)
        self.column_bits = np.zeros((count, self.width), dtype=np.uint64)
        self.term_bits = np.zeros(count, dtype=np.uint64)
        self.real_columns = np.zeros((count, self.width), dtype=bool)
        for row, model in enumerate(self.models):
            self.column_index[row, : 1 + n_lists] = np.arange(1 + n_lists)
            bits = 0
            for offset, term in enumerate(model.interactions):
                column = 1 + n_lists + offset
                self.column_index[row, column] = 1 + n_lists + position[term]
                self.column_bits[row, column] = 1 << position[term]
                bits |= 1 << position[term]
            self.term_bits[row] = bits
            self.real_columns[row, : model.n_parameters] = True
        self.parameters = np.array([model.n_parameters for model in self.models])
        self.pair_bits = np.uint64((1 << len(pair_terms)) - 1)
        self.higher_bits = np.uint64(((1 << len(self.terms)) - 1) & ~((1 << len(pair_terms)) - 1))
        term_columns = full[:, 1 + n_lists :] > 0
        weights = np.left_shift(np.uint64(1), np.arange(len(self.terms), dtype=np.uint64))
        self.term_weights = weights
        self.cell_pairs = (term_columns[:, : len(pair_terms)] * weights[: len(pair_terms)]).sum(
            axis=1, dtype=np.uint64
        )
        self.term_design = full[:, 1 + n_lists :]
        self.start = np.full((count, self.width), np.nan)
        self.hint: int | None = None
        self._states: dict[bytes, npt.NDArray[np.int8]] = {}

    def covers(self, cell_counts: IntArray) -> bool:
        """Whether every higher-order term with people on it is in this search's enumeration."""
        counts = cell_counts[self.cells].astype(np.float64)
        present = counts @ self.higher_design > 0
        return all(
            term in self.allowed
            for term, keep in zip(self.every_higher, present, strict=True)
            if keep
        )

    def select(self, cell_counts: IntArray, checker: Checker) -> Selection:
        """The hierarchical model with the smallest BIC among those passing the check."""
        counts = cell_counts[self.cells].astype(np.float64)
        n_observed = float(counts.sum())
        margins = counts @ self.term_design
        empty = int(((margins == 0) * self.term_weights).sum(dtype=np.uint64))
        empty_bits = np.uint64(empty)
        excluded = (self.term_bits & empty_bits & self.higher_bits) != 0
        dropped = self.term_bits & empty_bits & self.pair_bits
        key = np.packbits(counts > 0).tobytes()
        states = self._states.setdefault(key, np.full(len(self.models), UNKNOWN, dtype=np.int8))
        saturated = float((xlogy(counts, counts) - counts - gammaln(counts + 1)).sum())
        floor = self.parameters * math.log(n_observed) - 2 * saturated
        best_bic = math.inf
        best_index = -1
        failed = int(excluded.sum())
        first_call = self.hint is None

        def consider(indices: IntArray) -> None:
            nonlocal best_bic, best_index, failed
            indices = indices[~excluded[indices] & (floor[indices] <= best_bic)]
            unknown = indices[states[indices] == UNKNOWN]
            if unknown.size:
                states[unknown] = self._check(unknown, counts, dropped[unknown], checker)
            failed += int((states[indices] == FAILS).sum())
            passing = indices[states[indices] == PASSES]
            if not passing.size:
                return
            bics = self._fit(passing, counts, dropped[passing], n_observed, first_call)
            for index, bic in zip(passing.tolist(), bics.tolist(), strict=True):
                if bic < best_bic or (bic == best_bic and index < best_index):
                    best_bic, best_index = bic, index

        hint = self.hint
        if hint is not None:
            consider(np.array([hint]))
        for offset in range(0, len(self.models), BATCH):
            if floor[offset] > best_bic:
                break
            indices = np.arange(offset, min(offset + BATCH, len(self.models)))
            if hint is not None:
                indices = indices[indices != hint]
            consider(indices)
        if best_index < 0:
            main = layout(Model(self.n_lists), cell_counts)
            return Selection(
                model=main.model,
                check=check_layout(main, cell_counts),
                fitted=None,
                models_considered=len(self.models),
                models_excluded=failed,
            )
        if self.hint is None:
            self.hint = best_index
        fitted = fit_model(self.models[best_index], cell_counts)
        return Selection(
            model=fitted.model,
            check=CheckResult.passed(),
            fitted=fitted,
            models_considered=len(self.models),
            models_excluded=failed,
        )

    def _designs(
        self, indices: IntArray, dropped: npt.NDArray[np.uint64]
    ) -> tuple[FloatArray, BoolArray, BoolArray]:
        # Models come in order of size, so a batch is trimmed to its own widest model.
        width = int(self.parameters[indices].max())
        matrices = self.full_design[:, self.column_index[indices, :width]].transpose(1, 0, 2)
        active = self.real_columns[indices, :width] & (
            (self.column_bits[indices, :width] & dropped[:, None]) == 0
        )
        kept = (self.cell_pairs[None, :] & dropped[:, None]) == 0
        return matrices * active[:, None, :], kept, active

    def _check(
        self,
        indices: IntArray,
        counts: FloatArray,
        dropped: npt.NDArray[np.uint64],
        checker: Checker,
    ) -> npt.NDArray[np.int8]:
        matrices, kept, active = self._designs(indices, dropped)
        columns = active.sum(axis=1)
        identifiable = np.linalg.matrix_rank(matrices * kept[:, :, None]) == columns
        on_support = kept & (counts > 0)[None, :]
        exists = np.linalg.matrix_rank(matrices * on_support[:, :, None]) == columns
        for row in np.flatnonzero(identifiable & ~exists):
            matrix = matrices[row][kept[row]][:, active[row]]
            retained = counts[kept[row]]
            decided = existence_without_lp(matrix, retained > 0)
            if decided is None:
                checker.linear_programmes += 1
                decided = lp_optimum(matrix, retained) > LP_ZERO
            exists[row] = decided
        return np.where(identifiable & exists, PASSES, FAILS).astype(np.int8)

    def _fit(
        self,
        indices: IntArray,
        counts: FloatArray,
        dropped: npt.NDArray[np.uint64],
        n_observed: float,
        remember: bool,
    ) -> FloatArray:
        bics = np.empty(indices.size)
        for offset in range(0, indices.size, BATCH):
            chunk = slice(offset, offset + BATCH)
            matrices, kept, active = self._designs(indices[chunk], dropped[chunk])
            batch_counts = np.broadcast_to(counts, kept.shape) * kept
            width = active.shape[1]
            fits = fit_poisson_batch(
                matrices,
                batch_counts,
                cells=kept.astype(np.float64),
                active=active,
                start=self.start[indices[chunk], :width],
                step_tolerance=SEARCH_STEP_TOLERANCE,
                covariance=False,
            )
            if remember:
                self.start[indices[chunk], :width] = np.where(active, fits.coefficients, 0.0)
            k = self.parameters[indices[chunk]]
            bics[chunk] = k * math.log(n_observed) - 2 * fits.loglik
        return bics
