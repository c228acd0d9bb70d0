"""Fixtures for reporting's tests: years of accepted returns and a generated report.

Most tests need a generated report but not its PDF files, which take seconds each to lay
out; ``generated_report`` writes a one-page stand-in instead. The PDF itself is tested in
test_it_generates_the_annual_report.py with the real writer.
"""

from collections.abc import Callable
from typing import Any

import pytest

from conftest import Personas
from polku.reporting import documents, services
from polku.reporting.models import AnnualReport
from polku.reporting.tests.factories import make_population, standard_year

STAND_IN_PDF = b"%PDF-1.7 stand-in"


@pytest.fixture
def returns(personas: Personas) -> None:
    for year in (2022, 2023, 2024):
        standard_year(year)
    make_population(2024)


@pytest.fixture
def generate(
    returns: None,
    personas: Personas,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> Callable[..., AnnualReport]:
    monkeypatch.setattr(documents, "render_pdf", lambda **kwargs: STAND_IN_PDF)

    def generate(year: int = 2024) -> AnnualReport:
        with django_capture_on_commit_callbacks(execute=True):
            report = services.report_generate_start(actor=personas.coordinator, year=year)
        report.refresh_from_db()
        return report

    return generate


@pytest.fixture
def generated_report(generate: Callable[..., AnnualReport]) -> AnnualReport:
    return generate()


@pytest.fixture
def published_report(generated_report: AnnualReport, personas: Personas) -> AnnualReport:
    return services.report_publish(actor=personas.coordinator, report=generated_report)
