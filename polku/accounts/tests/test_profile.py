"""The profile page and editing one's own details."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import ClientFor, Personas
from polku.accounts.tests.conftest import enrol
from polku.actors.tests.factories import UserFactory
from polku.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

DETAILS = {
    "first_name": "Aino",
    "last_name": "Virtanen",
    "email": "aino.virtanen@example.org",
    "job_title": "Senior officer",
    "phone": "+358 40 123 4567",
    "preferred_language": "fi",
}


def test_it_shows_details_memberships_roles_and_mfa(
    client_for: ClientFor, personas: Personas
) -> None:
    """The profile lists the person's details, organisation, role and second-factor status."""
    response = client_for("secretariat").get(reverse("accounts:profile"))
    assert response.status_code == 200
    content = response.content.decode()
    assert personas.secretariat.email in content
    assert "Ministry of Justice" in content
    assert "Secretariat member" in content
    assert reverse("accounts:password_change") in content
    assert "Two-step verification" in content
    assert reverse("accounts:mfa") in content


def test_it_shows_when_the_second_factor_is_on(client_for: ClientFor, personas: Personas) -> None:
    """With an app set up, the status says so and links to the change page."""
    enrol(personas.practitioner, ("aaaa2222",))
    client = Client()
    client.force_login(personas.practitioner)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get().persistent_id
    session.pop("polku_mfa_pending", None)
    session.save()
    content = client.get(reverse("accounts:profile")).content.decode()
    assert "1 backup code left." in content
    assert reverse("accounts:mfa_manage") in content


def test_it_shows_a_person_without_memberships(client_for: ClientFor) -> None:
    """Someone with no organisation sees their profile and a note about it."""
    response = client_for("outsider").get(reverse("accounts:profile"))
    assert response.status_code == 200
    assert "You are not a member of any organisation" in response.content.decode()


def test_it_fills_the_form_with_the_current_details(
    client_for: ClientFor, personas: Personas
) -> None:
    """The edit form starts from what is stored."""
    response = client_for("practitioner").get(reverse("accounts:profile_edit"))
    assert response.status_code == 200
    assert f'value="{personas.practitioner.first_name}"' in response.content.decode()


def test_it_saves_and_audits_changes(client_for: ClientFor, personas: Personas) -> None:
    """Saving stores the details and records before and after of what changed."""
    before_first_name = personas.practitioner.first_name
    before_email = personas.practitioner.email
    client = client_for("practitioner")
    response = client.post(reverse("accounts:profile_edit"), DETAILS)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    assert response.cookies["polku_language"].value == "fi"
    personas.practitioner.refresh_from_db()
    for field, value in DETAILS.items():
        assert getattr(personas.practitioner, field) == value
    event = AuditEvent.objects.get(action="accounts.user.update_profile")
    assert event.actor == personas.practitioner
    assert event.target_id == str(personas.practitioner.pk)
    assert event.before is not None
    assert event.before["first_name"] == before_first_name
    assert event.before["email"] == before_email
    assert event.after == DETAILS


def test_it_records_only_what_changed(client_for: ClientFor, personas: Personas) -> None:
    """The audit record names the changed fields only; saving nothing writes nothing."""
    user = personas.practitioner
    unchanged = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "job_title": "",
        "phone": "",
        "preferred_language": "",
    }
    client = client_for("practitioner")
    client.post(reverse("accounts:profile_edit"), unchanged)
    assert not AuditEvent.objects.filter(action="accounts.user.update_profile").exists()
    client.post(reverse("accounts:profile_edit"), {**unchanged, "job_title": "Inspector"})
    event = AuditEvent.objects.get(action="accounts.user.update_profile")
    assert event.before == {"job_title": ""}
    assert event.after == {"job_title": "Inspector"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"first_name": ""}, "Enter your first name"),
        ({"email": ""}, "Enter your e-mail address"),
        ({"email": "not-an-address"}, "Enter an e-mail address in the correct format"),
        ({"preferred_language": "xx"}, "Select a valid choice"),
        ({"phone": "1" * 41}, "Ensure this value has at most 40 characters"),
    ],
)
def test_it_refuses_bad_input(
    client_for: ClientFor, personas: Personas, change: dict[str, str], message: str
) -> None:
    """Bad input gets a specific message and changes nothing."""
    response = client_for("practitioner").post(
        reverse("accounts:profile_edit"), {**DETAILS, **change}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    personas.practitioner.refresh_from_db()
    assert personas.practitioner.job_title == ""
    assert not AuditEvent.objects.filter(action="accounts.user.update_profile").exists()


def test_it_refuses_an_address_another_account_uses(
    client_for: ClientFor, personas: Personas
) -> None:
    """Two accounts cannot share an address, since reset links are sent by address."""
    UserFactory(email="taken@example.org")
    response = client_for("practitioner").post(
        reverse("accounts:profile_edit"), {**DETAILS, "email": "TAKEN@example.org"}
    )
    assert response.status_code == 200
    assert "Another account already uses this e-mail address." in response.content.decode()
    personas.practitioner.refresh_from_db()
    assert personas.practitioner.email != "TAKEN@example.org"
