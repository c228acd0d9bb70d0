"""Loads the demo configuration: Finland's structure with fictional people."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from polku.actors import demo as actors_demo
from polku.guidelines import demo as guidelines_demo
from polku.meetings import demo as meetings_demo
from polku.reporting import demo as reporting_demo
from polku.statistics import demo_estimates, demo_returns
from polku.voice import demo as voice_demo


class Command(BaseCommand):
    help = "Loads the demo configuration (needs POLKU_DEMO=1; refused on production settings)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.POLKU_DEMO:
            raise CommandError("Demo data is loaded only when POLKU_DEMO=1 is set.")
        if not settings.DEBUG and not settings.POLKU_DEMO_ALLOW_WITHOUT_DEBUG:
            raise CommandError(
                "Refusing to load demo data with POLKU_DEBUG off. Set "
                "POLKU_DEMO_ALLOW_WITHOUT_DEBUG=1 if this really is a demonstration site."
            )
        created = actors_demo.load()
        summary = ", ".join(f"{count} {name}" for name, count in created.items())
        self.stdout.write(f"Demo data ready (created: {summary}).")
        voice = voice_demo.load()
        self.stdout.write(f"Demo challenges created: {voice['challenges']}.")
        if voice["followup_code"]:
            self.stdout.write(
                f"Follow-up code of a protected demo challenge: {voice['followup_code']}"
            )
        # Meetings before guidelines: the guidelines date their outcomes today, so the
        # challenges' timelines stay in date order.
        meetings = meetings_demo.load()
        self.stdout.write(
            "Demo meetings created: "
            + ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in meetings.items())
            + "."
        )
        guidelines = guidelines_demo.load()
        self.stdout.write(
            f"Demo guidelines created: {guidelines['guidelines']} "
            f"(with {guidelines['comments']} consultation comments)."
        )
        returns = demo_returns.load()
        self.stdout.write(
            f"Demo statistics returns created: {returns['returns']} (validators: "
            f"{returns['validators']}, population years: {returns['population_years']})."
        )
        estimates = demo_estimates.load()
        self.stdout.write(f"Demo population estimates created: {estimates['estimates']}.")
        reports = reporting_demo.load()
        self.stdout.write(
            "Demo annual report: "
            + ", ".join(f"{count} {name}" for name, count in reports.items())
            + "."
        )
        self.stdout.write(f"Demo logins (password: {actors_demo.DEMO_PASSWORD}):")
        for username, title in actors_demo.DEMO_LOGINS:
            self.stdout.write(f"  {username:<15} {title}")
        self.stdout.write("Statistics returns are also filled and validated by:")
        for username, title, organisation in demo_returns.DEMO_LOGINS:
            self.stdout.write(f"  {username:<15} {title}, {organisation}")
