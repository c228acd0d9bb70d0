"""The annual report shows accepted estimates of the hidden population: estimate and
interval with the caveats, never the capture-history table."""

import json
from collections.abc import Callable

import pytest
from django.utils import timezone

from conftest import Personas
from polku.reporting.models import AnnualReport, ReportDocument
from polku.statistics.models import EstimateRun
from polku.statistics.tests.factories import make_run

pytestmark = pytest.mark.django_db


def test_it_shows_the_estimate_and_interval_and_never_the_table(
    personas: Personas, generate: Callable[..., AnnualReport]
) -> None:
    run = make_run(
        created_by=personas.coordinator,
        organisation=personas.interior,
        reference_year=2024,
        for_annual_report=True,
        accepted_by=personas.coordinator,
        accepted_at=timezone.now(),
    )
    make_run(
        created_by=personas.coordinator,
        organisation=personas.interior,
        reference_year=2024,
        title="Not accepted",
    )
    report = generate()
    [estimate] = report.data["estimates"]
    assert (estimate["estimate"], estimate["low"], estimate["high"]) == (141, 118, 182)
    assert estimate["title"] == run.title
    assert estimate["caveats"]["en"] and estimate["caveats"]["fi"]
    stored = json.dumps(report.data)
    assert run.table_csv not in stored
    html = ReportDocument.objects.get(report=report, language="en").html
    assert "An estimated 141 people in all, with a 95% interval from 118 to 182." in html
    assert "Not accepted" not in html


def test_it_withholds_a_count_of_people_seen_below_the_threshold(
    personas: Personas, generate: Callable[..., AnnualReport]
) -> None:
    """The people seen on the lists are a count like any other: below 10 they show as "<10"."""
    run = make_run(
        created_by=personas.coordinator,
        organisation=personas.interior,
        reference_year=2024,
        for_annual_report=True,
        accepted_by=personas.coordinator,
        accepted_at=timezone.now(),
    )
    EstimateRun.objects.filter(pk=run.pk).update(n_observed=7)
    report = generate()
    [estimate] = report.data["estimates"]
    assert estimate["observed"] is None
    html = ReportDocument.objects.get(report=report, language="en").html
    assert "&lt;10 people were on at least one of" in html
