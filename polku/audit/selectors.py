"""Reads of the audit log, and verification of its hash chain."""

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from polku.accounts.models import User
from polku.audit.models import AuditEvent
from polku.audit.permissions import audit_event_scope
from polku.audit.services import CONTENT_FIELDS, GENESIS_HASH, content_of, hash_of

LIST_FIELDS = (
    "id",
    "occurred_at",
    "actor_label",
    "kind",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "ip_address",
)


@dataclass(frozen=True)
class EventFilters:
    """What the reader asked to narrow the log to; empty values do not filter."""

    search: str = ""
    action: str = ""
    kind: str = ""
    actor: str = ""
    target_type: str = ""
    target_id: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def as_detail(self) -> dict[str, Any]:
        """The filters in use, for the access event that records this read."""
        values = {
            "search": self.search,
            "action": self.action,
            "kind": self.kind,
            "actor": self.actor,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
        }
        return {key: value for key, value in values.items() if value}


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def audit_event_list(
    *, user: User | AnonymousUser, filters: EventFilters | None = None
) -> QuerySet[AuditEvent]:
    """Events the user may read, newest first, narrowed by the filters."""
    filters = filters or EventFilters()
    events = audit_event_scope(user).only(*LIST_FIELDS)
    if filters.search:
        events = events.filter(
            Q(action__icontains=filters.search)
            | Q(actor_label__icontains=filters.search)
            | Q(target_label__icontains=filters.search)
            | Q(target_type__icontains=filters.search)
            | Q(target_id=filters.search)
            | Q(request_id=filters.search)
        )
    if filters.action:
        events = events.filter(action__startswith=filters.action)
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.actor:
        events = events.filter(
            Q(actor_label__iexact=filters.actor)
            | Q(actor_id__in=User.objects.filter(username__iexact=filters.actor).values("pk"))
        )
    if filters.target_type:
        events = events.filter(target_type=filters.target_type)
    if filters.target_id:
        events = events.filter(target_id=filters.target_id)
    if filters.date_from:
        events = events.filter(occurred_at__gte=_start_of(filters.date_from))
    if filters.date_to:
        events = events.filter(occurred_at__lt=_start_of(filters.date_to + timedelta(days=1)))
    return events.order_by("-id")


def audit_event_get(*, user: User | AnonymousUser, pk: int) -> AuditEvent:
    """One event from the user's scope (404 outside it)."""
    return get_object_or_404(audit_event_scope(user), pk=pk)


@dataclass(frozen=True)
class SealCheck:
    """Whether one event still matches its own hash and follows the event before it."""

    content_intact: bool
    link_intact: bool
    previous_id: int | None

    @property
    def ok(self) -> bool:
        return self.content_intact and self.link_intact


def audit_event_seal(*, event: AuditEvent) -> SealCheck:
    """Checks one event's seal, for its detail page; `chain_verify` checks the whole log."""
    previous = (
        AuditEvent.objects.filter(id__lt=event.pk).order_by("-id").values_list("id", "hash").first()
    )
    previous_id, previous_hash = previous if previous else (None, GENESIS_HASH)
    content = content_of({name: getattr(event, name) for name in CONTENT_FIELDS})
    return SealCheck(
        content_intact=hash_of(previous_hash=event.previous_hash, content=content) == event.hash,
        link_intact=event.previous_hash == previous_hash,
        previous_id=previous_id,
    )


class ChainProblem(enum.StrEnum):
    """Ways an event can fail verification."""

    LINK_BROKEN = "link_broken"
    CONTENT_CHANGED = "content_changed"
    UNREADABLE = "unreadable"
    ANCHOR_MISSING = "anchor_missing"
    ANCHOR_CHANGED = "anchor_changed"

    def explanation(self) -> str:
        match self:
            case ChainProblem.LINK_BROKEN:
                return _(
                    "its previous hash does not match the hash of the event before it: "
                    "an event was deleted, events were reordered, or the link was edited"
                )
            case ChainProblem.CONTENT_CHANGED:
                return _(
                    "its content does not match its hash: the event, or its hash, was edited "
                    "after it was written"
                )
            case ChainProblem.UNREADABLE:
                return _("its stored data cannot be read: the row was edited outside Polku")
            case ChainProblem.ANCHOR_MISSING:
                return _(
                    "a hash was written down for it but it no longer exists: the event was "
                    "deleted, or events at the end of the log were"
                )
            case ChainProblem.ANCHOR_CHANGED:
                return _(
                    "its hash differs from the hash written down for it: the log was "
                    "rewritten up to this event"
                )


@dataclass(frozen=True)
class ChainBreak:
    """The first event where the chain fails, and how."""

    event_id: int
    problem: ChainProblem
    expected: str = ""
    found: str = ""


@dataclass(frozen=True)
class VerificationResult:
    """The outcome of walking the whole chain from its first event."""

    verified: int
    last_id: int | None = None
    last_hash: str = GENESIS_HASH
    broken: ChainBreak | None = None
    anchors_checked: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.broken is None

    def message(self) -> str:
        """One sentence for the command's output and the page's message."""
        if self.broken is None:
            if self.last_id is None:
                return _("The audit log is empty; there is nothing to verify.")
            return ngettext(
                "Verified %(count)s audit event: the chain is intact. "
                "The last event is #%(id)s with hash %(hash)s.",
                "Verified %(count)s audit events: the chain is intact. "
                "The last event is #%(id)s with hash %(hash)s.",
                self.verified,
            ) % {"count": self.verified, "id": self.last_id, "hash": self.last_hash}
        return ngettext(
            "The audit chain is broken at event #%(id)s: %(problem)s. "
            "%(count)s event before it was verified.",
            "The audit chain is broken at event #%(id)s: %(problem)s. "
            "%(count)s events before it were verified.",
            self.verified,
        ) % {
            "id": self.broken.event_id,
            "problem": self.broken.problem.explanation(),
            "count": self.verified,
        }


VERIFY_FIELDS = ("id", "previous_hash", "hash", *CONTENT_FIELDS)

# What reading back a row edited outside Polku can raise (for example an impossible date in
# a SQLite file); such a row is reported as unreadable rather than stopping verification.
UNREADABLE_ERRORS = (ValueError, TypeError, AttributeError, KeyError, OverflowError)


def _rows(*, after: int, chunk_size: int) -> Iterator[tuple[Any, ...]]:
    return (
        AuditEvent.objects.filter(id__gt=after)
        .order_by("id")
        .values_list(*VERIFY_FIELDS)
        .iterator(chunk_size=chunk_size)
    )


class _ChainWalk:
    """The state of one walk along the chain: what is verified so far and what comes next."""

    def __init__(self, anchors: dict[int, str]) -> None:
        self.anchors = anchors
        self.expected_previous = GENESIS_HASH
        self.verified = 0
        self.last_id: int | None = None
        self.anchors_checked: list[int] = []

    def step(self, row: tuple[Any, ...]) -> ChainBreak | None:
        """Checks one event against the one before it; returns the break if there is one."""
        event_id, previous_hash, stored_hash, *content = row
        passed = [anchor_id for anchor_id in self.anchors if anchor_id < event_id]
        if passed:
            return ChainBreak(event_id=min(passed), problem=ChainProblem.ANCHOR_MISSING)
        if previous_hash != self.expected_previous:
            return ChainBreak(
                event_id=event_id,
                problem=ChainProblem.LINK_BROKEN,
                expected=self.expected_previous,
                found=previous_hash,
            )
        computed = hash_of(
            previous_hash=previous_hash,
            content=content_of(dict(zip(CONTENT_FIELDS, content, strict=True))),
        )
        if computed != stored_hash:
            return ChainBreak(
                event_id=event_id,
                problem=ChainProblem.CONTENT_CHANGED,
                expected=computed,
                found=stored_hash,
            )
        if event_id in self.anchors:
            anchored = self.anchors.pop(event_id)
            if anchored != stored_hash:
                return ChainBreak(
                    event_id=event_id,
                    problem=ChainProblem.ANCHOR_CHANGED,
                    expected=anchored,
                    found=stored_hash,
                )
            self.anchors_checked.append(event_id)
        self.verified += 1
        self.last_id = event_id
        self.expected_previous = stored_hash
        return None

    def finish(self) -> ChainBreak | None:
        if self.anchors:
            return ChainBreak(event_id=min(self.anchors), problem=ChainProblem.ANCHOR_MISSING)
        return None

    def result(self, broken: ChainBreak | None) -> VerificationResult:
        return VerificationResult(
            verified=self.verified,
            last_id=self.last_id,
            last_hash=self.expected_previous,
            broken=broken,
            anchors_checked=self.anchors_checked,
        )


def _walk_chunk_row_by_row(walk: _ChainWalk, chunk_size: int) -> ChainBreak | None:
    """After a chunk failed to read, reads its rows one at a time to find the bad one."""
    candidates = list(
        AuditEvent.objects.filter(id__gt=walk.last_id or 0)
        .order_by("id")
        .values_list("id", flat=True)[:chunk_size]
    )
    for event_id in candidates:
        try:
            row = AuditEvent.objects.filter(id=event_id).values_list(*VERIFY_FIELDS).get()
        except UNREADABLE_ERRORS as error:
            return ChainBreak(
                event_id=event_id, problem=ChainProblem.UNREADABLE, found=type(error).__name__
            )
        broken = walk.step(row)
        if broken is not None:
            return broken
    return None


def chain_verify(
    *, chunk_size: int = 2000, anchors: dict[int, str] | None = None
) -> VerificationResult:
    """Walks the chain in id order, recomputing every hash; stops at the first break.

    Rows are streamed in chunks, so memory stays flat however long the log is. An anchor
    is an event id with the hash it had when someone wrote it down elsewhere: it catches
    deletions at the end of the log and a chain rewritten from some point onwards, which
    the chain alone cannot show.
    """
    walk = _ChainWalk(dict(anchors or {}))
    while True:
        try:
            for row in _rows(after=walk.last_id or 0, chunk_size=chunk_size):
                broken = walk.step(row)
                if broken is not None:
                    return walk.result(broken)
        except UNREADABLE_ERRORS:
            before = walk.last_id
            broken = _walk_chunk_row_by_row(walk, chunk_size)
            if broken is not None:
                return walk.result(broken)
            if walk.last_id == before:
                break
            continue
        break
    return walk.result(walk.finish())
