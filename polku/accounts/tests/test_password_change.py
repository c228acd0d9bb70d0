"""A signed-in person changes their own password."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import ClientFor, Personas
from polku.accounts.tests.conftest import PASSWORD
from polku.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "quarry-velvet-harbour-28"


def change(client: Client, old: str, new: str, confirm: str | None = None) -> Any:
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": confirm or new},
    )


def test_it_changes_the_password_and_keeps_the_session(
    client_for: ClientFor, personas: Personas
) -> None:
    """The new password is saved, audited, and this session stays signed in."""
    client = client_for("practitioner")
    response = change(client, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change_done")
    personas.practitioner.refresh_from_db()
    assert personas.practitioner.check_password(NEW_PASSWORD)
    assert client.get(reverse("accounts:profile")).status_code == 200
    event = AuditEvent.objects.get(action="accounts.password_change")
    assert event.actor == personas.practitioner
    assert NEW_PASSWORD not in str(event.detail)


def test_it_ends_the_persons_other_sessions(client_for: ClientFor) -> None:
    """A session opened with the old password is signed out by the change."""
    other = client_for("practitioner")
    change(client_for("practitioner"), PASSWORD, NEW_PASSWORD)
    response = other.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_needs_the_current_password(client_for: ClientFor, personas: Personas) -> None:
    """A wrong current password is refused and nothing changes."""
    client = client_for("practitioner")
    response = change(client, "not-my-password", NEW_PASSWORD)
    assert response.status_code == 200
    assert "The current password is not right" in response.content.decode()
    personas.practitioner.refresh_from_db()
    assert personas.practitioner.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("tiny-pass", "This password is too short. It must contain at least 12 characters."),
        ("qwertyuiop123", "This password is too common."),
    ],
)
def test_it_refuses_a_weak_password(
    client_for: ClientFor, personas: Personas, password: str, message: str
) -> None:
    """A password against the policy is refused with the reason."""
    response = change(client_for("practitioner"), PASSWORD, password)
    assert message in response.content.decode()
    personas.practitioner.refresh_from_db()
    assert personas.practitioner.check_password(PASSWORD)


def test_it_counts_wrong_current_passwords_towards_the_lock_out(client_for: ClientFor) -> None:
    """Guessing the current password here is throttled like signing in."""
    client = client_for("practitioner")
    statuses = [change(client, f"guess-number-{n}", NEW_PASSWORD).status_code for n in range(5)]
    assert statuses == [200, 200, 200, 200, 429]


def test_it_sends_an_anonymous_visitor_to_sign_in(client_for: ClientFor) -> None:
    """The password change page is for signed-in people."""
    response = client_for("anonymous").get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
