"""Recording what a body decided on an agenda item, and telling the challenge it answers."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.models import User
from polku.audit.services import audit_write, snapshot
from polku.meetings.choices import AgendaItemStatus, MeetingStatus
from polku.meetings.models import AgendaItem, Decision
from polku.meetings.permissions import can_manage_meeting
from polku.meetings.services.minutes import check_chatham_house
from polku.voice.choices import OutcomeKind
from polku.voice.services import challenge_record_outcome

TEXT_MAX = 10_000


def decision_record(
    *, actor: User, item: AgendaItem, text: str, decided_on: date | None = None
) -> Decision:
    """Records a decision on an accepted item of a meeting that has taken place.

    A decision on an item about a challenge is reported to the challenge in the same
    transaction (`challenge_record_outcome`, kind "decision"): the challenge is addressed
    where its lifecycle allows, and its submitter and endorsers are told.
    """
    meeting = item.meeting
    if not can_manage_meeting(actor, meeting):
        raise PermissionDenied
    text = text.replace("\r\n", "\n").strip()
    today = timezone.localdate()
    meeting_day = timezone.localdate(meeting.starts_at)
    decided_on = decided_on or meeting_day
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = _("Write what was decided.")
    elif len(text) > TEXT_MAX:
        errors["text"] = _("Keep the decision under %(max)s characters.") % {"max": TEXT_MAX}
    if decided_on > today:
        errors["decided_on"] = _("A decision cannot be dated in the future.")
    elif decided_on < meeting_day:
        errors["decided_on"] = _("A decision cannot be dated before its meeting.")
    if errors:
        raise ValidationError(errors)
    if item.status != AgendaItemStatus.ACCEPTED:
        raise ValidationError(_("Decisions are recorded only on items accepted onto the agenda."))
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("The meeting was cancelled; nothing was decided at it."))
    if meeting.status != MeetingStatus.HELD and meeting_day > today:
        raise ValidationError(_("The meeting has not taken place yet."))
    check_chatham_house(meeting, text)
    with transaction.atomic():
        decision = Decision.objects.create(
            item=item,
            body=meeting.body,
            text=text,
            decided_on=decided_on,
            created_by=actor,
            updated_by=actor,
        )
        audit_write(
            actor=actor,
            action="meetings.decision.record",
            target=decision,
            after=snapshot(decision, exclude=["created_at", "updated_at"]),
        )
        if item.challenge is not None:
            challenge_record_outcome(
                actor=actor,
                challenge=item.challenge,
                kind=OutcomeKind.DECISION,
                text=text,
                link=decision,
            )
    return decision
