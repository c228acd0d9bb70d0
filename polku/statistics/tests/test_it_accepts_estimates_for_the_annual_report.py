"""The coordination accepts a finished estimate for the annual report and withdraws it; the
report reads accepted estimates with their interval and caveats, never the table."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from conftest import Personas
from polku.audit.models import AuditEvent
from polku.mse.estimate import CAVEATS as MSE_CAVEATS
from polku.statistics import services
from polku.statistics.choices import IntervalMethod, RunStatus
from polku.statistics.models import EstimateRun
from polku.statistics.selectors import estimates_for_annual_report
from polku.statistics.tests.factories import make_run
from polku.statistics.wording import CAVEATS


def _run(personas: Personas, **fields: Any) -> EstimateRun:
    return make_run(created_by=personas.secretariat, organisation=personas.justice, **fields)


def test_it_accepts_a_finished_estimate_and_audits_it(personas: Personas) -> None:
    """The coordinator accepts the secretariat's run; who and when are recorded."""
    run = _run(personas)
    replaced = services.estimate_run_accept(actor=personas.coordinator, run=run)
    assert replaced == []
    run.refresh_from_db()
    assert run.for_annual_report
    assert run.accepted_by == personas.coordinator
    assert run.accepted_at is not None
    event = AuditEvent.objects.get(action="statistics.estimate_run.accept")
    assert event.actor == personas.coordinator
    assert event.after is not None and event.after["for_annual_report"] is True


def test_it_keeps_one_figure_per_table_and_year(personas: Personas) -> None:
    """Accepting another method's run on the same table withdraws the earlier one."""
    first = _run(personas)
    second = _run(personas, method="main", estimate=150.0)
    other_table = _run(personas, table="A,B,count\n1,0,9\n0,1,7\n1,1,3\n")
    other_year = _run(personas, reference_year=2024)
    for run in (first, other_table, other_year):
        services.estimate_run_accept(actor=personas.secretariat, run=run)
    replaced = services.estimate_run_accept(actor=personas.secretariat2, run=second)
    assert [run.pk for run in replaced] == [first.pk]
    reported = set(EstimateRun.objects.filter(for_annual_report=True).values_list("pk", flat=True))
    assert reported == {second.pk, other_table.pk, other_year.pk}
    withdrawal = AuditEvent.objects.get(action="statistics.estimate_run.withdraw")
    assert withdrawal.target_id == str(first.pk)
    assert withdrawal.detail == {"replaced_by": second.pk}


@pytest.mark.parametrize(
    "fields",
    [
        {"status": RunStatus.NOT_ESTIMABLE},
        {"status": RunStatus.FAILED},
        {"status": RunStatus.QUEUED},
        {"interval_method": IntervalMethod.NONE, "interval_low": None, "interval_high": None},
    ],
    ids=["not estimable", "failed", "queued", "without an interval"],
)
def test_it_accepts_only_an_estimate_with_an_interval(
    personas: Personas, fields: dict[str, Any]
) -> None:
    """No number, or a number without an interval, cannot go into the report."""
    run = _run(personas, **fields)
    with pytest.raises(ValidationError) as caught:
        services.estimate_run_accept(actor=personas.coordinator, run=run)
    assert "finished estimate with an interval" in caught.value.messages[0]
    run.refresh_from_db()
    assert not run.for_annual_report


@pytest.mark.parametrize("persona", ["dataprovider", "rapporteur", "practitioner"])
def test_it_lets_only_the_coordination_accept(personas: Personas, persona: str) -> None:
    """Only the coordinator and the secretariat decide what goes into the report."""
    run = _run(personas)
    with pytest.raises(PermissionDenied):
        services.estimate_run_accept(actor=getattr(personas, persona), run=run)


def test_it_never_accepts_an_organisations_own_run(personas: Personas) -> None:
    """A data provider's run stays its own: the coordination cannot put it in the report."""
    run = make_run(
        created_by=personas.dataprovider,
        organisation=personas.dataprovider.memberships.get().organisation,
        for_coordination=False,
    )
    with pytest.raises(PermissionDenied):
        services.estimate_run_accept(actor=personas.coordinator, run=run)


def test_it_withdraws_an_estimate(personas: Personas) -> None:
    """Withdrawing takes the run out of the report and clears who accepted it."""
    run = _run(personas)
    services.estimate_run_accept(actor=personas.coordinator, run=run)
    services.estimate_run_withdraw(actor=personas.secretariat, run=run)
    run.refresh_from_db()
    assert (run.for_annual_report, run.accepted_by, run.accepted_at) == (False, None, None)
    assert estimates_for_annual_report(year=run.reference_year) == []
    assert AuditEvent.objects.filter(action="statistics.estimate_run.withdraw").count() == 1


def test_it_deletes_only_a_run_outside_the_report(personas: Personas) -> None:
    """An accepted run must be withdrawn first; a deleted run leaves an audit event."""
    run = _run(personas)
    services.estimate_run_accept(actor=personas.coordinator, run=run)
    with pytest.raises(PermissionDenied):
        services.estimate_run_delete(actor=personas.secretariat, run=run)
    services.estimate_run_withdraw(actor=personas.coordinator, run=run)
    run.refresh_from_db()
    services.estimate_run_delete(actor=personas.secretariat, run=run)
    assert not EstimateRun.objects.filter(pk=run.pk).exists()
    event = AuditEvent.objects.get(action="statistics.estimate_run.delete")
    assert event.before is not None and "table_csv" not in event.before


def test_it_refuses_to_delete_a_run_accepted_meanwhile(personas: Personas) -> None:
    """The check is made on the row as it is now, not as the page saw it."""
    run = _run(personas)
    stale = EstimateRun.objects.get(pk=run.pk)
    services.estimate_run_accept(actor=personas.coordinator, run=run)
    with pytest.raises(ValidationError):
        services.estimate_run_delete(actor=personas.secretariat, run=stale)
    assert EstimateRun.objects.filter(pk=run.pk).exists()


def test_it_gives_the_annual_report_the_estimate_and_never_the_table(
    personas: Personas,
) -> None:
    """The report's selector returns year, estimate, interval, method, model and caveats;
    the table's column is not even read."""
    accepted = _run(personas, title="Victims of forced labour")
    services.estimate_run_accept(actor=personas.coordinator, run=accepted)
    _run(personas, title="Not accepted")
    with CaptureQueriesContext(connection) as queries:
        reported = estimates_for_annual_report(year=2025)
    assert len(queries) == 1
    assert "table_csv" not in queries[0]["sql"]
    assert "list_totals" not in queries[0]["sql"]
    assert estimates_for_annual_report(year=2024) == []
    [item] = reported
    assert item.title == "Victims of forced labour"
    assert item.reference_year == 2025
    assert (item.estimate, item.interval_low, item.interval_high) == (140.6, 118.2, 181.9)
    assert item.level == 0.95
    assert item.method == "stepwise"
    assert item.interval_method == "wald"
    assert item.model_terms == [["A", "B"]]
    assert item.model_label == "main + A:B"
    assert item.n_observed == 96
    assert item.caveats == [str(caveat) for caveat in CAVEATS]
    assert item.accepted_by == str(personas.coordinator)
    assert not any("1,0,0,30" in str(value) for value in vars(item).values())
    assert not hasattr(item, "table_csv")


def test_it_says_every_caveat_the_estimator_gives() -> None:
    """In English the product's caveats are those of polku.mse, item for item."""
    with translation.override("en"):
        ours = [str(caveat).lower() for caveat in CAVEATS]
    assert ours == [caveat.lower() for caveat in MSE_CAVEATS]
