"""Sending a meeting's agenda to the invitees: now, by a manager, or by the daily job once
it is due (``manage.py meetings_send_agendas``)."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.models import User
from polku.audit.services import audit_write, snapshot
from polku.meetings.choices import AgendaItemStatus, MeetingStatus
from polku.meetings.models import Meeting
from polku.meetings.permissions import can_manage_meeting
from polku.meetings.services.agenda import lock_agenda
from polku.notifications.services import reminder_record

AGENDA_REMINDER_KIND = "meetings.agenda"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _enqueue_agenda_mail(meeting: Meeting) -> None:
    meeting_id = meeting.pk

    def enqueue() -> None:
        from polku.meetings.tasks import meeting_mail_agenda

        meeting_mail_agenda.enqueue(meeting_id=meeting_id)

    transaction.on_commit(enqueue)


def agenda_send(*, actor: User, meeting: Meeting) -> Meeting:
    """Sends the agenda to every invitee now (a manager's "send the agenda now")."""
    _require(can_manage_meeting(actor, meeting))
    with transaction.atomic():
        fresh = lock_agenda(meeting)
        if not fresh.items.filter(status=AgendaItemStatus.ACCEPTED).exists():
            raise ValidationError(_("The agenda has no items yet."))
        before = snapshot(fresh, ["agenda_sent_at"])
        fresh.agenda_sent_at = timezone.now()
        fresh.save(update_fields=["agenda_sent_at"])
        audit_write(
            actor=actor,
            action="meetings.agenda.send",
            target=fresh,
            before=before,
            after=snapshot(fresh, ["agenda_sent_at"]),
            detail={"automatic": False},
        )
        _enqueue_agenda_mail(fresh)
    return fresh


def agendas_due(*, today: date) -> list[Meeting]:
    """Scheduled meetings whose agenda is due today or earlier and has not been sent."""
    now = timezone.now()
    candidates = Meeting.objects.filter(
        status=MeetingStatus.SCHEDULED,
        agenda_sent_at__isnull=True,
        starts_at__gt=now,
        items__status=AgendaItemStatus.ACCEPTED,
    )
    due = []
    for meeting in candidates.distinct().select_related("body").order_by("starts_at", "pk"):
        start_day = timezone.localdate(meeting.starts_at)
        if (start_day - today).days <= meeting.agenda_lead_days:
            due.append(meeting)
    return due


def agendas_send_due(*, today: date | None = None) -> int:
    """Sends every agenda that is due, once a day at most per meeting; returns how many.

    A meeting with no accepted items waits: its agenda goes the first day it has one.
    """
    day = today or timezone.localdate()
    sent = 0
    for meeting in agendas_due(today=day):
        with transaction.atomic():
            fresh = Meeting.objects.select_for_update().get(pk=meeting.pk)
            if fresh.agenda_sent_at is not None or fresh.status != MeetingStatus.SCHEDULED:
                continue
            if not reminder_record(
                target=fresh,
                kind=AGENDA_REMINDER_KIND,
                day=day,
                recipient_count=fresh.invitations.filter(withdrawn_at__isnull=True).count(),
            ):
                continue
            fresh.agenda_sent_at = timezone.now()
            fresh.save(update_fields=["agenda_sent_at"])
            audit_write(
                actor=None,
                action="meetings.agenda.send",
                target=fresh,
                after=snapshot(fresh, ["agenda_sent_at"]),
                detail={"automatic": True, "day": day.isoformat()},
            )
            _enqueue_agenda_mail(fresh)
        sent += 1
    return sent
