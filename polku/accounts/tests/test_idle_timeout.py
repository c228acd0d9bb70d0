"""Sessions end after POLKU_SESSION_IDLE_SECONDS without a request."""

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import Personas
from polku.accounts import middleware
from polku.accounts.tests.conftest import sign_in
from polku.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


class Clock:
    """Stands in for time.time() in the middleware."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Clock:
    settings.POLKU_SESSION_IDLE_SECONDS = 60
    fake = Clock()
    monkeypatch.setattr(middleware, "time", SimpleNamespace(time=lambda: fake.now))
    return fake


@pytest.fixture
def signed_in(personas: Personas, clock: Clock) -> Client:
    client = Client()
    sign_in(client, "practitioner")
    assert client.get("/").status_code == 200
    return client


def test_it_keeps_an_active_session(signed_in: Client, clock: Clock) -> None:
    """Requests closer together than the limit keep the person signed in."""
    for _request in range(3):
        clock.advance(50)
        assert signed_in.get("/").status_code == 200
    assert "_auth_user_id" in signed_in.session


def test_it_signs_out_after_the_idle_limit(signed_in: Client, clock: Clock) -> None:
    """A request after more than the limit signs the person out and asks them to sign in."""
    clock.advance(61)
    response = signed_in.get("/actors/person-list/?q=a")
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("accounts:login") + "?next=/actors/person-list/%3Fq%3Da"
    )
    assert "_auth_user_id" not in signed_in.session


def test_it_says_why_the_person_was_signed_out(signed_in: Client, clock: Clock) -> None:
    """The sign-in page explains the idle sign-out, once."""
    clock.advance(61)
    response = signed_in.get("/", follow=True)
    content = response.content.decode()
    assert "You were signed out because Polku was not used for 1 minute." in content
    again = signed_in.get(reverse("accounts:login"))
    assert "You were signed out because" not in again.content.decode()


def test_it_records_the_reason(signed_in: Client, clock: Clock, personas: Personas) -> None:
    """The sign-out is audited as caused by inactivity."""
    clock.advance(61)
    signed_in.get("/")
    event = AuditEvent.objects.get(action="accounts.logout")
    assert event.actor == personas.practitioner
    assert event.detail == {"reason": "idle"}


def test_it_does_not_count_time_before_signing_in(personas: Personas, clock: Clock) -> None:
    """An anonymous visit long ago does not cut short a new session."""
    client = Client()
    client.get(reverse("accounts:login"))
    clock.advance(3600)
    sign_in(client, "practitioner")
    assert client.get("/").status_code == 200


def test_it_does_not_redirect_a_post_to_its_own_form_data(signed_in: Client, clock: Clock) -> None:
    """After an idle POST, the person returns to the page, not the submission."""
    clock.advance(61)
    response = signed_in.post("/accounts/profile/edit/?x=1", {"first_name": "A"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=/accounts/profile/edit/"


def test_it_ends_even_an_active_session_at_the_maximum(
    signed_in: Client, clock: Clock, settings: Any, personas: Personas
) -> None:
    """However active, a session ends POLKU_SESSION_MAX_SECONDS after it began, and says so."""
    settings.SESSION_COOKIE_AGE = 3600
    for _request in range(71):
        clock.advance(50)
        assert signed_in.get("/").status_code == 200
    clock.advance(51)
    response = signed_in.get("/", follow=True)
    assert "_auth_user_id" not in signed_in.session
    assert "a session lasts at most 1 hour" in response.content.decode()
    event = AuditEvent.objects.get(action="accounts.logout")
    assert event.detail == {"reason": "expired"}


def test_it_restarts_the_clock_at_each_sign_in(
    signed_in: Client, clock: Clock, settings: Any
) -> None:
    """Signing in again gives a full session, even in the same browser session."""
    settings.SESSION_COOKIE_AGE = 120
    for _request in range(2):
        clock.advance(50)
        assert signed_in.get("/").status_code == 200
    sign_in(signed_in, "practitioner")
    clock.advance(50)
    assert signed_in.get("/").status_code == 200
