"""Signing out happens only on POST; GET asks for confirmation."""

import pytest
from django.urls import reverse

from conftest import ClientFor, Personas
from polku.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_it_asks_for_confirmation_on_get(client_for: ClientFor) -> None:
    """Opening the sign-out address shows a button and leaves the person signed in."""
    client = client_for("practitioner")
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Do you want to sign out?" in content
    assert 'method="post"' in content
    assert "_auth_user_id" in client.session


def test_it_signs_out_on_post(client_for: ClientFor, personas: Personas) -> None:
    """Posting the form ends the session and says so."""
    client = client_for("practitioner")
    response = client.post(reverse("accounts:logout"), follow=True)
    assert "_auth_user_id" not in client.session
    assert "You have signed out." in response.content.decode()
    event = AuditEvent.objects.get(action="accounts.logout")
    assert event.actor == personas.practitioner
    assert event.detail == {"reason": "user"}


def test_it_sends_an_anonymous_visitor_to_sign_in(client_for: ClientFor) -> None:
    """Someone not signed in has nothing to sign out of."""
    response = client_for("anonymous").get(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")


def test_it_refuses_a_sign_out_without_the_csrf_token(personas: Personas) -> None:
    """A cross-site form cannot sign a person out."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.practitioner)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 403
    assert "_auth_user_id" in client.session
