"""Time and peak memory of `polku stats protect` on a four-way table with all its margins.

A fictional table of identified victims, about a year's EU-wide total: sex (3) x age
group (3) x citizenship group (4) x form of exploitation (9) = 324 interior cells, 800
with every marginal total, counts drawn with a fixed seed from a log-linear model (main
effects and a few interactions), so that, as in real returns, a few cells are large and
about half are below the threshold.
The command runs as a statistician would run it (CSV in, CSV out); then the protected
table is attacked afresh, every programme solved, to show that nothing is exposed.

Target on two cores: protection under 5 s. Run with `.venv/bin/python bench/disclosure_bench.py`.
Wall time depends on what else the machine is doing; CPU seconds much less.
"""

import contextlib
import csv
import io
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from polku.statistics.disclosure.attack import Status, attack
from polku.statistics.disclosure.cli import main as stats_main
from polku.statistics.disclosure.protect import protect
from polku.statistics.disclosure.table import read_frequency_table

SEED = 20261128
THRESHOLD = 10
TARGET_SECONDS = 5.0
SEX = ["female", "male", "unknown"]
AGE = ["child", "adult", "unknown"]
CITIZENSHIP = ["national", "EU", "non-EU", "unknown"]
EXPLOITATION = [
    "sexual",
    "labour",
    "begging",
    "criminal activities",
    "forced marriage",
    "domestic servitude",
    "organ removal",
    "benefit fraud",
    "other",
]


def fictional_table() -> str:
    """The table as CSV: one row per cell, a count column."""
    generator = np.random.default_rng(SEED)
    log_mean = (
        np.log(np.array([0.55, 0.40, 0.05]))[:, None, None, None]
        + np.log(np.array([0.20, 0.72, 0.08]))[None, :, None, None]
        + np.log(np.array([0.25, 0.20, 0.45, 0.10]))[None, None, :, None]
        + np.log(np.array([0.30, 0.30, 0.06, 0.08, 0.06, 0.06, 0.01, 0.08, 0.05]))
    )
    # Women more often in sexual exploitation, men in labour; children more often national.
    log_mean[0, :, :, 0] += 0.9
    log_mean[1, :, :, 1] += 0.8
    log_mean[:, 0, 0, :] += 0.7
    counts = generator.poisson(12000 * np.exp(log_mean) / np.exp(log_mean).sum())
    rows = ["sex,age group,citizenship group,form of exploitation,count"]
    for (s, a, c, e), count in np.ndenumerate(counts):
        rows.append(f"{SEX[s]},{AGE[a]},{CITIZENSHIP[c]},{EXPLOITATION[e]},{count}")
    return "\n".join(rows) + "\n"


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_command(path: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stderr(io.StringIO()):
        status = stats_main(["protect", path, "--threshold", str(THRESHOLD)], out=out)
    return status, out.getvalue()


def main() -> None:
    text = fictional_table()
    table = read_frequency_table(text)
    counts = table.counts
    print(
        f"Disclosure control: {' x '.join(map(str, counts.shape))} table, "
        f"{counts.size} interior cells, {table.with_margins().n_cells} with all margins, "
        f"{int(counts.sum())} people; {int((counts < THRESHOLD).sum())} interior cells "
        f"below {THRESHOLD} ({int((counts == 0).sum())} zeros), largest {int(counts.max())}"
    )
    with tempfile.TemporaryDirectory() as directory:
        path = str(Path(directory) / "table.csv")
        Path(path).write_text(text, encoding="utf-8")
        run_command(path)  # warm up imports and caches
        started, cpu_started = time.perf_counter(), cpu_seconds()
        status, output = run_command(path)
        elapsed, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
        tracemalloc.start()
        run_command(path)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(output)))
    statuses = [row["status"] for row in rows]
    verdict = "within" if elapsed < TARGET_SECONDS else "OVER"
    print(
        f"polku stats protect: {elapsed:.2f} s ({verdict} the {TARGET_SECONDS:.0f} s target; "
        f"{cpu:.2f} CPU seconds); peak traced memory {peak / 2**20:.1f} MB, "
        f"peak resident {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    protection = protect(table, threshold=THRESHOLD)
    print(
        f"Suppressed: {statuses.count('primary')} primary + {statuses.count('secondary')} "
        f"secondary of {len(rows)} cells. {protection.summary()}"
    )
    started = time.perf_counter()
    ranges = attack(protection.table, protection.suppressed)
    attack_seconds = time.perf_counter() - started
    primary = protection.status == Status.PRIMARY
    secondary = protection.status == Status.SECONDARY
    narrowest_primary = float(ranges.width[primary].min()) if primary.any() else float("inf")
    narrowest_secondary = float(ranges.width[secondary].min()) if secondary.any() else float("inf")
    print(
        f"Independent attack on the {int(protection.suppressed.sum())} suppressed cells: "
        f"{attack_seconds:.2f} s; narrowest range of a primary cell {narrowest_primary:.1f} "
        f"(needs {THRESHOLD}), of a secondary cell {narrowest_secondary:.1f} (needs 1)"
    )


if __name__ == "__main__":
    main()
