"""Estimates run by the task worker, so that a bootstrap never holds up a page."""

import os

from django.conf import settings
from django.tasks import task

from polku.statistics.services import estimate_run_execute


def workers() -> int:
    """Processes for the bootstrap: ``POLKU_MSE_WORKERS``, else one per available core."""
    configured = int(getattr(settings, "POLKU_MSE_WORKERS", 0) or 0)
    return configured if configured > 0 else (os.process_cpu_count() or 1)


@task()
def estimate_run_task(*, run_id: int) -> str:
    """Runs a queued estimate; returns the run's final status ("skipped" if already run)."""
    return estimate_run_execute(run_id=run_id, workers=workers())
