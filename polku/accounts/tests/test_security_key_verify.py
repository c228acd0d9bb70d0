"""The second sign-in step with a security key or passkey."""

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp_webauthn.models import WebAuthnCredential

from conftest import Personas
from polku.accounts import services
from polku.accounts.models import User
from polku.accounts.session import SESSION_MFA_PENDING
from polku.accounts.tests.conftest import code_for, enrol, sign_in
from polku.accounts.tests.security_keys import SoftKey, b64url
from polku.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

BEGIN = reverse("accounts:security_key_verify_begin")
COMPLETE = reverse("accounts:security_key_verify")


def give_backup_codes(user: User, *codes: str) -> None:
    """Backup codes for someone who signs in with a key (issued with their first key)."""
    device = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    for code in codes:
        StaticToken.objects.create(device=device, token=code)


def answer(client: Client, body: dict[str, Any], url: str = COMPLETE) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def key(personas: Personas) -> SoftKey:
    key = SoftKey()
    key.add_to(personas.practitioner, "Blue key")
    return key


@pytest.fixture
def half_signed_in(key: SoftKey) -> Client:
    """Past the password, not yet past the second step."""
    client = Client()
    response = sign_in(client, "practitioner")
    assert response["Location"] == reverse("accounts:mfa")
    return client


def test_it_offers_the_key_on_the_second_step(half_signed_in: Client, personas: Personas) -> None:
    """The page offers the key, says it needs JavaScript, and keeps the code form for the
    backup codes."""
    give_backup_codes(personas.practitioner, "aaaa2222")
    content = half_signed_in.get(reverse("accounts:mfa")).content.decode()
    assert "Use your security key" in content
    assert "Using a security key needs JavaScript." in content
    assert 'id="security-key-form"' in content
    assert 'name="code"' in content
    assert 'id="security-key-config" type="application/json"' in content


def test_it_does_not_offer_a_key_to_app_users(personas: Personas) -> None:
    """Someone with only an authenticator app sees the code form alone."""
    enrol(personas.ngo)
    client = Client()
    sign_in(client, "ngo")
    content = client.get(reverse("accounts:mfa")).content.decode()
    assert "Enter your code" in content
    assert "security-key" not in content


def test_it_keeps_other_pages_behind_the_key(half_signed_in: Client) -> None:
    """A person with only a key is held at the second step like one with an app."""
    response = half_signed_in.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:mfa"))


def test_it_signs_in_with_the_key(half_signed_in: Client, personas: Personas, key: SoftKey) -> None:
    """The key's answer completes sign-in as a code does: new session key, audited."""
    options = half_signed_in.post(BEGIN).json()
    device = WebAuthnCredential.objects.get(user=personas.practitioner)
    assert [item["id"] for item in options["allowCredentials"]] == [b64url(device.credential_id)]
    session_before = half_signed_in.session.session_key
    response = answer(half_signed_in, key.sign(options), COMPLETE + "?next=/actors/person-list/")
    assert response.status_code == 200
    assert response.json()["redirect_url"] == "/actors/person-list/"
    session = half_signed_in.session
    assert session.session_key != session_before
    assert session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert SESSION_MFA_PENDING not in session
    assert half_signed_in.get("/").status_code == 200
    event = AuditEvent.objects.get(action="accounts.mfa_verify")
    assert event.actor == personas.practitioner
    assert event.detail == {"method": "security_key", "key": device.pk}
    device.refresh_from_db()
    assert device.last_used_at is not None
    assert device.sign_count == 1


def test_it_refuses_an_unsafe_next(half_signed_in: Client, key: SoftKey) -> None:
    """A `next` that leaves the site is ignored."""
    options = half_signed_in.post(BEGIN).json()
    response = answer(half_signed_in, key.sign(options), COMPLETE + "?next=https://evil.example/")
    assert response.json()["redirect_url"] == reverse("core:home")


def test_it_refuses_a_bad_signature(
    half_signed_in: Client, personas: Personas, key: SoftKey
) -> None:
    """An answer that does not verify leaves the session at the second step; audited."""
    options = half_signed_in.post(BEGIN).json()
    response = answer(half_signed_in, key.sign(options, tamper=True))
    assert response.status_code == 422
    assert half_signed_in.get("/").status_code == 302
    event = AuditEvent.objects.get(action="accounts.mfa_verify_failed")
    assert event.actor == personas.practitioner
    assert event.detail == {"method": "security_key", "reason": "invalid_authentication_response"}
    assert not AuditEvent.objects.filter(action="accounts.mfa_verify").exists()


def test_it_refuses_an_answer_for_another_challenge(half_signed_in: Client, key: SoftKey) -> None:
    """An answer signed for an old or made-up challenge is refused, and a challenge works once."""
    options = half_signed_in.post(BEGIN).json()
    assert answer(half_signed_in, key.sign({"challenge": "b2xk"})).status_code == 422
    assert answer(half_signed_in, key.sign(options)).status_code == 400
    assert half_signed_in.get("/").status_code == 302


def test_it_refuses_someone_elses_key(half_signed_in: Client, personas: Personas) -> None:
    """Another person's registered key does not complete this person's sign-in."""
    other = SoftKey()
    other.add_to(personas.ngo)
    options = half_signed_in.post(BEGIN).json()
    assert answer(half_signed_in, other.sign(options)).status_code == 403
    assert half_signed_in.get("/").status_code == 302
    assert AuditEvent.objects.filter(
        action="accounts.mfa_verify_failed", actor=personas.practitioner
    ).exists()


def test_it_refuses_a_removed_key(half_signed_in: Client, key: SoftKey) -> None:
    """A key removed after the challenge was handed out is not found."""
    options = half_signed_in.post(BEGIN).json()
    WebAuthnCredential.objects.all().delete()
    assert answer(half_signed_in, key.sign(options)).status_code == 404
    assert half_signed_in.get("/").status_code == 302


def test_it_needs_the_password_first(key: SoftKey) -> None:
    """Security keys are a second factor only: nobody signs in with a key alone."""
    client = Client()
    assert client.post(BEGIN).status_code == 403
    assert answer(client, key.sign({"challenge": "b2xk"})).status_code == 403
    assert "_auth_user_id" not in client.session


def test_a_code_still_works_beside_a_key(personas: Personas) -> None:
    """Someone with an app and a key may still enter a code."""
    device = enrol(personas.practitioner)
    SoftKey().add_to(personas.practitioner)
    client = Client()
    sign_in(client, "practitioner")
    content = client.get(reverse("accounts:mfa")).content.decode()
    assert "Enter your code" in content
    assert "Use your security key" in content
    assert client.post(reverse("accounts:mfa"), {"code": code_for(device)}).status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("name", ["coordinator", "admin"])
def test_a_key_satisfies_the_requirement(settings: Any, personas: Personas, name: str) -> None:
    """With POLKU_MFA_REQUIRED, a person whose only second factor is a key gets in with it."""
    settings.POLKU_MFA_REQUIRED = True
    user = personas.by_name(name)
    assert user is not None
    key = SoftKey()
    key.add_to(user)
    client = Client()
    sign_in(client, name)
    page = client.get(reverse("accounts:mfa")).content.decode()
    assert "Use your security key" in page
    assert "Set up two-step verification" not in page
    options = client.post(BEGIN).json()
    assert answer(client, key.sign(options)).status_code == 200
    assert client.get("/").status_code == 200
    assert client.get(reverse("accounts:mfa_manage")).status_code == 200


def test_an_administrator_reset_removes_keys(personas: Personas) -> None:
    """Resetting someone's two-step sign-in removes their security keys as well."""
    SoftKey().add_to(personas.practitioner)
    services.mfa_reset(actor=personas.admin, user=personas.practitioner, reason="Lost key")
    assert not WebAuthnCredential.objects.filter(user=personas.practitioner).exists()
    event = AuditEvent.objects.get(action="accounts.mfa_reset")
    assert event.detail["security_keys"] == 1
