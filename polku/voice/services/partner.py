"""Challenges submitted by an organisation's own system through the API."""

from django.db import transaction
from django.utils import timezone

from polku.api.models import ApiToken
from polku.audit.services import audit_write, snapshot
from polku.voice.choices import ChallengeStatus, EventKind
from polku.voice.models import Challenge, StatusEvent
from polku.voice.services.common import (
    TEXT_FIELDS,
    ChallengeInput,
    apply_input,
    check_personal_data,
    new_reference,
    new_sort_key,
    notify_after_commit,
    set_categories,
    start_clocks,
    validate_input,
)
from polku.voice.similarity import similarity_index


def challenge_submit_for_organisation(*, token: ApiToken, data: ChallengeInput) -> Challenge:
    """Submits a challenge on behalf of the organisation an API token acts for.

    No person is named: `submitted_by` stays empty and `organisation` is the token's, and
    the audit event records the token (see docs/adr/0010-similar-challenges.md). The text
    is checked exactly as on the raise form.
    """
    validate_input(data, complete=True)
    check_personal_data(title=data.title, description=data.description)
    organisation = token.organisation
    with transaction.atomic():
        now = timezone.now()
        today = timezone.localdate(now)
        challenge = Challenge(
            status=ChallengeStatus.RECEIVED,
            organisation=organisation,
            reference=new_reference(today.year),
            sort_key=new_sort_key(),
            updated_at=now,
        )
        apply_input(challenge, data)
        start_clocks(challenge, today)
        challenge.save(force_insert=True)
        set_categories(challenge, data.categories)
        similarity_index(challenge)
        StatusEvent.objects.create(
            challenge=challenge,
            kind=EventKind.SUBMITTED,
            to_status=ChallengeStatus.RECEIVED,
            actor_label=f"{organisation.name} ({token.name})",
            created_at=now,
        )
        audit_write(
            actor=None,
            action="voice.challenge.submit_api",
            target=challenge,
            after=snapshot(challenge, exclude=TEXT_FIELDS),
            detail={"api_token_prefix": token.prefix, "organisation_id": organisation.pk},
        )
        notify_after_commit(challenge, "new", actor=None)
    return challenge
