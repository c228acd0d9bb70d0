"""Who may see, draft, comment on and answer for guidelines. Everything starts from nothing.

- **Drafters** (the coordinator and the secretariat, whichever ministry they sit for) see every
  guideline in every state, write and revise them, run consultations, answer comments,
  record approval and publish. Administrators read everything and change nothing.
- **Invited commenters**: people invited to a consultation round, personally or through an
  organisation they are an active member of. They see the guideline from the round on, but
  read only the version put to consultation in the rounds they are invited to (and the
  published one): drafts written after their round stay with the drafters unless they are
  invited again. They comment while the round is open; they see their own and their
  organisation's comments, and the report once the round has ended.
- **Everyone else**, anonymous visitors included, sees published guidelines only (and the
  superseded and withdrawn ones, whose addresses keep answering with a notice), and a round's
  report once it is published with the guideline.
"""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from polku.accounts.choices import Role
from polku.accounts.models import User
from polku.actors.models import Membership
from polku.core.permissions import AnyUser, is_insider
from polku.guidelines.choices import PUBLIC_STATUSES, GuidelineStatus
from polku.guidelines.models import (
    Comment,
    Consultation,
    Guideline,
    GuidelineVersion,
    Invitation,
)

DRAFTING_ROLES = (Role.COORDINATOR, Role.SECRETARIAT)
READ_ALL_ROLES = (Role.COORDINATOR, Role.SECRETARIAT, Role.ADMINISTRATOR)

PUBLIC = Q(status__in=PUBLIC_STATUSES, published_version__isnull=False)


def can_draft(user: AnyUser) -> bool:
    """The coordinator and the secretariat draft, consult, approve and publish."""
    return isinstance(user, User) and user.has_role(*DRAFTING_ROLES)


def reads_everything(user: AnyUser) -> bool:
    return isinstance(user, User) and user.has_role(*READ_ALL_ROLES)


def _organisation_ids(user: User) -> "QuerySet[Membership, Any]":
    return Membership.objects.filter(
        user=user, is_active=True, organisation__is_active=True
    ).values("organisation_id")


def invitation_scope(user: AnyUser) -> QuerySet[Invitation]:
    """The invitations that reach the user: their own and their organisations'."""
    if not is_insider(user):
        return Invitation.objects.none()
    assert isinstance(user, User)
    return Invitation.objects.filter(Q(user=user) | Q(organisation_id__in=_organisation_ids(user)))


def guideline_scope(user: AnyUser) -> QuerySet[Guideline]:
    """Published guidelines for everyone; rounds one is invited to; everything for drafters."""
    if reads_everything(user) and is_insider(user):
        return Guideline.objects.all()
    if not is_insider(user):
        return Guideline.objects.filter(PUBLIC)
    invited = invitation_scope(user).filter(consultation__guideline=OuterRef("pk"))
    return Guideline.objects.filter(PUBLIC | Exists(invited))


def is_invited(user: AnyUser, consultation: Consultation) -> bool:
    return invitation_scope(user).filter(consultation=consultation).exists()


def is_invited_to_guideline(user: AnyUser, guideline: Guideline) -> bool:
    return invitation_scope(user).filter(consultation__guideline=guideline).exists()


def reads_all_versions(user: AnyUser) -> bool:
    """Drafters and administrators read every version, the current draft included."""
    return reads_everything(user) and is_insider(user)


def sees_working_text(user: AnyUser, guideline: Guideline) -> bool:
    """Drafters read every version, invitees those of their rounds; others the published one."""
    return reads_all_versions(user) or is_invited_to_guideline(user, guideline)


def invited_rounds(user: AnyUser, guideline: Guideline) -> QuerySet[Consultation]:
    """The guideline's rounds the user is invited to, newest first."""
    invited = invitation_scope(user).filter(consultation__guideline=guideline)
    return Consultation.objects.filter(
        guideline=guideline, pk__in=invited.values("consultation_id")
    ).order_by("-number")


def readable_versions(user: AnyUser, guideline: Guideline) -> QuerySet[GuidelineVersion]:
    """Every version for drafters; for others the ones put to their rounds, and the published.

    A draft written after a round closed is not shown to that round's invitees: they read it
    only once it is put to a round they are invited to, or published.
    """
    versions = GuidelineVersion.objects.filter(guideline=guideline)
    if reads_all_versions(user):
        return versions
    readable = Q(pk__in=invited_rounds(user, guideline).values("version_id"))
    if guideline.is_public:
        readable |= Q(pk=guideline.published_version_id)
    return versions.filter(readable)


def reading_version_id(user: AnyUser, guideline: Guideline) -> int | None:
    """The version the guideline's page shows the user.

    Drafters read the current version. Once the guideline is public everyone else reads the
    published one; before that, an invitee reads the version of the newest round they are
    invited to, and anyone else nothing.
    """
    if reads_all_versions(user):
        return guideline.current_version_id
    if guideline.is_public:
        return guideline.published_version_id
    version_id: int | None = (
        invited_rounds(user, guideline).values_list("version_id", flat=True).first()
    )
    return version_id


def reads_current_text(user: AnyUser, guideline: Guideline) -> bool:
    """Whether the user may read the guideline's current version (and so hear of changes)."""
    if guideline.current_version_id is None:
        return False
    return readable_versions(user, guideline).filter(pk=guideline.current_version_id).exists()


def can_edit(user: AnyUser, guideline: Guideline) -> bool:
    """New versions are written in draft and while revising."""
    return can_draft(user) and guideline.is_editable


def can_edit_details(user: AnyUser, guideline: Guideline) -> bool:
    """Audience, scope and links change until the guideline is published."""
    return can_draft(user) and guideline.status not in PUBLIC_STATUSES


def is_latest_round(consultation: Consultation) -> bool:
    latest = (
        Consultation.objects.filter(guideline_id=consultation.guideline_id)
        .order_by("-number")
        .values_list("pk", flat=True)
        .first()
    )
    return latest == consultation.pk


def can_comment(user: AnyUser, consultation: Consultation) -> bool:
    """Invitees comment while the round is open and the guideline is in consultation."""
    return (
        is_insider(user)
        and consultation.guideline.status == GuidelineStatus.CONSULTATION
        and consultation.is_open
        and is_latest_round(consultation)
        and is_invited(user, consultation)
    )


def can_answer(user: AnyUser, consultation: Consultation) -> bool:
    """Drafters answer the comments once the round has ended, before revising."""
    return (
        can_draft(user)
        and consultation.has_ended
        and consultation.guideline.status == GuidelineStatus.CONSULTATION
        and is_latest_round(consultation)
    )


def can_manage_consultation(user: AnyUser, consultation: Consultation) -> bool:
    """Drafters invite more people and close the round early while it is open."""
    return (
        can_draft(user)
        and consultation.is_open
        and consultation.guideline.status == GuidelineStatus.CONSULTATION
        and is_latest_round(consultation)
    )


def can_see_round(user: AnyUser, consultation: Consultation) -> bool:
    """The consultation page: drafters, administrators and the round's invitees."""
    return reads_everything(user) or is_invited(user, consultation)


def comment_scope(user: AnyUser, consultation: Consultation) -> QuerySet[Comment]:
    """Drafters see every comment; invitees their own and their organisations'."""
    comments = Comment.objects.filter(consultation=consultation)
    if reads_everything(user):
        return comments
    if not is_insider(user):
        return Comment.objects.none()
    assert isinstance(user, User)
    return comments.filter(Q(author=user) | Q(organisation_id__in=_organisation_ids(user)))


def can_see_report(user: AnyUser, consultation: Consultation) -> bool:
    """Drafters at any time, invitees once the round has ended, everyone once published."""
    if reads_everything(user):
        return True
    if consultation.report_published_at is not None and consultation.guideline.is_public:
        return True
    return consultation.has_ended and is_invited(user, consultation)


def can_subscribe(user: AnyUser) -> bool:
    """Anyone with a role can be told when a guideline they can read changes."""
    return is_insider(user)
