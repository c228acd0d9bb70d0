"""Reads of estimate runs, always through the reader's scope; reads of tables are audited."""

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from polku.accounts.models import User
from polku.audit.services import audit_access
from polku.core.permissions import AnyUser, get_in_scope
from polku.statistics.choices import IntervalMethod, Method, RunStatus
from polku.statistics.models import EstimateRun
from polku.statistics.permissions import can_read_table, estimate_scope
from polku.statistics.wording import CAVEATS


def _runs(user: AnyUser) -> QuerySet[EstimateRun]:
    # The table is left out of every list and page; it is read only by estimate_table.
    return (
        estimate_scope(user)
        .defer("table_csv")
        .select_related("organisation", "created_by", "accepted_by")
    )


def estimate_list(*, user: AnyUser, status: str = "") -> QuerySet[EstimateRun]:
    """The runs the user may see, newest first, optionally of one status."""
    runs = _runs(user)
    if status:
        runs = runs.filter(status=status)
    return runs.order_by("-created_at", "-id")


def estimate_get(*, user: AnyUser, pk: int) -> EstimateRun:
    """One run in the user's scope, without its table; 404 otherwise."""
    return get_in_scope(_runs(user), pk=pk)


def same_table_runs(*, user: AnyUser, run: EstimateRun) -> QuerySet[EstimateRun]:
    """Every run the user may see on the same table (the run itself included), oldest first,
    for comparing methods side by side."""
    return _runs(user).filter(table_digest=run.table_digest).order_by("created_at", "id")


@dataclass(frozen=True)
class CaptureTable:
    """A capture-history table as read for someone allowed to: lists, rows and the CSV."""

    lists: list[str]
    rows: list[tuple[list[int], int]]
    csv_text: str


def estimate_table(*, user: User, run: EstimateRun, purpose: str = "view") -> CaptureTable:
    """The run's capture-history table; each read is recorded as an access event."""
    if not can_read_table(user, run):
        raise PermissionDenied
    text = EstimateRun.objects.values_list("table_csv", flat=True).get(pk=run.pk)
    audit_access(
        actor=user,
        action="statistics.estimate_run.table_read",
        target=run,
        detail={"via": purpose},
    )
    records = list(csv.reader(io.StringIO(text)))
    header, body = records[0], records[1:]
    rows = [([int(value) for value in record[:-1]], int(record[-1])) for record in body]
    return CaptureTable(lists=header[:-1], rows=rows, csv_text=text)


@dataclass(frozen=True)
class ReportedEstimate:
    """An accepted estimate as the annual report may show it: never the table behind it."""

    id: int
    title: str
    reference_year: int
    estimate: float
    interval_low: float
    interval_high: float
    level: float
    interval_method: str
    interval_method_label: str
    method: str
    method_label: str
    model_terms: list[list[str]]
    model_label: str
    lists: list[str]
    n_observed: int
    caveats: list[str]
    organisation: str
    accepted_by: str
    accepted_at: datetime


# Everything the report may read; the table and its per-list counts are not among them.
REPORT_COLUMNS = (
    "id",
    "title",
    "reference_year",
    "estimate",
    "interval_low",
    "interval_high",
    "level",
    "interval_method",
    "method",
    "model_terms",
    "lists",
    "n_observed",
    "organisation__name",
    "organisation__name_fi",
    "organisation__name_sv",
    "accepted_by__username",
    "accepted_by__first_name",
    "accepted_by__last_name",
    "accepted_at",
)


def estimates_for_annual_report(*, year: int) -> list[ReportedEstimate]:
    """The estimates the coordination accepted for the annual report of ``year``.

    Each carries its estimate, interval, method, model and the standard caveats (in the
    active language), never the capture-history table: what is returned may be published.
    """
    runs = (
        EstimateRun.objects.filter(
            reference_year=year, for_annual_report=True, status=RunStatus.FINISHED
        )
        .select_related("organisation", "accepted_by")
        .only(*REPORT_COLUMNS)
        .order_by("title", "id")
    )
    caveats = [str(caveat) for caveat in CAVEATS]
    reported = []
    for run in runs:
        assert run.estimate is not None and run.interval_low is not None
        assert run.interval_high is not None and run.accepted_at is not None
        reported.append(
            ReportedEstimate(
                id=run.pk,
                title=run.title,
                reference_year=run.reference_year,
                estimate=run.estimate,
                interval_low=run.interval_low,
                interval_high=run.interval_high,
                level=run.level,
                interval_method=run.interval_method,
                interval_method_label=str(IntervalMethod(run.interval_method).label),
                method=run.method,
                method_label=str(Method(run.method).label),
                model_terms=[list(term) for term in run.model_terms],
                model_label=run.model_label,
                lists=list(run.lists),
                n_observed=run.n_observed,
                caveats=caveats,
                organisation=str(run.organisation),
                accepted_by=str(run.accepted_by) if run.accepted_by else "",
                accepted_at=run.accepted_at,
            )
        )
    return reported
