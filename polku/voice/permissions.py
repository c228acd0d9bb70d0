"""Who may see, raise, join and triage challenges. Everything starts from nothing.

- Every insider sees submitted challenges, including merged ones (so links keep working),
  and their own drafts; nobody sees anyone else's draft.
- Practitioners, the secretariat and the coordinator raise, endorse and comment.
- The coordinator and the secretariat triage: change status, answer, assign, hide comments.
- Decision-makers, the rapporteur, data providers and administrators read only.
- Outsiders see nothing (404); anonymous visitors reach only the follow-up page.
"""

from django.db.models import Q, QuerySet

from polku.accounts.choices import Role
from polku.accounts.models import User
from polku.core.permissions import AnyUser, is_insider
from polku.voice.choices import ChallengeStatus
from polku.voice.models import Challenge

TRIAGE_ROLES = (Role.COORDINATOR, Role.SECRETARIAT)
PARTICIPANT_ROLES = (Role.PRACTITIONER, Role.COORDINATOR, Role.SECRETARIAT)


def challenge_scope(user: AnyUser) -> QuerySet[Challenge]:
    """Submitted challenges for every insider, plus the reader's own drafts."""
    if not is_insider(user):
        return Challenge.objects.none()
    assert isinstance(user, User)
    return Challenge.objects.filter(
        ~Q(status=ChallengeStatus.DRAFT) | Q(status=ChallengeStatus.DRAFT, submitted_by=user)
    )


def can_raise(user: AnyUser) -> bool:
    """Practitioners raise challenges; so may the secretariat and the coordinator."""
    return isinstance(user, User) and user.has_role(*PARTICIPANT_ROLES)


def can_participate(user: AnyUser) -> bool:
    """Endorsing and commenting is for those who work on the problems themselves."""
    return isinstance(user, User) and user.has_role(*PARTICIPANT_ROLES)


def can_triage(user: AnyUser) -> bool:
    """The coordinator and the secretariat acknowledge, answer, assign and moderate."""
    return isinstance(user, User) and user.has_role(*TRIAGE_ROLES)


def can_edit_draft(user: AnyUser, challenge: Challenge) -> bool:
    """A draft belongs to its author alone."""
    return (
        isinstance(user, User)
        and challenge.status == ChallengeStatus.DRAFT
        and challenge.submitted_by_id == user.pk
        and can_raise(user)
    )
