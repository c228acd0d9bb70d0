"""Writes to estimate runs. Each is typed, keyword-only, audited and runs in one transaction."""

from polku.statistics.services.estimates import (
    EstimateOptions,
    estimate_run_accept,
    estimate_run_delete,
    estimate_run_rerun,
    estimate_run_start,
    estimate_run_withdraw,
    validate_options,
)
from polku.statistics.services.execution import ProgressReporter, estimate_run_execute
from polku.statistics.services.tables import (
    EXAMPLE_TABLE,
    decode_upload,
    problem_message,
    read_table,
    stored_table,
)

__all__ = [
    "EXAMPLE_TABLE",
    "EstimateOptions",
    "ProgressReporter",
    "decode_upload",
    "estimate_run_accept",
    "estimate_run_delete",
    "estimate_run_execute",
    "estimate_run_rerun",
    "estimate_run_start",
    "estimate_run_withdraw",
    "problem_message",
    "read_table",
    "stored_table",
    "validate_options",
]
