"""Sends the daily e-mail digests of notifications."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from polku.notifications.tasks import digests_send


class Command(BaseCommand):
    help = (
        "E-mails everyone who chose the daily digest one message listing their unread "
        "notifications of the last seven days that have not been e-mailed yet. Safe to run "
        "more than once, even at the same time: each notification is e-mailed at most once. "
        "Run daily, e.g. from cron every morning."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run = digests_send()
        self.stdout.write(f"Sent {run.digests} digests covering {run.notifications} notifications.")
        if run.failed:
            raise CommandError(
                f"{run.failed} digests could not be sent; their notifications stay unmailed "
                "and the next run sends them."
            )
