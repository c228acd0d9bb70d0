"""Reminds owners and deputies of actions due soon or overdue."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from polku.meetings.services.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "Sends the day's reminders of actions to their owners and deputies: a week and a day "
        "before the due date, then weekly while overdue. Safe to run more than once a day: "
        "each reminder goes at most once a day. Run daily, e.g. from cron every morning."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", help="The day to send for, as YYYY-MM-DD (default: today).", default=""
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError("Give the date as YYYY-MM-DD.") from error
        sent = reminders_send(today=today)
        self.stdout.write(f"Reminded {sent} actions for {today.isoformat()}.")
