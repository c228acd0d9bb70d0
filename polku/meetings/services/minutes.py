"""The minutes workflow: drafted by the managers, circulated for comments, revised, approved,
published. See docs/adr/0012-minutes-versions.md.

Every save writes a new, never-changed `MinutesVersion`. A save names the version it started
from and is refused (`MinutesConflict`) when someone saved in between, so nobody overwrites
another person's work. Under the Chatham House rule a text naming an invitee or their
organisation is refused (`NamesAttributed`).
"""

import re
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from polku.accounts.models import User
from polku.actors.choices import BodyRole
from polku.audit.services import audit_write
from polku.meetings.choices import MeetingStatus, MinutesAudience, MinutesStatus
from polku.meetings.models import Invitation, Meeting, Minutes, MinutesComment, MinutesVersion
from polku.meetings.permissions import (
    can_approve_minutes,
    can_manage_meeting,
    is_participant,
)
from polku.notifications.services import notify

TEXT_MAX = 200_000
NOTE_MAX = 300
COMMENT_MAX = 5_000

# Which status the minutes may move to from each; saving moves circulated minutes to revised.
TRANSITIONS: dict[str, frozenset[str]] = {
    MinutesStatus.DRAFT: frozenset({MinutesStatus.CIRCULATED}),
    MinutesStatus.CIRCULATED: frozenset({MinutesStatus.REVISED, MinutesStatus.APPROVED}),
    MinutesStatus.REVISED: frozenset({MinutesStatus.CIRCULATED, MinutesStatus.APPROVED}),
    MinutesStatus.APPROVED: frozenset({MinutesStatus.PUBLISHED}),
    MinutesStatus.PUBLISHED: frozenset(),
}
EDITABLE = frozenset({MinutesStatus.DRAFT, MinutesStatus.CIRCULATED, MinutesStatus.REVISED})


def can_transition(minutes: Minutes, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(minutes.status, frozenset())


class MinutesConflict(ValidationError):
    """Refuses a save that started from an older version than the latest."""

    def __init__(self, *, base_version: int, latest: MinutesVersion) -> None:
        self.base_version = base_version
        self.latest = latest
        super().__init__(
            {
                "text": _(
                    "%(person)s saved version %(latest)s at %(time)s, after you opened version "
                    "%(base)s. Your text was not saved, so nothing is lost: it is shown below. "
                    "Compare it with version %(latest)s, bring your changes into it and save "
                    "again."
                )
                % {
                    "person": str(latest.created_by),
                    "latest": latest.number,
                    "time": formats.date_format(
                        timezone.localtime(latest.created_at), "SHORT_DATETIME_FORMAT"
                    ),
                    "base": base_version,
                }
            }
        )


class NamesAttributed(ValidationError):
    """Refuses minutes of a Chatham House meeting that name invitees or their organisations.

    Decisions and actions appear with the minutes, so their wording is held to it too.
    """

    def __init__(self, names: list[str], field: str = "text") -> None:
        self.names = names
        super().__init__(
            {
                field: _(
                    "This meeting follows the Chatham House rule: the minutes may not attribute "
                    "anything to named people or organisations. Remove these names: %(names)s."
                )
                % {"names": ", ".join(f"“{name}”" for name in names)}
            }
        )


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _refuse_move(minutes: Minutes, to_status: str) -> None:
    if not can_transition(minutes, to_status):
        raise ValidationError(
            _("Minutes that are “%(status)s” cannot become “%(to)s”.")
            % {
                "status": minutes.get_status_display(),
                "to": MinutesStatus(to_status).label,
            }
        )


def _locked(minutes: Minutes) -> Minutes:
    """The minutes' row, locked for the rest of the transaction, as it is now."""
    return (
        Minutes.objects.select_related("meeting__body")
        .select_for_update(of=("self",))
        .get(pk=minutes.pk)
    )


def _pattern(name: str) -> re.Pattern[str]:
    words = [re.escape(word) for word in name.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def attributable_names(meeting: Meeting) -> list[str]:
    """The names the minutes of a Chatham House meeting may not hold: every invitee's full
    name, and their organisations' names in each language and short names."""
    names: list[str] = []
    invitations = Invitation.objects.filter(meeting=meeting).select_related("user", "organisation")
    for invitation in invitations.order_by("pk"):
        organisation = invitation.organisation
        candidates = [
            invitation.user.get_full_name(),
            organisation.name,
            organisation.name_fi,
            organisation.name_sv,
            organisation.short_name,
        ]
        for candidate in candidates:
            candidate = " ".join(candidate.split())
            if candidate and candidate.casefold() not in {name.casefold() for name in names}:
                names.append(candidate)
    return names


def names_in_text(text: str, names: Iterable[str]) -> list[str]:
    """Which of the names appear in the text as whole words, ignoring case."""
    return [name for name in names if _pattern(name).search(text)]


def check_chatham_house(meeting: Meeting, text: str, *, field: str = "text") -> None:
    """Raises NamesAttributed when text recorded for a Chatham House meeting names someone."""
    if not meeting.chatham_house:
        return
    found = names_in_text(text, attributable_names(meeting))
    if found:
        raise NamesAttributed(found, field)


def _participants(meeting: Meeting) -> QuerySet[User]:
    """The meeting's invitees: the people the minutes go to for comments."""
    return User.objects.filter(
        meeting_invitations__meeting=meeting,
        meeting_invitations__withdrawn_at__isnull=True,
        is_active=True,
    ).order_by("pk")


def _audience(meeting: Meeting) -> QuerySet[User]:
    """Everyone who took part: invitees and the body's members."""
    return (
        User.objects.filter(
            Q(meeting_invitations__meeting=meeting, meeting_invitations__withdrawn_at__isnull=True)
            | Q(body_seats__body=meeting.body),
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def _managers_of(meeting: Meeting) -> QuerySet[User]:
    """The body's chair and secretary, who keep the minutes."""
    return User.objects.filter(
        body_seats__body=meeting.body,
        body_seats__role__in=[BodyRole.CHAIR, BodyRole.SECRETARY],
        is_active=True,
    ).order_by("pk")


def _state(minutes: Minutes) -> dict[str, object]:
    return {
        "status": minutes.status,
        "version": minutes.version,
        "comment_deadline": minutes.comment_deadline.isoformat()
        if minutes.comment_deadline
        else None,
        "audience": minutes.audience,
        "approved_by": minutes.approved_by_id,
        "approved_at_meeting": minutes.approved_at_meeting_id,
    }


def latest_version(minutes: Minutes) -> MinutesVersion | None:
    return (
        MinutesVersion.objects.filter(minutes=minutes, number=minutes.version)
        .select_related("created_by")
        .first()
    )


def minutes_save(
    *, actor: User, meeting: Meeting, text: str, base_version: int, note: str = ""
) -> Minutes:
    """Saves a new version of a meeting's minutes, started from version `base_version`.

    The first save (from version 0) starts the minutes as a draft. A save while they are
    circulated for comments makes them "revised". Approved and published minutes are final.
    """
    _require(can_manage_meeting(actor, meeting))
    text = text.replace("\r\n", "\n").strip()
    note = note.strip()
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = _("Write the minutes.")
    elif len(text) > TEXT_MAX:
        errors["text"] = _("Keep the minutes under %(max)s characters.") % {"max": TEXT_MAX}
    if len(note) > NOTE_MAX:
        errors["note"] = _("Say what changed in at most %(max)s characters.") % {"max": NOTE_MAX}
    if errors:
        raise ValidationError(errors)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("The meeting was cancelled; it has no minutes."))
    check_chatham_house(meeting, text)
    with transaction.atomic():
        created = Minutes.objects.get_or_create(meeting=meeting)[0]
        minutes = _locked(created)
        before = _state(minutes)
        if minutes.status not in EDITABLE:
            raise ValidationError(
                _("The minutes are “%(status)s” and can no longer be changed.")
                % {"status": minutes.get_status_display()}
            )
        latest = latest_version(minutes)
        if base_version != minutes.version:
            if latest is None:
                raise ValidationError({"text": _("Open the minutes again and start from there.")})
            raise MinutesConflict(base_version=base_version, latest=latest)
        if latest is not None and latest.text == text:
            raise ValidationError(
                {
                    "text": _("The text is the same as version %(number)s; nothing was saved.")
                    % {"number": latest.number}
                }
            )
        version = MinutesVersion.objects.create(
            minutes=minutes,
            number=minutes.version + 1,
            text=text,
            note=note,
            created_by=actor,
        )
        minutes.version = version.number
        if minutes.status == MinutesStatus.CIRCULATED:
            minutes.status = MinutesStatus.REVISED
        minutes.save(update_fields=["version", "status"])
        audit_write(
            actor=actor,
            action="meetings.minutes.save",
            target=minutes,
            before=before,
            after={**_state(minutes), "note": note, "length": len(text)},
        )
    return minutes


def minutes_circulate(*, actor: User, minutes: Minutes, comment_deadline: date) -> Minutes:
    """Sends the current version to the invitees for comments by `comment_deadline`."""
    _require(can_manage_meeting(actor, minutes.meeting))
    if comment_deadline < timezone.localdate():
        raise ValidationError(
            {"comment_deadline": _("Give a deadline for comments that is today or later.")}
        )
    with transaction.atomic():
        minutes = _locked(minutes)
        before = _state(minutes)
        _refuse_move(minutes, MinutesStatus.CIRCULATED)
        latest = latest_version(minutes)
        if latest is None:
            raise ValidationError(_("Write the minutes before circulating them."))
        check_chatham_house(minutes.meeting, latest.text)
        minutes.status = MinutesStatus.CIRCULATED
        minutes.comment_deadline = comment_deadline
        minutes.save(update_fields=["status", "comment_deadline"])
        audit_write(
            actor=actor,
            action="meetings.minutes.circulate",
            target=minutes,
            before=before,
            after=_state(minutes),
        )
        meeting = minutes.meeting

        def title() -> str:
            return _("Comment on the minutes of %(meeting)s by %(deadline)s") % {
                "meeting": meeting.title,
                "deadline": formats.date_format(comment_deadline, "SHORT_DATE_FORMAT"),
            }

        def body() -> str:
            return _(
                "Version %(number)s of the minutes is ready for your comments. Comments are "
                "taken until the end of %(deadline)s."
            ) % {
                "number": latest.number,
                "deadline": formats.date_format(comment_deadline, "SHORT_DATE_FORMAT"),
            }

        notify(
            recipients=_participants(meeting),
            kind="meetings.minutes_circulated",
            title=title,
            body=body,
            url=_minutes_url(meeting),
            target=minutes,
            exclude=actor,
        )
    return minutes


def minutes_comment(*, actor: User, minutes: Minutes, text: str) -> MinutesComment:
    """Adds a participant's comment on the circulated version, before the deadline."""
    _require(is_participant(actor, minutes.meeting))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write your comment.")})
    if len(text) > COMMENT_MAX:
        raise ValidationError(
            {"text": _("Keep the comment under %(max)s characters.") % {"max": COMMENT_MAX}}
        )
    with transaction.atomic():
        minutes = _locked(minutes)
        if minutes.status != MinutesStatus.CIRCULATED:
            raise ValidationError(
                _(
                    "Comments are taken only while the minutes are circulated; they are “%(status)s”."
                )
                % {"status": minutes.get_status_display()}
            )
        if minutes.comment_deadline is not None and timezone.localdate() > minutes.comment_deadline:
            raise ValidationError(
                _("The deadline for comments was %(deadline)s.")
                % {"deadline": formats.date_format(minutes.comment_deadline, "SHORT_DATE_FORMAT")}
            )
        version = MinutesVersion.objects.get(minutes=minutes, number=minutes.version)
        comment = MinutesComment.objects.create(
            minutes=minutes, version=version, author=actor, text=text
        )
        audit_write(
            actor=actor,
            action="meetings.minutes.comment",
            target=minutes,
            after={"comment": comment.pk, "version": version.number, "length": len(text)},
        )
        meeting = minutes.meeting

        def title() -> str:
            return _("A comment on the minutes of %(meeting)s") % {"meeting": meeting.title}

        notify(
            recipients=_managers_of(meeting),
            kind="meetings.minutes_comment",
            title=title,
            url=_minutes_url(meeting),
            target=minutes,
            exclude=actor,
        )
    return comment


def minutes_approve(*, actor: User, minutes: Minutes, at_meeting: Meeting | None = None) -> Minutes:
    """Approves the minutes: by the body's chair, or as recorded at a later meeting of the body.

    With `at_meeting`, a manager records that the body approved them at that meeting; it must
    be a later meeting of the same body that has taken place and was not cancelled.
    """
    meeting = minutes.meeting
    if at_meeting is None:
        _require(can_approve_minutes(actor, meeting))
    else:
        _require(can_manage_meeting(actor, meeting))
        problem = ""
        if at_meeting.body_id != meeting.body_id:
            problem = _("Choose a meeting of the same body.")
        elif at_meeting.starts_at <= meeting.starts_at:
            problem = _("Choose a meeting held after the one the minutes are of.")
        elif at_meeting.status == MeetingStatus.CANCELLED:
            problem = _("That meeting was cancelled.")
        elif at_meeting.status != MeetingStatus.HELD and at_meeting.starts_at > timezone.now():
            problem = _("That meeting has not taken place yet.")
        if problem:
            raise ValidationError({"at_meeting": problem})
    with transaction.atomic():
        minutes = _locked(minutes)
        before = _state(minutes)
        _refuse_move(minutes, MinutesStatus.APPROVED)
        minutes.status = MinutesStatus.APPROVED
        minutes.approved_by = actor
        minutes.approved_at = timezone.now()
        minutes.approved_at_meeting = at_meeting
        minutes.save(update_fields=["status", "approved_by", "approved_at", "approved_at_meeting"])
        audit_write(
            actor=actor,
            action="meetings.minutes.approve",
            target=minutes,
            before=before,
            after=_state(minutes),
        )
    return minutes


def minutes_publish(*, actor: User, minutes: Minutes, audience: str) -> Minutes:
    """Publishes approved minutes to the audience the body chooses."""
    _require(can_manage_meeting(actor, minutes.meeting))
    if audience not in MinutesAudience.values:
        raise ValidationError({"audience": _("Choose who may read the minutes.")})
    with transaction.atomic():
        minutes = _locked(minutes)
        before = _state(minutes)
        _refuse_move(minutes, MinutesStatus.PUBLISHED)
        latest = latest_version(minutes)
        if latest is None:
            raise ValidationError(_("There is no text to publish."))
        check_chatham_house(minutes.meeting, latest.text)
        minutes.status = MinutesStatus.PUBLISHED
        minutes.audience = audience
        minutes.published_at = timezone.now()
        minutes.save(update_fields=["status", "audience", "published_at"])
        audit_write(
            actor=actor,
            action="meetings.minutes.publish",
            target=minutes,
            before=before,
            after=_state(minutes),
        )
        meeting = minutes.meeting

        def title() -> str:
            return _("The minutes of %(meeting)s are published") % {"meeting": meeting.title}

        notify(
            recipients=_audience(meeting),
            kind="meetings.minutes_published",
            title=title,
            url=_minutes_url(meeting),
            target=minutes,
            exclude=actor,
        )
    return minutes


def _minutes_url(meeting: Meeting) -> str:
    return reverse("meetings:minutes_detail", kwargs={"pk": meeting.pk})
