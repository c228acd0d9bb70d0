"""The minutes workflow: versions, concurrent edits, circulation, comments, approval,
publication and the Chatham House rule."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import ClientFor, Personas
from polku.audit.models import AuditEvent
from polku.meetings.choices import (
    InvitationKind,
    MeetingStatus,
    MinutesAudience,
    MinutesStatus,
)
from polku.meetings.models import (
    ActionItem,
    Decision,
    Meeting,
    Minutes,
    MinutesComment,
    MinutesVersion,
)
from polku.meetings.services.actions import ActionInput, action_create
from polku.meetings.services.decisions import decision_record
from polku.meetings.services.minutes import (
    MinutesConflict,
    NamesAttributed,
    minutes_approve,
    minutes_circulate,
    minutes_comment,
    minutes_publish,
    minutes_save,
)
from polku.meetings.tests.factories import (
    make_action,
    make_agenda_item,
    make_invitation,
    make_meeting,
    make_minutes,
)
from polku.notifications.models import Notification

TEXT = "1. Opening\nThe chair opened the meeting.\n2. Referral guideline\nThe draft was discussed."


@pytest.fixture
def meeting(personas: Personas) -> Meeting:
    """A held meeting of the closed working group: its chair is the secretariat member, the
    practitioner a member; the NGO worker was invited as a guest."""
    started = timezone.now() - timedelta(days=2)
    meeting = make_meeting(
        body=personas.private_group,
        title="Working group, 3rd meeting",
        starts_at=started,
        ends_at=started + timedelta(hours=2),
        status=MeetingStatus.HELD,
    )
    make_invitation(meeting=meeting, user=personas.practitioner, organisation=personas.police)
    make_invitation(
        meeting=meeting, user=personas.ngo, organisation=personas.ngo_org, kind=InvitationKind.GUEST
    )
    return meeting


def _later_meeting(meeting: Meeting, **fields: Any) -> Meeting:
    starts = fields.pop("starts_at", meeting.starts_at + timedelta(days=1))
    return make_meeting(
        body=fields.pop("body", meeting.body),
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        **fields,
    )


def _audits(prefix: str = "meetings.minutes") -> int:
    return AuditEvent.objects.filter(action__startswith=prefix).count()


def _picture(minutes: Minutes) -> tuple[Any, ...]:
    minutes.refresh_from_db()
    return (
        minutes.status,
        minutes.version,
        minutes.comment_deadline,
        minutes.audience,
        minutes.approved_by_id,
        minutes.approved_at_meeting_id,
        minutes.published_at,
        MinutesVersion.objects.filter(minutes=minutes).count(),
        MinutesComment.objects.filter(minutes=minutes).count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )


# --- Versions and concurrent edits -----------------------------------------------------


def test_it_keeps_every_saved_text_as_a_version(personas: Personas, meeting: Meeting) -> None:
    """The first save starts a draft at version 1; each later save adds the next version and
    leaves the earlier ones as they were. Each save is audited."""
    minutes = minutes_save(actor=personas.secretariat, meeting=meeting, text=TEXT, base_version=0)
    assert (minutes.status, minutes.version) == (MinutesStatus.DRAFT, 1)
    minutes = minutes_save(
        actor=personas.secretariat,
        meeting=meeting,
        text=TEXT + "\n3. Any other business\nNone.",
        base_version=1,
        note="Added item 3",
    )
    assert minutes.version == 2
    versions = list(minutes.versions.order_by("number"))
    assert [version.number for version in versions] == [1, 2]
    assert versions[0].text == TEXT
    assert versions[1].note == "Added item 3"
    assert versions[1].created_by == personas.secretariat
    assert _audits("meetings.minutes.save") == 2


def test_a_save_started_from_an_older_version_is_refused_and_nothing_is_lost(
    personas: Personas, meeting: Meeting
) -> None:
    """Two managers open version 1; the second to save is told who saved version 2 and that
    their text was not saved; version 2 stays as the first one wrote it."""
    minutes_save(actor=personas.secretariat, meeting=meeting, text=TEXT, base_version=0)
    minutes_save(
        actor=personas.coordinator,
        meeting=meeting,
        text=TEXT + "\nCoordinator's addition.",
        base_version=1,
    )
    minutes = Minutes.objects.get(meeting=meeting)
    before = _picture(minutes)
    with pytest.raises(MinutesConflict) as refused:
        minutes_save(
            actor=personas.secretariat,
            meeting=meeting,
            text=TEXT + "\nSecretary's addition.",
            base_version=1,
        )
    message = " ".join(refused.value.messages)
    assert str(personas.coordinator) in message
    assert "version 2" in message and "not saved" in message
    assert refused.value.latest.number == 2 and refused.value.base_version == 1
    assert _picture(minutes) == before
    assert minutes.versions.get(number=2).text.endswith("Coordinator's addition.")


def test_it_refuses_an_empty_or_unchanged_text(personas: Personas, meeting: Meeting) -> None:
    with pytest.raises(ValidationError) as empty:
        minutes_save(actor=personas.secretariat, meeting=meeting, text="  \n ", base_version=0)
    assert "text" in empty.value.message_dict
    assert not Minutes.objects.exists()
    minutes_save(actor=personas.secretariat, meeting=meeting, text=TEXT, base_version=0)
    with pytest.raises(ValidationError) as same:
        minutes_save(actor=personas.secretariat, meeting=meeting, text=TEXT + "\n", base_version=1)
    assert "same as version 1" in " ".join(same.value.messages)
    assert MinutesVersion.objects.count() == 1


@pytest.mark.parametrize("name", ["practitioner", "ngo", "decisionmaker", "secretariat2"])
def test_only_managers_write_the_minutes(personas: Personas, meeting: Meeting, name: str) -> None:
    """Members and guests read and comment; the chair, secretary, coordinator and secretariat
    write. (The second secretariat member manages every body's meetings.)"""
    user = getattr(personas, name)
    if name == "secretariat2":
        minutes = minutes_save(actor=user, meeting=meeting, text=TEXT, base_version=0)
        assert minutes.version == 1
        return
    with pytest.raises(PermissionDenied):
        minutes_save(actor=user, meeting=meeting, text=TEXT, base_version=0)
    assert not Minutes.objects.exists()


def test_a_cancelled_meeting_has_no_minutes(personas: Personas, meeting: Meeting) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CANCELLED)
    meeting.refresh_from_db()
    with pytest.raises(ValidationError):
        minutes_save(actor=personas.secretariat, meeting=meeting, text=TEXT, base_version=0)
    assert not Minutes.objects.exists()


# --- The workflow ----------------------------------------------------------------------


def test_it_runs_the_whole_workflow(personas: Personas, meeting: Meeting) -> None:
    """Draft → circulated (invitees told) → comment → revised → circulated again → approved by
    the chair → published to the public (everyone who took part told)."""
    minutes = minutes_save(actor=personas.secretariat, meeting=meeting, text=TEXT, base_version=0)
    deadline = timezone.localdate() + timedelta(days=7)
    minutes = minutes_circulate(
        actor=personas.secretariat, minutes=minutes, comment_deadline=deadline
    )
    assert (minutes.status, minutes.comment_deadline) == (MinutesStatus.CIRCULATED, deadline)
    told = set(
        Notification.objects.filter(kind="meetings.minutes_circulated").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"practitioner", "ngo"}

    comment = minutes_comment(
        actor=personas.ngo, minutes=minutes, text="Item 2: we asked for an interpreter budget."
    )
    assert comment.version.number == 1
    assert Notification.objects.filter(
        kind="meetings.minutes_comment", recipient=personas.secretariat
    ).exists()

    minutes = minutes_save(
        actor=personas.secretariat,
        meeting=meeting,
        text=TEXT + "\nAn interpreter budget was asked for.",
        base_version=1,
    )
    assert (minutes.status, minutes.version) == (MinutesStatus.REVISED, 2)
    minutes = minutes_circulate(
        actor=personas.secretariat, minutes=minutes, comment_deadline=deadline
    )
    assert minutes.status == MinutesStatus.CIRCULATED

    minutes = minutes_approve(actor=personas.secretariat, minutes=minutes)
    assert minutes.status == MinutesStatus.APPROVED
    assert minutes.approved_by == personas.secretariat and minutes.approved_at is not None
    assert minutes.approved_at_meeting is None

    minutes = minutes_publish(
        actor=personas.secretariat, minutes=minutes, audience=MinutesAudience.PUBLIC
    )
    assert (minutes.status, minutes.audience) == (MinutesStatus.PUBLISHED, MinutesAudience.PUBLIC)
    assert minutes.published_at is not None
    published_to = set(
        Notification.objects.filter(kind="meetings.minutes_published").values_list(
            "recipient__username", flat=True
        )
    )
    assert published_to == {"practitioner", "ngo"}  # the chair published them herself
    assert [
        event.action.rsplit(".", 1)[1]
        for event in AuditEvent.objects.filter(action__startswith="meetings.minutes").order_by("pk")
    ] == ["save", "circulate", "comment", "save", "circulate", "approve", "publish"]


def _save(personas: Personas, minutes: Minutes) -> object:
    return minutes_save(
        actor=personas.secretariat,
        meeting=minutes.meeting,
        text="A new text",
        base_version=minutes.version,
    )


def _circulate(personas: Personas, minutes: Minutes) -> object:
    return minutes_circulate(
        actor=personas.secretariat,
        minutes=minutes,
        comment_deadline=timezone.localdate() + timedelta(days=3),
    )


def _comment(personas: Personas, minutes: Minutes) -> object:
    return minutes_comment(actor=personas.practitioner, minutes=minutes, text="A comment")


def _approve(personas: Personas, minutes: Minutes) -> object:
    return minutes_approve(actor=personas.secretariat, minutes=minutes)


def _publish(personas: Personas, minutes: Minutes) -> object:
    return minutes_publish(
        actor=personas.secretariat, minutes=minutes, audience=MinutesAudience.INSIDERS
    )


OPERATIONS: dict[str, Callable[[Personas, Minutes], object]] = {
    "save": _save,
    "circulate": _circulate,
    "comment": _comment,
    "approve": _approve,
    "publish": _publish,
}
ALLOWED = {
    MinutesStatus.DRAFT: {"save", "circulate"},
    MinutesStatus.CIRCULATED: {"save", "comment", "approve"},
    MinutesStatus.REVISED: {"save", "circulate", "approve"},
    MinutesStatus.APPROVED: {"publish"},
    MinutesStatus.PUBLISHED: set(),
}
ILLEGAL = [
    (status, operation)
    for status in MinutesStatus.values
    for operation in OPERATIONS
    if operation not in ALLOWED[MinutesStatus(status)]
]
LEGAL = [
    (status, operation)
    for status in MinutesStatus.values
    for operation in OPERATIONS
    if operation in ALLOWED[MinutesStatus(status)]
]


@pytest.mark.parametrize(("status", "operation"), ILLEGAL)
def test_illegal_moves_are_refused_and_change_nothing(
    personas: Personas, meeting: Meeting, status: str, operation: str
) -> None:
    minutes = make_minutes(
        meeting=meeting,
        status=status,
        comment_deadline=timezone.localdate() + timedelta(days=3),
    )
    before = _picture(minutes)
    with pytest.raises(ValidationError):
        OPERATIONS[operation](personas, minutes)
    assert _picture(minutes) == before


@pytest.mark.parametrize(("status", "operation"), LEGAL)
def test_legal_moves_go_through(
    personas: Personas, meeting: Meeting, status: str, operation: str
) -> None:
    """The counterpart of the refusals above: each allowed move is taken and audited."""
    minutes = make_minutes(
        meeting=meeting,
        status=status,
        comment_deadline=timezone.localdate() + timedelta(days=3),
    )
    audits = AuditEvent.objects.count()
    OPERATIONS[operation](personas, minutes)
    assert AuditEvent.objects.count() == audits + 1


# --- Comments --------------------------------------------------------------------------


def test_comments_are_for_participants_before_the_deadline(
    personas: Personas, meeting: Meeting
) -> None:
    """A decision-maker who is not a participant is refused; after the deadline nobody may
    comment; an empty comment is refused."""
    minutes = make_minutes(
        meeting=meeting,
        status=MinutesStatus.CIRCULATED,
        comment_deadline=timezone.localdate(),
    )
    with pytest.raises(PermissionDenied):
        minutes_comment(actor=personas.decisionmaker, minutes=minutes, text="Not mine to say")
    with pytest.raises(ValidationError):
        minutes_comment(actor=personas.practitioner, minutes=minutes, text="  ")
    minutes_comment(actor=personas.practitioner, minutes=minutes, text="On time")
    Minutes.objects.filter(pk=minutes.pk).update(
        comment_deadline=timezone.localdate() - timedelta(days=1)
    )
    minutes.refresh_from_db()
    with pytest.raises(ValidationError) as late:
        minutes_comment(actor=personas.practitioner, minutes=minutes, text="Too late")
    assert "deadline" in " ".join(late.value.messages)
    assert list(MinutesComment.objects.values_list("text", flat=True)) == ["On time"]


def test_it_refuses_a_deadline_in_the_past(personas: Personas, meeting: Meeting) -> None:
    minutes = make_minutes(meeting=meeting)
    before = _picture(minutes)
    with pytest.raises(ValidationError) as refused:
        minutes_circulate(
            actor=personas.secretariat,
            minutes=minutes,
            comment_deadline=timezone.localdate() - timedelta(days=1),
        )
    assert "comment_deadline" in refused.value.message_dict
    assert _picture(minutes) == before


# --- Approval --------------------------------------------------------------------------


def test_only_the_chair_approves_alone(personas: Personas, meeting: Meeting) -> None:
    """The second secretariat member manages the meeting but does not chair the body."""
    minutes = make_minutes(meeting=meeting, status=MinutesStatus.REVISED)
    before = _picture(minutes)
    with pytest.raises(PermissionDenied):
        minutes_approve(actor=personas.secretariat2, minutes=minutes)
    with pytest.raises(PermissionDenied):
        minutes_approve(actor=personas.practitioner, minutes=minutes)
    assert _picture(minutes) == before


def test_a_manager_records_approval_at_a_later_meeting(
    personas: Personas, meeting: Meeting
) -> None:
    minutes = make_minutes(meeting=meeting, status=MinutesStatus.CIRCULATED)
    next_meeting = _later_meeting(meeting, status=MeetingStatus.HELD)
    minutes = minutes_approve(actor=personas.secretariat2, minutes=minutes, at_meeting=next_meeting)
    assert minutes.status == MinutesStatus.APPROVED
    assert minutes.approved_at_meeting == next_meeting
    assert minutes.approved_by == personas.secretariat2


@pytest.mark.parametrize(
    ("case", "fields"),
    [
        ("another body", {"body": "secretariat_body", "status": MeetingStatus.HELD}),
        ("an earlier meeting", {"starts_at": -1, "status": MeetingStatus.HELD}),
        ("a cancelled meeting", {"status": MeetingStatus.CANCELLED}),
        ("a meeting still to come", {"starts_at": 40}),
    ],
)
def test_approval_needs_a_later_meeting_of_the_body_that_took_place(
    personas: Personas, meeting: Meeting, case: str, fields: dict[str, Any]
) -> None:
    minutes = make_minutes(meeting=meeting, status=MinutesStatus.CIRCULATED)
    if "body" in fields:
        fields["body"] = getattr(personas, fields["body"])
    if "starts_at" in fields:
        fields["starts_at"] = meeting.starts_at + timedelta(days=fields["starts_at"])
    other = _later_meeting(meeting, **fields)
    before = _picture(minutes)
    with pytest.raises(ValidationError) as refused:
        minutes_approve(actor=personas.secretariat, minutes=minutes, at_meeting=other)
    assert "at_meeting" in refused.value.message_dict
    assert _picture(minutes) == before


def test_publication_needs_a_known_audience(personas: Personas, meeting: Meeting) -> None:
    minutes = make_minutes(meeting=meeting, status=MinutesStatus.APPROVED)
    before = _picture(minutes)
    with pytest.raises(ValidationError):
        minutes_publish(actor=personas.secretariat, minutes=minutes, audience="everyone")
    with pytest.raises(PermissionDenied):
        minutes_publish(
            actor=personas.practitioner, minutes=minutes, audience=MinutesAudience.PUBLIC
        )
    assert _picture(minutes) == before


# --- The Chatham House rule ------------------------------------------------------------


@pytest.fixture
def chatham(personas: Personas, meeting: Meeting) -> Meeting:
    Meeting.objects.filter(pk=meeting.pk).update(chatham_house=True)
    meeting.refresh_from_db()
    personas.practitioner.first_name, personas.practitioner.last_name = "Aino", "Virtanen"
    personas.practitioner.save(update_fields=["first_name", "last_name"])
    personas.police.short_name = "NPB"
    personas.police.save(update_fields=["short_name"])
    return meeting


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Aino Virtanen said the police lack interpreters.", ["Aino Virtanen"]),
        ("AINO\nVIRTANEN raised the point.", ["Aino Virtanen"]),
        ("The npb said so; Victim Support NGO agreed.", ["Victim Support NGO", "NPB"]),
        ("The national police board disagreed.", ["National Police Board"]),
    ],
)
def test_chatham_house_minutes_may_not_name_invitees_or_organisations(
    personas: Personas, chatham: Meeting, text: str, names: list[str]
) -> None:
    with pytest.raises(NamesAttributed) as refused:
        minutes_save(actor=personas.secretariat, meeting=chatham, text=text, base_version=0)
    assert sorted(refused.value.names) == sorted(names)
    message = " ".join(refused.value.messages)
    assert "Chatham House" in message
    assert all(f"“{name}”" in message for name in names)
    assert not Minutes.objects.exists()


def test_chatham_house_matches_whole_words_only(personas: Personas, chatham: Meeting) -> None:
    """ "NPBX" and "Ainos" are not the names; a meeting without the rule names anyone."""
    minutes = minutes_save(
        actor=personas.secretariat,
        meeting=chatham,
        text="One participant mentioned the NPBX system; Ainos are common.",
        base_version=0,
    )
    assert minutes.version == 1
    Meeting.objects.filter(pk=chatham.pk).update(chatham_house=False)
    chatham.refresh_from_db()
    minutes_save(
        actor=personas.secretariat,
        meeting=chatham,
        text="Aino Virtanen (NPB) presented.",
        base_version=1,
    )


def test_chatham_house_is_checked_again_before_circulating(
    personas: Personas, chatham: Meeting
) -> None:
    """The draft names an organisation nobody had been invited from; once someone from it is
    invited, circulation is refused and nothing changes."""
    minutes = minutes_save(
        actor=personas.secretariat,
        meeting=chatham,
        text="The Ministry of the Interior presented its findings.",
        base_version=0,
    )
    make_invitation(meeting=chatham, user=personas.rapporteur, organisation=personas.interior)
    before = _picture(minutes)
    with pytest.raises(NamesAttributed) as refused:
        minutes_circulate(
            actor=personas.secretariat,
            minutes=minutes,
            comment_deadline=timezone.localdate() + timedelta(days=3),
        )
    assert refused.value.names == ["Ministry of the Interior"]
    assert _picture(minutes) == before


def test_chatham_house_holds_decisions_and_actions_to_the_same_rule(
    personas: Personas, chatham: Meeting
) -> None:
    """Decisions and actions are shown with the minutes, so they may not name invitees either."""
    item = make_agenda_item(meeting=chatham, title="Interpreting", proposed_by=personas.secretariat)
    with pytest.raises(NamesAttributed) as refused:
        decision_record(
            actor=personas.secretariat, item=item, text="As Aino Virtanen proposed, we agree."
        )
    assert refused.value.names == ["Aino Virtanen"]
    assert not Decision.objects.exists()
    data = ActionInput(
        title="Ask the NPB for interpreter figures",
        owner=personas.secretariat,
        owner_organisation=personas.justice,
        due_on=timezone.localdate() + timedelta(days=10),
    )
    with pytest.raises(NamesAttributed) as refused_action:
        action_create(actor=personas.secretariat, item=item, data=data)
    assert "title" in refused_action.value.message_dict
    assert not ActionItem.objects.exists()


def test_chatham_house_minutes_show_action_owners_only_to_participants(
    personas: Personas, chatham: Meeting, client_for: ClientFor
) -> None:
    """Who owns what would tell a wider audience who attended."""
    minutes = make_minutes(meeting=chatham, status=MinutesStatus.PUBLISHED)
    Minutes.objects.filter(pk=minutes.pk).update(audience=MinutesAudience.INSIDERS)
    item = make_agenda_item(meeting=chatham, proposed_by=personas.secretariat)
    make_action(item=item, owner=personas.ngo, owner_organisation=personas.ngo_org)
    url = reverse("meetings:minutes_detail", kwargs={"pk": chatham.pk})
    owner = str(personas.ngo)
    assert owner in client_for("practitioner").get(url).content.decode()
    outsider_view = client_for("decisionmaker").get(url)
    assert outsider_view.status_code == 200
    assert owner not in outsider_view.content.decode()
