"""Keeping a meeting's agenda and sending it to the invitees.

Items move proposed → accepted or proposed → declined; an accepted item can still be taken
off the agenda (declined, with a reason) while the meeting is scheduled and nothing has been
decided on it.

Challenges (docs/adr/0008-app-dependencies.md): putting an item about a challenge on the
agenda moves the challenge to "on an agenda" through Voice's ``challenge_transition``, with
a note naming the body and the date, so its submitter and followers see who will discuss it
and when. The item goes on the agenda whatever the challenge's state — a body may discuss
what it wants — but the challenge moves only when Voice's rules allow it:

- the actor must be allowed to triage (the coordinator or the secretariat); a working
  group's own chair puts the item on the agenda and the challenge keeps its status;
- the lifecycle must allow the move: a challenge only received (not yet acknowledged), one
  already on an agenda, or a closed one (answered, addressed, declined) keeps its status.

The manager is told why the challenge stayed, and the audit event records it. A merged
challenge cannot be linked at all: the item must name the challenge it was merged into.
When an item is taken off the agenda, or its meeting is cancelled, a challenge that this
meeting alone had put on an agenda goes back to "under consideration".
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.models import User
from polku.actors.models import BodyMember
from polku.audit.services import audit_write, snapshot
from polku.core.scopes import scope_for
from polku.meetings.choices import AgendaItemStatus, MeetingStatus
from polku.meetings.models import AgendaItem, Meeting
from polku.meetings.permissions import (
    MANAGING_SEATS,
    action_scope,
    can_manage_meeting,
    can_propose_item,
    decision_scope,
)
from polku.meetings.selectors_meetings import can_edit_item
from polku.notifications.services import notify, reminder_record
from polku.voice.choices import ChallengeStatus
from polku.voice.models import Challenge
from polku.voice.permissions import can_triage, challenge_scope
from polku.voice.services.challenges import challenge_transition

TITLE_MAX = 200
DESCRIPTION_MAX = 10_000
DURATION_MAX = 8 * 60
SUBJECT_ID_MAX = 64
AGENDA_REMINDER_KIND = "meetings.agenda"

# What else an item may be about, by model label; those not installed are left out. Links
# to a challenge use the item's own ``challenge`` field instead.
SUBJECT_MODELS = (
    "meetings.actionitem",
    "meetings.decision",
    "guidelines.guideline",
    "briefings.briefing",
    "obligations.measure",
    "obligations.recommendation",
)


@dataclass(frozen=True)
class AgendaItemInput:
    """What the chair or a member writes about an item."""

    title: str
    description: str = ""
    duration_minutes: int | None = None
    challenge: Challenge | None = None
    subject_type: ContentType | None = None
    subject_id: str = ""


@dataclass(frozen=True)
class AgendaResult:
    """An item after a change, and why its challenge kept its status (empty if it moved or
    there is none)."""

    item: AgendaItem
    challenge_left: str = ""


def subject_types() -> list[ContentType]:
    """The kinds of things, other than challenges, an item may be about."""
    found = []
    for label in SUBJECT_MODELS:
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        found.append(ContentType.objects.get_for_model(model))
    return found


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _locked_meeting(meeting: Meeting) -> Meeting:
    fresh = (
        Meeting.objects.select_for_update(of=("self",)).select_related("body").get(pk=meeting.pk)
    )
    if fresh.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))
    if fresh.status == MeetingStatus.HELD:
        raise ValidationError(_("This meeting has already been held; its agenda is closed."))
    return fresh


def _locked_item(item: AgendaItem) -> AgendaItem:
    _locked_meeting(item.meeting)
    return AgendaItem.objects.select_related("meeting__body", "challenge").get(pk=item.pk)


def _subject_visible(actor: User, content_type: ContentType, subject_id: str) -> bool:
    model = content_type.model_class()
    if model is None:
        return False
    # Every record is checked against its own app's scope, lent through polku.core.scopes,
    # so linking never reveals that a record the actor may not see exists; a model without
    # a scope is never linked.
    scopes: dict[str, Callable[[User], QuerySet[Any]]] = {
        "meetings.actionitem": action_scope,
        "meetings.decision": decision_scope,
    }
    label = model._meta.label_lower
    scope = scopes.get(label) or scope_for(label)
    if scope is None:
        return False
    try:
        return scope(actor).filter(pk=subject_id).exists()
    except (ValueError, TypeError, ValidationError):
        return False


def _validate(actor: User, data: AgendaItemInput) -> dict[str, object]:
    errors: dict[str, str] = {}
    title = data.title.strip()
    if not title:
        errors["title"] = _("Give the item a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("Keep the title to 200 characters.")
    if len(data.description) > DESCRIPTION_MAX:
        errors["description"] = _("Keep the description to 10,000 characters.")
    if data.duration_minutes is not None and not 1 <= data.duration_minutes <= DURATION_MAX:
        errors["duration_minutes"] = _("Give the time in minutes, from 1 to 480.")
    challenge = data.challenge
    if challenge is not None:
        if not challenge_scope(actor).filter(pk=challenge.pk).exists():
            errors["challenge"] = _("Choose a challenge you can see.")
        elif challenge.status == ChallengeStatus.DRAFT:
            errors["challenge"] = _("A draft challenge cannot be put on an agenda.")
        elif challenge.status == ChallengeStatus.MERGED:
            merged_into = challenge.merged_into
            errors["challenge"] = _(
                "This challenge was merged into %(reference)s; put that one on the agenda."
            ) % {"reference": merged_into.reference if merged_into else "—"}
    subject_id = data.subject_id.strip()
    if data.subject_type is not None or subject_id:
        allowed = {content_type.pk for content_type in subject_types()}
        if data.subject_type is None or data.subject_type.pk not in allowed:
            errors["subject_type"] = _("Choose what the item is about.")
        elif not subject_id or len(subject_id) > SUBJECT_ID_MAX:
            errors["subject_id"] = _("Give the number of the item it is about.")
        elif not _subject_visible(actor, data.subject_type, subject_id):
            errors["subject_id"] = _("No such item that you can see.")
    if errors:
        raise ValidationError(errors)
    return {
        "title": title,
        "description": data.description.strip(),
        "duration_minutes": data.duration_minutes,
        "challenge": challenge,
        "subject_type": data.subject_type if subject_id else None,
        "subject_id": subject_id if data.subject_type is not None else "",
    }


def _next_position(meeting: Meeting) -> int:
    highest = meeting.items.aggregate(highest=Max("position"))["highest"]
    return (highest or 0) + 1


def _date_of(meeting: Meeting) -> str:
    return timezone.localtime(meeting.starts_at).strftime("%d.%m.%Y")


def _put_challenge_on_agenda(*, actor: User, item: AgendaItem) -> str:
    """Moves the item's challenge to "on an agenda"; returns why it stayed, or ""."""
    if item.challenge_id is None:
        return ""
    challenge = Challenge.objects.get(pk=item.challenge_id)
    status = ChallengeStatus(challenge.status).label
    if not can_triage(actor):
        return _(
            "Only the coordinator or the secretariat moves challenges, so %(reference)s stays "
            "“%(status)s”."
        ) % {"reference": challenge.reference, "status": status}
    if challenge.status == ChallengeStatus.ON_AGENDA:
        return _("%(reference)s is already on an agenda; its status stays as it is.") % {
            "reference": challenge.reference
        }
    if not challenge.can_transition_to(ChallengeStatus.ON_AGENDA):
        return _(
            "%(reference)s is “%(status)s” and cannot be put on an agenda; its status stays "
            "as it is."
        ) % {"reference": challenge.reference, "status": status}
    meeting = item.meeting
    note = _("To be discussed by %(body)s at its meeting on %(date)s.") % {
        "body": meeting.body.name,
        "date": _date_of(meeting),
    }
    try:
        challenge_transition(
            actor=actor, challenge=challenge, to_status=ChallengeStatus.ON_AGENDA, note=note
        )
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def _release_challenge(*, actor: User, item: AgendaItem, note: str) -> bool:
    """Moves a challenge this item alone put on an agenda back to consideration."""
    if item.challenge_id is None or not can_triage(actor):
        return False
    still_on_an_agenda = (
        AgendaItem.objects.filter(
            challenge_id=item.challenge_id,
            status=AgendaItemStatus.ACCEPTED,
            meeting__status=MeetingStatus.SCHEDULED,
        )
        .exclude(pk=item.pk)
        .exists()
    )
    challenge = Challenge.objects.get(pk=item.challenge_id)
    if still_on_an_agenda or challenge.status != ChallengeStatus.ON_AGENDA:
        return False
    try:
        challenge_transition(
            actor=actor,
            challenge=challenge,
            to_status=ChallengeStatus.UNDER_CONSIDERATION,
            note=note,
        )
    except ValidationError:
        return False
    return True


def release_challenges_of_meeting(*, actor: User, meeting: Meeting) -> int:
    """Called when a meeting is cancelled: its challenges go back to consideration."""
    note = _("The meeting of %(body)s on %(date)s was cancelled.") % {
        "body": meeting.body.name,
        "date": _date_of(meeting),
    }
    items = meeting.items.filter(status=AgendaItemStatus.ACCEPTED, challenge__isnull=False)
    return sum(_release_challenge(actor=actor, item=item, note=note) for item in items)


def _managers(meeting: Meeting) -> list[User]:
    """Who hears about proposals: the body's chair and secretary."""
    seats = BodyMember.objects.filter(body=meeting.body, role__in=MANAGING_SEATS)
    return [seat.user for seat in seats.select_related("user")]


def _item_snapshot(item: AgendaItem) -> dict[str, object]:
    return snapshot(item, exclude=["created_at", "updated_at"])


def agenda_item_add(*, actor: User, meeting: Meeting, data: AgendaItemInput) -> AgendaResult:
    """The chair (or another manager) puts an item straight on the agenda, at its end."""
    _require(can_manage_meeting(actor, meeting))
    values = _validate(actor, data)
    with transaction.atomic():
        fresh = _locked_meeting(meeting)
        item = AgendaItem.objects.create(
            meeting=fresh,
            status=AgendaItemStatus.ACCEPTED,
            proposed_by=actor,
            position=_next_position(fresh),
            created_by=actor,
            updated_by=actor,
            **values,
        )
        left = _put_challenge_on_agenda(actor=actor, item=item)
        audit_write(
            actor=actor,
            action="meetings.agenda_item.add",
            target=item,
            after=_item_snapshot(item),
            detail={"challenge_left": left} if left else None,
        )
    return AgendaResult(item=item, challenge_left=left)


def agenda_item_propose(*, actor: User, meeting: Meeting, data: AgendaItemInput) -> AgendaItem:
    """A member proposes an item; the chair accepts or declines it."""
    _require(can_propose_item(actor, meeting))
    values = _validate(actor, data)
    with transaction.atomic():
        fresh = _locked_meeting(meeting)
        item = AgendaItem.objects.create(
            meeting=fresh,
            status=AgendaItemStatus.PROPOSED,
            proposed_by=actor,
            position=_next_position(fresh),
            created_by=actor,
            updated_by=actor,
            **values,
        )
        notify(
            recipients=_managers(fresh),
            kind="meetings.agenda_item_proposed",
            title=lambda: (
                _("%(person)s proposes “%(item)s” for %(meeting)s")
                % {"person": actor, "item": item.title, "meeting": fresh.title}
            ),
            url=fresh.get_absolute_url(),
            target=fresh,
            exclude=actor,
        )
        audit_write(
            actor=actor,
            action="meetings.agenda_item.propose",
            target=item,
            after=_item_snapshot(item),
        )
    return item


def agenda_item_accept(*, actor: User, item: AgendaItem) -> AgendaResult:
    """Puts a proposed item on the agenda, after the items already there."""
    _require(can_manage_meeting(actor, item.meeting))
    with transaction.atomic():
        fresh = _locked_item(item)
        if fresh.status != AgendaItemStatus.PROPOSED:
            raise ValidationError(_("Only a proposed item can be accepted."))
        before = snapshot(fresh, ["status", "position"])
        fresh.status = AgendaItemStatus.ACCEPTED
        fresh.position = _next_position(fresh.meeting)
        fresh.updated_by = actor
        fresh.save()
        left = _put_challenge_on_agenda(actor=actor, item=fresh)
        notify(
            recipients=[fresh.proposed_by],
            kind="meetings.agenda_item_accepted",
            title=lambda: (
                _("“%(item)s” is on the agenda of %(meeting)s")
                % {"item": fresh.title, "meeting": fresh.meeting.title}
            ),
            url=fresh.meeting.get_absolute_url(),
            target=fresh.meeting,
            exclude=actor,
        )
        audit_write(
            actor=actor,
            action="meetings.agenda_item.accept",
            target=fresh,
            before=before,
            after=snapshot(fresh, ["status", "position"]),
            detail={"challenge_left": left} if left else None,
        )
    return AgendaResult(item=fresh, challenge_left=left)


def agenda_item_decline(*, actor: User, item: AgendaItem, reason: str) -> AgendaItem:
    """Declines a proposal, or takes an item off the agenda, with the reason the proposer
    reads."""
    _require(can_manage_meeting(actor, item.meeting))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the item is declined.")})
    if len(reason) > DESCRIPTION_MAX:
        raise ValidationError({"reason": _("Keep the reason to 10,000 characters.")})
    with transaction.atomic():
        fresh = _locked_item(item)
        if fresh.status == AgendaItemStatus.DECLINED:
            raise ValidationError(_("This item has already been declined."))
        if fresh.decisions.exists():
            raise ValidationError(_("A decision was recorded on this item; it stays."))
        was_accepted = fresh.status == AgendaItemStatus.ACCEPTED
        before = snapshot(fresh, ["status", "decline_reason"])
        fresh.status = AgendaItemStatus.DECLINED
        fresh.decline_reason = reason
        fresh.updated_by = actor
        fresh.save()
        released = was_accepted and _release_challenge(
            actor=actor,
            item=fresh,
            note=_("Taken off the agenda of %(body)s for %(date)s: %(reason)s")
            % {"body": fresh.meeting.body.name, "date": _date_of(fresh.meeting), "reason": reason},
        )
        notify(
            recipients=[fresh.proposed_by],
            kind="meetings.agenda_item_declined",
            title=lambda: (
                _("“%(item)s” was declined for %(meeting)s")
                % {"item": fresh.title, "meeting": fresh.meeting.title}
            ),
            body=lambda: _("Reason: %(reason)s") % {"reason": reason},
            url=fresh.meeting.get_absolute_url(),
            target=fresh.meeting,
            exclude=actor,
        )
        audit_write(
            actor=actor,
            action="meetings.agenda_item.decline",
            target=fresh,
            before=before,
            after=snapshot(fresh, ["status", "decline_reason"]),
            detail={"challenge_released": released},
        )
    return fresh


def agenda_item_edit(*, actor: User, item: AgendaItem, data: AgendaItemInput) -> AgendaResult:
    """Changes an item's text, time or links. The challenge of an accepted item is fixed:
    take the item off the agenda and add another instead."""
    _require(can_edit_item(actor, item))
    values = _validate(actor, data)
    with transaction.atomic():
        fresh = _locked_item(item)
        _require(can_edit_item(actor, fresh))
        if fresh.status == AgendaItemStatus.DECLINED:
            raise ValidationError(_("A declined item cannot be changed."))
        new_challenge = values["challenge"]
        new_challenge_id = new_challenge.pk if isinstance(new_challenge, Challenge) else None
        if fresh.status == AgendaItemStatus.ACCEPTED and new_challenge_id != fresh.challenge_id:
            raise ValidationError(
                {
                    "challenge": _(
                        "The challenge of an item on the agenda cannot be changed. Take the "
                        "item off the agenda and add a new one."
                    )
                }
            )
        changed = [name for name, value in values.items() if getattr(fresh, name) != value]
        if not changed:
            return AgendaResult(item=fresh)
        before = snapshot(fresh, changed)
        for name in changed:
            setattr(fresh, name, values[name])
        fresh.updated_by = actor
        fresh.save()
        audit_write(
            actor=actor,
            action="meetings.agenda_item.edit",
            target=fresh,
            before=before,
            after=snapshot(fresh, changed),
        )
    return AgendaResult(item=fresh)


def agenda_item_move(*, actor: User, item: AgendaItem, direction: str) -> AgendaItem:
    """Moves an accepted item one place up or down the agenda."""
    _require(can_manage_meeting(actor, item.meeting))
    if direction not in ("up", "down"):
        raise ValidationError(_("Move the item up or down."))
    with transaction.atomic():
        fresh = _locked_item(item)
        if fresh.status != AgendaItemStatus.ACCEPTED:
            raise ValidationError(_("Only items on the agenda can be moved."))
        ordered = list(
            fresh.meeting.items.filter(status=AgendaItemStatus.ACCEPTED).order_by("position", "pk")
        )
        index = next(number for number, row in enumerate(ordered) if row.pk == fresh.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(ordered):
            raise ValidationError(
                _("This item is already first.")
                if direction == "up"
                else _("This item is already last.")
            )
        before = {"position": index + 1}
        ordered[index], ordered[other] = ordered[other], ordered[index]
        # Renumbering the accepted items keeps their places distinct and the proposals after.
        for number, row in enumerate(ordered, start=1):
            if row.position != number:
                row.position = number
                row.save(update_fields=["position"])
        fresh.position = other + 1
        audit_write(
            actor=actor,
            action="meetings.agenda_item.move",
            target=fresh,
            before=before,
            after={"position": other + 1},
            detail={"direction": direction},
        )
    return fresh


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
        fresh = _locked_meeting(meeting)
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
                recipient_count=fresh.invitations.count(),
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
