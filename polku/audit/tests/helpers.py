"""Tampering with the audit log, to prove that verification notices.

The append-only triggers are lifted only inside the tampering transaction (on PostgreSQL
`ALTER TABLE ... DISABLE TRIGGER USER`, on SQLite the triggers are dropped and recreated),
so the test around it still runs against a protected table.
"""

from typing import Any

from django.db import connection

from polku.audit.append_only import append_only_suspended
from polku.audit.models import AuditEvent
from polku.audit.services import CONTENT_FIELDS

SEAL_FIELDS = ("previous_hash", "hash")


def tamper_update(pk: int, **values: Any) -> None:
    """Overwrites fields of one event, as someone with direct database access could."""
    with append_only_suspended():
        changed = AuditEvent.objects.filter(pk=pk).update(**values)
    assert changed == 1


def tamper_delete(pk: int) -> None:
    """Deletes one event."""
    with append_only_suspended():
        deleted, _ = AuditEvent.objects.filter(pk=pk).delete()
    assert deleted == 1


def tamper_move(pk: int, new_pk: int) -> None:
    """Gives an event another id, which moves it elsewhere in the chain's order."""
    with append_only_suspended(), connection.cursor() as cursor:
        table = connection.ops.quote_name(AuditEvent._meta.db_table)
        cursor.execute(f"UPDATE {table} SET id = %s WHERE id = %s", [new_pk, pk])  # noqa: S608


def tamper_swap(first_pk: int, second_pk: int, *, with_seals: bool) -> None:
    """Swaps two events' contents; with their seals too, which reorders the two events."""
    fields = CONTENT_FIELDS + (SEAL_FIELDS if with_seals else ())
    first = AuditEvent.objects.values(*fields).get(pk=first_pk)
    second = AuditEvent.objects.values(*fields).get(pk=second_pk)
    with append_only_suspended():
        if with_seals:
            # Both seal columns are unique, so one row steps aside first.
            AuditEvent.objects.filter(pk=first_pk).update(previous_hash="swap", hash="swap")
        AuditEvent.objects.filter(pk=second_pk).update(**first)
        AuditEvent.objects.filter(pk=first_pk).update(**second)
