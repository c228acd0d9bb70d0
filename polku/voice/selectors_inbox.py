"""Reads for the secretariat's inbox: open challenges with their response clocks."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce

from polku.accounts.models import User
from polku.core.permissions import AnyUser
from polku.taxonomy.models import Category
from polku.voice.choices import OPEN_STATUSES, ChallengeStatus
from polku.voice.models import Challenge, Endorsement
from polku.voice.permissions import can_triage, challenge_scope


class DueState:
    DUE_THIS_WEEK = "due_this_week"
    OVERDUE = "overdue"
    OVERDUE_ACKNOWLEDGEMENT = "overdue_acknowledgement"
    OVERDUE_ANSWER = "overdue_answer"


class InboxSort:
    DUE = "due"
    NEWEST = "newest"
    ENDORSED = "endorsed"


# Owner filter values besides a person's id.
UNASSIGNED = "unassigned"
MINE = "mine"
# Status filter values besides a single status.
OPEN = ""
ALL = "all"


@dataclass(frozen=True)
class InboxFilters:
    """What the inbox is narrowed to; empty values narrow nothing."""

    search: str = ""
    status: str = OPEN
    owner: str = ""
    sector: Category | None = None
    exploitation_form: Category | None = None
    region: Category | None = None
    urgency: str = ""
    due: str = ""
    sort: str = InboxSort.DUE


def end_of_week(today: date) -> date:
    """The Sunday of the week `today` falls in."""
    return today + timedelta(days=6 - today.weekday())


def _acknowledgement_overdue(today: date) -> Q:
    return Q(status=ChallengeStatus.RECEIVED, acknowledge_due_on__lt=today)


def _answer_overdue(today: date) -> Q:
    return Q(status__in=OPEN_STATUSES, answered_at__isnull=True, answer_due_on__lt=today)


def _next_due() -> Case:
    """The clock that runs now: acknowledgement while received, then the answer."""
    return Case(
        When(status=ChallengeStatus.RECEIVED, then=F("acknowledge_due_on")),
        When(
            status__in=OPEN_STATUSES - {ChallengeStatus.RECEIVED},
            answered_at__isnull=True,
            then=F("answer_due_on"),
        ),
        default=Value(None),
        output_field=DateField(),
    )


def _endorsement_count() -> Coalesce:
    counted = (
        Endorsement.objects.filter(challenge=OuterRef("pk"))
        .order_by()
        .values("challenge")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# What the inbox can list: every submitted status but "merged".
INBOX_STATUSES = tuple(
    status
    for status in ChallengeStatus.values
    if status not in (ChallengeStatus.DRAFT, ChallengeStatus.MERGED)
)


def _submitted(user: AnyUser) -> QuerySet[Challenge]:
    """Submitted, unmerged challenges in the reader's scope; nothing outside triage.

    `challenge_scope` narrows an insider's view only in drafts (each is its author's alone),
    and the inbox lists no drafts, so within INBOX_STATUSES the scope is every row. Asking
    for those statuses alone lets the inbox index answer without evaluating the draft rule
    on each of tens of thousands of rows; a test keeps the two equal.
    """
    if not can_triage(user) or challenge_scope(user).query.is_empty():
        return Challenge.objects.none()
    return Challenge.objects.filter(status__in=INBOX_STATUSES)


def inbox_list(*, user: AnyUser, today: date, filters: InboxFilters) -> QuerySet[Challenge]:
    """The challenges the triage roles work on, filtered and sorted; nothing for anyone else.

    Sorting and filtering read only the columns of the inbox index, so paginate the ids
    (`.values_list("pk", flat=True)`) and fetch the page's rows with `inbox_rows`.
    """
    challenges = _submitted(user)
    if filters.status == OPEN:
        challenges = challenges.filter(status__in=OPEN_STATUSES)
    elif filters.status != ALL:
        challenges = challenges.filter(status=filters.status)
    search = filters.search.strip()
    if search:
        challenges = challenges.filter(
            Q(title__icontains=search)
            | Q(description__icontains=search)
            | Q(reference__iexact=search)
        )
    if filters.owner == UNASSIGNED:
        challenges = challenges.filter(owner__isnull=True)
    elif filters.owner == MINE:
        challenges = challenges.filter(owner=user if isinstance(user, User) else None)
    elif filters.owner.isdigit():
        challenges = challenges.filter(owner_id=int(filters.owner))
    for category in (filters.sector, filters.exploitation_form):
        if category is not None:
            challenges = challenges.filter(
                pk__in=Challenge.objects.filter(category_links__category=category).values("pk")
            )
    if filters.region is not None:
        challenges = challenges.filter(region=filters.region)
    if filters.urgency:
        challenges = challenges.filter(urgency=filters.urgency)
    challenges = challenges.annotate(next_due_on=_next_due())
    if filters.due == DueState.OVERDUE:
        challenges = challenges.filter(_acknowledgement_overdue(today) | _answer_overdue(today))
    elif filters.due == DueState.OVERDUE_ACKNOWLEDGEMENT:
        challenges = challenges.filter(_acknowledgement_overdue(today))
    elif filters.due == DueState.OVERDUE_ANSWER:
        challenges = challenges.filter(_answer_overdue(today))
    elif filters.due == DueState.DUE_THIS_WEEK:
        challenges = challenges.filter(next_due_on__gte=today, next_due_on__lte=end_of_week(today))
    ordering: list[str | OrderBy]
    if filters.sort == InboxSort.NEWEST:
        ordering = ["-submitted_on", "sort_key"]
    elif filters.sort == InboxSort.ENDORSED:
        challenges = challenges.annotate(endorsement_count=_endorsement_count())
        ordering = ["-endorsement_count", "-submitted_on", "sort_key"]
    else:
        ordering = [F("next_due_on").asc(nulls_last=True), "-submitted_on", "sort_key"]
    return challenges.order_by(*ordering)


def inbox_rows(*, ids: Iterable[UUID]) -> list[Challenge]:
    """The rows of one inbox page, in the order of `ids`, ready to show.

    Each carries `next_due_on` (the running clock's due date), `due_kind` ("acknowledge" or
    "answer") and `endorsement_count`. The ids come from `inbox_list`, which has already
    applied the reader's scope.
    """
    wanted = list(ids)
    if not wanted:
        return []
    rows = (
        Challenge.objects.filter(pk__in=wanted)
        .select_related("owner")
        .only(
            "id",
            "reference",
            "title",
            "language",
            "status",
            "is_protected",
            "urgency",
            "acknowledge_due_on",
            "answer_due_on",
            "answered_at",
            "owner",
        )
        .annotate(
            next_due_on=_next_due(),
            due_kind=Case(
                When(status=ChallengeStatus.RECEIVED, then=Value("acknowledge")),
                When(
                    status__in=OPEN_STATUSES - {ChallengeStatus.RECEIVED},
                    answered_at__isnull=True,
                    then=Value("answer"),
                ),
                default=Value(""),
            ),
            endorsement_count=_endorsement_count(),
        )
    )
    by_id = {row.pk: row for row in rows}
    return [by_id[pk] for pk in wanted if pk in by_id]


@dataclass(frozen=True)
class InboxSummary:
    """The headline over every open challenge: how many are overdue, how many due this week."""

    overdue: int
    due_this_week: int
    unassigned: int


def inbox_summary(*, user: AnyUser, today: date) -> InboxSummary:
    """Counts over all open challenges (not the current filters), in one query."""
    counts = (
        _submitted(user)
        .filter(status__in=OPEN_STATUSES)
        .annotate(next_due_on=_next_due())
        .aggregate(
            overdue=Count("pk", filter=_acknowledgement_overdue(today) | _answer_overdue(today)),
            due_this_week=Count(
                "pk",
                filter=Q(next_due_on__gte=today, next_due_on__lte=end_of_week(today)),
            ),
            unassigned=Count("pk", filter=Q(owner__isnull=True)),
        )
    )
    return InboxSummary(
        overdue=counts["overdue"],
        due_this_week=counts["due_this_week"],
        unassigned=counts["unassigned"],
    )


def merge_candidate(*, user: AnyUser, reference: str) -> Challenge | None:
    """The challenge a reference names, from the reader's scope, for the merge page."""
    reference = reference.strip().upper()
    if not reference:
        return None
    return (
        challenge_scope(user)
        .exclude(status=ChallengeStatus.DRAFT)
        .select_related("owner", "merged_into")
        .filter(reference=reference)
        .first()
    )
