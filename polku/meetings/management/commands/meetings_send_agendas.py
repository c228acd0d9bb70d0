"""Sends the agendas of meetings whose agenda is due."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from polku.meetings.services.agenda import agendas_send_due


class Command(BaseCommand):
    help = (
        "E-mails each scheduled meeting's agenda to its invitees when the meeting's "
        "'send the agenda this many days before' has come and the agenda has not been sent. "
        "Safe to run more than once a day: an agenda goes once. Run daily, e.g. from cron."
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
        sent = agendas_send_due(today=today)
        self.stdout.write(f"Sent {sent} agendas for {today.isoformat()}.")
