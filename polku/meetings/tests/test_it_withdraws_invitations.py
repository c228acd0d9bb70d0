"""Withdrawing an invitation: kept for the record, audited, the access it gave taken back,
the person told in their language with a CANCEL for their calendar, and invited again later."""

from datetime import UTC, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from icalendar import Event

from conftest import ClientFor, Personas
from polku.actors.choices import BodyRole
from polku.actors.tests.factories import make_body_member, make_membership, make_user
from polku.audit.models import AuditEvent
from polku.meetings import tasks
from polku.meetings.choices import Attendance, InvitationKind, InvitationResponse, MeetingStatus
from polku.meetings.forms_meetings import InviteForm
from polku.meetings.models import Invitation, Meeting
from polku.meetings.permissions import is_participant, meeting_scope
from polku.meetings.selectors_meetings import can_respond, feed_meetings
from polku.meetings.services.agenda_sending import agenda_send
from polku.meetings.services.documents import document_upload
from polku.meetings.services.invitations import (
    invitation_claim_withdrawal_send,
    invitation_respond,
    invitation_withdraw,
    meeting_invite,
)
from polku.meetings.services.meetings import (
    MeetingInput,
    meeting_cancel,
    meeting_record_attendance,
    meeting_schedule,
    meeting_update,
)
from polku.meetings.tasks import meeting_mail_withdrawal
from polku.meetings.tests import factories
from polku.meetings.tests.factories import calendar_of, make_agenda_item, make_minutes
from polku.notifications.models import Notification

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def meeting_input(**overrides: Any) -> MeetingInput:
    """A working group's meeting in room 5, with no link to join unless one is given."""
    values: dict[str, Any] = {
        "title": "Working group meeting",
        "location": "Room 5",
        "online_url": "",
    }
    return factories.meeting_input(**(values | overrides))


@pytest.fixture
def meeting(personas: Personas, django_capture_on_commit_callbacks: Any) -> Meeting:
    """A meeting of the closed working group, its members and a guest from an NGO e-mailed."""
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meeting_schedule(
            actor=personas.secretariat, body=personas.private_group, data=meeting_input()
        )
        meeting_invite(
            actor=personas.secretariat,
            meeting=meeting,
            user=personas.ngo,
            organisation=personas.ngo_org,
        )
    mail.outbox.clear()
    return meeting


@pytest.fixture
def guest(personas: Personas, meeting: Meeting) -> Invitation:
    return Invitation.objects.get(meeting=meeting, user=personas.ngo)


def withdraw(
    actor: Any, invitation: Invitation, django_capture_on_commit_callbacks: Any
) -> Invitation:
    with django_capture_on_commit_callbacks(execute=True):
        return invitation_withdraw(actor=actor, invitation=invitation)


def test_it_keeps_the_withdrawn_invitation_and_audits_it(
    personas: Personas,
    meeting: Meeting,
    guest: Invitation,
    django_capture_on_commit_callbacks: Any,
) -> None:
    withdrawn = withdraw(personas.secretariat, guest, django_capture_on_commit_callbacks)
    guest.refresh_from_db()
    assert guest.withdrawn_at is not None
    assert guest.withdrawn_by == personas.secretariat
    assert withdrawn.pk == guest.pk
    assert Invitation.objects.filter(meeting=meeting).count() == 3
    event = AuditEvent.objects.get(action="meetings.invitation.withdraw")
    assert event.actor_id == personas.secretariat.pk
    assert event.target_id == str(guest.pk)
    assert event.before == {"withdrawn_at": None, "withdrawn_by_id": None}
    assert event.after is not None
    assert event.after["withdrawn_by_id"] == personas.secretariat.pk
    assert event.detail == {"meeting": meeting.pk, "person": personas.ngo.pk}
    note = Notification.objects.get(recipient=personas.ngo, kind="meetings.invitation_withdrawn")
    assert note.title.startswith("Your invitation to Working group meeting on ")
    assert note.url == ""


def test_it_emails_the_person_a_short_note_with_a_calendar_cancel(
    personas: Personas,
    meeting: Meeting,
    guest: Invitation,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Only the person whose invitation is withdrawn is e-mailed; the others hear nothing."""
    withdraw(personas.secretariat, guest, django_capture_on_commit_callbacks)
    assert [message.to for message in mail.outbox] == [["ngo@example.org"]]
    message = mail.outbox[0]
    assert message.subject.startswith("Invitation withdrawn: Working group meeting, ")
    assert message.body.startswith("Your invitation to this meeting has been withdrawn.")
    assert "Body: Closed working group" in message.body
    assert "Place: Room 5" in message.body
    calendar, event, mimetype = calendar_of(message)
    assert mimetype == "text/calendar; method=CANCEL; charset=UTF-8"
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == f"meeting-{meeting.pk}@polku"
    assert event["SEQUENCE"] == meeting.sequence
    assert str(event["ATTENDEE"]) == "mailto:ngo@example.org"
    assert event.decoded("DTSTART") == meeting.starts_at.astimezone(UTC)
    guest.refresh_from_db()
    assert guest.sent_sequence == -1
    sent = AuditEvent.objects.filter(action="meetings.invitation.send", target_id=str(guest.pk))
    assert sent.latest("pk").detail == {"meeting": meeting.pk, "withdrawn": True}


def test_it_tells_the_withdrawn_nothing_only_participants_may_know(
    personas: Personas, guest: Invitation, django_capture_on_commit_callbacks: Any
) -> None:
    """The link to join, the description and the page's address stay with participants."""
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meeting_update(
            actor=personas.secretariat,
            meeting=guest.meeting,
            data=meeting_input(
                location="",
                online_url="https://meet.example.org/secret-room",
                description="Case review: the Tampere berry farm",
            ),
        )
    mail.outbox.clear()
    withdraw(personas.secretariat, guest, django_capture_on_commit_callbacks)
    message = mail.outbox[0]
    _calendar, event, _mimetype = calendar_of(message)
    attachment = message.attachments[0][1]
    for private in ("secret-room", "berry farm", meeting.get_absolute_url()):
        assert private not in message.body
        assert private not in str(attachment)
    assert "LOCATION" not in event and "URL" not in event
    assert str(event["DESCRIPTION"]) == "Closed working group"
    assert str(event["SUMMARY"]) == meeting.title


def test_a_person_invited_to_other_meetings_can_be_invited_again(
    personas: Personas,
    meeting: Meeting,
    guest: Invitation,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        other = meeting_schedule(
            actor=personas.secretariat, body=personas.private_group, data=meeting_input()
        )
        meeting_invite(
            actor=personas.secretariat,
            meeting=other,
            user=personas.ngo,
            organisation=personas.ngo_org,
        )
    withdraw(personas.secretariat, guest, django_capture_on_commit_callbacks)
    offered = InviteForm(meeting=meeting).fields["membership"].queryset  # type: ignore[attr-defined]
    assert offered.filter(user=personas.ngo).exists()
    still_invited = InviteForm(meeting=other).fields["membership"].queryset  # type: ignore[attr-defined]
    assert not still_invited.filter(user=personas.ngo).exists()


def test_it_writes_to_the_person_in_their_language(
    personas: Personas,
    meeting: Meeting,
    guest: Invitation,
    django_capture_on_commit_callbacks: Any,
) -> None:
    personas.ngo.preferred_language = "fi"
    personas.ngo.save()
    withdraw(personas.secretariat, guest, django_capture_on_commit_callbacks)
    body = mail.outbox[0].body
    assert "Toimielin: Closed working group" in body
    assert "Aika: " in body
    assert "Body: " not in body


def test_it_mails_the_cancel_once_and_only_to_someone_who_was_told(
    personas: Personas,
    meeting: Meeting,
    guest: Invitation,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Running the task again sends nothing; someone never e-mailed the meeting is not e-mailed
    its withdrawal."""
    withdraw(personas.secretariat, guest, django_capture_on_commit_callbacks)
    assert meeting_mail_withdrawal.call(invitation_id=guest.pk) == 0
    assert meeting_mail_withdrawal.call(invitation_id=0) == 0
    assert len(mail.outbox) == 1

    newcomer = make_user(username="newcomer", email="newcomer@example.org")
    make_membership(user=newcomer, organisation=personas.police, role="practitioner")
    with django_capture_on_commit_callbacks(execute=False):
        late = meeting_invite(
            actor=personas.secretariat,
            meeting=meeting,
            user=newcomer,
            organisation=personas.police,
        )
    withdraw(personas.secretariat, late, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    late.refresh_from_db()
    assert late.sent_sequence == -1


def test_it_takes_back_what_the_invitation_gave(
    personas: Personas,
    meeting: Meeting,
    guest: Invitation,
    client_for: ClientFor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The guest no longer sees the closed group's meeting, its papers or its minutes, no
    longer answers, and it leaves their calendar feed."""
    document = document_upload(
        actor=personas.secretariat,
        meeting=meeting,
        file=SimpleUploadedFile("paper.pdf", PDF),
        title="Paper",
    )
    make_minutes(meeting=meeting, status="circulated")
    client = client_for("ngo")
    pages = [
        meeting.get_absolute_url(),
        reverse("meetings:document_download", args=[meeting.pk, document.pk]),
        reverse("meetings:minutes_detail", args=[meeting.pk]),
    ]
    assert [client.get(page).status_code for page in pages] == [200, 200, 200]
    assert feed_meetings(user=personas.ngo) == [meeting]

    withdraw(personas.secretariat, guest, django_capture_on_commit_callbacks)

    assert [client.get(page).status_code for page in pages] == [404, 404, 404]
    assert not meeting_scope(personas.ngo).filter(pk=meeting.pk).exists()
    assert not is_participant(personas.ngo, meeting)
    assert not can_respond(personas.ngo, meeting)
    assert feed_meetings(user=personas.ngo) == []
    with pytest.raises(PermissionDenied):
        invitation_respond(
            actor=personas.ngo, meeting=meeting, response=InvitationResponse.ACCEPTED
        )


def test_a_member_of_the_body_keeps_what_the_seat_gives(
    personas: Personas, meeting: Meeting, django_capture_on_commit_callbacks: Any
) -> None:
    member = Invitation.objects.get(meeting=meeting, user=personas.practitioner)
    withdraw(personas.secretariat, member, django_capture_on_commit_callbacks)
    assert is_participant(personas.practitioner, meeting)
    assert meeting_scope(personas.practitioner).filter(pk=meeting.pk).exists()
    assert not can_respond(personas.practitioner, meeting)
    assert feed_meetings(user=personas.practitioner) == []


def test_it_leaves_the_withdrawn_out_of_later_emails_and_attendance(
    personas: Personas,
    meeting: Meeting,
    guest: Invitation,
    django_capture_on_commit_callbacks: Any,
) -> None:
    withdraw(personas.secretariat, guest, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    moved = meeting_input(
        starts_at=meeting.starts_at + timedelta(hours=1),
        ends_at=meeting.ends_at + timedelta(hours=1),
    )
    make_agenda_item(meeting=meeting, proposed_by=personas.secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_update(actor=personas.secretariat, meeting=meeting, data=moved)
        agenda_send(actor=personas.secretariat, meeting=meeting)
        meeting_cancel(actor=personas.secretariat, meeting=meeting, reason="No quorum.")
    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients == {"secretariat@example.org", "practitioner@example.org"}
    assert not Notification.objects.filter(
        recipient=personas.ngo, kind__in=["meetings.meeting_update", "meetings.meeting_cancel"]
    ).exists()
    guest.refresh_from_db()
    assert guest.sent_sequence == -1

    started = timezone.now() - timedelta(hours=1)
    Meeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.SCHEDULED, starts_at=started, ends_at=started + timedelta(hours=2)
    )
    meeting.refresh_from_db()
    with pytest.raises(ValidationError):
        meeting_record_attendance(
            actor=personas.secretariat, meeting=meeting, attendance={guest.pk: Attendance.PRESENT}
        )


@pytest.mark.parametrize(
    ("role", "word"), [(BodyRole.CHAIR, "chair"), (BodyRole.SECRETARY, "secretary")]
)
def test_it_never_uninvites_the_chair_or_the_secretary(
    personas: Personas, meeting: Meeting, role: str, word: str
) -> None:
    if role == BodyRole.CHAIR:
        person = personas.secretariat
    else:
        person = make_user(username="group_secretary", email="group.secretary@example.org")
        make_membership(user=person, organisation=personas.justice, role="practitioner")
        make_body_member(
            body=personas.private_group, user=person, organisation=personas.justice, role=role
        )
        meeting_invite(
            actor=personas.secretariat, meeting=meeting, user=person, organisation=personas.justice
        )
    invitation = Invitation.objects.get(meeting=meeting, user=person)
    with pytest.raises(ValidationError) as refused:
        invitation_withdraw(actor=personas.coordinator, invitation=invitation)
    assert refused.value.messages == [
        f"{person} is the {word} of Closed working group, and the {word} cannot be un-invited "
        "from its meetings."
    ]
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is None
    assert not AuditEvent.objects.filter(action="meetings.invitation.withdraw").exists()


def test_it_refuses_withdrawals_that_cannot_stand(
    personas: Personas,
    meeting: Meeting,
    guest: Invitation,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """By someone who may not invite, twice, once attendance is on record, once the meeting is
    over or cancelled: refused, and nothing written."""
    with pytest.raises(PermissionDenied):
        invitation_withdraw(actor=personas.practitioner, invitation=guest)
    with pytest.raises(PermissionDenied):
        invitation_withdraw(actor=personas.ngo, invitation=guest)

    Invitation.objects.filter(pk=guest.pk).update(attendance=Attendance.PRESENT)
    with pytest.raises(ValidationError, match=r"attendance of .* is on record"):
        invitation_withdraw(actor=personas.secretariat, invitation=guest)
    Invitation.objects.filter(pk=guest.pk).update(attendance=Attendance.UNKNOWN)

    past = timezone.now() - timedelta(days=1)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=past, ends_at=past + timedelta(hours=1))
    with pytest.raises(ValidationError, match="This meeting is over"):
        invitation_withdraw(actor=personas.secretariat, invitation=guest)
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CANCELLED)
    with pytest.raises(ValidationError, match="cancelled"):
        invitation_withdraw(actor=personas.secretariat, invitation=guest)
    assert not AuditEvent.objects.filter(action="meetings.invitation.withdraw").exists()

    Meeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.SCHEDULED,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
    )
    withdraw(personas.secretariat, guest, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="already been withdrawn"):
        invitation_withdraw(actor=personas.secretariat, invitation=guest)
    assert AuditEvent.objects.filter(action="meetings.invitation.withdraw").count() == 1


def test_it_invites_the_person_again_on_the_same_invitation(
    personas: Personas,
    meeting: Meeting,
    guest: Invitation,
    client_for: ClientFor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    invitation_respond(actor=personas.ngo, meeting=meeting, response=InvitationResponse.ACCEPTED)
    withdraw(personas.secretariat, guest, django_capture_on_commit_callbacks)
    _cancel, cancel_ics, _mimetype = calendar_of(mail.outbox[-1])
    assert cancel_ics["SEQUENCE"] == meeting.sequence
    form = InviteForm(meeting=meeting)
    assert form.fields["membership"].queryset.filter(user=personas.ngo).exists()  # type: ignore[attr-defined]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = meeting_invite(
            actor=personas.coordinator,
            meeting=meeting,
            user=personas.ngo,
            organisation=personas.ngo_org,
        )
    assert again.pk == guest.pk
    assert again.withdrawn_at is None and again.withdrawn_by is None
    assert again.response == InvitationResponse.PENDING
    assert again.kind == InvitationKind.GUEST
    event = AuditEvent.objects.filter(action="meetings.invitation.create").latest("pk")
    assert event.detail == {"meeting": meeting.pk, "again": True}
    assert event.before is not None and event.before["withdrawn_by_id"] == personas.secretariat.pk
    assert [message.to for message in mail.outbox] == [["ngo@example.org"]]
    assert mail.outbox[0].subject.startswith("Invitation: Working group meeting")
    calendar, event_ics, _mimetype = calendar_of(mail.outbox[0])
    assert str(calendar["METHOD"]) == "REQUEST"
    # One revision past the CANCEL, so the calendar takes it whichever arrives first.
    assert event_ics["SEQUENCE"] == meeting.sequence + 1
    assert client_for("ngo").get(meeting.get_absolute_url()).status_code == 200
    with pytest.raises(ValidationError, match="already invited"):
        meeting_invite(
            actor=personas.coordinator,
            meeting=meeting,
            user=personas.ngo,
            organisation=personas.ngo_org,
        )


def _sequence(event: Event) -> int:
    return int(str(event["SEQUENCE"]))


def test_a_renewed_invitation_outranks_a_cancel_still_on_its_way(
    personas: Personas,
    meeting: Meeting,
    guest: Invitation,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The person is invited again after the withdrawal's CANCEL is claimed but before it is
    sent: the REQUEST goes out first and the CANCEL after it. The REQUEST's SEQUENCE is the
    higher, so a calendar keeps the meeting; later changes keep the lead."""
    real_claim = invitation_claim_withdrawal_send

    def claim_then_invite_again(*, invitation: Invitation) -> int | None:
        previous = real_claim(invitation=invitation)
        with django_capture_on_commit_callbacks(execute=True):
            meeting_invite(
                actor=personas.coordinator,
                meeting=meeting,
                user=personas.ngo,
                organisation=personas.ngo_org,
            )
        return previous

    monkeypatch.setattr(tasks, "invitation_claim_withdrawal_send", claim_then_invite_again)
    withdraw(personas.secretariat, guest, django_capture_on_commit_callbacks)

    request, cancel = (calendar_of(message) for message in mail.outbox)
    assert [str(request[0]["METHOD"]), str(cancel[0]["METHOD"])] == ["REQUEST", "CANCEL"]
    assert _sequence(request[1]) == _sequence(cancel[1]) + 1

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_update(
            actor=personas.secretariat, meeting=meeting, data=meeting_input(location="Room 6")
        )
    meeting.refresh_from_db()
    changed = [
        calendar_of(message) for message in mail.outbox if message.to == [personas.ngo.email]
    ]
    assert len(changed) == 1
    assert _sequence(changed[0][1]) == meeting.sequence + 1 > _sequence(request[1])


# --- Pages -----------------------------------------------------------------------------


def test_the_meeting_page_offers_withdrawal_to_managers_for_everyone_but_the_chair(
    personas: Personas, meeting: Meeting, guest: Invitation, client_for: ClientFor
) -> None:
    chair = Invitation.objects.get(meeting=meeting, user=personas.secretariat)
    html = client_for("coordinator").get(meeting.get_absolute_url()).content.decode()
    assert reverse("meetings:invitation_withdraw", args=[meeting.pk, guest.pk]) in html
    assert reverse("meetings:invitation_withdraw", args=[meeting.pk, chair.pk]) not in html
    participant = client_for("practitioner").get(meeting.get_absolute_url()).content.decode()
    assert "Withdraw the invitation" not in participant


def test_it_asks_first_then_withdraws_and_lists_the_withdrawal(
    personas: Personas,
    meeting: Meeting,
    guest: Invitation,
    client_for: ClientFor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for("secretariat")
    url = reverse("meetings:invitation_withdraw", args=[meeting.pk, guest.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Withdraw the invitation of {personas.ngo}?" in html
    assert "you can invite them again later" in html
    assert "They are told in Polku and by e-mail" in html
    guest.refresh_from_db()
    assert guest.withdrawn_at is None

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    # Back to the top of the meeting's page, where the message is shown.
    assert response.redirect_chain[-1][0] == meeting.get_absolute_url()
    html = response.content.decode()
    assert (
        f"The invitation of {personas.ngo} was withdrawn. They are told in Polku and by e-mail."
        in html
    )
    assert "Invitations withdrawn" in html
    assert "Withdrawn on " in html
    guest.refresh_from_db()
    assert guest.withdrawn_by == personas.secretariat
    assert len(mail.outbox) == 1
    assert client.get(url).status_code == 404


def test_it_shows_why_the_chair_cannot_be_uninvited(
    personas: Personas, meeting: Meeting, client_for: ClientFor
) -> None:
    chair = Invitation.objects.get(meeting=meeting, user=personas.secretariat)
    url = reverse("meetings:invitation_withdraw", args=[meeting.pk, chair.pk])
    response = client_for("coordinator").post(url, follow=True)
    assert "the chair cannot be un-invited from its meetings" in response.content.decode()
    chair.refresh_from_db()
    assert chair.withdrawn_at is None


def test_it_promises_no_email_to_someone_never_emailed_the_meeting(
    personas: Personas,
    meeting: Meeting,
    client_for: ClientFor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    newcomer = make_user(username="newcomer", email="newcomer@example.org")
    make_membership(user=newcomer, organisation=personas.police, role="practitioner")
    with django_capture_on_commit_callbacks(execute=False):
        late = meeting_invite(
            actor=personas.secretariat, meeting=meeting, user=newcomer, organisation=personas.police
        )
    client = client_for("secretariat")
    url = reverse("meetings:invitation_withdraw", args=[meeting.pk, late.pk])
    asking = client.get(url).content.decode()
    assert "They are told in Polku." in asking
    assert "by e-mail" not in asking
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, follow=True).content.decode()
    assert f"The invitation of {newcomer} was withdrawn. They are told in Polku." in done
    assert mail.outbox == []
