"""Statuses, audiences, answers and history entry kinds of guidelines."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GuidelineStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONSULTATION = "consultation", _("In consultation")
    REVISED = "revised", _("Revised")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = GuidelineStatus

# The lifecycle the services enforce. A guideline reaches "in consultation" only by opening
# a round, "approved" only with an approval record, "superseded" only by naming its successor.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.CONSULTATION, S.WITHDRAWN}),
    S.CONSULTATION: frozenset({S.REVISED, S.WITHDRAWN}),
    S.REVISED: frozenset({S.CONSULTATION, S.APPROVED, S.WITHDRAWN}),
    S.APPROVED: frozenset({S.PUBLISHED, S.REVISED, S.WITHDRAWN}),
    S.PUBLISHED: frozenset({S.SUPERSEDED, S.WITHDRAWN}),
    S.SUPERSEDED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

# Statuses in which the drafters may save new versions of the text.
EDITABLE_STATUSES = frozenset({S.DRAFT, S.REVISED})
# Statuses whose text has been public: the stable URL keeps answering.
PUBLIC_STATUSES = frozenset({S.PUBLISHED, S.SUPERSEDED, S.WITHDRAWN})


class Audience(models.TextChoices):
    FIRST_RESPONDERS = "first_responders", _("All first responders")
    POLICE = "police", _("Police")
    BORDER_GUARDS = "border_guards", _("Border guards")
    PROSECUTORS = "prosecutors", _("Prosecutors and courts")
    LABOUR_INSPECTORS = "labour_inspectors", _("Labour inspectors")
    SOCIAL_HEALTH = "social_health", _("Social and health services")
    ASSISTANCE = "assistance", _("Assistance system for victims")
    MIGRATION = "migration", _("Immigration and reception services")
    NGOS = "ngos", _("Non-governmental organisations")
    EDUCATION = "education", _("Schools and educational institutions")


class Response(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTLY = "partly", _("Partly accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")


# Answers that must say why.
REASON_REQUIRED = frozenset({Response.PARTLY, Response.NOT_ACCEPTED})


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    VERSION = "version", _("New version")
    STATUS = "status", _("Status changed")
    CONSULTATION = "consultation", _("Consultation opened")
    CONSULTATION_CLOSED = "consultation_closed", _("Consultation closed")
    REPORT = "report", _("Consultation report published")
