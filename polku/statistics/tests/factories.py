"""Estimate runs in each state, and the reference tables, for the statistics tests."""

from pathlib import Path
from typing import Any

from django.utils import timezone

from polku.accounts.models import User
from polku.actors.models import Organisation
from polku.statistics.choices import IntervalMethod, Method, RunStatus
from polku.statistics.models import EstimateRun
from polku.statistics.services import read_table, stored_table

DATA = Path(__file__).resolve().parents[2] / "mse" / "tests" / "data"

SMALL_TABLE = "A,B,C,count\n1,0,0,30\n0,1,0,25\n0,0,1,20\n1,1,0,8\n1,0,1,6\n0,1,1,5\n1,1,1,2\n"


def reference_csv(name: str) -> str:
    """The text of one of the shipped tables: UKdat_5, UKdat, NewOrl, NewOrl_5."""
    return (DATA / f"{name}.csv").read_text()


def make_run(
    *,
    created_by: User,
    organisation: Organisation,
    for_coordination: bool = True,
    table: str = SMALL_TABLE,
    status: str = RunStatus.FINISHED,
    **fields: Any,
) -> EstimateRun:
    """A run stored as the worker would leave it (finished, with a result, by default)."""
    stored = stored_table(read_table(table))
    values: dict[str, Any] = {
        "title": "Victims of labour exploitation",
        "reference_year": 2025,
        "method": Method.STEPWISE,
        "interval_method": IntervalMethod.WALD,
        "status": status,
        "progress_done": 1,
        "progress_total": 1,
    }
    if status == RunStatus.FINISHED:
        values.update(
            estimate=140.6,
            interval_low=118.2,
            interval_high=181.9,
            model_terms=[["A", "B"]],
            check_code=0,
            diagnostics={
                "check": {"code": 0, "lp_optimum": 1.5, "rank_deficiency": 0},
                "fit": {
                    "deviance": 1.2,
                    "residual_df": 2,
                    "parameters": 5,
                    "aic": 40.1,
                    "bic": 52.3,
                    "converged": True,
                },
                "selection": {
                    "steps": [{"term": ["A", "B"], "kind": "p_value", "statistic": 0.001}],
                    "models_considered": 0,
                    "models_excluded": 0,
                },
                "bootstrap": None,
            },
            started_at=timezone.now(),
            finished_at=timezone.now(),
        )
    values.update(fields)
    return EstimateRun.objects.create(
        organisation=organisation,
        for_coordination=for_coordination,
        lists=stored.lists,
        list_totals=stored.list_totals,
        n_histories=stored.n_histories,
        n_observed=stored.n_observed,
        table_csv=stored.csv_text,
        table_digest=stored.digest,
        created_by=created_by,
        updated_by=created_by,
        **values,
    )
