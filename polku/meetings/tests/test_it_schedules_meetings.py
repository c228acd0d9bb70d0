"""Scheduling, changing, cancelling and holding meetings: every move, and every refusal."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import Personas
from polku.actors.choices import BodyRole
from polku.actors.tests.factories import make_body_member, make_membership, make_user
from polku.audit.models import AuditEvent
from polku.meetings.choices import InvitationKind, MeetingStatus
from polku.meetings.models import Invitation, Meeting
from polku.meetings.services.meetings import (
    MeetingInput,
    meeting_cancel,
    meeting_mark_held,
    meeting_schedule,
    meeting_update,
)
from polku.meetings.tests.factories import invite_members, make_agenda_item, make_meeting
from polku.notifications.models import Notification
from polku.voice.choices import ChallengeStatus
from polku.voice.tests.factories import make_challenge


def meeting_input(**overrides: Any) -> MeetingInput:
    start = (timezone.now() + timedelta(days=10)).replace(minute=0, second=0, microsecond=0)
    values: dict[str, Any] = {
        "title": "Secretariat meeting",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "location": "Ministry of the Interior, room 3",
        "online_url": "https://meet.example.org/secretariat",
    }
    values.update(overrides)
    return MeetingInput(**values)


def audit_actions(target: Meeting) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_type="meetings.meeting", target_id=str(target.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_it_schedules_a_meeting_and_invites_every_member_of_the_body(personas: Personas) -> None:
    """Every seat of the body is invited; a permanent guest comes as a guest."""
    guest = make_user(username="guest")
    make_body_member(
        body=personas.secretariat_body,
        user=guest,
        organisation=personas.ngo_org,
        role=BodyRole.GUEST,
    )
    meeting = meeting_schedule(
        actor=personas.coordinator, body=personas.secretariat_body, data=meeting_input()
    )
    invitations = {
        invitation.user.username: (invitation.kind, invitation.organisation)
        for invitation in meeting.invitations.select_related("user", "organisation")
    }
    assert invitations == {
        "coordinator": (InvitationKind.MEMBER, personas.interior),
        "secretariat": (InvitationKind.MEMBER, personas.justice),
        "secretariat2": (InvitationKind.MEMBER, personas.social_affairs),
        "guest": (InvitationKind.GUEST, personas.ngo_org),
    }
    assert meeting.status == MeetingStatus.SCHEDULED
    assert meeting.sequence == 0
    assert meeting.created_by == personas.coordinator
    assert audit_actions(meeting) == ["meetings.meeting.schedule"]
    told = set(
        Notification.objects.filter(kind="meetings.meeting_invitation").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"secretariat", "secretariat2", "guest"}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"location": "", "online_url": ""}, "location"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
        ({"online_url": "not a link"}, "online_url"),
        ({"agenda_lead_days": 61}, "agenda_lead_days"),
        ({"description": "x" * 10_001}, "description"),
    ],
)
def test_it_refuses_bad_input_and_writes_nothing(
    personas: Personas, overrides: dict[str, Any], field: str
) -> None:
    """Each bad field is named; no meeting, invitation or audit event is written."""
    with pytest.raises(ValidationError) as refused:
        meeting_schedule(
            actor=personas.coordinator,
            body=personas.secretariat_body,
            data=meeting_input(**overrides),
        )
    assert field in refused.value.message_dict
    assert not Meeting.objects.exists()
    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="meetings.").exists()


def test_it_refuses_times_that_make_no_sense(personas: Personas) -> None:
    """A meeting starts in the future, ends after it starts and lasts at most a week."""
    now = timezone.now()
    cases = [
        (meeting_input(starts_at=now - timedelta(hours=1), ends_at=now), "starts_at"),
        (meeting_input(ends_at=meeting_input().starts_at), "ends_at"),
        (meeting_input(ends_at=meeting_input().starts_at - timedelta(hours=1)), "ends_at"),
        (meeting_input(ends_at=meeting_input().starts_at + timedelta(days=8)), "ends_at"),
    ]
    for data, field in cases:
        with pytest.raises(ValidationError) as refused:
            meeting_schedule(actor=personas.coordinator, body=personas.secretariat_body, data=data)
        assert field in refused.value.message_dict
    assert not Meeting.objects.exists()


def test_it_lets_only_managers_schedule(personas: Personas) -> None:
    """The chair and secretary of a body, the coordinator and the secretariat schedule;
    members, other insiders and outsiders are refused."""
    assert meeting_schedule(
        actor=personas.secretariat, body=personas.private_group, data=meeting_input()
    )
    secretary = make_user(username="secretary")
    make_membership(user=secretary, organisation=personas.police, role="practitioner")
    make_body_member(
        body=personas.private_group,
        user=secretary,
        organisation=personas.police,
        role=BodyRole.SECRETARY,
    )
    assert meeting_schedule(actor=secretary, body=personas.private_group, data=meeting_input())
    for refused in (personas.practitioner, personas.ngo, personas.admin, personas.outsider):
        with pytest.raises(PermissionDenied):
            meeting_schedule(actor=refused, body=personas.private_group, data=meeting_input())
    assert Meeting.objects.count() == 2


def test_it_refuses_to_schedule_for_a_retired_body(personas: Personas) -> None:
    personas.private_group.is_active = False
    personas.private_group.save()
    with pytest.raises(ValidationError):
        meeting_schedule(
            actor=personas.coordinator, body=personas.private_group, data=meeting_input()
        )
    assert not Meeting.objects.exists()


def test_it_raises_the_sequence_only_for_changes_calendars_hold(personas: Personas) -> None:
    """A new time or place is an update invitees hear about; the agenda lead time is not."""
    meeting = meeting_schedule(
        actor=personas.coordinator, body=personas.secretariat_body, data=meeting_input()
    )
    moved = meeting_input(starts_at=meeting.starts_at + timedelta(hours=1))
    updated = meeting_update(actor=personas.secretariat, meeting=meeting, data=moved)
    assert updated.sequence == 1
    assert updated.starts_at == moved.starts_at
    assert updated.updated_by == personas.secretariat
    quiet = meeting_update(
        actor=personas.secretariat,
        meeting=updated,
        data=meeting_input(starts_at=moved.starts_at, agenda_lead_days=3),
    )
    assert quiet.sequence == 1
    assert quiet.agenda_lead_days == 3
    unchanged = meeting_update(
        actor=personas.secretariat,
        meeting=quiet,
        data=meeting_input(starts_at=moved.starts_at, agenda_lead_days=3),
    )
    assert unchanged.sequence == 1
    assert audit_actions(meeting) == [
        "meetings.meeting.schedule",
        "meetings.meeting.update",
        "meetings.meeting.update",
    ]
    event = AuditEvent.objects.filter(action="meetings.meeting.update").order_by("id").first()
    assert event is not None
    assert event.before is not None and event.before["sequence"] == 0
    assert event.after is not None and event.after["sequence"] == 1


def test_it_refuses_updates_by_others_and_to_closed_meetings(personas: Personas) -> None:
    meeting = meeting_schedule(
        actor=personas.coordinator, body=personas.secretariat_body, data=meeting_input()
    )
    with pytest.raises(PermissionDenied):
        meeting_update(
            actor=personas.practitioner, meeting=meeting, data=meeting_input(title="Hijacked")
        )
    meeting_cancel(actor=personas.coordinator, meeting=meeting, reason="No quorum.")
    with pytest.raises(ValidationError):
        meeting_update(
            actor=personas.coordinator, meeting=meeting, data=meeting_input(title="Revived")
        )
    meeting.refresh_from_db()
    assert meeting.title == "Secretariat meeting"
    assert meeting.sequence == 1


def test_it_cancels_with_a_reason_and_raises_the_sequence(personas: Personas) -> None:
    meeting = meeting_schedule(
        actor=personas.coordinator, body=personas.secretariat_body, data=meeting_input()
    )
    with pytest.raises(ValidationError) as refused:
        meeting_cancel(actor=personas.coordinator, meeting=meeting, reason="  ")
    assert "reason" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        meeting_cancel(actor=personas.ngo, meeting=meeting, reason="Because.")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED
    cancelled = meeting_cancel(
        actor=personas.coordinator, meeting=meeting, reason="The minister called a session."
    )
    assert cancelled.status == MeetingStatus.CANCELLED
    assert cancelled.cancellation_reason == "The minister called a session."
    assert cancelled.sequence == 1
    with pytest.raises(ValidationError):
        meeting_cancel(actor=personas.coordinator, meeting=meeting, reason="Again.")
    assert audit_actions(meeting) == ["meetings.meeting.schedule", "meetings.meeting.cancel"]


def test_it_sends_a_challenge_back_to_consideration_when_its_meeting_is_cancelled(
    personas: Personas,
) -> None:
    """A challenge this meeting put on an agenda is considered again; one that is also on
    another meeting's agenda stays there."""
    meeting = make_meeting(body=personas.secretariat_body)
    other = make_meeting(body=personas.secretariat_body)
    alone = make_challenge(status=ChallengeStatus.ON_AGENDA)
    shared = make_challenge(status=ChallengeStatus.ON_AGENDA)
    make_agenda_item(meeting=meeting, challenge=alone, proposed_by=personas.coordinator)
    make_agenda_item(meeting=meeting, challenge=shared, proposed_by=personas.coordinator)
    make_agenda_item(meeting=other, challenge=shared, proposed_by=personas.coordinator)
    meeting_cancel(actor=personas.coordinator, meeting=meeting, reason="Postponed.")
    alone.refresh_from_db()
    shared.refresh_from_db()
    assert alone.status == ChallengeStatus.UNDER_CONSIDERATION
    assert "cancelled" in alone.events.order_by("-created_at").first().note  # type: ignore[union-attr]
    assert shared.status == ChallengeStatus.ON_AGENDA


def test_it_marks_a_meeting_held_once_it_has_started(personas: Personas) -> None:
    future = make_meeting(body=personas.secretariat_body)
    with pytest.raises(ValidationError):
        meeting_mark_held(actor=personas.coordinator, meeting=future)
    future.refresh_from_db()
    assert future.status == MeetingStatus.SCHEDULED

    started = timezone.now() - timedelta(minutes=30)
    running = make_meeting(
        body=personas.secretariat_body, starts_at=started, ends_at=started + timedelta(hours=2)
    )
    invite_members(running)
    with pytest.raises(PermissionDenied):
        meeting_mark_held(actor=personas.practitioner, meeting=running)
    held = meeting_mark_held(actor=personas.secretariat2, meeting=running)
    assert held.status == MeetingStatus.HELD
    with pytest.raises(ValidationError):
        meeting_mark_held(actor=personas.coordinator, meeting=running)
    assert audit_actions(running) == ["meetings.meeting.held"]
