"""Publishing a guideline, superseding the one it replaces, and reporting back to challenges."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.models import User
from polku.audit.services import audit_write
from polku.guidelines.choices import GuidelineStatus
from polku.guidelines.models import Guideline, GuidelineChallenge
from polku.guidelines.permissions import can_draft
from polku.guidelines.services.common import locked, move, require_permission, tell_subscribers
from polku.voice.choices import ChallengeStatus, OutcomeKind
from polku.voice.services import challenge_record_outcome


@transaction.atomic
def guideline_publish(*, actor: User, guideline: Guideline) -> Guideline:
    """Publishes the approved version at the guideline's stable address.

    Every linked challenge is told it was addressed by the guideline (through Voice, whose
    notices reach its submitter and followers), the subscribers are told, and the guideline
    it replaces is superseded.
    """
    guideline = locked(guideline)
    require_permission(can_draft(actor))
    if guideline.current_version_id is None:
        raise ValidationError(_("The guideline has no text to publish."))
    from_status = move(guideline, GuidelineStatus.PUBLISHED, actor=actor)
    guideline.published_version_id = guideline.current_version_id
    guideline.published_at = timezone.now()
    guideline.updated_by = actor
    guideline.save()
    addressed = []
    links = GuidelineChallenge.objects.filter(guideline=guideline).select_related("challenge")
    for link in links.order_by("challenge__reference"):
        if link.challenge.status == ChallengeStatus.DRAFT:
            continue
        challenge_record_outcome(
            actor=actor,
            challenge=link.challenge,
            kind=OutcomeKind.GUIDELINE,
            text=_("Addressed by the guideline “%(title)s”.") % {"title": guideline.title},
            link=guideline,
            url=guideline.get_absolute_url(),
            url_label=guideline.title,
        )
        addressed.append(str(link.challenge_id))
    replaced = guideline.replaces
    if replaced is not None and replaced.status == GuidelineStatus.PUBLISHED:
        guideline_supersede(actor=actor, guideline=replaced, by=guideline)
    audit_write(
        actor=actor,
        action="guidelines.guideline.publish",
        target=guideline,
        before={"status": from_status},
        after={
            "status": guideline.status,
            "published_version": guideline.published_version_id,
            "challenges": addressed,
        },
    )
    title = guideline.title
    tell_subscribers(
        guideline,
        title=lambda: _("The guideline “%(title)s” is published") % {"title": title},
        actor=actor,
    )
    return guideline


@transaction.atomic
def guideline_supersede(*, actor: User, guideline: Guideline, by: Guideline) -> Guideline:
    """Marks a published guideline as replaced by a newer published one."""
    guideline = locked(guideline)
    require_permission(can_draft(actor))
    if by.pk == guideline.pk:
        raise ValidationError({"by": _("A guideline cannot supersede itself.")})
    if by.status != GuidelineStatus.PUBLISHED:
        raise ValidationError({"by": _("Only a published guideline can supersede another.")})
    from_status = move(
        guideline,
        GuidelineStatus.SUPERSEDED,
        actor=actor,
        note=_("Superseded by “%(title)s”.") % {"title": by.title},
    )
    guideline.superseded_by = by
    guideline.updated_by = actor
    guideline.save()
    audit_write(
        actor=actor,
        action="guidelines.guideline.supersede",
        target=guideline,
        before={"status": from_status},
        after={"status": guideline.status, "superseded_by": by.pk},
    )
    old_title, new_title = guideline.title, by.title
    tell_subscribers(
        guideline,
        title=lambda: (
            _("The guideline “%(old)s” is superseded by “%(new)s”")
            % {"old": old_title, "new": new_title}
        ),
        actor=actor,
    )
    return guideline
