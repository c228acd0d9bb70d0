"""A directory manager removes someone's lost authenticator, with a reason on record."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import ClientFor, Personas
from polku.accounts.services import mfa_reset
from polku.accounts.tests.conftest import enrol
from polku.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def reset_url(personas: Personas) -> str:
    return reverse("actors:person_mfa_reset", kwargs={"pk": personas.ngo.pk})


def test_it_resets_with_a_reason_audits_and_tells_the_person(
    client_for: ClientFor, personas: Personas, django_capture_on_commit_callbacks: object
) -> None:
    enrol(personas.ngo, backup_codes=("12345678",))
    personas.ngo.email = "nea@example.org"
    personas.ngo.save()
    client = client_for("coordinator")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(reset_url(personas), {"reason": "Lost phone, phoned in."})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=personas.ngo).exists()
    assert not StaticDevice.objects.filter(user=personas.ngo).exists()
    event = AuditEvent.objects.get(action="accounts.mfa_reset")
    assert event.actor == personas.coordinator
    assert event.target_id == str(personas.ngo.pk)
    assert event.detail == {
        "had_authenticator": True,
        "security_keys": 0,
        "reason": "Lost phone, phoned in.",
    }
    assert [message.to for message in mail.outbox] == [["nea@example.org"]]
    assert "two-step sign-in was reset" in mail.outbox[0].subject


def test_it_offers_the_reset_on_the_persons_page_only_to_directory_managers(
    client_for: ClientFor, personas: Personas
) -> None:
    enrol(personas.ngo)
    page = reverse("actors:person_detail", kwargs={"pk": personas.ngo.pk})
    assert reset_url(personas) in client_for("coordinator").get(page).content.decode()
    assert reset_url(personas) not in client_for("secretariat").get(page).content.decode()


def test_it_refuses_a_reset_without_a_reason_and_changes_nothing(
    client_for: ClientFor, personas: Personas
) -> None:
    enrol(personas.ngo)
    response = client_for("admin").post(reset_url(personas), {"reason": "  "})
    assert response.status_code == 200
    assert "Why is the two-step sign-in being reset?" in response.content.decode()
    assert TOTPDevice.objects.filter(user=personas.ngo).exists()
    assert not AuditEvent.objects.filter(action="accounts.mfa_reset").exists()


def test_it_says_so_when_there_is_nothing_to_reset(
    client_for: ClientFor, personas: Personas
) -> None:
    response = client_for("coordinator").post(reset_url(personas), {"reason": "Lost phone"})
    assert response.status_code == 200
    assert "has no two-step sign-in to reset" in response.content.decode()
    assert not AuditEvent.objects.filter(action="accounts.mfa_reset").exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("secretariat", 403),
        ("practitioner", 403),
        ("dataprovider", 403),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_it_lets_only_directory_managers_reset(
    client_for: ClientFor, personas: Personas, persona: str, status: int
) -> None:
    enrol(personas.ngo)
    response = client_for(persona).post(reset_url(personas), {"reason": "Lost phone"})
    assert response.status_code == status
    assert TOTPDevice.objects.filter(user=personas.ngo).exists()


def test_it_sends_managers_to_their_own_profile_for_their_own_authenticator(
    client_for: ClientFor, personas: Personas
) -> None:
    own = reverse("actors:person_mfa_reset", kwargs={"pk": personas.coordinator.pk})
    assert client_for("coordinator").get(own).status_code == 403
    enrol(personas.coordinator)
    with pytest.raises(ValidationError, match="from your profile"):
        mfa_reset(actor=personas.coordinator, user=personas.coordinator, reason="Lost")
    assert TOTPDevice.objects.filter(user=personas.coordinator).exists()


def test_the_service_itself_refuses_anyone_but_a_directory_manager(personas: Personas) -> None:
    from django.core.exceptions import PermissionDenied

    enrol(personas.ngo)
    with pytest.raises(PermissionDenied):
        mfa_reset(actor=personas.secretariat, user=personas.ngo, reason="Lost phone")
    assert TOTPDevice.objects.filter(user=personas.ngo).exists()


def test_the_reset_page_says_security_keys_go_too(
    client_for: ClientFor, personas: Personas
) -> None:
    """The confirmation names everything the reset removes, security keys and passkeys too."""
    enrol(personas.ngo, backup_codes=("12345678",))
    content = client_for("coordinator").get(reset_url(personas)).content.decode()
    assert (
        "removes the person's authenticator app, backup codes and any security keys or "
        "passkeys" in content
    )
