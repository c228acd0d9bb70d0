"""Model selection: stepwise (Chan, Silverman & Vincent 2021), BIC, the 2014 AIC method, main.

Every function takes the counts of all ``2^t`` cells indexed by bitmask (cell 0, the
unobserved one, is ignored) and returns the selected, fitted model. None of them trusts a fit
that "converged" to a huge negative coefficient: empty overlaps are dropped cells
(``check.layout``) and every candidate passes the existence and identifiability check first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import numpy.typing as npt
from scipy.special import pdtr, pdtrc
from scipy.stats import norm

from polku.mse.check import Checker, CheckResult, Layout, check_layout, layout
from polku.mse.fit import PoissonFit, fit_poisson
from polku.mse.terms import Model, pairs, term_lists, term_sort_key

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

METHODS = ("stepwise", "bic", "aic-bhs", "main")
DEFAULT_PTHRESH = 0.02
AIC_WALD_LEVEL = 0.05


def default_maxorder(n_lists: int) -> int:
    """Highest interaction order in the BIC search: 2 for 3 lists, 3 for 4-5, 2 for 6 or more."""
    if n_lists <= 2:
        return 1
    if n_lists in (4, 5):
        return 3
    return 2


@dataclass(frozen=True)
class FittedModel:
    """A model fitted to data, with the quantities the estimate and the criteria need."""

    layout: Layout
    fit: PoissonFit
    n_observed: int

    @property
    def model(self) -> Model:
        return self.layout.model

    @property
    def n_parameters(self) -> int:
        """Parameters including those of empty overlaps (which are minus infinity)."""
        return self.model.n_parameters

    @property
    def intercept(self) -> float:
        return float(self.fit.coefficients[0])

    @property
    def intercept_se(self) -> float:
        return math.sqrt(float(self.fit.covariance[0, 0]))

    @property
    def estimate(self) -> float:
        """N-hat: the people observed plus exp(intercept), the fitted unobserved cell."""
        return self.n_observed + math.exp(self.intercept)

    @property
    def aic(self) -> float:
        return 2 * self.n_parameters - 2 * self.fit.loglik

    @property
    def bic(self) -> float:
        return self.n_parameters * math.log(self.n_observed) - 2 * self.fit.loglik

    def coefficient(self, term: int) -> float | None:
        """The fitted coefficient of ``term``; None for a dropped (minus infinity) term."""
        if term in self.layout.dropped:
            return None
        return float(self.fit.coefficients[self.layout.columns.index(term)])

    def wald_p(self, term: int) -> float:
        """Two-sided Wald p-value of a term; 1 for an empty-overlap term, which has no finite
        estimate and hence no evidence of a finite effect."""
        if term in self.layout.dropped:
            return 1.0
        position = self.layout.columns.index(term)
        se = math.sqrt(float(self.fit.covariance[position, position]))
        z = float(self.fit.coefficients[position]) / se
        return float(2.0 * norm.sf(abs(z)))


@dataclass(frozen=True)
class Step:
    """One step of a sequential selection: the term added and why."""

    term: int
    statistic: float
    label: str


@dataclass(frozen=True)
class Selection:
    """The selected model, its fit (None when it fails the check) and the path to it."""

    model: Model
    check: CheckResult
    fitted: FittedModel | None
    steps: tuple[Step, ...] = ()
    models_considered: int = 0
    models_excluded: int = 0
    notes: tuple[str, ...] = field(default=())


def fit_model(
    model: Model,
    cell_counts: IntArray,
    *,
    start: dict[int, float] | None = None,
) -> FittedModel:
    """Fit a model that passes the check (empty overlaps dropped)."""
    arranged = layout(model, cell_counts)
    counts = cell_counts[arranged.cells].astype(np.float64)
    initial = None
    if start is not None:
        initial = np.array([start.get(term, 0.0) for term in arranged.columns])
    fit = fit_poisson(arranged.design, counts, start=initial)
    return FittedModel(layout=arranged, fit=fit, n_observed=int(cell_counts[1:].sum()))


def _coefficients(fitted: FittedModel) -> dict[int, float]:
    return dict(zip(fitted.layout.columns, fitted.fit.coefficients.tolist(), strict=True))


def _start_or_fail(
    model: Model, cell_counts: IntArray, checker: Checker
) -> Selection | FittedModel:
    arranged = layout(model, cell_counts)
    if not checker.passes(arranged, cell_counts):
        return Selection(model=model, check=check_layout(arranged, cell_counts), fitted=None)
    return fit_model(model, cell_counts)


def select_main(
    cell_counts: IntArray, n_lists: int, *, checker: Checker | None = None
) -> Selection:
    """Main effects only."""
    start = _start_or_fail(Model(n_lists), cell_counts, checker or Checker())
    if isinstance(start, Selection):
        return start
    return Selection(
        model=start.model, check=CheckResult.passed(), fitted=start, models_considered=1
    )


def poisson_p_values(observed: FloatArray, expected: FloatArray) -> FloatArray:
    """``min(P(X <= N*), P(X >= N*))`` for ``X ~ Poisson(expected)``, elementwise."""
    lower = pdtr(observed, expected)
    upper = np.where(observed > 0, pdtrc(observed - 1, expected), 1.0)
    result: FloatArray = np.minimum(lower, upper)
    return result


def select_stepwise(
    cell_counts: IntArray,
    n_lists: int,
    *,
    pthresh: float = DEFAULT_PTHRESH,
    checker: Checker | None = None,
) -> Selection:
    """Chan-Silverman-Vincent stepwise selection by Poisson p-values of the pair overlaps.

    The pair with the smallest p-value among those whose addition passes the check is added
    while that p-value is below ``pthresh``; ties go to the first pair in (1,2), (1,3), ...
    order. Candidates are checked in p-value order and only until one passes, which selects
    exactly the pair that checking every candidate (failures scoring p = 1) would select.
    """
    checker = checker or Checker()
    start = _start_or_fail(Model(n_lists), cell_counts, checker)
    if isinstance(start, Selection):
        return start
    current = start
    candidates = pairs(n_lists)
    cells = np.arange(cell_counts.shape[0], dtype=np.int64)
    terms = np.array(candidates, dtype=np.int64)
    contains = ((cells[None, :] & terms[:, None]) == terms[:, None]).astype(np.float64)
    observed = contains @ cell_counts.astype(np.float64)
    steps: list[Step] = []
    considered = 1
    excluded = 0
    while True:
        fitted_cells = np.zeros(cell_counts.shape[0])
        fitted_cells[current.layout.cells] = current.fit.fitted
        p_values = poisson_p_values(observed, contains @ fitted_cells)
        included = set(current.model.interactions)
        scored = [
            (float(p_values[position]), position, term)
            for position, term in enumerate(candidates)
            if term not in included and p_values[position] < pthresh
        ]
        scored.sort()
        chosen: tuple[float, int] | None = None
        for p_value, _, term in scored:
            candidate = current.model.with_term(term)
            considered += 1
            if checker.passes(layout(candidate, cell_counts), cell_counts):
                chosen = (p_value, term)
                break
            excluded += 1
        if chosen is None:
            break
        p_value, term = chosen
        current = fit_model(
            current.model.with_term(term), cell_counts, start=_coefficients(current)
        )
        steps.append(Step(term=term, statistic=p_value, label="Poisson p-value"))
    return Selection(
        model=current.model,
        check=CheckResult.passed(),
        fitted=current,
        steps=tuple(steps),
        models_considered=considered,
        models_excluded=excluded,
    )


def select_aic_bhs(
    cell_counts: IntArray, n_lists: int, *, checker: Checker | None = None
) -> Selection:
    """The 2014 Home Office method: forward selection of pairs by AIC.

    At each step the pair whose addition gives the lowest AIC (among models passing the
    check; ties to the first pair) is added, unless that AIC is not lower than the current
    one or the new term's Wald p-value exceeds 0.05, which ends the search.
    """
    checker = checker or Checker()
    start = _start_or_fail(Model(n_lists), cell_counts, checker)
    if isinstance(start, Selection):
        return start
    current = start
    steps: list[Step] = []
    considered = 1
    excluded = 0
    while True:
        best: tuple[float, int, FittedModel] | None = None
        for term in pairs(n_lists):
            if term in current.model.interactions:
                continue
            candidate = current.model.with_term(term)
            considered += 1
            if not checker.passes(layout(candidate, cell_counts), cell_counts):
                excluded += 1
                continue
            fitted = fit_model(candidate, cell_counts, start=_coefficients(current))
            if best is None or fitted.aic < best[0]:
                best = (fitted.aic, term, fitted)
        if best is None or best[0] >= current.aic:
            break
        aic, term, fitted = best
        if fitted.wald_p(term) > AIC_WALD_LEVEL:
            break
        current = fitted
        steps.append(Step(term=term, statistic=aic, label="AIC"))
    return Selection(
        model=current.model,
        check=CheckResult.passed(),
        fitted=current,
        steps=tuple(steps),
        models_considered=considered,
        models_excluded=excluded,
    )


class TooManyModels(ValueError):
    """An exhaustive search would have to enumerate more models than is practical."""


def hierarchical_models(
    n_lists: int,
    maxorder: int,
    allowed: frozenset[int] | None = None,
    *,
    limit: int | None = None,
) -> list[Model]:
    """Every hierarchical model with all main effects and interactions up to ``maxorder``.

    ``allowed`` restricts the interactions of three or more lists (two-list terms are always
    allowed). Models come ordered by number of parameters, then term by term, which is the
    order ties are broken in. More than ``limit`` models raises :class:`TooManyModels`.
    """
    levels = [
        [sum(1 << index for index in chosen) for chosen in combinations(range(n_lists), order)]
        for order in range(2, maxorder + 1)
    ]
    if allowed is not None:
        levels = [
            [term for term in level if order == 0 or term in allowed]
            for order, level in enumerate(levels)
        ]
    found: list[tuple[int, ...]] = []

    def extend(level: int, chosen: tuple[int, ...]) -> None:
        if level == len(levels):
            found.append(chosen)
            if limit is not None and len(found) > limit:
                raise TooManyModels(
                    f"More than {limit:,} hierarchical models for {n_lists} lists up to "
                    f"order {maxorder}; choose a lower maxorder."
                )
            return
        present = set(chosen)
        # A term can join only if every term one list smaller is already in (hierarchy).
        eligible = [
            term
            for term in levels[level]
            if level == 0 or all(term & ~(1 << index) in present for index in term_lists(term))
        ]
        for size in range(len(eligible) + 1):
            for subset in combinations(eligible, size):
                extend(level + 1, chosen + subset)

    extend(0, ())
    found.sort(key=lambda terms: (len(terms), sorted(term_sort_key(term) for term in terms)))
    return [Model(n_lists, tuple(sorted(terms, key=term_sort_key))) for terms in found]
