"""Reads of meetings, invitations, agendas, documents and calendar feeds, through the
reader's scope (``polku.meetings.permissions``), and the few checks the meeting pages add.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.models import User
from polku.actors.models import Body, BodyMember
from polku.actors.permissions import body_scope
from polku.core.permissions import AnyUser, get_in_scope, is_insider
from polku.meetings.choices import (
    OPEN_ACTION_STATUSES,
    AgendaItemStatus,
    Attendance,
    InvitationResponse,
    MeetingStatus,
    MinutesStatus,
)
from polku.meetings.ics import Deadline, safe_reverse
from polku.meetings.models import (
    AgendaItem,
    CalendarFeed,
    Invitation,
    Meeting,
    MeetingDocument,
    Minutes,
)
from polku.meetings.permissions import (
    MANAGING_ROLES,
    MANAGING_SEATS,
    action_scope,
    can_manage_meeting,
    can_propose_item,
    is_participant,
    meeting_scope,
)

When = Literal["upcoming", "past"]

# How far back a calendar feed reaches: older meetings stay in calendars that already hold them.
FEED_PAST_DAYS = 400


# --- Checks the meeting pages add to permissions.py -------------------------------------


def managed_body_scope(user: AnyUser) -> QuerySet[Body]:
    """Active bodies whose meetings the user schedules: every visible one for the coordinator
    and the secretariat, otherwise those where they sit as chair or secretary."""
    if not is_insider(user):
        return Body.objects.none()
    assert isinstance(user, User)
    bodies = body_scope(user).filter(is_active=True)
    if user.has_role(*MANAGING_ROLES):
        return bodies
    seats = BodyMember.objects.filter(body=OuterRef("pk"), user=user, role__in=MANAGING_SEATS)
    return bodies.filter(Exists(seats))


def can_schedule_meetings(user: AnyUser) -> bool:
    """Whether the user manages the meetings of at least one body."""
    return managed_body_scope(user).exists()


def can_respond(user: AnyUser, meeting: Meeting) -> bool:
    """Only invitees say whether they are coming."""
    return (
        is_insider(user)
        and isinstance(user, User)
        and Invitation.objects.filter(
            meeting=meeting, user=user, withdrawn_at__isnull=True
        ).exists()
    )


def can_upload_document(user: AnyUser, meeting: Meeting) -> bool:
    """Those who may propose items also bring papers: the managers and members other than
    permanent guests."""
    return can_propose_item(user, meeting)


def can_edit_item(user: AnyUser, item: AgendaItem) -> bool:
    """Managers edit any item; whoever proposed an item edits it until it is decided."""
    if can_manage_meeting(user, item.meeting):
        return True
    return (
        is_insider(user)
        and isinstance(user, User)
        and item.proposed_by_id == user.pk
        and item.status == AgendaItemStatus.PROPOSED
    )


# --- Meetings --------------------------------------------------------------------------


def meeting_list(
    *, user: AnyUser, when: When = "upcoming", body: Body | None = None, search: str = ""
) -> QuerySet[Meeting]:
    """Meetings the user may see: upcoming soonest first, past latest first, with the
    user's own answer as ``my_response`` (empty when not invited)."""
    now = timezone.now()
    meetings = meeting_scope(user).select_related("body")
    if when == "past":
        meetings = meetings.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    else:
        meetings = meetings.filter(ends_at__gte=now).order_by("starts_at", "pk")
    if body is not None:
        meetings = meetings.filter(body=body)
    if search.strip():
        meetings = meetings.filter(title__icontains=search.strip())
    if isinstance(user, User):
        own = Invitation.objects.filter(
            meeting=OuterRef("pk"), user=user, withdrawn_at__isnull=True
        ).values("response")[:1]
        meetings = meetings.annotate(my_response=Subquery(own))
    return meetings


def meeting_get(*, user: AnyUser, pk: int) -> Meeting:
    """One meeting from the user's scope; anything else is 404."""
    return get_in_scope(meeting_scope(user).select_related("body"), pk=pk)


def meeting_invitations(*, meeting: Meeting) -> list[Invitation]:
    """The invitations that stand: members first, then guests, each by organisation.

    ``keeps_seat`` marks the body's chair and secretary, whose invitations stay.
    """
    managing = BodyMember.objects.filter(
        body=meeting.body_id, user=OuterRef("user"), role__in=MANAGING_SEATS
    )
    return list(
        meeting.invitations.filter(withdrawn_at__isnull=True)
        .annotate(keeps_seat=Exists(managing))
        .select_related("user", "organisation")
        .order_by("kind", "organisation__name", "user__last_name", "user__first_name", "pk")
    )


def withdrawn_invitations(*, meeting: Meeting) -> list[Invitation]:
    """Invitations withdrawn from the meeting, kept for the record; latest first."""
    return list(
        meeting.invitations.filter(withdrawn_at__isnull=False)
        .select_related("user", "organisation", "withdrawn_by")
        .order_by("-withdrawn_at", "-pk")
    )


def invitation_get(*, meeting: Meeting, pk: int) -> Invitation:
    """An invitation of a meeting the user already sees that still stands; anything else
    is 404."""
    return get_in_scope(
        meeting.invitations.filter(withdrawn_at__isnull=True).select_related(
            "user", "organisation", "meeting__body"
        ),
        pk=pk,
    )


def own_invitation(*, user: AnyUser, meeting: Meeting) -> Invitation | None:
    if not isinstance(user, User):
        return None
    return Invitation.objects.filter(meeting=meeting, user=user, withdrawn_at__isnull=True).first()


def meeting_documents(*, meeting: Meeting) -> list[MeetingDocument]:
    return list(meeting.documents.select_related("uploaded_by").order_by("uploaded_at", "pk"))


def document_get(*, user: AnyUser, meeting: Meeting, pk: int) -> MeetingDocument:
    """A document of a meeting the user already sees; 404 when it is not that meeting's."""
    return get_in_scope(MeetingDocument.objects.filter(meeting=meeting), pk=pk)


@dataclass(frozen=True)
class Agenda:
    """A meeting's agenda: the accepted items in order, and the proposals around them."""

    accepted: list[AgendaItem]
    proposed: list[AgendaItem]
    declined: list[AgendaItem]

    @property
    def total_minutes(self) -> int:
        return sum(item.duration_minutes or 0 for item in self.accepted)


def _items(meeting: Meeting) -> QuerySet[AgendaItem]:
    return meeting.items.select_related("challenge", "proposed_by", "subject_type").order_by(
        "position", "pk"
    )


def meeting_agenda(*, user: AnyUser, meeting: Meeting, participant: bool | None = None) -> Agenda:
    """Everyone who sees the meeting sees the accepted items; participants also see the
    proposed and declined ones (pass ``participant`` when it is already known)."""
    items = _items(meeting).prefetch_related("decisions")
    if participant is None:
        participant = is_participant(user, meeting)
    if not participant:
        items = items.filter(status=AgendaItemStatus.ACCEPTED)
    rows = list(items)
    return Agenda(
        accepted=[item for item in rows if item.status == AgendaItemStatus.ACCEPTED],
        proposed=[item for item in rows if item.status == AgendaItemStatus.PROPOSED],
        declined=[item for item in rows if item.status == AgendaItemStatus.DECLINED],
    )


def accepted_items(*, meeting: Meeting) -> list[AgendaItem]:
    """The agenda as it is sent: accepted items in order."""
    return list(_items(meeting).filter(status=AgendaItemStatus.ACCEPTED))


def item_get(*, user: AnyUser, meeting: Meeting, pk: int) -> AgendaItem:
    """An item of a meeting the user sees; proposals and declined items only to participants."""
    items = meeting.items.select_related("challenge", "proposed_by", "meeting__body")
    if not is_participant(user, meeting):
        items = items.filter(status=AgendaItemStatus.ACCEPTED)
    return get_in_scope(items, pk=pk)


# --- Calendar feeds --------------------------------------------------------------------


def calendar_feed_of(*, user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def calendar_feed_path(token: str) -> str:
    return reverse("meetings:calendar_feed", kwargs={"token": token})


def feed_meetings(*, user: User) -> list[Meeting]:
    """The meetings the person is invited to (and may still see), with their agendas."""
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    accepted = AgendaItem.objects.filter(status=AgendaItemStatus.ACCEPTED).order_by(
        "position", "pk"
    )
    return list(
        meeting_scope(user)
        .filter(invitations__user=user, invitations__withdrawn_at__isnull=True)
        .filter(starts_at__gte=since)
        .select_related("body")
        .prefetch_related(Prefetch("items", queryset=accepted, to_attr="accepted_items"))
        .order_by("starts_at", "pk")
    )


def feed_deadlines(*, user: User) -> list[Deadline]:
    """Due dates of open actions the person owns or deputises, and the comment deadlines
    of circulated minutes of meetings they attend (or were expected at)."""
    deadlines = []
    actions = (
        action_scope(user)
        .filter(Q(owner=user) | Q(deputy=user), status__in=OPEN_ACTION_STATUSES)
        .order_by("due_on", "pk")
    )
    for action in actions:
        deputy = action.deputy_id == user.pk
        deadlines.append(
            Deadline(
                uid=f"action-{action.pk}@polku",
                day=action.due_on,
                summary=(_("Due (as deputy): %(title)s") if deputy else _("Due: %(title)s"))
                % {"title": action.title},
                url=safe_reverse("meetings:action_detail", pk=action.pk),
            )
        )
    attending = Invitation.objects.filter(
        meeting=OuterRef("meeting"), user=user, withdrawn_at__isnull=True
    ).exclude(
        Q(attendance__in=[Attendance.ABSENT, Attendance.APOLOGIES])
        | Q(attendance=Attendance.UNKNOWN, response=InvitationResponse.DECLINED)
    )
    minutes_rows = (
        Minutes.objects.filter(
            Exists(attending),
            meeting__in=meeting_scope(user),
            status=MinutesStatus.CIRCULATED,
            comment_deadline__isnull=False,
        )
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("meeting__body")
        .order_by("comment_deadline", "pk")
    )
    # An invitee is a participant, and participants read circulated minutes.
    for minutes in minutes_rows:
        assert minutes.comment_deadline is not None
        deadlines.append(
            Deadline(
                uid=f"minutes-comments-{minutes.meeting_id}@polku",
                day=minutes.comment_deadline,
                summary=_("Comments on the minutes due: %(meeting)s")
                % {"meeting": minutes.meeting.title},
                url=safe_reverse("meetings:minutes_detail", pk=minutes.meeting_id),
            )
        )
    return deadlines
