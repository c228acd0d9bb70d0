"""Who may read the audit log: the coordination, and nobody else. Everything starts from nothing."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from polku.accounts.choices import COORDINATION_ROLES
from polku.accounts.models import User
from polku.audit.models import AuditEvent


def can_read_audit_log(user: User | AnonymousUser) -> bool:
    """The coordinator, secretariat members and administrators read the log and verify it."""
    return isinstance(user, User) and user.has_role(*COORDINATION_ROLES)


def audit_event_scope(user: User | AnonymousUser) -> QuerySet[AuditEvent]:
    """Every event for the coordination; none for anyone else."""
    if not can_read_audit_log(user):
        return AuditEvent.objects.none()
    return AuditEvent.objects.all()
