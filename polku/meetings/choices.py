"""The states of meetings, agenda items, minutes and actions, and who may read minutes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class InvitationKind(models.TextChoices):
    MEMBER = "member", _("Member")
    GUEST = "guest", _("Guest")


class InvitationResponse(models.TextChoices):
    PENDING = "pending", _("Not answered")
    ACCEPTED = "accepted", _("Coming")
    DECLINED = "declined", _("Not coming")


class Attendance(models.TextChoices):
    UNKNOWN = "unknown", _("Not recorded")
    PRESENT = "present", _("Present")
    APOLOGIES = "apologies", _("Sent apologies")
    ABSENT = "absent", _("Absent")


class AgendaItemStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("On the agenda")
    DECLINED = "declined", _("Declined")


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CIRCULATED = "circulated", _("Circulated for comments")
    REVISED = "revised", _("Revised")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


class MinutesAudience(models.TextChoices):
    """Who reads the minutes once they are published."""

    BODY = "body", _("The body's members and the meeting's guests")
    INSIDERS = "insiders", _("Everyone signed in")
    PUBLIC = "public", _("The public")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
