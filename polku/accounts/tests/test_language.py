"""The preferred language: applied at sign-in, saved from the language switcher."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import ClientFor, Personas
from polku.accounts.tests.conftest import enrol, sign_in

pytestmark = pytest.mark.django_db


def test_it_applies_the_preferred_language_at_sign_in(personas: Personas) -> None:
    """Signing in sets the language cookie to the person's choice, and the next page uses it."""
    personas.practitioner.preferred_language = "fi"
    personas.practitioner.save()
    client = Client()
    response = sign_in(client, "practitioner")
    assert response.cookies["polku_language"].value == "fi"
    page = client.get(reverse("accounts:profile"))
    assert '<html lang="fi"' in page.content.decode()


def test_it_leaves_the_language_alone_without_a_preference(personas: Personas) -> None:
    """Without a preference, the browser's language stays in charge."""
    client = Client()
    client.cookies["polku_language"] = "sv"
    response = sign_in(client, "practitioner")
    assert "polku_language" not in response.cookies
    page = client.get(reverse("accounts:profile"))
    assert '<html lang="sv"' in page.content.decode()


def test_it_applies_the_language_before_the_second_step(personas: Personas) -> None:
    """The code page is already in the person's language."""
    enrol(personas.practitioner)
    personas.practitioner.preferred_language = "sv"
    personas.practitioner.save()
    client = Client()
    response = sign_in(client, "practitioner")
    assert response.cookies["polku_language"].value == "sv"
    page = client.get(response["Location"])
    assert '<html lang="sv"' in page.content.decode()


def test_it_saves_the_switcher_choice(client_for: ClientFor, personas: Personas) -> None:
    """Choosing a language while signed in stores it for the next sign-in."""
    client = client_for("practitioner")
    response = client.post(reverse("accounts:set_language"), {"language": "sv", "next": "/"})
    assert response.status_code == 302
    personas.practitioner.refresh_from_db()
    assert personas.practitioner.preferred_language == "sv"


def test_it_ignores_an_unknown_language(client_for: ClientFor, personas: Personas) -> None:
    """A language Polku does not offer is not stored."""
    client = client_for("practitioner")
    client.post(reverse("accounts:set_language"), {"language": "xx", "next": "/"})
    personas.practitioner.refresh_from_db()
    assert personas.practitioner.preferred_language == ""
