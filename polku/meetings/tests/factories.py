"""Factories for meetings, invitations and agenda items, written straight to the database."""

from datetime import timedelta
from typing import Any

from django.utils import timezone
from factory.declarations import LazyAttribute, LazyFunction, Sequence, SubFactory
from factory.django import DjangoModelFactory

from polku.accounts.models import User
from polku.actors.tests.factories import BodyFactory, OrganisationFactory, UserFactory
from polku.meetings.choices import AgendaItemStatus, InvitationKind
from polku.meetings.models import AgendaItem, Invitation, Meeting


class MeetingFactory(DjangoModelFactory[Meeting]):
    class Meta:
        model = Meeting

    body = SubFactory(BodyFactory)
    title = Sequence(lambda n: f"Meeting {n}")
    starts_at = LazyFunction(
        lambda: (timezone.now() + timedelta(days=14)).replace(
            hour=10, minute=0, second=0, microsecond=0
        )
    )
    ends_at = LazyAttribute(lambda meeting: meeting.starts_at + timedelta(hours=2))
    location = "Meeting room 1"


class InvitationFactory(DjangoModelFactory[Invitation]):
    class Meta:
        model = Invitation

    meeting = SubFactory(MeetingFactory)
    user = SubFactory(UserFactory)
    organisation = SubFactory(OrganisationFactory)
    kind = InvitationKind.MEMBER


class AgendaItemFactory(DjangoModelFactory[AgendaItem]):
    class Meta:
        model = AgendaItem

    meeting = SubFactory(MeetingFactory)
    title = Sequence(lambda n: f"Agenda item {n}")
    position = Sequence(lambda n: n + 1)
    status = AgendaItemStatus.ACCEPTED
    proposed_by = SubFactory(UserFactory)


def make_meeting(**kwargs: Any) -> Meeting:
    """A scheduled meeting two weeks from now, 10:00 to 12:00 (override any field)."""
    return MeetingFactory.create(**kwargs)


def make_invitation(**kwargs: Any) -> Invitation:
    """An invitation as a member; pass `meeting`, `user` and `organisation` as needed."""
    return InvitationFactory.create(**kwargs)


def make_agenda_item(**kwargs: Any) -> AgendaItem:
    """An item already accepted onto the agenda (pass `status` for a proposed one)."""
    return AgendaItemFactory.create(**kwargs)


def invite_members(meeting: Meeting) -> list[Invitation]:
    """Invites every current member of the meeting's body, as scheduling does."""
    return [
        make_invitation(
            meeting=meeting,
            user=seat.user,
            organisation=seat.organisation,
            kind=InvitationKind.GUEST if seat.role == "guest" else InvitationKind.MEMBER,
        )
        for seat in meeting.body.members.select_related("user", "organisation")
    ]


def invited_user(meeting: Meeting, user: User, **kwargs: Any) -> Invitation:
    """Invites one person to a meeting, as a member of their first organisation if any."""
    membership = user.memberships.select_related("organisation").first()
    organisation = membership.organisation if membership else OrganisationFactory.create()
    return make_invitation(meeting=meeting, user=user, organisation=organisation, **kwargs)
