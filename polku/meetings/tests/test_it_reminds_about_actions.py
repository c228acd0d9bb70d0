"""Reminders of actions: a week and a day before the due date, then weekly while overdue."""

from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from conftest import Personas
from polku.audit.models import AuditEvent
from polku.meetings.choices import ActionStatus
from polku.meetings.models import ActionItem
from polku.meetings.services.reminders import ReminderKind, reminders_due, reminders_send
from polku.meetings.tasks_reminders import action_reminders_send_task
from polku.meetings.tests.factories import make_action, make_agenda_item, make_meeting
from polku.notifications.models import Notification, SentReminder

DUE = date(2027, 3, 15)


def _kinds(username: str) -> list[str]:
    return list(
        Notification.objects.filter(recipient__username=username)
        .order_by("created_at", "pk")
        .values_list("kind", flat=True)
    )


@pytest.fixture
def action(personas: Personas) -> ActionItem:
    item = make_agenda_item(meeting=make_meeting(body=personas.secretariat_body))
    return make_action(
        item=item,
        owner=personas.secretariat,
        owner_organisation=personas.justice,
        deputy=personas.secretariat2,
        due_on=DUE,
        title="Draft the referral guideline",
    )


def _send_each_day(start: date, end: date) -> dict[date, int]:
    sent: dict[date, int] = {}
    day = start
    while day <= end:
        count = reminders_send(today=day)
        if count:
            sent[day] = count
        day += timedelta(days=1)
    return sent


def test_it_reminds_a_week_and_a_day_before_then_weekly_when_overdue(
    personas: Personas, action: ActionItem
) -> None:
    """Over six weeks of daily runs: 7 days before, 1 day before, the day after, then weekly."""
    sent = _send_each_day(DUE - timedelta(days=20), DUE + timedelta(days=22))
    assert sorted(sent) == [
        date(2027, 3, 8),
        date(2027, 3, 14),
        date(2027, 3, 16),
        date(2027, 3, 23),
        date(2027, 3, 30),
        date(2027, 4, 6),
    ]
    expected = [
        ReminderKind.DUE_IN_7_DAYS,
        ReminderKind.DUE_IN_1_DAY,
        ReminderKind.OVERDUE,
        ReminderKind.OVERDUE,
        ReminderKind.OVERDUE,
        ReminderKind.OVERDUE,
    ]
    assert _kinds("secretariat") == expected
    assert _kinds("secretariat2") == expected
    assert _kinds("coordinator") == []
    assert SentReminder.objects.filter(target_id=str(action.pk)).count() == 6
    assert AuditEvent.objects.filter(action="meetings.action.remind").count() == 6


def test_it_sends_each_reminder_once_a_day(
    personas: Personas, action: ActionItem, django_capture_on_commit_callbacks: Any
) -> None:
    """Running twice on one day sends nothing the second time: one notification and one
    e-mail to each of the owner and the deputy."""
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(today=DUE - timedelta(days=7)) == 1
        assert reminders_send(today=DUE - timedelta(days=7)) == 0
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "secretariat2@example.org",
        "secretariat@example.org",
    ]
    assert all("Draft the referral guideline" in message.subject for message in mail.outbox)
    assert all("15 Mar 2027" in message.subject for message in mail.outbox)
    notification = Notification.objects.get(recipient=personas.secretariat)
    assert notification.url == action.get_absolute_url()
    assert SentReminder.objects.get().recipient_count == 2


def test_it_says_overdue_in_the_title(personas: Personas, action: ActionItem) -> None:
    reminders_send(today=DUE + timedelta(days=1))
    notification = Notification.objects.get(recipient=personas.secretariat)
    assert notification.kind == ReminderKind.OVERDUE
    assert notification.title.startswith("Overdue since")


def test_it_leaves_finished_actions_alone(personas: Personas, action: ActionItem) -> None:
    """Done and cancelled actions are not reminded; in-progress ones are."""
    ActionItem.objects.filter(pk=action.pk).update(status=ActionStatus.DONE)
    in_progress = make_action(
        item=action.item, owner=personas.practitioner, due_on=DUE, status="in_progress"
    )
    make_action(item=action.item, owner=personas.ngo, due_on=DUE, status=ActionStatus.CANCELLED)
    assert [(a.pk, kind) for a, kind in reminders_due(today=DUE - timedelta(days=1))] == [
        (in_progress.pk, ReminderKind.DUE_IN_1_DAY)
    ]


def test_a_new_due_date_starts_the_reminders_again(personas: Personas, action: ActionItem) -> None:
    """After the week-before reminder, a postponed action is reminded again before the new
    date; an action first due within a day gets only the last reminder."""
    assert reminders_send(today=DUE - timedelta(days=7)) == 1
    later = DUE + timedelta(days=30)
    ActionItem.objects.filter(pk=action.pk).update(due_on=later)
    assert reminders_send(today=later - timedelta(days=8)) == 0
    assert reminders_send(today=later - timedelta(days=7)) == 1
    soon = make_action(item=action.item, owner=personas.ngo, due_on=DUE)
    assert [(a.pk, kind) for a, kind in reminders_due(today=DUE)] == [
        (soon.pk, ReminderKind.DUE_IN_1_DAY)
    ]


def test_it_skips_people_who_left(personas: Personas, action: ActionItem) -> None:
    """An inactive deputy is not told; with nobody active, nothing is recorded."""
    personas.secretariat2.is_active = False
    personas.secretariat2.save(update_fields=["is_active"])
    assert reminders_send(today=DUE - timedelta(days=1)) == 1
    assert _kinds("secretariat") == [ReminderKind.DUE_IN_1_DAY]
    assert _kinds("secretariat2") == []
    personas.secretariat.is_active = False
    personas.secretariat.save(update_fields=["is_active"])
    assert reminders_send(today=DUE + timedelta(days=1)) == 0
    assert SentReminder.objects.count() == 1


def test_the_command_and_the_task_send_todays_reminders(
    personas: Personas, action: ActionItem
) -> None:
    out = StringIO()
    call_command("meetings_send_reminders", "--date", "2027-03-08", stdout=out)
    assert "Reminded 1 actions for 2027-03-08." in out.getvalue()
    call_command("meetings_send_reminders", "--date", "2027-03-08", stdout=out)
    assert "Reminded 0 actions" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("meetings_send_reminders", "--date", "8.3.2027")
    ActionItem.objects.filter(pk=action.pk).update(due_on=timezone.localdate())
    result = action_reminders_send_task.enqueue()
    assert result.return_value == 1
