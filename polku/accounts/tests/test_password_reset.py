"""Resetting a forgotten password by e-mail."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import Personas
from polku.accounts.tests.conftest import sign_in
from polku.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lantern-orchard-ribbon-71"


def request_link(client: Client, email: str) -> str:
    response = client.post(reverse("accounts:password_reset"), {"email": email})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    page = client.get(response["Location"]).content.decode()
    return str(page.split('id="main-content">')[1].split("</main>")[0])


def link_from(message: mail.EmailMessage) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/password-reset/[^\s]+/)", str(message.body))
    assert match, message.body
    return match.group(1)


def open_link(client: Client, personas: Personas) -> str:
    request_link(client, personas.practitioner.email)
    response = client.get(link_from(mail.outbox[0]))
    assert response.status_code == 302
    return str(response["Location"])


def test_it_sends_one_email_with_a_link(personas: Personas) -> None:
    """A known address gets exactly one e-mail with a reset link on the configured site."""
    request_link(Client(), personas.practitioner.email)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [personas.practitioner.email]
    assert message.subject == "Reset your Polku password"
    assert "http://127.0.0.1:8000/accounts/password-reset/" in message.body
    assert "Your username is practitioner." in message.body


def test_it_finds_the_address_in_any_case(personas: Personas) -> None:
    """The address is matched without regard to upper and lower case."""
    request_link(Client(), personas.practitioner.email.upper())
    assert len(mail.outbox) == 1


def test_it_gives_the_same_answer_for_an_unknown_address(personas: Personas) -> None:
    """An address with no account gets the same page and no e-mail is sent."""
    known = request_link(Client(), personas.practitioner.email)
    unknown = request_link(Client(), "nobody@example.org")
    assert len(mail.outbox) == 1
    assert known == unknown
    assert "If the address you entered belongs to a Polku account" in unknown


def test_it_writes_the_email_in_the_persons_language(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The e-mail is written in the language the person chose, not the visitor's."""
    from django.contrib.auth.forms import PasswordResetForm
    from django.utils import translation

    personas.practitioner.preferred_language = "sv"
    personas.practitioner.save()
    languages: list[str | None] = []
    original = PasswordResetForm.send_mail

    def spy(self: PasswordResetForm, *args: object, **kwargs: object) -> None:
        languages.append(translation.get_language())
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(PasswordResetForm, "send_mail", spy)
    client = Client()
    client.cookies["polku_language"] = "fi"
    request_link(client, personas.practitioner.email)
    assert languages == ["sv"]
    assert len(mail.outbox) == 1


def test_it_asks_for_a_valid_address(personas: Personas) -> None:
    """A malformed address is refused with a message and nothing is sent."""
    response = Client().post(reverse("accounts:password_reset"), {"email": "not-an-address"})
    assert response.status_code == 200
    assert "Enter an e-mail address in the correct format" in response.content.decode()
    assert mail.outbox == []


def test_it_sets_a_new_password_through_the_link(personas: Personas) -> None:
    """The link opens the new-password form; saving it lets the person sign in with it."""
    client = Client()
    form_url = open_link(client, personas)
    assert form_url.endswith("/set-password/")
    page = client.get(form_url)
    assert "Choose a new password" in page.content.decode()
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    personas.practitioner.refresh_from_db()
    assert personas.practitioner.check_password(NEW_PASSWORD)
    assert sign_in(Client(), "practitioner", NEW_PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(
        action="accounts.password_reset", actor=personas.practitioner
    ).exists()
    assert AuditEvent.objects.filter(action="accounts.password_reset_request").exists()


def test_it_accepts_the_link_only_once(personas: Personas) -> None:
    """After the password is changed, the same link no longer works."""
    client = Client()
    request_link(client, personas.practitioner.email)
    link = link_from(mail.outbox[0])
    form_url = str(client.get(link)["Location"])
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = Client().get(link)
    assert again.status_code == 200
    assert "This link does not work" in again.content.decode()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pw", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("123456789012345", "This password is entirely numeric."),
    ],
)
def test_it_refuses_a_weak_password_with_the_reason(
    personas: Personas, password: str, message: str
) -> None:
    """A password against the policy is refused with the specific reason and not saved."""
    client = Client()
    form_url = open_link(client, personas)
    response = client.post(form_url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 200
    assert message in response.content.decode()
    personas.practitioner.refresh_from_db()
    assert not personas.practitioner.check_password(password)


def test_it_refuses_two_different_passwords(personas: Personas) -> None:
    """The two new-password boxes must match."""
    client = Client()
    form_url = open_link(client, personas)
    response = client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"}
    )
    assert response.status_code == 200
    assert "The two password fields" in response.content.decode()


def test_it_translates_the_password_policy(personas: Personas) -> None:
    """In Finnish, the policy messages are in Finnish."""
    from django.utils import translation

    with translation.override("fi"):
        expected = translation.gettext("This password is too common.")
    assert expected != "This password is too common."
    client = Client()
    client.cookies["polku_language"] = "fi"
    form_url = open_link(client, personas)
    response = client.post(
        form_url, {"new_password1": "password1234", "new_password2": "password1234"}
    )
    assert expected in response.content.decode()
