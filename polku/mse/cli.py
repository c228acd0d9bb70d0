"""Command line: ``estimate`` and ``check`` on a capture-history CSV.

    polku mse estimate TABLE.csv [--method stepwise|bic|aic-bhs|main] [--pthresh 0.02]
        [--maxorder K] [--interval none|wald|profile|bca] [--nboot 1000] [--seed S] [--json]
    polku mse check TABLE.csv --terms A:B,A:C [--json]

Runs as ``python -m polku.mse ...``; :func:`main` takes the arguments after ``mse``.
Exit status: 0 on success, 1 when the selected model's estimate does not exist or is not
identifiable, 2 for unusable input.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from polku.mse.check import CheckResult
from polku.mse.estimate import (
    CAVEATS,
    Estimate,
    EstimationError,
    check_terms,
    estimate_population,
)
from polku.mse.histories import CaptureHistoryError, read_capture_histories
from polku.mse.intervals import DEFAULT_NBOOT, INTERVALS
from polku.mse.selection import DEFAULT_PTHRESH, METHODS
from polku.mse.terms import term_lists

INTERVAL_NAMES = {
    "wald": "Wald (log-normal), conditional on the model",
    "profile": "profile likelihood, conditional on the model",
    "bca": "BCa bootstrap, model selection redone in each replicate",
}


def build_parser(prog: str = "polku mse") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog, description="Multiple Systems Estimation of a hidden population."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    estimate = commands.add_parser("estimate", help="estimate the population size")
    estimate.add_argument("table", type=Path, help="capture-history CSV (0/1 lists, count)")
    estimate.add_argument("--method", choices=METHODS, default="stepwise")
    estimate.add_argument("--pthresh", type=float, default=DEFAULT_PTHRESH)
    estimate.add_argument("--maxorder", type=int, default=None)
    estimate.add_argument("--interval", choices=INTERVALS, default="wald")
    estimate.add_argument("--nboot", type=int, default=DEFAULT_NBOOT)
    estimate.add_argument("--seed", type=int, default=None)
    estimate.add_argument("--json", action="store_true", help="print one JSON object")
    check = commands.add_parser("check", help="check a model's existence and identifiability")
    check.add_argument("table", type=Path, help="capture-history CSV (0/1 lists, count)")
    check.add_argument("--terms", required=True, help="interactions, e.g. A:B,A:C ('' = main)")
    check.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    stdout = out or sys.stdout
    arguments = build_parser().parse_args(argv)
    try:
        text = arguments.table.read_text(encoding="utf-8-sig")
    except OSError as error:
        print(f"error: cannot read {arguments.table}: {error.strerror}", file=sys.stderr)
        return 2
    try:
        histories = read_capture_histories(text)
        if arguments.command == "check":
            result = check_terms(histories, arguments.terms)
            _print_check(result, arguments.json, stdout)
            return 0
        seed = arguments.seed
        if seed is None and arguments.interval == "bca":
            seed = secrets.randbits(32)
        estimate = estimate_population(
            histories,
            method=arguments.method,
            pthresh=arguments.pthresh,
            maxorder=arguments.maxorder,
            interval=arguments.interval,
            nboot=arguments.nboot,
            seed=seed,
            workers=os.process_cpu_count() or 1,
        )
    except (CaptureHistoryError, EstimationError, ValueError) as error:
        print(f"error: {arguments.table}: {error}", file=sys.stderr)
        return 2
    if arguments.json:
        print(json.dumps(estimate.as_json()), file=stdout)
    else:
        print(summary(estimate, source=str(arguments.table), seed=seed), file=stdout)
    if estimate.estimate is None:
        print(f"error: {estimate.check.meaning}", file=sys.stderr)
        return 1
    return 0


def _print_check(result: CheckResult, as_json: bool, stdout: TextIO) -> None:
    if as_json:
        print(json.dumps({"code": int(result.code), "meaning": result.meaning}), file=stdout)
        return
    print(f"Check code {int(result.code)}: {result.meaning}", file=stdout)
    print(f"Linear programme optimum s* = {result.lp_optimum:.6g}", file=stdout)
    print(f"Rank deficiency of the design: {result.rank_deficiency}", file=stdout)


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.1f}"


def summary(estimate: Estimate, *, source: str = "", seed: int | None = None) -> str:
    """A readable report: data, method, model, estimate, interval, fit and caveats."""
    lists = estimate.lists
    lines = [f"Multiple Systems Estimation{' - ' + source if source else ''}"]
    lines.append(f"Lists ({len(lists)}): {', '.join(lists)}")
    lines.append(f"People observed: {estimate.n_observed:,}")
    method = estimate.method
    if method == "stepwise":
        method += " (Chan, Silverman & Vincent; Poisson p-value threshold)"
    elif method == "aic-bhs":
        method += " (forward AIC, stop at Wald p > 0.05)"
    elif method == "bic":
        method += f" (exhaustive; {estimate.models_considered:,} hierarchical models)"
    lines.append(f"Method: {method}")
    lines.append(f"Model: {estimate.model.label(lists).replace('main', 'main effects', 1)}")
    for step in estimate.steps:
        name = ":".join(lists[index] for index in term_lists(step.term))
        lines.append(f"  added {name} ({step.label} {step.statistic:.3g})")
    if estimate.estimate is None:
        lines.append(f"No estimate: {estimate.check.meaning}")
        return "\n".join(lines)
    if estimate.empty_overlaps:
        pairs = ", ".join(":".join(pair) for pair in estimate.empty_overlaps)
        lines.append(f"Empty overlaps in the model (term minus infinity, cells dropped): {pairs}")
    lines.append(f"Estimate: {_number(estimate.estimate)}")
    if estimate.interval is not None:
        low, high = estimate.interval
        described = INTERVAL_NAMES.get(estimate.interval_method, estimate.interval_method)
        lines.append(
            f"{estimate.level:.0%} interval ({described}): {_number(low)} to {_number(high)}"
        )
    if estimate.profile_mle is not None:
        lines.append(f"Profile likelihood maximum: {_number(estimate.profile_mle)}")
    if estimate.bootstrap is not None:
        boot = estimate.bootstrap
        lines.append(
            f"Bootstrap: {boot.replicates.size} replicates (seed {seed}), "
            f"bias correction {boot.bias_correction:.3f}, acceleration {boot.acceleration:.4f}"
        )
    fitted = estimate.fitted
    if fitted is not None:
        residual_df = fitted.layout.cells.size - len(fitted.layout.columns)
        lines.append(
            f"Fit: deviance {fitted.fit.deviance:.2f} on {residual_df} df, "
            f"{fitted.n_parameters} parameters, AIC {fitted.aic:.2f}, BIC {fitted.bic:.2f}"
        )
    lines.extend(f"Note: {note}" for note in estimate.notes)
    lines.append("Caveats:")
    lines.extend(f"  - {caveat}" for caveat in CAVEATS)
    return "\n".join(lines)
