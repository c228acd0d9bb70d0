"""The database refuses to update, delete or truncate audit events, on SQLite and PostgreSQL."""

from collections.abc import Callable, Iterator

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from polku.audit.append_only import append_only_suspended, trigger_names
from polku.audit.models import AuditEvent
from polku.audit.selectors import chain_verify
from polku.audit.services import audit_write

TABLE = AuditEvent._meta.db_table


def _raw(sql: str, params: list[int] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _save_changed(event: AuditEvent) -> None:
    event.action = "test.event.forged"
    event.save()


REFUSALS: list[tuple[str, Callable[[AuditEvent], object]]] = [
    ("save() of a changed event", _save_changed),
    ("queryset update()", lambda e: AuditEvent.objects.filter(pk=e.pk).update(action="x.y.z")),
    ("delete() of an event", lambda e: e.delete()),
    ("queryset delete()", lambda e: AuditEvent.objects.filter(pk=e.pk).delete()),
    ("raw UPDATE", lambda e: _raw(f"UPDATE {TABLE} SET action = 'x' WHERE id = %s", [e.pk])),  # noqa: S608
    ("raw DELETE of one row", lambda e: _raw(f"DELETE FROM {TABLE} WHERE id = %s", [e.pk])),  # noqa: S608
    ("raw DELETE of every row", lambda e: _raw(f"DELETE FROM {TABLE}")),  # noqa: S608
]


@pytest.mark.parametrize(("name", "attempt"), REFUSALS, ids=[name for name, _ in REFUSALS])
def test_it_refuses_to_change_or_delete_an_event(
    db: None, name: str, attempt: Callable[[AuditEvent], object]
) -> None:
    """Every way of changing or deleting an event fails, and the event stays as written."""
    event = audit_write(actor=None, action="test.event.kept", after={"value": 1})
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        attempt(event)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.action == "test.event.kept"
    assert stored.hash == event.hash
    assert chain_verify().ok


@pytest.mark.only_postgresql  # SQLite has no TRUNCATE.
def test_it_refuses_to_truncate_the_table(db: None) -> None:
    """TRUNCATE is refused on PostgreSQL, even on an empty table."""
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        _raw(f"TRUNCATE {TABLE}")
    audit_write(actor=None, action="test.event.kept")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        _raw(f"TRUNCATE {TABLE}")
    assert AuditEvent.objects.count() == 1


def test_it_still_appends_events(db: None) -> None:
    """The triggers leave INSERT alone."""
    audit_write(actor=None, action="test.event.one")
    audit_write(actor=None, action="test.event.two")
    assert AuditEvent.objects.count() == 2


def test_the_triggers_are_installed_by_the_migration(db: None) -> None:
    """The migration leaves triggers on the audit table of either database."""
    expected = {
        "postgresql": ["audit_auditevent_append_only", "audit_auditevent_no_truncate"],
        "sqlite": ["audit_auditevent_no_delete", "audit_auditevent_no_update"],
    }[connection.vendor]
    assert trigger_names() == expected


def test_suspending_lasts_only_for_the_block(db: None) -> None:
    """Inside the block events can be changed; after it the table refuses again."""
    event = audit_write(actor=None, action="test.event.original")
    installed = trigger_names()
    with append_only_suspended():
        AuditEvent.objects.filter(pk=event.pk).update(action="test.event.changed")
    assert trigger_names() == installed
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="test.event.again")
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event.changed"


def test_suspending_is_undone_when_the_block_fails(db: None) -> None:
    """A failure inside the block rolls back its changes and brings the triggers back."""
    event = audit_write(actor=None, action="test.event.original")
    installed = trigger_names()
    with pytest.raises(RuntimeError), append_only_suspended():
        AuditEvent.objects.filter(pk=event.pk).update(action="test.event.changed")
        raise RuntimeError
    assert trigger_names() == installed
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event.original"


def test_flush_empties_the_log_and_keeps_it_protected(db: None) -> None:
    """`flush` can still empty a development database, and the triggers survive it."""
    audit_write(actor=None, action="test.event.one")
    installed = trigger_names()
    call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 0
    assert trigger_names() == installed
    event = audit_write(actor=None, action="test.event.after_flush")
    with pytest.raises(IntegrityError), transaction.atomic():
        event.delete()


def test_flush_fails_cleanly_for_a_role_that_cannot_lift_the_triggers(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the database role does not own the table, flush stops with an explanation
    and the log is untouched."""
    from contextlib import contextmanager

    from django.core.management.base import CommandError
    from django.db import ProgrammingError

    from polku.audit.management.commands import flush

    @contextmanager
    def not_owner(*, using: str) -> Iterator[None]:
        raise ProgrammingError("must be owner of table audit_auditevent")
        yield

    monkeypatch.setattr(flush, "append_only_suspended", not_owner)
    audit_write(actor=None, action="test.event.kept")
    with pytest.raises(CommandError, match="append-only"):
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.filter(action="test.event.kept").exists()


def test_flush_asks_before_emptying(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Answering anything but "yes" leaves the database as it was."""
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    audit_write(actor=None, action="test.event.kept")
    call_command("flush", verbosity=0)
    assert AuditEvent.objects.count() == 1
