"""Endorsing, following and discussing challenges, and moderating the discussion."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.models import User
from polku.audit.services import audit_write, snapshot
from polku.taxonomy.choices import TypologyKind
from polku.taxonomy.models import Category
from polku.voice.models import Challenge, Comment, Endorsement, Follower
from polku.voice.permissions import can_participate, can_triage
from polku.voice.services.common import (
    check_personal_data,
    clean_comment_body,
    notify_after_commit,
    organisation_of,
    refuse_unless_submitted,
    require_permission,
)

ENDORSEMENT_COMMENT_MAX = 500


def challenge_endorse(
    *, actor: User, challenge: Challenge, comment: str = "", sector: Category | None = None
) -> Endorsement:
    """Records that the actor meets the same problem ("we meet this too")."""
    require_permission(can_participate(actor))
    refuse_unless_submitted(challenge)
    comment = comment.strip()
    if challenge.submitted_by_id == actor.pk:
        raise ValidationError(_("You raised this challenge, so it already counts as yours."))
    if len(comment) > ENDORSEMENT_COMMENT_MAX:
        raise ValidationError({"comment": _("Keep the comment to 500 characters.")})
    if sector is not None and not (
        sector.typology.kind == TypologyKind.SECTOR and sector.typology.is_current
    ):
        raise ValidationError({"sector": _("Choose one of the current sectors.")})
    check_personal_data(comment=comment)
    endorsement = Endorsement(
        challenge=challenge,
        user=actor,
        organisation=organisation_of(actor),
        sector=sector,
        comment=comment,
        created_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            endorsement.save(force_insert=True)
            audit_write(
                actor=actor,
                action="voice.challenge.endorse",
                target=challenge,
                after=snapshot(endorsement, exclude=["comment"]),
            )
            notify_after_commit(challenge, "endorsement", actor=actor)
    except IntegrityError as error:
        raise ValidationError(_("You already endorse this challenge.")) from error
    return endorsement


def challenge_withdraw_endorsement(*, actor: User, challenge: Challenge) -> None:
    """Takes back the actor's endorsement."""
    with transaction.atomic():
        endorsement = Endorsement.objects.filter(challenge=challenge, user=actor).first()
        if endorsement is None:
            raise ValidationError(_("You do not endorse this challenge."))
        before = snapshot(endorsement, exclude=["comment"])
        endorsement.delete()
        audit_write(
            actor=actor,
            action="voice.challenge.withdraw_endorsement",
            target=challenge,
            before=before,
        )


def challenge_follow(*, actor: User, challenge: Challenge) -> Follower:
    """Asks for an e-mail about every change to a challenge."""
    refuse_unless_submitted(challenge)
    with transaction.atomic():
        follower, created = Follower.objects.get_or_create(
            challenge=challenge, user=actor, defaults={"created_at": timezone.now()}
        )
        if created:
            audit_write(actor=actor, action="voice.challenge.follow", target=challenge)
    return follower


def challenge_unfollow(*, actor: User, challenge: Challenge) -> None:
    """Stops the e-mails about a challenge."""
    with transaction.atomic():
        deleted, _rows = Follower.objects.filter(challenge=challenge, user=actor).delete()
        if deleted:
            audit_write(actor=actor, action="voice.challenge.unfollow", target=challenge)


def comment_add(*, actor: User, challenge: Challenge, body: str) -> Comment:
    """Adds a comment to a challenge's discussion, once it holds no personal data."""
    require_permission(can_participate(actor))
    refuse_unless_submitted(challenge)
    body = clean_comment_body(body)
    with transaction.atomic():
        comment = Comment.objects.create(
            challenge=challenge, author=actor, body=body, created_at=timezone.now()
        )
        audit_write(
            actor=actor,
            action="voice.comment.add",
            target=comment,
            after=snapshot(comment, exclude=["body"]),
        )
        notify_after_commit(challenge, "comment", actor=actor)
    return comment


def comment_hide(*, actor: User, comment: Comment, reason: str) -> Comment:
    """Hides a comment from the discussion, with a recorded reason; the text is kept."""
    require_permission(can_triage(actor))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for hiding the comment.")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("Keep the reason to 500 characters.")})
    with transaction.atomic():
        fresh = Comment.objects.select_for_update().get(pk=comment.pk)
        if fresh.hidden_at is not None:
            raise ValidationError(_("This comment is already hidden."))
        fresh.hidden_at = timezone.now()
        fresh.hidden_by = actor
        fresh.hidden_reason = reason
        fresh.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        audit_write(
            actor=actor,
            action="voice.comment.hide",
            target=fresh,
            after={"hidden_reason": reason},
        )
    return fresh
