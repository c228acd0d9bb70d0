"""The demo meetings load through the services after the demo actors and challenges, as the
demo command loads them: a year of meetings of three bodies with a consistent history, once."""

from datetime import date, timedelta

import pytest
from django.db.models import F, Q
from django.utils import timezone

from polku.accounts.models import User
from polku.actors import demo as actors_demo
from polku.actors.choices import BodyRole
from polku.actors.models import Body, BodyMember, Membership
from polku.audit.selectors import chain_verify
from polku.meetings import demo
from polku.meetings.choices import (
    OPEN_ACTION_STATUSES,
    ActionStatus,
    AgendaItemStatus,
    Attendance,
    MeetingStatus,
    MinutesAudience,
    MinutesStatus,
)
from polku.meetings.diff import compare
from polku.meetings.models import (
    ActionItem,
    AgendaItem,
    Decision,
    Invitation,
    Meeting,
    Minutes,
    MinutesComment,
)
from polku.meetings.permissions import (
    can_read_minutes,
    decision_scope,
    is_participant,
    meeting_scope,
)
from polku.meetings.services.minutes import attributable_names, names_in_text
from polku.notifications.models import Notification
from polku.voice import demo as voice_demo
from polku.voice.choices import ChallengeStatus, EventKind, OutcomeKind
from polku.voice.models import Challenge, Outcome

# A sitting that would fall between Christmas and Epiphany moves back whole weeks, at most
# three (``loader._outside_holidays``), so a year's first and last sittings may be that much
# earlier around the turn of the year.
HOLIDAY_SHIFT_DAYS = 21


def _load() -> dict[str, int]:
    actors_demo.load()
    voice_demo.load()
    return demo.load()


def _held(body: Body) -> list[Meeting]:
    return list(body.meetings.filter(status=MeetingStatus.HELD).order_by("starts_at"))


def _days(meetings: list[Meeting]) -> list[date]:
    return [timezone.localdate(meeting.starts_at) for meeting in meetings]


def _assert_timelines_hold_together() -> None:
    """On every challenge an agenda item is about, each status change starts from the status
    the one before it left, in the order of their times."""
    linked = Challenge.objects.filter(
        pk__in=AgendaItem.objects.filter(challenge__isnull=False).values("challenge")
    )
    assert linked.count() >= 8
    for challenge in linked:
        status = ""
        for event in challenge.events.order_by("created_at", "pk"):
            if not event.to_status:
                continue
            if event.kind != EventKind.SUBMITTED:
                assert event.from_status == status, (challenge.title, event.kind, status)
            status = event.to_status
        assert status == challenge.status, challenge.title


def _loops_closed_by_decisions() -> int:
    return (
        Challenge.objects.filter(
            events__kind=EventKind.OUTCOME,
            events__to_status=ChallengeStatus.ADDRESSED,
            outcomes__kind=OutcomeKind.DECISION,
            outcomes__created_at=F("events__created_at"),
        )
        .distinct()
        .count()
    )


@pytest.mark.django_db
def test_it_loads_a_year_of_meetings_for_each_body_once() -> None:
    """The secretariat met about monthly and the working groups every six to eight weeks over
    the past year; each has meetings to come; a second run adds
    nothing."""
    created = _load()
    assert created["meetings"] == len(demo.MEETINGS) == Meeting.objects.count()
    held_plans = [plan for plan in demo.MEETINGS if plan.week <= 0]
    assert created["minutes"] == len(held_plans) == Minutes.objects.count()
    assert created["decisions"] == sum(
        bool(item.decision) for plan in held_plans for item in plan.items
    )
    assert created["actions"] == sum(
        len(item.actions) for plan in held_plans for item in plan.items
    )
    assert created["agenda_items"] == AgendaItem.objects.count() > 3 * created["meetings"]
    assert created["invitations"] == Invitation.objects.count() > 5 * created["meetings"]
    assert created["minutes_versions"] > created["minutes"]
    assert created["minutes_comments"] >= 5 and created["action_notes"] >= 30
    assert created["documents"] == sum(len(plan.papers) for plan in demo.MEETINGS)
    assert created["challenge_outcomes"] >= 3

    today = timezone.localdate()
    expected = {demo.SECRETARIAT: (11, 25, 35, 2), demo.LABOUR: (6, 42, 56, 1)}
    expected[demo.IDENTIFICATION] = (6, 42, 56, 1)
    for name, (at_least, shortest, longest, to_come) in expected.items():
        body = Body.objects.get(name=name)
        days = _days(_held(body))
        assert len(days) >= at_least, name
        assert 300 <= (today - days[0]).days <= 365 + HOLIDAY_SHIFT_DAYS, name
        assert (today - days[-1]).days <= 45 + HOLIDAY_SHIFT_DAYS, name
        average_gap = (days[-1] - days[0]).days / (len(days) - 1)
        assert shortest <= average_gap <= longest, name
        upcoming = body.meetings.filter(status=MeetingStatus.SCHEDULED)
        assert upcoming.count() == to_come, name
        assert all(meeting.starts_at > timezone.now() for meeting in upcoming)
        assert body.meetings.count() == len(days) + to_come

    counts = {name: model._default_manager.count() for name, model in demo.COUNTED.items()}
    assert demo.load() == dict.fromkeys(demo.COUNTED, 0)
    assert {name: model._default_manager.count() for name, model in demo.COUNTED.items()} == (
        counts
    )


@pytest.mark.django_db
def test_it_takes_minutes_through_every_state() -> None:
    """Most minutes are published, one to the public; the latest is out for comments; an
    older one has four versions; the Chatham House minutes name nobody who was invited."""
    _load()
    minutes = list(Minutes.objects.select_related("meeting__body"))
    assert {row.status for row in minutes} == set(MinutesStatus.values)
    published = [row for row in minutes if row.status == MinutesStatus.PUBLISHED]
    assert len(published) > len(minutes) / 2
    assert {row.audience for row in published} == set(MinutesAudience.values)
    assert [row.audience for row in published].count(MinutesAudience.PUBLIC) == 1

    secretariat = Body.objects.get(name=demo.SECRETARIAT)
    latest = Minutes.objects.get(meeting=_held(secretariat)[-1])
    assert latest.status == MinutesStatus.CIRCULATED
    assert latest.comment_deadline is not None
    assert latest.comment_deadline > timezone.localdate()
    comments = list(MinutesComment.objects.filter(minutes=latest).select_related("author"))
    assert len(comments) >= 1
    assert all(is_participant(comment.author, latest.meeting) for comment in comments)
    told = Notification.objects.filter(kind="meetings.minutes_circulated", target_id=latest.pk)
    assert told.count() == latest.meeting.invitations.count() - 1  # all but the secretary

    several = max(minutes, key=lambda row: row.version)
    assert several.version >= 4
    versions = list(several.versions.order_by("number"))
    assert [version.number for version in versions] == list(range(1, several.version + 1))
    comparison = compare(versions[0].text, versions[-1].text)
    assert comparison.added >= 3 and comparison.removed >= 3

    chatham = [row for row in minutes if row.meeting.chatham_house]
    assert chatham and all(row.status == MinutesStatus.PUBLISHED for row in chatham)
    for row in chatham:
        names = attributable_names(row.meeting)
        assert row.meeting.invitations.filter(kind="guest").exists()
        for version in row.versions.all():
            assert names_in_text(version.text, names) == []

    for row in minutes:
        if row.status not in (MinutesStatus.APPROVED, MinutesStatus.PUBLISHED):
            assert row.approved_at is None
            continue
        meeting = row.meeting
        if row.approved_at_meeting is None:
            assert BodyMember.objects.filter(
                body=meeting.body, user=row.approved_by, role=BodyRole.CHAIR
            ).exists()
        else:
            later = row.approved_at_meeting
            assert later.body_id == meeting.body_id and later.starts_at > meeting.starts_at
            assert later.status == MeetingStatus.HELD
    closed_group = Body.objects.get(name=demo.IDENTIFICATION)
    assert {row.audience for row in published if row.meeting.body_id == closed_group.pk} == {
        MinutesAudience.BODY
    }


@pytest.mark.django_db
def test_it_closes_challenges_loops_and_follows_up_actions() -> None:
    """Decisions on items about challenges reach those challenges as outcomes and address
    them, in order on their timelines; their submitters are told and can read the decision.
    Actions are done, in progress, open, cancelled and overdue, with progress notes."""
    _load()
    decisions = list(Decision.objects.filter(item__challenge__isnull=False).select_related("item"))
    assert len(decisions) >= 3
    closed = []
    for decision in decisions:
        challenge = decision.item.challenge
        assert challenge is not None
        outcome = Outcome.objects.get(
            challenge=challenge, kind=OutcomeKind.DECISION, link_id=str(decision.pk)
        )
        assert timezone.localdate(outcome.created_at) == decision.decided_on
        events = list(challenge.events.order_by("created_at", "pk"))
        moved = [event for event in events if event.kind == EventKind.OUTCOME and event.to_status]
        if moved and moved[-1].created_at == outcome.created_at:
            closed.append((challenge, decision, outcome, events))
    assert len(closed) >= 3
    for challenge, decision, outcome, events in closed:
        challenge.refresh_from_db()
        assert challenge.status == ChallengeStatus.ADDRESSED
        statuses = [event.to_status for event in events if event.to_status]
        assert statuses[-2:] == [ChallengeStatus.ON_AGENDA, ChallengeStatus.ADDRESSED]
        assert events[0].kind == EventKind.SUBMITTED
        meeting = decision.item.meeting
        assert events[0].created_at < decision.item.created_at < meeting.starts_at
        assert meeting.ends_at < outcome.created_at == events[-1].created_at
        submitter = challenge.submitted_by
        assert submitter is not None
        assert Notification.objects.filter(
            recipient=submitter, kind="voice.outcome", target_id=str(challenge.pk)
        ).exists()
        assert decision_scope(submitter).filter(pk=decision.pk).exists()
        assert can_read_minutes(submitter, Minutes.objects.get(meeting=meeting)) == (
            Minutes.objects.get(meeting=meeting).status == MinutesStatus.PUBLISHED
            or is_participant(submitter, meeting)
        )
    practitioner = User.objects.get(username="practitioner")
    assert practitioner in {row[0].submitted_by for row in closed}

    today = timezone.localdate()
    actions = list(ActionItem.objects.prefetch_related("notes"))
    assert {action.status for action in actions} == set(ActionStatus.values)
    overdue = [a for a in actions if a.status in OPEN_ACTION_STATUSES and a.due_on < today]
    assert len(overdue) >= 3
    assert {action.status for action in overdue} == set(OPEN_ACTION_STATUSES)
    for action in actions:
        moves = [note.status for note in action.notes.all() if note.status]
        assert (moves[-1] if moves else ActionStatus.OPEN) == action.status
        assert (action.completed_on is not None) == (action.status == ActionStatus.DONE)
    assert any(a.notes.exists() and a.status == ActionStatus.OPEN for a in overdue)

    _assert_timelines_hold_together()

    to_come = AgendaItem.objects.filter(meeting__status=MeetingStatus.SCHEDULED)
    assert to_come.filter(status=AgendaItemStatus.PROPOSED).exists()
    declined = to_come.filter(status=AgendaItemStatus.DECLINED)
    assert declined.exists() and all(item.decline_reason for item in declined)
    on_agenda = Challenge.objects.filter(
        pk__in=to_come.filter(status=AgendaItemStatus.ACCEPTED).values("challenge"),
        status=ChallengeStatus.ON_AGENDA,
    )
    assert on_agenda.count() >= 2


@pytest.mark.django_db
def test_it_keeps_to_the_permissions_and_to_the_order_of_events() -> None:
    """Every person acted as they may; every row is dated within its meeting's life and before
    now; the audit chain is whole; no e-mail about the past is left to send."""
    _load()
    now = timezone.now()
    for action in ActionItem.objects.select_related("item__meeting"):
        assert action.deputy_id != action.owner_id
        represents = (
            Membership.objects.filter(
                user=action.owner, organisation=action.owner_organisation, is_active=True
            ).exists()
            or BodyMember.objects.filter(
                body=action.body, user=action.owner, organisation=action.owner_organisation
            ).exists()
        )
        assert represents, action
        assert action.item is not None
        assert action.created_at > action.item.meeting.starts_at
    for meeting in Meeting.objects.prefetch_related("invitations", "items"):
        attendance = {invitation.attendance for invitation in meeting.invitations.all()}
        if meeting.status == MeetingStatus.HELD:
            assert Attendance.UNKNOWN not in attendance
            assert Attendance.PRESENT in attendance
            assert meeting.created_at < meeting.starts_at - timedelta(days=14)
        else:
            assert attendance == {Attendance.UNKNOWN}
        items = list(meeting.items.all())
        assert all(item.created_at < meeting.starts_at for item in items)
        agenda = [item for item in items if item.status == AgendaItemStatus.ACCEPTED]
        assert agenda[0].title == "Opening of the meeting and adoption of the agenda"
        assert agenda[-1].title == "Other business and the next meeting"
        if meeting.status == MeetingStatus.HELD:
            assert meeting.agenda_sent_at is not None
            assert max(item.updated_at for item in agenda) < meeting.agenda_sent_at
            assert meeting.agenda_sent_at < meeting.starts_at
        for invitation in meeting.invitations.all():
            assert invitation.sent_sequence == meeting.sequence
            assert meeting_scope(invitation.user).filter(pk=meeting.pk).exists()
    for decision in Decision.objects.select_related("item__meeting"):
        meeting = decision.item.meeting
        assert decision.item.status == AgendaItemStatus.ACCEPTED
        assert meeting.status == MeetingStatus.HELD
        assert decision.decided_on == timezone.localdate(meeting.starts_at)
    for comment in MinutesComment.objects.select_related("minutes__meeting", "author"):
        meeting = comment.minutes.meeting
        assert is_participant(comment.author, meeting)
        assert meeting.ends_at < comment.created_at < now
    recent = Q(created_at__gt=now - demo.READ_AFTER)
    assert not Notification.objects.filter(kind__startswith="meetings.", emailed_at=None).exists()
    assert (
        Notification.objects.filter(kind__startswith="meetings.", read_at=None)
        .filter(~recent)
        .count()
        == 0
    )
    assert Notification.objects.filter(kind__startswith="meetings.", read_at=None).exists()
    assert chain_verify().ok
