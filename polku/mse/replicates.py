"""Running the estimator on many resampled tables, optionally over several processes."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from polku.mse.estimate import ReplicateOptions, Workspace

IntArray = npt.NDArray[np.int64]
Progress = Callable[[int, int], None]

# The estimator's matrices are tiny; threaded BLAS in every worker process only makes the
# workers fight over the cores (measured: 1.6x slower on two cores).
SINGLE_THREADED = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
# Replicates per unit of work: small enough for steady progress reports and load balance,
# large enough that sending the workspace to a process is paid rarely.
CHUNK = 64


def run_replicates(
    samples: list[IntArray],
    options: ReplicateOptions,
    workspace: Workspace,
    workers: int = 1,
    progress: Progress | None = None,
) -> list[float | None]:
    """Estimates for each sample, in order; ``progress(done, total)`` after each chunk.

    With several workers each process gets a copy of ``workspace`` (as prepared on the
    original table); the caches only change speed, so the estimates do not depend on how
    the samples are split.
    """
    chunks = [samples[start : start + CHUNK] for start in range(0, len(samples), CHUNK)]
    results: list[list[float | None]] = [[] for _ in chunks]
    done = 0
    if workers <= 1 or len(chunks) < 2:
        for index, chunk in enumerate(chunks):
            results[index] = _run_chunk(chunk, options, workspace)
            done += len(chunk)
            if progress is not None:
                progress(done, len(samples))
        return [value for part in results for value in part]
    # Fresh (spawned) interpreters read the thread settings when they import numpy; forked
    # ones would inherit this process's already-started BLAS threads.
    context = multiprocessing.get_context("spawn")
    with (
        _environment(SINGLE_THREADED),
        ProcessPoolExecutor(max_workers=min(workers, len(chunks)), mp_context=context) as pool,
    ):
        futures = {
            pool.submit(_run_chunk, chunk, options, workspace): index
            for index, chunk in enumerate(chunks)
        }
        for future in as_completed(futures):
            index = futures[future]
            results[index] = future.result()
            done += len(chunks[index])
            if progress is not None:
                progress(done, len(samples))
    return [value for part in results for value in part]


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
