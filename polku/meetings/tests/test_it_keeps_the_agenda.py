"""The agenda: proposals, acceptance, declining, order and time, links to challenges, and
sending it to the invitees."""

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from conftest import Personas
from polku.actors.choices import BodyRole
from polku.actors.tests.factories import make_body_member, make_membership, make_user
from polku.audit.models import AuditEvent
from polku.meetings.choices import AgendaItemStatus, MeetingStatus
from polku.meetings.models import ActionItem, AgendaItem, Decision, Meeting
from polku.meetings.services.agenda import (
    AgendaItemInput,
    agenda_item_accept,
    agenda_item_add,
    agenda_item_decline,
    agenda_item_edit,
    agenda_item_move,
    agenda_item_propose,
)
from polku.meetings.services.agenda_sending import agenda_send, agendas_send_due
from polku.meetings.tests.factories import invite_members, make_agenda_item, make_meeting
from polku.notifications.models import Notification, SentReminder
from polku.voice.choices import ChallengeStatus
from polku.voice.models import Challenge, StatusEvent
from polku.voice.tests.factories import make_challenge


@pytest.fixture
def meeting(personas: Personas) -> Meeting:
    meeting = make_meeting(body=personas.secretariat_body, title="Spring meeting")
    invite_members(meeting)
    return meeting


@pytest.fixture
def group_meeting(personas: Personas) -> Meeting:
    """A meeting of the closed group, chaired by the secretariat member; the practitioner
    sits on it as a member."""
    meeting = make_meeting(body=personas.private_group, title="Group meeting")
    invite_members(meeting)
    return meeting


def item_input(**overrides: Any) -> AgendaItemInput:
    values: dict[str, Any] = {"title": "Night-time interpreting", "duration_minutes": 20}
    values.update(overrides)
    return AgendaItemInput(**values)


def actions_on(item: AgendaItem) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_type="meetings.agendaitem", target_id=str(item.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def accepted_titles(meeting: Meeting) -> list[str]:
    return list(
        meeting.items.filter(status=AgendaItemStatus.ACCEPTED)
        .order_by("position", "pk")
        .values_list("title", flat=True)
    )


# --- Proposing, accepting, declining --------------------------------------------------


def test_it_lets_a_member_propose_and_the_chair_accept(
    personas: Personas, group_meeting: Meeting
) -> None:
    """The practitioner proposes; the chair hears of it, accepts, and the proposer hears."""
    first = agenda_item_add(
        actor=personas.secretariat, meeting=group_meeting, data=item_input(title="Opening")
    ).item
    proposed = agenda_item_propose(
        actor=personas.practitioner, meeting=group_meeting, data=item_input(title="Shelters")
    )
    assert proposed.status == AgendaItemStatus.PROPOSED
    assert proposed.proposed_by == personas.practitioner
    assert Notification.objects.filter(
        recipient=personas.secretariat, kind="meetings.agenda_item_proposed"
    ).exists()
    accepted = agenda_item_accept(actor=personas.secretariat, item=proposed).item
    assert accepted.status == AgendaItemStatus.ACCEPTED
    assert accepted.position > first.position
    assert accepted_titles(group_meeting) == ["Opening", "Shelters"]
    assert Notification.objects.filter(
        recipient=personas.practitioner, kind="meetings.agenda_item_accepted"
    ).exists()
    assert actions_on(accepted) == ["meetings.agenda_item.propose", "meetings.agenda_item.accept"]


def test_it_refuses_proposals_from_guests_and_outsiders(
    personas: Personas, group_meeting: Meeting
) -> None:
    """Permanent guests, people only invited, and people who only see the meeting cannot
    propose; nothing is written."""
    permanent_guest = make_user(username="permanent_guest")
    make_membership(user=permanent_guest, organisation=personas.ngo_org, role="practitioner")
    make_body_member(
        body=personas.private_group,
        user=permanent_guest,
        organisation=personas.ngo_org,
        role=BodyRole.GUEST,
    )
    for refused in (permanent_guest, personas.ngo, personas.decisionmaker, personas.outsider):
        with pytest.raises(PermissionDenied):
            agenda_item_propose(actor=refused, meeting=group_meeting, data=item_input())
    assert not AgendaItem.objects.exists()


def test_it_lets_only_managers_add_accept_decline_and_move(
    personas: Personas, group_meeting: Meeting
) -> None:
    item = agenda_item_propose(
        actor=personas.practitioner, meeting=group_meeting, data=item_input()
    )
    with pytest.raises(PermissionDenied):
        agenda_item_add(actor=personas.practitioner, meeting=group_meeting, data=item_input())
    with pytest.raises(PermissionDenied):
        agenda_item_accept(actor=personas.practitioner, item=item)
    with pytest.raises(PermissionDenied):
        agenda_item_decline(actor=personas.practitioner, item=item, reason="Mine.")
    with pytest.raises(PermissionDenied):
        agenda_item_move(actor=personas.practitioner, item=item, direction="up")
    item.refresh_from_db()
    assert item.status == AgendaItemStatus.PROPOSED
    assert group_meeting.items.count() == 1


def test_it_declines_with_a_reason_the_proposer_reads(
    personas: Personas, group_meeting: Meeting
) -> None:
    item = agenda_item_propose(
        actor=personas.practitioner, meeting=group_meeting, data=item_input()
    )
    with pytest.raises(ValidationError) as refused:
        agenda_item_decline(actor=personas.secretariat, item=item, reason=" ")
    assert "reason" in refused.value.message_dict
    declined = agenda_item_decline(
        actor=personas.secretariat, item=item, reason="Covered at the spring seminar."
    )
    assert declined.status == AgendaItemStatus.DECLINED
    assert declined.decline_reason == "Covered at the spring seminar."
    notification = Notification.objects.get(
        recipient=personas.practitioner, kind="meetings.agenda_item_declined"
    )
    assert "Covered at the spring seminar." in notification.body
    with pytest.raises(ValidationError):
        agenda_item_accept(actor=personas.secretariat, item=item)
    with pytest.raises(ValidationError):
        agenda_item_decline(actor=personas.secretariat, item=item, reason="Again.")
    item.refresh_from_db()
    assert item.status == AgendaItemStatus.DECLINED


def test_it_keeps_an_item_with_a_decision_on_the_agenda(
    personas: Personas, meeting: Meeting
) -> None:
    item = make_agenda_item(meeting=meeting, proposed_by=personas.coordinator)
    Decision.objects.create(
        item=item, body=meeting.body, text="Agreed.", decided_on=timezone.localdate()
    )
    with pytest.raises(ValidationError):
        agenda_item_decline(actor=personas.coordinator, item=item, reason="Changed our minds.")
    item.refresh_from_db()
    assert item.status == AgendaItemStatus.ACCEPTED


@pytest.mark.parametrize("status", [MeetingStatus.CANCELLED, MeetingStatus.HELD])
def test_it_closes_the_agenda_of_a_meeting_no_longer_scheduled(
    personas: Personas, meeting: Meeting, status: str
) -> None:
    item = make_agenda_item(
        meeting=meeting, proposed_by=personas.secretariat, status=AgendaItemStatus.PROPOSED
    )
    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    meeting.refresh_from_db()
    with pytest.raises(ValidationError):
        agenda_item_add(actor=personas.coordinator, meeting=meeting, data=item_input())
    with pytest.raises(ValidationError):
        agenda_item_propose(actor=personas.secretariat, meeting=meeting, data=item_input())
    with pytest.raises(ValidationError):
        agenda_item_accept(actor=personas.coordinator, item=item)
    with pytest.raises(ValidationError):
        agenda_send(actor=personas.coordinator, meeting=meeting)
    item.refresh_from_db()
    assert item.status == AgendaItemStatus.PROPOSED
    assert meeting.items.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 481}, "duration_minutes"),
        ({"description": "x" * 10_001}, "description"),
    ],
)
def test_it_refuses_bad_items(
    personas: Personas, meeting: Meeting, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        agenda_item_add(actor=personas.coordinator, meeting=meeting, data=item_input(**overrides))
    assert field in refused.value.message_dict
    assert not meeting.items.exists()


def test_it_links_an_item_to_another_record_it_is_about(
    personas: Personas, meeting: Meeting
) -> None:
    """An item may be about an action of the body; a record that does not exist, or a kind
    not offered, is refused."""
    action = ActionItem.objects.create(
        body=meeting.body,
        title="Draft the referral guideline",
        owner=personas.secretariat,
        owner_organisation=personas.justice,
        due_on=timezone.localdate() + timedelta(days=30),
    )
    action_type = ContentType.objects.get_for_model(ActionItem)
    item = agenda_item_add(
        actor=personas.coordinator,
        meeting=meeting,
        data=item_input(subject_type=action_type, subject_id=str(action.pk)),
    ).item
    assert (item.subject_type, item.subject_id) == (action_type, str(action.pk))
    for subject_type, subject_id, field in [
        (action_type, "999999", "subject_id"),
        (action_type, "", "subject_id"),
        (ContentType.objects.get_for_model(Challenge), "1", "subject_type"),
    ]:
        with pytest.raises(ValidationError) as refused:
            agenda_item_add(
                actor=personas.coordinator,
                meeting=meeting,
                data=item_input(subject_type=subject_type, subject_id=subject_id),
            )
        assert field in refused.value.message_dict
    assert meeting.items.count() == 1


# --- Editing and ordering -------------------------------------------------------------


def test_it_lets_the_proposer_edit_until_the_item_is_decided(
    personas: Personas, group_meeting: Meeting
) -> None:
    item = agenda_item_propose(
        actor=personas.practitioner, meeting=group_meeting, data=item_input()
    )
    edited = agenda_item_edit(
        actor=personas.practitioner,
        item=item,
        data=item_input(title="Night-time interpreting in Lapland", duration_minutes=30),
    ).item
    assert (edited.title, edited.duration_minutes) == ("Night-time interpreting in Lapland", 30)
    assert actions_on(item)[-1] == "meetings.agenda_item.edit"
    agenda_item_accept(actor=personas.secretariat, item=item)
    with pytest.raises(PermissionDenied):
        agenda_item_edit(actor=personas.practitioner, item=item, data=item_input(title="Mine"))
    edited_by_chair = agenda_item_edit(
        actor=personas.secretariat,
        item=item,
        data=item_input(title="Interpreting", duration_minutes=15),
    ).item
    assert edited_by_chair.title == "Interpreting"


def test_it_keeps_the_challenge_of_an_accepted_item(personas: Personas, meeting: Meeting) -> None:
    challenge = make_challenge(status=ChallengeStatus.ACKNOWLEDGED)
    other = make_challenge(status=ChallengeStatus.ACKNOWLEDGED)
    item = agenda_item_add(
        actor=personas.coordinator, meeting=meeting, data=item_input(challenge=challenge)
    ).item
    with pytest.raises(ValidationError) as refused:
        agenda_item_edit(actor=personas.coordinator, item=item, data=item_input(challenge=other))
    assert "challenge" in refused.value.message_dict
    item.refresh_from_db()
    assert item.challenge == challenge


def test_it_orders_items_up_and_down_and_refuses_past_the_ends(
    personas: Personas, meeting: Meeting
) -> None:
    for title in ("Opening", "Reports", "Any other business"):
        agenda_item_add(actor=personas.coordinator, meeting=meeting, data=item_input(title=title))
    proposal = agenda_item_propose(
        actor=personas.secretariat, meeting=meeting, data=item_input(title="Proposal")
    )
    reports = meeting.items.get(title="Reports")
    agenda_item_move(actor=personas.coordinator, item=reports, direction="up")
    assert accepted_titles(meeting) == ["Reports", "Opening", "Any other business"]
    last = meeting.items.get(title="Any other business")
    agenda_item_move(actor=personas.secretariat2, item=last, direction="up")
    assert accepted_titles(meeting) == ["Reports", "Any other business", "Opening"]
    agenda_item_move(actor=personas.coordinator, item=reports, direction="down")
    assert accepted_titles(meeting) == ["Any other business", "Reports", "Opening"]
    with pytest.raises(ValidationError):
        agenda_item_move(actor=personas.coordinator, item=last, direction="up")
    with pytest.raises(ValidationError):
        agenda_item_move(
            actor=personas.coordinator, item=meeting.items.get(title="Opening"), direction="down"
        )
    with pytest.raises(ValidationError):
        agenda_item_move(actor=personas.coordinator, item=reports, direction="sideways")
    with pytest.raises(ValidationError):
        agenda_item_move(actor=personas.coordinator, item=proposal, direction="up")
    assert accepted_titles(meeting) == ["Any other business", "Reports", "Opening"]
    positions = list(
        meeting.items.filter(status=AgendaItemStatus.ACCEPTED).values_list("position", flat=True)
    )
    assert sorted(positions) == [1, 2, 3]
    assert actions_on(reports).count("meetings.agenda_item.move") == 2


# --- Challenges on the agenda ---------------------------------------------------------


def test_it_puts_an_accepted_challenge_on_the_agenda_with_the_body_and_the_date(
    personas: Personas, group_meeting: Meeting
) -> None:
    """The submitter's timeline names the body and the meeting's date."""
    challenge = make_challenge(submitted_by=personas.ngo, status=ChallengeStatus.ACKNOWLEDGED)
    item = agenda_item_propose(
        actor=personas.practitioner, meeting=group_meeting, data=item_input(challenge=challenge)
    )
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.ACKNOWLEDGED
    result = agenda_item_accept(actor=personas.secretariat, item=item)
    assert result.challenge_left == ""
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.ON_AGENDA
    event = StatusEvent.objects.filter(
        challenge=challenge, to_status=ChallengeStatus.ON_AGENDA
    ).get()
    day = timezone.localtime(group_meeting.starts_at).strftime("%d.%m.%Y")
    assert personas.private_group.name in event.note
    assert day in event.note
    assert event.visible_to_submitter


def test_it_puts_a_challenge_added_by_a_manager_on_the_agenda(
    personas: Personas, meeting: Meeting
) -> None:
    challenge = make_challenge(status=ChallengeStatus.UNDER_CONSIDERATION)
    result = agenda_item_add(
        actor=personas.coordinator, meeting=meeting, data=item_input(challenge=challenge)
    )
    assert result.challenge_left == ""
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.ON_AGENDA


@pytest.mark.parametrize(
    "status",
    [
        ChallengeStatus.RECEIVED,
        ChallengeStatus.ON_AGENDA,
        ChallengeStatus.ANSWERED,
        ChallengeStatus.ADDRESSED,
        ChallengeStatus.DECLINED,
    ],
)
def test_it_accepts_the_item_but_leaves_a_challenge_that_cannot_move(
    personas: Personas, meeting: Meeting, status: str
) -> None:
    """The body discusses it anyway; the challenge keeps its status and the manager is told
    why, in the result and in the audit log."""
    challenge = make_challenge(status=status)
    events_before = challenge.events.count()
    result = agenda_item_add(
        actor=personas.coordinator, meeting=meeting, data=item_input(challenge=challenge)
    )
    assert result.item.status == AgendaItemStatus.ACCEPTED
    assert result.challenge_left
    challenge.refresh_from_db()
    assert challenge.status == status
    assert challenge.events.count() == events_before
    event = AuditEvent.objects.get(action="meetings.agenda_item.add")
    assert event.detail["challenge_left"] == result.challenge_left


def test_it_leaves_the_challenge_to_the_triage_when_a_group_chair_accepts(
    personas: Personas,
) -> None:
    """A working group's chair who is not in the secretariat may not move challenges."""
    chair = make_user(username="chair")
    make_membership(user=chair, organisation=personas.police, role="practitioner")
    body = personas.private_group
    body.members.filter(role=BodyRole.CHAIR).delete()
    make_body_member(body=body, user=chair, organisation=personas.police, role=BodyRole.CHAIR)
    meeting = make_meeting(body=body)
    challenge = make_challenge(status=ChallengeStatus.ACKNOWLEDGED)
    item = agenda_item_propose(
        actor=personas.practitioner, meeting=meeting, data=item_input(challenge=challenge)
    )
    result = agenda_item_accept(actor=chair, item=item)
    assert result.item.status == AgendaItemStatus.ACCEPTED
    assert "secretariat" in result.challenge_left
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.ACKNOWLEDGED


def test_it_refuses_merged_draft_and_unknown_challenges(
    personas: Personas, meeting: Meeting
) -> None:
    surviving = make_challenge(status=ChallengeStatus.ACKNOWLEDGED)
    merged = make_challenge(status=ChallengeStatus.MERGED, merged_into=surviving)
    draft = make_challenge(submitted_by=personas.ngo, status=ChallengeStatus.DRAFT)
    messages = {}
    for challenge in (merged, draft):
        with pytest.raises(ValidationError) as refused:
            agenda_item_add(
                actor=personas.coordinator, meeting=meeting, data=item_input(challenge=challenge)
            )
        messages[challenge.status] = refused.value.message_dict["challenge"][0]
    assert str(surviving.reference) in messages[ChallengeStatus.MERGED]
    assert "you can see" in messages[ChallengeStatus.DRAFT]
    assert not meeting.items.exists()


def test_it_sends_a_challenge_taken_off_the_agenda_back_to_consideration(
    personas: Personas, meeting: Meeting
) -> None:
    challenge = make_challenge(status=ChallengeStatus.ACKNOWLEDGED)
    item = agenda_item_add(
        actor=personas.coordinator, meeting=meeting, data=item_input(challenge=challenge)
    ).item
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.ON_AGENDA
    agenda_item_decline(actor=personas.coordinator, item=item, reason="Needs more evidence first.")
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.UNDER_CONSIDERATION
    note = challenge.events.order_by("-created_at").first()
    assert note is not None and "Needs more evidence first." in note.note


# --- Sending the agenda ---------------------------------------------------------------


def _agenda_mails() -> list[Any]:
    return [message for message in mail.outbox if message.subject.startswith("Agenda:")]


def test_it_sends_the_agenda_now_to_every_invitee(
    personas: Personas, meeting: Meeting, django_capture_on_commit_callbacks: Any
) -> None:
    for title in ("Opening", "Reports"):
        agenda_item_add(actor=personas.coordinator, meeting=meeting, data=item_input(title=title))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = agenda_send(actor=personas.secretariat, meeting=meeting)
    assert sent.agenda_sent_at is not None
    mails = _agenda_mails()
    assert {message.to[0] for message in mails} == {
        "coordinator@example.org",
        "secretariat@example.org",
        "secretariat2@example.org",
    }
    body = mails[0].body
    assert body.index("1. Opening (20 min)") < body.index("2. Reports (20 min)")
    (name, content, mimetype) = mails[0].attachments[0]
    assert name == "meeting.ics"
    assert mimetype.startswith("text/calendar; method=REQUEST")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert "1. Opening" in str(event["DESCRIPTION"])
    assert AuditEvent.objects.filter(action="meetings.agenda.send").count() == 1


def test_it_refuses_to_send_an_empty_agenda(
    personas: Personas, meeting: Meeting, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        agenda_send(actor=personas.coordinator, meeting=meeting)
    with pytest.raises(PermissionDenied):
        agenda_send(actor=personas.practitioner, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.agenda_sent_at is None
    assert not mail.outbox


def test_it_sends_due_agendas_once_by_the_command(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """The agenda goes `agenda_lead_days` before the meeting, once, and not before; a meeting
    without accepted items waits; a cancelled meeting gets none."""
    start = timezone.now() + timedelta(days=5)
    due = make_meeting(
        body=personas.secretariat_body,
        title="Due",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        agenda_lead_days=7,
    )
    later = make_meeting(
        body=personas.secretariat_body,
        title="Later",
        starts_at=start + timedelta(days=20),
        ends_at=start + timedelta(days=20, hours=1),
        agenda_lead_days=7,
    )
    empty = make_meeting(
        body=personas.secretariat_body,
        title="Empty",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    cancelled = make_meeting(
        body=personas.secretariat_body,
        title="Cancelled",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        status=MeetingStatus.CANCELLED,
    )
    for meeting in (due, later, empty, cancelled):
        invite_members(meeting)
    for meeting in (due, later, cancelled):
        make_agenda_item(meeting=meeting, proposed_by=personas.coordinator, title="Reports")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("meetings_send_agendas")
    assert {message.subject.split(",")[0] for message in _agenda_mails()} == {"Agenda: Due"}
    assert len(_agenda_mails()) == 3
    due.refresh_from_db()
    assert due.agenda_sent_at is not None
    assert SentReminder.objects.filter(kind="meetings.agenda", target_id=str(due.pk)).count() == 1

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("meetings_send_agendas")
        assert agendas_send_due() == 0
    assert not _agenda_mails()
    event = AuditEvent.objects.get(action="meetings.agenda.send")
    assert event.actor is None
    assert event.detail["automatic"] is True


def test_it_sends_an_agenda_once_a_day_even_if_asked_twice(
    personas: Personas, meeting: Meeting
) -> None:
    """The day's reminder row is the guarantee, even if the sent time were lost."""
    make_agenda_item(meeting=meeting, proposed_by=personas.coordinator)
    Meeting.objects.filter(pk=meeting.pk).update(agenda_lead_days=30)
    today = timezone.localdate()
    assert agendas_send_due(today=today) == 1
    Meeting.objects.filter(pk=meeting.pk).update(agenda_sent_at=None)
    assert agendas_send_due(today=today) == 0
    assert agendas_send_due(today=today + timedelta(days=1)) == 1


def test_it_reads_the_day_from_the_command_line(personas: Personas) -> None:
    from io import StringIO

    from django.core.management.base import CommandError

    out = StringIO()
    call_command("meetings_send_agendas", "--date", "2030-01-15", stdout=out)
    assert "2030-01-15" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("meetings_send_agendas", "--date", "15.1.2030")
