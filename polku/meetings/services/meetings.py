"""Scheduling, changing, cancelling and holding meetings, and recording who attended.

Every change invitees must hear about raises the meeting's SEQUENCE; the e-mails (with an
iCalendar REQUEST or CANCEL attached) go from a task enqueued after commit, to each invitee
whose last e-mail carried an older SEQUENCE (``Invitation.sent_sequence``).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.models import User
from polku.actors.choices import BodyRole
from polku.actors.models import Body, BodyMember
from polku.audit.services import audit_write, snapshot
from polku.meetings.choices import Attendance, InvitationKind, MeetingStatus
from polku.meetings.models import Invitation, Meeting
from polku.meetings.permissions import can_manage_body_meetings, can_manage_meeting
from polku.notifications.services import notify

TITLE_MAX = 200
LOCATION_MAX = 300
DESCRIPTION_MAX = 10_000
LONGEST_MEETING = timedelta(days=7)
AGENDA_LEAD_DAYS_MAX = 60
# Fields invitees' calendars hold: a change to any of them is e-mailed as an update.
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "location", "online_url", "description")


@dataclass(frozen=True)
class MeetingInput:
    """What the person scheduling a meeting writes."""

    title: str
    starts_at: datetime
    ends_at: datetime
    location: str = ""
    online_url: str = ""
    description: str = ""
    chatham_house: bool = False
    agenda_lead_days: int = 7


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def lock_meeting(meeting: Meeting) -> Meeting:
    """The meeting, locked for a change, with its body."""
    return Meeting.objects.select_for_update(of=("self",)).select_related("body").get(pk=meeting.pk)


def refuse_unless_scheduled(meeting: Meeting) -> None:
    """Refuses a change to a meeting that was cancelled or has been held."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))
    if meeting.status == MeetingStatus.HELD:
        raise ValidationError(_("This meeting has already been held."))


def _validate(data: MeetingInput, *, new_start: bool) -> dict[str, Any]:
    """Checks the input; returns the cleaned values to store."""
    errors: dict[str, str] = {}
    title = data.title.strip()
    location = data.location.strip()
    online_url = data.online_url.strip()
    description = data.description.strip()
    if not title:
        errors["title"] = _("Give the meeting a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("Keep the title to 200 characters.")
    if timezone.is_naive(data.starts_at) or timezone.is_naive(data.ends_at):
        raise ValueError("Meeting times must be aware datetimes.")
    if data.ends_at <= data.starts_at:
        errors["ends_at"] = _("The meeting must end after it starts.")
    elif data.ends_at - data.starts_at > LONGEST_MEETING:
        errors["ends_at"] = _("A meeting can last at most a week.")
    if new_start and data.starts_at <= timezone.now():
        errors["starts_at"] = _("The meeting must start in the future.")
    if len(location) > LOCATION_MAX:
        errors["location"] = _("Keep the place to 300 characters.")
    if online_url:
        try:
            URLValidator(schemes=["https", "http"])(online_url)
        except ValidationError:
            errors["online_url"] = _("Enter the online link as a web address starting https://.")
    if not location and not online_url:
        errors["location"] = _("Give a place, an online link, or both.")
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = _("Keep the description to 10,000 characters.")
    if not 0 <= data.agenda_lead_days <= AGENDA_LEAD_DAYS_MAX:
        errors["agenda_lead_days"] = _("Send the agenda between 0 and 60 days before.")
    if errors:
        raise ValidationError(errors)
    return {
        "title": title,
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
        "location": location,
        "online_url": online_url,
        "description": description,
        "chatham_house": bool(data.chatham_house),
        "agenda_lead_days": data.agenda_lead_days,
    }


def mail_invitees_after_commit(meeting: Meeting) -> None:
    """After commit, e-mails the meeting to every invitee whose calendar holds an older revision."""
    meeting_id = meeting.pk

    def enqueue() -> None:
        from polku.meetings.tasks import meeting_mail_invitees

        meeting_mail_invitees.enqueue(meeting_id=meeting_id)

    transaction.on_commit(enqueue)


def _tell_invitees(meeting: Meeting, *, kind: str, actor: User, title: Any) -> None:
    """An in-app line for each invitee; the e-mail with the calendar goes separately."""
    standing = meeting.invitations.filter(withdrawn_at__isnull=True).select_related("user")
    notify(
        recipients=[invitation.user for invitation in standing],
        kind=kind,
        title=title,
        url=meeting.get_absolute_url(),
        target=meeting,
        exclude=actor,
        email=False,
    )


def meeting_start_text(meeting: Meeting) -> str:
    """When the meeting starts, as notifications name it."""
    return timezone.localtime(meeting.starts_at).strftime("%d.%m.%Y %H:%M")


def meeting_schedule(*, actor: User, body: Body, data: MeetingInput) -> Meeting:
    """Schedules a meeting of a body and invites every current member of it.

    Permanent guests of the body are invited as guests; everyone gets an e-mail with the
    meeting attached as an iCalendar REQUEST.
    """
    _require(can_manage_body_meetings(actor, body))
    if not body.is_active:
        raise ValidationError({"body": _("This body is no longer active.")})
    values = _validate(data, new_start=True)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            body=body, created_by=actor, updated_by=actor, sequence=0, **values
        )
        seats = BodyMember.objects.filter(body=body, user__is_active=True).select_related("user")
        Invitation.objects.bulk_create(
            Invitation(
                meeting=meeting,
                user=seat.user,
                organisation_id=seat.organisation_id,
                kind=InvitationKind.GUEST if seat.role == BodyRole.GUEST else InvitationKind.MEMBER,
            )
            for seat in seats
        )
        _tell_invitees(
            meeting,
            kind="meetings.meeting_invitation",
            actor=actor,
            title=lambda: (
                _("You are invited to %(meeting)s on %(when)s")
                % {"meeting": meeting.title, "when": meeting_start_text(meeting)}
            ),
        )
        audit_write(
            actor=actor,
            action="meetings.meeting.schedule",
            target=meeting,
            after=snapshot(meeting),
            detail={"invited": meeting.invitations.count()},
        )
        mail_invitees_after_commit(meeting)
    return meeting


def meeting_update(*, actor: User, meeting: Meeting, data: MeetingInput) -> Meeting:
    """Changes a scheduled meeting; a change to what calendars hold raises its SEQUENCE and
    e-mails an update to every invitee."""
    _require(can_manage_meeting(actor, meeting))
    with transaction.atomic():
        fresh = lock_meeting(meeting)
        refuse_unless_scheduled(fresh)
        values = _validate(data, new_start=data.starts_at != fresh.starts_at)
        changed = [name for name, value in values.items() if getattr(fresh, name) != value]
        if not changed:
            return fresh
        before = snapshot(fresh, [*changed, "sequence"])
        for name in changed:
            setattr(fresh, name, values[name])
        calendar_changed = any(name in CALENDAR_FIELDS for name in changed)
        if calendar_changed:
            fresh.sequence += 1
        fresh.updated_by = actor
        fresh.save()
        if calendar_changed:
            _tell_invitees(
                fresh,
                kind="meetings.meeting_update",
                actor=actor,
                title=lambda: (
                    _("%(meeting)s was changed: now %(when)s")
                    % {"meeting": fresh.title, "when": meeting_start_text(fresh)}
                ),
            )
            mail_invitees_after_commit(fresh)
        audit_write(
            actor=actor,
            action="meetings.meeting.update",
            target=fresh,
            before=before,
            after=snapshot(fresh, [*changed, "sequence"]),
        )
    return fresh


def meeting_cancel(*, actor: User, meeting: Meeting, reason: str) -> Meeting:
    """Cancels a scheduled meeting; invitees get an iCalendar CANCEL with the reason.

    Challenges that were on the agenda only because of this meeting go back to
    consideration (see ``services.agenda_links``).
    """
    from polku.meetings.services.agenda_links import release_challenges_of_meeting

    _require(can_manage_meeting(actor, meeting))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the meeting is cancelled.")})
    if len(reason) > DESCRIPTION_MAX:
        raise ValidationError({"reason": _("Keep the reason to 10,000 characters.")})
    with transaction.atomic():
        fresh = lock_meeting(meeting)
        refuse_unless_scheduled(fresh)
        before = snapshot(fresh, ["status", "cancellation_reason", "sequence"])
        fresh.status = MeetingStatus.CANCELLED
        fresh.cancellation_reason = reason
        fresh.sequence += 1
        fresh.updated_by = actor
        fresh.save()
        released = release_challenges_of_meeting(actor=actor, meeting=fresh)
        _tell_invitees(
            fresh,
            kind="meetings.meeting_cancel",
            actor=actor,
            title=lambda: (
                _("%(meeting)s on %(when)s is cancelled")
                % {"meeting": fresh.title, "when": meeting_start_text(fresh)}
            ),
        )
        audit_write(
            actor=actor,
            action="meetings.meeting.cancel",
            target=fresh,
            before=before,
            after=snapshot(fresh, ["status", "cancellation_reason", "sequence"]),
            detail={"challenges_released": released},
        )
        mail_invitees_after_commit(fresh)
    return fresh


def meeting_mark_held(*, actor: User, meeting: Meeting) -> Meeting:
    """Records that a meeting took place; possible once it has started."""
    _require(can_manage_meeting(actor, meeting))
    with transaction.atomic():
        fresh = lock_meeting(meeting)
        refuse_unless_scheduled(fresh)
        if fresh.starts_at > timezone.now():
            raise ValidationError(_("A meeting can be marked as held once it has started."))
        before = snapshot(fresh, ["status"])
        fresh.status = MeetingStatus.HELD
        fresh.updated_by = actor
        fresh.save()
        audit_write(
            actor=actor,
            action="meetings.meeting.held",
            target=fresh,
            before=before,
            after=snapshot(fresh, ["status"]),
        )
    return fresh


def meeting_record_attendance(
    *, actor: User, meeting: Meeting, attendance: Mapping[int, str]
) -> Meeting:
    """Records who was present, who sent apologies and who was absent, by invitation id."""
    _require(can_manage_meeting(actor, meeting))
    with transaction.atomic():
        fresh = lock_meeting(meeting)
        if fresh.status == MeetingStatus.CANCELLED:
            raise ValidationError(_("This meeting was cancelled."))
        if fresh.starts_at > timezone.now():
            raise ValidationError(_("Attendance can be recorded once the meeting has started."))
        invitations = {
            invitation.pk: invitation
            for invitation in fresh.invitations.filter(withdrawn_at__isnull=True)
        }
        unknown = [pk for pk in attendance if pk not in invitations]
        if unknown:
            raise ValidationError(_("Some of these people are not invited to this meeting."))
        bad = [value for value in attendance.values() if value not in Attendance.values]
        if bad:
            raise ValidationError(_("Choose present, sent apologies, absent or not recorded."))
        changes = {}
        for pk, value in attendance.items():
            invitation = invitations[pk]
            if invitation.attendance != value:
                changes[str(pk)] = [invitation.attendance, value]
                invitation.attendance = value
                invitation.save(update_fields=["attendance"])
        if changes:
            audit_write(
                actor=actor,
                action="meetings.meeting.attendance",
                target=fresh,
                detail={"attendance": changes},
            )
    return fresh
