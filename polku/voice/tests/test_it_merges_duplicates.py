"""Merging a duplicate into the challenge that continues."""

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conftest import PERSONA_NAMES, ClientFor, Personas
from polku.actors.tests.factories import make_membership, make_user
from polku.audit.models import AuditEvent
from polku.notifications.models import Notification
from polku.voice.choices import ChallengeStatus
from polku.voice.models import Challenge, Endorsement, Follower
from polku.voice.services import challenge_follow
from polku.voice.services.triage import challenge_merge
from polku.voice.tests.factories import make_challenge, make_endorsement

TRIAGE = {"coordinator", "secretariat", "secretariat2"}


def _told(kind: str = "voice.merge") -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_it_moves_people_and_marks_the_duplicate_merged(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """Endorsements and followers move once per person, the duplicate is merged with a
    timeline entry on both, everyone concerned is told, and the merge is audited."""
    second = make_user(username="second")
    make_membership(user=second, organisation=personas.police, role="practitioner")
    duplicate = make_challenge(submitted_by=second, title="Duplicate")
    into = make_challenge(submitted_by=personas.practitioner, title="Survivor")
    both = make_user(username="both")
    make_endorsement(challenge=duplicate, user=both, comment="On the duplicate")
    make_endorsement(challenge=into, user=both, comment="On the survivor")
    make_endorsement(challenge=duplicate, user=personas.ngo)
    # The survivor's submitter endorsed the duplicate: nobody endorses their own challenge.
    make_endorsement(challenge=duplicate, user=personas.practitioner)
    challenge_follow(actor=personas.rapporteur, challenge=duplicate)
    challenge_follow(actor=personas.rapporteur, challenge=into)
    challenge_follow(actor=personas.decisionmaker, challenge=duplicate)
    with django_capture_on_commit_callbacks(execute=True):
        survivor = challenge_merge(
            actor=personas.secretariat,
            duplicate=duplicate,
            into=into,
            note="Both describe the interpreter shortage.",
        )
    assert survivor.pk == into.pk
    duplicate.refresh_from_db()
    assert duplicate.status == ChallengeStatus.MERGED
    assert duplicate.merged_into_id == into.pk
    assert duplicate.closed_at is not None
    assert not duplicate.endorsements.exists() and not duplicate.followers.exists()
    endorsers = sorted(into.endorsements.values_list("user__username", flat=True))
    assert endorsers == ["both", "ngo"]
    assert Endorsement.objects.get(challenge=into, user=both).comment == "On the survivor"
    followers = sorted(into.followers.values_list("user__username", flat=True))
    # The duplicate's submitter keeps hearing about the problem where it continues.
    assert followers == ["decisionmaker", "rapporteur", "second"]
    duplicate_entry = duplicate.events.get(kind="merge")
    assert duplicate_entry.to_status == ChallengeStatus.MERGED
    assert str(into.reference) in duplicate_entry.note
    assert "interpreter shortage" in duplicate_entry.note
    assert str(duplicate.reference) in into.events.get(kind="merge").note
    assert _told() == {"second", "practitioner", "both", "ngo", "rapporteur", "decisionmaker"}
    assert "secretariat@example.org" not in {message.to[0] for message in mail.outbox}
    assert {message.to[0] for message in mail.outbox} == {f"{name}@example.org" for name in _told()}
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"voice.challenge.merge", "voice.challenge.merge_into"} <= actions


@pytest.mark.parametrize(
    ("duplicate_status", "into_status", "same", "message"),
    [
        ("received", "received", True, "cannot be merged into itself"),
        ("merged", "received", False, "has already been merged"),
        ("answered", "received", False, "Only an open challenge can be merged"),
        ("received", "merged", False, "was itself merged"),
        ("received", "declined", False, "is closed"),
        ("received", "draft", False, "is closed"),
    ],
)
def test_it_refuses_merges_the_lifecycle_forbids(
    personas: Personas, duplicate_status: str, into_status: str, same: bool, message: str
) -> None:
    """Into itself, from a merged or closed challenge, into a merged, closed or draft one:
    refused with the reason, and nothing changes."""
    other = make_challenge()
    into = make_challenge(
        status=into_status,
        merged_into=other if into_status == "merged" else None,
        reference=None if into_status == "draft" else f"CH-2026-T{into_status[:4].upper()}",
    )
    duplicate = (
        into
        if same
        else make_challenge(
            status=duplicate_status, merged_into=other if duplicate_status == "merged" else None
        )
    )
    make_endorsement(challenge=duplicate, user=personas.ngo)
    with pytest.raises(ValidationError) as refused:
        challenge_merge(actor=personas.coordinator, duplicate=duplicate, into=into)
    assert message in " ".join(refused.value.messages)
    duplicate.refresh_from_db()
    assert duplicate.status == duplicate_status
    assert duplicate.endorsements.count() == 1
    assert not Notification.objects.exists()


def test_only_the_triage_roles_merge(personas: Personas) -> None:
    """A practitioner cannot merge, even two challenges they can read."""
    duplicate, into = make_challenge(), make_challenge()
    with pytest.raises(PermissionDenied):
        challenge_merge(actor=personas.practitioner, duplicate=duplicate, into=into)
    duplicate.refresh_from_db()
    assert duplicate.status == ChallengeStatus.RECEIVED


def test_a_note_with_personal_data_is_refused(personas: Personas) -> None:
    """The note is read by everyone following, so it is checked like any other text."""
    duplicate, into = make_challenge(), make_challenge()
    with pytest.raises(ValidationError):
        challenge_merge(
            actor=personas.coordinator,
            duplicate=duplicate,
            into=into,
            note="Call her on 040 123 4567.",
        )
    duplicate.refresh_from_db()
    assert duplicate.status == ChallengeStatus.RECEIVED


@pytest.mark.parametrize(
    ("duplicate_protected", "into_protected"),
    [(True, False), (False, True), (True, True)],
    ids=["protected into named", "named into protected", "protected into protected"],
)
def test_a_merge_copies_nothing_about_who_raised_either(
    personas: Personas,
    django_capture_on_commit_callbacks: Any,
    duplicate_protected: bool,
    into_protected: bool,
) -> None:
    """Whatever is protected stays so: no submitter, organisation or revealed profile crosses
    over, and nobody is told as the submitter of a protected challenge."""
    duplicate = make_challenge(
        submitted_by=personas.practitioner,
        is_protected=duplicate_protected,
        revealed_organisation_kind="ngo" if duplicate_protected else "",
    )
    into = make_challenge(
        submitted_by=personas.ngo,
        is_protected=into_protected,
        revealed_organisation_kind="police" if into_protected else "",
    )
    make_endorsement(challenge=duplicate, user=personas.secretariat2)
    with django_capture_on_commit_callbacks(execute=True):
        challenge_merge(actor=personas.coordinator, duplicate=duplicate, into=into)
    into.refresh_from_db()
    duplicate.refresh_from_db()
    assert into.is_protected is into_protected
    assert into.revealed_organisation_kind == ("police" if into_protected else "")
    assert duplicate.revealed_organisation_kind == ("ngo" if duplicate_protected else "")
    if into_protected:
        assert into.submitted_by is None and into.organisation is None
    told = _told()
    assert ("practitioner" in told) is not duplicate_protected
    assert ("ngo" in told) is not into_protected
    assert "secretariat2" in told
    followers = set(Follower.objects.values_list("user__username", flat=True))
    assert ("practitioner" in followers) is not duplicate_protected


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_the_merge_page_answers_as_the_permission_model_says(
    personas: Personas, client_for: ClientFor, persona: str
) -> None:
    """Triage: 200; other insiders: 403; outsiders: 404; anonymous: sent to sign in."""
    duplicate = make_challenge()
    response = client_for(persona).get(reverse("voice:challenge_merge", args=[duplicate.pk]))
    expected = (
        302
        if persona == "anonymous"
        else 200
        if persona in TRIAGE
        else 404
        if persona == "outsider"
        else 403
    )
    assert response.status_code == expected
    posted = client_for(persona).post(
        reverse("voice:challenge_merge", args=[duplicate.pk]),
        {"into": str(make_challenge().reference), "confirm": "yes"},
    )
    duplicate.refresh_from_db()
    if persona in TRIAGE:
        assert posted.status_code == 302
        assert duplicate.status == ChallengeStatus.MERGED
    else:
        assert posted.status_code == expected
        assert duplicate.status == ChallengeStatus.RECEIVED


def test_the_page_asks_for_confirmation_first(personas: Personas, client_for: ClientFor) -> None:
    """Choosing the survivor by reference shows both challenges; only confirming merges."""
    duplicate = make_challenge(title="Night interpreters")
    into = make_challenge(title="Interpreters outside office hours")
    client = client_for("secretariat")
    detail = client.get(duplicate.get_absolute_url()).content.decode()
    assert reverse("voice:challenge_merge", args=[duplicate.pk]) in detail
    checked = client.post(
        reverse("voice:challenge_merge", args=[duplicate.pk]),
        {"into": str(into.reference).lower(), "note": "Same shortage."},
    )
    assert checked.status_code == 200
    page = checked.content.decode()
    assert "Check the merge" in page and "Interpreters outside office hours" in page
    assert 'name="confirm" value="yes"' in page
    duplicate.refresh_from_db()
    assert duplicate.status == ChallengeStatus.RECEIVED
    merged = client.post(
        reverse("voice:challenge_merge", args=[duplicate.pk]),
        {"into": into.reference, "note": "Same shortage.", "confirm": "yes"},
        follow=True,
    )
    assert merged.redirect_chain[-1][0] == into.get_absolute_url()
    assert "was merged into" in merged.content.decode()
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == into.pk


def test_the_page_explains_a_refusal(personas: Personas, client_for: ClientFor) -> None:
    """An unknown reference or a refused merge is shown on the form, and nothing changes."""
    duplicate = make_challenge()
    closed = make_challenge(status=ChallengeStatus.DECLINED)
    client = client_for("secretariat")
    url = reverse("voice:challenge_merge", args=[duplicate.pk])
    unknown = client.post(url, {"into": "CH-1999-NONE0"})
    assert unknown.status_code == 400
    assert "No challenge has that reference" in unknown.content.decode()
    itself = client.post(url, {"into": duplicate.reference, "confirm": "yes"})
    assert itself.status_code == 400
    assert "cannot be merged into itself" in itself.content.decode()
    refused = client.post(url, {"into": closed.reference})
    assert refused.status_code == 400
    assert "is closed" in refused.content.decode()
    assert Challenge.objects.get(pk=duplicate.pk).status == ChallengeStatus.RECEIVED
