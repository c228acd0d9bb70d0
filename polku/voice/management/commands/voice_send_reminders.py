"""Reminds owners of challenges whose acknowledgement or answer is due soon or overdue."""

from datetime import date

from polku.core.management.daily import DailyCommand
from polku.voice.services.triage import reminders_send


class Command(DailyCommand):
    help = (
        "Sends the day's response-clock reminders to the owners of challenges (or to the "
        "coordinators when a challenge has no owner). Safe to run more than once a day: each "
        "reminder goes at most once a day. Run daily, e.g. from cron on weekday mornings."
    )

    def run_for(self, today: date) -> str:
        sent = reminders_send(today=today)
        return f"Sent {sent} reminders for {today.isoformat()}."
