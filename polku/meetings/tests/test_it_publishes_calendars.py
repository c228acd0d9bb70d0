"""The personal calendar feed: its secret address from creation to revocation, and what it
holds for whom."""

import hashlib
import re
from datetime import UTC, date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from conftest import ClientFor, Personas
from polku.actors.models import Membership
from polku.audit.models import AuditEvent
from polku.meetings.choices import (
    ActionStatus,
    AgendaItemStatus,
    Attendance,
    InvitationResponse,
    MeetingStatus,
    MinutesStatus,
)
from polku.meetings.models import ActionItem, CalendarFeed, Meeting, Minutes
from polku.meetings.services.calendar import (
    calendar_feed_for_token,
    calendar_feed_issue,
    calendar_feed_revoke,
)
from polku.meetings.tests.factories import (
    invite_members,
    invited_user,
    make_agenda_item,
    make_meeting,
)


def feed_url(token: str) -> str:
    return reverse("meetings:calendar_feed", kwargs={"token": token})


def read_feed(token: str) -> Calendar:
    response = Client().get(feed_url(token))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def uids(calendar: Calendar) -> set[str]:
    return {str(event["UID"]) for event in calendar.walk("VEVENT")}


def make_action(personas: Personas, **fields: Any) -> ActionItem:
    values: dict[str, Any] = {
        "body": personas.secretariat_body,
        "title": "Draft the referral guideline",
        "owner": personas.secretariat,
        "owner_organisation": personas.justice,
        "due_on": timezone.localdate() + timedelta(days=20),
    }
    values.update(fields)
    return ActionItem.objects.create(**values)


# --- The secret address ---------------------------------------------------------------


def test_it_keeps_only_a_hash_of_the_token(personas: Personas) -> None:
    feed, token = calendar_feed_issue(actor=personas.secretariat)
    assert len(token) == 43
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in feed.token_hash
    event = AuditEvent.objects.get(action="meetings.calendar_feed.create")
    assert token not in str(event.after) and feed.token_hash not in str(event.after)
    assert calendar_feed_for_token(token) == feed


def test_it_regenerates_and_revokes_the_address(personas: Personas) -> None:
    _feed, first = calendar_feed_issue(actor=personas.secretariat)
    _feed, second = calendar_feed_issue(actor=personas.secretariat)
    assert first != second
    assert CalendarFeed.objects.filter(user=personas.secretariat).count() == 1
    assert calendar_feed_for_token(first) is None
    assert calendar_feed_for_token(second) is not None
    calendar_feed_revoke(actor=personas.secretariat)
    assert calendar_feed_for_token(second) is None
    with pytest.raises(ValidationError):
        calendar_feed_revoke(actor=personas.secretariat)
    assert list(
        AuditEvent.objects.filter(action__startswith="meetings.calendar_feed")
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "meetings.calendar_feed.create",
        "meetings.calendar_feed.regenerate",
        "meetings.calendar_feed.revoke",
    ]


def test_it_gives_no_feed_to_people_without_a_role(personas: Personas) -> None:
    with pytest.raises(ValidationError):
        calendar_feed_issue(actor=personas.outsider)
    _feed, token = calendar_feed_issue(actor=personas.ngo)
    Membership.objects.filter(user=personas.ngo).update(is_active=False)
    assert calendar_feed_for_token(token) is None
    assert Client().get(feed_url(token)).status_code == 404


@pytest.mark.parametrize("token", ["x" * 43, "short", "a" * 44, "../../etc/passwd"])
def test_it_answers_unknown_addresses_with_404(personas: Personas, token: str) -> None:
    calendar_feed_issue(actor=personas.secretariat)
    assert Client().get(f"/meetings/calendar/{token}.ics").status_code == 404


def test_it_shows_the_address_once_on_the_settings_page(
    personas: Personas, client_for: ClientFor
) -> None:
    client = client_for("secretariat")
    page = client.get(reverse("meetings:calendar_settings"))
    assert page.status_code == 200
    assert b'value="create"' in page.content
    created = client.post(reverse("meetings:calendar_settings"), {"action": "create"})
    assert created.status_code == 200
    assert "no-store" in created["Cache-Control"]
    feed = CalendarFeed.objects.get(user=personas.secretariat)
    html = created.content.decode()
    found = re.search(r'value="http://[^"]+/meetings/calendar/([A-Za-z0-9_-]{43})\.ics"', html)
    assert found is not None
    token = found.group(1)
    assert hashlib.sha256(token.encode()).hexdigest() == feed.token_hash
    assert "webcal://" in html
    again = client.get(reverse("meetings:calendar_settings")).content.decode()
    assert token not in again
    assert "Regenerate the address" in again
    refused = client.post(reverse("meetings:calendar_settings"), {"action": "create"})
    assert refused.status_code == 302
    assert CalendarFeed.objects.get(user=personas.secretariat).token_hash == feed.token_hash
    read_feed(token)
    feed.refresh_from_db()
    assert feed.last_used_at is not None


def test_it_confirms_before_regenerating_or_revoking(
    personas: Personas, client_for: ClientFor
) -> None:
    client = client_for("practitioner")
    _feed, token = calendar_feed_issue(actor=personas.practitioner)
    for action in ("regenerate", "revoke"):
        page = client.get(reverse("meetings:calendar_settings") + f"?confirm={action}")
        assert page.status_code == 200
        assert f'value="{action}"'.encode() in page.content
    assert calendar_feed_for_token(token) is not None
    regenerated = client.post(reverse("meetings:calendar_settings"), {"action": "regenerate"})
    assert regenerated.status_code == 200
    assert calendar_feed_for_token(token) is None
    revoked = client.post(reverse("meetings:calendar_settings"), {"action": "revoke"})
    assert revoked.status_code == 302
    assert not CalendarFeed.objects.filter(user=personas.practitioner).exists()


# --- What the feed holds --------------------------------------------------------------


@pytest.fixture
def world(personas: Personas) -> dict[str, Any]:
    """Meetings and actions around the secretariat member."""
    mine = make_meeting(body=personas.secretariat_body, title="Mine")
    invite_members(mine)
    make_agenda_item(meeting=mine, proposed_by=personas.coordinator, title="Reports")
    make_agenda_item(
        meeting=mine,
        proposed_by=personas.coordinator,
        title="A proposal",
        status=AgendaItemStatus.PROPOSED,
    )
    cancelled = make_meeting(
        body=personas.secretariat_body,
        title="Called off",
        status=MeetingStatus.CANCELLED,
        sequence=1,
    )
    invite_members(cancelled)
    not_invited = make_meeting(body=personas.secretariat_body, title="Not invited")
    invited_user(not_invited, personas.coordinator)
    closed = make_meeting(body=personas.private_group, title="Closed group")
    invite_members(closed)
    return {
        "mine": mine,
        "cancelled": cancelled,
        "not_invited": not_invited,
        "closed": closed,
        "owned": make_action(personas, title="Owned"),
        "deputised": make_action(
            personas,
            title="Deputised",
            owner=personas.secretariat2,
            owner_organisation=personas.social_affairs,
            deputy=personas.secretariat,
        ),
        "done": make_action(personas, title="Done", status=ActionStatus.DONE),
        "others": make_action(
            personas,
            title="Others",
            owner=personas.coordinator,
            owner_organisation=personas.interior,
        ),
    }


def test_it_lists_my_meetings_in_utc_and_marks_cancelled_ones(
    personas: Personas, world: dict[str, Any]
) -> None:
    _feed, token = calendar_feed_issue(actor=personas.secretariat)
    calendar = read_feed(token)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert Client().head(feed_url(token)).status_code == 200
    assert Client().post(feed_url(token)).status_code == 405
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    mine: Meeting = world["mine"]
    assert f"meeting-{mine.pk}@polku" in events
    assert f"meeting-{world['closed'].pk}@polku" in events
    assert f"meeting-{world['not_invited'].pk}@polku" not in events
    event = events[f"meeting-{mine.pk}@polku"]
    assert event.decoded("DTSTART") == mine.starts_at.astimezone(UTC)
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert "Reports" in str(event["DESCRIPTION"])
    assert "A proposal" not in str(event["DESCRIPTION"])
    assert "ATTENDEE" not in event
    cancelled = events[f"meeting-{world['cancelled'].pk}@polku"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert cancelled["SEQUENCE"] == 1


def test_it_lists_the_due_dates_of_open_actions_i_own_or_deputise(
    personas: Personas, world: dict[str, Any]
) -> None:
    _feed, token = calendar_feed_issue(actor=personas.secretariat)
    calendar = read_feed(token)
    found = uids(calendar)
    assert f"action-{world['owned'].pk}@polku" in found
    assert f"action-{world['deputised'].pk}@polku" in found
    assert f"action-{world['done'].pk}@polku" not in found
    assert f"action-{world['others'].pk}@polku" not in found
    due = next(e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith("action-"))
    assert isinstance(due.decoded("DTSTART"), date)
    assert str(due["TRANSP"]) == "TRANSPARENT"


def test_it_lists_comment_deadlines_of_minutes_of_meetings_i_attend(personas: Personas) -> None:
    deadline = timezone.localdate() + timedelta(days=5)

    def held(title: str, **invitation: Any) -> Meeting:
        start = timezone.now() - timedelta(days=3)
        meeting = make_meeting(
            body=personas.secretariat_body,
            title=title,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            status=MeetingStatus.HELD,
        )
        invited_user(meeting, personas.secretariat, **invitation)
        return meeting

    attended = held("Attended", attendance=Attendance.PRESENT)
    apologised = held("Apologised", attendance=Attendance.APOLOGIES)
    declined = held("Declined", response=InvitationResponse.DECLINED)
    draft_only = held("Draft only", attendance=Attendance.PRESENT)
    for meeting in (attended, apologised, declined):
        Minutes.objects.create(
            meeting=meeting, status=MinutesStatus.CIRCULATED, comment_deadline=deadline
        )
    Minutes.objects.create(
        meeting=draft_only, status=MinutesStatus.DRAFT, comment_deadline=deadline
    )
    _feed, token = calendar_feed_issue(actor=personas.secretariat)
    calendar = read_feed(token)
    comment_uids = {uid for uid in uids(calendar) if uid.startswith("minutes-comments-")}
    assert comment_uids == {f"minutes-comments-{attended.pk}@polku"}
    entry = next(
        e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith("minutes-comments-")
    )
    assert entry.decoded("DTSTART") == deadline


def test_it_shows_nothing_of_other_peoples_calendars(
    personas: Personas, world: dict[str, Any]
) -> None:
    """The NGO worker, invited nowhere and owning nothing, reads an empty calendar."""
    _feed, token = calendar_feed_issue(actor=personas.ngo)
    calendar = read_feed(token)
    assert calendar.walk("VEVENT") == []
