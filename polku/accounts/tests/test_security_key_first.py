"""Setting up a security key as the first second factor, on the set-up page."""

import json
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from conftest import Personas
from polku.accounts import services
from polku.accounts.tests.conftest import PASSWORD, code_for, enrol, sign_in
from polku.accounts.tests.security_keys import SoftKey
from polku.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

MFA = reverse("accounts:mfa")
ADD_BEGIN = reverse("accounts:security_key_add_begin")
ADD = reverse("accounts:security_key_add")
BACKUP_CODES = reverse("accounts:mfa_backup_codes")
MANAGE = reverse("accounts:mfa_manage")


@pytest.fixture
def enforced(settings: Any) -> None:
    settings.POLKU_MFA_REQUIRED = True


def begin(client: Client, name: str = "Blue key", **extra: str) -> Any:
    return client.post(ADD_BEGIN, {"key-name": name, **extra})


def complete(client: Client, answer: dict[str, Any], next_url: str = "") -> Any:
    url = ADD + (f"?next={next_url}" if next_url else "")
    return client.post(url, json.dumps(answer), content_type="application/json")


def signed_in(username: str, **extra: str) -> Client:
    """Past the password step only, as the sign-in page leaves a person."""
    client = Client()
    response = sign_in(client, username, **extra)
    assert response.status_code == 302
    return client


def test_the_set_up_page_offers_an_app_or_a_key(personas: Personas) -> None:
    """Someone with no second factor may choose the app or a key; the key needs only a name."""
    content = signed_in("practitioner").get(MFA).content.decode()
    assert "Set up two-step verification" in content
    assert 'href="#authenticator-app"' in content
    assert 'href="#security-key"' in content
    assert "Or use a security key or passkey" in content
    assert 'id="security-key-form"' in content
    assert 'name="key-name"' in content
    assert 'name="key-password"' not in content
    assert "Setting up a security key needs JavaScript." in content
    assert 'id="security-key-config" type="application/json"' in content
    config = re.search(r'id="security-key-config" type="application/json">(.*?)</script>', content)
    assert config is not None
    settings = json.loads(config.group(1))
    assert settings["mode"] == "add"
    assert settings["beginUrl"] == ADD_BEGIN
    assert "set up an authenticator app" in settings["messages"]["unsupported"]
    assert re.search(r'<script type="module" src="[^"]*security-key\.js" nonce="[^"]+">', content)
    assert 'name="code"' in content


@pytest.mark.usefixtures("enforced")
def test_a_required_role_sets_up_a_key_first(personas: Personas) -> None:
    """A coordinator sent to the set-up page adds a named key, is verified, gets backup codes
    once, and can then use Polku; all of it is audited."""
    coordinator = personas.coordinator
    client = signed_in("coordinator", next="/actors/people/")
    assert client.get("/actors/people/")["Location"].startswith(MFA)
    abandoned = client.get(MFA)
    assert abandoned.status_code == 200
    assert TOTPDevice.objects.filter(user=coordinator, confirmed=False).exists()

    key = SoftKey()
    options = begin(client, name="  Blue   key ").json()
    assert options["user"]["name"] == "coordinator"
    response = complete(client, key.register(options), next_url="/actors/people/")
    assert response.status_code == 200, response.content
    assert response.json()["redirect_url"] == BACKUP_CODES + "?next=/actors/people/"

    device = WebAuthnCredential.objects.get(user=coordinator)
    assert device.name == "Blue key"
    assert device.confirmed
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    codes = set(
        StaticToken.objects.filter(device__user=coordinator).values_list("token", flat=True)
    )
    assert len(codes) == 10
    event = AuditEvent.objects.get(action="accounts.mfa_security_key_add")
    assert event.actor == coordinator
    assert event.detail == {
        "method": "security_key",
        "key": device.pk,
        "name": "Blue key",
        "first_factor": True,
        "backup_codes": 10,
    }

    page = client.get(BACKUP_CODES + "?next=/actors/people/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "Two-step verification is on." in content
    assert "Save your backup codes" in content
    assert "If you lose your security key or cannot use it" in content
    assert all(code in content for code in codes)
    assert 'href="/actors/people/"' in content
    again = client.get(BACKUP_CODES + "?next=/actors/people/")
    assert again["Location"] == "/actors/people/"

    # The session passed the second step: the middleware lets the coordinator through.
    assert client.get("/actors/people/").status_code == 200
    assert client.get(MANAGE).status_code == 200
    # Their next sign-in asks for the key (or a backup code).
    later = Client()
    assert sign_in(later, "coordinator")["Location"] == MFA
    assert "Use your security key" in later.get(MFA).content.decode()


def test_a_first_key_needs_only_a_name(personas: Personas) -> None:
    """Without a name nothing is handed out; the password is not asked again."""
    client = signed_in("practitioner")
    response = begin(client, name="   ")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "name", "message": "Enter a name for the security key"}
    ]
    assert "otp_webauthn_register_state" not in client.session
    response = begin(client, name="x" * 65)
    assert response.json()["errors"] == [
        {"field": "name", "message": "The name must be 64 characters or fewer"}
    ]
    assert not WebAuthnCredential.objects.exists()


def test_a_failed_first_key_keeps_nothing(personas: Personas) -> None:
    """An answer to another challenge keeps no key and no codes, and the session stays
    unverified; the failure is audited."""
    client = signed_in("practitioner")
    begin(client)
    response = complete(client, SoftKey().register({"challenge": "b3RoZXItY2hhbGxlbmdl"}))
    assert response.status_code == 422
    assert not WebAuthnCredential.objects.exists()
    assert not StaticToken.objects.exists()
    event = AuditEvent.objects.get(action="accounts.mfa_security_key_add_failed")
    assert event.detail == {
        "method": "security_key",
        "first_factor": True,
        "reason": "invalid_registration_response",
    }
    assert not AuditEvent.objects.filter(action="accounts.mfa_security_key_add").exists()
    assert client.get(BACKUP_CODES)["Location"] == reverse("accounts:profile")
    assert "Set up two-step verification" in client.get(MFA).content.decode()


def test_someone_with_an_app_cannot_add_a_key_as_first(personas: Personas) -> None:
    """A person with an authenticator app who has not entered a code is refused with 403."""
    enrol(personas.practitioner)
    client = signed_in("practitioner")
    response = begin(client)
    assert response.status_code == 403
    assert response.json()["detail"] == "Enter a code or use a security key first."
    response = begin(client, **{"key-password": PASSWORD})
    assert response.status_code == 403
    assert not WebAuthnCredential.objects.exists()
    assert not AuditEvent.objects.filter(action="accounts.mfa_security_key_add").exists()


def test_a_second_factor_set_up_meanwhile_stops_the_first_key(personas: Personas) -> None:
    """If the app was set up elsewhere between the two steps, the key is refused with 403."""
    client = signed_in("practitioner")
    options = begin(client).json()
    enrol(personas.practitioner)
    response = complete(client, SoftKey().register(options))
    assert response.status_code == 403
    assert not WebAuthnCredential.objects.exists()
    assert "Enter your code" in client.get(MFA).content.decode()


def test_the_service_refuses_a_first_key_for_someone_with_one(personas: Personas) -> None:
    """The write itself checks that there is no second factor yet, and audits the refusal."""
    SoftKey().add_to(personas.practitioner)
    with pytest.raises(PermissionDenied, match="You already use two-step verification"):
        services.security_key_enrol_first(
            actor=personas.practitioner, helper=None, state={}, data={}, name="Second"
        )
    assert WebAuthnCredential.objects.filter(user=personas.practitioner).count() == 1
    assert AuditEvent.objects.filter(action="accounts.mfa_security_key_add_failed").exists()


def test_signed_out_nobody_adds_a_key() -> None:
    """Without signing in there is no key to add."""
    assert Client().post(ADD_BEGIN, {"key-name": "Blue key"}).status_code == 403
    assert Client().get(BACKUP_CODES).status_code == 302


def test_adding_the_app_after_a_first_key_offers_no_second_key_there(
    personas: Personas,
) -> None:
    """Signed in with the key, the set-up page is for the app only; keys are added on the
    two-step page, where the password is asked."""
    key = SoftKey()
    key.add_to(personas.practitioner)
    client = signed_in("practitioner")
    options = client.post(reverse("accounts:security_key_verify_begin")).json()
    client.post(
        reverse("accounts:security_key_verify"),
        json.dumps(key.sign(options)),
        content_type="application/json",
    )
    content = client.get(MFA).content.decode()
    assert "1. Add Polku to your authenticator app" in content
    assert 'id="security-key-form"' not in content
    assert begin(client).status_code == 400


def test_choosing_the_app_later_keeps_the_backup_codes_until_it_is_set_up(
    personas: Personas,
) -> None:
    """A key-only person who starts setting up an app keeps their backup codes meanwhile;
    the app's codes replace them once it is confirmed."""
    key = SoftKey()
    client = signed_in("practitioner")
    complete(client, key.register(begin(client).json()))
    old = set(StaticToken.objects.values_list("token", flat=True))
    assert len(old) == 10
    response = client.post(MANAGE, {"action": "reenrol", "password": PASSWORD})
    assert response["Location"] == MFA
    assert set(StaticToken.objects.values_list("token", flat=True)) == old
    client.get(MFA)
    app = TOTPDevice.objects.get(user=personas.practitioner, confirmed=False)
    page = client.post(MFA, {"code": code_for(app)})
    assert "Save your backup codes" in page.content.decode()
    assert not set(StaticToken.objects.values_list("token", flat=True)) & old
    assert WebAuthnCredential.objects.filter(user=personas.practitioner).count() == 1


def test_removing_the_last_key_turns_it_off_and_allows_a_new_first_key(
    personas: Personas,
) -> None:
    """A practitioner whose only factor is a key removes it: the backup codes go with it, and
    the set-up page can set up a key as the first factor again."""
    client = signed_in("practitioner")
    complete(client, SoftKey().register(begin(client).json()))
    device = WebAuthnCredential.objects.get(user=personas.practitioner)
    url = reverse("accounts:security_key_remove", args=[device.pk])
    assert client.post(url, {"password": PASSWORD})["Location"] == MANAGE
    assert not StaticToken.objects.filter(device__user=personas.practitioner).exists()
    event = AuditEvent.objects.get(action="accounts.mfa_security_key_remove")
    assert event.detail["backup_codes_removed"] is True
    assert "Set up two-step verification" in client.get(MFA).content.decode()
    options = begin(client, name="New key").json()
    assert complete(client, SoftKey().register(options)).status_code == 200
    assert WebAuthnCredential.objects.get(user=personas.practitioner).name == "New key"


def test_leftover_backup_codes_do_not_count_as_a_second_factor(personas: Personas) -> None:
    """Backup codes without an app or a key ask for no second step, so they do not stop a
    first key either."""
    StaticDevice.objects.create(user=personas.practitioner, name="Backup codes", confirmed=True)
    client = signed_in("practitioner")
    assert client.get(MFA).status_code == 200
    options = begin(client).json()
    assert complete(client, SoftKey().register(options)).status_code == 200
    assert WebAuthnCredential.objects.filter(user=personas.practitioner).count() == 1
