"""Factories for meetings, invitations and agenda items, written straight to the database."""

from datetime import timedelta
from typing import Any

from django.core.mail import EmailMessage
from django.utils import timezone
from factory.declarations import LazyAttribute, LazyFunction, Sequence, SubFactory
from factory.django import DjangoModelFactory
from icalendar import Calendar, Event

from polku.accounts.models import User
from polku.actors.tests.factories import BodyFactory, OrganisationFactory, UserFactory
from polku.meetings.choices import AgendaItemStatus, InvitationKind
from polku.meetings.models import AgendaItem, Invitation, Meeting
from polku.meetings.services.meetings import MeetingInput


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


# --- Minutes, decisions and actions ----------------------------------------------------

from polku.meetings.models import ActionItem, Decision, Minutes, MinutesVersion  # noqa: E402


def make_minutes(
    *,
    meeting: Meeting | None = None,
    texts: list[str] | None = None,
    author: User | None = None,
    **fields: Any,
) -> Minutes:
    """Minutes with one version per text (default one), in any status (override any field)."""
    meeting = meeting or make_meeting()
    texts = texts if texts is not None else ["1. Opening. The chair opened the meeting."]
    author = author or UserFactory.create()
    minutes = Minutes.objects.create(meeting=meeting, version=len(texts), **fields)
    for number, text in enumerate(texts, start=1):
        MinutesVersion.objects.create(minutes=minutes, number=number, text=text, created_by=author)
    return minutes


def make_decision(*, item: AgendaItem | None = None, **fields: Any) -> Decision:
    """A decision on an accepted agenda item, dated the meeting's day."""
    item = item or make_agenda_item()
    fields.setdefault("text", "The secretariat will draft a referral guideline.")
    fields.setdefault("decided_on", timezone.localdate(item.meeting.starts_at))
    return Decision.objects.create(item=item, body=item.meeting.body, **fields)


def make_action(
    *, item: AgendaItem | None = None, owner: User | None = None, **fields: Any
) -> ActionItem:
    """An open action on an agenda item, due in two weeks, owned by a new person."""
    decision = fields.get("decision")
    if item is None:
        item = decision.item if decision is not None else make_agenda_item()
    fields.setdefault("body", item.meeting.body)
    fields.setdefault("title", "Draft the referral guideline")
    fields.setdefault("owner_organisation", OrganisationFactory.create())
    fields.setdefault("due_on", timezone.localdate() + timedelta(days=14))
    return ActionItem.objects.create(item=item, owner=owner or UserFactory.create(), **fields)


def meeting_input(**overrides: Any) -> MeetingInput:
    """What a meeting is scheduled with: ten days ahead at 9.30, two hours, a room and a link."""
    start = (timezone.now() + timedelta(days=10)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )
    values: dict[str, Any] = {
        "title": "Secretariat meeting",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "location": "Room 3",
        "online_url": "https://meet.example.org/s",
    }
    values.update(overrides)
    return MeetingInput(**values)


def calendar_of(message: EmailMessage) -> tuple[Calendar, Event, str]:
    """The attached calendar, its one event, and the attachment's MIME type."""
    assert len(message.attachments) == 1
    name, content, mimetype = message.attachments[0]
    assert name == "meeting.ics"
    calendar = Calendar.from_ical(content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert isinstance(event, Event)
    return calendar, event, mimetype
