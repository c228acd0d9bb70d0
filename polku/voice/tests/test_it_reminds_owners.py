"""Reminders of the response clocks: due within two working days, and overdue."""

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from conftest import Personas
from polku.actors.tests.factories import make_membership, make_organisation
from polku.notifications.models import Notification, SentReminder
from polku.voice.choices import ChallengeStatus
from polku.voice.models import Challenge
from polku.voice.services.triage import ReminderKind, reminders_send, reminders_send_task
from polku.voice.tests.factories import make_challenge

FAR = date(2027, 6, 30)


def _kinds(username: str) -> list[str]:
    return list(
        Notification.objects.filter(recipient__username=username)
        .order_by("created_at", "pk")
        .values_list("kind", flat=True)
    )


def _received(personas: Personas, *, acknowledge_due_on: date, **fields: Any) -> Challenge:
    fields.setdefault("owner", personas.secretariat)
    return make_challenge(
        submitted_by=personas.practitioner,
        acknowledge_due_on=acknowledge_due_on,
        answer_due_on=fields.pop("answer_due_on", FAR),
        **fields,
    )


def test_it_counts_working_days_over_christmas(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """Acknowledgement due Monday 28.12.2026: Christmas Eve and Christmas Day are days off,
    so the reminder goes on Tuesday 22.12 (two working days before), not on Monday 21.12."""
    challenge = _received(personas, acknowledge_due_on=date(2026, 12, 28))
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(today=date(2026, 12, 21)) == 0
        assert reminders_send(today=date(2026, 12, 22)) == 1
    assert _kinds("secretariat") == [ReminderKind.ACKNOWLEDGE_SOON]
    assert [message.to for message in mail.outbox] == [["secretariat@example.org"]]
    assert str(challenge.reference) in mail.outbox[0].subject
    assert "28 Dec 2026" in mail.outbox[0].subject
    assert _kinds("practitioner") == []


def test_it_is_idempotent_and_quiet_on_days_off(personas: Personas) -> None:
    """A second run on the same day sends nothing; "due soon" goes once; nothing goes on a
    public holiday; "overdue" goes on the next working day, then again a week later."""
    _received(personas, acknowledge_due_on=date(2026, 12, 28))
    assert reminders_send(today=date(2026, 12, 22)) == 1
    assert reminders_send(today=date(2026, 12, 22)) == 0
    assert reminders_send(today=date(2026, 12, 23)) == 0
    assert reminders_send(today=date(2026, 12, 24)) == 0  # Christmas Eve
    assert reminders_send(today=date(2026, 12, 28)) == 0  # due today: already reminded
    assert reminders_send(today=date(2026, 12, 29)) == 1
    assert reminders_send(today=date(2026, 12, 29)) == 0
    assert reminders_send(today=date(2026, 12, 30)) == 0
    assert reminders_send(today=date(2027, 1, 5)) == 1
    assert reminders_send(today=date(2027, 1, 6)) == 0  # Epiphany
    assert _kinds("secretariat") == [
        ReminderKind.ACKNOWLEDGE_SOON,
        ReminderKind.ACKNOWLEDGE_OVERDUE,
        ReminderKind.ACKNOWLEDGE_OVERDUE,
    ]
    assert list(SentReminder.objects.order_by("day").values_list("day", flat=True)) == [
        date(2026, 12, 22),
        date(2026, 12, 29),
        date(2027, 1, 5),
    ]


def test_it_counts_working_days_over_easter(personas: Personas) -> None:
    """Due Tuesday 30.3.2027, after Good Friday and Easter Monday: nothing on Tuesday 23.3
    (three working days before), a reminder on Wednesday 24.3."""
    _received(personas, acknowledge_due_on=date(2027, 3, 30))
    assert reminders_send(today=date(2027, 3, 23)) == 0
    assert reminders_send(today=date(2027, 3, 24)) == 1
    assert reminders_send(today=date(2027, 3, 26)) == 0  # Good Friday


def test_an_unowned_challenge_reminds_every_coordinator(personas: Personas) -> None:
    """No owner (or an owner who left): every active coordinator hears, the secretariat not."""
    other = make_membership(organisation=make_organisation(), role="coordinator").user
    _received(personas, acknowledge_due_on=date(2026, 12, 28), owner=None)
    gone = _received(personas, acknowledge_due_on=date(2026, 12, 28), owner=personas.secretariat2)
    personas.secretariat2.is_active = False
    personas.secretariat2.save(update_fields=["is_active"])
    assert reminders_send(today=date(2026, 12, 22)) == 2
    assert _kinds("coordinator") == [ReminderKind.ACKNOWLEDGE_SOON] * 2
    assert _kinds(other.username) == [ReminderKind.ACKNOWLEDGE_SOON] * 2
    assert _kinds("secretariat") == [] and _kinds("secretariat2") == []
    assert SentReminder.objects.get(target_id=str(gone.pk)).recipient_count == 2


def test_it_follows_the_clock_that_runs(personas: Personas) -> None:
    """Acknowledged challenges are reminded of the answer; answered and closed ones not."""
    answer_soon = make_challenge(
        status=ChallengeStatus.ACKNOWLEDGED,
        owner=personas.secretariat,
        acknowledge_due_on=date(2026, 11, 1),
        answer_due_on=date(2026, 12, 23),
    )
    make_challenge(
        status=ChallengeStatus.ANSWERED,
        owner=personas.secretariat,
        acknowledge_due_on=date(2026, 11, 1),
        answer_due_on=date(2026, 12, 1),
        answered_at=timezone.now(),
    )
    make_challenge(
        status=ChallengeStatus.DECLINED,
        owner=personas.secretariat,
        acknowledge_due_on=date(2026, 11, 1),
        answer_due_on=date(2026, 12, 1),
    )
    make_challenge(
        status=ChallengeStatus.UNDER_CONSIDERATION,
        owner=personas.secretariat,
        acknowledge_due_on=date(2026, 11, 1),
        answer_due_on=date(2026, 12, 1),
        answered_at=timezone.now(),
    )
    assert reminders_send(today=date(2026, 12, 21)) == 1
    assert _kinds("secretariat") == [ReminderKind.ANSWER_SOON]
    reminder = SentReminder.objects.get()
    assert reminder.target_id == str(answer_soon.pk)


def test_a_received_challenge_can_owe_both_clocks(personas: Personas) -> None:
    """Still not acknowledged when the answer is overdue too: both reminders go."""
    _received(personas, acknowledge_due_on=date(2026, 10, 1), answer_due_on=date(2026, 11, 20))
    assert reminders_send(today=date(2026, 12, 1)) == 2
    assert set(_kinds("secretariat")) == {
        ReminderKind.ACKNOWLEDGE_OVERDUE,
        ReminderKind.ANSWER_OVERDUE,
    }


def test_the_command_sends_for_a_given_day(personas: Personas) -> None:
    """`voice_send_reminders --date` sends that day's reminders once and says how many."""
    _received(personas, acknowledge_due_on=date(2026, 12, 28))
    out = StringIO()
    call_command("voice_send_reminders", "--date", "2026-12-22", stdout=out)
    assert "Sent 1 reminders for 2026-12-22." in out.getvalue()
    call_command("voice_send_reminders", "--date", "2026-12-22", stdout=out)
    assert "Sent 0 reminders for 2026-12-22." in out.getvalue()
    with pytest.raises(CommandError):
        call_command("voice_send_reminders", "--date", "22.12.2026")


def test_the_task_sends_todays_reminders(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The task uses the local date, for schedulers that enqueue tasks."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2026, 12, 22))
    _received(personas, acknowledge_due_on=date(2026, 12, 28))
    assert reminders_send_task.call() == 1
    assert reminders_send_task.call() == 0
