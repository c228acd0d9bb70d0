"""The annual report shows accepted estimates of the hidden population: estimate and
interval with the caveats, never the capture-history table."""

import json
from collections.abc import Callable

import pytest
from django.utils import timezone

from conftest import Personas
from polku.reporting.models import AnnualReport, ReportDocument
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
