"""Running an estimate in the task worker: claim the run, estimate, store the outcome.

Progress counters are written as the bootstrap goes, at most every half second, and are
not audited: they say how far the worker is, not anything about the data. Claiming the
run, reading its table and storing the outcome are audited, with no actor (the worker).
"""

import logging
import math
import time
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from polku.audit.services import audit_access, audit_write, snapshot
from polku.mse.check import CheckResult
from polku.mse.estimate import Estimate, EstimationError, check_terms, estimate_population
from polku.mse.histories import CaptureHistories, CaptureHistoryError, read_capture_histories
from polku.mse.terms import term_lists
from polku.statistics.choices import IntervalMethod, RunStatus
from polku.statistics.models import EstimateRun

logger = logging.getLogger(__name__)

PROGRESS_EVERY_SECONDS = 0.5
OUTCOME_FIELDS = [
    "status",
    "estimate",
    "interval_low",
    "interval_high",
    "model_terms",
    "check_code",
    "error_code",
    "finished_at",
]
# The estimator's notes that are stored as warnings with their own codes (and wording).
KNOWN_NOTES = (
    "did not reach its convergence tolerance",
    "bootstrap replicates had no estimate",
    "The bootstrap gave no BCa interval",
)


class ProgressReporter:
    """``progress(done, total)`` for the estimator: writes the counters, at most every
    ``every`` seconds, and always the last step."""

    def __init__(
        self,
        run_id: int,
        *,
        every: float = PROGRESS_EVERY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.run_id = run_id
        self.every = every
        self.clock = clock
        self.last: float | None = None
        self.writes = 0

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if done < total and self.last is not None and now - self.last < self.every:
            return
        self.last = now
        self.writes += 1
        EstimateRun.objects.filter(pk=self.run_id, status=RunStatus.RUNNING).update(
            progress_done=done, progress_total=total
        )


def _claim(run_id: int) -> EstimateRun | None:
    with transaction.atomic():
        claimed = EstimateRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
            status=RunStatus.RUNNING, started_at=timezone.now(), progress_done=0
        )
        if not claimed:
            return None
        run = EstimateRun.objects.get(pk=run_id)
        audit_write(
            actor=None,
            action="statistics.estimate_run.begin",
            target=run,
            after=snapshot(run, ["status", "started_at"]),
        )
        audit_access(
            actor=None,
            action="statistics.estimate_run.table_read",
            target=run,
            detail={"via": "task"},
        )
    return run


def estimate_run_execute(*, run_id: int, workers: int = 1) -> str:
    """Runs a queued estimate and stores what came of it; returns the final status.

    A run already claimed, finished or deleted is left alone, so a task that runs twice
    estimates once.
    """
    run = _claim(run_id)
    if run is None:
        return "skipped"
    try:
        histories = read_capture_histories(run.table_csv)
        result = estimate_population(
            histories,
            method=run.method,
            pthresh=run.pthresh,
            maxorder=run.maxorder,
            interval=run.interval_method,
            nboot=run.nboot,
            seed=run.seed,
            level=run.level,
            workers=workers,
            progress=ProgressReporter(run.pk),
        )
    except EstimationError as error:
        # The estimator's own words about the options, written for people.
        return _store_failure(run, code="options", detail=str(error))
    except CaptureHistoryError:
        return _store_failure(run, code="table", detail="")
    except Exception:
        logger.exception("Estimate run %s failed", run.pk)
        return _store_failure(run, code="internal", detail="")
    return _store_result(run, result, histories)


def _finite(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return float(value)


def _full_check(result: Estimate, histories: CaptureHistories) -> CheckResult:
    """The selected model's check with the linear programme always solved (a selection may
    have decided existence by an exact shortcut that gives no optimum)."""
    terms = ",".join(":".join(term) for term in result.model_terms)
    try:
        return check_terms(histories, terms)
    except ArithmeticError:
        logger.warning("The full check of estimate run model %r did not solve", terms)
        return result.check


def _warnings(result: Estimate, interval: tuple[float | None, float | None]) -> list[Any]:
    warnings: list[dict[str, Any]] = []
    fitted = result.fitted
    if fitted is not None and not fitted.fit.converged:
        warnings.append({"code": "not_converged"})
    boot = result.bootstrap
    if boot is not None:
        if boot.failed:
            warnings.append({"code": "bootstrap_failed", "failed": boot.failed})
        if boot.interval is None:
            warnings.append({"code": "no_bca_interval"})
    if result.interval is not None and None in interval:
        warnings.append({"code": "interval_unbounded"})
    for note in result.notes:
        if not any(known in note for known in KNOWN_NOTES):
            warnings.append({"code": "note", "text": note})
    return warnings


def _diagnostics(result: Estimate, check: CheckResult) -> dict[str, Any]:
    lists = result.lists
    fitted = result.fitted
    boot = result.bootstrap
    return {
        "check": {
            "code": int(check.code),
            "lp_optimum": _finite(check.lp_optimum),
            "rank_deficiency": int(check.rank_deficiency),
        },
        "fit": None
        if fitted is None
        else {
            "deviance": _finite(fitted.fit.deviance),
            "residual_df": int(fitted.layout.cells.size - len(fitted.layout.columns)),
            "parameters": int(fitted.n_parameters),
            "aic": _finite(fitted.aic),
            "bic": _finite(fitted.bic),
            "converged": bool(fitted.fit.converged),
        },
        "selection": {
            "steps": [
                {
                    "term": [lists[index] for index in term_lists(step.term)],
                    "kind": "aic" if step.label == "AIC" else "p_value",
                    "statistic": _finite(step.statistic),
                }
                for step in result.steps
            ],
            "models_considered": int(result.models_considered),
            "models_excluded": int(result.models_excluded),
        },
        "bootstrap": None
        if boot is None
        else {
            "replicates": int(boot.replicates.size),
            "failed": int(boot.failed),
            "bias_correction": _finite(boot.bias_correction),
            "acceleration": _finite(boot.acceleration),
        },
    }


def _store_result(run: EstimateRun, result: Estimate, histories: CaptureHistories) -> str:
    estimate = _finite(result.estimate)
    interval: tuple[float | None, float | None] = (None, None)
    if result.interval is not None:
        interval = (_finite(result.interval[0]), _finite(result.interval[1]))
    check = _full_check(result, histories) if estimate is not None else result.check
    values: dict[str, Any] = {
        "status": RunStatus.FINISHED if estimate is not None else RunStatus.NOT_ESTIMABLE,
        "estimate": estimate,
        "interval_low": interval[0] if estimate is not None else None,
        "interval_high": interval[1] if estimate is not None else None,
        "profile_mle": _finite(result.profile_mle)
        if run.interval_method == IntervalMethod.PROFILE
        else None,
        "model_terms": result.model_terms,
        "empty_overlaps": result.empty_overlaps,
        "check_code": int(check.code),
        "diagnostics": _diagnostics(result, check),
        "warnings": _warnings(result, interval),
    }
    if estimate is None and int(result.check.code) == 0:
        # No estimate although the check passed: a fit that ran away to infinity.
        values["check_code"] = 1
    return _finish(run, values)


def _store_failure(run: EstimateRun, *, code: str, detail: str) -> str:
    return _finish(run, {"status": RunStatus.FAILED, "error_code": code, "error_detail": detail})


def _finish(run: EstimateRun, values: dict[str, Any]) -> str:
    with transaction.atomic():
        now = timezone.now()
        values = {**values, "finished_at": now, "updated_at": now}
        updated = EstimateRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
            progress_done=F("progress_total"), **values
        )
        if not updated:
            return "gone"
        finished = EstimateRun.objects.get(pk=run.pk)
        audit_write(
            actor=None,
            action="statistics.estimate_run.finish",
            target=finished,
            after=snapshot(finished, OUTCOME_FIELDS),
        )
    return str(values["status"])
