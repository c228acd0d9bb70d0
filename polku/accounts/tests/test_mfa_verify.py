"""The second sign-in step: a code from the authenticator app or a backup code."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import Personas
from polku.accounts.tests.conftest import code_for, enrol, sign_in, wrong_code_for
from polku.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

BACKUP_CODES = ("aaaa2222", "bbbb3333", "cccc4444")


@pytest.fixture
def device(personas: Personas) -> TOTPDevice:
    return enrol(personas.practitioner, BACKUP_CODES)


@pytest.fixture
def half_signed_in(device: TOTPDevice) -> Client:
    """A client past the password, not yet past the code."""
    client = Client()
    sign_in(client, "practitioner")
    return client


def test_it_asks_for_the_code(half_signed_in: Client) -> None:
    """The code page asks for a code from the app and mentions backup codes."""
    response = half_signed_in.get(reverse("accounts:mfa"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Enter your code" in content
    assert "backup codes" in content


def test_it_keeps_every_other_page_behind_the_code(half_signed_in: Client) -> None:
    """Until the code is entered, other pages (and account settings) send the person back."""
    for url in ["/", "/actors/person-list/", reverse("accounts:profile")]:
        response = half_signed_in.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:mfa")), url


def test_it_lets_the_person_sign_out_before_the_code(half_signed_in: Client) -> None:
    """Signing out works without the code."""
    response = half_signed_in.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in half_signed_in.session


def test_it_accepts_the_app_code(half_signed_in: Client, device: TOTPDevice) -> None:
    """A correct code finishes signing in and goes where the person was going."""
    response = half_signed_in.post(
        reverse("accounts:mfa"), {"code": code_for(device), "next": "/actors/body-list/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/actors/body-list/"
    assert half_signed_in.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert half_signed_in.get(reverse("accounts:profile")).status_code == 200
    event = AuditEvent.objects.get(action="accounts.mfa_verify")
    assert event.detail == {"method": "totp"}


def test_it_accepts_a_code_with_spaces(half_signed_in: Client, device: TOTPDevice) -> None:
    """Spaces typed into the code do not matter."""
    code = code_for(device)
    response = half_signed_in.post(reverse("accounts:mfa"), {"code": f"{code[:3]} {code[3:]}"})
    assert response.status_code == 302


def test_it_refuses_an_unsafe_next(half_signed_in: Client, device: TOTPDevice) -> None:
    """After the code, a `next` on another site is ignored."""
    response = half_signed_in.post(
        reverse("accounts:mfa"), {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("core:home")


def test_it_refuses_a_wrong_code(half_signed_in: Client, device: TOTPDevice) -> None:
    """A wrong code keeps the person at the code page and is recorded."""
    response = half_signed_in.post(reverse("accounts:mfa"), {"code": wrong_code_for(device)})
    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in half_signed_in.session
    assert half_signed_in.get("/").status_code == 302
    assert AuditEvent.objects.filter(action="accounts.mfa_verify_failed").count() == 1


def test_it_refuses_the_same_app_code_twice(device: TOTPDevice) -> None:
    """A code that has been used cannot be replayed in another session."""
    first = Client()
    sign_in(first, "practitioner")
    code = code_for(device)
    assert first.post(reverse("accounts:mfa"), {"code": code}).status_code == 302
    second = Client()
    sign_in(second, "practitioner")
    response = second.post(reverse("accounts:mfa"), {"code": code})
    assert response.status_code == 200
    assert DEVICE_ID_SESSION_KEY not in second.session


def test_it_throttles_wrong_codes(
    half_signed_in: Client, device: TOTPDevice, settings: Any
) -> None:
    """Right after a wrong code, the right one is refused with a wait message."""
    # A wait of a minute, so a slow machine between the two requests cannot outlast it.
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    half_signed_in.post(reverse("accounts:mfa"), {"code": wrong_code_for(device)})
    response = half_signed_in.post(reverse("accounts:mfa"), {"code": code_for(device)})
    assert response.status_code == 200
    assert "Too many wrong codes. Wait" in response.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=2)
    )
    response = half_signed_in.post(reverse("accounts:mfa"), {"code": code_for(device)})
    assert response.status_code == 302


def test_it_accepts_a_backup_code_once(device: TOTPDevice, personas: Personas) -> None:
    """A backup code works once; the count of codes left goes down; reuse fails."""
    client = Client()
    sign_in(client, "practitioner")
    response = client.post(reverse("accounts:mfa"), {"code": "AAAA-2222"}, follow=True)
    assert response.redirect_chain[0][0] == reverse("core:home")
    assert "You have 2 backup codes left." in response.content.decode()
    assert not StaticToken.objects.filter(token="aaaa2222").exists()
    event = AuditEvent.objects.get(action="accounts.mfa_verify")
    assert event.detail == {"method": "backup_code", "backup_codes_left": 2}

    again = Client()
    sign_in(again, "practitioner")
    response = again.post(reverse("accounts:mfa"), {"code": "aaaa2222"})
    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in again.session


def test_it_asks_nobody_without_an_app_for_a_code(personas: Personas) -> None:
    """A person without an authenticator app goes straight in after the password."""
    client = Client()
    response = sign_in(client, "practitioner")
    assert response["Location"] == reverse("core:home")
    assert client.get("/").status_code == 200
