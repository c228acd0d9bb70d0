"""Rebuilds the similar-challenge index from the submitted challenges."""

from typing import Any

from django.core.management.base import BaseCommand

from polku.voice.similarity import similarity_rebuild


class Command(BaseCommand):
    help = (
        "Rebuilds the trigram index behind the similar-challenge hints, weighing every "
        "challenge by today's frequencies (docs/adr/0010-similar-challenges.md). Run after "
        "loading challenges in bulk, or now and then as the collection grows."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        indexed = similarity_rebuild()
        self.stdout.write(f"Indexed {indexed} challenges.")
