"""A guideline moves draft → consultation → revised → approved → published → superseded or
withdrawn through its services, and every other move is refused with a clear message."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import Personas
from polku.accounts.models import User
from polku.audit.models import AuditEvent
from polku.guidelines import services
from polku.guidelines.choices import TRANSITIONS, GuidelineStatus
from polku.guidelines.models import Guideline, GuidelineEvent
from polku.guidelines.tests.factories import make_comment, make_consultation, make_guideline
from polku.voice.choices import ChallengeStatus
from polku.voice.models import Outcome
from polku.voice.tests.factories import make_challenge, sector

S = GuidelineStatus


def _input(personas: Personas, **overrides: object) -> services.GuidelineInput:
    values: dict[str, object] = {
        "organisation": personas.interior,
        "scope": "Police, border guards and labour inspectors meeting possible victims.",
        "audiences": ["first_responders", "labour_inspectors"],
        "sectors": [sector("police")],
    }
    values.update(overrides)
    return services.GuidelineInput(**values)  # type: ignore[arg-type]


def test_it_walks_the_whole_lifecycle(personas: Personas) -> None:
    """Each step is recorded in the history and the audit log; publication addresses challenges."""
    challenge = make_challenge(
        submitted_by=personas.practitioner, status=ChallengeStatus.ACKNOWLEDGED
    )
    drafter = personas.secretariat
    guideline = services.guideline_create(
        actor=drafter,
        data=_input(personas, challenges=[challenge]),
        title="Referring victims to assistance",
        body="First paragraph.\n\nSecond paragraph.",
    )
    assert guideline.status == S.DRAFT
    assert guideline.slug == "referring-victims-to-assistance"
    assert guideline.languages == "en"
    consultation = services.consultation_open(
        actor=drafter,
        guideline=guideline,
        deadline=timezone.localdate() + timedelta(days=14),
        organisations=[personas.ngo_org],
        people=[personas.practitioner],
    )
    guideline.refresh_from_db()
    assert guideline.status == S.CONSULTATION
    comment = services.comment_add(
        actor=personas.ngo,
        consultation=consultation,
        body="Name the assistance system's phone number.",
        language="en",
        paragraph_id=guideline.current_version.texts.get().paragraphs[1]["id"],  # type: ignore[union-attr]
    )
    with pytest.raises(ValidationError, match="open until"):
        services.guideline_revise(actor=drafter, guideline=guideline)
    services.consultation_close(actor=drafter, consultation=consultation)
    with pytest.raises(ValidationError, match="1 still unanswered"):
        services.guideline_revise(actor=drafter, guideline=guideline)
    services.comment_answer(actor=drafter, comment=comment, response="accepted")
    guideline = services.guideline_revise(actor=drafter, guideline=guideline)
    assert guideline.status == S.REVISED
    services.guideline_save_text(
        actor=drafter,
        guideline=guideline,
        language="en",
        title="Referring victims to assistance",
        body="First paragraph.\n\nSecond paragraph, with the phone number 0295 463 177.",
        note="Phone number added",
    )
    guideline = services.guideline_approve(
        actor=drafter,
        guideline=guideline,
        approved_on=timezone.localdate(),
        body=personas.secretariat_body,
    )
    assert guideline.status == S.APPROVED
    assert guideline.approved_by_body == personas.secretariat_body
    guideline = services.guideline_publish(actor=drafter, guideline=guideline)
    assert guideline.status == S.PUBLISHED
    assert guideline.published_version is not None
    assert guideline.published_version.number == 2
    outcome = Outcome.objects.get(challenge=challenge)
    assert outcome.kind == "guideline"
    assert outcome.link_id == str(guideline.pk)
    assert outcome.url == guideline.get_absolute_url()
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.ADDRESSED

    successor = services.guideline_create(
        actor=drafter,
        data=_input(personas, replaces=guideline),
        title="Referring victims to assistance, 2nd edition",
        body="Only paragraph.",
    )
    Guideline.objects.filter(pk=successor.pk).update(status=S.APPROVED)
    services.guideline_publish(actor=drafter, guideline=successor)
    guideline.refresh_from_db()
    assert guideline.status == S.SUPERSEDED
    assert guideline.superseded_by == successor
    services.guideline_withdraw(actor=drafter, guideline=successor, reason="The law changed.")
    successor.refresh_from_db()
    assert successor.status == S.WITHDRAWN
    assert successor.withdrawn_reason == "The law changed."

    kinds = list(GuidelineEvent.objects.filter(guideline=guideline).values_list("kind", flat=True))
    assert kinds == [
        "created",
        "consultation",
        "consultation_closed",
        "status",
        "version",
        "status",
        "status",
        "status",
    ]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "guidelines.guideline.create",
        "guidelines.consultation.open",
        "guidelines.comment.add",
        "guidelines.comment.answer",
        "guidelines.guideline.revise",
        "guidelines.guideline.save_text",
        "guidelines.guideline.approve",
        "guidelines.guideline.publish",
        "guidelines.guideline.supersede",
        "guidelines.guideline.withdraw",
    } <= actions


Move = Callable[[User, Guideline, Personas], object]


def _open(actor: User, guideline: Guideline, personas: Personas) -> object:
    return services.consultation_open(
        actor=actor,
        guideline=guideline,
        deadline=timezone.localdate() + timedelta(days=7),
        organisations=[personas.ngo_org],
    )


def _supersede(actor: User, guideline: Guideline, personas: Personas) -> object:
    newer = make_guideline(organisation=personas.interior, status=S.PUBLISHED)
    return services.guideline_supersede(actor=actor, guideline=guideline, by=newer)


MOVES: dict[str, Move] = {
    S.CONSULTATION: _open,
    S.REVISED: lambda actor, guideline, p: services.guideline_revise(
        actor=actor, guideline=guideline
    ),
    S.APPROVED: lambda actor, guideline, p: services.guideline_approve(
        actor=actor, guideline=guideline, approved_on=timezone.localdate()
    ),
    S.PUBLISHED: lambda actor, guideline, p: services.guideline_publish(
        actor=actor, guideline=guideline
    ),
    S.SUPERSEDED: _supersede,
    S.WITHDRAWN: lambda actor, guideline, p: services.guideline_withdraw(
        actor=actor, guideline=guideline, reason="No longer needed."
    ),
}

ILLEGAL = [
    (current, wanted)
    for current in S.values
    for wanted in MOVES
    if wanted not in TRANSITIONS[current]
]
LEGAL = [(current, wanted) for current in S.values for wanted in TRANSITIONS[current]]


@pytest.mark.parametrize(("current", "wanted"), ILLEGAL)
def test_it_refuses_every_illegal_move(personas: Personas, current: str, wanted: str) -> None:
    """The refusal names both states, and the guideline is left exactly as it was."""
    guideline = make_guideline(organisation=personas.interior, status=current)
    with pytest.raises(ValidationError) as refused:
        MOVES[wanted](personas.coordinator, guideline, personas)
    message = " ".join(refused.value.messages)
    assert f"“{S(current).label}” cannot become “{S(wanted).label}”" in message
    guideline.refresh_from_db()
    assert guideline.status == current
    assert not GuidelineEvent.objects.filter(guideline=guideline).exists()


@pytest.mark.parametrize(("current", "wanted"), LEGAL)
def test_it_allows_every_legal_move(personas: Personas, current: str, wanted: str) -> None:
    """Each move the lifecycle names goes through its service and is recorded."""
    guideline = make_guideline(organisation=personas.interior, status=current)
    MOVES[wanted](personas.coordinator, guideline, personas)
    guideline.refresh_from_db()
    assert guideline.status == wanted
    event = GuidelineEvent.objects.get(guideline=guideline)
    assert (event.from_status, event.to_status) == (current, wanted)


@pytest.mark.parametrize("persona", ["practitioner", "ngo", "decisionmaker", "rapporteur", "admin"])
@pytest.mark.parametrize("wanted", sorted(MOVES))
def test_only_drafters_move_a_guideline(personas: Personas, persona: str, wanted: str) -> None:
    """Everyone but the coordinator and the secretariat is refused, whatever the state."""
    current = next(status for status in S.values if wanted in TRANSITIONS[status])
    guideline = make_guideline(organisation=personas.interior, status=current)
    with pytest.raises(PermissionDenied):
        MOVES[wanted](getattr(personas, persona), guideline, personas)
    guideline.refresh_from_db()
    assert guideline.status == current


def test_it_revises_only_after_every_comment_is_answered(personas: Personas) -> None:
    """An ended round with an unanswered comment keeps the guideline in consultation."""
    guideline = make_guideline(organisation=personas.interior, status=S.CONSULTATION)
    consultation = make_consultation(guideline=guideline, people=(personas.ngo,), days_left=-1)
    comment = make_comment(consultation=consultation, author=personas.ngo)
    with pytest.raises(ValidationError, match="Answer every comment"):
        services.guideline_revise(actor=personas.secretariat, guideline=guideline)
    services.comment_answer(
        actor=personas.secretariat, comment=comment, response="not_accepted", reason="Out of scope."
    )
    services.guideline_revise(actor=personas.secretariat, guideline=guideline)
    guideline.refresh_from_db()
    assert guideline.status == S.REVISED


def test_it_clears_the_approval_when_an_approved_guideline_is_revised(personas: Personas) -> None:
    """Sending an approved guideline back for changes leaves no approval record behind."""
    guideline = make_guideline(organisation=personas.interior, status=S.REVISED)
    services.guideline_approve(
        actor=personas.coordinator,
        guideline=guideline,
        approved_on=timezone.localdate(),
        body=personas.secretariat_body,
        note="Approved at the June meeting.",
    )
    revised = services.guideline_revise(actor=personas.coordinator, guideline=guideline)
    assert revised.status == S.REVISED
    assert revised.approved_on is None
    assert revised.approved_by_body is None
    assert revised.approval_note == ""


def test_it_refuses_bad_details_and_changes_nothing(personas: Personas) -> None:
    """Missing audiences, a future approval date and an empty withdrawal reason are refused."""
    with pytest.raises(ValidationError) as refused:
        services.guideline_create(
            actor=personas.secretariat,
            data=_input(personas, audiences=[]),
            title="",
            body="Text.",
        )
    assert "audiences" in refused.value.message_dict
    assert not Guideline.objects.exists()
    guideline = make_guideline(organisation=personas.interior, status=S.REVISED)
    with pytest.raises(ValidationError) as future:
        services.guideline_approve(
            actor=personas.secretariat,
            guideline=guideline,
            approved_on=timezone.localdate() + timedelta(days=1),
        )
    assert "approved_on" in future.value.message_dict
    with pytest.raises(ValidationError) as no_reason:
        services.guideline_withdraw(actor=personas.secretariat, guideline=guideline, reason=" ")
    assert "reason" in no_reason.value.message_dict
    guideline.refresh_from_db()
    assert guideline.status == S.REVISED
