"""Public entry point: estimate the hidden population from a capture-history table."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from polku.mse.bic import BicSearch
from polku.mse.check import Checker, CheckResult, check_model, parse_terms
from polku.mse.histories import CaptureHistories
from polku.mse.intervals import (
    DEFAULT_LEVEL,
    DEFAULT_NBOOT,
    INTERVALS,
    BootstrapResult,
    bca_interval,
    profile_interval,
    wald_interval,
)
from polku.mse.replicates import Progress, run_replicates
from polku.mse.selection import (
    DEFAULT_PTHRESH,
    METHODS,
    FittedModel,
    Selection,
    Step,
    default_maxorder,
    select_aic_bhs,
    select_main,
    select_stepwise,
)
from polku.mse.terms import Model, term_lists

IntArray = npt.NDArray[np.int64]

CAVEATS = (
    "The lists must be linked and de-duplicated: one person appearing twice on a list, or "
    "under different identities on two lists, biases the estimate.",
    "The estimate depends on the model; compare methods before relying on one figure.",
    "Intervals from Wald and profile likelihood are conditional on the selected model; only "
    "the bootstrap (bca) accounts for the model selection.",
    "The capture-history table is small-cell data and is not for publication.",
)
# 6 lists with pairs only is 2^15 models; 7 lists would be 2^21.
BIC_MAX_LISTS = 6


@dataclass(frozen=True)
class Estimate:
    """The estimated population size with its interval, model and diagnostics.

    ``estimate`` and ``interval`` are None when the selected model's estimate does not exist
    or is not identifiable; ``check`` then says which.
    """

    lists: tuple[str, ...]
    n_observed: int
    method: str
    model: Model
    check: CheckResult
    estimate: float | None
    interval: tuple[float, float] | None
    interval_method: str
    level: float
    fitted: FittedModel | None
    steps: tuple[Step, ...] = ()
    models_considered: int = 0
    models_excluded: int = 0
    profile_mle: float | None = None
    bootstrap: BootstrapResult | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def model_terms(self) -> list[list[str]]:
        """Interaction terms beyond main effects, as lists of list names."""
        return self.model.names(self.lists)

    @property
    def empty_overlaps(self) -> list[list[str]]:
        """Pairs in the model that no one is on together (their term is minus infinity)."""
        if self.fitted is None:
            return []
        return [[self.lists[i] for i in term_lists(t)] for t in self.fitted.layout.dropped]

    def as_json(self) -> dict[str, Any]:
        """The command line's ``--json`` object."""
        interval = None
        if self.interval is not None:
            interval = [_finite_or_none(value) for value in self.interval]
        return {
            "n_observed": self.n_observed,
            "estimate": self.estimate,
            "interval": interval,
            "level": self.level,
            "method": self.method,
            "model": self.model_terms,
            "lists": list(self.lists),
        }


def _finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None


class EstimationError(ValueError):
    """Options that cannot be used with this table (e.g. an impossible ``maxorder``)."""


@dataclass
class Workspace:
    """Caches shared by repeated selections on related tables (the original and its
    bootstrap replicates): existence checks and prepared BIC searches. They change how fast
    a selection runs, never what it selects."""

    checker: Checker = field(default_factory=Checker)
    searches: dict[tuple[int, int], BicSearch] = field(default_factory=dict)

    def bic_search(self, cell_counts: IntArray, n_lists: int, maxorder: int) -> BicSearch:
        search = self.searches.get((n_lists, maxorder))
        if search is None or not search.covers(cell_counts):
            search = BicSearch(n_lists, maxorder, cell_counts)
            self.searches[(n_lists, maxorder)] = search
        return search


def select_model(
    method: str,
    cell_counts: IntArray,
    n_lists: int,
    *,
    pthresh: float = DEFAULT_PTHRESH,
    maxorder: int | None = None,
    workspace: Workspace | None = None,
) -> Selection:
    """Run one of ``METHODS`` on the counts of all ``2^n_lists`` cells (indexed by bitmask)."""
    workspace = workspace or Workspace()
    checker = workspace.checker
    if method == "stepwise":
        return select_stepwise(cell_counts, n_lists, pthresh=pthresh, checker=checker)
    if method == "bic":
        order = default_maxorder(n_lists) if maxorder is None else maxorder
        if not 1 <= order <= n_lists - 1:
            raise EstimationError(
                f"maxorder must be between 1 and {n_lists - 1} for {n_lists} lists."
            )
        return workspace.bic_search(cell_counts, n_lists, order).select(cell_counts, checker)
    if method == "aic-bhs":
        return select_aic_bhs(cell_counts, n_lists, checker=checker)
    if method == "main":
        return select_main(cell_counts, n_lists, checker=checker)
    raise EstimationError(f"Unknown method {method!r}; use one of {', '.join(METHODS)}.")


def estimate_population(
    histories: CaptureHistories,
    *,
    method: str = "stepwise",
    pthresh: float = DEFAULT_PTHRESH,
    maxorder: int | None = None,
    interval: str = "wald",
    nboot: int = DEFAULT_NBOOT,
    seed: int | None = None,
    level: float = DEFAULT_LEVEL,
    workers: int = 1,
    progress: Progress | None = None,
) -> Estimate:
    """Select and fit a model, then estimate N-hat and its interval.

    ``method``: ``stepwise`` (default), ``bic``, ``aic-bhs`` or ``main``. ``interval``:
    ``none``, ``wald``, ``profile`` or ``bca`` (bootstrap with ``nboot`` replicates from
    ``seed``, spread over ``workers`` processes; the result does not depend on ``workers``;
    ``progress(done, total)`` is called as bootstrap and jackknife tables are finished).
    """
    _validate_options(histories, method, pthresh, maxorder, interval, nboot, level, workers)
    cells = histories.cell_counts()
    workspace = Workspace()
    selection = select_model(
        method, cells, histories.n_lists, pthresh=pthresh, maxorder=maxorder, workspace=workspace
    )
    fitted = selection.fitted
    notes: list[str] = list(selection.notes)
    bounds: tuple[float, float] | None = None
    profile_mle: float | None = None
    bootstrap: BootstrapResult | None = None
    if fitted is not None:
        if not fitted.fit.converged:
            notes.append("The Poisson fit did not reach its convergence tolerance.")
        if interval == "wald":
            bounds = wald_interval(fitted, level)
        elif interval == "profile":
            profile = profile_interval(fitted, cells, level)
            bounds = profile.interval
            profile_mle = profile.mle
        elif interval == "bca":
            bootstrap = _bootstrap(
                cells,
                fitted.estimate,
                ReplicateOptions(
                    method=method, pthresh=pthresh, maxorder=maxorder, n_lists=histories.n_lists
                ),
                workspace,
                nboot=nboot,
                seed=seed,
                level=level,
                workers=workers,
                progress=progress,
            )
            bounds = bootstrap.interval
            if bootstrap.failed:
                notes.append(
                    f"{bootstrap.failed} of {nboot} bootstrap replicates had no estimate and "
                    "were left out."
                )
            if bounds is None:
                notes.append(
                    "The bootstrap gave no BCa interval: the replicates all fall on one side "
                    "of the estimate, or the jackknife gave no estimates."
                )
    return Estimate(
        lists=histories.lists,
        n_observed=histories.n_observed,
        method=method,
        model=selection.model,
        check=selection.check,
        estimate=None if fitted is None else fitted.estimate,
        interval=bounds,
        interval_method=interval,
        level=level,
        fitted=fitted,
        steps=selection.steps,
        models_considered=selection.models_considered,
        models_excluded=selection.models_excluded,
        profile_mle=profile_mle,
        bootstrap=bootstrap,
        notes=tuple(notes),
    )


def _bootstrap(
    cells: IntArray,
    point_estimate: float,
    options: ReplicateOptions,
    workspace: Workspace,
    *,
    nboot: int,
    seed: int | None,
    level: float,
    workers: int,
    progress: Progress | None,
) -> BootstrapResult:
    return bca_interval(
        cells,
        point_estimate,
        lambda samples: run_replicates(samples, options, workspace, workers, progress),
        nboot=nboot,
        seed=seed,
        level=level,
    )


def _validate_options(
    histories: CaptureHistories,
    method: str,
    pthresh: float,
    maxorder: int | None,
    interval: str,
    nboot: int,
    level: float,
    workers: int,
) -> None:
    if method not in METHODS:
        raise EstimationError(f"Unknown method {method!r}; use one of {', '.join(METHODS)}.")
    if interval not in INTERVALS:
        raise EstimationError(f"Unknown interval {interval!r}; use one of {', '.join(INTERVALS)}.")
    if not 0 < pthresh <= 1:
        raise EstimationError("pthresh must be above 0 and at most 1.")
    if maxorder is not None and not 1 <= maxorder <= histories.n_lists - 1:
        raise EstimationError(
            f"maxorder must be between 1 and {histories.n_lists - 1} for {histories.n_lists} lists."
        )
    order = maxorder or default_maxorder(histories.n_lists)
    if method == "bic" and order > 1 and histories.n_lists > BIC_MAX_LISTS:
        raise EstimationError(
            f"The exhaustive BIC search is limited to {BIC_MAX_LISTS} lists; use stepwise."
        )
    if interval == "bca" and nboot < 100:
        raise EstimationError("The bootstrap needs at least 100 replicates.")
    if not 0 < level < 1:
        raise EstimationError("level must be between 0 and 1.")
    if workers < 1:
        raise EstimationError("workers must be at least 1.")


@dataclass(frozen=True)
class ReplicateOptions:
    """What a bootstrap replicate reruns: the method and its settings."""

    method: str
    pthresh: float
    maxorder: int | None
    n_lists: int


def replicate_estimate(
    cell_counts: IntArray, options: ReplicateOptions, workspace: Workspace
) -> float | None:
    """N-hat for resampled counts, rerunning the model selection; None if it does not exist.

    A list that nobody in the replicate is on has main effect minus infinity; its extended
    estimate is that of the other lists, so the list is removed (and ``maxorder`` lowered if
    it no longer fits).
    """
    counts, n_lists = _without_empty_lists(cell_counts, options.n_lists)
    if n_lists < 2:
        return None
    maxorder = options.maxorder
    if options.method == "bic":
        maxorder = min(maxorder or default_maxorder(options.n_lists), n_lists - 1)
    selection = select_model(
        options.method,
        counts,
        n_lists,
        pthresh=options.pthresh,
        maxorder=maxorder,
        workspace=workspace,
    )
    if selection.fitted is None:
        return None
    value = selection.fitted.estimate
    return value if math.isfinite(value) else None


def _without_empty_lists(cell_counts: IntArray, n_lists: int) -> tuple[IntArray, int]:
    cells = np.arange(cell_counts.shape[0], dtype=np.int64)
    keep = [i for i in range(n_lists) if cell_counts[(cells >> i & 1) == 1].sum() > 0]
    if len(keep) == n_lists:
        return cell_counts, n_lists
    reduced = np.zeros(1 << len(keep), dtype=np.int64)
    new_index = np.zeros_like(cells)
    for position, old in enumerate(keep):
        new_index |= ((cells >> old) & 1) << position
    np.add.at(reduced, new_index, cell_counts)
    return reduced, len(keep)


def check_terms(histories: CaptureHistories, terms: str) -> CheckResult:
    """The existence and identifiability check for the model with the given interactions.

    ``terms`` is as on the command line, e.g. ``"A:B,A:C"``; implied lower-order terms
    are added so that the model is hierarchical.
    """
    model = Model.build(histories.n_lists, parse_terms(terms, histories.lists))
    return check_model(model, histories.cell_counts())
