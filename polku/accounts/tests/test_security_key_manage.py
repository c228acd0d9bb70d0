"""Adding, listing and removing security keys and passkeys on the two-step page."""

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential

from conftest import Personas
from polku.accounts.models import User
from polku.accounts.tests.conftest import PASSWORD, code_for, enrol, sign_in
from polku.accounts.tests.security_keys import SoftKey
from polku.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

ADD_BEGIN = reverse("accounts:security_key_add_begin")
ADD = reverse("accounts:security_key_add")
MANAGE = reverse("accounts:mfa_manage")


def verified_with_app(user: User) -> Client:
    """The person fully signed in with an authenticator app."""
    device = enrol(user)
    client = Client()
    sign_in(client, user.username)
    assert client.post(reverse("accounts:mfa"), {"code": code_for(device)}).status_code == 302
    return client


def verified_with_key(user: User, key: SoftKey) -> Client:
    """The person fully signed in with a security key (their only second factor)."""
    client = Client()
    sign_in(client, user.username)
    options = client.post(reverse("accounts:security_key_verify_begin")).json()
    response = client.post(
        reverse("accounts:security_key_verify"),
        json.dumps(key.sign(options)),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return client


def begin(client: Client, name: str = "Blue key", password: str = PASSWORD) -> Any:
    return client.post(ADD_BEGIN, {"key-name": name, "key-password": password})


def complete(client: Client, answer: dict[str, Any]) -> Any:
    return client.post(ADD, json.dumps(answer), content_type="application/json")


@pytest.fixture
def verified(personas: Personas) -> Client:
    return verified_with_app(personas.practitioner)


def test_it_offers_to_add_a_key(verified: Client) -> None:
    """The two-step page has the security-key section, its form and the no-JavaScript note."""
    content = verified.get(MANAGE).content.decode()
    assert "Security keys and passkeys" in content
    assert "You have not added a security key." in content
    assert 'id="security-key-form"' in content
    assert 'name="key-name"' in content
    assert "Adding a security key needs JavaScript." in content
    assert 'id="security-key-config" type="application/json"' in content
    assert "accounts/js/security-key.js" in content


def test_it_lists_only_the_persons_own_keys(verified: Client, personas: Personas) -> None:
    """Each key shows its name, when it was added and when last used; others' keys never show."""
    SoftKey().add_to(personas.practitioner, "Blue key")
    used = SoftKey().add_to(personas.practitioner, "Work laptop")
    used.set_last_used_timestamp()
    SoftKey().add_to(personas.ngo, "Someone else's key")
    content = verified.get(MANAGE).content.decode()
    assert "2 security keys" in content
    assert "Blue key" in content
    assert "Work laptop" in content
    assert "Not used yet" in content
    assert "Someone else" not in content
    assert reverse("accounts:security_key_remove", args=[used.pk]) in content


def test_it_adds_a_named_key(verified: Client, personas: Personas) -> None:
    """The name and password open a challenge; the key's answer keeps it, audited."""
    key = SoftKey()
    options = begin(verified, name="  Blue   key ").json()
    assert options["rp"] == {"id": "localhost", "name": "Polku"}
    assert options["user"]["name"] == "practitioner"
    response = complete(verified, key.register(options))
    assert response.status_code == 200
    assert response.json()["redirect_url"] == MANAGE
    device = WebAuthnCredential.objects.get(user=personas.practitioner)
    assert device.name == "Blue key"
    assert device.confirmed
    event = AuditEvent.objects.get(action="accounts.mfa_security_key_add")
    assert event.actor == personas.practitioner
    assert event.detail == {"method": "security_key", "key": device.pk, "name": "Blue key"}
    assert PASSWORD not in str(event.detail)
    page = verified.get(MANAGE).content.decode()
    assert "Security key “Blue key” added." in page


@pytest.mark.parametrize(
    ("name", "password", "field", "message"),
    [
        ("", PASSWORD, "name", "Enter a name for the security key"),
        ("   ", PASSWORD, "name", "Enter a name for the security key"),
        ("x" * 65, PASSWORD, "name", "The name must be 64 characters or fewer"),
        ("Blue key", "", "password", "Enter your password"),
        ("Blue key", "not-my-password", "password", "The password is not right"),
    ],
)
def test_it_refuses_a_bad_name_or_password(
    verified: Client, name: str, password: str, field: str, message: str
) -> None:
    """Each problem comes back for its field, and no challenge is handed out."""
    response = begin(verified, name=name, password=password)
    assert response.status_code == 400
    assert {"field": field, "message": message} in response.json()["errors"]
    assert "otp_webauthn_register_state" not in verified.session
    assert complete(verified, SoftKey().register({"challenge": "AAAA"})).status_code == 400
    assert not WebAuthnCredential.objects.exists()


def test_it_refuses_an_answer_to_another_challenge(verified: Client, personas: Personas) -> None:
    """A registration signed for another challenge keeps nothing, and the failure is audited."""
    begin(verified)
    response = complete(verified, SoftKey().register({"challenge": "b3RoZXItY2hhbGxlbmdl"}))
    assert response.status_code == 422
    assert not WebAuthnCredential.objects.exists()
    assert AuditEvent.objects.filter(
        action="accounts.mfa_security_key_add_failed", actor=personas.practitioner
    ).exists()


def test_it_refuses_an_answer_from_another_site(verified: Client) -> None:
    """A key registered for another relying party or address is refused."""
    options = begin(verified).json()
    assert complete(verified, SoftKey().register(options, rp_id="example.org")).status_code == 422
    options = begin(verified).json()
    answer = SoftKey().register(options, origin="https://evil.example")
    assert complete(verified, answer).status_code == 422
    assert not WebAuthnCredential.objects.exists()


def test_it_uses_a_challenge_once(verified: Client) -> None:
    """Replaying a registration answer after the challenge is spent keeps nothing more."""
    key = SoftKey()
    answer = key.register(begin(verified).json())
    assert complete(verified, answer).status_code == 200
    assert complete(verified, answer).status_code == 400
    assert WebAuthnCredential.objects.count() == 1


def test_it_needs_a_session_past_the_second_step(personas: Personas) -> None:
    """Someone with a second factor adds a key only after passing the second step in this
    session; signed out, nobody does."""
    enrol(personas.ngo)
    pending = Client()
    sign_in(pending, "ngo")
    response = begin(pending)
    assert response.status_code == 403
    assert response.json()["detail"] == "Enter a code or use a security key first."
    assert "otp_webauthn_register_state" not in pending.session
    SoftKey().add_to(personas.practitioner)
    with_key = Client()
    sign_in(with_key, "practitioner")
    assert begin(with_key).status_code == 403
    assert complete(with_key, SoftKey().register({"challenge": "AAAA"})).status_code == 403
    assert Client().post(ADD_BEGIN, {"key-name": "x", "key-password": PASSWORD}).status_code == 403
    assert WebAuthnCredential.objects.filter(user=personas.ngo).count() == 0
    assert WebAuthnCredential.objects.filter(user=personas.practitioner).count() == 1


def test_it_asks_to_confirm_a_removal(verified: Client, personas: Personas) -> None:
    """The remove link opens a confirmation page naming the key; nothing is removed yet."""
    device = SoftKey().add_to(personas.practitioner, "Blue key")
    response = verified.get(reverse("accounts:security_key_remove", args=[device.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Remove the security key “Blue key”?" in content
    assert 'type="password"' in content
    assert WebAuthnCredential.objects.filter(pk=device.pk).exists()


def test_it_removes_a_key(verified: Client, personas: Personas) -> None:
    """With the password, the key goes, and the removal is audited."""
    device = SoftKey().add_to(personas.practitioner, "Blue key")
    url = reverse("accounts:security_key_remove", args=[device.pk])
    response = verified.post(url, {"password": PASSWORD})
    assert response["Location"] == MANAGE
    assert not WebAuthnCredential.objects.filter(pk=device.pk).exists()
    event = AuditEvent.objects.get(action="accounts.mfa_security_key_remove")
    assert event.actor == personas.practitioner
    assert event.detail == {"method": "security_key", "key": device.pk, "name": "Blue key"}
    assert "Security key “Blue key” removed." in verified.get(MANAGE).content.decode()


def test_it_needs_the_password_to_remove(verified: Client, personas: Personas) -> None:
    """A wrong password removes nothing."""
    device = SoftKey().add_to(personas.practitioner)
    url = reverse("accounts:security_key_remove", args=[device.pk])
    response = verified.post(url, {"password": "not-my-password"})
    assert response.status_code == 200
    assert "The password is not right" in response.content.decode()
    assert WebAuthnCredential.objects.filter(pk=device.pk).exists()
    assert not AuditEvent.objects.filter(action="accounts.mfa_security_key_remove").exists()


def test_it_hides_other_peoples_keys(verified: Client, personas: Personas) -> None:
    """Another person's key id, or one that does not exist, is not found and stays."""
    other = SoftKey().add_to(personas.ngo)
    url = reverse("accounts:security_key_remove", args=[other.pk])
    assert verified.get(url).status_code == 404
    assert verified.post(url, {"password": PASSWORD}).status_code == 404
    assert WebAuthnCredential.objects.filter(pk=other.pk).exists()
    missing = reverse("accounts:security_key_remove", args=[other.pk + 1000])
    assert verified.get(missing).status_code == 404


def test_removing_needs_a_session_past_the_second_step(personas: Personas) -> None:
    """A session that has not passed the second step is sent there first."""
    key = SoftKey()
    device = key.add_to(personas.practitioner)
    client = Client()
    client.force_login(personas.practitioner)
    url = reverse("accounts:security_key_remove", args=[device.pk])
    response = client.post(url, {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:mfa"))
    assert WebAuthnCredential.objects.filter(pk=device.pk).exists()


@pytest.fixture
def enforced(settings: Any) -> None:
    settings.POLKU_MFA_REQUIRED = True


@pytest.mark.usefixtures("enforced")
def test_it_keeps_the_last_second_factor_of_a_required_role(personas: Personas) -> None:
    """A coordinator's only security key, with no app, cannot be removed."""
    key = SoftKey()
    device = key.add_to(personas.coordinator)
    client = verified_with_key(personas.coordinator, key)
    url = reverse("accounts:security_key_remove", args=[device.pk])
    response = client.post(url, {"password": PASSWORD})
    assert response.status_code == 200
    assert "You cannot remove your only security key" in response.content.decode()
    assert WebAuthnCredential.objects.filter(pk=device.pk).exists()
    assert not AuditEvent.objects.filter(action="accounts.mfa_security_key_remove").exists()


@pytest.mark.usefixtures("enforced")
def test_a_required_role_may_remove_a_key_with_another_left(personas: Personas) -> None:
    """With a second key, or with an authenticator app, a coordinator can remove a key."""
    key = SoftKey()
    first = key.add_to(personas.coordinator, "First")
    second = SoftKey().add_to(personas.coordinator, "Second")
    client = verified_with_key(personas.coordinator, key)
    url = reverse("accounts:security_key_remove", args=[second.pk])
    assert client.post(url, {"password": PASSWORD})["Location"] == MANAGE
    enrol(personas.coordinator)
    url = reverse("accounts:security_key_remove", args=[first.pk])
    assert client.post(url, {"password": PASSWORD})["Location"] == MANAGE
    assert not WebAuthnCredential.objects.filter(user=personas.coordinator).exists()


def test_others_may_remove_their_last_key(personas: Personas) -> None:
    """Where no role requires it, removing the only key turns two-step verification off."""
    key = SoftKey()
    device = key.add_to(personas.practitioner)
    client = verified_with_key(personas.practitioner, key)
    url = reverse("accounts:security_key_remove", args=[device.pk])
    assert client.post(url, {"password": PASSWORD})["Location"] == MANAGE
    later = Client()
    assert sign_in(later, "practitioner")["Location"] == reverse("core:home")


def test_a_key_only_person_manages_the_app_too(personas: Personas) -> None:
    """Someone who signs in with a key only is offered an app and backup codes, not turning off."""
    key = SoftKey()
    key.add_to(personas.practitioner)
    client = verified_with_key(personas.practitioner, key)
    content = client.get(MANAGE).content.decode()
    assert "Set up an authenticator app" in content
    assert "Get new backup codes" in content
    assert "Turn off two-step verification" not in content
    response = client.post(MANAGE, {"action": "reenrol", "password": PASSWORD})
    assert response["Location"] == reverse("accounts:mfa")
    assert "Set up two-step verification" in client.get(reverse("accounts:mfa")).content.decode()


def test_removing_the_app_keeps_the_keys(verified: Client, personas: Personas) -> None:
    """With keys added, the app can be removed while two-step verification stays on."""
    SoftKey().add_to(personas.practitioner)
    content = verified.get(MANAGE).content.decode()
    assert "Remove the authenticator app (your backup codes stay)" in content
    assert "Your backup codes stay, for when you do not have a key with you." in content
    response = verified.post(MANAGE, {"action": "remove", "password": PASSWORD})
    assert response["Location"] == reverse("accounts:profile")
    assert WebAuthnCredential.objects.filter(user=personas.practitioner).exists()
    later = Client()
    assert sign_in(later, "practitioner")["Location"] == reverse("accounts:mfa")


def test_the_profile_counts_the_keys(personas: Personas) -> None:
    """Someone who signs in with keys only sees two-step verification on, with a change link."""
    key = SoftKey()
    key.add_to(personas.practitioner)
    SoftKey().add_to(personas.practitioner)
    client = verified_with_key(personas.practitioner, key)
    content = client.get(reverse("accounts:profile")).content.decode()
    assert "2 security keys." in content
    assert "backup code" not in content
    assert f'href="{MANAGE}"' in content
    assert f'href="{reverse("accounts:mfa")}"' not in content


def test_removing_the_app_keeps_the_session_verified(verified: Client, personas: Personas) -> None:
    """The session passed the second step with the app; with keys left, removing the app keeps
    it past the second step, so the two-step page opens without using a key again."""
    SoftKey().add_to(personas.practitioner)
    response = verified.post(MANAGE, {"action": "remove", "password": PASSWORD})
    assert response["Location"] == reverse("accounts:profile")
    assert verified.get(MANAGE).status_code == 200
    content = verified.get(reverse("accounts:mfa")).content.decode()
    assert "1. Add Polku to your authenticator app" in content
    assert "Enter your code" not in content


def test_replacing_the_app_with_keys_left_goes_straight_to_the_set_up(
    verified: Client, personas: Personas
) -> None:
    """Choosing a new app removes the old one and opens its set-up page, with no key asked."""
    SoftKey().add_to(personas.practitioner)
    response = verified.post(MANAGE, {"action": "reenrol", "password": PASSWORD})
    assert response["Location"] == reverse("accounts:mfa")
    content = verified.get(reverse("accounts:mfa")).content.decode()
    assert "1. Add Polku to your authenticator app" in content
    assert "Use your security key" not in content


def test_removing_the_key_used_keeps_the_session_verified(personas: Personas) -> None:
    """Signed in with one key, removing that key while another remains keeps the session."""
    key = SoftKey()
    used = key.add_to(personas.practitioner, "First")
    SoftKey().add_to(personas.practitioner, "Second")
    client = verified_with_key(personas.practitioner, key)
    url = reverse("accounts:security_key_remove", args=[used.pk])
    assert client.post(url, {"password": PASSWORD})["Location"] == MANAGE
    page = client.get(MANAGE)
    assert page.status_code == 200
    assert "1 security key" in page.content.decode()


def test_new_backup_codes_keep_a_session_verified_with_a_backup_code(
    personas: Personas,
) -> None:
    """Signed in with a backup code, replacing the codes keeps the session past the step."""
    enrol(personas.practitioner, ("aaaa2222", "bbbb3333"))
    SoftKey().add_to(personas.practitioner)
    client = Client()
    sign_in(client, "practitioner")
    assert client.post(reverse("accounts:mfa"), {"code": "aaaa2222"}).status_code == 302
    response = client.post(MANAGE, {"action": "backup_codes", "password": PASSWORD})
    assert "Save your backup codes" in response.content.decode()
    assert client.get(MANAGE).status_code == 200


def test_removing_the_last_second_factor_ends_the_verification(personas: Personas) -> None:
    """With nothing left to stand for the removed app, the session is no longer verified."""
    client = verified_with_app(personas.practitioner)
    client.post(MANAGE, {"action": "remove", "password": PASSWORD})
    assert "Set up two-step verification" in client.get(reverse("accounts:mfa")).content.decode()
    assert client.get(MANAGE)["Location"] == reverse("accounts:mfa")


def test_an_administrator_reset_says_the_keys_were_removed(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """The e-mail after a reset names the security keys with the app and the backup codes."""
    from django.core import mail

    from polku.accounts.services import mfa_reset

    person = personas.ngo
    person.email = "nea@example.org"
    person.save()
    enrol(person, ("aaaa2222",))
    SoftKey().add_to(person)
    with django_capture_on_commit_callbacks(execute=True):
        mfa_reset(actor=personas.coordinator, user=person, reason="Lost the key and phone.")
    assert not WebAuthnCredential.objects.filter(user=person).exists()
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "authenticator app" in body
    assert "backup codes" in body
    assert "security keys or passkeys" in body
