"""Verifies the audit log's hash chain: exits 0 when intact, 1 naming the first broken event."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from polku.audit.selectors import chain_verify


def anchor(value: str) -> tuple[int, str]:
    event_id, separator, event_hash = value.partition(":")
    if not separator or not event_id.isdigit() or len(event_hash) != 64:
        raise ValueError(value)
    return int(event_id), event_hash.lower()


class Command(BaseCommand):
    help = (
        "Walks the audit log in order and recomputes every event's hash. Exits with status 0 "
        "when the chain is intact and 1 at the first event that was edited, deleted or moved."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchor",
            action="append",
            type=anchor,
            default=[],
            metavar="ID:HASH",
            help=(
                "An event id and the hash it had when last verified (as printed by an earlier "
                "run and kept outside the database). Catches deleted events at the end of the "
                "log and a rewritten chain. May be given more than once."
            ),
        )
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=2000,
            help="How many events to read from the database at a time.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["chunk_size"] < 1:
            raise CommandError("--chunk-size must be at least 1.")
        result = chain_verify(chunk_size=options["chunk_size"], anchors=dict(options["anchor"]))
        if not result.ok:
            raise CommandError(result.message())
        self.stdout.write(self.style.SUCCESS(result.message()))
        if result.last_id is not None and options["verbosity"] >= 1:
            self.stdout.write(
                f"Anchor for the next run: --anchor {result.last_id}:{result.last_hash}"
            )
