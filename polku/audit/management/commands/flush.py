"""Django's `flush`, made able to empty the append-only audit table.

The audit table's triggers refuse DELETE and TRUNCATE, which is what `flush` runs (and what
transactional tests run between tests). This command lifts them for its own transaction only,
which needs a database role that owns the table: the application's role in production
cannot, so there `flush` fails and the log survives.
"""

from typing import Any

from django.core.management.base import CommandError
from django.core.management.commands import flush
from django.db import DatabaseError, connections

from polku.audit.append_only import append_only_suspended


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        database = options["database"]
        if options["interactive"]:
            name = connections[database].settings_dict["NAME"]
            confirm = input(
                f"You have requested a flush of the database.\n"
                f'This will IRREVERSIBLY DESTROY all data currently in the "{name}" database,\n'
                f"including the audit log, and return each table to an empty state.\n"
                f"Are you sure you want to do this?\n\n"
                f"    Type 'yes' to continue, or 'no' to cancel: "
            )
            if confirm != "yes":
                self.stdout.write("Flush cancelled.")
                return
        try:
            with append_only_suspended(using=database):
                super().handle(**{**options, "interactive": False})
        except DatabaseError as error:
            raise CommandError(
                "The audit log is append-only and this database role cannot lift that: "
                "flush needs the role that owns the tables (the one that runs migrate)."
            ) from error
