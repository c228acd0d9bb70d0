"""Reading and replying through a protected challenge's follow-up code, and sealing the
anonymous audit records of protected acts into the audit log."""

import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.audit.services import audit_write
from polku.voice import followup
from polku.voice.models import Challenge, Comment, PendingAuditEntry, StatusEvent
from polku.voice.services.common import clean_comment_body, start_of_day


class FollowUpLocked(ValidationError):
    """Too many wrong codes came from this address; no code is checked until the window ends."""

    def __init__(self) -> None:
        super().__init__(
            _("Too many wrong codes were tried from here. Wait 15 minutes and try again.")
        )


def _pending(*, action: str, challenge: Challenge) -> None:
    PendingAuditEntry.objects.create(
        day=timezone.localdate(),
        action=action,
        target_type=challenge._meta.label_lower,
        target_id=str(challenge.pk),
        detail={"reference": challenge.reference},
    )


def followup_open(*, code: str, client_address: str | None = None) -> Challenge | None:
    """The protected challenge a follow-up code opens, or None; wrong codes are rate-limited."""
    if followup.is_locked_out(client_address):
        raise FollowUpLocked()
    canonical = followup.normalise(code)
    if canonical is None:
        followup.record_failure(client_address)
        return None
    challenge = (
        Challenge.objects.filter(
            is_protected=True, followup_key_prefix=followup.prefix_of(canonical)
        )
        .select_related("region", "merged_into")
        .first()
    )
    if not followup.matches(canonical, challenge.followup_secret_hash if challenge else None):
        followup.record_failure(client_address)
        return None
    assert challenge is not None
    with transaction.atomic():
        _pending(action="voice.followup.open", challenge=challenge)
    return challenge


def followup_reply(*, code: str, body: str, client_address: str | None = None) -> Comment:
    """Adds the submitter's reply to their protected challenge's discussion, without a name."""
    challenge = followup_open(code=code, client_address=client_address)
    if challenge is None:
        raise ValidationError({"code": _("That code does not open a challenge.")})
    body = clean_comment_body(body)
    with transaction.atomic():
        # Known to the day only, and never before the entries the reply answers.
        latest = (
            StatusEvent.objects.filter(challenge=challenge)
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        written = start_of_day(timezone.localdate())
        if latest is not None and latest > written:
            written = latest
        comment = Comment.objects.create(
            challenge=challenge,
            by_submitter=True,
            body=body,
            created_at=written,
            coarse_time=True,
        )
        _pending(action="voice.followup.reply", challenge=challenge)
    return comment


def protected_audit_seal(*, today: date | None = None) -> int:
    """Writes the anonymous audit records of earlier days into the audit log, in random order.

    Run once a day (`manage.py voice_seal_audit`). Records of the current day wait, so a
    batch never holds fewer acts than a whole day brought; the order within it is shuffled,
    so the log's sequence says nothing about the order of the acts.
    """
    cutoff = today or timezone.localdate()
    with transaction.atomic():
        entries = list(PendingAuditEntry.objects.select_for_update().filter(day__lt=cutoff))
        secrets.SystemRandom().shuffle(entries)
        found = Challenge.objects.in_bulk(
            [entry.target_id for entry in entries if entry.target_type == "voice.challenge"]
        )
        challenges = {str(pk): challenge for pk, challenge in found.items()}
        for entry in entries:
            target = challenges.get(entry.target_id)
            audit_write(
                actor=None,
                anonymous=True,
                action=entry.action,
                target=target,
                detail={**entry.detail, "day": entry.day.isoformat(), "target_id": entry.target_id},
            )
        PendingAuditEntry.objects.filter(pk__in=[entry.pk for entry in entries]).delete()
    return len(entries)
