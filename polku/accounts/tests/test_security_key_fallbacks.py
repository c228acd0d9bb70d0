"""What stays when a second factor goes, and what the pages say about it: the backup codes
that stand behind security keys, and the pages that offer only the ways in a person has."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import Personas
from polku.accounts.models import User
from polku.accounts.tests.conftest import PASSWORD, code_for, enrol, sign_in
from polku.accounts.tests.security_keys import SoftKey
from polku.accounts.tests.test_security_key_manage import verified_with_key
from polku.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

MFA = reverse("accounts:mfa")
MANAGE = reverse("accounts:mfa_manage")


def give_backup_codes(user: User, *codes: str) -> None:
    device = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    for code in codes:
        StaticToken.objects.create(device=device, token=code)


def verified_with_code(user: User, backup_codes: tuple[str, ...] = ()) -> Client:
    device = enrol(user, backup_codes)
    client = Client()
    sign_in(client, user.username)
    assert client.post(MFA, {"code": code_for(device)}).status_code == 302
    return client


def second_step_page(username: str) -> str:
    client = Client()
    assert sign_in(client, username)["Location"] == MFA
    return str(client.get(MFA).content.decode())


# Removing the authenticator app


def test_removing_the_app_keeps_the_backup_codes_when_keys_remain(personas: Personas) -> None:
    """With security keys left, the backup codes stay as their fallback and still sign in."""
    user = personas.practitioner
    client = verified_with_code(user, ("aaaa2222", "bbbb3333"))
    SoftKey().add_to(user)
    response = client.post(MANAGE, {"action": "remove", "password": PASSWORD}, follow=True)
    assert "Your security keys and backup codes still work." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert StaticToken.objects.filter(device__user=user).count() == 2
    event = AuditEvent.objects.get(action="accounts.mfa_remove")
    assert event.detail == {"had_authenticator": True, "backup_codes_kept": True}
    later = Client()
    sign_in(later, "practitioner")
    assert later.post(MFA, {"code": "aaaa2222"}).status_code == 302
    assert later.get("/").status_code == 200


def test_removing_the_only_second_factor_removes_the_backup_codes(personas: Personas) -> None:
    """Without keys, removing the app turns two-step verification off, codes and all."""
    user = personas.practitioner
    client = verified_with_code(user, ("aaaa2222",))
    response = client.post(MANAGE, {"action": "remove", "password": PASSWORD}, follow=True)
    assert "Two-step verification is off." in response.content.decode()
    assert not StaticDevice.objects.filter(user=user).exists()
    event = AuditEvent.objects.get(action="accounts.mfa_remove")
    assert event.detail == {"had_authenticator": True, "backup_codes_kept": False}


# The second sign-in step offers only what the person has


def test_a_key_only_person_without_codes_is_not_told_to_use_codes(personas: Personas) -> None:
    """No backup codes: no code form, no word of backup codes, no "I do not have my key"."""
    SoftKey().add_to(personas.practitioner)
    page = second_step_page("practitioner")
    assert "Use your security key" in page
    assert 'name="code"' not in page
    assert "backup code" not in page.lower()
    assert "I do not have my security key" not in page
    assert "enter a code below" not in page
    assert "ask your Polku administrator" in page


def test_a_key_only_person_with_codes_is_offered_them(personas: Personas) -> None:
    """Backup codes left: the code form asks for a backup code, with the hint about the key."""
    SoftKey().add_to(personas.practitioner)
    give_backup_codes(personas.practitioner, "aaaa2222")
    page = second_step_page("practitioner")
    assert "Or enter a backup code" in page
    assert "Backup code" in page
    assert 'name="code"' in page
    assert "I do not have my security key" in page
    assert "authenticator app" not in page


def test_an_app_user_without_codes_is_not_told_to_use_codes(personas: Personas) -> None:
    """An app and no backup codes left: the code form for the app, nothing about codes."""
    enrol(personas.practitioner)
    page = second_step_page("practitioner")
    assert 'name="code"' in page
    assert "backup code" not in page.lower()
    assert "I do not have my phone" not in page


def test_an_app_user_with_codes_is_offered_them(personas: Personas) -> None:
    """An app and backup codes: the hint for a lost phone leads to the codes."""
    enrol(personas.practitioner, ("aaaa2222",))
    page = second_step_page("practitioner")
    assert "I do not have my phone" in page
    assert "or one of your backup codes" in page


def test_an_empty_backup_code_is_asked_for_by_name(personas: Personas) -> None:
    """A key-only person who sends the form empty is asked for a backup code, not an app code."""
    SoftKey().add_to(personas.practitioner)
    give_backup_codes(personas.practitioner, "aaaa2222")
    client = Client()
    sign_in(client, "practitioner")
    page = client.post(MFA, {"code": ""}).content.decode()
    assert "Enter one of your backup codes" in page


# Removing the last security key


def remove_page(client: Client, key_pk: int) -> str:
    url = reverse("accounts:security_key_remove", args=[key_pk])
    return str(client.get(url).content.decode())


def test_removing_the_last_key_says_two_step_verification_goes_off(personas: Personas) -> None:
    """The only key of someone without an app: the page says plainly what removing it does."""
    key = SoftKey()
    device = key.add_to(personas.practitioner)
    give_backup_codes(personas.practitioner, "aaaa2222")
    client = verified_with_key(personas.practitioner, key)
    page = remove_page(client, device.pk)
    assert "Removing it turns two-step verification off" in page
    assert "your backup codes will stop working" in page
    assert "You can add it again later." not in page


def test_the_last_key_can_be_set_up_again_from_the_set_up_page(personas: Personas) -> None:
    """What the page promises holds: with the key gone, the set-up page offers a key again."""
    key = SoftKey()
    device = key.add_to(personas.practitioner)
    client = verified_with_key(personas.practitioner, key)
    url = reverse("accounts:security_key_remove", args=[device.pk])
    assert client.post(url, {"password": PASSWORD}).status_code == 302
    page = client.get(MFA).content.decode()
    assert "Set up two-step verification" in page
    assert 'id="security-key-form"' in page


def test_removing_one_of_several_keys_keeps_the_old_sentence(personas: Personas) -> None:
    """With another key left, two-step verification stays on and the key can come back."""
    key = SoftKey()
    device = key.add_to(personas.practitioner, "First")
    SoftKey().add_to(personas.practitioner, "Second")
    client = verified_with_key(personas.practitioner, key)
    page = remove_page(client, device.pk)
    assert "You can add it again later." in page
    assert "turns two-step verification off" not in page


def test_the_last_key_of_someone_with_an_app_keeps_the_old_sentence(personas: Personas) -> None:
    """With an authenticator app, removing the only key leaves two-step verification on."""
    client = verified_with_code(personas.practitioner)
    device = SoftKey().add_to(personas.practitioner)
    page = remove_page(client, device.pk)
    assert "You can add it again later." in page
    assert "turns two-step verification off" not in page


def test_a_required_role_is_told_the_last_key_stays(settings: Any, personas: Personas) -> None:
    """Where the role requires two-step verification, the page says why it cannot go, and the
    removal is still refused."""
    settings.POLKU_MFA_REQUIRED = True
    key = SoftKey()
    device = key.add_to(personas.coordinator)
    client = verified_with_key(personas.coordinator, key)
    page = remove_page(client, device.pk)
    assert "your role requires two-step verification, so you cannot remove it" in page
    assert "turns two-step verification off" not in page
    url = reverse("accounts:security_key_remove", args=[device.pk])
    response = client.post(url, {"password": PASSWORD})
    assert response.status_code == 200
    assert "You cannot remove your only security key" in response.content.decode()
