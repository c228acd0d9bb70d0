"""The admin site shows audit events but cannot add, change or delete them."""

import pytest
from django.test import Client
from django.urls import reverse

from polku.accounts.models import User
from polku.actors.tests.factories import make_user
from polku.audit.models import AuditEvent
from polku.audit.services import audit_write


@pytest.fixture
def superuser(db: None) -> User:
    return make_user(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client_for_root(superuser: User) -> Client:
    client = Client()
    client.force_login(superuser)
    return client


def test_the_admin_lists_and_shows_events(admin_client_for_root: Client) -> None:
    """Events can be listed and opened, and each read is recorded as an access event."""
    event = audit_write(actor=None, action="test.event.one")
    listing = admin_client_for_root.get(reverse("admin:audit_auditevent_changelist"))
    assert listing.status_code == 200
    assert "test.event.one" in listing.content.decode()
    page = admin_client_for_root.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    assert page.status_code == 200
    assert AuditEvent.objects.filter(action="audit.event.list", detail__via="admin").exists()
    viewed = AuditEvent.objects.get(action="audit.event.view")
    assert viewed.target_id == str(event.pk)


def test_the_admin_cannot_add_change_or_delete(admin_client_for_root: Client) -> None:
    """Even a superuser is refused the add, change and delete pages."""
    event = audit_write(actor=None, action="test.event.one")
    add = admin_client_for_root.get(reverse("admin:audit_auditevent_add"))
    assert add.status_code == 403
    change = admin_client_for_root.post(
        reverse("admin:audit_auditevent_change", args=[event.pk]), {"action": "test.event.forged"}
    )
    assert change.status_code == 403
    delete = admin_client_for_root.post(
        reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event.one"


def test_the_admin_offers_no_bulk_actions(admin_client_for_root: Client) -> None:
    """The changelist has no "delete selected" action."""
    audit_write(actor=None, action="test.event.one")
    listing = admin_client_for_root.get(reverse("admin:audit_auditevent_changelist"))
    assert "delete_selected" not in listing.content.decode()
