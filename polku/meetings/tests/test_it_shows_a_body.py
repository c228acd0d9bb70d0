"""A body's work page: members by role, coming and past meetings, open actions and the
latest decisions, for those who may see the body, in a flat number of queries."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import ClientFor, Personas
from polku.actors.choices import BodyRole
from polku.actors.models import Body
from polku.actors.tests.factories import make_body_member, make_membership, make_organisation
from polku.meetings.choices import MeetingStatus, MinutesStatus
from polku.meetings.models import Meeting
from polku.meetings.tests.factories import (
    make_action,
    make_agenda_item,
    make_decision,
    make_meeting,
    make_minutes,
)


def _url(body: Body) -> str:
    return reverse("meetings:body_work", args=[body.pk])


def _meeting(body: Body, days: int, **fields: Any) -> Meeting:
    starts = timezone.now() + timedelta(days=days)
    return make_meeting(body=body, starts_at=starts, ends_at=starts + timedelta(hours=2), **fields)


def test_it_lists_members_by_role(client_for: ClientFor, personas: Personas) -> None:
    body = personas.secretariat_body
    deputy = make_membership(organisation=personas.justice, role="secretariat").user
    deputy.first_name, deputy.last_name = "Dana", "Deputy"
    deputy.save(update_fields=["first_name", "last_name"])
    make_body_member(
        body=body, user=deputy, organisation=personas.justice, role=BodyRole.DEPUTY_FOCAL_POINT
    )
    make_body_member(
        body=body, user=personas.ngo, organisation=personas.ngo_org, role=BodyRole.GUEST
    )
    make_body_member(
        body=body, user=personas.practitioner, organisation=personas.police, role=BodyRole.MEMBER
    )
    html = client_for("decisionmaker").get(_url(body)).content.decode()
    order = ["Chair", "Focal points and deputies", "Members", "Permanent guests"]
    positions = [html.index(f'class="govuk-table__header">{label}</th>') for label in order]
    assert positions == sorted(positions)
    # The justice ministry's focal point comes before its deputy, and the deputy says so.
    assert html.index(str(personas.secretariat)) < html.index("Dana Deputy")
    assert 'Dana Deputy <span class="govuk-hint govuk-!-display-inline">(deputy)</span>' in html
    assert 'class="govuk-table__header">Secretary</th>' not in html  # nobody: left out


def test_it_shows_meetings_actions_and_decisions(client_for: ClientFor, personas: Personas) -> None:
    body = personas.secretariat_body
    past = _meeting(body, -20, title="September meeting", status=MeetingStatus.HELD)
    make_minutes(meeting=past, status=MinutesStatus.APPROVED)
    _meeting(body, 10, title="December meeting")
    item = make_agenda_item(meeting=past)
    make_decision(item=item, text="A checklist is adopted.")
    make_action(item=item, title="Translate the checklist", owner=personas.secretariat)
    make_action(item=item, title="Already done", status="done")
    html = client_for("practitioner").get(_url(body)).content.decode()
    coming = html.index("Coming meetings")
    past_heading = html.index("Past meetings")
    assert coming < html.index("December meeting") < past_heading
    assert past_heading < html.index("September meeting")
    assert "Minutes (Approved)" in html
    assert "Translate the checklist" in html and "Already done" not in html
    assert "1 open action" in html
    assert "A checklist is adopted." in html
    assert reverse("meetings:decision_list", args=[body.pk]) in html
    assert reverse("meetings:body_actions", args=[body.pk]) in html


def test_an_empty_body_says_so(client_for: ClientFor, personas: Personas) -> None:
    html = client_for("practitioner").get(_url(personas.private_group)).content.decode()
    assert "No meetings are planned." in html
    assert "The body has not met yet." in html
    assert "Nothing is waiting to be done." in html
    assert "No decisions have been recorded yet." in html


@pytest.mark.parametrize(
    ("name", "open_body", "closed_body"),
    [
        ("coordinator", 200, 200),
        ("secretariat", 200, 200),
        ("practitioner", 200, 200),
        ("ngo", 200, 404),
        ("decisionmaker", 200, 404),
        ("outsider", 404, 404),
        ("anonymous", 302, 302),
    ],
)
def test_who_sees_a_body(
    client_for: ClientFor, personas: Personas, name: str, open_body: int, closed_body: int
) -> None:
    client = client_for(name)
    assert client.get(_url(personas.secretariat_body)).status_code == open_body
    assert client.get(_url(personas.private_group)).status_code == closed_body


def _fill(body: Body, n: int) -> None:
    for index in range(n):
        membership = make_membership(organisation=make_organisation(), role="practitioner")
        make_body_member(
            body=body,
            user=membership.user,
            organisation=membership.organisation,
            role=BodyRole.MEMBER if index % 2 else BodyRole.FOCAL_POINT,
        )
        past = _meeting(body, -30 - index, status=MeetingStatus.HELD)
        if index % 2:
            make_minutes(meeting=past, status=MinutesStatus.PUBLISHED)
        _meeting(body, 5 + index)
        item = make_agenda_item(meeting=past)
        make_decision(item=item, text=f"Decision {index}")
        make_action(
            item=item,
            owner=membership.user,
            owner_organisation=membership.organisation,
            reviewed_at=past,
        )


def _count(client_for: ClientFor, persona: str, url: str) -> int:
    client = client_for(persona)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["coordinator", "decisionmaker"])
def test_the_body_page_keeps_a_flat_query_budget(
    client_for: ClientFor, personas: Personas, persona: str, django_assert_max_num_queries: Any
) -> None:
    body = personas.secretariat_body
    url = _url(body)
    _fill(body, 1)
    one = _count(client_for, persona, url)
    _fill(body, 19)
    assert _count(client_for, persona, url) == one
    client = client_for(persona)
    client.get(url)
    with django_assert_max_num_queries(16):
        client.get(url)
