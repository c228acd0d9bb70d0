"""Keeping a meeting's agenda: items added by the chair or proposed by members.

Items move proposed → accepted or proposed → declined; an accepted item can still be taken
off the agenda (declined, with a reason) while the meeting is scheduled and nothing has been
decided on it. What an item is about, and how its challenge moves with it, is in
``services.agenda_links``; sending the agenda, in ``services.agenda_sending``.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from polku.accounts.models import User
from polku.actors.models import BodyMember
from polku.audit.services import audit_write, snapshot
from polku.meetings.choices import AgendaItemStatus, MeetingStatus
from polku.meetings.models import AgendaItem, Meeting
from polku.meetings.permissions import MANAGING_SEATS, can_manage_meeting, can_propose_item
from polku.meetings.selectors_meetings import can_edit_item
from polku.meetings.services.agenda_links import (
    meeting_date,
    put_challenge_on_agenda,
    release_challenge,
    subject_types,
    subject_visible,
)
from polku.notifications.services import notify
from polku.voice.choices import ChallengeStatus
from polku.voice.models import Challenge
from polku.voice.permissions import challenge_scope

TITLE_MAX = 200
DESCRIPTION_MAX = 10_000
DURATION_MAX = 8 * 60
SUBJECT_ID_MAX = 64


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


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def lock_agenda(meeting: Meeting) -> Meeting:
    """The meeting, locked for a change to its agenda; refused once cancelled or held."""
    fresh = (
        Meeting.objects.select_for_update(of=("self",)).select_related("body").get(pk=meeting.pk)
    )
    if fresh.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))
    if fresh.status == MeetingStatus.HELD:
        raise ValidationError(_("This meeting has already been held; its agenda is closed."))
    return fresh


def _locked_item(item: AgendaItem) -> AgendaItem:
    lock_agenda(item.meeting)
    return AgendaItem.objects.select_related("meeting__body", "challenge").get(pk=item.pk)


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
        elif not subject_visible(actor, data.subject_type, subject_id):
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
        fresh = lock_agenda(meeting)
        item = AgendaItem.objects.create(
            meeting=fresh,
            status=AgendaItemStatus.ACCEPTED,
            proposed_by=actor,
            position=_next_position(fresh),
            created_by=actor,
            updated_by=actor,
            **values,
        )
        left = put_challenge_on_agenda(actor=actor, item=item)
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
        fresh = lock_agenda(meeting)
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
        left = put_challenge_on_agenda(actor=actor, item=fresh)
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
        released = was_accepted and release_challenge(
            actor=actor,
            item=fresh,
            note=_("Taken off the agenda of %(body)s for %(date)s: %(reason)s")
            % {
                "body": fresh.meeting.body.name,
                "date": meeting_date(fresh.meeting),
                "reason": reason,
            },
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
