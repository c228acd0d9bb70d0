"""Who reads and keeps the minutes, in every state and for every audience: 200/302/403/404.

The meeting belongs to an open working group. The coordinator, the secretariat members
(managing roles) keep its minutes; the practitioner sits on the group; the NGO worker was
invited as a guest; the administrator belongs to the coordination and takes part in every
meeting; the others are insiders who may see the meeting but not take part.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import PERSONA_NAMES, ClientFor, Personas
from polku.actors.choices import BodyRole, BodyVisibility
from polku.actors.tests.factories import make_body, make_body_member
from polku.meetings.choices import InvitationKind, MeetingStatus, MinutesAudience, MinutesStatus
from polku.meetings.models import Meeting, Minutes
from polku.meetings.tests.factories import make_invitation, make_meeting, make_minutes

MANAGERS = {"coordinator", "secretariat", "secretariat2"}
PARTICIPANTS = MANAGERS | {"practitioner", "ngo", "admin"}
INSIDERS = {name for name in PERSONA_NAMES if name not in ("outsider", "anonymous")}

STATES = [
    ("draft", MinutesStatus.DRAFT, MinutesAudience.BODY),
    ("circulated", MinutesStatus.CIRCULATED, MinutesAudience.BODY),
    ("revised", MinutesStatus.REVISED, MinutesAudience.BODY),
    ("approved", MinutesStatus.APPROVED, MinutesAudience.PUBLIC),
    ("published to the body", MinutesStatus.PUBLISHED, MinutesAudience.BODY),
    ("published to insiders", MinutesStatus.PUBLISHED, MinutesAudience.INSIDERS),
    ("published to the public", MinutesStatus.PUBLISHED, MinutesAudience.PUBLIC),
]


def readers(status: str, audience: str) -> set[str]:
    """Who may read the minutes in this state (anonymous included for public minutes)."""
    if status == MinutesStatus.DRAFT:
        return MANAGERS
    if status != MinutesStatus.PUBLISHED or audience == MinutesAudience.BODY:
        return PARTICIPANTS
    if audience == MinutesAudience.INSIDERS:
        return INSIDERS
    return set(PERSONA_NAMES)


def expected(name: str, allowed: set[str], *, meeting_visible: set[str] = INSIDERS) -> int:
    if name in allowed:
        return 200
    if name == "anonymous":
        return 302
    if name in meeting_visible:
        return 403
    return 404


@dataclass
class World:
    meeting: Meeting


@pytest.fixture
def world(personas: Personas) -> World:
    body = make_body(name="Labour exploitation working group", visibility=BodyVisibility.ALL_USERS)
    make_body_member(
        body=body, user=personas.practitioner, organisation=personas.police, role=BodyRole.MEMBER
    )
    started = timezone.now() - timedelta(days=3)
    meeting = make_meeting(
        body=body,
        starts_at=started,
        ends_at=started + timedelta(hours=2),
        status=MeetingStatus.HELD,
    )
    make_invitation(meeting=meeting, user=personas.practitioner, organisation=personas.police)
    make_invitation(
        meeting=meeting, user=personas.ngo, organisation=personas.ngo_org, kind=InvitationKind.GUEST
    )
    return World(meeting=meeting)


def _minutes(world: World, status: str, audience: str) -> Minutes:
    return make_minutes(
        meeting=world.meeting,
        texts=["The group agreed a referral checklist.", "The group agreed a checklist."],
        status=status,
        audience=audience,
        comment_deadline=timezone.localdate() + timedelta(days=5),
    )


@pytest.mark.parametrize("name", PERSONA_NAMES)
@pytest.mark.parametrize(("state", "status", "audience"), STATES, ids=[s[0] for s in STATES])
def test_who_reads_the_minutes(
    client_for: ClientFor,
    world: World,
    name: str,
    state: str,
    status: str,
    audience: str,
) -> None:
    _minutes(world, status, audience)
    response = client_for(name).get(reverse("meetings:minutes_detail", args=[world.meeting.pk]))
    assert response.status_code == expected(name, readers(status, audience))
    if response.status_code == 200:
        assert "The group agreed a checklist." in response.content.decode()


@pytest.mark.parametrize("name", PERSONA_NAMES)
@pytest.mark.parametrize(("state", "status", "audience"), STATES, ids=[s[0] for s in STATES])
def test_who_compares_versions(
    client_for: ClientFor,
    world: World,
    name: str,
    state: str,
    status: str,
    audience: str,
) -> None:
    """Versions are for the managers and, from circulation on, the participants; a public
    audience reads only the published text."""
    _minutes(world, status, audience)
    allowed = MANAGERS if status == MinutesStatus.DRAFT else PARTICIPANTS
    for url_name in ("meetings:minutes_versions", "meetings:minutes_diff"):
        response = client_for(name).get(reverse(url_name, args=[world.meeting.pk]))
        assert response.status_code == expected(name, allowed)


@pytest.mark.parametrize("name", PERSONA_NAMES)
def test_who_writes_the_minutes(client_for: ClientFor, world: World, name: str) -> None:
    response = client_for(name).get(reverse("meetings:minutes_edit", args=[world.meeting.pk]))
    assert response.status_code == expected(name, MANAGERS)


@pytest.mark.parametrize("name", PERSONA_NAMES)
def test_who_comments_on_circulated_minutes(client_for: ClientFor, world: World, name: str) -> None:
    minutes = _minutes(world, MinutesStatus.CIRCULATED, MinutesAudience.BODY)
    response = client_for(name).post(
        reverse("meetings:minutes_comment", args=[world.meeting.pk]), {"text": "A comment"}
    )
    assert response.status_code == (302 if name in PARTICIPANTS else expected(name, set()))
    assert minutes.comments.count() == (1 if name in PARTICIPANTS else 0)


@pytest.mark.parametrize("name", PERSONA_NAMES)
@pytest.mark.parametrize(
    ("url_name", "status", "data"),
    [
        ("meetings:minutes_circulate", MinutesStatus.DRAFT, {"comment_deadline": "2099-01-01"}),
        ("meetings:minutes_publish", MinutesStatus.APPROVED, {"audience": "public"}),
    ],
)
def test_who_moves_the_minutes_on(
    client_for: ClientFor,
    world: World,
    name: str,
    url_name: str,
    status: str,
    data: dict[str, str],
) -> None:
    """Managers circulate and publish; a participant gets 403 and nothing changes."""
    minutes = _minutes(world, status, MinutesAudience.BODY)
    response = client_for(name).post(reverse(url_name, args=[world.meeting.pk]), data)
    assert response.status_code == (302 if name in MANAGERS else expected(name, set()))
    minutes.refresh_from_db()
    assert (minutes.status != status) == (name in MANAGERS)


@pytest.mark.parametrize("name", PERSONA_NAMES)
def test_only_the_chair_approves_alone(
    client_for: ClientFor, personas: Personas, world: World, name: str
) -> None:
    make_body_member(
        body=world.meeting.body,
        user=personas.secretariat2,
        organisation=personas.social_affairs,
        role=BodyRole.CHAIR,
    )
    minutes = _minutes(world, MinutesStatus.REVISED, MinutesAudience.BODY)
    response = client_for(name).post(reverse("meetings:minutes_approve", args=[world.meeting.pk]))
    if name in ("secretariat2", "anonymous"):
        assert response.status_code == 302
    else:
        assert response.status_code == expected(name, set())
    minutes.refresh_from_db()
    assert (minutes.status == MinutesStatus.APPROVED) == (name == "secretariat2")


def test_a_closed_bodys_minutes_reach_insiders_only_when_published_to_them(
    client_for: ClientFor, personas: Personas
) -> None:
    """The decision-maker cannot see the closed group's meeting (404) until its minutes are
    published to everyone signed in."""
    started = timezone.now() - timedelta(days=3)
    meeting = make_meeting(
        body=personas.private_group, starts_at=started, ends_at=started + timedelta(hours=1)
    )
    minutes = make_minutes(meeting=meeting, status=MinutesStatus.APPROVED)
    url = reverse("meetings:minutes_detail", args=[meeting.pk])
    assert client_for("decisionmaker").get(url).status_code == 404
    assert client_for("practitioner").get(url).status_code == 200
    Minutes.objects.filter(pk=minutes.pk).update(
        status=MinutesStatus.PUBLISHED, audience=MinutesAudience.INSIDERS
    )
    assert client_for("decisionmaker").get(url).status_code == 200
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("anonymous").get(url).status_code == 302


def test_a_meeting_without_minutes_is_the_managers_page(
    client_for: ClientFor, world: World
) -> None:
    url = reverse("meetings:minutes_detail", args=[world.meeting.pk])
    assert client_for("secretariat").get(url).status_code == 200
    assert client_for("practitioner").get(url).status_code == 403
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("anonymous").get(url).status_code == 302
    assert (
        client_for("anonymous").get(reverse("meetings:minutes_detail", args=[999999])).status_code
        == 302
    )
