"""Reminders of actions falling due and overdue, to their owners and deputies.

Run once a day (`manage.py meetings_send_reminders`, or the task in
`polku.meetings.tasks_reminders`). A week before the due date and again the day before, each
open action's owner and deputy hear once; once it is overdue, they hear weekly until it is
done or cancelled. Each reminder is recorded with `reminder_record`, so a second run the same
day sends nothing more.
"""

from collections.abc import Callable
from datetime import date, timedelta

from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from polku.accounts.models import User
from polku.audit.services import audit_write
from polku.meetings.choices import OPEN_ACTION_STATUSES
from polku.meetings.models import ActionItem
from polku.notifications.models import SentReminder
from polku.notifications.services import notify, reminder_record


class ReminderKind:
    DUE_IN_7_DAYS = "meetings.action_due_in_7_days"
    DUE_IN_1_DAY = "meetings.action_due_in_1_day"
    OVERDUE = "meetings.action_overdue"

    ALL = (DUE_IN_7_DAYS, DUE_IN_1_DAY, OVERDUE)


# Before the due date: (kind, days ahead), narrowest window first. Each goes once per due
# date, on the first run inside its window.
DUE_SOON = ((ReminderKind.DUE_IN_1_DAY, 1), (ReminderKind.DUE_IN_7_DAYS, 7))
# An overdue reminder is repeated this many days after the last one.
OVERDUE_REPEAT_DAYS = 7


def _last_sent(actions: list[ActionItem]) -> dict[tuple[str, str], date]:
    last: dict[tuple[str, str], date] = {}
    rows = (
        SentReminder.objects.filter(
            target_type__app_label="meetings",
            target_type__model="actionitem",
            target_id__in=[str(action.pk) for action in actions],
            kind__in=ReminderKind.ALL,
        )
        .order_by("day")
        .values_list("target_id", "kind", "day")
    )
    for target_id, kind, day in rows:
        last[(target_id, kind)] = day
    return last


def reminders_due(*, today: date) -> list[tuple[ActionItem, str]]:
    """The reminders that should go out today: (action, kind)."""
    horizon = today + timedelta(days=max(days for _kind, days in DUE_SOON))
    actions = list(
        ActionItem.objects.filter(status__in=OPEN_ACTION_STATUSES, due_on__lte=horizon)
        .select_related("owner", "deputy", "item__meeting", "body")
        .order_by("due_on", "pk")
    )
    last_sent = _last_sent(actions)
    due: list[tuple[ActionItem, str]] = []
    for action in actions:
        key = str(action.pk)
        days_left = (action.due_on - today).days
        if days_left < 0:
            last = last_sent.get((key, ReminderKind.OVERDUE))
            # A reminder sent on or before the due date belongs to an earlier due date.
            if last is None or last <= action.due_on or (today - last).days >= OVERDUE_REPEAT_DAYS:
                due.append((action, ReminderKind.OVERDUE))
            continue
        for kind, days in DUE_SOON:
            if days_left <= days:
                last = last_sent.get((key, kind))
                if last is None or last < action.due_on - timedelta(days=days):
                    due.append((action, kind))
                break
    return due


def _title(kind: str, action: ActionItem) -> Callable[[], str]:
    def title() -> str:
        values = {
            "title": action.title,
            "due": formats.date_format(action.due_on, "SHORT_DATE_FORMAT"),
        }
        if kind == ReminderKind.OVERDUE:
            return _("Overdue since %(due)s: %(title)s") % values
        return _("Due %(due)s: %(title)s") % values

    return title


def _body(action: ActionItem) -> Callable[[], str]:
    def body() -> str:
        source = action.item.meeting.title if action.item else action.body.display_name
        return _(
            "You own or deputise for this action from %(source)s. Report progress in Polku, "
            "or mark it done."
        ) % {"source": source}

    return body


def reminders_send(*, today: date) -> int:
    """Reminds owners and deputies of actions due soon or overdue; returns how many actions.

    Idempotent within a day: each action gets at most one reminder of a kind a day.
    """
    sent = 0
    for action, kind in reminders_due(today=today):
        recipients: list[User] = [
            person
            for person in (action.owner, action.deputy)
            if person is not None and person.is_active
        ]
        if not recipients:
            continue
        with transaction.atomic():
            if not reminder_record(
                target=action, kind=kind, day=today, recipient_count=len(recipients)
            ):
                continue
            notify(
                recipients=recipients,
                kind=kind,
                title=_title(kind, action),
                body=_body(action),
                url=action.get_absolute_url(),
                target=action,
            )
            audit_write(
                actor=None,
                action="meetings.action.remind",
                target=action,
                detail={"kind": kind, "day": today.isoformat(), "recipients": len(recipients)},
            )
        sent += 1
    return sent
