"""An organisation's systems read and send its return through the API with a scoped token.
The person who issued the token answers for what it submits: the four-eyes rule keeps them
from validating it, and the timeline and the audit log name the token."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import path, reverse

from config.urls import urlpatterns as polku_urlpatterns
from conftest import Personas
from polku.accounts.models import User
from polku.actors.models import Membership
from polku.api.base import PolkuAPI
from polku.api.models import ApiToken
from polku.api.tests.factories import make_token
from polku.audit.models import AuditEvent
from polku.statistics.api import router
from polku.statistics.choices_returns import ReturnEventKind, ReturnStatus
from polku.statistics.models import Return, ReturnValidator
from polku.statistics.permissions_returns import can_validate
from polku.statistics.services.returns import (
    return_save_figures,
    return_start,
    return_submit,
    return_validate,
)
from polku.statistics.tests.test_it_collects_returns import (
    Reporting,
    good_entries,
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


def _issue(
    reporting: Reporting, *scopes: str, other: bool = False, issuer: User | None = None
) -> tuple[ApiToken, dict[str, str]]:
    """A token of the organisation (or the other one), issued by its data provider."""
    if issuer is None:
        issuer = reporting.other_provider if other else reporting.provider
    token, secret = make_token(
        organisation=reporting.other if other else reporting.organisation,
        scopes=scopes,
        created_by=issuer,
    )
    return token, {"Authorization": f"Bearer {secret}"}


def _token(reporting: Reporting, *scopes: str, other: bool = False) -> dict[str, str]:
    return _issue(reporting, *scopes, other=other)[1]


def _put(headers: dict[str, str], body: dict[str, Any]) -> Any:
    return Client().put(URL, body, content_type="application/json", headers=headers)


def test_it_saves_and_submits_figures_for_the_tokens_organisation(reporting: Reporting) -> None:
    """The figures are saved and submitted in the name of the person who issued the token."""
    token, headers = _issue(reporting, "statistics:write", "statistics:read")
    response = _put(headers, {"figures": GOOD, "submit": True})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == ReturnStatus.SUBMITTED
    assert body["organisation"] == "Statistics Office"
    assert [item["code"] for item in body["indicators"]] == ["registered_victims", "suspects"]
    statistics_return = Return.objects.get(organisation=reporting.organisation, year=2024)
    assert statistics_return.submitted_by == reporting.provider
    assert statistics_return.submitted_through == token
    assert statistics_return.figures.count() == 6
    event = statistics_return.events.get(kind=ReturnEventKind.SENT_BY_API)
    assert event.organisation == reporting.organisation
    assert event.token == token
    submission = statistics_return.events.get(kind=ReturnEventKind.SUBMITTED)
    assert (submission.token, submission.actor) == (token, reporting.provider)
    assert submission.organisation == reporting.organisation
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


def test_the_audit_event_of_a_submission_names_the_token(reporting: Reporting) -> None:
    """The submission's audit event names the token and the person answerable for it."""
    token, headers = _issue(reporting, "statistics:write")
    assert _put(headers, {"figures": GOOD, "submit": True}).status_code == 200
    event = AuditEvent.objects.get(action="statistics.return.submit")
    assert event.actor is None
    assert event.detail["by_token"] is True
    assert event.detail["token"] == "Case system export"
    assert event.detail["api_token_id"] == token.pk
    assert event.detail["api_token_prefix"] == token.prefix
    assert event.detail["answerable_person_id"] == reporting.provider.pk
    assert event.after is not None
    assert event.after["submitted_by_id"] == reporting.provider.pk
    assert event.after["submitted_through_id"] == token.pk
    for action in ("statistics.return.start", "statistics.return.figures"):
        assert AuditEvent.objects.get(action=action).detail["token"] == "Case system export"


def test_the_issuer_of_the_token_cannot_validate_what_it_submitted(
    reporting: Reporting,
) -> None:
    """Four eyes: a validator who issued the token is its submitter and may not validate;
    another validator may."""
    _token_row, headers = _issue(reporting, "statistics:write", issuer=reporting.validator)
    assert _put(headers, {"figures": GOOD, "submit": True}).status_code == 200
    statistics_return = Return.objects.get(organisation=reporting.organisation, year=2024)
    assert statistics_return.submitted_by == reporting.validator
    assert not can_validate(reporting.validator, statistics_return)
    client = Client()
    client.force_login(reporting.validator)
    url = reverse("statistics:return_validate", kwargs={"pk": statistics_return.pk})
    assert client.get(url).status_code == 403
    assert client.post(url, {"comment": ""}).status_code == 403
    statistics_return.refresh_from_db()
    assert statistics_return.status == ReturnStatus.SUBMITTED
    ReturnValidator.objects.create(organisation=reporting.organisation, user=reporting.provider)
    assert can_validate(reporting.provider, statistics_return)
    return_validate(actor=reporting.provider, statistics_return=statistics_return)
    statistics_return.refresh_from_db()
    assert statistics_return.status == ReturnStatus.VALIDATED


def test_a_token_nobody_answers_for_cannot_submit(reporting: Reporting) -> None:
    """A token whose issuer is gone saves figures but does not submit; a refused submission
    saves nothing."""
    token, secret = make_token(organisation=reporting.organisation, scopes=["statistics:write"])
    headers = {"Authorization": f"Bearer {secret}"}
    refused = _put(headers, {"figures": GOOD, "submit": True})
    assert refused.status_code == 422
    body = refused.json()
    assert body["code"] == "no_answerable_person"
    assert body["errors"][0]["field"] == "submit"
    assert not Return.objects.exists()
    saved = _put(headers, {"figures": GOOD})
    assert saved.json()["status"] == ReturnStatus.DRAFT
    statistics_return = Return.objects.get()
    with pytest.raises(ValidationError):
        return_submit(actor=None, statistics_return=statistics_return, token=token)
    statistics_return.refresh_from_db()
    assert statistics_return.status == ReturnStatus.DRAFT


def _refused_for_nobody_answering(headers: dict[str, str]) -> None:
    """A submission is refused with the same error as a token without an issuer, saving
    nothing."""
    refused = _put(headers, {"figures": GOOD, "submit": True})
    assert refused.status_code == 422
    body = refused.json()
    assert body["code"] == "no_answerable_person"
    assert body["errors"][0]["field"] == "submit"
    assert "issue a new token" in body["message"]
    assert not Return.objects.exists()


def test_a_token_whose_issuer_is_deactivated_cannot_submit(reporting: Reporting) -> None:
    """The token still sends and reads figures, but nobody would answer for a submission."""
    token, headers = _issue(reporting, "statistics:write", "statistics:read")
    User.objects.filter(pk=reporting.provider.pk).update(is_active=False)
    _refused_for_nobody_answering(headers)
    saved = _put(headers, {"figures": GOOD})
    assert saved.status_code == 200, saved.json()
    assert saved.json()["status"] == ReturnStatus.DRAFT
    read = Client().get(URL, headers=headers)
    assert read.status_code == 200
    statistics_return = Return.objects.get()
    token.refresh_from_db()
    with pytest.raises(ValidationError):
        return_submit(actor=None, statistics_return=statistics_return, token=token)
    statistics_return.refresh_from_db()
    assert statistics_return.status == ReturnStatus.DRAFT
    assert statistics_return.submitted_by is None


def test_a_token_whose_issuer_left_the_organisation_cannot_submit(reporting: Reporting) -> None:
    _token_row, headers = _issue(reporting, "statistics:write")
    Membership.objects.filter(user=reporting.provider, organisation=reporting.organisation).update(
        is_active=False
    )
    _refused_for_nobody_answering(headers)


def test_a_token_issued_by_the_coordinator_still_submits(reporting: Reporting) -> None:
    """The coordinator keeps every organisation's tokens, so answers for those they issue."""
    token, headers = _issue(reporting, "statistics:write", issuer=reporting.coordinator)
    response = _put(headers, {"figures": GOOD, "submit": True})
    assert response.status_code == 200, response.json()
    statistics_return = Return.objects.get()
    assert (statistics_return.submitted_by, statistics_return.submitted_through) == (
        reporting.coordinator,
        token,
    )


def test_a_token_acts_only_for_its_own_organisation(reporting: Reporting) -> None:
    """The services refuse a token of another organisation, whatever its scopes."""
    statistics_return = make_return(reporting)
    token, _headers = _issue(reporting, "statistics:write", other=True)
    with pytest.raises(PermissionDenied):
        return_start(actor=None, organisation=reporting.organisation, year=2023, token=token)
    with pytest.raises(PermissionDenied):
        return_save_figures(
            actor=None,
            statistics_return=statistics_return,
            entries=good_entries(),
            source="api",
            token=token,
        )
    with pytest.raises(PermissionDenied):
        return_submit(actor=None, statistics_return=statistics_return, token=token)


def test_the_return_page_names_the_token_and_its_issuer(reporting: Reporting) -> None:
    """The return's page says who submitted it, with which token."""
    _token_row, headers = _issue(reporting, "statistics:write")
    _put(headers, {"figures": GOOD, "submit": True})
    statistics_return = Return.objects.get(organisation=reporting.organisation, year=2024)
    client = Client()
    client.force_login(reporting.validator)
    page = client.get(statistics_return.get_absolute_url()).content.decode()
    person = str(reporting.provider)
    assert f"{person}, with the API token “Case system export” they issued" in page


def test_the_return_page_says_when_nobody_answers_for_the_token(reporting: Reporting) -> None:
    """A return submitted with a token but recorded without a person never shows "None"."""
    _token_row, headers = _issue(reporting, "statistics:write")
    _put(headers, {"figures": GOOD, "submit": True})
    Return.objects.update(submitted_by=None)
    statistics_return = Return.objects.get()
    client = Client()
    client.force_login(reporting.validator)
    page = client.get(statistics_return.get_absolute_url()).content.decode()
    assert "None" not in page
    assert "With the API token “Case system export”; no person is recorded" in page
