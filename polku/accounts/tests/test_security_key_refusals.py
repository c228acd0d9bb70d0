"""Refused security-key answers: each gets a clear answer in the endpoint's JSON shape and
an audit record with its reason, and nothing is kept."""

import json
import logging
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp_webauthn.models import WebAuthnCredential

from conftest import Personas
from polku.accounts import services
from polku.accounts.tests.conftest import PASSWORD, sign_in
from polku.accounts.tests.security_keys import SoftKey
from polku.accounts.tests.test_security_key_manage import verified_with_app
from polku.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

ADD_BEGIN = reverse("accounts:security_key_add_begin")
ADD = reverse("accounts:security_key_add")
BEGIN = reverse("accounts:security_key_verify_begin")
COMPLETE = reverse("accounts:security_key_verify")


def post_json(client: Client, url: str, body: Any) -> Any:
    text = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, text, content_type="application/json")


def begin_add(client: Client, name: str = "Blue key") -> Any:
    return client.post(ADD_BEGIN, {"key-name": name, "key-password": PASSWORD})


def failures(action: str) -> list[dict[str, Any]]:
    return [event.detail for event in AuditEvent.objects.filter(action=action).order_by("pk")]


@pytest.fixture
def half_signed_in(personas: Personas) -> tuple[Client, SoftKey]:
    key = SoftKey()
    key.add_to(personas.practitioner)
    client = Client()
    assert sign_in(client, "practitioner")["Location"] == reverse("accounts:mfa")
    return client, key


# A key registered already


@pytest.mark.parametrize("owner", ["practitioner", "ngo"])
def test_a_key_registered_already_is_refused_clearly(personas: Personas, owner: str) -> None:
    """The same credential again (this account's or another's) is a 422 with a clear message,
    audited, and the key stays with whoever had it."""
    key = SoftKey()
    holder = personas.by_name(owner)
    assert holder is not None
    key.add_to(holder, "First")
    client = verified_with_app(personas.practitioner)
    options = begin_add(client, name="Second").json()
    response = post_json(client, ADD, key.register(options))
    assert response.status_code == 422
    assert response.json() == {
        "detail": "This security key is already registered.",
        "code": "already_registered",
        "errors": [{"message": "This security key is already registered."}],
    }
    assert list(WebAuthnCredential.objects.values_list("user__username", "name")) == [
        (owner, "First")
    ]
    assert failures("accounts.mfa_security_key_add_failed") == [
        {"method": "security_key", "reason": "already_registered"}
    ]
    assert not AuditEvent.objects.filter(action="accounts.mfa_security_key_add").exists()


# Refusals before the answer is checked


def test_adding_without_beginning_is_audited(personas: Personas) -> None:
    client = verified_with_app(personas.practitioner)
    response = post_json(client, ADD, SoftKey().register({"challenge": "b2xk"}))
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_state"
    assert failures("accounts.mfa_security_key_add_failed") == [
        {"method": "security_key", "reason": "invalid_state"}
    ]


def test_adding_with_unreadable_json_is_audited(personas: Personas) -> None:
    client = verified_with_app(personas.practitioner)
    begin_add(client)
    response = post_json(client, ADD, "{not json")
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_request"
    assert failures("accounts.mfa_security_key_add_failed") == [
        {"method": "security_key", "reason": "malformed_request"}
    ]
    assert not WebAuthnCredential.objects.exists()


def test_verifying_without_beginning_is_audited(half_signed_in: tuple[Client, SoftKey]) -> None:
    client, key = half_signed_in
    response = post_json(client, COMPLETE, key.sign({"challenge": "b2xk"}))
    assert response.status_code == 400
    assert failures("accounts.mfa_verify_failed") == [
        {"method": "security_key", "reason": "invalid_state"}
    ]
    assert client.get("/").status_code == 302


def test_a_replayed_answer_is_audited(half_signed_in: tuple[Client, SoftKey]) -> None:
    """An answer sent again after it was used finds no challenge; the replay is recorded."""
    client, key = half_signed_in
    options = client.post(BEGIN).json()
    signed = key.sign(options)
    assert post_json(client, COMPLETE, signed).status_code == 200
    assert post_json(client, COMPLETE, signed).status_code == 400
    assert failures("accounts.mfa_verify_failed") == [
        {"method": "security_key", "reason": "invalid_state"}
    ]


def test_verifying_with_unreadable_json_is_audited(half_signed_in: tuple[Client, SoftKey]) -> None:
    client, _key = half_signed_in
    client.post(BEGIN)
    response = post_json(client, COMPLETE, "[1,")
    assert response.status_code == 400
    assert failures("accounts.mfa_verify_failed") == [
        {"method": "security_key", "reason": "malformed_request"}
    ]


def test_signed_out_refusals_are_not_recorded_against_anyone() -> None:
    """Nobody signed in: refused as before, with no audit record naming a person."""
    assert post_json(Client(), COMPLETE, "{").status_code == 400
    assert not AuditEvent.objects.filter(action="accounts.mfa_verify_failed").exists()


# A copied key


def test_a_sign_counter_going_backwards_is_recorded_as_a_suspected_copy(
    half_signed_in: tuple[Client, SoftKey], personas: Personas, caplog: Any
) -> None:
    """A key reporting fewer uses than already seen is refused, audited as counter_regressed
    and logged as a warning without the challenge or key data."""
    client, key = half_signed_in
    WebAuthnCredential.objects.filter(user=personas.practitioner).update(sign_count=50)
    options = client.post(BEGIN).json()
    with caplog.at_level(logging.WARNING, logger="polku.accounts.services"):
        response = post_json(client, COMPLETE, key.sign(options))
    assert response.status_code == 422
    assert failures("accounts.mfa_verify_failed") == [
        {"method": "security_key", "reason": "counter_regressed"}
    ]
    warnings = [r for r in caplog.records if r.name == "polku.accounts.services"]
    assert [r.levelno for r in warnings] == [logging.WARNING]
    assert "counter_regressed" in warnings[0].getMessage()
    assert options["challenge"] not in warnings[0].getMessage()
    assert client.get("/").status_code == 302


# Passwords kept out of error reports


def test_the_password_is_kept_out_of_error_reports(personas: Personas) -> None:
    """The view that receives the password marks every posted value as sensitive."""
    client = verified_with_app(personas.practitioner)
    response = begin_add(client)
    assert response.status_code == 200
    assert response.wsgi_request.sensitive_post_parameters == "__ALL__"


# Too many refused answers


def test_too_many_refused_answers_pause_the_key(half_signed_in: tuple[Client, SoftKey]) -> None:
    """After ten refusals in fifteen minutes even a right answer is refused, with a clear
    message; the refusal is audited."""
    client, key = half_signed_in
    for _attempt in range(services.SECURITY_KEY_FAILURE_LIMIT):
        assert post_json(client, COMPLETE, key.sign({"challenge": "b2xk"})).status_code == 400
    options = client.post(BEGIN).json()
    response = post_json(client, COMPLETE, key.sign(options))
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert response.json()["errors"] == [
        {"message": "Your security key was refused too many times. Wait 15 minutes and try again."}
    ]
    assert failures("accounts.mfa_verify_failed")[-1] == {
        "method": "security_key",
        "reason": "throttled",
    }
    assert client.get("/").status_code == 302


def test_fewer_refusals_do_not_pause_the_key(half_signed_in: tuple[Client, SoftKey]) -> None:
    client, key = half_signed_in
    for _attempt in range(services.SECURITY_KEY_FAILURE_LIMIT - 1):
        post_json(client, COMPLETE, key.sign({"challenge": "b2xk"}))
    options = client.post(BEGIN).json()
    assert post_json(client, COMPLETE, key.sign(options)).status_code == 200


def test_old_refusals_do_not_count(
    half_signed_in: tuple[Client, SoftKey], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Refusals older than the window are forgotten (the clock moved on past it)."""
    client, key = half_signed_in
    for _attempt in range(services.SECURITY_KEY_FAILURE_LIMIT):
        post_json(client, COMPLETE, key.sign({"challenge": "b2xk"}))
    later = timezone.now() + services.SECURITY_KEY_FAILURE_WINDOW + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    options = client.post(BEGIN).json()
    assert post_json(client, COMPLETE, key.sign(options)).status_code == 200


# Key names


@pytest.mark.parametrize("name", ["Blue\u202ekey", "Blue\u200bkey", "\u2066Blue key\u2069"])
def test_a_name_with_invisible_characters_is_refused(personas: Personas, name: str) -> None:
    client = verified_with_app(personas.practitioner)
    response = begin_add(client, name=name)
    assert response.status_code == 400
    assert {
        "field": "name",
        "message": "The name must not contain invisible or text-direction characters. "
        "Type the name again without copying it from elsewhere.",
    } in response.json()["errors"]
    assert "otp_webauthn_register_state" not in client.session


def test_a_name_already_used_is_refused(personas: Personas) -> None:
    SoftKey().add_to(personas.practitioner, "Blue key")
    SoftKey().add_to(personas.ngo, "Green key")
    client = verified_with_app(personas.practitioner)
    response = begin_add(client, name="blue  KEY")
    assert response.status_code == 400
    assert {
        "field": "name",
        "message": "You already have a security key called “Blue key”. Choose another name.",
    } in response.json()["errors"]
    # Another person's key names are nobody else's business, and do not stand in the way.
    assert begin_add(client, name="Green key").status_code == 200
