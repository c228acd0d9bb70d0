"""Meeting papers: what may be uploaded, and who may download them (every read audited)."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import ClientFor, Personas
from polku.audit.models import AuditEvent
from polku.meetings.choices import MeetingStatus
from polku.meetings.models import Meeting, MeetingDocument
from polku.meetings.services import documents as document_services
from polku.meetings.services.documents import document_upload
from polku.meetings.tests.factories import (
    invite_members,
    invited_user,
    make_invitation,
    make_meeting,
)

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
DOCX = b"PK\x03\x04" + b"\x00" * 60


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def meeting(personas: Personas) -> Meeting:
    meeting = make_meeting(body=personas.private_group, title="Group meeting")
    invite_members(meeting)
    return meeting


def test_it_stores_allowed_papers_under_an_unguessable_name(
    personas: Personas, meeting: Meeting
) -> None:
    document = document_upload(
        actor=personas.practitioner,
        meeting=meeting,
        file=upload("Referral guideline (draft).pdf", PDF),
        title="",
    )
    assert document.title == "Referral guideline (draft)"
    assert document.uploaded_by == personas.practitioner
    assert str(document.file.name).startswith(f"meetings/{meeting.pk}/")
    assert str(document.file.name).endswith("-Referral_guideline_draft.pdf")
    assert document_services.document_filename(document) == "Referral_guideline_draft.pdf"
    event = AuditEvent.objects.get(action="meetings.document.upload")
    assert event.detail["size"] == len(PDF)
    other = document_upload(
        actor=personas.secretariat, meeting=meeting, file=upload("notes.docx", DOCX), title="Notes"
    )
    assert other.title == "Notes"
    text = document_upload(
        actor=personas.secretariat,
        meeting=meeting,
        file=upload("figures.csv", "kunta;määrä\nOulu;3\n".encode()),
    )
    assert str(text.file.name).endswith(".csv")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("run.exe", b"MZ\x90\x00", "Upload a PDF"),
        ("page.html", b"<html></html>", "Upload a PDF"),
        ("noextension", PDF, "Upload a PDF"),
        ("empty.pdf", b"", "empty"),
        ("fake.pdf", b"MZ\x90\x00 not a pdf", "not a PDF file"),
        ("fake.docx", PDF, "not a DOCX file"),
        ("binary.txt", b"abc\x00def", "not a TXT file"),
    ],
)
def test_it_refuses_files_of_other_types_with_a_clear_message(
    personas: Personas, meeting: Meeting, name: str, content: bytes, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        document_upload(actor=personas.secretariat, meeting=meeting, file=upload(name, content))
    assert message in refused.value.message_dict["file"][0]
    assert not MeetingDocument.objects.exists()
    assert not AuditEvent.objects.filter(action="meetings.document.upload").exists()


def test_it_refuses_files_over_the_size_limit(
    personas: Personas, meeting: Meeting, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(document_services, "DOCUMENT_MAX_BYTES", 1024)
    with pytest.raises(ValidationError) as refused:
        document_upload(
            actor=personas.secretariat,
            meeting=meeting,
            file=upload("big.pdf", PDF + b"x" * 2000),
        )
    assert "largest allowed is 1.0\xa0KB" in refused.value.message_dict["file"][0]
    assert not MeetingDocument.objects.exists()


def test_it_lets_only_members_and_managers_upload(personas: Personas, meeting: Meeting) -> None:
    invited_user(meeting, personas.ngo, kind="guest")
    for refused in (personas.ngo, personas.decisionmaker, personas.outsider):
        with pytest.raises(PermissionDenied):
            document_upload(actor=refused, meeting=meeting, file=upload("a.pdf", PDF))
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CANCELLED)
    meeting.refresh_from_db()
    with pytest.raises(ValidationError):
        document_upload(actor=personas.secretariat, meeting=meeting, file=upload("a.pdf", PDF))
    assert not MeetingDocument.objects.exists()


def test_it_uploads_through_the_page_and_shows_errors_on_the_form(
    personas: Personas, client_for: ClientFor, meeting: Meeting
) -> None:
    client = client_for("practitioner")
    url = reverse("meetings:document_upload", kwargs={"pk": meeting.pk})
    assert "up to 20.0\xa0MB" in client.get(url).content.decode()
    refused = client.post(url, {"file": upload("virus.exe", b"MZ"), "title": ""})
    assert refused.status_code == 200
    assert "Upload a PDF, Word" in refused.content.decode()
    assert "govuk-error-summary" in refused.content.decode()
    missing = client.post(url, {"title": "Nothing"})
    assert "Choose a file to upload." in missing.content.decode()
    done = client.post(url, {"file": upload("agenda.pdf", PDF), "title": "Background"})
    assert done.status_code == 302
    detail = client.get(meeting.get_absolute_url()).content.decode()
    document = MeetingDocument.objects.get()
    assert "Background" in detail
    assert (
        reverse("meetings:document_download", kwargs={"pk": meeting.pk, "document_pk": document.pk})
        in detail
    )


@pytest.fixture
def document(personas: Personas, meeting: Meeting) -> MeetingDocument:
    return document_upload(
        actor=personas.secretariat, meeting=meeting, file=upload("brief.pdf", PDF)
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("secretariat", 200),  # chair of the group
        ("practitioner", 200),  # member
        ("coordinator", 200),  # coordination
        ("admin", 200),  # coordination
        ("secretariat2", 200),  # coordination (secretariat role)
        ("ngo", 404),  # cannot see the closed group's meeting
        ("decisionmaker", 404),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_it_serves_papers_only_to_participants_and_audits_each_download(
    client_for: ClientFor, meeting: Meeting, document: MeetingDocument, persona: str, status: int
) -> None:
    url = reverse(
        "meetings:document_download", kwargs={"pk": meeting.pk, "document_pk": document.pk}
    )
    response = client_for(persona).get(url)
    assert response.status_code == status
    downloads = AuditEvent.objects.filter(action="meetings.document.download")
    if status == 200:
        assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="brief.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
        assert downloads.count() == 1
        assert downloads.get().target_id == str(document.pk)
    else:
        assert not downloads.exists()


def test_it_refuses_papers_to_insiders_who_see_but_do_not_take_part(
    personas: Personas, client_for: ClientFor
) -> None:
    """An open body's meeting is visible to every insider; its papers are not."""
    open_meeting = make_meeting(body=personas.secretariat_body)
    invite_members(open_meeting)
    paper = document_upload(
        actor=personas.coordinator, meeting=open_meeting, file=upload("a.pdf", PDF)
    )
    url = reverse(
        "meetings:document_download", kwargs={"pk": open_meeting.pk, "document_pk": paper.pk}
    )
    assert client_for("ngo").get(url).status_code == 403
    assert client_for("secretariat").get(url).status_code == 200
    invited_user(open_meeting, personas.ngo, kind="guest")
    assert client_for("ngo").get(url).status_code == 200
    page = client_for("decisionmaker").get(open_meeting.get_absolute_url()).content.decode()
    assert url not in page


def test_it_finds_no_paper_through_another_meeting(
    personas: Personas, client_for: ClientFor, meeting: Meeting, document: MeetingDocument
) -> None:
    other = make_meeting(body=personas.private_group)
    url = reverse("meetings:document_download", kwargs={"pk": other.pk, "document_pk": document.pk})
    assert client_for("secretariat").get(url).status_code == 404


def test_its_adder_or_a_manager_removes_a_paper_after_confirming(
    personas: Personas,
    client_for: ClientFor,
    meeting: Meeting,
    django_capture_on_commit_callbacks: Any,
) -> None:
    document = document_upload(
        actor=personas.practitioner, meeting=meeting, file=upload("notes.pdf", PDF)
    )
    stored = document.file.name
    assert stored
    make_invitation(meeting=meeting, user=personas.ngo, organisation=personas.ngo_org)
    url = reverse("meetings:document_remove", kwargs={"pk": meeting.pk, "document_pk": document.pk})
    detail = client_for("practitioner").get(meeting.get_absolute_url()).content.decode()
    assert url in detail
    confirm = client_for("practitioner").get(url)
    assert confirm.status_code == 200 and "Remove this paper?" in confirm.content.decode()
    assert MeetingDocument.objects.filter(pk=document.pk).exists()
    # Another participant who neither added it nor runs the meeting may not.
    guest_view = client_for("ngo").get(meeting.get_absolute_url())
    assert guest_view.status_code == 200 and "notes" in guest_view.content.decode()
    assert url not in guest_view.content.decode()
    assert client_for("ngo").post(url).status_code == 403
    assert client_for("outsider").post(url).status_code == 404
    assert MeetingDocument.objects.filter(pk=document.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("secretariat").post(url)
    assert response.status_code == 302
    assert not MeetingDocument.objects.filter(pk=document.pk).exists()
    assert not document.file.storage.exists(stored)
    event = AuditEvent.objects.get(action="meetings.document.remove")
    assert event.actor == personas.secretariat
    assert event.before is not None and event.before["title"] == "notes"
