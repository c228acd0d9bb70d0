"""Poisson log-linear fits by Newton's method, one model or many at once.

The Poisson log-likelihood is concave in the coefficients, so Newton's method with step
halving converges from any start when the maximum likelihood estimate exists; the callers
check existence (``check.py``) before fitting. Many models are fitted together by stacking
their design matrices (padded to a common width) so that one numpy call does the linear
algebra of every model in a batch: model searches and bootstrap replicates fit thousands
of small models, and per-model Python overhead would dominate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.special import gammaln, xlogy

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IndexArray = npt.NDArray[np.intp]

MAX_ITERATIONS = 100
MAX_HALVINGS = 40
# Converged when no coefficient moves by more than this in a full Newton step. Newton's
# quadratic convergence means the step before was ~1e-5 or smaller, so the intercept (and
# the estimate, relative) is then accurate to far better than the 1e-5 the estimates need.
STEP_TOLERANCE = 1e-10
# exp(700) is near the largest finite double; capping the linear predictor keeps a wild
# first step from overflowing before step halving pulls it back.
MAX_LINEAR_PREDICTOR = 700.0


@dataclass(frozen=True)
class BatchFit:
    """Fits of a batch of Poisson log-linear models (first axis: the model)."""

    coefficients: FloatArray
    fitted: FloatArray
    loglik: FloatArray
    deviance: FloatArray
    covariance: FloatArray
    converged: BoolArray
    iterations: int


@dataclass(frozen=True)
class PoissonFit:
    """The fit of one Poisson log-linear model to counts ``y`` with design ``X``."""

    coefficients: FloatArray
    fitted: FloatArray
    loglik: float
    deviance: float
    covariance: FloatArray
    converged: bool
    iterations: int


def fit_poisson(
    design: FloatArray, counts: FloatArray, *, start: FloatArray | None = None
) -> PoissonFit:
    """Maximum likelihood fit of ``log E[counts] = design @ coefficients``.

    The same Newton iteration as :func:`fit_poisson_batch`, written for a single model
    because sequential searches fit one model at a time and the batch axis only costs there.
    """
    constant = float(gammaln(counts + 1.0).sum())
    if start is None:
        mu0 = counts + 0.5
        weighted = design * mu0[:, None]
        beta = np.linalg.solve(design.T @ weighted, weighted.T @ np.log(mu0))
    else:
        beta = start.astype(np.float64, copy=True)
    eta = np.minimum(design @ beta, MAX_LINEAR_PREDICTOR)
    current = float(counts @ eta - np.exp(eta).sum()) - constant
    iterations = 0
    for iterations in range(1, MAX_ITERATIONS + 1):  # noqa: B007
        mu = np.exp(eta)
        gradient = design.T @ (counts - mu)
        step = np.linalg.solve(design.T @ (design * mu[:, None]), gradient)
        scale = 1.0
        for _ in range(MAX_HALVINGS):
            trial_beta = beta + scale * step
            trial_eta = np.minimum(design @ trial_beta, MAX_LINEAR_PREDICTOR)
            trial = float(counts @ trial_eta - np.exp(trial_eta).sum()) - constant
            if trial >= current - 1e-9 * (1.0 + abs(current)):
                break
            scale *= 0.5
        else:
            break
        beta, eta, current = trial_beta, trial_eta, trial
        if float(np.abs(scale * step).max()) < STEP_TOLERANCE:
            break
    mu = np.exp(eta)
    covariance = np.linalg.inv(design.T @ (design * mu[:, None]))
    deviance = 2.0 * float((xlogy(counts, counts) - xlogy(counts, mu) - counts + mu).sum())
    gradient = design.T @ (counts - mu)
    converged = float(np.abs(gradient).max()) <= 1e-6 * (1.0 + float(np.abs(counts).sum()))
    return PoissonFit(
        coefficients=beta,
        fitted=mu,
        loglik=current,
        deviance=deviance,
        covariance=covariance,
        converged=converged,
        iterations=iterations,
    )


def fit_poisson_batch(
    design: FloatArray,
    counts: FloatArray,
    *,
    cells: FloatArray | None = None,
    active: BoolArray | None = None,
    start: FloatArray | None = None,
    step_tolerance: float = STEP_TOLERANCE,
    covariance: bool = True,
) -> BatchFit:
    """Fit ``B`` models at once.

    ``design`` is ``(B, m, p)``, ``counts`` ``(B, m)``. ``cells`` (``(B, m)``, 0 or 1) leaves
    cells out of a model's likelihood (empty overlaps, padding); ``active`` (``(B, p)``)
    marks the real columns, the rest being zero padding. Rows of ``start`` that contain NaN
    start from weighted least squares on ``log(y + 1/2)``, the usual first IRLS iterate.
    Log-likelihoods include the ``-log(y!)`` terms so that they are comparable across
    models. Each Newton iteration works only on the models still moving, and
    ``covariance=False`` skips the inverse information when only likelihoods are wanted.
    """
    batch, n_cells, width = design.shape
    weight = np.ones((batch, n_cells)) if cells is None else cells.astype(np.float64)
    is_active = np.ones((batch, width), dtype=bool) if active is None else active
    padding = np.zeros((batch, width, width))
    diagonal = np.arange(width)
    padding[:, diagonal, diagonal] = ~is_active
    constant = (weight * gammaln(counts + 1.0)).sum(axis=1)

    def loglik(rows: IndexArray, eta: FloatArray) -> FloatArray:
        terms = weight[rows] * (counts[rows] * eta - np.exp(eta))
        result: FloatArray = terms.sum(axis=1) - constant[rows]
        return result

    def linear_predictor(rows: IndexArray, beta: FloatArray) -> FloatArray:
        eta: FloatArray = np.matmul(design[rows], beta[:, :, None])[:, :, 0]
        return np.minimum(eta, MAX_LINEAR_PREDICTOR)

    def gram(rows: IndexArray, weights: FloatArray) -> FloatArray:
        sub = design[rows]
        result: FloatArray = np.matmul(sub.transpose(0, 2, 1), sub * weights[:, :, None])
        return result + padding[rows]

    def cross(rows: IndexArray, values: FloatArray) -> FloatArray:
        result: FloatArray = np.matmul(design[rows].transpose(0, 2, 1), values[:, :, None])
        return result[:, :, 0]

    everything = np.arange(batch)
    beta = np.zeros((batch, width))
    missing = np.ones(batch, dtype=bool) if start is None else np.isnan(start).any(axis=1)
    if missing.any():
        rows = everything[missing]
        working = weight[rows] * (counts[rows] + 0.5)
        rhs = cross(rows, working * np.log(counts[rows] + 0.5))
        beta[rows] = np.linalg.solve(gram(rows, working), rhs[:, :, None])[:, :, 0]
    if start is not None:
        given = ~missing
        beta[given] = np.where(is_active[given], start[given], 0.0)
    eta = linear_predictor(everything, beta)
    current = loglik(everything, eta)
    moving = everything
    iterations = 0
    for iterations in range(1, MAX_ITERATIONS + 1):  # noqa: B007
        mu = weight[moving] * np.exp(eta[moving])
        gradient = cross(moving, weight[moving] * counts[moving] - mu)
        step = np.linalg.solve(gram(moving, mu), gradient[:, :, None])[:, :, 0]
        scale = np.ones(moving.size)
        pending = np.ones(moving.size, dtype=bool)
        for _ in range(MAX_HALVINGS):
            rows = moving[pending]
            trial_beta = beta[rows] + scale[pending, None] * step[pending]
            trial_eta = linear_predictor(rows, trial_beta)
            trial = loglik(rows, trial_eta)
            # A tiny tolerance lets the last steps, which change the likelihood by less
            # than its rounding error, be accepted.
            accepted = trial >= current[rows] - 1e-9 * (1.0 + np.abs(current[rows]))
            taken = rows[accepted]
            beta[taken] = trial_beta[accepted]
            eta[taken] = trial_eta[accepted]
            current[taken] = trial[accepted]
            pending[np.flatnonzero(pending)[accepted]] = False
            if not pending.any():
                break
            scale[pending] *= 0.5
        moved = np.abs(scale[:, None] * step).max(axis=1)
        moving = moving[(moved >= step_tolerance) & ~pending]
        if not moving.size:
            break
    mu = weight * np.exp(eta)
    if covariance:
        inverse = np.linalg.inv(gram(everything, mu))
        inverse[~is_active] = 0.0
        inverse[np.repeat(~is_active[:, None, :], width, axis=1)] = 0.0
    else:
        inverse = np.full((batch, width, width), np.nan)
    deviance = 2.0 * (weight * (xlogy(counts, counts) - xlogy(counts, mu) - counts + mu)).sum(
        axis=1
    )
    gradient = cross(everything, weight * counts - mu)
    converged = np.abs(gradient).max(axis=1) <= 1e-6 * (1.0 + np.abs(counts).sum(axis=1))
    return BatchFit(
        coefficients=beta,
        fitted=mu,
        loglik=current,
        deviance=deviance,
        covariance=inverse,
        converged=converged,
        iterations=iterations,
    )
