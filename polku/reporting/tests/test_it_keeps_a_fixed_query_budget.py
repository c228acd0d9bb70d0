"""Table and report pages run the same number of queries with 1 organisation's returns
(or 1 report) and with 20, and with 1 indicator awaiting its national source and with
every one."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import ClientFor, Personas
from polku.actors.tests.factories import make_organisation
from polku.reporting.choices import ReportStatus
from polku.reporting.outputs import BY_CODE
from polku.reporting.tests.factories import (
    make_population,
    make_report,
    make_return,
    persons,
    standard_year,
    victims,
)
from polku.statistics.models import Indicator
from polku.statistics.services.indicators import assignment_add

pytestmark = pytest.mark.django_db


def _count(client_for: ClientFor, persona: str, url: str) -> int:
    client = client_for(persona)
    client.get(url)  # Warm the session and language caches.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _add_organisations(first: int, count: int) -> None:
    for index in range(first, first + count):
        organisation = make_organisation(name=f"Authority {index}")
        make_return(
            organisation=organisation,
            year=2024,
            figures={
                "registered_victims": victims(
                    30 + index, female=15, male=10, child=2, national=5, sexual=12
                ),
                "suspects": persons(12 + index, male=10, national=4),
            },
        )


TABLE_PAGES = [
    (
        "national",
        "rapporteur",
        "/reports/tables/?year=2024&indicator=registered_victims&dimension=sex",
    ),
    (
        "internal",
        "coordinator",
        "/reports/tables/?year=2024&indicator=registered_victims&dimension=exploitation_form&version=internal",
    ),
    (
        "download",
        "coordinator",
        "/reports/tables/download.xlsx?year=2024&indicator=suspects&dimension=citizenship",
    ),
    ("template", "secretariat", "/reports/templates/eu-directive/?year=2024"),
    ("template-download", "rapporteur", "/reports/templates/greta/download.csv?year=2024"),
]


@pytest.mark.parametrize(
    ("name", "persona", "url"), TABLE_PAGES, ids=[page[0] for page in TABLE_PAGES]
)
def test_it_keeps_table_pages_flat(
    personas: Personas, client_for: ClientFor, name: str, persona: str, url: str
) -> None:
    """19 more organisations' returns add no query."""
    _add_organisations(0, 1)
    one = _count(client_for, persona, url)
    _add_organisations(1, 19)
    twenty = _count(client_for, persona, url)
    assert one == twenty, name


REPORT_PAGES: list[tuple[str, str, Callable[[], str]]] = [
    ("list", "coordinator", lambda: "/reports/"),
    ("public-list", "anonymous", lambda: "/reports/"),
]


@pytest.mark.parametrize(
    ("name", "persona", "url"), REPORT_PAGES, ids=[page[0] for page in REPORT_PAGES]
)
def test_it_keeps_report_lists_flat(
    personas: Personas, client_for: ClientFor, name: str, persona: str, url: Callable[[], str]
) -> None:
    make_report(requested_by=personas.coordinator, year=2000, status=ReportStatus.PUBLISHED)
    one = _count(client_for, persona, url())
    for year in range(2001, 2020):
        make_report(requested_by=personas.secretariat, year=year, status=ReportStatus.PUBLISHED)
    twenty = _count(client_for, persona, url())
    assert one == twenty, name


def _designate_awaited_sources(personas: Personas, codes: list[str]) -> None:
    """A national source for each indicator that has not started its 2024 return."""
    for code in codes:
        assignment_add(
            actor=personas.coordinator,
            organisation=make_organisation(name=f"Source of {code}"),
            indicator=Indicator.objects.get(code=code),
            from_year=2020,
            is_national_source=True,
        )


AWAITED_PAGES = [
    ("template", "secretariat", "/reports/templates/greta/?year=2024"),
    ("template-csv", "rapporteur", "/reports/templates/greta/download.csv?year=2024"),
    ("template-json", "rapporteur", "/reports/templates/greta/download.json?year=2024"),
    ("sdg", "rapporteur", "/reports/templates/sdg-16-2-2/?year=2024"),
    (
        "national",
        "rapporteur",
        "/reports/tables/?year=2024&indicator=registered_victims&dimension=",
    ),
]


@pytest.mark.parametrize(
    ("name", "persona", "url"), AWAITED_PAGES, ids=[page[0] for page in AWAITED_PAGES]
)
def test_it_finds_awaited_national_sources_in_a_fixed_number_of_queries(
    personas: Personas, client_for: ClientFor, name: str, persona: str, url: str
) -> None:
    """Every indicator of the template awaiting its national source costs no more queries
    than one indicator doing so."""
    standard_year(2024)
    make_population(2024)
    greta = [section.indicator for section in BY_CODE["greta"].sections]
    _designate_awaited_sources(personas, greta[:1])
    one = _count(client_for, persona, url)
    _designate_awaited_sources(personas, greta[1:])
    every = _count(client_for, persona, url)
    assert one == every, name
    # What was counted is the page or download that says so.
    assert b"Awaiting" in client_for(persona).get(url).content
