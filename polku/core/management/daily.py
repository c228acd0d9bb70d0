"""The shape of a daily job's command: runs for today, or for the day given with --date."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone


class DailyCommand(BaseCommand):
    """Subclasses say what the day's run does in :meth:`run_for` and return what to print."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", help="The day to run for, as YYYY-MM-DD (default: today).", default=""
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError("Give the date as YYYY-MM-DD.") from error
        self.stdout.write(self.run_for(today))

    def run_for(self, today: date) -> str:
        raise NotImplementedError
