"""Reads for the secretariat's dashboard: counts, response clocks and challenges per month.

Everything here is an aggregate over the reader's scope. Breakdowns by region or by kind
of organisation name a value only when at least BREAKDOWN_THRESHOLD challenges share it,
as `selectors.protected_breakdown` does for what protected submitters revealed.
"""

import statistics
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from polku.accounts.choices import Role
from polku.accounts.models import User
from polku.actors.choices import OrganisationKind
from polku.core.permissions import AnyUser
from polku.taxonomy.choices import TypologyKind
from polku.taxonomy.models import Category
from polku.voice.choices import OPEN_STATUSES, ChallengeStatus
from polku.voice.models import Challenge, ChallengeCategory
from polku.voice.permissions import TRIAGE_ROLES, challenge_scope
from polku.voice.selectors import BREAKDOWN_THRESHOLD, BreakdownRow
from polku.voice.working_days import working_days_between

# Who reads the dashboard besides the triage roles: it holds aggregates only.
READER_ROLES = (*TRIAGE_ROLES, Role.RAPPORTEUR, Role.DECISION_MAKER)
# The response clocks and the chart cover this many months, the current one included.
MONTHS = 12


def can_view_dashboard(user: AnyUser) -> bool:
    """The coordinator and the secretariat, and read-only the rapporteur and decision-makers."""
    return isinstance(user, User) and user.has_role(*READER_ROLES)


def _submitted(user: AnyUser) -> QuerySet[Challenge]:
    return challenge_scope(user).exclude(status=ChallengeStatus.DRAFT).order_by()


@dataclass(frozen=True)
class CountRow:
    """A value and how many challenges have it."""

    label: str
    count: int


def status_counts(*, user: AnyUser) -> list[CountRow]:
    """Submitted challenges by status, in lifecycle order, statuses with none included."""
    counts = dict(_submitted(user).values_list("status").annotate(count=Count("pk")))
    return [
        CountRow(label=str(label), count=counts.get(value, 0))
        for value, label in ChallengeStatus.choices
        if value != ChallengeStatus.DRAFT
    ]


def category_counts(*, user: AnyUser, kind: str) -> list[CountRow]:
    """Challenges (merged ones left out) by the categories of one typology, most first."""
    counts = dict(
        ChallengeCategory.objects.filter(
            challenge__in=_submitted(user).exclude(status=ChallengeStatus.MERGED),
            category__typology__kind=kind,
        )
        .order_by()
        .values_list("category")
        .annotate(count=Count("pk"))
    )
    categories = Category.objects.filter(pk__in=counts)
    rows = [
        CountRow(label=category.display_label, count=counts[category.pk]) for category in categories
    ]
    return sorted(rows, key=lambda row: (-row.count, row.label))


def _folded(pairs: list[tuple[str, int]]) -> list[BreakdownRow]:
    """Values shared by fewer than BREAKDOWN_THRESHOLD challenges go into one unnamed row."""
    rows: list[BreakdownRow] = []
    folded = 0
    for label, count in sorted(pairs, key=lambda pair: (-pair[1], pair[0])):
        if count >= BREAKDOWN_THRESHOLD:
            rows.append(BreakdownRow(label=label, count=count))
        else:
            folded += count
    if folded:
        rows.append(BreakdownRow(label="", count=folded))
    return rows


def region_breakdown(*, user: AnyUser) -> list[BreakdownRow]:
    """Challenges by the region they concern, naming only regions shared by enough."""
    counts = (
        _submitted(user)
        .exclude(status=ChallengeStatus.MERGED)
        .exclude(region=None)
        .values_list("region")
        .annotate(count=Count("pk"))
    )
    regions = {
        category.pk: category.display_label
        for category in Category.objects.filter(typology__kind=TypologyKind.REGION)
    }
    return _folded([(regions.get(region, ""), count) for region, count in counts])


def organisation_kind_breakdown(*, user: AnyUser) -> list[BreakdownRow]:
    """Challenges raised under a name, by the kind of organisation, naming only kinds shared
    by enough. Protected challenges are counted apart (`protected_breakdown`), so that the
    two tables cannot be subtracted to single one out."""
    labels = dict(OrganisationKind.choices)
    counts = (
        _submitted(user)
        .exclude(status=ChallengeStatus.MERGED)
        .filter(is_protected=False)
        .exclude(organisation=None)
        .values_list("organisation__kind")
        .annotate(count=Count("pk"))
    )
    return _folded([(str(labels.get(kind, kind)), count) for kind, count in counts])


@dataclass(frozen=True)
class ClockPerformance:
    """How fast the secretariat acknowledged and answered challenges submitted lately."""

    since: date
    acknowledged: int
    median_days_to_acknowledge: float | None
    acknowledged_on_time: float | None
    answered: int
    median_days_to_answer: float | None
    answered_on_time: float | None
    overdue_acknowledgements: int
    overdue_answers: int


def _day(moment: datetime) -> date:
    return timezone.localdate(moment)


def _share(hits: int, total: int) -> float | None:
    return hits / total if total else None


def months_back(today: date, months: int) -> date:
    """The first day of the month `months - 1` months before today's."""
    index = today.year * 12 + today.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def clock_performance(*, user: AnyUser, today: date) -> ClockPerformance:
    """Median working days to acknowledge and to answer, and the share on time, for the
    challenges submitted in the last MONTHS months; overdue counts cover every open one.

    The answer clock stops at the official answer, or when a challenge is closed without one.
    """
    since = months_back(today, MONTHS)
    submitted = _submitted(user).exclude(status=ChallengeStatus.MERGED)
    rows = submitted.filter(submitted_on__gte=since).values_list(
        "submitted_on",
        "acknowledge_due_on",
        "acknowledged_at",
        "answer_due_on",
        "answered_at",
        "closed_at",
    )
    to_acknowledge: list[int] = []
    acknowledged_in_time = 0
    to_answer: list[int] = []
    answered_in_time = 0
    for submitted_on, acknowledge_due, acknowledged_at, answer_due, answered_at, closed_at in rows:
        if submitted_on is None:
            continue
        if acknowledged_at is not None:
            day = _day(acknowledged_at)
            to_acknowledge.append(working_days_between(submitted_on, day))
            acknowledged_in_time += acknowledge_due is None or day <= acknowledge_due
        response = answered_at or closed_at
        if response is not None:
            day = _day(response)
            to_answer.append(working_days_between(submitted_on, day))
            answered_in_time += answer_due is None or day <= answer_due
    overdue = submitted.filter(status__in=OPEN_STATUSES)
    return ClockPerformance(
        since=since,
        acknowledged=len(to_acknowledge),
        median_days_to_acknowledge=statistics.median(to_acknowledge) if to_acknowledge else None,
        acknowledged_on_time=_share(acknowledged_in_time, len(to_acknowledge)),
        answered=len(to_answer),
        median_days_to_answer=statistics.median(to_answer) if to_answer else None,
        answered_on_time=_share(answered_in_time, len(to_answer)),
        overdue_acknowledgements=overdue.filter(
            status=ChallengeStatus.RECEIVED, acknowledge_due_on__lt=today
        ).count(),
        overdue_answers=overdue.filter(answered_at=None, answer_due_on__lt=today).count(),
    )


@dataclass(frozen=True)
class MonthCount:
    """New challenges submitted in one month."""

    month: date
    count: int


def monthly_new(*, user: AnyUser, today: date) -> list[MonthCount]:
    """New challenges per month over the last MONTHS months, months with none included."""
    since = months_back(today, MONTHS)
    counts = {
        (month.year, month.month): count
        for month, count in _submitted(user)
        .filter(submitted_on__gte=since)
        .annotate(month=TruncMonth("submitted_on"))
        .values_list("month")
        .annotate(count=Count("pk"))
        if month is not None
    }
    result = []
    for offset in range(MONTHS):
        month = months_back(today, MONTHS - offset)
        result.append(MonthCount(month=month, count=counts.get((month.year, month.month), 0)))
    return result


@dataclass(frozen=True)
class Bar:
    """One bar of the monthly chart, in SVG user units."""

    month: date
    count: int
    x: float
    y: float
    width: float
    height: float
    label_x: float
    value_y: float


@dataclass(frozen=True)
class BarChart:
    """A bar chart laid out for the template to draw as static SVG."""

    width: int
    height: int
    baseline: float
    top: float
    label_y: float
    maximum: int
    bars: list[Bar]


CHART_WIDTH = 640
CHART_HEIGHT = 240
CHART_MARGIN_TOP = 24
CHART_MARGIN_BOTTOM = 32
CHART_MARGIN_SIDE = 8


def bar_chart(months: list[MonthCount]) -> BarChart:
    """Lays out one bar per month, scaled to the largest month."""
    maximum = max((month.count for month in months), default=0)
    plot_height = CHART_HEIGHT - CHART_MARGIN_TOP - CHART_MARGIN_BOTTOM
    baseline = CHART_HEIGHT - CHART_MARGIN_BOTTOM
    slot = (CHART_WIDTH - 2 * CHART_MARGIN_SIDE) / max(len(months), 1)
    bars = []
    for index, month in enumerate(months):
        height = plot_height * month.count / maximum if maximum else 0.0
        x = CHART_MARGIN_SIDE + index * slot + slot * 0.15
        bars.append(
            Bar(
                month=month.month,
                count=month.count,
                x=round(x, 1),
                y=round(baseline - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label_x=round(x + slot * 0.35, 1),
                value_y=round(baseline - height - 6, 1),
            )
        )
    return BarChart(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        baseline=baseline,
        top=CHART_MARGIN_TOP,
        label_y=CHART_HEIGHT - 10,
        maximum=maximum,
        bars=bars,
    )
