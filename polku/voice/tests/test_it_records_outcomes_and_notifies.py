"""Other apps report outcomes through one service, and the people concerned hear of changes."""

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from conftest import Personas
from polku.actors.models import Body
from polku.audit.models import AuditEvent
from polku.voice import services
from polku.voice.choices import ChallengeStatus, EventKind, OutcomeKind
from polku.voice.models import Challenge, Outcome
from polku.voice.tests.factories import challenge_input, make_challenge


def _recipients() -> set[str]:
    return {address for message in mail.outbox for address in message.to}


@pytest.mark.parametrize(
    ("status", "kind", "after"),
    [
        (ChallengeStatus.ON_AGENDA, OutcomeKind.GUIDELINE, ChallengeStatus.ADDRESSED),
        (ChallengeStatus.ACKNOWLEDGED, OutcomeKind.MEASURE, ChallengeStatus.ADDRESSED),
        (ChallengeStatus.ANSWERED, OutcomeKind.BRIEFING, ChallengeStatus.ADDRESSED),
        (
            ChallengeStatus.UNDER_CONSIDERATION,
            OutcomeKind.OTHER,
            ChallengeStatus.UNDER_CONSIDERATION,
        ),
        (ChallengeStatus.DECLINED, OutcomeKind.DECISION, ChallengeStatus.DECLINED),
        (ChallengeStatus.RECEIVED, OutcomeKind.DECISION, ChallengeStatus.RECEIVED),
    ],
)
def test_it_moves_the_status_where_the_lifecycle_allows(
    personas: Personas, status: str, kind: str, after: str
) -> None:
    """Guidelines, measures, briefings and decisions address a challenge when they may."""
    challenge = make_challenge(submitted_by=personas.practitioner, status=status)
    outcome = services.challenge_record_outcome(
        actor=personas.coordinator,
        challenge=challenge,
        kind=kind,
        text="Guideline 4 now tells inspectors to call the police the same day.",
        link=personas.secretariat_body,
    )
    challenge.refresh_from_db()
    assert challenge.status == after
    assert outcome.link_type is not None and outcome.link_type.model_class() is Body
    assert outcome.link_id == str(personas.secretariat_body.pk)
    assert outcome.url_label == str(personas.secretariat_body)
    entry = challenge.events.get(kind=EventKind.OUTCOME)
    assert entry.note.startswith("Guideline 4")
    assert (entry.to_status == ChallengeStatus.ADDRESSED) == (after != status)
    assert AuditEvent.objects.filter(action="voice.challenge.record_outcome").count() == 1


def test_it_sends_a_merged_challenges_outcome_to_the_survivor(personas: Personas) -> None:
    """An outcome reported to a merged challenge lands on the one it was merged into."""
    survivor = make_challenge(submitted_by=personas.ngo, status=ChallengeStatus.ON_AGENDA)
    merged = make_challenge(
        submitted_by=personas.practitioner, status=ChallengeStatus.MERGED, merged_into=survivor
    )
    outcome = services.challenge_record_outcome(
        actor=None,
        challenge=merged,
        kind=OutcomeKind.MEASURE,
        text="Measure 12 funds night-time interpreting.",
        url="https://example.org/measures/12",
        url_label="Measure 12",
    )
    assert outcome.challenge == survivor
    assert Challenge.objects.get(pk=survivor.pk).status == ChallengeStatus.ADDRESSED
    assert Challenge.objects.get(pk=merged.pk).status == ChallengeStatus.MERGED


@pytest.mark.parametrize(
    ("field", "arguments"),
    [
        ("kind", {"kind": "rumour", "text": "Something."}),
        ("text", {"kind": OutcomeKind.OTHER, "text": "  "}),
        ("url", {"kind": OutcomeKind.OTHER, "text": "Done.", "url": "javascript:alert(1)"}),
    ],
)
def test_it_refuses_a_malformed_outcome(
    personas: Personas, field: str, arguments: dict[str, str]
) -> None:
    """A bad kind, an empty text or an unsafe link is refused and nothing is recorded."""
    challenge = make_challenge(submitted_by=personas.practitioner)
    with pytest.raises(ValidationError) as refused:
        services.challenge_record_outcome(
            actor=personas.coordinator,
            challenge=challenge,
            kind=arguments["kind"],
            text=arguments["text"],
            url=arguments.get("url", ""),
        )
    assert field in refused.value.message_dict
    assert not Outcome.objects.exists()


def test_it_tells_the_people_concerned(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """The submitter, endorsers, followers and owner get an e-mail; the actor does not."""
    with django_capture_on_commit_callbacks(execute=True):
        challenge = services.challenge_submit(actor=personas.practitioner, data=challenge_input())
    triage_mail = _recipients()
    assert {"coordinator@example.org", "secretariat@example.org"} <= triage_mail
    assert "practitioner@example.org" not in triage_mail
    services.challenge_endorse(actor=personas.ngo, challenge=challenge)
    services.challenge_follow(actor=personas.rapporteur, challenge=challenge)
    services.challenge_assign_owner(
        actor=personas.coordinator, challenge=challenge, owner=personas.secretariat2
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.challenge_transition(
            actor=personas.secretariat2,
            challenge=challenge,
            to_status=ChallengeStatus.ACKNOWLEDGED,
        )
    assert _recipients() == {
        "practitioner@example.org",
        "ngo@example.org",
        "rapporteur@example.org",
    }
    assert "acknowledged" in mail.outbox[0].subject.lower()
    assert str(challenge.pk) in mail.outbox[0].body


def test_it_never_mails_the_submitter_of_a_protected_challenge(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """Nobody knows who raised a protected challenge, so only endorsers and followers hear."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        challenge, _code = services.challenge_submit_protected(
            actor=personas.practitioner, data=challenge_input()
        )
    assert callbacks == [] and mail.outbox == []
    services.challenge_follow(actor=personas.ngo, challenge=challenge)
    with django_capture_on_commit_callbacks(execute=True):
        services.challenge_answer(actor=personas.coordinator, challenge=challenge, text="Answered.")
    assert _recipients() == {"ngo@example.org"}


def test_it_lets_people_join_the_discussion(personas: Personas) -> None:
    """Endorsements are one per person; comments with personal data are refused; the
    secretariat hides a comment with a reason."""
    challenge = make_challenge(submitted_by=personas.practitioner)
    endorsement = services.challenge_endorse(
        actor=personas.ngo, challenge=challenge, comment="Every summer."
    )
    assert endorsement.organisation == personas.ngo_org
    with pytest.raises(ValidationError, match="already endorse"):
        services.challenge_endorse(actor=personas.ngo, challenge=challenge)
    with pytest.raises(ValidationError, match="You raised"):
        services.challenge_endorse(actor=personas.practitioner, challenge=challenge)
    services.challenge_withdraw_endorsement(actor=personas.ngo, challenge=challenge)
    assert not challenge.endorsements.exists()
    with pytest.raises(ValidationError, match="do not endorse"):
        services.challenge_withdraw_endorsement(actor=personas.ngo, challenge=challenge)
    with pytest.raises(services.PersonalDataFound) as refused:
        services.comment_add(
            actor=personas.ngo, challenge=challenge, body="Ask Leila at leila@example.org."
        )
    assert [item.finding.kind for item in refused.value.findings] == ["name", "email"]
    comment = services.comment_add(actor=personas.ngo, challenge=challenge, body="Same here.")
    with pytest.raises(ValidationError):
        services.comment_hide(actor=personas.coordinator, comment=comment, reason=" ")
    hidden = services.comment_hide(actor=personas.coordinator, comment=comment, reason="Duplicate.")
    assert hidden.hidden_by == personas.coordinator and hidden.hidden_reason == "Duplicate."
    assert AuditEvent.objects.filter(action="voice.comment.hide").get().after == {
        "hidden_reason": "Duplicate."
    }
