"""Every persona against every meeting page and action: 200/302, 403 or 404.

Two meetings: one of the open secretariat (every insider sees it) and one of the closed
working group (its members, the people invited to it and the coordination see it). The NGO
worker is invited to the closed group's meeting as a guest; a permanent guest of the group
sees it but proposes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PERSONA_NAMES, ClientFor, Personas
from polku.accounts.models import User
from polku.actors.choices import BodyRole
from polku.actors.tests.factories import make_body_member, make_membership, make_user
from polku.meetings.choices import AgendaItemStatus, InvitationKind
from polku.meetings.models import AgendaItem, Invitation, Meeting
from polku.meetings.tests.factories import (
    invite_members,
    invited_user,
    make_agenda_item,
    make_meeting,
)

NAMES = [*PERSONA_NAMES, "permanent_guest"]
INSIDERS = {name for name in NAMES if name not in ("outsider", "anonymous")}
COORDINATION = {"coordinator", "secretariat", "secretariat2", "admin"}
MANAGERS = {"coordinator", "secretariat", "secretariat2"}

OPEN_VISIBLE = INSIDERS
OPEN_PARTICIPANTS = COORDINATION
OPEN_PROPOSERS = MANAGERS
OPEN_INVITEES = {"coordinator", "secretariat", "secretariat2"}

CLOSED_VISIBLE = COORDINATION | {"practitioner", "ngo", "permanent_guest"}
CLOSED_PARTICIPANTS = CLOSED_VISIBLE
CLOSED_PROPOSERS = MANAGERS | {"practitioner"}
CLOSED_INVITEES = {"secretariat", "practitioner", "ngo", "permanent_guest"}


@dataclass
class World:
    open_meeting: Meeting
    closed_meeting: Meeting
    open_item: AgendaItem
    open_proposal: AgendaItem
    closed_item: AgendaItem
    closed_proposal: AgendaItem
    open_invitation: Invitation
    closed_guest: Invitation


@pytest.fixture
def world(personas: Personas) -> World:
    guest = make_user(username="permanent_guest")
    make_membership(user=guest, organisation=personas.ngo_org, role="practitioner")
    make_body_member(
        body=personas.private_group,
        user=guest,
        organisation=personas.ngo_org,
        role=BodyRole.GUEST,
    )
    open_meeting = make_meeting(body=personas.secretariat_body, title="Open meeting")
    open_invitations = invite_members(open_meeting)
    closed_meeting = make_meeting(body=personas.private_group, title="Closed meeting")
    invite_members(closed_meeting)
    closed_guest = invited_user(closed_meeting, personas.ngo, kind=InvitationKind.GUEST)

    def proposal(meeting: Meeting, by: str) -> AgendaItem:
        return make_agenda_item(
            meeting=meeting,
            proposed_by=getattr(personas, by),
            status=AgendaItemStatus.PROPOSED,
            title="A proposal",
        )

    return World(
        open_meeting=open_meeting,
        closed_meeting=closed_meeting,
        open_item=make_agenda_item(meeting=open_meeting, proposed_by=personas.coordinator),
        open_proposal=proposal(open_meeting, "secretariat2"),
        closed_item=make_agenda_item(meeting=closed_meeting, proposed_by=personas.secretariat),
        closed_proposal=proposal(closed_meeting, "practitioner"),
        open_invitation=next(
            invitation
            for invitation in open_invitations
            if invitation.user_id == personas.secretariat2.pk
        ),
        closed_guest=closed_guest,
    )


@pytest.fixture
def client_as(client_for: ClientFor, world: World) -> Callable[[str], Client]:
    def make(name: str) -> Client:
        if name == "permanent_guest":
            client = Client()
            client.force_login(User.objects.get(username="permanent_guest"))
            return client
        return client_for(name)

    return make


def on_object(name: str, *, allowed: set[str], visible: set[str]) -> int:
    """Outsiders never learn an object exists (404); insiders without the right get 403."""
    if name == "anonymous":
        return 302
    if name in allowed:
        return 200
    if name in visible:
        return 403
    return 404


def on_page(name: str, *, allowed: set[str]) -> int:
    if name == "anonymous":
        return 302
    return 200 if name in allowed else 403


def url(name: str, *args: int) -> str:
    return reverse(f"meetings:{name}", args=args)


Case = tuple[str, Callable[[World], str], Callable[[str], int]]

PAGES: list[Case] = [
    ("list", lambda w: url("meeting_list"), lambda n: on_page(n, allowed=INSIDERS)),
    (
        "list past",
        lambda w: url("meeting_list") + "?when=past",
        lambda n: on_page(n, allowed=INSIDERS),
    ),
    ("schedule", lambda w: url("meeting_create"), lambda n: on_page(n, allowed=MANAGERS)),
    ("calendar", lambda w: url("calendar_settings"), lambda n: on_page(n, allowed=INSIDERS)),
]


def meeting_cases(
    label: str, pick: Callable[[World], Meeting], *, visible: set[str], proposers: set[str]
) -> list[Case]:
    """The pages of one meeting: who sees it, who manages it and who proposes."""

    def page(name: str) -> Callable[[World], str]:
        return lambda w: url(name, pick(w).pk)

    def expect(allowed: set[str]) -> Callable[[str], int]:
        return lambda n: on_object(n, allowed=allowed, visible=visible)

    cases: list[Case] = [(f"{label} detail", lambda w: pick(w).get_absolute_url(), expect(visible))]
    for name in ("meeting_edit", "meeting_cancel", "meeting_invite", "meeting_attendance"):
        cases.append((f"{label} {name}", page(name), expect(MANAGERS)))
    cases += [
        (f"{label} item_create", page("item_create"), expect(MANAGERS)),
        (f"{label} item_propose", page("item_propose"), expect(proposers)),
        (f"{label} document_upload", page("document_upload"), expect(proposers)),
    ]
    return cases


PAGES += meeting_cases(
    "open", lambda w: w.open_meeting, visible=OPEN_VISIBLE, proposers=OPEN_PROPOSERS
)
PAGES += meeting_cases(
    "closed", lambda w: w.closed_meeting, visible=CLOSED_VISIBLE, proposers=CLOSED_PROPOSERS
)
PAGES += [
    (
        "open accepted item edit",
        lambda w: url("item_edit", w.open_meeting.pk, w.open_item.pk),
        lambda n: on_object(n, allowed=MANAGERS, visible=OPEN_VISIBLE),
    ),
    (
        "open proposal decline",
        lambda w: url("item_decline", w.open_meeting.pk, w.open_proposal.pk),
        # Proposals are shown to participants only; anyone else cannot find them.
        lambda n: on_object(n, allowed=MANAGERS, visible=OPEN_PARTICIPANTS),
    ),
    (
        "closed proposal edit by its proposer",
        lambda w: url("item_edit", w.closed_meeting.pk, w.closed_proposal.pk),
        lambda n: on_object(n, allowed=MANAGERS | {"practitioner"}, visible=CLOSED_PARTICIPANTS),
    ),
    (
        "closed accepted item decline",
        lambda w: url("item_decline", w.closed_meeting.pk, w.closed_item.pk),
        lambda n: on_object(n, allowed=MANAGERS, visible=CLOSED_VISIBLE),
    ),
    (
        "open invitation withdraw",
        lambda w: url("invitation_withdraw", w.open_meeting.pk, w.open_invitation.pk),
        lambda n: on_object(n, allowed=MANAGERS, visible=OPEN_VISIBLE),
    ),
    (
        "closed guest invitation withdraw",
        lambda w: url("invitation_withdraw", w.closed_meeting.pk, w.closed_guest.pk),
        lambda n: on_object(n, allowed=MANAGERS, visible=CLOSED_VISIBLE),
    ),
]


@pytest.mark.parametrize("persona", NAMES)
@pytest.mark.parametrize(("label", "make_url", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_it_answers_each_page_as_the_permissions_say(
    client_as: Callable[[str], Client],
    world: World,
    persona: str,
    label: str,
    make_url: Callable[[World], str],
    expected: Callable[[str], int],
) -> None:
    response = client_as(persona).get(make_url(world))
    assert response.status_code == expected(persona)


def on_post(name: str, *, allowed: set[str], visible: set[str]) -> int:
    """A permitted POST redirects back to the meeting (302), as does an anonymous one to
    sign in; the others are 403 or 404."""
    status = on_object(name, allowed=allowed, visible=visible)
    return 302 if status == 200 else status


POSTS: list[tuple[str, Callable[[World], str], dict[str, str], Callable[[str], int]]] = [
    (
        "open respond",
        lambda w: url("meeting_respond", w.open_meeting.pk),
        {"response": "accepted"},
        lambda n: on_post(n, allowed=OPEN_INVITEES, visible=OPEN_VISIBLE),
    ),
    (
        "closed respond",
        lambda w: url("meeting_respond", w.closed_meeting.pk),
        {"response": "declined"},
        lambda n: on_post(n, allowed=CLOSED_INVITEES, visible=CLOSED_VISIBLE),
    ),
    (
        "closed held",
        lambda w: url("meeting_held", w.closed_meeting.pk),
        {},
        lambda n: on_post(n, allowed=MANAGERS, visible=CLOSED_VISIBLE),
    ),
    (
        "open send agenda",
        lambda w: url("meeting_send_agenda", w.open_meeting.pk),
        {},
        lambda n: on_post(n, allowed=MANAGERS, visible=OPEN_VISIBLE),
    ),
    (
        "closed accept",
        lambda w: url("item_accept", w.closed_meeting.pk, w.closed_proposal.pk),
        {},
        lambda n: on_post(n, allowed=MANAGERS, visible=CLOSED_PARTICIPANTS),
    ),
    (
        "open accept",
        lambda w: url("item_accept", w.open_meeting.pk, w.open_proposal.pk),
        {},
        lambda n: on_post(n, allowed=MANAGERS, visible=OPEN_PARTICIPANTS),
    ),
    (
        "open move",
        lambda w: url("item_move", w.open_meeting.pk, w.open_item.pk),
        {"direction": "down"},
        lambda n: on_post(n, allowed=MANAGERS, visible=OPEN_VISIBLE),
    ),
    (
        "open withdraw",
        lambda w: url("invitation_withdraw", w.open_meeting.pk, w.open_invitation.pk),
        {},
        lambda n: on_post(n, allowed=MANAGERS, visible=OPEN_VISIBLE),
    ),
    (
        "closed withdraw",
        lambda w: url("invitation_withdraw", w.closed_meeting.pk, w.closed_guest.pk),
        {},
        lambda n: on_post(n, allowed=MANAGERS, visible=CLOSED_VISIBLE),
    ),
]


@pytest.mark.parametrize("persona", NAMES)
@pytest.mark.parametrize(
    ("label", "make_url", "data", "expected"), POSTS, ids=[p[0] for p in POSTS]
)
def test_it_answers_each_action_as_the_permissions_say(
    client_as: Callable[[str], Client],
    world: World,
    persona: str,
    label: str,
    make_url: Callable[[World], str],
    data: dict[str, str],
    expected: Callable[[str], int],
) -> None:
    response = client_as(persona).post(make_url(world), data)
    assert response.status_code == expected(persona)


@pytest.mark.parametrize("persona", NAMES)
def test_it_changes_nothing_for_those_refused(
    client_as: Callable[[str], Client], world: World, persona: str
) -> None:
    """A refused accept leaves the proposal as it was."""
    client_as(persona).post(url("item_accept", world.closed_meeting.pk, world.closed_proposal.pk))
    world.closed_proposal.refresh_from_db()
    accepted = world.closed_proposal.status == AgendaItemStatus.ACCEPTED
    assert accepted == (persona in MANAGERS)


@pytest.mark.parametrize("persona", NAMES)
def test_it_withdraws_an_invitation_only_for_managers(
    client_as: Callable[[str], Client], world: World, persona: str
) -> None:
    """A refused withdrawal leaves the guest invited."""
    client_as(persona).post(
        url("invitation_withdraw", world.closed_meeting.pk, world.closed_guest.pk)
    )
    world.closed_guest.refresh_from_db()
    assert (world.closed_guest.withdrawn_at is not None) == (persona in MANAGERS)


@pytest.mark.parametrize("persona", NAMES)
def test_it_shows_proposals_and_papers_only_to_participants(
    client_as: Callable[[str], Client], world: World, persona: str
) -> None:
    response = client_as(persona).get(world.open_meeting.get_absolute_url())
    if persona not in OPEN_VISIBLE:
        return
    html = response.content.decode()
    assert ("A proposal" in html) == (persona in OPEN_PARTICIPANTS)
    assert ('id="documents"' in html) == (persona in OPEN_PARTICIPANTS)
    assert ('id="invitees"' in html) == (persona in OPEN_PARTICIPANTS)
    assert ("Run the meeting" in html) == (persona in MANAGERS)
    assert world.open_item.title in html
