"""Sends the agendas of meetings whose agenda is due."""

from datetime import date

from polku.core.management.daily import DailyCommand
from polku.meetings.services.agenda_sending import agendas_send_due


class Command(DailyCommand):
    help = (
        "E-mails each scheduled meeting's agenda to its invitees when the meeting's "
        "'send the agenda this many days before' has come and the agenda has not been sent. "
        "Safe to run more than once a day: an agenda goes once. Run daily, e.g. from cron."
    )

    def run_for(self, today: date) -> str:
        sent = agendas_send_due(today=today)
        return f"Sent {sent} agendas for {today.isoformat()}."
