"""Who reaches which reporting page: persona and page to status.

The coordination reads national tables (also unprotected) and generates reports; the
coordinator publishes; the rapporteur reads protected tables and every report and writes
commentary; other insiders see published reports only; anonymous visitors see published
reports and the public page and are sent to sign in elsewhere.
"""

import pytest

from conftest import PERSONA_NAMES, ClientFor, Personas
from polku.reporting.choices import ReportStatus
from polku.reporting.models import AnnualReport
from polku.reporting.tests.factories import make_report

pytestmark = pytest.mark.django_db

COORDINATION = {"coordinator", "secretariat", "secretariat2"}
TABLE_READERS = COORDINATION | {"rapporteur"}
INSIDERS = set(PERSONA_NAMES) - {"outsider", "anonymous"}


def _expected(persona: str, allowed: set[str], *, named: bool = False) -> int:
    if persona in allowed:
        return 200
    if persona == "anonymous":
        return 302
    if persona == "outsider" and named:
        return 404
    return 403


@pytest.fixture
def reports(personas: Personas) -> dict[str, AnnualReport]:
    return {
        "ready": make_report(requested_by=personas.coordinator, year=2023),
        "published": make_report(
            requested_by=personas.coordinator, year=2022, status=ReportStatus.PUBLISHED
        ),
    }


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_it_shows_national_tables_to_the_coordination_and_the_rapporteur(
    persona: str, client_for: ClientFor
) -> None:
    for url in ("/reports/tables/", "/reports/templates/"):
        response = client_for(persona).get(url)
        assert response.status_code == _expected(persona, TABLE_READERS), url
    response = client_for(persona).get("/reports/templates/eurostat/")
    assert response.status_code == _expected(persona, TABLE_READERS, named=True)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_it_lets_only_the_coordination_generate(persona: str, client_for: ClientFor) -> None:
    response = client_for(persona).get("/reports/generate/")
    assert response.status_code == _expected(persona, COORDINATION)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_it_shows_unpublished_reports_to_the_coordination_and_the_rapporteur_only(
    persona: str, client_for: ClientFor, reports: dict[str, AnnualReport]
) -> None:
    client = client_for(persona)
    ready = client.get(reports["ready"].get_absolute_url())
    assert ready.status_code == (200 if persona in TABLE_READERS else 404)
    published = client.get(reports["published"].get_absolute_url())
    assert published.status_code == 200
    listed = client.get("/reports/")
    assert listed.status_code == 200
    assert (reports["ready"].get_absolute_url() in listed.content.decode()) == (
        persona in TABLE_READERS
    )


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_it_lets_only_the_coordinator_publish(
    persona: str, client_for: ClientFor, reports: dict[str, AnnualReport]
) -> None:
    response = client_for(persona).get(f"/reports/{reports['ready'].pk}/publish/")
    expected = {"coordinator": 200, "secretariat": 403, "secretariat2": 403, "rapporteur": 403}
    assert response.status_code == expected.get(persona, 302 if persona == "anonymous" else 404)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_it_lets_only_the_rapporteur_write_commentary(
    persona: str, client_for: ClientFor, reports: dict[str, AnnualReport]
) -> None:
    response = client_for(persona).get(f"/reports/{reports['published'].pk}/commentary/")
    if persona == "rapporteur":
        assert response.status_code == 200
    elif persona == "anonymous":
        assert response.status_code == 302
    elif persona == "outsider":
        assert response.status_code == 404
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_it_opens_the_public_page_to_everyone(persona: str, client_for: ClientFor) -> None:
    assert client_for(persona).get("/reports/public/").status_code == 200
