"""E-mails about meetings, sent by the task worker once the change has committed.

Each invitee gets their own message with the meeting attached as iCalendar: a REQUEST for an
invitation or an update, a CANCEL once the meeting is cancelled or their invitation withdrawn.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from polku.meetings.choices import MeetingStatus
from polku.meetings.ics import absolute, agenda_lines, invitation_ics, invitation_mimetype
from polku.meetings.models import AgendaItem, Invitation, Meeting
from polku.meetings.selectors_meetings import accepted_items
from polku.meetings.services.invitations import (
    invitation_claim_send,
    invitation_claim_withdrawal_send,
    invitation_release_send,
)
from polku.notifications.services import language_of

ATTACHMENT_NAME = "meeting.ics"


def _when(meeting: Meeting) -> str:
    start = timezone.localtime(meeting.starts_at)
    end = timezone.localtime(meeting.ends_at)
    if start.date() == end.date():
        return f"{start:%d.%m.%Y} {start:%H:%M}-{end:%H:%M}"
    return f"{start:%d.%m.%Y %H:%M} - {end:%d.%m.%Y %H:%M}"


def _details(meeting: Meeting, *, for_participant: bool = True) -> list[str]:
    """Which meeting, when and where; the link to join only for someone still invited."""
    lines = [
        _("Body: %(body)s") % {"body": meeting.body},
        _("When: %(when)s (%(zone)s)") % {"when": _when(meeting), "zone": settings.TIME_ZONE},
    ]
    if meeting.location:
        lines.append(_("Place: %(place)s") % {"place": meeting.location})
    if meeting.online_url and for_participant:
        lines.append(_("Online: %(link)s") % {"link": meeting.online_url})
    return lines


def _message(
    meeting: Meeting,
    invitation: Invitation,
    *,
    subject: str,
    opening: str,
    agenda: list[AgendaItem],
) -> EmailMessage:
    parts = [opening, "\n".join(_details(meeting))]
    if meeting.status == MeetingStatus.CANCELLED and meeting.cancellation_reason:
        parts.append(_("Reason: %(reason)s") % {"reason": meeting.cancellation_reason})
    if agenda and meeting.status != MeetingStatus.CANCELLED:
        parts.append("\n".join([_("Agenda:"), *agenda_lines(agenda)]))
    parts.append(
        _("The meeting in Polku, to say whether you are coming and to read the papers: %(link)s")
        % {"link": absolute(meeting.get_absolute_url())}
    )
    message = EmailMessage(subject, "\n\n".join(parts), None, [invitation.user.email])
    message.attach(
        ATTACHMENT_NAME,
        invitation_ics(meeting, invitation=invitation, agenda=agenda),
        invitation_mimetype(meeting, invitation),
    )
    return message


def _invitees(meeting: Meeting) -> list[Invitation]:
    return list(
        meeting.invitations.select_related("user", "organisation")
        .filter(user__is_active=True, withdrawn_at__isnull=True)
        .exclude(user__email="")
        .order_by("pk")
    )


@task()
def meeting_mail_invitees(*, meeting_id: int) -> int:
    """E-mails the invitation, update or cancellation to every invitee whose last e-mail
    carried an older SEQUENCE; returns how many were sent.

    Each invitation is claimed (``sent_sequence``, audited) before sending, so a task that runs
    twice mails once; someone never told of a meeting is not told of its cancellation.
    """
    meeting = Meeting.objects.select_related("body").filter(pk=meeting_id).first()
    if meeting is None:
        return 0
    cancelled = meeting.status == MeetingStatus.CANCELLED
    agenda = accepted_items(meeting=meeting)
    sent = 0
    for invitation in meeting.invitations.select_related("user", "organisation").filter(
        sent_sequence__lt=meeting.sequence, withdrawn_at__isnull=True
    ):
        previous = invitation_claim_send(invitation=invitation, sequence=meeting.sequence)
        user = invitation.user
        if previous is None or (cancelled and previous < 0) or not user.is_active or not user.email:
            continue
        with translation.override(language_of(user)):
            if cancelled:
                subject = _("Cancelled: %(meeting)s, %(when)s")
                opening = _("This meeting is cancelled.")
            elif previous < 0:
                subject = _("Invitation: %(meeting)s, %(when)s")
                opening = _("You are invited to a meeting.")
            else:
                subject = _("Changed: %(meeting)s, %(when)s")
                opening = _(
                    "This meeting has changed. The attached calendar entry replaces the earlier one."
                )
            message = _message(
                meeting,
                invitation,
                subject=subject % {"meeting": meeting.title, "when": _when(meeting)},
                opening=opening,
                agenda=agenda,
            )
        try:
            message.send()
        except Exception:
            # Left unclaimed, so enqueueing the task again sends what is left.
            invitation_release_send(
                invitation=invitation, sequence=meeting.sequence, previous=previous
            )
            raise
        sent += 1
    return sent


@task()
def meeting_mail_withdrawal(*, invitation_id: int) -> int:
    """E-mails someone whose invitation was withdrawn a short note, with a CANCEL that takes
    the meeting out of their calendar; returns how many were sent (0 or 1).

    Only someone who was e-mailed the meeting is told, and only once however often the task
    runs; someone invited again in the meantime is not told.
    """
    invitation = (
        Invitation.objects.select_related("meeting__body", "user", "organisation")
        .filter(pk=invitation_id, withdrawn_at__isnull=False)
        .first()
    )
    if invitation is None:
        return 0
    previous = invitation_claim_withdrawal_send(invitation=invitation)
    user = invitation.user
    if previous is None or not user.is_active or not user.email:
        return 0
    meeting = invitation.meeting
    with translation.override(language_of(user)):
        subject = _("Invitation withdrawn: %(meeting)s, %(when)s") % {
            "meeting": meeting.title,
            "when": _when(meeting),
        }
        opening = _(
            "Your invitation to this meeting has been withdrawn. The attached calendar entry "
            "takes the meeting out of your calendar."
        )
        message = EmailMessage(
            subject,
            "\n\n".join([opening, "\n".join(_details(meeting, for_participant=False))]),
            None,
            [user.email],
        )
        message.attach(
            ATTACHMENT_NAME,
            invitation_ics(meeting, invitation=invitation),
            invitation_mimetype(meeting, invitation),
        )
    try:
        message.send()
    except Exception:
        # Left unclaimed, so enqueueing the task again sends it.
        invitation_release_send(invitation=invitation, sequence=-1, previous=previous)
        raise
    return 1


@task()
def meeting_mail_agenda(*, meeting_id: int) -> int:
    """E-mails the agenda to every invitee, with the meeting attached; returns how many."""
    meeting = Meeting.objects.select_related("body").filter(pk=meeting_id).first()
    if meeting is None or meeting.status != MeetingStatus.SCHEDULED:
        return 0
    agenda = accepted_items(meeting=meeting)
    sent = 0
    for invitation in _invitees(meeting):
        with translation.override(language_of(invitation.user)):
            message = _message(
                meeting,
                invitation,
                subject=_("Agenda: %(meeting)s, %(when)s")
                % {"meeting": meeting.title, "when": _when(meeting)},
                opening=_("The agenda of the meeting is below."),
                agenda=agenda,
            )
        message.send()
        sent += 1
    return sent


@task()
def meetings_send_agendas_task() -> int:
    """For schedulers that enqueue tasks: the same as ``manage.py meetings_send_agendas``."""
    from polku.meetings.services.agenda_sending import agendas_send_due

    return agendas_send_due()
