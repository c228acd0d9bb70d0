"""Reads for actions: one action with its notes, a person's own actions, and a body's
follow-up list. Each starts from `action_scope` and fetches what its page shows in a fixed
number of queries."""

from datetime import datetime, time, timedelta

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from polku.accounts.models import User
from polku.actors.models import Body, Organisation
from polku.actors.permissions import organisation_scope, person_scope
from polku.core.permissions import AnyUser, get_in_scope
from polku.meetings.choices import OPEN_ACTION_STATUSES, MeetingStatus
from polku.meetings.models import ActionItem, ActionNote, Decision, Meeting
from polku.meetings.permissions import action_scope

_RELATED = ("owner", "owner_organisation", "deputy", "body", "item__meeting", "reviewed_at")


def action_get(*, user: AnyUser, pk: int) -> ActionItem:
    """An action the user may see (404 otherwise), with what its page shows."""
    return get_in_scope(
        action_scope(user).select_related(*_RELATED, "decision", "created_by"), pk=pk
    )


def action_notes(*, action: ActionItem) -> QuerySet[ActionNote]:
    return (
        ActionNote.objects.filter(action=action)
        .select_related("author")
        .order_by("-created_at", "-pk")
    )


def my_actions(*, user: User) -> QuerySet[ActionItem]:
    """What the user owns or deputises for: open ones first, each part by due date."""
    return (
        action_scope(user)
        .filter(Q(owner=user) | Q(deputy=user))
        .annotate(
            closed=Case(
                When(status__in=OPEN_ACTION_STATUSES, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .select_related(*_RELATED)
        .order_by("closed", "due_on", "pk")
    )


def body_follow_up(*, user: AnyUser, body: Body) -> QuerySet[ActionItem]:
    """A body's open actions the user may see, earliest due first: the list the body reviews
    at its next meeting."""
    return (
        action_scope(user)
        .filter(body=body, status__in=OPEN_ACTION_STATUSES)
        .select_related(*_RELATED)
        .order_by("due_on", "pk")
    )


def review_meetings(*, body: Body) -> QuerySet[Meeting]:
    """The body's meetings that may record a review: begun by the end of today, not cancelled,
    latest first."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    end_of_today = timezone.make_aware(datetime.combine(tomorrow, time.min))
    return (
        Meeting.objects.filter(body=body)
        .exclude(status=MeetingStatus.CANCELLED)
        .filter(Q(status=MeetingStatus.HELD) | Q(starts_at__lt=end_of_today))
        .order_by("-starts_at", "-pk")
    )


def people_to_own(*, user: AnyUser) -> QuerySet[User]:
    """People who may own or deputise for an action: active people the user may see."""
    return person_scope(user).filter(is_active=True).order_by("last_name", "first_name", "pk")


def organisations_to_own(*, user: AnyUser) -> QuerySet[Organisation]:
    return organisation_scope(user).filter(is_active=True).order_by("name")


def item_decision_choices(*, item_id: int) -> QuerySet[Decision]:
    return Decision.objects.filter(item_id=item_id).order_by("decided_on", "pk")
