"""POLKU_MFA_REQUIRED: roles that hold others' data must use a second factor."""

from typing import Any

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import ClientFor, Personas
from polku.accounts.tests.conftest import code_for, enrol

pytestmark = pytest.mark.django_db

NORMAL_PAGES = ["/", "/actors/organisation-list/", "/actors/person-list/", "/admin/"]
REQUIRED = ["coordinator", "secretariat", "secretariat2", "dataprovider", "admin"]
NOT_REQUIRED = ["practitioner", "ngo", "decisionmaker", "rapporteur", "outsider"]


@pytest.fixture
def enforced(settings: Any) -> None:
    settings.POLKU_MFA_REQUIRED = True


@pytest.mark.usefixtures("enforced")
@pytest.mark.parametrize("name", REQUIRED)
@pytest.mark.parametrize("url", NORMAL_PAGES)
def test_it_sends_required_roles_to_the_mfa_page(
    client_for: ClientFor, name: str, url: str
) -> None:
    """A person whose role requires a second factor cannot open a normal page without one."""
    response = client_for(name).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:mfa"))


@pytest.mark.usefixtures("enforced")
@pytest.mark.parametrize("name", NOT_REQUIRED)
def test_it_lets_other_roles_through(client_for: ClientFor, name: str) -> None:
    """Practitioners and other roles use Polku without a second factor."""
    response = client_for(name).get("/")
    assert response.status_code == 200


@pytest.mark.usefixtures("enforced")
def test_it_leaves_the_mfa_and_sign_out_pages_open(client_for: ClientFor) -> None:
    """The person can still reach the set-up page and sign out."""
    client = client_for("coordinator")
    assert client.get(reverse("accounts:mfa")).status_code == 200
    assert client.get(reverse("accounts:logout")).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302


@pytest.mark.usefixtures("enforced")
def test_it_keeps_where_the_person_was_going(client_for: ClientFor) -> None:
    """The redirect carries the page asked for, to return to after the code."""
    response = client_for("coordinator").get("/actors/person-list/?q=a")
    assert response["Location"] == reverse("accounts:mfa") + "?next=/actors/person-list/%3Fq%3Da"


@pytest.mark.usefixtures("enforced")
def test_it_lets_a_verified_coordinator_through(client_for: ClientFor, personas: Personas) -> None:
    """After setting up the app in the same session, normal pages open."""
    client = client_for("coordinator")
    client.get(reverse("accounts:mfa"))
    device = TOTPDevice.objects.get(user=personas.coordinator)
    assert client.post(reverse("accounts:mfa"), {"code": code_for(device)}).status_code == 200
    assert client.get("/").status_code == 200


@pytest.mark.usefixtures("enforced")
def test_it_tells_an_htmx_request_to_navigate(client_for: ClientFor) -> None:
    """An htmx request gets HX-Redirect rather than a page swapped into a fragment."""
    response = client_for("coordinator").get("/actors/person-list/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("accounts:mfa"))


def test_it_is_off_when_the_setting_is_off(client_for: ClientFor, personas: Personas) -> None:
    """With the setting off, a coordinator without an app uses Polku freely."""
    assert client_for("coordinator").get("/").status_code == 200


@pytest.mark.usefixtures("enforced")
def test_it_asks_an_enrolled_coordinator_for_the_code(
    client_for: ClientFor, personas: Personas
) -> None:
    """A coordinator with an app, signed in without the code, is sent to enter it."""
    enrol(personas.coordinator)
    client = client_for("coordinator")
    response = client.get("/")
    assert response["Location"].startswith(reverse("accounts:mfa"))
    page = client.get(response["Location"])
    assert "Enter your code" in page.content.decode()
