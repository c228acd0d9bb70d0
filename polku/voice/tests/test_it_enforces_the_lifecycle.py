"""The services move challenges only along the lifecycle, and refuse everything else."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import Personas
from polku.audit.models import AuditEvent
from polku.voice import services
from polku.voice.choices import (
    CLOSED_STATUSES,
    TRANSITIONS,
    ChallengeStatus,
    EventKind,
)
from polku.voice.models import Challenge, StatusEvent
from polku.voice.tests.factories import make_challenge

STATUSES = list(ChallengeStatus.values)
PAIRS = list(itertools.product(STATUSES, STATUSES))
LEGAL = [(source, target) for source, target in PAIRS if target in TRANSITIONS[source]]
ILLEGAL = [(source, target) for source, target in PAIRS if target not in TRANSITIONS[source]]


def _note_for(source: str, target: str) -> str:
    return (
        "Reason and explanation."
        if target == ChallengeStatus.DECLINED
        or target == ChallengeStatus.ANSWERED
        or source in CLOSED_STATUSES
        else ""
    )


@pytest.mark.parametrize(("source", "target"), LEGAL, ids=[f"{s}->{t}" for s, t in LEGAL])
def test_it_makes_every_legal_move(personas: Personas, source: str, target: str) -> None:
    """A legal move changes the status, records it on the timeline and in the audit log."""
    challenge = make_challenge(submitted_by=personas.practitioner, status=source)
    events_before = StatusEvent.objects.filter(challenge=challenge).count()
    updated = services.challenge_transition(
        actor=personas.secretariat,
        challenge=challenge,
        to_status=target,
        note=_note_for(source, target),
    )
    assert updated.status == target
    assert Challenge.objects.get(pk=challenge.pk).status == target
    event = StatusEvent.objects.filter(challenge=challenge).order_by("-created_at").first()
    assert event is not None
    assert StatusEvent.objects.filter(challenge=challenge).count() == events_before + 1
    assert (event.from_status, event.to_status, event.actor) == (
        source,
        target,
        personas.secretariat,
    )
    assert event.kind == (
        EventKind.ANSWER if target == ChallengeStatus.ANSWERED else EventKind.STATUS
    )
    audit = AuditEvent.objects.filter(action="voice.challenge.transition").get()
    assert audit.before == {"status": source} and audit.after == {"status": target}
    assert (updated.closed_at is not None) == (target in CLOSED_STATUSES)


@pytest.mark.parametrize(("source", "target"), ILLEGAL, ids=[f"{s}->{t}" for s, t in ILLEGAL])
def test_it_refuses_every_illegal_move(personas: Personas, source: str, target: str) -> None:
    """An illegal move is refused with a clear error and changes nothing at all."""
    challenge = make_challenge(submitted_by=personas.practitioner, status=source)
    events_before = StatusEvent.objects.count()
    audits_before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.challenge_transition(
            actor=personas.coordinator, challenge=challenge, to_status=target, note="A note."
        )
    assert "cannot be moved to" in " ".join(refused.value.messages)
    assert Challenge.objects.get(pk=challenge.pk).status == source
    assert StatusEvent.objects.count() == events_before
    assert AuditEvent.objects.count() == audits_before


def test_it_refuses_an_unknown_status(personas: Personas) -> None:
    """A status that does not exist is refused like an illegal move."""
    challenge = make_challenge(submitted_by=personas.practitioner)
    with pytest.raises(ValidationError, match="cannot be moved"):
        services.challenge_transition(
            actor=personas.coordinator, challenge=challenge, to_status="lost"
        )
    assert Challenge.objects.get(pk=challenge.pk).status == ChallengeStatus.RECEIVED


@pytest.mark.parametrize(
    ("source", "target", "field_message"),
    [
        (ChallengeStatus.RECEIVED, ChallengeStatus.DECLINED, "reason for declining"),
        (ChallengeStatus.ACKNOWLEDGED, ChallengeStatus.ANSWERED, "answer"),
        (ChallengeStatus.ANSWERED, ChallengeStatus.UNDER_CONSIDERATION, "taken up again"),
    ],
)
def test_it_requires_a_note_where_one_is_owed(
    personas: Personas, source: str, target: str, field_message: str
) -> None:
    """Declining needs a reason, answering the answer and reopening an explanation."""
    challenge = make_challenge(submitted_by=personas.practitioner, status=source)
    with pytest.raises(ValidationError) as refused:
        services.challenge_transition(
            actor=personas.coordinator, challenge=challenge, to_status=target, note="   "
        )
    assert field_message in " ".join(refused.value.message_dict["note"])
    assert Challenge.objects.get(pk=challenge.pk).status == source


@pytest.mark.parametrize("persona", ["practitioner", "ngo", "decisionmaker", "rapporteur", "admin"])
def test_it_lets_only_the_triage_roles_move_challenges(personas: Personas, persona: str) -> None:
    """Only the coordinator and the secretariat triage; others are refused and nothing changes."""
    challenge = make_challenge(submitted_by=personas.practitioner)
    with pytest.raises(PermissionDenied):
        services.challenge_transition(
            actor=getattr(personas, persona),
            challenge=challenge,
            to_status=ChallengeStatus.ACKNOWLEDGED,
        )
    assert Challenge.objects.get(pk=challenge.pk).status == ChallengeStatus.RECEIVED


def test_it_knows_the_legal_moves_on_the_model(personas: Personas) -> None:
    """can_transition_to follows the lifecycle table."""
    challenge = make_challenge(submitted_by=personas.practitioner)
    assert challenge.can_transition_to(ChallengeStatus.ACKNOWLEDGED)
    assert challenge.can_transition_to(ChallengeStatus.DECLINED)
    assert not challenge.can_transition_to(ChallengeStatus.ON_AGENDA)
    assert not challenge.can_transition_to(ChallengeStatus.MERGED)
    assert not challenge.can_transition_to(ChallengeStatus.RECEIVED)


def test_it_stamps_acknowledgement_once(personas: Personas) -> None:
    """The first move out of "received" sets acknowledged_at; later moves keep it."""
    challenge = make_challenge(submitted_by=personas.practitioner)
    acknowledged = services.challenge_transition(
        actor=personas.coordinator, challenge=challenge, to_status=ChallengeStatus.ACKNOWLEDGED
    )
    assert acknowledged.acknowledged_at is not None
    moved = services.challenge_transition(
        actor=personas.coordinator,
        challenge=challenge,
        to_status=ChallengeStatus.UNDER_CONSIDERATION,
    )
    assert moved.acknowledged_at == acknowledged.acknowledged_at


def test_it_answers_finally_and_in_between(personas: Personas) -> None:
    """An interim answer acknowledges a received challenge; a final one closes it as answered."""
    challenge = make_challenge(submitted_by=personas.practitioner)
    interim = services.challenge_answer(
        actor=personas.secretariat, challenge=challenge, text="We are looking into it.", final=False
    )
    assert interim.status == ChallengeStatus.ACKNOWLEDGED
    final = services.challenge_answer(
        actor=personas.secretariat, challenge=challenge, text="The guidance will change."
    )
    assert final.status == ChallengeStatus.ANSWERED and final.answered_at is not None
    again = services.challenge_answer(
        actor=personas.secretariat, challenge=challenge, text="An addition to the answer."
    )
    assert again.status == ChallengeStatus.ANSWERED
    answers = StatusEvent.objects.filter(challenge=challenge, kind=EventKind.ANSWER)
    assert [event.note for event in answers.order_by("created_at")] == [
        "We are looking into it.",
        "The guidance will change.",
        "An addition to the answer.",
    ]
    with pytest.raises(ValidationError):
        services.challenge_answer(actor=personas.secretariat, challenge=challenge, text=" ")


def test_it_refuses_to_answer_a_declined_challenge_finally(personas: Personas) -> None:
    """A final answer is a status move too, and a declined challenge cannot be answered."""
    challenge = make_challenge(submitted_by=personas.practitioner, status=ChallengeStatus.DECLINED)
    with pytest.raises(ValidationError, match="cannot be moved"):
        services.challenge_answer(actor=personas.secretariat, challenge=challenge, text="Yes.")
    assert Challenge.objects.get(pk=challenge.pk).status == ChallengeStatus.DECLINED


def test_it_assigns_owners_from_the_secretariat_only(personas: Personas) -> None:
    """The owner must be able to triage; the change is an internal timeline entry."""
    challenge = make_challenge(submitted_by=personas.practitioner)
    with pytest.raises(ValidationError):
        services.challenge_assign_owner(
            actor=personas.coordinator, challenge=challenge, owner=personas.ngo
        )
    owned = services.challenge_assign_owner(
        actor=personas.coordinator, challenge=challenge, owner=personas.secretariat2
    )
    assert owned.owner == personas.secretariat2
    entry = StatusEvent.objects.get(challenge=challenge, kind=EventKind.OWNER)
    assert entry.visible_to_submitter is False
    services.challenge_assign_owner(actor=personas.coordinator, challenge=challenge, owner=None)
    assert Challenge.objects.get(pk=challenge.pk).owner is None
