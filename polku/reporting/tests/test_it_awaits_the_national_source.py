"""Where an indicator's national source has no accepted return for a year, the national
tables show no figure for it and say whose accepted return they wait for; no other
organisation's count stands in (that would count a person twice)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import ClientFor, Personas
from polku.actors.models import Organisation
from polku.actors.tests.factories import make_organisation
from polku.reporting.tests.factories import make_return, standard_year, victims
from polku.statistics.choices_returns import ReturnStatus
from polku.statistics.models import Indicator, Return
from polku.statistics.services.indicators import assignment_add

pytestmark = pytest.mark.django_db

VICTIMS = "/reports/tables/?year=2024&indicator=registered_victims&dimension="
AWAITING = (
    "Awaiting Assistance system's accepted return, the national source for this indicator; "
    "no national figure is shown until it is accepted."
)


@pytest.fixture
def awaited(personas: Personas) -> Organisation:
    """The assistance system is the national source of registered victims; its 2024 return
    is only validated, while the police's is accepted."""
    standard_year(2024)
    assistance = Organisation.objects.get(name="Assistance system")
    Return.objects.filter(organisation=assistance, year=2024).update(
        status=ReturnStatus.VALIDATED, accepted_at=None
    )
    assignment_add(
        actor=personas.coordinator,
        organisation=assistance,
        indicator=Indicator.objects.get(code="registered_victims"),
        from_year=2020,
        is_national_source=True,
    )
    return assistance


def test_it_says_whose_accepted_return_the_national_figure_awaits(
    awaited: Organisation, client_for: ClientFor
) -> None:
    page = client_for("rapporteur").get(VICTIMS).content.decode()
    assert AWAITING in page
    assert "No accepted figures for this indicator" not in page
    # The police's accepted 40 is not shown as the national figure.
    assert "govuk-table__cell--numeric" not in page
    suspects = client_for("rapporteur").get(
        "/reports/tables/?year=2024&indicator=suspects&dimension="
    )
    assert "Awaiting" not in suspects.content.decode()


def test_it_shows_the_figure_once_the_source_is_accepted(
    awaited: Organisation, client_for: ClientFor
) -> None:
    Return.objects.filter(organisation=awaited, year=2024).update(
        status=ReturnStatus.ACCEPTED, accepted_at="2025-03-01T00:00:00Z"
    )
    page = client_for("secretariat").get(VICTIMS).content.decode()
    assert "Awaiting" not in page
    assert "govuk-table__cell--numeric" in page


def _count(client_for: ClientFor, url: str) -> int:
    client = client_for("coordinator")
    client.get(url)  # Warm the session and language caches.
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_it_finds_the_awaited_source_in_a_fixed_number_of_queries(
    awaited: Organisation, client_for: ClientFor, personas: Personas
) -> None:
    """19 more organisations reporting the indicator, each with a return, add no query."""
    one = _count(client_for, VICTIMS)
    victims_indicator = Indicator.objects.get(code="registered_victims")
    for index in range(19):
        organisation = make_organisation(name=f"Authority {index}")
        assignment_add(
            actor=personas.coordinator,
            organisation=organisation,
            indicator=victims_indicator,
            from_year=2020,
        )
        make_return(
            organisation=organisation,
            year=2024,
            status=ReturnStatus.SUBMITTED,
            figures={
                "registered_victims": victims(12, female=6, male=6, child=0, national=6, sexual=6)
            },
        )
    assert _count(client_for, VICTIMS) == one
