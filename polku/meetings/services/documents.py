"""Meeting papers: what may be uploaded, how it is stored and served, and its removal."""

import secrets
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from polku.accounts.models import User
from polku.audit.services import audit_write, snapshot
from polku.core.permissions import is_insider
from polku.meetings.choices import MeetingStatus
from polku.meetings.models import Meeting, MeetingDocument
from polku.meetings.permissions import can_manage_meeting
from polku.meetings.selectors_meetings import can_upload_document
from polku.meetings.services.meetings import TITLE_MAX, lock_meeting

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


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


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
        fresh = lock_meeting(meeting)
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
        lock_meeting(document.meeting)
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
