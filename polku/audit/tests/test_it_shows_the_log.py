"""The audit log pages: who may read them, what they show, and that reading them is logged."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import PERSONA_NAMES, ClientFor, Personas
from polku.audit.models import AuditEvent
from polku.audit.services import audit_access, audit_security, audit_write
from polku.audit.tests.helpers import tamper_update

COORDINATION = {"coordinator", "secretariat", "secretariat2", "admin"}


def _expected(name: str, allowed: int) -> int:
    if name == "anonymous":
        return 302
    return allowed if name in COORDINATION else 403


@pytest.mark.parametrize("name", PERSONA_NAMES)
def test_the_list_is_for_the_coordination_only(client_for: ClientFor, name: str) -> None:
    """The coordination reads the log; other users get 403 and anonymous visitors sign in."""
    response = client_for(name).get(reverse("audit:event_list"))
    assert response.status_code == _expected(name, 200)
    if name == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", PERSONA_NAMES)
def test_an_event_is_for_the_coordination_only(
    client_for: ClientFor, personas: Personas, name: str
) -> None:
    """The same rule holds for each event's page, except that an outsider gets 404."""
    event = audit_write(
        actor=personas.coordinator, action="test.event.one", target=personas.justice
    )
    response = client_for(name).get(reverse("audit:event_detail", args=[event.pk]))
    assert response.status_code == (404 if name == "outsider" else _expected(name, 200))
    if name == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", PERSONA_NAMES)
def test_verifying_is_for_the_coordination_only(client_for: ClientFor, name: str) -> None:
    """Only the coordination can run a verification; a refused one records nothing."""
    audit_write(actor=None, action="test.event.one")
    response = client_for(name).post(reverse("audit:chain_verify"))
    if name in COORDINATION:
        assert response.status_code == 302
        assert response["Location"] == reverse("audit:event_list")
        assert AuditEvent.objects.filter(action="audit.chain.verify").count() == 1
    else:
        assert response.status_code == _expected(name, 302)
        assert not AuditEvent.objects.filter(action="audit.chain.verify").exists()


def test_verifying_needs_a_post(client_for: ClientFor) -> None:
    """A GET cannot start a verification."""
    assert client_for("coordinator").get(reverse("audit:chain_verify")).status_code == 405


def test_a_missing_event_is_not_found(client_for: ClientFor) -> None:
    """An id with no event gives 404 to the coordination."""
    response = client_for("coordinator").get(reverse("audit:event_detail", args=[999_999]))
    assert response.status_code == 404


def test_the_list_shows_newest_first_with_when_who_what_object_and_where(
    client_for: ClientFor, personas: Personas
) -> None:
    """Each row shows the time, the person, the action, the object and the address."""
    from polku.audit.context import RequestContext, current_request

    token = current_request.set(RequestContext(ip_address="192.0.2.7"))
    try:
        audit_write(actor=personas.secretariat, action="test.event.older", target=personas.police)
        audit_write(actor=personas.coordinator, action="test.event.newer", target=personas.justice)
    finally:
        current_request.reset(token)
    response = client_for("coordinator").get(reverse("audit:event_list"), {"action": "test."})
    html = response.content.decode()
    assert html.index("test.event.newer") < html.index("test.event.older")
    assert "coordinator" in html
    assert "Ministry of Justice" in html
    assert "actors.organisation" in html
    assert "192.0.2.7" in html
    assert [event.action for event in response.context["page_obj"]] == [
        "test.event.newer",
        "test.event.older",
    ]


def test_reading_the_list_records_one_access_event_per_page(
    client_for: ClientFor, personas: Personas
) -> None:
    """One access event records the page read, the filters and the events shown."""
    shown = [audit_write(actor=None, action=f"test.event.n{index}") for index in range(3)]
    client_for("coordinator").get(reverse("audit:event_list"), {"action": "test."})
    reads = AuditEvent.objects.filter(action="audit.event.list")
    assert reads.count() == 1
    read = reads.get()
    assert read.kind == AuditEvent.Kind.ACCESS
    assert read.actor_id == personas.coordinator.pk
    assert read.detail == {
        "filters": {"action": "test."},
        "page": 1,
        "events": [event.pk for event in reversed(shown)],
    }


def test_reading_an_event_records_an_access_event(
    client_for: ClientFor, personas: Personas
) -> None:
    """Opening an event records which event the reader saw."""
    event = audit_write(actor=None, action="test.event.one")
    client_for("secretariat").get(reverse("audit:event_detail", args=[event.pk]))
    read = AuditEvent.objects.get(action="audit.event.view")
    assert read.actor_id == personas.secretariat.pk
    assert read.target_type == "audit.auditevent"
    assert read.target_id == str(event.pk)


def test_a_refused_reader_leaves_no_access_event(client_for: ClientFor) -> None:
    """Nothing was read, so nothing is recorded as read."""
    client_for("practitioner").get(reverse("audit:event_list"))
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCESS).exists()


def test_the_detail_shows_before_and_after_side_by_side(
    client_for: ClientFor, personas: Personas
) -> None:
    """Each recorded field appears with its old and new value, and changed ones are marked."""
    event = audit_write(
        actor=personas.coordinator,
        action="actors.organisation.update",
        target=personas.justice,
        before={"name": "Ministry of Justice", "region": "Uusimaa"},
        after={"name": "Ministry of Justice", "region": "Pirkanmaa", "short_name": "OM"},
        detail={"reason": "moved"},
    )
    response = client_for("coordinator").get(reverse("audit:event_detail", args=[event.pk]))
    rows = {row.name: row for row in response.context["changes"]}
    assert (rows["region"].before, rows["region"].after, rows["region"].changed) == (
        "Uusimaa",
        "Pirkanmaa",
        True,
    )
    assert rows["name"].changed is False
    assert (rows["short_name"].before, rows["short_name"].after) == ("—", "OM")
    html = response.content.decode()
    assert "Pirkanmaa" in html
    assert "moved" in html
    assert "Intact" in html


def test_the_detail_shows_a_broken_seal(client_for: ClientFor) -> None:
    """An event edited after it was written shows as broken on its own page."""
    event = audit_write(actor=None, action="test.event.one", after={"n": 1})
    tamper_update(event.pk, after={"n": 2})
    response = client_for("coordinator").get(reverse("audit:event_detail", args=[event.pk]))
    assert response.context["seal"].ok is False
    assert "Broken" in response.content.decode()


def test_verifying_an_intact_chain_shows_success(client_for: ClientFor) -> None:
    """The verify button reports how many events it checked."""
    client = client_for("coordinator")
    for index in range(3):
        audit_write(actor=None, action=f"test.event.n{index}")
    existing = AuditEvent.objects.count()
    response = client.post(reverse("audit:chain_verify"), follow=True)
    html = response.content.decode()
    assert f"Verified {existing} audit events: the chain is intact." in html
    assert "govuk-notification-banner--success" in html
    verification = AuditEvent.objects.get(action="audit.chain.verify")
    assert verification.detail["ok"] is True
    assert verification.detail["verified"] == existing


def test_verifying_a_broken_chain_names_the_event(client_for: ClientFor) -> None:
    """The verify button names the first broken event and records the failure."""
    events = [audit_write(actor=None, action=f"test.event.n{index}") for index in range(3)]
    tamper_update(events[1].pk, action="test.event.forged")
    response = client_for("coordinator").post(reverse("audit:chain_verify"), follow=True)
    assert f"The audit chain is broken at event #{events[1].pk}" in response.content.decode()
    verification = AuditEvent.objects.get(action="audit.chain.verify")
    assert verification.detail["ok"] is False
    assert verification.detail["broken_event"] == events[1].pk
    assert verification.detail["problem"] == "content_changed"


def _actions(response: object) -> list[str]:
    return [event.action for event in response.context["page_obj"]]  # type: ignore[attr-defined]


def test_the_filters_narrow_the_list(client_for: ClientFor, personas: Personas) -> None:
    """Action, kind, person, object type and search each narrow the list."""
    audit_write(
        actor=personas.coordinator, action="actors.organisation.update", target=personas.justice
    )
    audit_access(actor=personas.secretariat, action="actors.person.view", target=personas.ngo)
    audit_security(actor=personas.ngo, action="accounts.login")
    client = client_for("coordinator")
    url = reverse("audit:event_list")
    assert _actions(client.get(url, {"action": "actors."})) == [
        "actors.person.view",
        "actors.organisation.update",
    ]
    assert _actions(client.get(url, {"kind": "security", "actor": "ngo"})) == ["accounts.login"]
    assert _actions(client.get(url, {"actor": "SECRETARIAT"})) == ["actors.person.view"]
    assert _actions(client.get(url, {"target_type": "accounts.user"})) == ["actors.person.view"]
    assert _actions(
        client.get(
            url, {"target_type": "actors.organisation", "target_id": str(personas.justice.pk)}
        )
    ) == ["actors.organisation.update"]
    assert _actions(client.get(url, {"q": "justice"})) == ["actors.organisation.update"]


def test_the_date_range_filters_by_day(client_for: ClientFor) -> None:
    """From and to dates include whole days in the site's time zone."""
    audit_write(actor=None, action="test.event.today")
    today = timezone.localdate()
    client = client_for("coordinator")
    url = reverse("audit:event_list")
    assert _actions(
        client.get(
            url, {"date_from": today.isoformat(), "date_to": today.isoformat(), "action": "test."}
        )
    ) == ["test.event.today"]
    tomorrow = today + timedelta(days=1)
    assert _actions(client.get(url, {"date_from": tomorrow.isoformat(), "action": "test."})) == []
    yesterday = today - timedelta(days=1)
    assert _actions(client.get(url, {"date_to": yesterday.isoformat(), "action": "test."})) == []


def test_a_reversed_date_range_is_refused(client_for: ClientFor) -> None:
    """An end date before the start date is an error, shows no events and records no read."""
    audit_write(actor=None, action="test.event.one")
    response = client_for("coordinator").get(
        reverse("audit:event_list"), {"date_from": "2026-05-02", "date_to": "2026-05-01"}
    )
    assert response.status_code == 200
    assert response.context["page_obj"] is None
    assert "The end date must be the same as or after the start date." in response.content.decode()
    assert not AuditEvent.objects.filter(action="audit.event.list").exists()


def test_the_list_is_paginated_by_25(client_for: ClientFor) -> None:
    """Twenty-five events a page; the second page holds the oldest."""
    events = [audit_write(actor=None, action=f"test.event.n{index}") for index in range(30)]
    client = client_for("coordinator")
    first = client.get(reverse("audit:event_list"), {"action": "test."})
    assert len(first.context["page_obj"]) == 25
    assert first.context["page_obj"].paginator.num_pages == 2
    second = client.get(reverse("audit:event_list"), {"action": "test.", "page": "2"})
    assert [event.pk for event in second.context["page_obj"]] == [
        event.pk for event in reversed(events[:5])
    ]


def _count_list_queries(client_for: ClientFor, *, shown: int) -> int:
    client = client_for("coordinator")
    client.get(reverse("audit:event_list"))  # the session is set up outside the count
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("audit:event_list"), {"action": "test."})
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == shown
    return len(queries)


def test_the_list_runs_the_same_queries_for_1_and_20_events(client_for: ClientFor) -> None:
    """The list page's query count does not grow with the number of events shown."""
    audit_write(actor=None, action="test.event.first", after={"n": 0})
    with_one = _count_list_queries(client_for, shown=1)
    for index in range(19):
        audit_write(actor=None, action=f"test.event.n{index}", after={"n": index})
    with_twenty = _count_list_queries(client_for, shown=20)
    assert with_one == with_twenty


def test_an_event_page_runs_a_fixed_number_of_queries(client_for: ClientFor) -> None:
    """An event's page costs the same whatever it recorded."""
    small = audit_write(actor=None, action="test.event.small")
    large = audit_write(
        actor=None,
        action="test.event.large",
        before={f"field{index}": index for index in range(20)},
        after={f"field{index}": index + 1 for index in range(20)},
        detail={f"key{index}": index for index in range(20)},
    )
    client = client_for("coordinator")
    counts = []
    for event in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("audit:event_detail", args=[event.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("field", ["date_from", "date_to"])
@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_extreme_dates_are_form_errors(
    personas: Personas, client_for: ClientFor, field: str, value: str
) -> None:
    """Dates at the ends of the calendar are refused by the filter form, not a 500."""
    response = client_for("coordinator").get(reverse("audit:event_list"), {field: value})
    assert response.status_code == 200
    assert field in response.context["form"].errors


def test_an_outsider_asking_for_an_event_gets_not_found(
    personas: Personas, client_for: ClientFor
) -> None:
    """Someone with no role learns nothing about an event (404); a practitioner gets 403."""
    event = audit_write(actor=personas.coordinator, action="test.event")
    url = reverse("audit:event_detail", args=[event.pk])
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("practitioner").get(url).status_code == 403
