"""Who may see and do what with meetings, minutes, decisions and actions. Nothing by default.

- **Coordination** (coordinator, secretariat, administrator) sees every meeting and runs any.
- **Managers** of a body's meetings: its chair and secretary, and the coordinator and
  secretariat. They schedule, invite, keep the agenda, write the minutes and record
  decisions and actions.
- **Participants** of a meeting: the body's members (any seat) and everyone invited to it
  (a withdrawn invitation gives nothing). They see its documents, proposed items and the minutes from circulation on; members
  other than permanent guests propose agenda items.
- **Other insiders** see the meetings of bodies they may see (``body_scope``): when and
  where, and the accepted agenda. Minutes reach them only when published to everyone
  signed in or to the public.
- **Anonymous visitors** see only minutes published to the public.
- Outsiders (signed in without a role) see nothing.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from polku.accounts.choices import COORDINATION_ROLES, Role
from polku.accounts.models import User
from polku.actors.choices import BodyRole
from polku.actors.models import Body, BodyMember
from polku.actors.permissions import body_scope
from polku.core.permissions import AnyUser, is_insider
from polku.meetings.choices import MinutesAudience, MinutesStatus
from polku.meetings.models import ActionItem, Decision, Invitation, Meeting, Minutes

MANAGING_ROLES = (Role.COORDINATOR, Role.SECRETARIAT)
MANAGING_SEATS = (BodyRole.CHAIR, BodyRole.SECRETARY)


def _coordination(user: AnyUser) -> bool:
    return isinstance(user, User) and user.has_role(*COORDINATION_ROLES)


def meeting_scope(user: AnyUser) -> QuerySet[Meeting]:
    """Meetings of the bodies the user may see, and any meeting they are invited to."""
    if not is_insider(user):
        return Meeting.objects.none()
    assert isinstance(user, User)
    if _coordination(user):
        return Meeting.objects.all()
    invited = Invitation.objects.filter(
        meeting=OuterRef("pk"), user=user, withdrawn_at__isnull=True
    )
    return Meeting.objects.filter(Q(body__in=body_scope(user)) | Exists(invited))


def is_body_member(user: AnyUser, body: Body) -> bool:
    return isinstance(user, User) and BodyMember.objects.filter(body=body, user=user).exists()


def can_manage_body_meetings(user: AnyUser, body: Body) -> bool:
    """The body's chair and secretary, and the coordinator and the secretariat."""
    if not is_insider(user):
        return False
    assert isinstance(user, User)
    if user.has_role(*MANAGING_ROLES):
        return True
    return BodyMember.objects.filter(body=body, user=user, role__in=MANAGING_SEATS).exists()


def can_manage_meeting(user: AnyUser, meeting: Meeting) -> bool:
    return can_manage_body_meetings(user, meeting.body)


def is_participant(user: AnyUser, meeting: Meeting) -> bool:
    """A member of the body, anyone invited, or the coordination."""
    if not is_insider(user):
        return False
    assert isinstance(user, User)
    if _coordination(user):
        return True
    return (
        is_body_member(user, meeting.body)
        or Invitation.objects.filter(meeting=meeting, user=user, withdrawn_at__isnull=True).exists()
    )


def can_propose_item(user: AnyUser, meeting: Meeting) -> bool:
    """Members of the body other than permanent guests, and the managers."""
    if can_manage_meeting(user, meeting):
        return True
    if not is_insider(user):
        return False
    assert isinstance(user, User)
    seats = BodyMember.objects.filter(body=meeting.body, user=user)
    return seats.exclude(role=BodyRole.GUEST).exists()


def can_read_minutes(user: AnyUser, minutes: Minutes) -> bool:
    """Drafts are the managers'; circulated minutes the participants'; published, the audience's."""
    meeting = minutes.meeting
    if can_manage_meeting(user, meeting):
        return True
    if minutes.status == MinutesStatus.DRAFT:
        return False
    if is_participant(user, meeting):
        return True
    if minutes.status != MinutesStatus.PUBLISHED:
        return False
    if minutes.audience == MinutesAudience.PUBLIC:
        return True
    return minutes.audience == MinutesAudience.INSIDERS and is_insider(user)


def published_minutes_scope(user: AnyUser) -> QuerySet[Minutes]:
    """Published minutes the user may read as part of their audience (not as a participant)."""
    published = Minutes.objects.filter(status=MinutesStatus.PUBLISHED)
    if is_insider(user):
        return published.filter(audience__in=[MinutesAudience.PUBLIC, MinutesAudience.INSIDERS])
    return published.filter(audience=MinutesAudience.PUBLIC)


def decision_scope(user: AnyUser) -> QuerySet[Decision]:
    """Decisions of the meetings the user may see."""
    if not is_insider(user):
        return Decision.objects.none()
    return Decision.objects.filter(item__meeting__in=meeting_scope(user))


def action_scope(user: AnyUser) -> QuerySet[ActionItem]:
    """Actions of the bodies the user may see, and every action they own or deputise.

    An action from a Chatham House meeting would tell who attended and what they took on,
    so beyond its owner and deputy only the meeting's participants (the body's members and
    its invitees) see it.
    """
    if not is_insider(user):
        return ActionItem.objects.none()
    assert isinstance(user, User)
    if _coordination(user):
        return ActionItem.objects.all()
    invited = Invitation.objects.filter(
        meeting=OuterRef("item__meeting"), user=user, withdrawn_at__isnull=True
    )
    member = BodyMember.objects.filter(body=OuterRef("body"), user=user)
    attributable = (
        Q(item__isnull=True)
        | Q(item__meeting__chatham_house=False)
        | Exists(invited)
        | Exists(member)
    )
    return ActionItem.objects.filter(
        (Q(body__in=body_scope(user)) & attributable) | Q(owner=user) | Q(deputy=user)
    )


def can_update_action(user: AnyUser, action: ActionItem) -> bool:
    """The owner, the deputy and the body's managers report progress."""
    if not is_insider(user):
        return False
    assert isinstance(user, User)
    return user.pk in (action.owner_id, action.deputy_id) or can_manage_body_meetings(
        user, action.body
    )


def can_approve_minutes(user: AnyUser, meeting: Meeting) -> bool:
    """The body's chair approves its minutes alone; anyone else records the approval given at
    a later meeting of the body (a manager's act, see `can_manage_meeting`)."""
    if not is_insider(user):
        return False
    assert isinstance(user, User)
    return BodyMember.objects.filter(body=meeting.body, user=user, role=BodyRole.CHAIR).exists()


def can_comment_on_minutes(user: AnyUser, minutes: Minutes) -> bool:
    """Participants comment while the minutes are circulated (the deadline is the service's)."""
    return minutes.status == MinutesStatus.CIRCULATED and is_participant(user, minutes.meeting)


def can_compare_minutes_versions(user: AnyUser, minutes: Minutes) -> bool:
    """Earlier versions are the managers' and, from circulation on, the participants'.

    Readers who are only the published audience see the published text, not its drafts.
    """
    if can_manage_meeting(user, minutes.meeting):
        return True
    return minutes.status != MinutesStatus.DRAFT and is_participant(user, minutes.meeting)
