"""The entry point other apps use to report what came of a challenge."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.models import User
from polku.audit.services import audit_write, snapshot
from polku.voice.choices import ADDRESSING_OUTCOMES, ChallengeStatus, EventKind, OutcomeKind
from polku.voice.models import Challenge, Outcome, StatusEvent
from polku.voice.services.common import actor_label, notify_after_commit

URL_SCHEMES = ("https://", "http://", "/")


def _surviving(challenge: Challenge) -> Challenge:
    seen = set()
    current = Challenge.objects.select_for_update().get(pk=challenge.pk)
    while current.merged_into_id is not None and current.pk not in seen:
        seen.add(current.pk)
        current = Challenge.objects.select_for_update().get(pk=current.merged_into_id)
    return current


def challenge_record_outcome(
    *,
    actor: User | None,
    challenge: Challenge,
    kind: str,
    text: str,
    link: models.Model | None = None,
    url: str = "",
    url_label: str = "",
) -> Outcome:
    """Records what came of a challenge and tells the people following it.

    Meetings, guidelines, briefings and measures call this from their own services, inside
    their transaction, after checking their own permissions. `link` is the item that
    addressed the challenge (stored as content type and id); `url` and `url_label` give a
    link for items outside Polku. An outcome of kind guideline, measure, briefing or
    decision moves the challenge to "addressed" where its lifecycle allows; a merged
    challenge's outcome goes to the challenge it was merged into.
    """
    if kind not in OutcomeKind.values:
        raise ValidationError({"kind": _("Choose the kind of outcome.")})
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Say what came of the challenge.")})
    if url and not url.startswith(URL_SCHEMES):
        raise ValidationError({"url": _("Give a web address starting with https://.")})
    if link is not None and link.pk is None:
        raise ValueError("The linked item must be saved before it is linked.")
    with transaction.atomic():
        target = _surviving(challenge)
        if target.status == ChallengeStatus.DRAFT:
            raise ValidationError(_("This challenge is still a draft."))
        now = timezone.now()
        outcome = Outcome.objects.create(
            challenge=target,
            kind=kind,
            text=text,
            link_type=ContentType.objects.get_for_model(link) if link is not None else None,
            link_id=str(link.pk) if link is not None else "",
            url=url,
            url_label=url_label.strip() or (str(link) if link is not None else ""),
            recorded_by=actor,
            created_at=now,
        )
        from_status = target.status
        moves = kind in ADDRESSING_OUTCOMES and target.can_transition_to(ChallengeStatus.ADDRESSED)
        if moves:
            target.status = ChallengeStatus.ADDRESSED
            target.closed_at = now
            if target.acknowledged_at is None:
                target.acknowledged_at = now
        target.updated_at = now
        target.save()
        StatusEvent.objects.create(
            challenge=target,
            kind=EventKind.OUTCOME,
            from_status=from_status if moves else "",
            to_status=target.status if moves else "",
            actor=actor,
            actor_label=actor_label(actor) if actor is not None else "",
            note=text,
            created_at=now,
        )
        audit_write(
            actor=actor,
            action="voice.challenge.record_outcome",
            target=target,
            before={"status": from_status},
            after={"status": target.status, "outcome": snapshot(outcome)},
        )
        notify_after_commit(target, EventKind.OUTCOME, actor=actor)
    return outcome
