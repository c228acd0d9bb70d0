"""Every change to a challenge reaches the people concerned in the app and by e-mail."""

from typing import Any

from django.core import mail

from conftest import Personas
from polku.notifications.models import Notification
from polku.voice import services
from polku.voice.choices import ChallengeStatus
from polku.voice.tests.factories import challenge_input


def _kinds_for(username: str) -> list[str]:
    return list(
        Notification.objects.filter(recipient__username=username)
        .order_by("created_at", "pk")
        .values_list("kind", flat=True)
    )


def test_each_change_is_told_in_the_app_and_by_email(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """Status, answer, outcome and comment reach the submitter, endorsers and followers; the
    person who made the change hears nothing about it."""
    with django_capture_on_commit_callbacks(execute=True):
        challenge = services.challenge_submit(actor=personas.practitioner, data=challenge_input())
    assert "voice.new" in _kinds_for("coordinator")
    assert _kinds_for("practitioner") == []
    services.challenge_endorse(actor=personas.ngo, challenge=challenge)
    services.challenge_follow(actor=personas.rapporteur, challenge=challenge)
    Notification.objects.all().delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.challenge_transition(
            actor=personas.coordinator,
            challenge=challenge,
            to_status=ChallengeStatus.ACKNOWLEDGED,
        )
        services.challenge_answer(
            actor=personas.coordinator, challenge=challenge, text="Interim answer.", final=False
        )
        services.challenge_record_outcome(
            actor=personas.coordinator, challenge=challenge, kind="other", text="Discussed."
        )
        services.comment_add(actor=personas.ngo, challenge=challenge, body="Same in Oulu.")
    expected = ["voice.status", "voice.answer", "voice.outcome", "voice.comment"]
    assert _kinds_for("practitioner") == expected
    assert _kinds_for("rapporteur") == expected
    assert _kinds_for("ngo") == expected[:3]
    assert _kinds_for("coordinator") == []
    assert len(mail.outbox) == Notification.objects.count()
    notification = Notification.objects.filter(recipient=personas.practitioner).first()
    assert notification is not None
    assert notification.url == challenge.get_absolute_url()
    assert notification.target_id == str(challenge.pk)


def test_a_protected_submitter_is_never_told(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """A protected submission tells nobody; later changes reach only endorsers, followers
    and the owner, never the person who raised it."""
    with django_capture_on_commit_callbacks(execute=True):
        challenge, _code = services.challenge_submit_protected(
            actor=personas.practitioner, data=challenge_input()
        )
    assert not Notification.objects.exists()
    services.challenge_follow(actor=personas.ngo, challenge=challenge)
    with django_capture_on_commit_callbacks(execute=True):
        services.challenge_transition(
            actor=personas.coordinator,
            challenge=challenge,
            to_status=ChallengeStatus.ACKNOWLEDGED,
        )
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"ngo"}
    assert [message.to for message in mail.outbox] == [["ngo@example.org"]]
