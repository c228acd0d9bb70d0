"""An organisation's systems read and send its return through the API with a scoped token."""

from typing import Any

import pytest
from django.test import Client
from django.urls import path

from config.urls import urlpatterns as polku_urlpatterns
from conftest import Personas
from polku.api.base import PolkuAPI
from polku.api.tests.factories import make_token
from polku.audit.models import AuditEvent
from polku.statistics.api import router
from polku.statistics.choices_returns import ReturnEventKind, ReturnStatus
from polku.statistics.models import Return
from polku.statistics.tests.test_it_collects_returns import (
    Reporting,
    make_return,
    set_up_reporting,
)

# The router is mounted here as config/api.py mounts it, under /statistics.
test_api = PolkuAPI(title="Statistics API", version="test", urls_namespace="statistics-api-test")
test_api.add_router("/statistics", router)
urlpatterns = [path("api/v1/", test_api.urls), *polku_urlpatterns]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

URL = "/api/v1/statistics/returns/2024"

GOOD = [
    {"indicator": "registered_victims", "value": 10},
    {"indicator": "registered_victims", "dimension": "sex", "category": "female", "value": 10},
    {"indicator": "registered_victims", "dimension": "age_group", "category": "adult", "value": 10},
    {
        "indicator": "registered_victims",
        "dimension": "citizenship",
        "category": "non_eu",
        "value": 10,
    },
    {
        "indicator": "registered_victims",
        "dimension": "exploitation_form",
        "category": "forced_labour",
        "value": 10,
    },
    {"indicator": "suspects", "value": 0},
]


@pytest.fixture
def reporting(personas: Personas) -> Reporting:
    return set_up_reporting(personas)


def _token(reporting: Reporting, *scopes: str, other: bool = False) -> dict[str, str]:
    _token_row, secret = make_token(
        organisation=reporting.other if other else reporting.organisation, scopes=scopes
    )
    return {"Authorization": f"Bearer {secret}"}


def _put(headers: dict[str, str], body: dict[str, Any]) -> Any:
    return Client().put(URL, body, content_type="application/json", headers=headers)


def test_it_saves_and_submits_figures_for_the_tokens_organisation(reporting: Reporting) -> None:
    headers = _token(reporting, "statistics:write", "statistics:read")
    response = _put(headers, {"figures": GOOD, "submit": True})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == ReturnStatus.SUBMITTED
    assert body["organisation"] == "Statistics Office"
    assert [item["code"] for item in body["indicators"]] == ["registered_victims", "suspects"]
    statistics_return = Return.objects.get(organisation=reporting.organisation, year=2024)
    assert statistics_return.submitted_by is None
    assert statistics_return.figures.count() == 6
    event = statistics_return.events.get(kind=ReturnEventKind.SENT_BY_API)
    assert event.organisation == reporting.organisation
    read = Client().get(URL, headers=headers).json()
    assert {"indicator": "suspects", "dimension": "", "category": "", "value": 0} in read["figures"]
    reading = AuditEvent.objects.get(action="statistics.return.api_read")
    assert reading.kind == AuditEvent.Kind.ACCESS
    assert reading.detail["token"] == "Case system export"


def test_it_names_each_refused_figure_and_saves_nothing(reporting: Reporting) -> None:
    headers = _token(reporting, "statistics:write")
    statistics_return = make_return(reporting, victims=4)
    figures = [dict(item) for item in GOOD]
    figures[1]["category"] = "woman"
    figures[4]["value"] = -1
    response = _put(headers, {"figures": figures})
    assert response.status_code == 422
    errors = {error["field"]: error["message"] for error in response.json()["errors"]}
    assert errors == {
        "figures.1.category": "There is no category “woman” of sex. Use one of: female, male, "
        "unknown.",
        "figures.4.value": "Enter 0 or more, not “-1”.",
    }
    assert (
        statistics_return.figures.get(indicator__code="registered_victims", dimension="").value == 4
    )


def test_it_reports_a_wrong_type_as_a_field_error(reporting: Reporting) -> None:
    headers = _token(reporting, "statistics:write")
    response = _put(headers, {"figures": [{"indicator": "suspects", "value": "many"}]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "figures.0.value"
    assert not Return.objects.exists()


def test_it_asks_to_confirm_warnings_before_submitting(reporting: Reporting) -> None:
    make_return(reporting, status=ReturnStatus.ACCEPTED, year=2023, victims=40)
    headers = _token(reporting, "statistics:write")
    refused = _put(headers, {"figures": GOOD, "submit": True})
    assert refused.status_code == 422
    body = refused.json()
    assert body["code"] == "warnings_not_confirmed"
    assert body["errors"][0]["field"] == "confirm_warnings"
    assert "“Registered victims” is 10, against 40 in 2023." in body["errors"][0]["message"]
    assert Return.objects.get(year=2024).status == ReturnStatus.DRAFT
    confirmed = _put(headers, {"figures": GOOD, "submit": True, "confirm_warnings": True})
    assert confirmed.json()["status"] == ReturnStatus.SUBMITTED


def test_it_refuses_changes_to_a_submitted_return(reporting: Reporting) -> None:
    make_return(reporting, status=ReturnStatus.SUBMITTED)
    response = _put(_token(reporting, "statistics:write"), {"figures": GOOD})
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


@pytest.mark.parametrize(
    ("scopes", "method", "status"),
    [
        (("statistics:read",), "put", 403),
        (("organisations:read",), "get", 403),
        (("statistics:read",), "get", 404),
    ],
)
def test_it_needs_the_right_scope(
    reporting: Reporting, scopes: tuple[str, ...], method: str, status: int
) -> None:
    """Reading needs statistics:read, writing statistics:write; no return yet is 404."""
    headers = _token(reporting, *scopes)
    if method == "put":
        response = _put(headers, {"figures": GOOD})
    else:
        response = Client().get(URL, headers=headers)
    assert response.status_code == status


def test_it_never_shows_another_organisations_return(reporting: Reporting) -> None:
    make_return(reporting, status=ReturnStatus.SUBMITTED)
    headers = _token(reporting, "statistics:read", other=True)
    assert Client().get(URL, headers=headers).status_code == 404
    mine = f"{URL}?organisation={reporting.organisation.pk}"
    assert Client().get(mine, headers=headers).status_code == 404


def test_it_serves_a_signed_in_data_provider(reporting: Reporting, personas: Personas) -> None:
    """The interactive docs work with a data provider's session; others are refused."""
    make_return(reporting)
    client = Client()
    client.force_login(personas.dataprovider)
    assert client.get(URL).json()["status"] == ReturnStatus.DRAFT
    other = Client()
    other.force_login(personas.practitioner)
    assert other.get(URL).status_code == 403
    assert Client().get(URL).status_code == 401
