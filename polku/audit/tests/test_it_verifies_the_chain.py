"""chain_verify finds the first event that was edited, deleted or moved, and only that one."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from polku.accounts.models import User
from polku.actors.tests.factories import make_user
from polku.audit.append_only import append_only_suspended
from polku.audit.context import RequestContext, current_request
from polku.audit.models import AuditEvent
from polku.audit.selectors import ChainProblem, chain_verify
from polku.audit.services import (
    CONTENT_FIELDS,
    GENESIS_HASH,
    audit_access,
    audit_security,
    audit_write,
    content_of,
)
from polku.audit.tests.helpers import tamper_delete, tamper_move, tamper_swap, tamper_update

# Text any database can store: PostgreSQL refuses NUL, UTF-8 refuses lone surrogates.
storable_text = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=12
)
# What callers may pass in before/after/detail, including values that need normalising.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=8,
)
storable_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | storable_text,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(storable_text, children, max_size=3)
    ),
    max_leaves=6,
)
actions = st.from_regex(r"[a-z]{1,8}\.[a-z_]{1,8}\.[a-z_]{1,8}", fullmatch=True)
hex_hashes = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)
# Spellings that PostgreSQL's inet type gives back differently are the ones worth trying.
tricky_addresses = ["::1.2.3.4", "::ffff:1.2.3.4", "0:0:0:0:0:0:0:1", "fe80::1%eth0", "junk"]
addresses = st.none() | st.ip_addresses().map(str) | st.sampled_from(tricky_addresses)


@dataclass(frozen=True)
class EventSpec:
    """One event to write through the services."""

    kind: str
    action: str
    with_actor: bool
    with_target: bool
    before: Any
    after: Any
    detail: Any
    ip_address: str | None
    user_agent: str


event_specs = st.builds(
    EventSpec,
    kind=st.sampled_from(["write", "access", "security"]),
    action=actions,
    with_actor=st.booleans(),
    with_target=st.booleans(),
    before=st.none() | st.dictionaries(st.text(max_size=6), json_values, max_size=3),
    after=st.none() | st.dictionaries(st.text(max_size=6), json_values, max_size=3),
    detail=st.none() | st.dictionaries(st.text(max_size=6), json_values, max_size=3),
    ip_address=addresses,
    user_agent=st.text(max_size=20),
)

# New values for a tampered field, each storable in its column.
FIELD_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "occurred_at": st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ),
    "actor_id": st.none() | st.integers(min_value=1, max_value=10**9),
    "actor_label": storable_text,
    "kind": st.sampled_from(["write", "access", "security"]),
    "action": storable_text.filter(bool),
    "target_type": storable_text,
    "target_id": storable_text,
    "target_label": storable_text,
    "before": storable_json,
    "after": storable_json,
    # The column is NOT NULL, so a tamperer can store any JSON there except SQL NULL.
    "detail": storable_json.filter(lambda value: value is not None),
    "ip_address": st.none() | st.ip_addresses().map(str),
    "user_agent": storable_text,
    "request_id": storable_text,
    "previous_hash": hex_hashes,
    "hash": hex_hashes,
}


def write_event(spec: EventSpec, actor: User) -> AuditEvent:
    token = current_request.set(
        RequestContext(ip_address=spec.ip_address, user_agent=spec.user_agent, request_id="r1")
    )
    try:
        who = actor if spec.with_actor else None
        target = actor if spec.with_target else None
        if spec.kind == "write":
            return audit_write(
                actor=who,
                action=spec.action,
                target=target,
                before=spec.before,
                after=spec.after,
                detail=spec.detail,
            )
        if spec.kind == "access":
            return audit_access(actor=who, action=spec.action, target=target, detail=spec.detail)
        return audit_security(actor=who, action=spec.action, detail=spec.detail)
    finally:
        current_request.reset(token)


def content(pk: int) -> bytes:
    return content_of(AuditEvent.objects.values(*CONTENT_FIELDS).get(pk=pk))


def build_chain(specs: list[EventSpec]) -> list[int]:
    actor = make_user()
    return [write_event(spec, actor).pk for spec in specs]


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs=st.lists(event_specs, min_size=1, max_size=8), chunk_size=st.integers(1, 4))
def test_it_verifies_an_intact_chain_of_any_events(specs: list[EventSpec], chunk_size: int) -> None:
    """Events with any content, written through the services, verify as intact."""
    with transaction.atomic():
        ids = build_chain(specs)
        result = chain_verify(chunk_size=chunk_size)
        assert result.ok, result.message()
        assert result.verified == len(specs)
        assert result.last_id == ids[-1]
        assert result.last_hash == AuditEvent.objects.get(pk=ids[-1]).hash
        transaction.set_rollback(True)


@pytest.mark.django_db
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    specs=st.lists(event_specs, min_size=1, max_size=8),
    tampering=st.sampled_from(["edit", "delete", "swap_rows", "swap_content", "move"]),
    chunk_size=st.integers(1, 4),
    data=st.data(),
)
def test_it_names_the_first_broken_event_after_any_tampering(
    specs: list[EventSpec], tampering: str, chunk_size: int, data: st.DataObject
) -> None:
    """Whatever is edited, deleted, swapped or moved, verification stops at the first event
    whose seal no longer holds, names it, and counts the intact events before it."""
    with transaction.atomic():
        ids = build_chain(specs)
        position = data.draw(st.integers(0, len(ids) - 1), label="position")
        expected_id: int | None
        if tampering == "edit":
            field = data.draw(st.sampled_from(sorted(FIELD_VALUES)), label="field")
            value = data.draw(FIELD_VALUES[field], label="value")
            before_content = content(ids[position])
            before_seal = AuditEvent.objects.values_list(field, flat=True).get(pk=ids[position])
            tamper_update(ids[position], **{field: value})
            if field in ("previous_hash", "hash"):
                assume(value != before_seal)
            else:
                assume(content(ids[position]) != before_content)
            expected_id = ids[position]
            expected_problem = (
                ChainProblem.LINK_BROKEN
                if field == "previous_hash"
                else ChainProblem.CONTENT_CHANGED
            )
            expected_verified = position
        elif tampering == "delete":
            tamper_delete(ids[position])
            if position == len(ids) - 1:
                # Deleting the newest event leaves a shorter, valid chain: only an anchor
                # kept outside the database shows it (see the anchor tests).
                expected_id = None
                expected_verified = len(ids) - 1
            else:
                expected_id = ids[position + 1]
                expected_problem = ChainProblem.LINK_BROKEN
                expected_verified = position
        elif tampering in ("swap_rows", "swap_content"):
            assume(len(ids) >= 2)
            other = data.draw(
                st.integers(0, len(ids) - 1).filter(lambda index: index != position),
                label="other",
            )
            first, second = sorted((position, other))
            if tampering == "swap_content":
                assume(content(ids[first]) != content(ids[second]))
            tamper_swap(ids[first], ids[second], with_seals=tampering == "swap_rows")
            expected_id = ids[first]
            expected_problem = (
                ChainProblem.LINK_BROKEN
                if tampering == "swap_rows"
                else ChainProblem.CONTENT_CHANGED
            )
            expected_verified = first
        else:
            tamper_move(ids[position], ids[-1] + 1)
            if position == len(ids) - 1:
                # A new id for the newest event keeps the order: a gap in ids is normal.
                expected_id = None
                expected_verified = len(ids)
            else:
                expected_id = ids[position + 1]
                expected_problem = ChainProblem.LINK_BROKEN
                expected_verified = position

        result = chain_verify(chunk_size=chunk_size)

        if expected_id is None:
            assert result.ok, result.message()
        else:
            assert result.broken is not None, f"{tampering} at {position} went unnoticed"
            assert result.broken.event_id == expected_id
            assert result.broken.problem == expected_problem
            assert f"#{expected_id}" in result.message()
        assert result.verified == expected_verified
        transaction.set_rollback(True)


def test_it_reports_an_empty_log_as_intact(db: None) -> None:
    """With no events there is nothing to break, and the message says so."""
    result = chain_verify()
    assert result.ok
    assert result.verified == 0
    assert result.last_id is None
    assert result.last_hash == GENESIS_HASH
    assert "empty" in result.message()


def test_it_links_each_event_to_the_one_before(db: None) -> None:
    """The first event follows the genesis hash and each later one its predecessor."""
    first = audit_write(actor=None, action="test.event.first")
    second = audit_access(actor=None, action="test.event.second")
    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.hash
    assert first.hash != second.hash


def test_it_catches_deleted_newest_events_with_an_anchor(db: None) -> None:
    """An anchor kept from an earlier run shows that the newest events were deleted."""
    events = [audit_write(actor=None, action=f"test.event.n{index}") for index in range(4)]
    anchor = {events[-1].pk: events[-1].hash}
    assert chain_verify(anchors=anchor).ok
    tamper_delete(events[-1].pk)
    tamper_delete(events[-2].pk)
    assert chain_verify().ok
    result = chain_verify(anchors=anchor)
    assert result.broken is not None
    assert result.broken.event_id == events[-1].pk
    assert result.broken.problem == ChainProblem.ANCHOR_MISSING


def test_it_catches_a_rewritten_chain_with_an_anchor(db: None) -> None:
    """A chain rewritten with freshly computed hashes passes alone, but not against an anchor."""
    events = [audit_write(actor=None, action=f"test.event.n{index}") for index in range(3)]
    anchor = {events[1].pk: events[1].hash}
    tamper_delete(events[2].pk)
    tamper_delete(events[1].pk)
    rewritten = audit_write(actor=None, action="test.event.forged")
    tamper_move(rewritten.pk, events[1].pk)
    assert chain_verify().ok
    result = chain_verify(anchors=anchor)
    assert result.broken is not None
    assert result.broken.event_id == events[1].pk
    assert result.broken.problem == ChainProblem.ANCHOR_CHANGED


@pytest.mark.only_sqlite  # Only SQLite stores any text in a date column.
def test_it_names_an_event_whose_stored_data_cannot_be_read(db: None) -> None:
    """An impossible date written into the file by hand is reported as an unreadable event."""
    events = [audit_write(actor=None, action=f"test.event.n{index}") for index in range(3)]
    with append_only_suspended(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET occurred_at = '2026-13-45 10:00:00' WHERE id = %s",
            [events[1].pk],
        )
    result = chain_verify()
    assert result.broken is not None
    assert result.broken.event_id == events[1].pk
    assert result.broken.problem == ChainProblem.UNREADABLE
    assert result.verified == 1
