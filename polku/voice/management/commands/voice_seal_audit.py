"""Seals the anonymous audit records of protected challenges from earlier days."""

from typing import Any

from django.core.management.base import BaseCommand

from polku.voice.services import protected_audit_seal


class Command(BaseCommand):
    help = (
        "Writes the anonymous audit records of protected submissions and follow-up code use "
        "from earlier days into the audit log, in random order. Run once a day, e.g. at night."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sealed = protected_audit_seal()
        self.stdout.write(f"Sealed {sealed} anonymous audit records.")
