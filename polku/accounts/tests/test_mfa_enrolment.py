"""Setting up an authenticator app (TOTP) and receiving backup codes."""

import base64
import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import ClientFor, Personas
from polku.accounts.tests.conftest import code_for, wrong_code_for
from polku.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def start(client: Client) -> tuple[TOTPDevice, str]:
    response = client.get(reverse("accounts:mfa"))
    assert response.status_code == 200
    return TOTPDevice.objects.get(confirmed=False), response.content.decode()


def test_it_shows_a_qr_code_and_the_key(client_for: ClientFor, personas: Personas) -> None:
    """The set-up page shows the key as a QR code (an SVG without styles) and as text."""
    device, page = start(client_for("practitioner"))
    assert device.user == personas.practitioner
    match = re.search(r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', page)
    assert match
    svg = base64.b64decode(match.group(1)).decode()
    assert svg.startswith("<svg")
    assert "style" not in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    shown = re.search(r'<code[^>]*id="totp-secret">([A-Z2-7 ]+)</code>', page)
    assert shown
    assert shown.group(1).replace(" ", "") == secret


def test_it_keeps_the_same_key_when_the_page_is_reloaded(client_for: ClientFor) -> None:
    """Reloading the page does not invalidate a QR code already scanned."""
    client = client_for("practitioner")
    first, _ = start(client)
    second, _ = start(client)
    assert first.pk == second.pk
    assert TOTPDevice.objects.count() == 1


def test_it_turns_on_with_a_correct_code(client_for: ClientFor, personas: Personas) -> None:
    """The right code confirms the app, verifies the session and shows ten backup codes once."""
    client = client_for("practitioner")
    device, _ = start(client)
    response = client.post(reverse("accounts:mfa"), {"code": code_for(device)})
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    page = response.content.decode()
    shown = re.findall(r'<code class="[^"]*">([a-z2-7]{8})</code>', page)
    stored = set(
        StaticToken.objects.filter(device__user=personas.practitioner).values_list(
            "token", flat=True
        )
    )
    assert len(shown) == 10
    assert set(shown) == stored
    assert "These codes are shown only now" in page
    event = AuditEvent.objects.get(action="accounts.mfa_enrol")
    assert event.actor == personas.practitioner
    assert not any(code in str(event.detail) for code in shown)
    assert device.key not in str(event.detail)
    again = client.get(reverse("accounts:mfa"))
    assert again.status_code == 302
    assert again["Location"] == reverse("accounts:profile")


def test_it_refuses_a_wrong_code(client_for: ClientFor) -> None:
    """A wrong code leaves the app unconfirmed and says what to check."""
    client = client_for("practitioner")
    device, _ = start(client)
    response = client.post(reverse("accounts:mfa"), {"code": wrong_code_for(device)})
    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert StaticToken.objects.count() == 0
    assert AuditEvent.objects.filter(action="accounts.mfa_enrol_failed").count() == 1


@pytest.mark.parametrize("code", ["12345", "1234567", "abcdef"])
def test_it_asks_for_six_digits(client_for: ClientFor, code: str) -> None:
    """Anything but six digits is refused before it counts as an attempt."""
    client = client_for("practitioner")
    device, _ = start(client)
    response = client.post(reverse("accounts:mfa"), {"code": code})
    assert "The code must be 6 digits" in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_it_throttles_wrong_codes(client_for: ClientFor, settings: Any) -> None:
    """After a wrong code, even the right one is refused until the wait is over."""
    # A wait of a minute, so a slow machine between the two requests cannot outlast it.
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    client = client_for("practitioner")
    device, _ = start(client)
    client.post(reverse("accounts:mfa"), {"code": wrong_code_for(device)})
    response = client.post(reverse("accounts:mfa"), {"code": code_for(device)})
    assert "Too many wrong codes" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=2)
    )
    response = client.post(reverse("accounts:mfa"), {"code": code_for(device)})
    device.refresh_from_db()
    assert device.confirmed


def test_it_doubles_the_wait_after_each_wrong_code(client_for: ClientFor) -> None:
    """The throttle is on: the required wait grows with each failure."""
    client = client_for("practitioner")
    device, _ = start(client)
    for _attempt in range(3):
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
        client.post(reverse("accounts:mfa"), {"code": wrong_code_for(device)})
    device.refresh_from_db()
    assert device.throttling_enabled
    assert device.throttling_failure_count == 3
    allowed, data = device.verify_is_allowed()
    assert not allowed
    assert data["locked_until"] - device.throttling_failure_timestamp == timedelta(seconds=4)


def test_starting_enrolment_is_recorded_once(personas: Personas, client_for: ClientFor) -> None:
    """Opening the set-up page creates one unconfirmed authenticator and records it; opening it
    again reuses the same one and records nothing more."""
    client = client_for("practitioner")
    client.get(reverse("accounts:mfa"))
    client.get(reverse("accounts:mfa"))
    assert TOTPDevice.objects.filter(user=personas.practitioner, confirmed=False).count() == 1
    assert AuditEvent.objects.filter(action="accounts.mfa.enrolment_start").count() == 1
