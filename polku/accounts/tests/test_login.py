"""Signing in with a username and password."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from conftest import Personas
from polku.accounts.tests.conftest import PASSWORD, enrol, sign_in
from polku.actors.tests.factories import UserFactory
from polku.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

GENERIC_ERROR = "The username or password is not right."


def test_it_shows_the_sign_in_form() -> None:
    """The sign-in page has the username and password fields and a reset link."""
    response = Client().get(reverse("accounts:login"))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="username"' in content
    assert 'name="password"' in content
    assert reverse("accounts:password_reset") in content


def test_it_signs_in_and_goes_home(personas: Personas) -> None:
    """A correct username and password sign the person in and send them home."""
    client = Client()
    response = sign_in(client, "practitioner")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert client.session["_auth_user_id"] == str(personas.practitioner.pk)


def test_it_records_the_sign_in(personas: Personas) -> None:
    """A sign-in is a security event in the audit log, with no password in it."""
    sign_in(Client(), "practitioner")
    event = AuditEvent.objects.get(action="accounts.login")
    assert event.actor == personas.practitioner
    assert event.kind == AuditEvent.Kind.SECURITY
    assert PASSWORD not in str(event.detail)


@pytest.mark.parametrize(
    ("username", "password"),
    [("practitioner", "not-the-password"), ("nobody-by-this-name", PASSWORD), ("", "")],
)
def test_it_refuses_wrong_credentials_with_one_message(
    personas: Personas, username: str, password: str
) -> None:
    """A wrong password, an unknown name or an empty form all get the same message."""
    client = Client()
    response = sign_in(client, username, password)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    if username:
        assert GENERIC_ERROR in response.content.decode()
        assert "govuk-error-summary" in response.content.decode()


def test_it_gives_an_inactive_account_the_same_message(personas: Personas) -> None:
    """A deactivated account cannot sign in, and the page does not say it exists."""
    personas.practitioner.is_active = False
    personas.practitioner.save()
    client = Client()
    response = sign_in(client, "practitioner")
    assert response.status_code == 200
    assert GENERIC_ERROR in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_records_a_failed_sign_in_without_the_password(personas: Personas) -> None:
    """A failed sign-in names the account tried, never the password typed."""
    sign_in(Client(), "practitioner", "wrong-password-123")
    event = AuditEvent.objects.get(action="accounts.login_failed")
    assert event.detail == {"username": "practitioner", "known_account": True}
    assert "wrong-password-123" not in str(event.detail)


def test_it_does_not_keep_a_name_that_matches_no_account(personas: Personas) -> None:
    """An unknown name may be a password typed in the wrong box, so it is not recorded."""
    sign_in(Client(), "hunter2-secret-typed-here", "whatever")
    event = AuditEvent.objects.get(action="accounts.login_failed")
    assert event.detail == {"username": "", "known_account": False}


def test_it_follows_a_safe_next(personas: Personas) -> None:
    """A `next` address on this site is where the person lands after signing in."""
    response = sign_in(Client(), "practitioner", next="/actors/person-list/?q=x")
    assert response.status_code == 302
    assert response["Location"] == "/actors/person-list/?q=x"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://evil.example/accounts/",
        "javascript:alert(1)",
        "///evil.example",
    ],
)
def test_it_refuses_an_open_redirect(personas: Personas, next_url: str) -> None:
    """A `next` address on another site is ignored; the person goes home instead."""
    client = Client()
    response = sign_in(client, "practitioner", next=next_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    page = client.get(reverse("accounts:login"), {"next": next_url})
    assert next_url not in page.content.decode()


def test_it_sends_someone_with_an_authenticator_to_the_second_step(personas: Personas) -> None:
    """After the password, a person with an authenticator app is asked for a code first,
    and where they were going is kept."""
    enrol(personas.practitioner)
    client = Client()
    response = sign_in(client, "practitioner", next="/actors/body-list/")
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.path == reverse("accounts:mfa")
    assert parse_qs(target.query)["next"] == ["/actors/body-list/"]
    event = AuditEvent.objects.get(action="accounts.login")
    assert event.detail == {"second_step": True}


def test_it_keeps_an_unsafe_next_out_of_the_second_step(personas: Personas) -> None:
    """An unsafe `next` is not passed on to the code page either."""
    enrol(personas.practitioner)
    response = sign_in(Client(), "practitioner", next="https://evil.example/")
    assert response["Location"] == reverse("accounts:mfa")


def test_it_lets_a_new_account_sign_in_with_its_own_password() -> None:
    """Any active account signs in with the password it was given."""
    UserFactory(username="newcomer", password="a-long-enough-passphrase")
    response = sign_in(Client(), "newcomer", "a-long-enough-passphrase")
    assert response.status_code == 302
