"""The meeting pages: list, schedule, change, cancel, answer, attendance, agenda actions,
and their query budgets."""

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from conftest import ClientFor, Personas
from polku.actors.tests.factories import (
    make_body,
    make_body_member,
    make_membership,
    make_user,
)
from polku.meetings.choices import (
    AgendaItemStatus,
    Attendance,
    InvitationKind,
    InvitationResponse,
    MeetingStatus,
)
from polku.meetings.models import Decision, Invitation, Meeting, MeetingDocument
from polku.meetings.tests.factories import (
    invite_members,
    invited_user,
    make_agenda_item,
    make_meeting,
)
from polku.voice.choices import ChallengeStatus
from polku.voice.tests.factories import make_challenge


def page(client_for: ClientFor, persona: str, url: str) -> str:
    response = client_for(persona).get(url)
    assert response.status_code == 200
    return response.content.decode()


def in_days(days: int, hour: int = 10) -> dict[str, Any]:
    start = (timezone.localtime() + timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )
    return {"starts_at": start, "ends_at": start + timedelta(hours=2)}


# --- The list --------------------------------------------------------------------------


def test_it_lists_upcoming_meetings_soonest_first_and_past_ones_latest_first(
    personas: Personas, client_for: ClientFor
) -> None:
    make_meeting(body=personas.secretariat_body, title="Next month", **in_days(30))
    make_meeting(body=personas.secretariat_body, title="Next week", **in_days(7))
    make_meeting(body=personas.secretariat_body, title="Last month", **in_days(-30))
    make_meeting(body=personas.secretariat_body, title="Last week", **in_days(-7))
    upcoming = page(client_for, "ngo", reverse("meetings:meeting_list"))
    assert upcoming.index("Next week") < upcoming.index("Next month")
    assert "Last week" not in upcoming
    past = page(client_for, "ngo", reverse("meetings:meeting_list") + "?when=past")
    assert past.index("Last week") < past.index("Last month")
    assert "Next week" not in past
    assert 'aria-current="page">Past' in past


def test_it_filters_by_body_and_searches_titles_within_the_readers_scope(
    personas: Personas, client_for: ClientFor
) -> None:
    other = make_body(name="Labour exploitation round table")
    make_meeting(body=personas.secretariat_body, title="Secretariat spring meeting")
    make_meeting(body=other, title="Round table on seasonal work")
    make_meeting(body=personas.private_group, title="Closed group spring meeting")
    url = reverse("meetings:meeting_list")
    by_body = page(client_for, "ngo", f"{url}?body={other.pk}")
    assert "Round table on seasonal work" in by_body
    assert "Secretariat spring meeting" not in by_body
    searched = page(client_for, "ngo", f"{url}?q=SPRING")
    assert "Secretariat spring meeting" in searched
    assert "Round table" not in searched
    assert "Closed group spring meeting" not in searched
    assert "Closed group spring meeting" in page(client_for, "practitioner", f"{url}?q=spring")
    closed_option = f'<option value="{personas.private_group.pk}"'
    assert closed_option not in page(client_for, "ngo", url)
    nothing = page(client_for, "ngo", f"{url}?q=nothing+like+this")
    assert "No meetings match these filters." in nothing


def test_it_paginates_the_list(
    personas: Personas, client_for: ClientFor, settings: pytest.FixtureRequest
) -> None:
    settings.POLKU_PAGE_SIZE = 2  # type: ignore[attr-defined]
    for day in range(1, 6):
        make_meeting(body=personas.secretariat_body, title=f"Meeting on day {day}", **in_days(day))
    first = page(client_for, "ngo", reverse("meetings:meeting_list"))
    assert "Meeting on day 1" in first and "Meeting on day 3" not in first
    third = page(client_for, "ngo", reverse("meetings:meeting_list") + "?page=3")
    assert "Meeting on day 5" in third
    assert "5 upcoming meetings" in third


def test_it_shows_empty_states_with_the_next_step(
    personas: Personas, client_for: ClientFor
) -> None:
    for_manager = page(client_for, "secretariat", reverse("meetings:meeting_list"))
    assert "No meetings are coming up." in for_manager
    assert reverse("meetings:meeting_create") in for_manager
    for_reader = page(client_for, "ngo", reverse("meetings:meeting_list"))
    assert "No meetings are coming up." in for_reader
    assert reverse("meetings:meeting_create") not in for_reader
    past = page(client_for, "ngo", reverse("meetings:meeting_list") + "?when=past")
    assert "No meetings have been held yet." in past


def test_it_shows_each_readers_own_answer(personas: Personas, client_for: ClientFor) -> None:
    meeting = make_meeting(body=personas.secretariat_body)
    invite_members(meeting)
    Invitation.objects.filter(user=personas.secretariat).update(
        response=InvitationResponse.DECLINED
    )
    assert "Not coming" in page(client_for, "secretariat", reverse("meetings:meeting_list"))
    assert "Not answered" in page(client_for, "coordinator", reverse("meetings:meeting_list"))
    assert "Not invited" in page(client_for, "ngo", reverse("meetings:meeting_list"))


# --- Scheduling and changing -----------------------------------------------------------


def meeting_form(**overrides: str) -> dict[str, str]:
    day = (timezone.localdate() + timedelta(days=12)).isoformat()
    values = {
        "title": "Spring meeting",
        "day": day,
        "starts": "09:30",
        "ends": "11:30",
        "location": "Room 3",
        "online_url": "",
        "description": "",
        "agenda_lead_days": "7",
    }
    values.update(overrides)
    return values


def test_it_preselects_the_body_and_offers_only_bodies_one_manages(
    personas: Personas, client_for: ClientFor
) -> None:
    html = page(
        client_for,
        "secretariat",
        reverse("meetings:meeting_create") + f"?body={personas.private_group.pk}",
    )
    assert f'<option value="{personas.private_group.pk}" selected>' in html
    chair = make_user(username="chair")
    make_membership(user=chair, organisation=personas.police, role="practitioner")
    group = make_body(name="Chaired group")
    make_body_member(body=group, user=chair, organisation=personas.police, role="chair")
    client = client_for("anonymous")
    client.force_login(chair)
    offered = client.get(reverse("meetings:meeting_create")).content.decode()
    assert f'<option value="{group.pk}"' in offered
    assert f'<option value="{personas.secretariat_body.pk}"' not in offered


def test_it_schedules_through_the_form_and_invites_by_email(
    personas: Personas, client_for: ClientFor, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for("secretariat")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:meeting_create"),
            meeting_form(body=str(personas.private_group.pk)),
        )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "09:30"
    assert {m.to[0] for m in mail.outbox} == {"secretariat@example.org", "practitioner@example.org"}
    detail = client.get(meeting.get_absolute_url()).content.decode()
    assert "2 people were invited" in detail


def test_it_shows_the_services_refusals_on_the_form(
    personas: Personas, client_for: ClientFor
) -> None:
    response = client_for("secretariat").post(
        reverse("meetings:meeting_create"),
        meeting_form(body=str(personas.private_group.pk), ends="08:00", location=""),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert '<a href="#id_ends">The meeting must end after it starts.</a>' in html
    assert not Meeting.objects.exists()
    no_place = client_for("secretariat").post(
        reverse("meetings:meeting_create"),
        meeting_form(body=str(personas.private_group.pk), location=""),
    )
    assert '<a href="#id_location">Give a place, an online link, or both.</a>' in (
        no_place.content.decode()
    )


def test_it_changes_a_meeting_and_sends_an_update(
    personas: Personas, client_for: ClientFor, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = make_meeting(body=personas.secretariat_body, title="Spring meeting")
    invite_members(meeting)
    client = client_for("coordinator")
    form = page(client_for, "coordinator", reverse("meetings:meeting_edit", args=[meeting.pk]))
    assert 'value="Spring meeting"' in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:meeting_edit", args=[meeting.pk]),
            meeting_form(location="Room 5"),
        )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.location, meeting.sequence) == ("Room 5", 1)
    assert len(mail.outbox) == 3
    attachment = mail.outbox[0].attachments[0]
    assert Calendar.from_ical(attachment[1]).walk("VEVENT")[0]["SEQUENCE"] == 1


def test_it_confirms_before_cancelling_and_asks_why(
    personas: Personas, client_for: ClientFor, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = make_meeting(body=personas.secretariat_body)
    invite_members(meeting)
    Invitation.objects.update(sent_sequence=0)
    client = client_for("secretariat2")
    url = reverse("meetings:meeting_cancel", args=[meeting.pk])
    confirm = page(client_for, "secretariat2", url)
    assert "Cancel the meeting?" in confirm
    assert "govuk-button--warning" in confirm
    missing = client.post(url, {"reason": ""})
    assert missing.status_code == 200
    assert "Give the reason." in missing.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"reason": "No quorum."})
    assert done.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Cancelled"] * 3
    detail = page(client_for, "ngo", meeting.get_absolute_url())
    assert "This meeting is cancelled." in detail and "No quorum." in detail


def test_it_lets_invitees_answer_from_the_meeting_page(
    personas: Personas, client_for: ClientFor
) -> None:
    meeting = make_meeting(body=personas.secretariat_body)
    invite_members(meeting)
    html = page(client_for, "secretariat", meeting.get_absolute_url())
    assert "Are you coming?" in html
    assert "Are you coming?" not in page(client_for, "ngo", meeting.get_absolute_url())
    client = client_for("secretariat")
    response = client.post(
        reverse("meetings:meeting_respond", args=[meeting.pk]), {"response": "declined"}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(meeting=meeting, user=personas.secretariat)
    assert invitation.response == InvitationResponse.DECLINED
    bad = client.post(reverse("meetings:meeting_respond", args=[meeting.pk]), {"response": "x"})
    assert bad.status_code == 200
    invitation.refresh_from_db()
    assert invitation.response == InvitationResponse.DECLINED


def test_it_marks_held_and_records_attendance_with_apologies_prefilled(
    personas: Personas, client_for: ClientFor
) -> None:
    start = timezone.now() - timedelta(hours=1)
    meeting = make_meeting(
        body=personas.secretariat_body, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    invitations = {i.user.username: i for i in invite_members(meeting)}
    Invitation.objects.filter(pk=invitations["secretariat2"].pk).update(
        response=InvitationResponse.DECLINED
    )
    client = client_for("coordinator")
    assert "Mark as held" in page(client_for, "coordinator", meeting.get_absolute_url())
    held = client.post(reverse("meetings:meeting_held", args=[meeting.pk]))
    assert held["Location"] == reverse("meetings:meeting_attendance", args=[meeting.pk])
    form = client.get(held["Location"]).content.decode()
    field = f'name="attendance_{invitations["secretariat2"].pk}"'
    chunk = form[form.index(field) :]
    assert re.search(r'<option value="apologies" selected>', chunk[: chunk.index("</select>")])
    client.post(
        held["Location"],
        {
            f"attendance_{invitations['coordinator'].pk}": Attendance.PRESENT,
            f"attendance_{invitations['secretariat'].pk}": Attendance.ABSENT,
            f"attendance_{invitations['secretariat2'].pk}": Attendance.APOLOGIES,
        },
    )
    recorded = dict(Invitation.objects.values_list("user__username", "attendance"))
    assert recorded == {
        "coordinator": Attendance.PRESENT,
        "secretariat": Attendance.ABSENT,
        "secretariat2": Attendance.APOLOGIES,
    }
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    detail = page(client_for, "secretariat", meeting.get_absolute_url())
    assert "Attendance: Sent apologies" in detail


def test_it_invites_a_guest_through_the_page(
    personas: Personas, client_for: ClientFor, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = make_meeting(body=personas.secretariat_body)
    invite_members(meeting)
    Invitation.objects.update(sent_sequence=0)  # The members were told already.
    url = reverse("meetings:meeting_invite", args=[meeting.pk])
    form = page(client_for, "coordinator", url)
    membership = personas.ngo.memberships.get()
    assert f'<option value="{membership.pk}">' in form
    seated = personas.secretariat.memberships.get()
    assert f'<option value="{seated.pk}">' not in form
    with django_capture_on_commit_callbacks(execute=True):
        client_for("coordinator").post(url, {"membership": str(membership.pk)})
    invitation = Invitation.objects.get(meeting=meeting, user=personas.ngo)
    assert invitation.kind == InvitationKind.GUEST
    assert invitation.organisation == personas.ngo_org
    assert [m.to[0] for m in mail.outbox] == ["ngo@example.org"]
    detail = page(client_for, "ngo", meeting.get_absolute_url())
    assert "Are you coming?" in detail


# --- The agenda through the pages ------------------------------------------------------


def test_it_adds_an_item_about_a_challenge_by_its_reference(
    personas: Personas, client_for: ClientFor
) -> None:
    meeting = make_meeting(body=personas.secretariat_body)
    challenge = make_challenge(status=ChallengeStatus.ACKNOWLEDGED)
    client = client_for("coordinator")
    url = reverse("meetings:item_create", args=[meeting.pk])
    unknown = client.post(url, {"title": "Interpreters", "challenge": "CH-2000-NONE0"})
    assert "No challenge you can see has this reference." in unknown.content.decode()
    response = client.post(
        url,
        {
            "title": "Interpreters",
            "duration_minutes": "15",
            "challenge": str(challenge.reference).lower(),
        },
        follow=True,
    )
    html = response.content.decode()
    assert "The challenge is now on the agenda" in html
    assert str(challenge.reference) in html
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.ON_AGENDA
    item = meeting.items.get()
    assert (item.status, item.duration_minutes, item.challenge) == (
        AgendaItemStatus.ACCEPTED,
        15,
        challenge,
    )


def test_it_warns_the_manager_when_the_challenge_stays(
    personas: Personas, client_for: ClientFor
) -> None:
    meeting = make_meeting(body=personas.secretariat_body)
    challenge = make_challenge(status=ChallengeStatus.ANSWERED)
    response = client_for("coordinator").post(
        reverse("meetings:item_create", args=[meeting.pk]),
        {"title": "Answered but still open in practice", "challenge": challenge.reference},
        follow=True,
    )
    assert "cannot be put on an agenda; its status stays as it is." in response.content.decode()


def test_it_runs_a_proposal_through_the_pages(personas: Personas, client_for: ClientFor) -> None:
    meeting = make_meeting(body=personas.private_group)
    invite_members(meeting)
    proposer = client_for("practitioner")
    proposer.post(
        reverse("meetings:item_propose", args=[meeting.pk]),
        {"title": "Shelter capacity", "duration_minutes": "20"},
    )
    item = meeting.items.get()
    assert item.status == AgendaItemStatus.PROPOSED
    chair_view = page(client_for, "secretariat", meeting.get_absolute_url())
    assert reverse("meetings:item_accept", args=[meeting.pk, item.pk]) in chair_view
    member_view = page(client_for, "practitioner", meeting.get_absolute_url())
    assert reverse("meetings:item_accept", args=[meeting.pk, item.pk]) not in member_view
    assert reverse("meetings:item_edit", args=[meeting.pk, item.pk]) in member_view
    decline_url = reverse("meetings:item_decline", args=[meeting.pk, item.pk])
    assert "Decline the proposal?" in page(client_for, "secretariat", decline_url)
    client_for("secretariat").post(decline_url, {"reason": "Next meeting."})
    item.refresh_from_db()
    assert item.status == AgendaItemStatus.DECLINED
    assert "Reason: Next meeting." in page(client_for, "practitioner", meeting.get_absolute_url())


def test_it_reorders_and_times_the_agenda_on_the_page(
    personas: Personas, client_for: ClientFor
) -> None:
    meeting = make_meeting(body=personas.secretariat_body, **in_days(5, hour=9))
    first = make_agenda_item(
        meeting=meeting, proposed_by=personas.coordinator, title="Opening", duration_minutes=10
    )
    make_agenda_item(
        meeting=meeting, proposed_by=personas.coordinator, title="Reports", duration_minutes=45
    )
    html = page(client_for, "ngo", meeting.get_absolute_url())
    assert html.index("1. Opening") < html.index("2. Reports")
    assert "09:10 · 45 minutes" in html
    assert "Planned time: 55 minutes." in html
    client_for("coordinator").post(
        reverse("meetings:item_move", args=[meeting.pk, first.pk]), {"direction": "down"}
    )
    html = page(client_for, "ngo", meeting.get_absolute_url())
    assert html.index("1. Reports") < html.index("2. Opening")
    refused = client_for("coordinator").post(
        reverse("meetings:item_move", args=[meeting.pk, first.pk]),
        {"direction": "down"},
        follow=True,
    )
    assert "This item is already last." in refused.content.decode()


def test_it_sends_the_agenda_from_the_page(
    personas: Personas, client_for: ClientFor, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = make_meeting(body=personas.secretariat_body)
    invite_members(meeting)
    make_agenda_item(meeting=meeting, proposed_by=personas.coordinator, title="Reports")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("coordinator").post(
            reverse("meetings:meeting_send_agenda", args=[meeting.pk]), follow=True
        )
    assert "The agenda was sent to the invitees." in response.content.decode()
    assert len(mail.outbox) == 3
    assert "Send the agenda again" in response.content.decode()


def test_it_links_to_the_minutes_and_shows_decisions_under_their_item(
    personas: Personas, client_for: ClientFor
) -> None:
    meeting = make_meeting(body=personas.secretariat_body)
    item = make_agenda_item(meeting=meeting, proposed_by=personas.coordinator)
    Decision.objects.create(
        item=item,
        body=meeting.body,
        text="The guideline is approved.",
        decided_on=timezone.localdate(),
    )
    html = page(client_for, "coordinator", meeting.get_absolute_url())
    assert "The guideline is approved." in html
    assert reverse("meetings:minutes_detail", kwargs={"pk": meeting.pk}) in html
    assert reverse("meetings:decision_create", kwargs={"pk": item.pk}) in html
    assert reverse("meetings:decision_list", kwargs={"pk": meeting.body_id}) in html
    reader = page(client_for, "ngo", meeting.get_absolute_url())
    assert reverse("meetings:decision_create", kwargs={"pk": item.pk}) not in reader
    assert reverse("meetings:my_actions") in page(
        client_for, "ngo", reverse("meetings:meeting_list")
    )


def test_it_shows_the_online_link_to_participants_only(
    personas: Personas, client_for: ClientFor
) -> None:
    meeting = make_meeting(
        body=personas.secretariat_body, online_url="https://meet.example.org/secret-room"
    )
    invite_members(meeting)
    assert "secret-room" in page(client_for, "secretariat", meeting.get_absolute_url())
    reader = page(client_for, "ngo", meeting.get_absolute_url())
    assert "secret-room" not in reader
    assert "The link is shown to participants." in reader


# --- Query budgets ---------------------------------------------------------------------


def _count(client_for: ClientFor, persona: str, url: str) -> int:
    client = client_for(persona)
    client.get(url)  # Warm the session and language caches.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _fill_list(personas: Personas, n: int) -> None:
    for index in range(n):
        meeting = make_meeting(body=personas.secretariat_body, **in_days(index + 1))
        invite_members(meeting)


def _fill_meeting(personas: Personas, meeting: Meeting, n: int) -> None:
    for index in range(n):
        guest = make_user()
        invited_user(meeting, guest, kind=InvitationKind.GUEST)
        item = make_agenda_item(
            meeting=meeting,
            proposed_by=personas.secretariat,
            duration_minutes=10,
            challenge=make_challenge(status=ChallengeStatus.ON_AGENDA),
        )
        Decision.objects.create(
            item=item, body=meeting.body, text=f"Decision {index}", decided_on=timezone.localdate()
        )
        make_agenda_item(
            meeting=meeting, proposed_by=guest, status=AgendaItemStatus.PROPOSED, title="P"
        )
        MeetingDocument.objects.create(
            meeting=meeting,
            title=f"Paper {index}",
            file=f"meetings/{meeting.pk}/p{index}.pdf",
            uploaded_by=personas.secretariat,
        )


@pytest.mark.parametrize("persona", ["coordinator", "secretariat", "ngo"])
def test_it_lists_meetings_with_a_fixed_query_budget(
    personas: Personas,
    client_for: ClientFor,
    persona: str,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    url = reverse("meetings:meeting_list")
    _fill_list(personas, 1)
    one = _count(client_for, persona, url)
    _fill_list(personas, 19)
    assert _count(client_for, persona, url) == one
    client = client_for(persona)
    client.get(url)
    # The page's own queries, plus the navigation asking whether someone without a
    # statistics role is a designated return validator.
    with django_assert_max_num_queries(12):
        client.get(url)


@pytest.mark.parametrize("persona", ["coordinator", "secretariat", "ngo"])
def test_it_shows_a_meeting_with_a_fixed_query_budget(
    personas: Personas,
    client_for: ClientFor,
    persona: str,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    meeting = make_meeting(body=personas.secretariat_body)
    invite_members(meeting)
    url = meeting.get_absolute_url()
    _fill_meeting(personas, meeting, 1)
    one = _count(client_for, persona, url)
    _fill_meeting(personas, meeting, 19)
    assert _count(client_for, persona, url) == one
    client = client_for(persona)
    client.get(url)
    # As above: one of these is the navigation's question about designations.
    with django_assert_max_num_queries(17):
        client.get(url)
