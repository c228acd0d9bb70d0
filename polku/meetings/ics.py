"""iCalendar for meetings: the invitation, update or cancellation e-mailed to each invitee
(a cancellation too for someone whose invitation is withdrawn), and a person's feed of their meetings and deadlines (docs/adr/0011-calendar-feeds.md).

Times are written in UTC, so no calendar has to know Polku's time zone. A meeting keeps one
UID for its whole life; its SEQUENCE rises with every change invitees must hear about.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from polku.meetings.choices import InvitationKind, InvitationResponse, MeetingStatus
from polku.meetings.models import AgendaItem, Invitation, Meeting

PRODID = "-//Polku//Meetings//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"

PARTSTAT: dict[str, str] = {
    InvitationResponse.PENDING: "NEEDS-ACTION",
    InvitationResponse.ACCEPTED: "ACCEPTED",
    InvitationResponse.DECLINED: "DECLINED",
}


@dataclass(frozen=True)
class Deadline:
    """A dated thing to do that belongs in a person's calendar as an all-day entry."""

    uid: str
    day: date
    summary: str
    url: str = ""
    description: str = ""


def absolute(path: str) -> str:
    """A site path as a link that works outside the site."""
    if not path or not path.startswith("/"):
        return path
    return settings.SITE_URL.rstrip("/") + path


def safe_reverse(name: str, **kwargs: object) -> str:
    """A link to a page that may not exist in every installation: empty when it does not."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def agenda_lines(items: Iterable[AgendaItem]) -> list[str]:
    """The accepted items as numbered lines, with their time where one is set."""
    lines = []
    for number, item in enumerate(items, start=1):
        if item.duration_minutes:
            lines.append(
                _("%(number)d. %(title)s (%(minutes)d min)")
                % {"number": number, "title": item.title, "minutes": item.duration_minutes}
            )
        else:
            lines.append(_("%(number)d. %(title)s") % {"number": number, "title": item.title})
    return lines


def meeting_description(meeting: Meeting, agenda: Sequence[AgendaItem] = ()) -> str:
    """The plain text a calendar shows under the meeting's title."""
    parts = [str(meeting.body)]
    if meeting.status == MeetingStatus.CANCELLED:
        parts.append(
            _("Cancelled: %(reason)s") % {"reason": meeting.cancellation_reason}
            if meeting.cancellation_reason
            else _("Cancelled.")
        )
    if meeting.online_url:
        parts.append(_("Join online: %(link)s") % {"link": meeting.online_url})
    if meeting.description:
        parts.append(meeting.description)
    if agenda:
        parts.append("\n".join([_("Agenda:"), *agenda_lines(agenda)]))
    parts.append(_("In Polku: %(link)s") % {"link": absolute(meeting.get_absolute_url())})
    return "\n\n".join(parts)


def _organizer(meeting: Meeting) -> vCalAddress:
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address or 'noreply@localhost'}")
    organizer.params["cn"] = vText(str(meeting.body))
    return organizer


def _attendee(invitation: Invitation) -> vCalAddress:
    attendee = vCalAddress(f"mailto:{invitation.user.email}")
    attendee.params["cn"] = vText(str(invitation.user))
    attendee.params["role"] = vText(
        "OPT-PARTICIPANT" if invitation.kind == InvitationKind.GUEST else "REQ-PARTICIPANT"
    )
    attendee.params["partstat"] = vText(PARTSTAT.get(invitation.response, "NEEDS-ACTION"))
    # Answers are given on the meeting's page, where they are recorded and audited.
    attendee.params["rsvp"] = vText("FALSE")
    return attendee


def _withdrawn(invitation: Invitation | None) -> bool:
    return invitation is not None and invitation.withdrawn_at is not None


def _cancelled_for(meeting: Meeting, invitation: Invitation | None) -> bool:
    """Cancelled for everyone, or for the one person whose invitation was withdrawn."""
    return meeting.status == MeetingStatus.CANCELLED or _withdrawn(invitation)


def meeting_event(
    meeting: Meeting,
    *,
    agenda: Sequence[AgendaItem] = (),
    invitation: Invitation | None = None,
    stamp: datetime | None = None,
) -> Event:
    """One meeting as a VEVENT, in UTC, with its UID, SEQUENCE and status."""
    event = Event()
    event.add("uid", meeting.uid)
    event.add("dtstamp", (stamp or timezone.now()).astimezone(UTC))
    # Each time a person is invited again after a withdrawal their copy moves one revision
    # ahead of the meeting's (``Invitation.renewals``), past the CANCEL they were sent.
    event.add("sequence", meeting.sequence + (invitation.renewals if invitation else 0))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("summary", meeting.title)
    if _withdrawn(invitation):
        # Someone no longer invited is told only which entry to take out of their
        # calendar: not the link to join, the description or the page they cannot open.
        event.add("description", str(meeting.body))
    else:
        location = meeting.location or meeting.online_url
        if location:
            event.add("location", location)
        event.add("url", absolute(meeting.get_absolute_url()))
        event.add("description", meeting_description(meeting, agenda))
    event.add("status", "CANCELLED" if _cancelled_for(meeting, invitation) else "CONFIRMED")
    if meeting.updated_at:
        event.add("last-modified", meeting.updated_at.astimezone(UTC))
    if invitation is not None:
        event.add("organizer", _organizer(meeting))
        event.add("attendee", _attendee(invitation))
    return event


def deadline_event(deadline: Deadline, *, stamp: datetime) -> Event:
    """An all-day entry that blocks no time: a due date, not an appointment."""
    event = Event()
    event.add("uid", deadline.uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", deadline.day)
    event.add("dtend", deadline.day + timedelta(days=1))
    event.add("summary", deadline.summary)
    event.add("transp", "TRANSPARENT")
    if deadline.url:
        event.add("url", absolute(deadline.url))
    description = "\n\n".join(
        part for part in (deadline.description, absolute(deadline.url)) if part
    )
    if description:
        event.add("description", description)
    return event


def _calendar(method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def invitation_ics(
    meeting: Meeting,
    *,
    invitation: Invitation,
    agenda: Sequence[AgendaItem] = (),
) -> bytes:
    """The calendar attached to one invitee's e-mail: REQUEST, or CANCEL once the meeting is
    cancelled or their invitation withdrawn. Inviting the person again raises their SEQUENCE
    by one, so their calendar takes the new REQUEST even if the CANCEL arrives after it."""
    cancelled = _cancelled_for(meeting, invitation)
    calendar = _calendar("CANCEL" if cancelled else "REQUEST")
    calendar.add_component(meeting_event(meeting, agenda=agenda, invitation=invitation))
    return bytes(calendar.to_ical())


def invitation_mimetype(meeting: Meeting, invitation: Invitation | None = None) -> str:
    """The attachment's type names its method, as mail clients expect (RFC 6047)."""
    method = "CANCEL" if _cancelled_for(meeting, invitation) else "REQUEST"
    return f"text/calendar; method={method}; charset=UTF-8"


def feed_ics(
    *,
    name: str,
    meetings: Iterable[Meeting],
    deadlines: Iterable[Deadline],
) -> bytes:
    """A person's feed: their meetings (cancelled ones marked so) and their deadlines."""
    stamp = timezone.now()
    calendar = _calendar("PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for meeting in meetings:
        agenda = list(getattr(meeting, "accepted_items", ()))
        calendar.add_component(meeting_event(meeting, agenda=agenda, stamp=stamp))
    for deadline in deadlines:
        calendar.add_component(deadline_event(deadline, stamp=stamp))
    return bytes(calendar.to_ical())
