"""Every read of a capture-history table is recorded; pages that do not show it read nothing
of it, and the admin never shows it."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import ClientFor, Personas
from polku.audit.models import AuditEvent
from polku.statistics import services
from polku.statistics.models import EstimateRun
from polku.statistics.services import EstimateOptions
from polku.statistics.tests.factories import SMALL_TABLE, make_run


def _reads(run: EstimateRun) -> list[tuple[int | None, dict[str, Any]]]:
    return [
        (event.actor_id, event.detail)
        for event in AuditEvent.objects.filter(
            kind=AuditEvent.Kind.ACCESS,
            action="statistics.estimate_run.table_read",
            target_id=str(run.pk),
        ).order_by("id")
    ]


def test_it_records_each_look_at_the_table(personas: Personas, client_for: ClientFor) -> None:
    """Viewing and downloading the table are each an access event naming the reader."""
    run = make_run(created_by=personas.secretariat, organisation=personas.justice)
    client = client_for("coordinator")
    page = client.get(reverse("statistics:estimate_table", args=[run.pk]))
    assert page.status_code == 200
    assert "Small-cell data" in page.text
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">30</td>' in page.text
    assert "no-store" in page["Cache-Control"]
    download = client.get(reverse("statistics:estimate_table_csv", args=[run.pk]))
    assert download.content.decode() == SMALL_TABLE
    assert _reads(run) == [
        (personas.coordinator.pk, {"via": "view"}),
        (personas.coordinator.pk, {"via": "download"}),
    ]


def test_it_records_no_read_for_refused_visitors(personas: Personas, client_for: ClientFor) -> None:
    """A visitor who may not see the run reads nothing and leaves no access event."""
    run = make_run(created_by=personas.secretariat, organisation=personas.justice)
    for persona in ("dataprovider", "practitioner", "outsider", "anonymous"):
        response = client_for(persona).get(reverse("statistics:estimate_table", args=[run.pk]))
        assert response.status_code in (302, 404)
    assert _reads(run) == []


def test_it_reads_no_table_on_the_pages_that_do_not_show_it(
    personas: Personas, client_for: ClientFor
) -> None:
    """List, result and comparison pages never select the table's column."""
    run = make_run(created_by=personas.secretariat, organisation=personas.justice)
    client = client_for("secretariat")
    for url in (
        reverse("statistics:estimate_list"),
        run.get_absolute_url(),
        reverse("statistics:estimate_compare", args=[run.pk]),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert not any("table_csv" in query["sql"] for query in queries), url
    assert _reads(run) == []


def test_it_records_the_copy_made_to_run_again(
    personas: Personas, client_for: ClientFor, django_capture_on_commit_callbacks: Any
) -> None:
    """Running again reads the table to copy it; that read is recorded too."""
    run = make_run(created_by=personas.secretariat, organisation=personas.justice)
    with django_capture_on_commit_callbacks(execute=True):
        client_for("secretariat").post(
            reverse("statistics:estimate_rerun", args=[run.pk]),
            {
                "title": "Again",
                "method": "main",
                "interval": "wald",
                "level": "0.95",
                "pthresh": "0.02",
                "nboot": "1000",
            },
        )
    again = EstimateRun.objects.exclude(pk=run.pk).get()
    assert _reads(run) == [(personas.secretariat.pk, {"via": "rerun", "copied_to": again.pk})]
    assert _reads(again) == [(None, {"via": "task"})]


def test_it_keeps_the_table_out_of_the_admin(personas: Personas, client: Any) -> None:
    """The admin shows a run without its table, and records the look."""
    run = make_run(created_by=personas.secretariat, organisation=personas.justice)
    personas.admin.is_staff = True
    personas.admin.is_superuser = True
    personas.admin.save()
    client.force_login(personas.admin)
    page = client.get(reverse("admin:statistics_estimaterun_change", args=[run.pk]))
    assert page.status_code == 200
    assert "1,0,0,30" not in page.text
    assert "Victims of labour exploitation" in page.text
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.ACCESS, action="statistics.estimaterun.view"
    ).exists()
    assert _reads(run) == []


def test_it_reads_no_table_for_a_refused_rerun(personas: Personas) -> None:
    """Options refused before the copy leave the table unread and nothing written."""
    run = make_run(created_by=personas.secretariat, organisation=personas.justice)
    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError):
        services.estimate_run_rerun(
            actor=personas.secretariat, run=run, options=EstimateOptions(maxorder=5)
        )
    assert not any("table_csv" in query["sql"] for query in queries)
    assert _reads(run) == []
    assert EstimateRun.objects.count() == 1
