"""Writing audit events. Call these inside the transaction of the change they record."""

import hashlib
import ipaddress
import json
import math
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.functional import Promise

from polku.accounts.models import User
from polku.audit.context import RequestContext, current_request
from polku.audit.models import AuditEvent

GENESIS_HASH = "0" * 64

# The fields whose values make up an event's hash, in the order they are read back.
CONTENT_FIELDS = (
    "occurred_at",
    "actor_id",
    "actor_label",
    "kind",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "before",
    "after",
    "detail",
    "ip_address",
    "user_agent",
    "request_id",
)

# Any field with one of these words in its name is redacted from snapshots: the log is
# append-only, so a secret written into it could never be removed again.
SECRET_FIELD_WORDS = ("password", "secret", "token", "key")
REDACTED = "[redacted]"

# Arbitrary constant naming the PostgreSQL advisory lock that serialises chain writers.
CHAIN_LOCK_KEY = 7_401_322_911_026


def snapshot(
    instance: models.Model, fields: list[str] | None = None, *, exclude: Iterable[str] = ()
) -> dict[str, Any]:
    """A JSON-safe picture of a model's concrete fields, for before/after records."""
    excluded = set(exclude)
    values: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in excluded:
            continue
        key = field.attname if field.is_relation else field.name
        if _is_secret(field.name):
            values[key] = REDACTED
            continue
        values[key] = _json_safe(field.value_from_object(instance))
    return values


def _is_secret(name: str) -> bool:
    parts = name.lower().split("_")
    return any(word in parts for word in SECRET_FIELD_WORDS) or "password" in name.lower()


def _clean_text(value: str) -> str:
    # PostgreSQL refuses NUL characters and UTF-8 cannot carry lone surrogates; both would
    # make the event fail to store, or store something other than what was hashed.
    if value.isascii() and "\x00" not in value:
        return value
    return value.encode("utf-8", "replace").decode("utf-8").replace("\x00", "\ufffd")


def _json_safe(value: Any) -> Any:
    """Converts a value into JSON that reads back from every database exactly as written."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        # PostgreSQL's jsonb gives 1e16 back as an integer; integral floats are stored as one.
        return int(value) if value.is_integer() else value
    if isinstance(value, str):
        return _clean_text(str(value))
    if isinstance(value, Mapping):
        return {_clean_text(str(key)): _json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(item) for item in value]
    if isinstance(value, (set, frozenset)):
        items = [_json_safe(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Promise):
        return _clean_text(str(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return _clean_text(str(value))


def _clean_ip(value: str | None) -> str | None:
    """A valid address in one canonical spelling, or nothing."""
    if not value:
        return None
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        if address.scope_id is not None:
            address = ipaddress.IPv6Address(str(address).split("%", 1)[0])
    return str(address)


def _canonical_ip(value: str | None) -> str | None:
    # PostgreSQL's inet type and Python spell some IPv6 addresses differently (::1.2.3.4).
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return value


def _canonical_time(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat()


def content_of(values: Mapping[str, Any]) -> bytes:
    """The canonical serialisation of an event's content, from a mapping of CONTENT_FIELDS."""
    content = {
        "occurred_at": _canonical_time(values["occurred_at"]),
        "actor_id": values["actor_id"],
        "actor_label": values["actor_label"],
        "kind": values["kind"],
        "action": values["action"],
        "target_type": values["target_type"],
        "target_id": values["target_id"],
        "target_label": values["target_label"],
        "before": _json_safe(values["before"]),
        "after": _json_safe(values["after"]),
        "detail": _json_safe(values["detail"]),
        "ip_address": _canonical_ip(values["ip_address"]),
        "user_agent": values["user_agent"],
        "request_id": values["request_id"],
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def canonical_content(event: AuditEvent) -> bytes:
    """The fields an event's hash covers, serialised the same way every time."""
    return content_of({name: getattr(event, name) for name in CONTENT_FIELDS})


def hash_of(*, previous_hash: str, content: bytes) -> str:
    """SHA-256 of the previous event's hash followed by this event's canonical content."""
    return hashlib.sha256(previous_hash.encode() + content).hexdigest()


def compute_hash(*, previous_hash: str, event: AuditEvent) -> str:
    """The hash an event must carry, given the hash of the event before it."""
    return hash_of(previous_hash=previous_hash, content=canonical_content(event))


def _max_length(field_name: str) -> int:
    field = AuditEvent._meta.get_field(field_name)
    assert isinstance(field, models.CharField) and field.max_length is not None
    return field.max_length


def _truncate(value: str, field_name: str) -> str:
    return _clean_text(value)[: _max_length(field_name)]


def _lock_chain() -> None:
    """Makes this transaction the only one extending the chain until it ends.

    On PostgreSQL an advisory lock does it: unlike `SELECT ... FOR UPDATE` on the last row
    it also works on an empty table, a waiter reads the newest head once it gets the lock,
    and it needs no privilege beyond INSERT and SELECT on the table. SQLite runs every
    transaction with BEGIN IMMEDIATE (see settings), which already holds the database's
    single write lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def _record(
    *,
    kind: str,
    actor: User | None,
    action: str,
    target: models.Model | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    detail: dict[str, Any] | None,
    anonymous: bool = False,
) -> AuditEvent:
    if anonymous and actor is not None:
        raise ValueError("An anonymous audit event names no actor.")
    if not action or len(action) > _max_length("action"):
        raise ValueError(f"An audit action must be 1 to 100 characters long, not {action!r}.")
    # An anonymous event carries nothing of the request that wrote it: no address, client or
    # request id that could tie it to the person's other events.
    request = RequestContext() if anonymous else current_request.get()
    user = actor if actor is not None and actor.is_authenticated else None
    with transaction.atomic():
        _lock_chain()
        # Read after taking the lock, so the head is the newest committed event.
        last_hash = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        previous_hash = last_hash or GENESIS_HASH
        event = AuditEvent(
            occurred_at=timezone.now(),
            actor=user,
            actor_label=_truncate(str(user.username), "actor_label") if user is not None else "",
            kind=kind,
            action=_clean_text(action),
            target_type=target._meta.label_lower if target is not None else "",
            target_id=_truncate(str(target.pk), "target_id")
            if target is not None and target.pk is not None
            else "",
            target_label=_truncate(str(target), "target_label") if target is not None else "",
            before=_json_safe(before),
            after=_json_safe(after),
            detail=_json_safe(detail or {}),
            ip_address=_clean_ip(request.ip_address),
            user_agent=_truncate(request.user_agent, "user_agent"),
            request_id=_truncate(request.request_id, "request_id"),
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
    anonymous: bool = False,
) -> AuditEvent:
    """Records a change. Call inside the service's transaction, after its last write.

    Until that transaction ends, other audited writes wait for it (the chain has one head),
    so the audit write belongs at the end of the service. With `anonymous=True` the event
    records no actor and none of the request's address, client or id.
    """
    return _record(
        kind=AuditEvent.Kind.WRITE,
        actor=actor,
        action=action,
        target=target,
        before=before,
        after=after,
        detail=detail,
        anonymous=anonymous,
    )


def audit_access(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    detail: dict[str, Any] | None = None,
    anonymous: bool = False,
) -> AuditEvent:
    """Records a read of protected data (anonymously, as audit_write, when asked)."""
    return _record(
        kind=AuditEvent.Kind.ACCESS,
        actor=actor,
        action=action,
        target=target,
        before=None,
        after=None,
        detail=detail,
        anonymous=anonymous,
    )


def audit_security(
    *,
    actor: User | None,
    action: str,
    detail: dict[str, Any] | None = None,
    target: models.Model | None = None,
) -> AuditEvent:
    """Records a sign-in, sign-out, lock-out or credential change (of `target`, if another's)."""
    return _record(
        kind=AuditEvent.Kind.SECURITY,
        actor=actor,
        action=action,
        target=target,
        before=None,
        after=None,
        detail=detail,
    )
