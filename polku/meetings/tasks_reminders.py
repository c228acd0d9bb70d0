"""The daily reminders of actions, as a task for schedulers that enqueue tasks."""

from django.tasks import task
from django.utils import timezone

from polku.meetings.services.reminders import reminders_send


@task()
def action_reminders_send_task() -> int:
    """Sends today's reminders of actions due soon or overdue; returns how many actions."""
    return reminders_send(today=timezone.localdate())
