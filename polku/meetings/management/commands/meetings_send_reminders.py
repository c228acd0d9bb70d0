"""Reminds owners and deputies of actions due soon or overdue."""

from datetime import date

from polku.core.management.daily import DailyCommand
from polku.meetings.services.reminders import reminders_send


class Command(DailyCommand):
    help = (
        "Sends the day's reminders of actions to their owners and deputies: a week and a day "
        "before the due date, then weekly while overdue. Safe to run more than once a day: "
        "each reminder goes at most once a day. Run daily, e.g. from cron every morning."
    )

    def run_for(self, today: date) -> str:
        sent = reminders_send(today=today)
        return f"Reminded {sent} actions for {today.isoformat()}."
