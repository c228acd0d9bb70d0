"""Meetings of bodies: invitations, agendas, minutes, decisions and the actions that follow.

Writes go through ``polku.meetings.services``; reads through ``polku.meetings.selectors``,
which start from the default-deny scopes in ``polku.meetings.permissions``.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from polku.actors.models import Body, Organisation
from polku.core.models import TrackedModel
from polku.meetings.choices import (
    ActionStatus,
    AgendaItemStatus,
    Attendance,
    InvitationKind,
    InvitationResponse,
    MeetingStatus,
    MinutesAudience,
    MinutesStatus,
)
from polku.voice.models import Challenge


class Meeting(TrackedModel):
    """One sitting of a body, in a room, online, or both."""

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    chatham_house = models.BooleanField(
        _("Chatham House rule"),
        default=False,
        help_text=_("The minutes attribute nothing said to named people or organisations."),
    )
    agenda_lead_days = models.PositiveSmallIntegerField(
        _("send the agenda this many days before"), default=7
    )
    agenda_sent_at = models.DateTimeField(_("agenda sent at"), null=True, blank=True)
    # iCalendar SEQUENCE: raised on every change invitees must hear about.
    sequence = models.PositiveIntegerField(_("revision"), default=0)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["body", "-starts_at"], name="meeting_body_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meetings_meeting_ends_after"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", kwargs={"pk": self.pk})

    @property
    def uid(self) -> str:
        """The meeting's stable iCalendar UID."""
        return f"meeting-{self.pk}@polku"


class Invitation(models.Model):
    """Who is asked to a meeting, whether they are coming, and whether they came."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="invitations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="meeting_invitations",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("represents"),
        on_delete=models.PROTECT,
        related_name="meeting_invitations",
    )
    kind = models.CharField(_("invited as"), max_length=20, choices=InvitationKind.choices)
    response = models.CharField(
        _("answer"),
        max_length=20,
        choices=InvitationResponse.choices,
        default=InvitationResponse.PENDING,
    )
    attendance = models.CharField(
        _("attendance"), max_length=20, choices=Attendance.choices, default=Attendance.UNKNOWN
    )
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    # The SEQUENCE of the last invitation or update e-mailed to this person; -1 while their
    # calendar holds nothing from Polku (never told, or told the invitation was withdrawn).
    sent_sequence = models.IntegerField(_("last revision sent"), default=-1)
    # How often the person was invited again after a withdrawal. It is added to the
    # meeting's SEQUENCE in everything e-mailed to them, so a renewed invitation outranks the
    # CANCEL of the withdrawal in their calendar whichever e-mail arrives first.
    renewals = models.PositiveSmallIntegerField(_("times invited again"), default=0)
    # A withdrawn invitation is kept for the record but gives no access; inviting the person
    # again clears it.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["meeting", "kind", "organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="meetings_invitation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.meeting}"


def document_path(instance: "MeetingDocument", filename: str) -> str:
    return f"meetings/{instance.meeting_id}/{filename}"


class MeetingDocument(models.Model):
    """A paper for a meeting; served only to those who may see the meeting."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["meeting", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class AgendaItem(TrackedModel):
    """An item on a meeting's agenda: drafted by the chair or proposed by a member.

    It may be about a challenge (a foreign key, per ADR 0008) or about anything else in
    Polku (``subject_type``/``subject_id``: a guideline, a briefing, a measure).
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="items"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)
    duration_minutes = models.PositiveSmallIntegerField(_("time (minutes)"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AgendaItemStatus.choices,
        default=AgendaItemStatus.PROPOSED,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="proposed_agenda_items",
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    challenge = models.ForeignKey(
        Challenge,
        verbose_name=_("challenge"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    subject_type = models.ForeignKey(
        ContentType,
        verbose_name=_("about (type)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    subject_id = models.CharField(_("about (id)"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "pk"]
        indexes = [models.Index(fields=["challenge"], name="agendaitem_challenge_idx")]

    def __str__(self) -> str:
        return self.title


class Minutes(models.Model):
    """A meeting's minutes: one row per meeting, its text kept in numbered versions.

    ``version`` is the number of the latest :class:`MinutesVersion`; a save names the
    version it started from and is refused when someone else saved in between.
    """

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="minutes"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    comment_deadline = models.DateField(_("comments by"), null=True, blank=True)
    audience = models.CharField(
        _("published to"),
        max_length=20,
        choices=MinutesAudience.choices,
        default=MinutesAudience.BODY,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_at_meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("approved at the meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_minutes",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return str(self.meeting)


class MinutesVersion(models.Model):
    """One saved text of the minutes; never changed once written."""

    minutes = models.ForeignKey(
        Minutes, verbose_name=_("minutes"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"))
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("version of the minutes")
        verbose_name_plural = _("versions of the minutes")
        ordering = ["minutes", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "number"], name="meetings_minutesversion_number_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.minutes} v{self.number}"


class MinutesComment(models.Model):
    """An attendee's comment on a circulated version of the minutes."""

    minutes = models.ForeignKey(
        Minutes, verbose_name=_("minutes"), on_delete=models.CASCADE, related_name="comments"
    )
    version = models.ForeignKey(
        MinutesVersion,
        verbose_name=_("on version"),
        on_delete=models.PROTECT,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment on the minutes")
        verbose_name_plural = _("comments on the minutes")
        ordering = ["minutes", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author} on {self.minutes}"


class Decision(TrackedModel):
    """What a body decided on an agenda item."""

    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="decisions"
    )
    text = models.TextField(_("decision"))
    decided_on = models.DateField(_("decided on"))

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_on", "-pk"]
        indexes = [models.Index(fields=["body", "-decided_on"], name="decision_body_date_idx")]

    def __str__(self) -> str:
        return self.text[:80]


class ActionItem(TrackedModel):
    """Something a person has undertaken to do, from a decision or an agenda item."""

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="actions"
    )
    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
    )
    title = models.CharField(_("what is to be done"), max_length=300)
    description = models.TextField(_("details"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_actions",
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("owner's organisation"),
        on_delete=models.PROTECT,
        related_name="owned_actions",
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deputy"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deputised_actions",
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    # The meeting that last reviewed the action in its follow-up list.
    reviewed_at = models.ForeignKey(
        Meeting,
        verbose_name=_("last reviewed at"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_actions",
    )

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["owner", "status"], name="action_owner_status_idx"),
            models.Index(fields=["body", "status", "due_on"], name="action_body_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(deputy__isnull=True) | ~Q(deputy=models.F("owner")),
                name="meetings_action_deputy_not_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:action_detail", kwargs={"pk": self.pk})


class ActionNote(models.Model):
    """A progress note on an action, with the status it moved to, if any."""

    action = models.ForeignKey(
        ActionItem, verbose_name=_("action"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("progress"))
    status = models.CharField(
        _("status set to"), max_length=20, choices=ActionStatus.choices, blank=True
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["action", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.action}: {self.text[:40]}"


class CalendarFeed(models.Model):
    """A person's private calendar address; only a SHA-256 of its secret is kept."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token_hash = models.CharField(_("secret (hashed)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)
