"""Running the estimator on many resampled tables, optionally over several processes."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from polku.mse.estimate import ReplicateOptions, Workspace

IntArray = npt.NDArray[np.int64]

# The estimator's matrices are tiny; threaded BLAS in every worker process only makes the
# workers fight over the cores (measured: 1.6x slower on two cores).
SINGLE_THREADED = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def run_replicates(
    samples: list[IntArray],
    options: ReplicateOptions,
    workspace: Workspace,
    workers: int = 1,
) -> list[float | None]:
    """Estimates for each sample, in order.

    With several workers each process gets a copy of ``workspace`` (as prepared on the
    original table) and a contiguous share of the samples; the caches only change speed, so
    the estimates do not depend on how the samples are split.
    """
    if workers <= 1 or len(samples) < 2 * workers:
        return _run_chunk(samples, options, workspace)
    size = -(-len(samples) // workers)
    chunks = [samples[start : start + size] for start in range(0, len(samples), size)]
    # Fresh (spawned) interpreters read the thread settings when they import numpy; forked
    # ones would inherit this process's already-started BLAS threads.
    context = multiprocessing.get_context("spawn")
    with (
        _environment(SINGLE_THREADED),
        ProcessPoolExecutor(max_workers=len(chunks), mp_context=context) as pool,
    ):
        parts = list(
            pool.map(_run_chunk, chunks, [options] * len(chunks), [workspace] * len(chunks))
        )
    return [value for part in parts for value in part]


def _run_chunk(
    samples: list[IntArray], options: ReplicateOptions, workspace: Workspace
) -> list[float | None]:
    from polku.mse.estimate import replicate_estimate

    return [replicate_estimate(sample, options, workspace) for sample in samples]


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
