"""Lifting the audit table's append-only triggers for the length of one transaction.

Only a role that owns the table (PostgreSQL) or can write the database file (SQLite) can do
this; the application's own database role cannot in production (docs/adr/0003-audit-log.md).
It exists so that `flush` can empty a development or test database, and so that tests can
tamper with the log to prove that `audit_verify` notices.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from polku.audit.models import AuditEvent

TABLE = AuditEvent._meta.db_table


def trigger_names(*, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The user-defined triggers on the audit table."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal"
                " AND tgenabled <> 'D' ORDER BY tgname",
                [TABLE],
            )
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s"
                " ORDER BY name",
                [TABLE],
            )
        else:
            return []
        return [row[0] for row in cursor.fetchall()]


@contextmanager
def append_only_suspended(*, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Lets the block update and delete audit events; the triggers return when it ends.

    Everything happens inside one transaction, so the triggers are back even if the block
    fails, and no other connection ever sees the table unprotected.
    """
    connection = connections[using]
    if TABLE not in connection.introspection.table_names():
        yield
        return
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            quoted = connection.ops.quote_name(TABLE)
            cursor.execute(f"ALTER TABLE {quoted} DISABLE TRIGGER USER")
            yield
            cursor.execute(f"ALTER TABLE {quoted} ENABLE TRIGGER USER")
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [TABLE],
            )
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
            yield
            for _name, sql in triggers:
                cursor.execute(sql)
        else:
            yield
