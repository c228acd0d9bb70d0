"""The admin shows people and the directory but changes nothing, and records what it shows."""

from django.test import Client
from django.urls import reverse

from conftest import Personas
from polku.audit.models import AuditEvent
from polku.notifications.models import NotificationPreference


def test_people_are_shown_and_the_reads_recorded(
    superuser_client: Client, personas: Personas
) -> None:
    """Listing and opening a person in the admin writes access events naming the reader."""
    assert superuser_client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    url = reverse("admin:accounts_user_change", args=[personas.practitioner.pk])
    response = superuser_client.get(url)
    assert response.status_code == 200
    assert "pbkdf2" not in response.content.decode() and "md5$" not in response.content.decode()
    actions = set(AuditEvent.objects.filter(actor=personas.admin).values_list("action", flat=True))
    assert {"accounts.user.list", "accounts.user.view"} <= actions


def test_nothing_can_be_changed_through_the_admin(
    superuser_client: Client, personas: Personas
) -> None:
    """Posting a change, adding or deleting is refused and the row stays as it was."""
    url = reverse("admin:accounts_user_change", args=[personas.practitioner.pk])
    response = superuser_client.post(url, {"username": "renamed", "is_superuser": "on"})
    assert response.status_code == 403
    personas.practitioner.refresh_from_db()
    assert personas.practitioner.username == "practitioner"
    assert not personas.practitioner.is_superuser
    assert superuser_client.get(reverse("admin:accounts_user_add")).status_code == 403
    organisation_url = reverse("admin:actors_organisation_delete", args=[personas.police.pk])
    assert superuser_client.post(organisation_url, {"post": "yes"}).status_code == 403
    personas.police.refresh_from_db()


def test_authenticator_secrets_are_not_in_the_admin(superuser_client: Client) -> None:
    """The django-otp device admins, which show keys and backup codes, are not registered."""
    response = superuser_client.get(reverse("admin:index"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "otp_totp" not in content and "otp_static" not in content


def test_notification_choices_cannot_be_changed_through_the_admin(
    superuser_client: Client, personas: Personas
) -> None:
    """A person's e-mail choice changes only on their own settings page, audited; the admin
    shows the choices and records that it did."""
    add = reverse("admin:notifications_notificationpreference_add")
    assert superuser_client.get(add).status_code == 403
    response = superuser_client.post(add, {"user": personas.ngo.pk, "email": "none"})
    assert response.status_code == 403
    assert not NotificationPreference.objects.exists()
    listing = reverse("admin:notifications_notificationpreference_changelist")
    assert superuser_client.get(listing).status_code == 200
    notifications = reverse("admin:notifications_notification_changelist")
    assert superuser_client.get(notifications).status_code == 200
    actions = set(AuditEvent.objects.filter(actor=personas.admin).values_list("action", flat=True))
    assert {
        "notifications.notificationpreference.list",
        "notifications.notification.list",
    } <= actions
