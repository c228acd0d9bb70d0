"""/api/v1/challenges: partner systems submit challenges and read statuses and answers."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import PERSONA_NAMES, ClientFor, Personas
from polku.api.tests.factories import bearer, make_token
from polku.audit.models import AuditEvent
from polku.voice.choices import ChallengeStatus, EventKind
from polku.voice.models import Challenge, ChallengeTerm, StatusEvent
from polku.voice.tests.factories import (
    exploitation_form,
    make_challenge,
    make_endorsement,
    region,
    sector,
)

URL = "/api/v1/challenges"
READ = ("challenges:read",)
WRITE = ("challenges:write",)


def _headers(personas: Personas, scopes: tuple[str, ...]) -> dict[str, str]:
    _token, plaintext = make_token(organisation=personas.police, scopes=scopes)
    return bearer(plaintext)


def _body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Interpreters cannot be found at night",
        "description": "Interviews of possible victims wait until the morning.",
        "sectors": ["police"],
        "exploitation_forms": ["forced_labour"],
        "region": "uusimaa",
        "urgency": "high",
        "language": "en",
    }
    body.update(overrides)
    return body


def _post(headers: dict[str, str], body: dict[str, Any]) -> Any:
    return Client().post(
        URL, data=json.dumps(body), content_type="application/json", headers=headers
    )


def _answer(challenge: Challenge, text: str) -> None:
    StatusEvent.objects.create(
        challenge=challenge,
        kind=EventKind.ANSWER,
        from_status=challenge.status,
        to_status=ChallengeStatus.ANSWERED,
        note=text,
        created_at=timezone.now(),
    )


# Submitting


def test_a_token_with_the_write_scope_submits_for_its_organisation(personas: Personas) -> None:
    """201 with the challenge; the token's organisation raised it, no person is named, the
    audit log records the token, and the challenge is in the similarity index."""
    token, plaintext = make_token(organisation=personas.police, scopes=WRITE, name="Case system")
    response = _post(bearer(plaintext), _body())
    assert response.status_code == 201, response.content
    body = response.json()
    challenge = Challenge.objects.get(pk=body["id"])
    assert body["reference"] == challenge.reference
    assert body["status"] == "received"
    assert body["sectors"] == ["police"]
    assert body["exploitation_forms"] == ["forced_labour"]
    assert body["region"] == "uusimaa"
    assert body["urgency"] == "high"
    assert body["answers"] == []
    assert challenge.submitted_by is None
    assert challenge.organisation == personas.police
    assert not challenge.is_protected
    assert challenge.acknowledge_due_on and challenge.answer_due_on
    event = AuditEvent.objects.get(action="voice.challenge.submit_api")
    assert event.actor is None
    assert event.target_id == str(challenge.pk)
    assert event.detail["api_token_prefix"] == token.prefix
    assert "Interpreters" not in json.dumps(event.after)
    timeline = challenge.events.get()
    assert timeline.kind == EventKind.SUBMITTED
    assert timeline.actor_label == "National Police Board (Case system)"
    assert ChallengeTerm.objects.filter(challenge=challenge).exists()


def test_personal_data_is_refused_with_each_finding(personas: Personas) -> None:
    """422 naming each finding by field; nothing is written."""
    response = _post(
        _headers(personas, WRITE),
        _body(
            title="Call 040 123 4567 about this",
            description="Write to worker@example.org or to 045 765 4321.",
        ),
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "personal_data"
    findings = [(error["field"], error["type"]) for error in body["errors"]]
    assert findings.count(("title", "personal_data")) == 1
    assert findings.count(("description", "personal_data")) == 2
    messages = " ".join(error["message"] for error in body["errors"])
    assert "040 123 4567" in messages and "worker@example.org" in messages
    assert not Challenge.objects.exists()


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"description": ""}, "description"),
        ({"sectors": []}, "sectors"),
        ({"sectors": ["no_such_sector"]}, "sectors"),
        ({"exploitation_forms": ["police"]}, "exploitation_forms"),
        ({"region": "atlantis"}, "region"),
        ({"language": "de"}, "language"),
        ({"urgency": "extreme"}, "urgency"),
    ],
)
def test_invalid_input_is_refused_by_field(
    personas: Personas, override: dict[str, Any], field: str
) -> None:
    """422 with an error naming the field, as on the form; nothing is written."""
    response = _post(_headers(personas, WRITE), _body(**override))
    assert response.status_code == 422, response.content
    assert field in {error["field"] for error in response.json()["errors"]}
    assert not Challenge.objects.exists()


def test_unknown_fields_are_refused(personas: Personas) -> None:
    """A field the API does not know, such as submitted_by, is an error, not ignored."""
    response = _post(_headers(personas, WRITE), _body(submitted_by="someone", protected=True))
    assert response.status_code == 422
    errors = {error["field"]: error["message"] for error in response.json()["errors"]}
    assert errors == {"submitted_by": "Unknown field.", "protected": "Unknown field."}
    assert not Challenge.objects.exists()


def test_unreadable_json_is_a_400(personas: Personas) -> None:
    response = Client().post(
        URL, data="{", content_type="application/json", headers=_headers(personas, WRITE)
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_a_read_token_cannot_submit(personas: Personas) -> None:
    """403 insufficient_scope naming challenges:write."""
    response = _post(_headers(personas, READ), _body())
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"
    assert "challenges:write" in response["WWW-Authenticate"]


def test_a_write_token_cannot_list(personas: Personas) -> None:
    response = Client().get(URL, headers=_headers(personas, WRITE))
    assert response.status_code == 403
    assert "challenges:read" in response.json()["message"]


@pytest.mark.parametrize("method", ["get", "post"])
def test_without_credentials_the_answer_is_401(db: None, method: str) -> None:
    response = getattr(Client(), method)(URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_refused(personas: Personas) -> None:
    _token, plaintext = make_token(organisation=personas.police, scopes=WRITE, revoked=True)
    assert _post(bearer(plaintext), _body()).status_code == 401


PARTICIPANTS = {"coordinator", "secretariat", "secretariat2", "practitioner", "ngo"}


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_people_submit_under_their_own_name_with_a_session(
    client_for: ClientFor, personas: Personas, persona: str
) -> None:
    """Participants may submit with their session (named as the author); other people get
    403 and requests without credentials 401."""
    response = client_for(persona).post(
        URL, data=json.dumps(_body()), content_type="application/json"
    )
    expected = 201 if persona in PARTICIPANTS else 401 if persona == "anonymous" else 403
    assert response.status_code == expected, response.content
    if expected == 201:
        challenge = Challenge.objects.get(pk=response.json()["id"])
        assert challenge.submitted_by == personas.by_name(persona)
    else:
        assert not Challenge.objects.exists()


# Listing


@pytest.fixture
def challenges(personas: Personas) -> list[Challenge]:
    answered = make_challenge(
        submitted_by=personas.ngo,
        status=ChallengeStatus.ANSWERED,
        title="Answered one",
        region=region("lapland"),
        categories=[sector("ngos"), exploitation_form("forced_begging")],
    )
    _answer(answered, "The ministry will fund night interpreters.")
    StatusEvent.objects.create(
        challenge=answered,
        kind=EventKind.OWNER,
        note="internal",
        created_at=timezone.now(),
        visible_to_submitter=False,
    )
    make_endorsement(challenge=answered, user=personas.practitioner)
    return [
        answered,
        make_challenge(submitted_by=personas.ngo, title="Received one"),
        make_challenge(is_protected=True, title="Protected one", revealed_organisation_kind="ngo"),
    ]


def test_it_lists_submitted_challenges_with_their_answers(
    personas: Personas, challenges: list[Challenge]
) -> None:
    """Every submitted challenge, never a draft; answers but not internal timeline entries;
    nothing about who raised a challenge."""
    make_challenge(submitted_by=personas.practitioner, status=ChallengeStatus.DRAFT)
    response = Client().get(URL, headers=_headers(personas, READ))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert {item["title"] for item in body["items"]} == {
        "Answered one",
        "Received one",
        "Protected one",
    }
    answered = next(item for item in body["items"] if item["title"] == "Answered one")
    assert [answer["text"] for answer in answered["answers"]] == [
        "The ministry will fund night interpreters."
    ]
    assert answered["endorsement_count"] == 1
    assert answered["region"] == "lapland"
    assert answered["sectors"] == ["ngos"]
    assert answered["exploitation_forms"] == ["forced_begging"]
    text = response.content.decode()
    for identity in ("submitted_by", "organisation", "revealed", "ngo@", personas.ngo.username):
        assert identity not in text.replace('"ngos"', "")


def test_it_filters_by_status_and_updated_since(
    personas: Personas, challenges: list[Challenge]
) -> None:
    """status= keeps one status; updated_since= keeps recent changes, counting a protected
    challenge nobody has acted on from its day."""
    headers = _headers(personas, READ)
    answered, received, protected = challenges
    body = Client().get(URL, {"status": "answered"}, headers=headers).json()
    assert [item["id"] for item in body["items"]] == [str(answered.pk)]
    old = timezone.now() - timedelta(days=10)
    Challenge.objects.filter(pk=answered.pk).update(updated_at=old, submitted_on=old.date())
    Challenge.objects.filter(pk=received.pk).update(updated_at=timezone.now())
    since = (timezone.now() - timedelta(days=1)).isoformat()
    body = Client().get(URL, {"updated_since": since}, headers=headers).json()
    assert {item["id"] for item in body["items"]} == {str(received.pk), str(protected.pk)}


@pytest.mark.parametrize(
    "query",
    [{"status": "nonsense"}, {"updated_since": "yesterday"}, {"limit": "0"}, {"colour": "red"}],
)
def test_bad_filters_are_422(personas: Personas, query: dict[str, str]) -> None:
    response = Client().get(URL, query, headers=_headers(personas, READ))
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_it_pages(personas: Personas, challenges: list[Challenge]) -> None:
    headers = _headers(personas, READ)
    first = Client().get(URL, {"limit": 2}, headers=headers).json()
    second = Client().get(URL, {"limit": 2, "offset": 2}, headers=headers).json()
    assert first["count"] == second["count"] == 3
    assert len(first["items"]) == 2 and len(second["items"]) == 1
    ids = [item["id"] for item in first["items"] + second["items"]]
    assert len(set(ids)) == 3


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_insiders_may_list_with_their_session(
    client_for: ClientFor, challenges: list[Challenge], persona: str
) -> None:
    """Every insider may list with their session; outsiders get 403, no credentials 401."""
    response = client_for(persona).get(URL)
    expected = {"anonymous": 401, "outsider": 403}.get(persona, 200)
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["count"] == 3


def _count(headers: dict[str, str]) -> int:
    Client().get(URL, headers=headers)
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(URL, headers=headers)
    assert response.status_code == 200
    return len(queries)


def test_the_list_keeps_a_fixed_query_budget(personas: Personas) -> None:
    """One challenge or twenty, with categories, answers and endorsements: same queries."""
    headers = _headers(personas, READ)
    first = make_challenge(submitted_by=personas.ngo, region=region())
    _answer(first, "First answer")
    one = _count(headers)
    for index in range(19):
        challenge = make_challenge(
            submitted_by=personas.ngo,
            is_protected=index % 3 == 0,
            region=region("lapland"),
            categories=[sector("police"), sector("ngos"), exploitation_form()],
        )
        _answer(challenge, "An answer")
        make_endorsement(challenge=challenge, user=personas.practitioner)
    assert _count(headers) == one


def test_the_schema_lists_the_challenge_endpoints(db: None) -> None:
    """openapi.json documents listing and submitting, their scopes, filters and errors."""
    schema = Client().get("/api/v1/openapi.json").json()
    operations = schema["paths"]["/api/v1/challenges"]
    listing, submitting = operations["get"], operations["post"]
    assert {parameter["name"] for parameter in listing["parameters"]} == {
        "limit",
        "offset",
        "status",
        "updated_since",
    }
    assert "challenges:read" in listing["description"]
    assert "challenges:write" in submitting["description"]
    assert {"200", "401", "403", "422"} <= set(listing["responses"])
    assert {"201", "401", "403", "422"} <= set(submitting["responses"])
    body = schema["components"]["schemas"]["ChallengeIn"]
    assert body["additionalProperties"] is False
    assert {"title", "description", "sectors"} <= set(body["required"])
    for operation in (listing, submitting):
        assert {"ApiTokenAuth": []} in operation["security"]
