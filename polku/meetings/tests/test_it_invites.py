"""Invitations, updates and cancellations by e-mail with iCalendar attached; answers,
guests and attendance."""

from datetime import UTC, timedelta
from smtplib import SMTPException
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.utils import timezone

from conftest import Personas
from polku.actors.tests.factories import (
    make_body_member,
    make_membership,
    make_organisation,
    make_user,
)
from polku.audit.models import AuditEvent
from polku.meetings.choices import Attendance, InvitationKind, InvitationResponse, MeetingStatus
from polku.meetings.models import Invitation, Meeting
from polku.meetings.services.invitations import invitation_respond, meeting_invite
from polku.meetings.services.meetings import (
    meeting_cancel,
    meeting_record_attendance,
    meeting_schedule,
    meeting_update,
)
from polku.meetings.tasks import meeting_mail_invitees
from polku.meetings.tests.factories import (
    calendar_of,
    invite_members,
    invited_user,
    make_meeting,
    meeting_input,
)

MEMBERS = {"coordinator@example.org", "secretariat@example.org", "secretariat2@example.org"}


@pytest.fixture
def scheduled(personas: Personas, django_capture_on_commit_callbacks: Any) -> Meeting:
    with django_capture_on_commit_callbacks(execute=True):
        return meeting_schedule(
            actor=personas.coordinator, body=personas.secretariat_body, data=meeting_input()
        )


def test_it_emails_each_invitee_a_request_with_the_meeting_in_utc(
    personas: Personas, scheduled: Meeting
) -> None:
    assert {message.to[0] for message in mail.outbox} == MEMBERS
    message = next(m for m in mail.outbox if m.to == ["secretariat@example.org"])
    assert message.subject.startswith("Invitation: Secretariat meeting")
    assert "Room 3" in message.body
    assert scheduled.get_absolute_url() in message.body
    calendar, event, mimetype = calendar_of(message)
    assert mimetype == "text/calendar; method=REQUEST; charset=UTF-8"
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == f"meeting-{scheduled.pk}@polku"
    assert event["SEQUENCE"] == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    start = event.decoded("DTSTART")
    assert start.tzinfo is not None and start.utcoffset() == timedelta(0)
    assert start == scheduled.starts_at.astimezone(UTC)
    assert event.decoded("DTEND") == scheduled.ends_at.astimezone(UTC)
    assert event.to_ical().decode().count("DTSTART:") == 1
    assert "Z\r\n" in event.to_ical().decode().split("DTSTART:")[1][:20]
    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:secretariat@example.org"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
    assert "Room 3" in str(event["LOCATION"])
    assert Invitation.objects.filter(meeting=scheduled, sent_sequence=0).count() == 3


def test_it_emails_an_update_with_a_raised_sequence(
    personas: Personas, scheduled: Meeting, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    moved = meeting_input(
        starts_at=scheduled.starts_at + timedelta(days=1),
        ends_at=scheduled.ends_at + timedelta(days=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        meeting_update(actor=personas.coordinator, meeting=scheduled, data=moved)
    assert {message.to[0] for message in mail.outbox} == MEMBERS
    message = mail.outbox[0]
    assert message.subject.startswith("Changed: Secretariat meeting")
    calendar, event, mimetype = calendar_of(message)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert "method=REQUEST" in mimetype
    assert event["SEQUENCE"] == 1
    assert str(event["UID"]) == f"meeting-{scheduled.pk}@polku"
    assert event.decoded("DTSTART") == moved.starts_at.astimezone(UTC)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_update(
            actor=personas.coordinator,
            meeting=scheduled,
            data=meeting_input(
                starts_at=moved.starts_at, ends_at=moved.ends_at, agenda_lead_days=2
            ),
        )
    assert not mail.outbox


def test_it_emails_a_cancellation_only_to_those_who_were_told_of_the_meeting(
    personas: Personas, scheduled: Meeting, django_capture_on_commit_callbacks: Any
) -> None:
    """Someone invited whose invitation never went out is not told of the cancellation."""
    latecomer = invited_user(scheduled, personas.ngo, kind=InvitationKind.GUEST)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_cancel(
            actor=personas.coordinator, meeting=scheduled, reason="The minister called a session."
        )
    assert {message.to[0] for message in mail.outbox} == MEMBERS
    message = mail.outbox[0]
    assert message.subject.startswith("Cancelled: Secretariat meeting")
    assert "The minister called a session." in message.body
    calendar, event, mimetype = calendar_of(message)
    assert str(calendar["METHOD"]) == "CANCEL"
    assert mimetype.startswith("text/calendar; method=CANCEL")
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert str(event["UID"]) == f"meeting-{scheduled.pk}@polku"
    latecomer.refresh_from_db()
    assert latecomer.sent_sequence == 1


def test_it_mails_each_revision_once_however_often_the_task_runs(
    personas: Personas, scheduled: Meeting
) -> None:
    mail.outbox.clear()
    assert meeting_mail_invitees.call(meeting_id=scheduled.pk) == 0
    assert meeting_mail_invitees.call(meeting_id=0) == 0
    assert not mail.outbox


def test_it_audits_each_revision_it_mails(
    personas: Personas, scheduled: Meeting, django_capture_on_commit_callbacks: Any
) -> None:
    """Each invitee's last revision sent is an audited write, once per revision."""

    def sent() -> list[AuditEvent]:
        return list(AuditEvent.objects.filter(action="meetings.invitation.send").order_by("pk"))

    invitation_ids = {str(pk) for pk in scheduled.invitations.values_list("pk", flat=True)}
    assert {event.target_id for event in sent()} == invitation_ids
    assert [(event.before, event.after) for event in sent()] == [
        ({"sent_sequence": -1}, {"sent_sequence": 0})
    ] * 3
    assert all(event.actor_id is None for event in sent())
    assert all(event.detail == {"meeting": scheduled.pk} for event in sent())

    meeting_mail_invitees.call(meeting_id=scheduled.pk)
    assert len(sent()) == 3

    moved = meeting_input(
        starts_at=scheduled.starts_at + timedelta(hours=1),
        ends_at=scheduled.ends_at + timedelta(hours=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        meeting_update(actor=personas.coordinator, meeting=scheduled, data=moved)
    assert [event.after for event in sent()[3:]] == [{"sent_sequence": 1}] * 3


def test_it_gives_back_the_claim_when_an_email_cannot_be_sent(
    personas: Personas,
    scheduled: Meeting,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A failed send restores the revision, audited, so running the task again sends it."""
    moved = meeting_input(
        starts_at=scheduled.starts_at + timedelta(hours=1),
        ends_at=scheduled.ends_at + timedelta(hours=1),
    )
    with django_capture_on_commit_callbacks(execute=False):
        meeting_update(actor=personas.coordinator, meeting=scheduled, data=moved)
    mail.outbox.clear()

    def refuse(self: EmailMessage, fail_silently: bool = False) -> int:
        raise SMTPException("The mail server is down.")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    with pytest.raises(SMTPException):
        meeting_mail_invitees.call(meeting_id=scheduled.pk)
    assert set(scheduled.invitations.values_list("sent_sequence", flat=True)) == {0}
    failed = AuditEvent.objects.get(action="meetings.invitation.send_failed")
    assert failed.before == {"sent_sequence": 1} and failed.after == {"sent_sequence": 0}
    assert failed.actor_id is None

    monkeypatch.undo()
    assert meeting_mail_invitees.call(meeting_id=scheduled.pk) == 3
    assert set(scheduled.invitations.values_list("sent_sequence", flat=True)) == {1}


def test_it_leaves_out_people_without_an_address_or_account(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    personas.secretariat.email = ""
    personas.secretariat.save()
    personas.secretariat2.is_active = False
    personas.secretariat2.save()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meeting_schedule(
            actor=personas.coordinator, body=personas.secretariat_body, data=meeting_input()
        )
    assert [message.to[0] for message in mail.outbox] == ["coordinator@example.org"]
    assert not meeting.invitations.filter(user=personas.secretariat2).exists()


def test_it_invites_a_guest_from_another_organisation(
    personas: Personas, scheduled: Meeting, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = meeting_invite(
            actor=personas.secretariat,
            meeting=scheduled,
            user=personas.ngo,
            organisation=personas.ngo_org,
        )
    assert invitation.kind == InvitationKind.GUEST
    assert [message.to[0] for message in mail.outbox] == ["ngo@example.org"]
    _calendar, event, _mimetype = calendar_of(mail.outbox[0])
    assert event["ATTENDEE"].params["ROLE"] == "OPT-PARTICIPANT"
    assert event["SEQUENCE"] == 0
    assert AuditEvent.objects.filter(action="meetings.invitation.create").count() == 1


def test_it_refuses_invitations_that_cannot_stand(personas: Personas, scheduled: Meeting) -> None:
    """Twice, for an organisation the person does not work for, by a non-manager, for an
    outsider, or to a cancelled meeting: refused, nothing written."""
    with pytest.raises(ValidationError):
        meeting_invite(
            actor=personas.coordinator,
            meeting=scheduled,
            user=personas.secretariat,
            organisation=personas.justice,
        )
    with pytest.raises(ValidationError):
        meeting_invite(
            actor=personas.coordinator,
            meeting=scheduled,
            user=personas.ngo,
            organisation=personas.justice,
        )
    with pytest.raises(ValidationError):
        meeting_invite(
            actor=personas.coordinator,
            meeting=scheduled,
            user=personas.outsider,
            organisation=make_organisation(),
        )
    with pytest.raises(PermissionDenied):
        meeting_invite(
            actor=personas.practitioner,
            meeting=scheduled,
            user=personas.ngo,
            organisation=personas.ngo_org,
        )
    Meeting.objects.filter(pk=scheduled.pk).update(status=MeetingStatus.CANCELLED)
    with pytest.raises(ValidationError):
        meeting_invite(
            actor=personas.coordinator,
            meeting=scheduled,
            user=personas.ngo,
            organisation=personas.ngo_org,
        )
    assert scheduled.invitations.count() == 3
    assert not AuditEvent.objects.filter(action="meetings.invitation.create").exists()


def test_it_records_each_invitees_answer(personas: Personas, scheduled: Meeting) -> None:
    answered = invitation_respond(
        actor=personas.secretariat, meeting=scheduled, response=InvitationResponse.DECLINED
    )
    assert answered.response == InvitationResponse.DECLINED
    again = invitation_respond(
        actor=personas.secretariat, meeting=scheduled, response=InvitationResponse.ACCEPTED
    )
    assert again.response == InvitationResponse.ACCEPTED
    assert AuditEvent.objects.filter(action="meetings.invitation.respond").count() == 2
    with pytest.raises(ValidationError):
        invitation_respond(
            actor=personas.secretariat, meeting=scheduled, response=InvitationResponse.PENDING
        )
    with pytest.raises(PermissionDenied):
        invitation_respond(
            actor=personas.ngo, meeting=scheduled, response=InvitationResponse.ACCEPTED
        )
    assert not Invitation.objects.filter(user=personas.ngo).exists()


def test_it_stops_answers_once_the_meeting_is_over_or_cancelled(personas: Personas) -> None:
    past = timezone.now() - timedelta(days=1)
    over = make_meeting(
        body=personas.secretariat_body, starts_at=past, ends_at=past + timedelta(hours=1)
    )
    invite_members(over)
    with pytest.raises(ValidationError):
        invitation_respond(
            actor=personas.secretariat, meeting=over, response=InvitationResponse.ACCEPTED
        )
    cancelled = make_meeting(body=personas.secretariat_body, status=MeetingStatus.CANCELLED)
    invite_members(cancelled)
    with pytest.raises(ValidationError):
        invitation_respond(
            actor=personas.secretariat, meeting=cancelled, response=InvitationResponse.ACCEPTED
        )
    assert not Invitation.objects.exclude(response=InvitationResponse.PENDING).exists()


def test_it_records_attendance_once_the_meeting_has_started(personas: Personas) -> None:
    started = timezone.now() - timedelta(hours=1)
    meeting = make_meeting(
        body=personas.secretariat_body, starts_at=started, ends_at=started + timedelta(hours=2)
    )
    invitations = {invitation.user.username: invitation for invitation in invite_members(meeting)}
    guest = invited_user(meeting, make_user(username="visitor"), kind=InvitationKind.GUEST)
    meeting_record_attendance(
        actor=personas.coordinator,
        meeting=meeting,
        attendance={
            invitations["coordinator"].pk: Attendance.PRESENT,
            invitations["secretariat"].pk: Attendance.APOLOGIES,
            invitations["secretariat2"].pk: Attendance.ABSENT,
            guest.pk: Attendance.PRESENT,
        },
    )
    recorded = dict(meeting.invitations.values_list("user__username", "attendance"))
    assert recorded == {
        "coordinator": Attendance.PRESENT,
        "secretariat": Attendance.APOLOGIES,
        "secretariat2": Attendance.ABSENT,
        "visitor": Attendance.PRESENT,
    }
    event = AuditEvent.objects.get(action="meetings.meeting.attendance")
    assert event.detail["attendance"][str(guest.pk)] == [Attendance.UNKNOWN, Attendance.PRESENT]


def test_it_refuses_attendance_that_cannot_be_recorded(personas: Personas) -> None:
    future = make_meeting(body=personas.secretariat_body)
    invitation = invite_members(future)[0]
    with pytest.raises(ValidationError):
        meeting_record_attendance(
            actor=personas.coordinator,
            meeting=future,
            attendance={invitation.pk: Attendance.PRESENT},
        )
    started = timezone.now() - timedelta(hours=1)
    running = make_meeting(
        body=personas.secretariat_body, starts_at=started, ends_at=started + timedelta(hours=2)
    )
    own = invite_members(running)[0]
    for bad in ({invitation.pk: Attendance.PRESENT}, {own.pk: "asleep"}):
        with pytest.raises(ValidationError):
            meeting_record_attendance(actor=personas.coordinator, meeting=running, attendance=bad)
    with pytest.raises(PermissionDenied):
        meeting_record_attendance(
            actor=personas.practitioner, meeting=running, attendance={own.pk: Attendance.ABSENT}
        )
    assert not Invitation.objects.exclude(attendance=Attendance.UNKNOWN).exists()
    assert not AuditEvent.objects.filter(action="meetings.meeting.attendance").exists()


def test_it_invites_as_a_member_someone_who_sits_on_the_body(personas: Personas) -> None:
    """Someone who joined the body after the meeting was scheduled comes as a member."""
    meeting = make_meeting(body=personas.private_group)
    newcomer = make_user(username="newcomer")
    make_membership(user=newcomer, organisation=personas.police, role="practitioner")
    make_body_member(body=personas.private_group, user=newcomer, organisation=personas.police)
    invitation = meeting_invite(
        actor=personas.secretariat, meeting=meeting, user=newcomer, organisation=personas.police
    )
    assert invitation.kind == InvitationKind.MEMBER
