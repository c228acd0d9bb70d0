"""What an audit event records, and how awkward values are stored so that they verify."""

import ipaddress

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from polku.actors.tests.factories import make_organisation, make_user
from polku.audit.context import RequestContext, current_request
from polku.audit.middleware import AuditContextMiddleware, client_address
from polku.audit.models import AuditEvent
from polku.audit.selectors import chain_verify
from polku.audit.services import REDACTED, audit_write, snapshot


def test_it_records_who_what_and_which_object(db: None) -> None:
    """The actor, action and target are recorded with labels that outlive renames."""
    user = make_user(username="maija")
    organisation = make_organisation(name="Border Guard")
    event = audit_write(
        actor=user,
        action="actors.organisation.update",
        target=organisation,
        before={"name": "Old"},
        after={"name": "Border Guard"},
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor_id == user.pk
    assert stored.actor_label == "maija"
    assert stored.kind == AuditEvent.Kind.WRITE
    assert stored.target_type == "actors.organisation"
    assert stored.target_id == str(organisation.pk)
    assert stored.target_label == "Border Guard"
    assert stored.before == {"name": "Old"}
    assert stored.after == {"name": "Border Guard"}


def test_it_refuses_an_empty_or_overlong_action(db: None) -> None:
    """An action must name something, within the column's length."""
    with pytest.raises(ValueError, match="1 to 100"):
        audit_write(actor=None, action="")
    with pytest.raises(ValueError, match="1 to 100"):
        audit_write(actor=None, action="x" * 101)
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("192.0.2.1", "192.0.2.1"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("0:0:0:0:0:0:0:1", "::1"),
        ("::1.2.3.4", "::102:304"),
        ("fe80::1%eth0", "fe80::1"),
        ("unknown", None),
        ("", None),
    ],
)
def test_it_stores_addresses_in_one_spelling(db: None, given: str, stored: str | None) -> None:
    """Addresses are stored canonically (invalid ones not at all) and still verify."""
    token = current_request.set(RequestContext(ip_address=given))
    try:
        event = audit_write(actor=None, action="test.event.address")
    finally:
        current_request.reset(token)
    value = AuditEvent.objects.values_list("ip_address", flat=True).get(pk=event.pk)
    if stored is None:
        assert value is None
    else:
        # PostgreSQL spells some IPv6 addresses its own way (::1.2.3.4); the address is
        # the same one.
        assert value is not None
        assert ipaddress.ip_address(value) == ipaddress.ip_address(stored)
    assert chain_verify().ok


def test_it_stores_values_that_every_database_gives_back_unchanged(db: None) -> None:
    """NUL characters, lone surrogates, non-finite and integral floats, sets and long labels
    are stored in a form that reads back exactly, so the event verifies on any database."""
    token = current_request.set(RequestContext(user_agent="agent\x00" + "x" * 400))
    try:
        event = audit_write(
            actor=None,
            action="test.event.awkward",
            before={"text": "a\x00b\ud800c", "set": {3, 1, 2}},
            after={"nan": float("nan"), "inf": float("-inf"), "big": 1e16, "half": 0.5},
        )
    finally:
        current_request.reset(token)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.before == {"text": "a\ufffdb?c", "set": [1, 2, 3]}
    assert stored.after == {"nan": "nan", "inf": "-inf", "big": 10**16, "half": 0.5}
    assert stored.user_agent.startswith("agent\ufffd")
    assert len(stored.user_agent) == 300
    assert chain_verify().ok


def test_a_snapshot_redacts_secrets(db: None) -> None:
    """Fields named like passwords, secrets, tokens and keys never reach the log."""
    user = make_user(username="secretive")
    values = snapshot(user)
    assert values["password"] == REDACTED
    assert values["username"] == "secretive"
    assert snapshot(user, ["username"]) == {"username": "secretive"}
    assert "email" not in snapshot(user, exclude=["email"])


def test_a_snapshot_records_foreign_keys_by_id(db: None) -> None:
    """Relations are recorded by their id column."""
    parent = make_organisation(name="Parent")
    child = make_organisation(name="Child", parent=parent)
    assert snapshot(child)["parent_id"] == parent.pk


def test_the_middleware_records_the_client_of_each_request(db: None) -> None:
    """Events written during a request carry its address, client and a request id."""
    captured: list[AuditEvent] = []

    def view(request: HttpRequest) -> HttpResponse:
        captured.append(audit_write(actor=None, action="test.event.in_request"))
        return HttpResponse("")

    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.4", HTTP_USER_AGENT="Browser/1")
    AuditContextMiddleware(view)(request)
    event = captured[0]
    assert event.ip_address == "198.51.100.4"
    assert event.user_agent == "Browser/1"
    assert len(event.request_id) == 32
    assert current_request.get() == RequestContext()


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.1"),
    ],
)
def test_the_client_address_is_read_through_trusted_proxies_only(
    hops: int, forwarded: str, expected: str
) -> None:
    """X-Forwarded-For counts only as far as the configured proxies; the rest is the
    client's own claim and is ignored."""
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(POLKU_TRUSTED_PROXY_HOPS=hops):
        assert client_address(request) == expected
