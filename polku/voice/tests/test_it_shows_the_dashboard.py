"""The challenges dashboard: who sees it, its counts, thresholds, clocks and monthly chart."""

from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import PERSONA_NAMES, ClientFor, Personas
from polku.actors.tests.factories import make_organisation
from polku.voice import dashboard
from polku.voice.choices import ChallengeStatus
from polku.voice.models import Challenge
from polku.voice.tests.factories import exploitation_form, make_challenge, region, sector

URL = reverse("voice:dashboard")
READERS = {"coordinator", "secretariat", "secretariat2", "rapporteur", "decisionmaker"}


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_who_sees_the_dashboard(client_for: ClientFor, persona: str) -> None:
    """The triage roles, the rapporteur and decision-makers read it; other people get 403;
    anonymous visitors are sent to sign in."""
    response = client_for(persona).get(URL)
    if persona == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if persona in READERS else 403)


def test_it_counts_by_status_sector_and_form(personas: Personas) -> None:
    """Drafts are never counted; merged challenges count by status only."""
    make_challenge(submitted_by=personas.ngo, categories=[sector("police"), exploitation_form()])
    make_challenge(
        submitted_by=personas.ngo,
        status=ChallengeStatus.ANSWERED,
        categories=[sector("police"), sector("ngos")],
    )
    make_challenge(submitted_by=personas.ngo, status=ChallengeStatus.MERGED)
    make_challenge(submitted_by=personas.practitioner, status=ChallengeStatus.DRAFT)
    statuses = {row.label: row.count for row in dashboard.status_counts(user=personas.coordinator)}
    assert statuses["Received"] == 1
    assert statuses["Answered"] == 1
    assert statuses["Merged into another challenge"] == 1
    assert "Draft" not in statuses
    sectors = dashboard.category_counts(user=personas.coordinator, kind="sector")
    assert [(row.count) for row in sectors] == [2, 1]
    forms = dashboard.category_counts(user=personas.coordinator, kind="exploitation_form")
    assert [row.count for row in forms] == [1]


def test_regions_and_kinds_are_named_only_when_five_share_them(personas: Personas) -> None:
    """Four challenges from Lapland are folded into the unnamed row; five from Uusimaa are
    named. Named and protected challenges are counted in separate tables."""
    for _index in range(5):
        make_challenge(submitted_by=personas.ngo, organisation=personas.ngo_org, region=region())
    for _index in range(4):
        make_challenge(
            submitted_by=personas.practitioner,
            organisation=personas.police,
            region=region("lapland"),
        )
    make_challenge(is_protected=True, revealed_organisation_kind="authority", region=region())
    regions = dashboard.region_breakdown(user=personas.coordinator)
    assert [(row.label, row.count) for row in regions] == [("Uusimaa", 6), ("", 4)]
    kinds = dashboard.organisation_kind_breakdown(user=personas.coordinator)
    assert [(row.label, row.count) for row in kinds] == [
        ("Non-governmental organisation", 5),
        ("", 4),
    ]


def test_the_page_never_names_a_small_group(personas: Personas, client_for: ClientFor) -> None:
    """A region only two challenges concern, and a kind only one protected submitter
    revealed, do not appear on the page."""
    for _index in range(2):
        make_challenge(submitted_by=personas.ngo, region=region("lapland"))
    make_challenge(
        is_protected=True, revealed_organisation_kind="authority", revealed_region=region()
    )
    html = client_for("coordinator").get(URL).content.decode()
    assert "Lapland" not in html
    assert "Authority" not in html
    assert "Values shared by fewer than 5 challenges" in html


def test_it_measures_the_response_clocks(personas: Personas) -> None:
    """Medians in working days and the share on time; overdue counts the open ones now."""
    today = date(2026, 11, 27)  # A Friday.
    monday = date(2026, 11, 16)
    # Acknowledged after 2 working days (on time) and after 8 (late); one answered in 3.
    make_challenge(
        submitted_by=personas.ngo,
        status=ChallengeStatus.ANSWERED,
        submitted_on=monday,
        acknowledge_due_on=monday + timedelta(days=7),
        acknowledged_at=_at(monday + timedelta(days=2)),
        answer_due_on=monday + timedelta(days=42),
        answered_at=_at(monday + timedelta(days=3)),
    )
    make_challenge(
        submitted_by=personas.ngo,
        status=ChallengeStatus.ACKNOWLEDGED,
        submitted_on=monday,
        acknowledge_due_on=monday + timedelta(days=7),
        acknowledged_at=_at(monday + timedelta(days=10)),
        answer_due_on=monday + timedelta(days=9),
    )
    # Received, its acknowledgement due yesterday.
    make_challenge(
        submitted_by=personas.ngo,
        submitted_on=monday,
        acknowledge_due_on=today - timedelta(days=1),
        answer_due_on=today + timedelta(days=20),
    )
    # Submitted long ago: outside the period, but overdue now.
    make_challenge(
        submitted_by=personas.ngo,
        submitted_on=date(2024, 1, 8),
        acknowledge_due_on=date(2024, 1, 15),
        answer_due_on=date(2024, 2, 19),
    )
    clocks = dashboard.clock_performance(user=personas.coordinator, today=today)
    assert clocks.since == date(2025, 12, 1)
    assert clocks.acknowledged == 2
    assert clocks.median_days_to_acknowledge == 5  # The median of 2 and 8.
    assert clocks.acknowledged_on_time == 0.5
    assert clocks.answered == 1
    assert clocks.median_days_to_answer == 3
    assert clocks.answered_on_time == 1.0
    assert clocks.overdue_acknowledgements == 2
    assert clocks.overdue_answers == 2  # The acknowledged one and the old one.


def test_no_clock_figures_without_data(personas: Personas) -> None:
    clocks = dashboard.clock_performance(user=personas.coordinator, today=date(2026, 11, 27))
    assert clocks.median_days_to_acknowledge is None
    assert clocks.acknowledged_on_time is None


def test_it_counts_new_challenges_per_month(personas: Personas) -> None:
    """Twelve months, the current one last, months with none at zero; older ones left out."""
    today = date(2026, 3, 10)
    for day in (date(2026, 3, 1), date(2026, 3, 9), date(2025, 12, 31), date(2025, 4, 1)):
        make_challenge(submitted_by=personas.ngo, submitted_on=day)
    make_challenge(submitted_by=personas.ngo, submitted_on=date(2025, 3, 31))
    months = dashboard.monthly_new(user=personas.coordinator, today=today)
    assert [month.month for month in months][:2] == [date(2025, 4, 1), date(2025, 5, 1)]
    assert months[-1].month == date(2026, 3, 1)
    counts = {month.month: month.count for month in months}
    assert counts[date(2026, 3, 1)] == 2
    assert counts[date(2025, 12, 1)] == 1
    assert counts[date(2025, 4, 1)] == 1
    assert sum(counts.values()) == 4


def test_the_chart_scales_bars_to_the_largest_month() -> None:
    months = [
        dashboard.MonthCount(month=date(2026, 1, 1), count=4),
        dashboard.MonthCount(month=date(2026, 2, 1), count=2),
        dashboard.MonthCount(month=date(2026, 3, 1), count=0),
    ]
    chart = dashboard.bar_chart(months)
    tallest, half, empty = chart.bars
    assert tallest.y == chart.top
    assert half.height == pytest.approx(tallest.height / 2, abs=0.1)
    assert empty.height == 0
    assert tallest.x < half.x < empty.x


def test_the_chart_is_accessible_and_has_a_table_with_the_same_numbers(
    personas: Personas, client_for: ClientFor
) -> None:
    """The SVG is named by its title and described; the table beside it holds each month."""
    today = timezone.localdate()
    for _index in range(3):
        make_challenge(submitted_by=personas.ngo, submitted_on=today)
    html = client_for("coordinator").get(URL).content.decode()
    assert 'role="img" aria-labelledby="monthly-title monthly-desc"' in html
    assert '<title id="monthly-title">New challenges per month</title>' in html
    assert '<desc id="monthly-desc">' in html
    assert html.count("<rect ") == 12
    month = today.strftime("%B %Y")
    assert f'<th scope="row" class="govuk-table__header">{month}</th>' in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">3</td>' in html


def _count(client_for: ClientFor) -> int:
    client = client_for("coordinator")
    client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries)


def test_it_keeps_a_fixed_query_budget(personas: Personas, client_for: ClientFor) -> None:
    """One challenge or thirty, across regions, sectors and organisations: same queries."""
    make_challenge(
        submitted_by=personas.ngo,
        region=region(),
        categories=[sector("police"), exploitation_form()],
    )
    one = _count(client_for)
    regions = ["lapland", "uusimaa", "pirkanmaa"]
    for index in range(30):
        organisation = make_organisation()
        challenge: Challenge = make_challenge(
            submitted_by=personas.ngo,
            organisation=None if index % 4 == 0 else organisation,
            is_protected=index % 4 == 0,
            revealed_organisation_kind="ngo" if index % 4 == 0 else "",
            region=region(regions[index % 3]),
            categories=[sector("police"), sector("ngos"), exploitation_form()],
            submitted_on=timezone.localdate() - timedelta(days=index * 11),
            acknowledged_at=timezone.now(),
        )
        assert challenge.pk
    assert _count(client_for) == one
