"""Confidence intervals for the population size: Wald, profile likelihood and BCa bootstrap."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import brentq, minimize_scalar
from scipy.special import gammaln, xlogy
from scipy.stats import chi2, norm

from polku.mse.fit import fit_poisson
from polku.mse.selection import FittedModel

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

INTERVALS = ("none", "wald", "profile", "bca")
DEFAULT_LEVEL = 0.95
DEFAULT_NBOOT = 1000
# The profile search looks for the upper limit up to this multiple of the point estimate
# (Rcapture stops at 3); beyond it the limit is reported as unbounded.
PROFILE_UPPER_FACTOR = 100.0


def wald_interval(fitted: FittedModel, level: float = DEFAULT_LEVEL) -> tuple[float, float]:
    """``n + exp(intercept -/+ z se)``: log-normal for the unobserved count, given the model."""
    z = float(norm.ppf(0.5 + level / 2))
    low = fitted.n_observed + math.exp(fitted.intercept - z * fitted.intercept_se)
    high = fitted.n_observed + math.exp(fitted.intercept + z * fitted.intercept_se)
    return (low, high)


@dataclass(frozen=True)
class ProfileResult:
    """Multinomial profile likelihood for N: its maximiser and the interval."""

    mle: float
    interval: tuple[float, float]


def profile_interval(
    fitted: FittedModel, cell_counts: IntArray, level: float = DEFAULT_LEVEL
) -> ProfileResult:
    """Profile likelihood interval for N under the fitted model (Cormack 1992).

    For a candidate N the unobserved cell gets the count ``N - n`` and the model (whose only
    term in that cell is the intercept) is refitted to all cells; the multinomial profile
    log-likelihood is minus half that fit's deviance plus
    ``log((N-n)^(N-n) N! / (N^N (N-n)!))``. The interval is where it lies within
    ``chi2_1(level) / 2`` of its maximum.
    """
    n = fitted.n_observed
    arranged = fitted.layout
    observed = cell_counts[arranged.cells].astype(np.float64)
    matrix = np.vstack([arranged.design, np.eye(1, len(arranged.columns))])
    warm = [fitted.fit.coefficients.copy()]

    def loglik(total: float) -> float:
        unseen = total - n
        counts = np.append(observed, unseen)
        fit = fit_poisson(matrix, counts, start=warm[0])
        warm[0] = fit.coefficients
        correction = (
            xlogy(unseen, unseen) + gammaln(total + 1) - total * math.log(total)
        ) - gammaln(unseen + 1)
        return float(-fit.deviance / 2 + correction)

    estimate = fitted.estimate
    # At N = n the unobserved cell is zero and the fit degenerates; start just above.
    floor = n + 1e-6 * max(1.0, estimate - n)
    found = minimize_scalar(
        lambda total: -loglik(total),
        bounds=(floor, 3 * estimate),
        method="bounded",
        options={"xatol": 1e-7 * estimate},
    )
    mle = float(found.x)
    peak = -float(found.fun)
    cutoff = peak - float(chi2.ppf(level, 1)) / 2

    def excess(total: float) -> float:
        return loglik(total) - cutoff

    tolerance = 1e-9 * estimate
    low = float(n) if excess(floor) >= 0 else float(brentq(excess, floor, mle, xtol=tolerance))
    ceiling = 3 * estimate
    while excess(ceiling) > 0 and ceiling < PROFILE_UPPER_FACTOR * estimate:
        ceiling *= 2
    high = math.inf
    if excess(ceiling) <= 0:
        high = float(brentq(excess, mle, ceiling, xtol=tolerance))
    return ProfileResult(mle=mle, interval=(low, high))


@dataclass(frozen=True)
class BootstrapResult:
    """BCa bootstrap interval with what went into it."""

    interval: tuple[float, float] | None
    replicates: FloatArray
    failed: int
    bias_correction: float
    acceleration: float
    jackknife: FloatArray


ReplicateRunner = Callable[[list[IntArray]], list[float | None]]


def bca_interval(
    cell_counts: IntArray,
    point_estimate: float,
    run: ReplicateRunner,
    *,
    nboot: int = DEFAULT_NBOOT,
    seed: int | None = None,
    level: float = DEFAULT_LEVEL,
    samples: list[IntArray] | None = None,
) -> BootstrapResult:
    """Non-parametric BCa bootstrap (Chan, Silverman & Vincent 2021, section 3.3).

    Each replicate draws ``n`` people with replacement from those observed (multinomial
    over the observed histories with the observed proportions) and reruns the whole
    estimator, model selection included: ``run`` maps tables to estimates (None where there
    is none). ``samples`` replaces the random draws with given resampled tables (cell
    counts indexed by bitmask), e.g. to compare with another implementation's draws.

    The acceleration comes from a delete-one jackknife over the observed histories, each
    weighted by its count; the bias correction from the share of replicates below the point
    estimate. Quantiles of the replicates are Hyndman-Fan type 8, as in SparseMSE.
    Replicates without an estimate are counted in ``failed`` and left out.
    """
    observed_cells = np.flatnonzero(cell_counts)
    observed_cells = observed_cells[observed_cells > 0]
    weights = cell_counts[observed_cells].astype(np.float64)
    if samples is None:
        generator = np.random.default_rng(seed)
        draws = generator.multinomial(int(weights.sum()), weights / weights.sum(), size=nboot)
        samples = []
        for draw in draws:
            sample = np.zeros_like(cell_counts)
            sample[observed_cells] = draw
            samples.append(sample)
    nboot = len(samples)
    jackknife_samples = []
    for cell in observed_cells:
        sample = cell_counts.copy()
        sample[cell] -= 1
        jackknife_samples.append(sample)
    results = run(samples + jackknife_samples)
    boot = np.array([math.nan if value is None else value for value in results[:nboot]])
    jack = np.array([math.nan if value is None else value for value in results[nboot:]])
    failed = int(np.isnan(boot).sum())
    valid = boot[~np.isnan(boot)]
    jack_ok = ~np.isnan(jack)
    acceleration = math.nan
    if jack_ok.any():
        jack_weights = weights[jack_ok]
        residuals = (jack_weights @ jack[jack_ok]) / jack_weights.sum() - jack[jack_ok]
        spread = float(jack_weights @ residuals**2)
        acceleration = float(jack_weights @ residuals**3) / (6 * spread**1.5) if spread > 0 else 0.0
    share_below = float((valid < point_estimate).mean()) if valid.size else math.nan
    bias = float(norm.ppf(share_below)) if valid.size else math.nan
    interval: tuple[float, float] | None = None
    if valid.size and math.isfinite(bias) and math.isfinite(acceleration):
        alpha = np.array([(1 - level) / 2, (1 + level) / 2])
        z_alpha = norm.ppf(alpha)
        shifted = bias + z_alpha
        probabilities = norm.cdf(bias + shifted / (1 - acceleration * shifted))
        limits = np.quantile(valid, probabilities, method="median_unbiased")
        interval = (float(limits[0]), float(limits[1]))
    return BootstrapResult(
        interval=interval,
        replicates=boot,
        failed=failed,
        bias_correction=bias,
        acceleration=acceleration,
        jackknife=jack,
    )
