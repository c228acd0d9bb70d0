"""Throttling of sign-in by django-axes: five failures pause a username from one address."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from conftest import Personas
from polku.accounts.tests.conftest import sign_in
from polku.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def fail(client: Client, times: int, username: str = "practitioner") -> list[int]:
    return [sign_in(client, username, "not-the-password").status_code for _ in range(times)]


def test_it_allows_four_failures(personas: Personas) -> None:
    """Four wrong passwords still leave the sign-in form, and the right one then works."""
    client = Client()
    assert fail(client, 4) == [200, 200, 200, 200]
    response = sign_in(client, "practitioner")
    assert response.status_code == 302


def test_it_locks_out_on_the_fifth_failure(personas: Personas) -> None:
    """The fifth failure shows the lock-out page, saying when to try again."""
    client = Client()
    statuses = fail(client, 5)
    assert statuses[:4] == [200, 200, 200, 200]
    assert statuses[4] == 429
    response = sign_in(client, "practitioner", "not-the-password")
    content = response.content.decode()
    assert response.status_code == 429
    assert "Sign-in is paused" in content
    assert "You can try again in 15 minutes, after" in content
    assert "<form" not in content.split('id="main-content"')[1].split("</main>")[0]


def test_it_refuses_even_the_right_password_while_locked(personas: Personas) -> None:
    """During the pause, the correct password does not sign in either."""
    client = Client()
    fail(client, 5)
    response = sign_in(client, "practitioner")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_it_lets_the_person_in_after_the_cool_off(personas: Personas) -> None:
    """Once the 15 minutes have passed, the correct password works again."""
    client = Client()
    fail(client, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = sign_in(client, "practitioner")
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_it_pauses_only_that_username_from_that_address(personas: Personas) -> None:
    """Another person signing in from the same address is not locked out."""
    client = Client()
    fail(client, 5)
    response = sign_in(client, "coordinator")
    assert response.status_code == 302
    elsewhere = Client(REMOTE_ADDR="192.0.2.10")
    assert sign_in(elsewhere, "practitioner").status_code == 302


def test_it_records_the_lock_out(personas: Personas) -> None:
    """The lock-out is a security event naming the account."""
    fail(Client(), 5)
    event = AuditEvent.objects.get(action="accounts.lockout")
    assert event.detail == {"username": "practitioner", "known_account": True}
    assert AuditEvent.objects.filter(action="accounts.login_failed").count() == 5
