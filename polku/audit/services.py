"""Writing audit events. Call these inside the transaction of the change they record."""

import hashlib
import json
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from polku.accounts.models import User
from polku.audit.context import current_request
from polku.audit.models import AuditEvent

GENESIS_HASH = "0" * 64


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-safe picture of a model's concrete fields, for before/after records."""
    values: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"password"}:
            continue
        value = field.value_from_object(instance)
        values[field.attname if field.is_relation else field.name] = _json_safe(value)
    return values


def _json_safe(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_json_safe(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def canonical_content(event: AuditEvent) -> bytes:
    """The fields an event's hash covers, serialised the same way every time."""
    content = {
        "occurred_at": event.occurred_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "kind": event.kind,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_label": event.target_label,
        "before": event.before,
        "after": event.after,
        "detail": event.detail,
        "ip_address": event.ip_address,
        "user_agent": event.user_agent,
        "request_id": event.request_id,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def compute_hash(*, previous_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256(previous_hash.encode() + canonical_content(event)).hexdigest()


def _record(
    *,
    kind: str,
    actor: User | None,
    action: str,
    target: models.Model | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    detail: dict[str, Any] | None,
) -> AuditEvent:
    request = current_request.get()
    with transaction.atomic():
        # The chain must be extended by one writer at a time.
        last = AuditEvent.objects.select_for_update().order_by("-id").first()
        previous_hash = last.hash if last else GENESIS_HASH
        event = AuditEvent(
            occurred_at=timezone.now(),
            actor=actor if actor is not None and actor.is_authenticated else None,
            actor_label=str(actor.username) if actor is not None and actor.is_authenticated else "",
            kind=kind,
            action=action,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            target_label=str(target)[:300] if target is not None else "",
            before=_json_safe(before),
            after=_json_safe(after),
            detail=_json_safe(detail or {}),
            ip_address=request.ip_address,
            user_agent=request.user_agent,
            request_id=request.request_id,
            previous_hash=previous_hash,
        )
        event.hash = compute_hash(previous_hash=previous_hash, event=event)
        event.save(force_insert=True)
    return event


def audit_write(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Records a change. Call inside the service's transaction."""
    return _record(
        kind=AuditEvent.Kind.WRITE,
        actor=actor,
        action=action,
        target=target,
        before=before,
        after=after,
        detail=detail,
    )


def audit_access(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Records a read of protected data."""
    return _record(
        kind=AuditEvent.Kind.ACCESS,
        actor=actor,
        action=action,
        target=target,
        before=None,
        after=None,
        detail=detail,
    )


def audit_security(
    *, actor: User | None, action: str, detail: dict[str, Any] | None = None
) -> AuditEvent:
    """Records a sign-in, sign-out, lock-out or credential change."""
    return _record(
        kind=AuditEvent.Kind.SECURITY,
        actor=actor,
        action=action,
        target=None,
        before=None,
        after=None,
        detail=detail,
    )
