"""Reads for minutes and decisions. Every one takes the reader and starts from the scopes in
`polku.meetings.permissions`; the related rows each page shows are fetched here, in a fixed
number of queries."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from polku.actors.models import Body
from polku.core.permissions import AnyUser, get_in_scope, require
from polku.meetings.choices import AgendaItemStatus, Attendance, MeetingStatus
from polku.meetings.models import (
    ActionItem,
    AgendaItem,
    Decision,
    Invitation,
    Meeting,
    Minutes,
    MinutesComment,
    MinutesVersion,
)
from polku.meetings.permissions import (
    action_scope,
    can_manage_meeting,
    can_read_minutes,
    decision_scope,
    meeting_scope,
    published_minutes_scope,
)


def minutes_get(*, user: AnyUser, pk: int) -> tuple[Meeting, Minutes | None]:
    """A meeting and its minutes (None before the first save), for someone who may read them.

    Minutes published to the reader's audience open for anyone in it, the public included;
    otherwise the meeting must be in the reader's scope (404) and the minutes readable by
    them (403). Before the first save only the managers see the (empty) page.
    """
    minutes = (
        Minutes.objects.select_related("meeting__body", "approved_by", "approved_at_meeting")
        .filter(meeting_id=pk)
        .first()
    )
    if minutes is not None and published_minutes_scope(user).filter(pk=minutes.pk).exists():
        return minutes.meeting, minutes
    meeting = get_in_scope(meeting_scope(user).select_related("body"), pk=pk)
    if minutes is None:
        require(can_manage_meeting(user, meeting))
        return meeting, None
    minutes.meeting = meeting
    require(can_read_minutes(user, minutes))
    return meeting, minutes


def minutes_version(*, minutes: Minutes, number: int | None = None) -> MinutesVersion | None:
    """One version of the minutes: the current one unless a number is given."""
    return (
        MinutesVersion.objects.filter(
            minutes=minutes, number=minutes.version if number is None else number
        )
        .select_related("created_by")
        .first()
    )


def minutes_versions(*, minutes: Minutes) -> QuerySet[MinutesVersion]:
    """Every version, newest first, with who saved it and how many comments it drew."""
    return (
        MinutesVersion.objects.filter(minutes=minutes)
        .select_related("created_by")
        .annotate(comment_count=Count("comments"))
        .order_by("-number")
    )


def minutes_comments(*, minutes: Minutes) -> QuerySet[MinutesComment]:
    return MinutesComment.objects.filter(minutes=minutes).select_related("author", "version")


def meeting_attendance(*, meeting: Meeting) -> list[Invitation]:
    """Who was invited and whether they came, by kind and organisation."""
    return list(
        Invitation.objects.filter(meeting=meeting, withdrawn_at__isnull=True).select_related(
            "user", "organisation"
        )
    )


@dataclass(frozen=True)
class AttendanceCount:
    label: str
    count: int


def attendance_counts(invitations: list[Invitation]) -> list[AttendanceCount]:
    """How many came, sent apologies, or were absent, without naming anyone."""
    counts = Counter(invitation.attendance for invitation in invitations)
    return [
        AttendanceCount(label=str(choice.label), count=counts[choice.value])
        for choice in Attendance
        if counts[choice.value]
    ]


def meeting_decisions(*, user: AnyUser, meeting: Meeting) -> QuerySet[Decision]:
    """The decisions taken at a meeting that the reader may see, in agenda order."""
    return (
        decision_scope(user)
        .filter(item__meeting=meeting)
        .select_related("item")
        .order_by("item__position", "item_id", "pk")
    )


def meeting_actions(*, user: AnyUser, meeting: Meeting) -> QuerySet[ActionItem]:
    """The actions from a meeting's items that the reader may see."""
    return (
        action_scope(user)
        .filter(item__meeting=meeting)
        .select_related("owner", "owner_organisation", "deputy", "item")
        .order_by("due_on", "pk")
    )


def approval_meetings(*, meeting: Meeting) -> QuerySet[Meeting]:
    """Later meetings of the same body, already taken place, that could approve the minutes."""
    return (
        Meeting.objects.filter(body=meeting.body, starts_at__gt=meeting.starts_at)
        .exclude(status=MeetingStatus.CANCELLED)
        .filter(Q(status=MeetingStatus.HELD) | Q(starts_at__lte=timezone.now()))
        .order_by("starts_at", "pk")
    )


def accepted_items(*, meeting: Meeting) -> QuerySet[AgendaItem]:
    """The items on a meeting's agenda, in order: what decisions and actions come from."""
    return AgendaItem.objects.filter(meeting=meeting, status=AgendaItemStatus.ACCEPTED).order_by(
        "position", "pk"
    )


def agenda_item_get(*, user: AnyUser, pk: int) -> AgendaItem:
    """An agenda item of a meeting the user may see (404 otherwise)."""
    return get_in_scope(
        AgendaItem.objects.filter(meeting__in=meeting_scope(user)).select_related(
            "meeting__body", "challenge"
        ),
        pk=pk,
    )


def item_decisions(*, item: AgendaItem) -> QuerySet[Decision]:
    return Decision.objects.filter(item=item).order_by("decided_on", "pk")


def decision_list(
    *,
    user: AnyUser,
    body: Body,
    search: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Decision]:
    """A body's decisions log, newest first: text or item title search and a date range."""
    decisions = decision_scope(user).filter(body=body)
    search = search.strip()
    if search:
        for word in search.split():
            decisions = decisions.filter(
                Q(text__icontains=word)
                | Q(item__title__icontains=word)
                | Q(item__meeting__title__icontains=word)
            )
    if date_from is not None:
        decisions = decisions.filter(decided_on__gte=date_from)
    if date_to is not None:
        decisions = decisions.filter(decided_on__lte=date_to)
    return decisions.select_related("item__meeting").order_by("-decided_on", "-pk")
