"""Turning two-step verification off, replacing the app or the backup codes."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import Personas
from polku.accounts.tests.conftest import PASSWORD, code_for, enrol, sign_in
from polku.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def verified(personas: Personas) -> Client:
    """A practitioner fully signed in with an authenticator app and backup codes."""
    device = enrol(personas.practitioner, ("aaaa2222", "bbbb3333"))
    client = Client()
    sign_in(client, "practitioner")
    assert client.post(reverse("accounts:mfa"), {"code": code_for(device)}).status_code == 302
    return client


def test_it_shows_the_choices(verified: Client) -> None:
    """The page offers the three changes and asks for the password."""
    response = verified.get(reverse("accounts:mfa_manage"))
    assert response.status_code == 200
    content = response.content.decode()
    for label in ["Set up a new authenticator app", "Get new backup codes", "Turn off"]:
        assert label in content
    assert 'type="password"' in content


def test_it_needs_the_password(verified: Client, personas: Personas) -> None:
    """A wrong password changes nothing."""
    response = verified.post(
        reverse("accounts:mfa_manage"), {"action": "remove", "password": "not-my-password"}
    )
    assert response.status_code == 200
    assert "The password is not right" in response.content.decode()
    assert TOTPDevice.objects.filter(user=personas.practitioner).exists()


def test_it_needs_a_choice(verified: Client, personas: Personas) -> None:
    """Without a choice, nothing changes."""
    response = verified.post(reverse("accounts:mfa_manage"), {"password": PASSWORD})
    assert "Choose what you want to do" in response.content.decode()
    assert TOTPDevice.objects.filter(user=personas.practitioner).exists()


def test_it_turns_two_step_verification_off(verified: Client, personas: Personas) -> None:
    """Removing takes away the app and the backup codes, and is audited."""
    response = verified.post(
        reverse("accounts:mfa_manage"), {"action": "remove", "password": PASSWORD}
    )
    assert response["Location"] == reverse("accounts:profile")
    assert not TOTPDevice.objects.filter(user=personas.practitioner).exists()
    assert not StaticDevice.objects.filter(user=personas.practitioner).exists()
    event = AuditEvent.objects.get(action="accounts.mfa_remove")
    assert event.actor == personas.practitioner
    assert PASSWORD not in str(event.detail)
    later = Client()
    assert sign_in(later, "practitioner")["Location"] == reverse("core:home")


def test_it_starts_again_with_a_new_app(verified: Client, personas: Personas) -> None:
    """Re-enrolling removes the old app and opens the set-up page with a new key."""
    old = TOTPDevice.objects.get(user=personas.practitioner)
    response = verified.post(
        reverse("accounts:mfa_manage"), {"action": "reenrol", "password": PASSWORD}
    )
    assert response["Location"] == reverse("accounts:mfa")
    page = verified.get(reverse("accounts:mfa"))
    assert "Set up two-step verification" in page.content.decode()
    new = TOTPDevice.objects.get(user=personas.practitioner)
    assert new.pk != old.pk
    assert new.key != old.key
    assert not new.confirmed


def test_it_replaces_the_backup_codes(verified: Client, personas: Personas) -> None:
    """New backup codes are shown once; the old ones stop working."""
    response = verified.post(
        reverse("accounts:mfa_manage"), {"action": "backup_codes", "password": PASSWORD}
    )
    assert response.status_code == 200
    shown = re.findall(r'<code class="[^"]*">([a-z2-7]{8})</code>', response.content.decode())
    assert len(shown) == 10
    tokens = set(
        StaticToken.objects.filter(device__user=personas.practitioner).values_list(
            "token", flat=True
        )
    )
    assert tokens == set(shown)
    assert "aaaa2222" not in tokens
    assert AuditEvent.objects.filter(action="accounts.mfa_backup_codes").exists()


def test_it_is_not_reachable_before_the_code(personas: Personas) -> None:
    """A session that has not entered a code cannot change the second factor."""
    enrol(personas.practitioner)
    client = Client()
    client.force_login(personas.practitioner)
    response = client.post(
        reverse("accounts:mfa_manage"), {"action": "remove", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:mfa"))
    assert TOTPDevice.objects.filter(user=personas.practitioner).exists()


def test_it_sends_someone_without_an_app_to_set_one_up(personas: Personas) -> None:
    """With nothing to change, the page leads to the set-up page."""
    client = Client()
    client.force_login(personas.practitioner)
    response = client.get(reverse("accounts:mfa_manage"))
    assert response["Location"] == reverse("accounts:mfa")
