"""Actions: what people undertook at a meeting, their progress, and their review by the body."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from polku.accounts.models import User
from polku.actors.choices import BodyRole
from polku.actors.models import Body, BodyMember, Membership, Organisation
from polku.audit.services import audit_write, snapshot
from polku.core.permissions import is_insider
from polku.meetings.choices import (
    OPEN_ACTION_STATUSES,
    ActionStatus,
    AgendaItemStatus,
    MeetingStatus,
)
from polku.meetings.models import ActionItem, ActionNote, AgendaItem, Decision, Invitation, Meeting
from polku.meetings.permissions import (
    can_manage_body_meetings,
    can_manage_meeting,
    can_update_action,
)
from polku.meetings.services.minutes import check_chatham_house
from polku.notifications.services import notify

TITLE_MAX = 300
DESCRIPTION_MAX = 10_000
NOTE_MAX = 5_000

# The statuses a progress note may move an action to. Moves into or out of "cancelled" are
# the managers'; the owner and deputy report the rest.
ACTION_TRANSITIONS: dict[str, frozenset[str]] = {
    ActionStatus.OPEN: frozenset(
        {ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.CANCELLED}
    ),
    ActionStatus.IN_PROGRESS: frozenset(
        {ActionStatus.OPEN, ActionStatus.DONE, ActionStatus.CANCELLED}
    ),
    ActionStatus.DONE: frozenset({ActionStatus.IN_PROGRESS}),
    ActionStatus.CANCELLED: frozenset({ActionStatus.OPEN}),
}


@dataclass(frozen=True)
class ActionInput:
    """What an action is, who owns it and by when."""

    title: str
    owner: User
    owner_organisation: Organisation
    due_on: date
    description: str = ""
    deputy: User | None = None
    decision: Decision | None = None


def _represents(user: User, organisation: Organisation, item: AgendaItem) -> bool:
    """Whether the person speaks for the organisation: a membership, a seat on the body, or
    their invitation to the meeting."""
    return (
        Membership.objects.filter(
            user=user, organisation=organisation, is_active=True, organisation__is_active=True
        ).exists()
        or BodyMember.objects.filter(
            body=item.meeting.body, user=user, organisation=organisation
        ).exists()
        or Invitation.objects.filter(
            meeting=item.meeting, user=user, organisation=organisation, withdrawn_at__isnull=True
        ).exists()
    )


def _validate(data: ActionInput, *, item: AgendaItem, due_changed: bool = True) -> ActionInput:
    cleaned = ActionInput(
        title=" ".join(data.title.split()),
        owner=data.owner,
        owner_organisation=data.owner_organisation,
        due_on=data.due_on,
        description=data.description.replace("\r\n", "\n").strip(),
        deputy=data.deputy,
        decision=data.decision,
    )
    errors: dict[str, str] = {}
    if not cleaned.title:
        errors["title"] = _("Say what is to be done.")
    elif len(cleaned.title) > TITLE_MAX:
        errors["title"] = _("Keep it under %(max)s characters.") % {"max": TITLE_MAX}
    if len(cleaned.description) > DESCRIPTION_MAX:
        errors["description"] = _("Keep the details under %(max)s characters.") % {
            "max": DESCRIPTION_MAX
        }
    if not is_insider(cleaned.owner):
        errors["owner"] = _("Choose an owner who holds a role in Polku.")
    elif not _represents(cleaned.owner, cleaned.owner_organisation, item):
        errors["owner_organisation"] = _(
            "%(person)s does not represent %(organisation)s. Choose one of their organisations."
        ) % {
            "person": str(cleaned.owner),
            "organisation": cleaned.owner_organisation.display_name,
        }
    if cleaned.deputy is not None:
        if cleaned.deputy.pk == cleaned.owner.pk:
            errors["deputy"] = _("The deputy must be someone other than the owner.")
        elif not is_insider(cleaned.deputy):
            errors["deputy"] = _("Choose a deputy who holds a role in Polku.")
    if due_changed and cleaned.due_on < timezone.localdate():
        errors["due_on"] = _("Give a due date that is today or later.")
    if cleaned.decision is not None and cleaned.decision.item_id != item.pk:
        errors["decision"] = _("Choose a decision taken on this agenda item.")
    if errors:
        raise ValidationError(errors)
    check_chatham_house(item.meeting, cleaned.title, field="title")
    check_chatham_house(item.meeting, cleaned.description, field="description")
    return cleaned


def _assigned_text(action: ActionItem) -> tuple[Callable[[], str], Callable[[], str]]:
    def title() -> str:
        return _("You have an action: %(title)s") % {"title": action.title}

    def body() -> str:
        return _("Due %(due)s, from %(meeting)s.") % {
            "due": formats.date_format(action.due_on, "SHORT_DATE_FORMAT"),
            "meeting": action.item.meeting.title if action.item else action.body.display_name,
        }

    return title, body


def _tell_assigned(action: ActionItem, people: list[User], actor: User) -> None:
    if not people:
        return
    title, body = _assigned_text(action)
    notify(
        recipients=people,
        kind="meetings.action_assigned",
        title=title,
        body=body,
        url=action.get_absolute_url(),
        target=action,
        exclude=actor,
    )


def _state(action: ActionItem) -> dict[str, object]:
    return snapshot(action, exclude=["created_at", "updated_at"])


def action_create(*, actor: User, item: AgendaItem, data: ActionInput) -> ActionItem:
    """Records an action from an agenda item (or a decision on it) and tells its owner and
    deputy."""
    if not can_manage_meeting(actor, item.meeting):
        raise PermissionDenied
    data = _validate(data, item=item)
    if item.status != AgendaItemStatus.ACCEPTED:
        raise ValidationError(_("Actions come only from items accepted onto the agenda."))
    if item.meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("The meeting was cancelled."))
    with transaction.atomic():
        action = ActionItem.objects.create(
            body=item.meeting.body,
            item=item,
            decision=data.decision,
            title=data.title,
            description=data.description,
            owner=data.owner,
            owner_organisation=data.owner_organisation,
            deputy=data.deputy,
            due_on=data.due_on,
            created_by=actor,
            updated_by=actor,
        )
        audit_write(
            actor=actor, action="meetings.action.create", target=action, after=_state(action)
        )
        _tell_assigned(action, [p for p in (action.owner, action.deputy) if p is not None], actor)
    return action


def action_update(*, actor: User, action: ActionItem, data: ActionInput) -> ActionItem:
    """Changes what an action is, who owns it or when it is due; the managers' to do."""
    if not can_manage_body_meetings(actor, action.body):
        raise PermissionDenied
    if action.item is None:
        raise ValidationError(_("This action has no agenda item to check it against."))
    data = _validate(data, item=action.item, due_changed=data.due_on != action.due_on)
    with transaction.atomic():
        action = (
            ActionItem.objects.select_for_update(of=("self",))
            .select_related("item__meeting")
            .get(pk=action.pk)
        )
        before = _state(action)
        newly = [
            person
            for person in (data.owner, data.deputy)
            if person is not None and person.pk not in (action.owner_id, action.deputy_id)
        ]
        action.title = data.title
        action.description = data.description
        action.owner = data.owner
        action.owner_organisation = data.owner_organisation
        action.deputy = data.deputy
        action.due_on = data.due_on
        action.decision = data.decision
        action.updated_by = actor
        action.save()
        audit_write(
            actor=actor,
            action="meetings.action.update",
            target=action,
            before=before,
            after=_state(action),
        )
        _tell_assigned(action, newly, actor)
    return action


def _managers(body: Body) -> QuerySet[User]:
    return User.objects.filter(
        body_seats__body=body,
        body_seats__role__in=[BodyRole.CHAIR, BodyRole.SECRETARY],
        is_active=True,
    )


def action_add_note(*, actor: User, action: ActionItem, text: str, status: str = "") -> ActionNote:
    """Reports progress on an action, optionally moving it to another status.

    "Done" records today as the completion day; leaving "done" clears it.
    """
    if not can_update_action(actor, action):
        raise PermissionDenied
    text = text.replace("\r\n", "\n").strip()
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = _("Say what has happened.")
    elif len(text) > NOTE_MAX:
        errors["text"] = _("Keep the note under %(max)s characters.") % {"max": NOTE_MAX}
    if status and status not in ActionStatus.values:
        errors["status"] = _("Choose a status.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        action = (
            ActionItem.objects.select_for_update(of=("self",))
            .select_related("body")
            .get(pk=action.pk)
        )
        before = _state(action)
        if status == action.status:
            status = ""
        if status:
            if status not in ACTION_TRANSITIONS[action.status]:
                raise ValidationError(
                    {
                        "status": _("An action that is “%(from)s” cannot become “%(to)s”.")
                        % {
                            "from": action.get_status_display(),
                            "to": ActionStatus(status).label,
                        }
                    }
                )
            if ActionStatus.CANCELLED in (status, action.status) and not (
                can_manage_body_meetings(actor, action.body)
            ):
                raise PermissionDenied
            action.status = status
            action.completed_on = timezone.localdate() if status == ActionStatus.DONE else None
            action.updated_by = actor
            action.save(update_fields=["status", "completed_on", "updated_by", "updated_at"])
        note = ActionNote.objects.create(action=action, author=actor, text=text, status=status)
        audit_write(
            actor=actor,
            action="meetings.action.note",
            target=action,
            before=before if status else None,
            after={**(_state(action) if status else {}), "note": note.pk, "length": len(text)},
        )

        def title() -> str:
            if status:
                return _("%(title)s is now “%(status)s”") % {
                    "title": action.title,
                    "status": action.get_status_display(),
                }
            return _("Progress on %(title)s") % {"title": action.title}

        concerned = [p for p in (action.owner, action.deputy) if p is not None]
        if status:
            concerned.extend(_managers(action.body))
        notify(
            recipients=concerned,
            kind="meetings.action_progress",
            title=title,
            body=text,
            url=action.get_absolute_url(),
            target=action,
            exclude=actor,
        )
    return note


def actions_mark_reviewed(
    *, actor: User, body: Body, meeting: Meeting, actions: Iterable[ActionItem]
) -> int:
    """Records that a meeting of the body reviewed these open actions; returns how many changed.

    All or nothing: an action of another body, or a closed one, refuses the lot.
    """
    if not can_manage_body_meetings(actor, body):
        raise PermissionDenied
    if meeting.body_id != body.pk:
        raise ValidationError({"meeting": _("Choose a meeting of this body.")})
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"meeting": _("That meeting was cancelled.")})
    if (
        meeting.status != MeetingStatus.HELD
        and timezone.localdate(meeting.starts_at) > timezone.localdate()
    ):
        raise ValidationError({"meeting": _("That meeting has not taken place yet.")})
    ids = sorted({action.pk for action in actions})
    if not ids:
        raise ValidationError({"actions": _("Choose at least one action.")})
    changed = 0
    with transaction.atomic():
        locked = list(ActionItem.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        if len(locked) != len(ids) or any(
            action.body_id != body.pk or action.status not in OPEN_ACTION_STATUSES
            for action in locked
        ):
            raise ValidationError({"actions": _("Choose only open actions of this body.")})
        for action in locked:
            if action.reviewed_at_id == meeting.pk:
                continue
            before = {"reviewed_at": action.reviewed_at_id}
            action.reviewed_at = meeting
            action.updated_by = actor
            action.save(update_fields=["reviewed_at", "updated_by", "updated_at"])
            audit_write(
                actor=actor,
                action="meetings.action.review",
                target=action,
                before=before,
                after={"reviewed_at": meeting.pk},
            )
            changed += 1
    return changed
