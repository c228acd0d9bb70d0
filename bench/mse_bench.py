"""Time and peak memory of Multiple Systems Estimation with BCa bootstrap intervals.

(a) stepwise selection + BCa with 1,000 replicates on UKdat (6 lists);
(b) exhaustive BIC search up to 4-list interactions + BCa with 1,000 replicates on UKdat_5
    (the whole model search is redone in every replicate).

Targets on two cores: (a) under 10 s, (b) under 60 s. Run with
`.venv/bin/python bench/mse_bench.py` (BENCH_WORKERS sets the processes, default 2;
BENCH_NBOOT the replicates, default 1000). Wall time depends on what else the machine is
doing; the CPU seconds (all processes) do much less.
"""

import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from polku.mse.estimate import estimate_population
from polku.mse.histories import read_capture_histories

DATA = Path(__file__).resolve().parent.parent / "polku" / "mse" / "tests" / "data"
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
NBOOT = int(os.environ.get("BENCH_NBOOT", "1000"))
SEED = 20140101

CASES: list[tuple[str, str, dict[str, Any], float]] = [
    ("(a) UKdat, stepwise + BCa", "UKdat.csv", {"method": "stepwise"}, 10.0),
    ("(b) UKdat_5, bic maxorder 4 + BCa", "UKdat_5.csv", {"method": "bic", "maxorder": 4}, 60.0),
]


def cpu_seconds() -> float:
    """User + system time of this process and of its finished workers."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_megabytes() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest worker, in MB (Linux: KB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def main() -> None:
    print(f"Multiple Systems Estimation, {NBOOT} bootstrap replicates, {WORKERS} worker(s)")
    for label, filename, options, target in CASES:
        histories = read_capture_histories((DATA / filename).read_text())
        started = time.perf_counter()
        cpu_started = cpu_seconds()
        result = estimate_population(
            histories, interval="bca", nboot=NBOOT, seed=SEED, workers=WORKERS, **options
        )
        elapsed = time.perf_counter() - started
        cpu = cpu_seconds() - cpu_started
        own, children = peak_megabytes()
        assert result.estimate is not None and result.interval is not None
        low, high = result.interval
        verdict = "within" if elapsed < target else "OVER"
        print(
            f"{label}: {elapsed:.1f} s ({verdict} the {target:.0f} s target; "
            f"{cpu:.1f} CPU seconds over all processes); "
            f"peak memory {own:.0f} MB main process, {children:.0f} MB largest worker; "
            f"N = {result.estimate:.0f}, 95% BCa ({low:.0f}, {high:.0f}), "
            f"model {result.model.label(histories.lists)}"
        )


if __name__ == "__main__":
    main()
