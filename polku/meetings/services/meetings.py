"""Scheduling, changing and cancelling meetings; invitations, answers and attendance;
meeting papers.

Every change invitees must hear about raises the meeting's SEQUENCE; the e-mails (with an
iCalendar REQUEST or CANCEL attached) go from a task enqueued after commit, to each invitee
whose last e-mail carried an older SEQUENCE (``Invitation.sent_sequence``).
"""

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from polku.accounts.models import User
from polku.actors.choices import BodyRole
from polku.actors.models import Body, BodyMember, Membership, Organisation
from polku.audit.services import audit_write, snapshot
from polku.core.permissions import is_insider
from polku.meetings.choices import (
    Attendance,
    InvitationKind,
    InvitationResponse,
    MeetingStatus,
)
from polku.meetings.models import Invitation, Meeting, MeetingDocument
from polku.meetings.permissions import can_manage_body_meetings, can_manage_meeting
from polku.meetings.selectors_meetings import can_respond, can_upload_document
from polku.notifications.services import notify

TITLE_MAX = 200
LOCATION_MAX = 300
DESCRIPTION_MAX = 10_000
LONGEST_MEETING = timedelta(days=7)
AGENDA_LEAD_DAYS_MAX = 60
# Fields invitees' calendars hold: a change to any of them is e-mailed as an update.
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "location", "online_url", "description")

DOCUMENT_MAX_BYTES = getattr(settings, "POLKU_MEETING_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)
_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
# Each allowed extension and how its content must begin (None: UTF-8 text without NULs).
DOCUMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ZIP,
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _ZIP,
    ),
    ".odt": ("application/vnd.oasis.opendocument.text", _ZIP),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", _ZIP),
    ".odp": ("application/vnd.oasis.opendocument.presentation", _ZIP),
    ".doc": ("application/msword", _OLE),
    ".xls": ("application/vnd.ms-excel", _OLE),
    ".ppt": ("application/vnd.ms-powerpoint", _OLE),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".txt": ("text/plain; charset=utf-8", None),
    ".csv": ("text/csv; charset=utf-8", None),
}


@dataclass(frozen=True)
class MeetingInput:
    """What the person scheduling a meeting writes."""

    title: str
    starts_at: datetime
    ends_at: datetime
    location: str = ""
    online_url: str = ""
    description: str = ""
    chatham_house: bool = False
    agenda_lead_days: int = 7


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update(of=("self",)).select_related("body").get(pk=meeting.pk)


def _refuse_unless_scheduled(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))
    if meeting.status == MeetingStatus.HELD:
        raise ValidationError(_("This meeting has already been held."))


def _validate(data: MeetingInput, *, new_start: bool) -> dict[str, Any]:
    """Checks the input; returns the cleaned values to store."""
    errors: dict[str, str] = {}
    title = data.title.strip()
    location = data.location.strip()
    online_url = data.online_url.strip()
    description = data.description.strip()
    if not title:
        errors["title"] = _("Give the meeting a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("Keep the title to 200 characters.")
    if timezone.is_naive(data.starts_at) or timezone.is_naive(data.ends_at):
        raise ValueError("Meeting times must be aware datetimes.")
    if data.ends_at <= data.starts_at:
        errors["ends_at"] = _("The meeting must end after it starts.")
    elif data.ends_at - data.starts_at > LONGEST_MEETING:
        errors["ends_at"] = _("A meeting can last at most a week.")
    if new_start and data.starts_at <= timezone.now():
        errors["starts_at"] = _("The meeting must start in the future.")
    if len(location) > LOCATION_MAX:
        errors["location"] = _("Keep the place to 300 characters.")
    if online_url:
        try:
            URLValidator(schemes=["https", "http"])(online_url)
        except ValidationError:
            errors["online_url"] = _("Enter the online link as a web address starting https://.")
    if not location and not online_url:
        errors["location"] = _("Give a place, an online link, or both.")
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = _("Keep the description to 10,000 characters.")
    if not 0 <= data.agenda_lead_days <= AGENDA_LEAD_DAYS_MAX:
        errors["agenda_lead_days"] = _("Send the agenda between 0 and 60 days before.")
    if errors:
        raise ValidationError(errors)
    return {
        "title": title,
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
        "location": location,
        "online_url": online_url,
        "description": description,
        "chatham_house": bool(data.chatham_house),
        "agenda_lead_days": data.agenda_lead_days,
    }


def _mail_invitees_after_commit(meeting: Meeting) -> None:
    meeting_id = meeting.pk

    def enqueue() -> None:
        from polku.meetings.tasks import meeting_mail_invitees

        meeting_mail_invitees.enqueue(meeting_id=meeting_id)

    transaction.on_commit(enqueue)


def _tell_invitees(meeting: Meeting, *, kind: str, actor: User, title: Any) -> None:
    """An in-app line for each invitee; the e-mail with the calendar goes separately."""
    notify(
        recipients=[invitation.user for invitation in meeting.invitations.select_related("user")],
        kind=kind,
        title=title,
        url=meeting.get_absolute_url(),
        target=meeting,
        exclude=actor,
        email=False,
    )


def _when(meeting: Meeting) -> str:
    return timezone.localtime(meeting.starts_at).strftime("%d.%m.%Y %H:%M")


def meeting_schedule(*, actor: User, body: Body, data: MeetingInput) -> Meeting:
    """Schedules a meeting of a body and invites every current member of it.

    Permanent guests of the body are invited as guests; everyone gets an e-mail with the
    meeting attached as an iCalendar REQUEST.
    """
    _require(can_manage_body_meetings(actor, body))
    if not body.is_active:
        raise ValidationError({"body": _("This body is no longer active.")})
    values = _validate(data, new_start=True)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            body=body, created_by=actor, updated_by=actor, sequence=0, **values
        )
        seats = BodyMember.objects.filter(body=body, user__is_active=True).select_related("user")
        Invitation.objects.bulk_create(
            Invitation(
                meeting=meeting,
                user=seat.user,
                organisation_id=seat.organisation_id,
                kind=InvitationKind.GUEST if seat.role == BodyRole.GUEST else InvitationKind.MEMBER,
            )
            for seat in seats
        )
        _tell_invitees(
            meeting,
            kind="meetings.meeting_invitation",
            actor=actor,
            title=lambda: (
                _("You are invited to %(meeting)s on %(when)s")
                % {"meeting": meeting.title, "when": _when(meeting)}
            ),
        )
        audit_write(
            actor=actor,
            action="meetings.meeting.schedule",
            target=meeting,
            after=snapshot(meeting),
            detail={"invited": meeting.invitations.count()},
        )
        _mail_invitees_after_commit(meeting)
    return meeting


def meeting_update(*, actor: User, meeting: Meeting, data: MeetingInput) -> Meeting:
    """Changes a scheduled meeting; a change to what calendars hold raises its SEQUENCE and
    e-mails an update to every invitee."""
    _require(can_manage_meeting(actor, meeting))
    with transaction.atomic():
        fresh = _locked(meeting)
        _refuse_unless_scheduled(fresh)
        values = _validate(data, new_start=data.starts_at != fresh.starts_at)
        changed = [name for name, value in values.items() if getattr(fresh, name) != value]
        if not changed:
            return fresh
        before = snapshot(fresh, [*changed, "sequence"])
        for name in changed:
            setattr(fresh, name, values[name])
        calendar_changed = any(name in CALENDAR_FIELDS for name in changed)
        if calendar_changed:
            fresh.sequence += 1
        fresh.updated_by = actor
        fresh.save()
        if calendar_changed:
            _tell_invitees(
                fresh,
                kind="meetings.meeting_update",
                actor=actor,
                title=lambda: (
                    _("%(meeting)s was changed: now %(when)s")
                    % {"meeting": fresh.title, "when": _when(fresh)}
                ),
            )
            _mail_invitees_after_commit(fresh)
        audit_write(
            actor=actor,
            action="meetings.meeting.update",
            target=fresh,
            before=before,
            after=snapshot(fresh, [*changed, "sequence"]),
        )
    return fresh


def meeting_cancel(*, actor: User, meeting: Meeting, reason: str) -> Meeting:
    """Cancels a scheduled meeting; invitees get an iCalendar CANCEL with the reason.

    Challenges that were on the agenda only because of this meeting go back to
    consideration (see ``services.agenda``).
    """
    from polku.meetings.services.agenda import release_challenges_of_meeting

    _require(can_manage_meeting(actor, meeting))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the meeting is cancelled.")})
    if len(reason) > DESCRIPTION_MAX:
        raise ValidationError({"reason": _("Keep the reason to 10,000 characters.")})
    with transaction.atomic():
        fresh = _locked(meeting)
        _refuse_unless_scheduled(fresh)
        before = snapshot(fresh, ["status", "cancellation_reason", "sequence"])
        fresh.status = MeetingStatus.CANCELLED
        fresh.cancellation_reason = reason
        fresh.sequence += 1
        fresh.updated_by = actor
        fresh.save()
        released = release_challenges_of_meeting(actor=actor, meeting=fresh)
        _tell_invitees(
            fresh,
            kind="meetings.meeting_cancel",
            actor=actor,
            title=lambda: (
                _("%(meeting)s on %(when)s is cancelled")
                % {"meeting": fresh.title, "when": _when(fresh)}
            ),
        )
        audit_write(
            actor=actor,
            action="meetings.meeting.cancel",
            target=fresh,
            before=before,
            after=snapshot(fresh, ["status", "cancellation_reason", "sequence"]),
            detail={"challenges_released": released},
        )
        _mail_invitees_after_commit(fresh)
    return fresh


def meeting_mark_held(*, actor: User, meeting: Meeting) -> Meeting:
    """Records that a meeting took place; possible once it has started."""
    _require(can_manage_meeting(actor, meeting))
    with transaction.atomic():
        fresh = _locked(meeting)
        _refuse_unless_scheduled(fresh)
        if fresh.starts_at > timezone.now():
            raise ValidationError(_("A meeting can be marked as held once it has started."))
        before = snapshot(fresh, ["status"])
        fresh.status = MeetingStatus.HELD
        fresh.updated_by = actor
        fresh.save()
        audit_write(
            actor=actor,
            action="meetings.meeting.held",
            target=fresh,
            before=before,
            after=snapshot(fresh, ["status"]),
        )
    return fresh


def meeting_record_attendance(
    *, actor: User, meeting: Meeting, attendance: Mapping[int, str]
) -> Meeting:
    """Records who was present, who sent apologies and who was absent, by invitation id."""
    _require(can_manage_meeting(actor, meeting))
    with transaction.atomic():
        fresh = _locked(meeting)
        if fresh.status == MeetingStatus.CANCELLED:
            raise ValidationError(_("This meeting was cancelled."))
        if fresh.starts_at > timezone.now():
            raise ValidationError(_("Attendance can be recorded once the meeting has started."))
        invitations = {invitation.pk: invitation for invitation in fresh.invitations.all()}
        unknown = [pk for pk in attendance if pk not in invitations]
        if unknown:
            raise ValidationError(_("Some of these people are not invited to this meeting."))
        bad = [value for value in attendance.values() if value not in Attendance.values]
        if bad:
            raise ValidationError(_("Choose present, sent apologies, absent or not recorded."))
        changes = {}
        for pk, value in attendance.items():
            invitation = invitations[pk]
            if invitation.attendance != value:
                changes[str(pk)] = [invitation.attendance, value]
                invitation.attendance = value
                invitation.save(update_fields=["attendance"])
        if changes:
            audit_write(
                actor=actor,
                action="meetings.meeting.attendance",
                target=fresh,
                detail={"attendance": changes},
            )
    return fresh


def invitation_respond(*, actor: User, meeting: Meeting, response: str) -> Invitation:
    """An invitee says whether they are coming, until the meeting ends."""
    _require(can_respond(actor, meeting))
    if response not in (InvitationResponse.ACCEPTED, InvitationResponse.DECLINED):
        raise ValidationError({"response": _("Say whether you are coming.")})
    with transaction.atomic():
        fresh = _locked(meeting)
        _refuse_unless_scheduled(fresh)
        if fresh.ends_at <= timezone.now():
            raise ValidationError(_("This meeting is over."))
        invitation = Invitation.objects.select_for_update().get(meeting=fresh, user=actor)
        if invitation.response == response:
            return invitation
        before = snapshot(invitation, ["response"])
        invitation.response = response
        invitation.save(update_fields=["response"])
        audit_write(
            actor=actor,
            action="meetings.invitation.respond",
            target=invitation,
            before=before,
            after=snapshot(invitation, ["response"]),
            detail={"meeting": fresh.pk},
        )
    return invitation


def meeting_invite(
    *, actor: User, meeting: Meeting, user: User, organisation: Organisation
) -> Invitation:
    """Invites one more person, for the organisation they represent; a member of the body
    comes as a member, anyone else as a guest. They are e-mailed the invitation."""
    _require(can_manage_meeting(actor, meeting))
    represents = Membership.objects.filter(
        user=user, organisation=organisation, is_active=True, organisation__is_active=True
    ).exists()
    if not user.is_active or not represents:
        raise ValidationError(
            {"person": _("Choose someone who works for an active organisation in Polku.")}
        )
    with transaction.atomic():
        fresh = _locked(meeting)
        _refuse_unless_scheduled(fresh)
        if Invitation.objects.filter(meeting=fresh, user=user).exists():
            raise ValidationError(
                {"person": _("%(person)s is already invited.") % {"person": user}}
            )
        seat = BodyMember.objects.filter(body=fresh.body, user=user).first()
        kind = (
            InvitationKind.MEMBER
            if seat is not None and seat.role != BodyRole.GUEST
            else InvitationKind.GUEST
        )
        invitation = Invitation.objects.create(
            meeting=fresh, user=user, organisation=organisation, kind=kind
        )
        notify(
            recipients=[user],
            kind="meetings.meeting_invitation",
            title=lambda: (
                _("You are invited to %(meeting)s on %(when)s")
                % {"meeting": fresh.title, "when": _when(fresh)}
            ),
            url=fresh.get_absolute_url(),
            target=fresh,
            exclude=actor,
            email=False,
        )
        audit_write(
            actor=actor,
            action="meetings.invitation.create",
            target=invitation,
            after=snapshot(invitation),
            detail={"meeting": fresh.pk},
        )
        _mail_invitees_after_commit(fresh)
    return invitation


# --- Documents ---------------------------------------------------------------------------


def document_content_type(name: str) -> str:
    """The type a stored document is served as (only allowed types are ever stored)."""
    entry = DOCUMENT_TYPES.get(PurePath(name).suffix.lower())
    return entry[0] if entry else "application/octet-stream"


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still text.
        return error.start >= len(head) - 3 and error.reason == "unexpected end of data"
    return True


def _check_document(file: UploadedFile[bytes]) -> str:
    """Refuses files that are empty, too big, of another type or not what they claim to be;
    returns the extension."""
    name = file.name or ""
    extension = PurePath(name).suffix.lower()
    if extension not in DOCUMENT_TYPES:
        raise ValidationError(
            {
                "file": _(
                    "Upload a PDF, Word, Excel, PowerPoint, OpenDocument, text, CSV, PNG or "
                    "JPEG file."
                )
            }
        )
    size = file.size or 0
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size > DOCUMENT_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is %(size)s; the largest allowed is %(limit)s.")
                % {"size": filesizeformat(size), "limit": filesizeformat(DOCUMENT_MAX_BYTES)}
            }
        )
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    signatures = DOCUMENT_TYPES[extension][1]
    matches = (
        _looks_like_text(head)
        if signatures is None
        else any(head.startswith(signature) for signature in signatures)
    )
    if not matches:
        raise ValidationError(
            {
                "file": _(
                    "The content of the file is not a %(type)s file. Save it again in that format "
                    "and upload it."
                )
                % {"type": extension.lstrip(".").upper()}
            }
        )
    return extension


def _stored_name(original: str, extension: str) -> str:
    stem = get_valid_filename(PurePath(original).stem)[:50] or "document"
    # A random part keeps names unguessable and uploads of the same name apart.
    return f"{secrets.token_hex(6)}-{stem}{extension}"


def document_upload(
    *, actor: User, meeting: Meeting, file: UploadedFile[bytes], title: str = ""
) -> MeetingDocument:
    """Adds a paper to a meeting; only allowed types up to the size limit are taken."""
    _require(can_upload_document(actor, meeting))
    extension = _check_document(file)
    title = title.strip() or PurePath(file.name or "").stem.strip() or _("Document")
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": _("Keep the title to 200 characters.")})
    with transaction.atomic():
        fresh = _locked(meeting)
        if fresh.status == MeetingStatus.CANCELLED:
            raise ValidationError(_("This meeting was cancelled."))
        document = MeetingDocument(meeting=fresh, title=title, uploaded_by=actor)
        document.file.save(_stored_name(file.name or "", extension), file, save=False)
        document.save()
        audit_write(
            actor=actor,
            action="meetings.document.upload",
            target=document,
            after=snapshot(document),
            detail={"meeting": fresh.pk, "size": file.size},
        )
    return document


def can_remove_document(user: User, document: MeetingDocument) -> bool:
    """Whoever added a paper, and the meeting's managers, may take it away again."""
    return document.uploaded_by_id == user.pk or can_manage_meeting(user, document.meeting)


def document_remove(*, actor: User, document: MeetingDocument) -> None:
    """Removes a paper and its file; the audit log keeps what it was and who removed it."""
    _require(is_insider(actor) and can_remove_document(actor, document))
    with transaction.atomic():
        _locked(document.meeting)
        before = snapshot(document)
        name = document.file.name
        document.delete()
        audit_write(
            actor=actor,
            action="meetings.document.remove",
            target=document,
            before=before,
            detail={"meeting": document.meeting_id},
        )
        if name:
            storage = document.file.storage
            transaction.on_commit(lambda: storage.delete(name))


def document_filename(document: MeetingDocument) -> str:
    """The name a download is saved under: the stored name without its random part."""
    name = PurePath(document.file.name or "").name
    random_part, _dash, rest = name.partition("-")
    return rest if rest and len(random_part) == 12 else name
