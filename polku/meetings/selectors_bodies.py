"""Reads for a body's work page: who sits on it, its meetings, open actions and decisions."""

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.actors.choices import BodyRole
from polku.actors.models import Body, BodyMember
from polku.actors.permissions import body_scope
from polku.core.permissions import AnyUser, get_in_scope
from polku.meetings.models import Decision, Meeting
from polku.meetings.permissions import decision_scope, meeting_scope

# How many rows each part of the page shows before linking to the full list.
PAGE_PART_ROWS = 10


def body_get(*, user: AnyUser, pk: int) -> Body:
    """A body the user may see (404 otherwise)."""
    return get_in_scope(body_scope(user).select_related("convened_by"), pk=pk)


@dataclass
class SeatGroup:
    """The people holding one kind of seat, in the order the page lists them."""

    label: Any
    seats: list[BodyMember] = field(default_factory=list)


def body_seats(*, body: Body) -> list[SeatGroup]:
    """The members by role: chair, secretary, focal points with their deputies (paired by
    organisation), members and permanent guests. Empty groups are left out."""
    groups = {
        "chair": SeatGroup(_("Chair")),
        "secretary": SeatGroup(_("Secretary")),
        "focal": SeatGroup(_("Focal points and deputies")),
        "member": SeatGroup(_("Members")),
        "guest": SeatGroup(_("Permanent guests")),
    }
    group_of = {
        BodyRole.CHAIR: "chair",
        BodyRole.SECRETARY: "secretary",
        BodyRole.FOCAL_POINT: "focal",
        BodyRole.DEPUTY_FOCAL_POINT: "focal",
        BodyRole.MEMBER: "member",
        BodyRole.GUEST: "guest",
    }
    seats = BodyMember.objects.filter(body=body).select_related("user", "organisation")
    focal_first = {BodyRole.FOCAL_POINT: 0, BodyRole.DEPUTY_FOCAL_POINT: 1}
    for seat in sorted(
        seats,
        key=lambda seat: (
            seat.organisation.display_name.casefold(),
            focal_first.get(BodyRole(seat.role), 2),
            str(seat.user).casefold(),
        ),
    ):
        groups[group_of[BodyRole(seat.role)]].seats.append(seat)
    return [group for group in groups.values() if group.seats]


def body_upcoming_meetings(*, user: AnyUser, body: Body) -> list[Meeting]:
    """The body's next meetings the user may see, soonest first."""
    return list(
        meeting_scope(user)
        .filter(body=body, ends_at__gte=timezone.now())
        .order_by("starts_at", "pk")[:PAGE_PART_ROWS]
    )


def body_past_meetings(*, user: AnyUser, body: Body) -> list[Meeting]:
    """The body's latest past meetings the user may see, with their minutes' status."""
    return list(
        meeting_scope(user)
        .filter(body=body, ends_at__lt=timezone.now())
        .select_related("minutes")
        .order_by("-starts_at", "-pk")[:PAGE_PART_ROWS]
    )


def body_recent_decisions(*, user: AnyUser, body: Body) -> list[Decision]:
    return list(
        decision_scope(user)
        .filter(body=body)
        .select_related("item__meeting")
        .order_by("-decided_on", "-pk")[:PAGE_PART_ROWS]
    )
