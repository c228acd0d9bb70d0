"""Statuses, urgencies, outcome kinds and timeline entry kinds of challenges."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChallengeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    UNDER_CONSIDERATION = "under_consideration", _("Under consideration")
    ON_AGENDA = "on_agenda", _("On an agenda")
    ADDRESSED = "addressed", _("Addressed")
    ANSWERED = "answered", _("Answered")
    DECLINED = "declined", _("Declined")
    MERGED = "merged", _("Merged into another challenge")


# The lifecycle the services enforce. Drafts become "received" only through submission, and
# challenges become "merged" only through a merge; neither is reachable by a transition.
TRANSITIONS: dict[str, frozenset[str]] = {
    ChallengeStatus.DRAFT: frozenset(),
    ChallengeStatus.RECEIVED: frozenset(
        {ChallengeStatus.ACKNOWLEDGED, ChallengeStatus.ANSWERED, ChallengeStatus.DECLINED}
    ),
    ChallengeStatus.ACKNOWLEDGED: frozenset(
        {
            ChallengeStatus.UNDER_CONSIDERATION,
            ChallengeStatus.ON_AGENDA,
            ChallengeStatus.ADDRESSED,
            ChallengeStatus.ANSWERED,
            ChallengeStatus.DECLINED,
        }
    ),
    ChallengeStatus.UNDER_CONSIDERATION: frozenset(
        {
            ChallengeStatus.ON_AGENDA,
            ChallengeStatus.ADDRESSED,
            ChallengeStatus.ANSWERED,
            ChallengeStatus.DECLINED,
        }
    ),
    ChallengeStatus.ON_AGENDA: frozenset(
        {
            ChallengeStatus.UNDER_CONSIDERATION,
            ChallengeStatus.ADDRESSED,
            ChallengeStatus.ANSWERED,
            ChallengeStatus.DECLINED,
        }
    ),
    # An answered challenge can still be addressed later by a guideline or a measure, and
    # any closed challenge can be reopened for consideration.
    ChallengeStatus.ANSWERED: frozenset(
        {ChallengeStatus.ADDRESSED, ChallengeStatus.UNDER_CONSIDERATION}
    ),
    ChallengeStatus.ADDRESSED: frozenset({ChallengeStatus.UNDER_CONSIDERATION}),
    ChallengeStatus.DECLINED: frozenset({ChallengeStatus.UNDER_CONSIDERATION}),
    ChallengeStatus.MERGED: frozenset(),
}

# Statuses whose change needs a note: a reason for declining, the answer itself, and why a
# closed challenge is reopened.
NOTE_REQUIRED = frozenset({ChallengeStatus.DECLINED, ChallengeStatus.ANSWERED})
CLOSED_STATUSES = frozenset(
    {
        ChallengeStatus.ADDRESSED,
        ChallengeStatus.ANSWERED,
        ChallengeStatus.DECLINED,
        ChallengeStatus.MERGED,
    }
)
OPEN_STATUSES = frozenset(
    {
        ChallengeStatus.RECEIVED,
        ChallengeStatus.ACKNOWLEDGED,
        ChallengeStatus.UNDER_CONSIDERATION,
        ChallengeStatus.ON_AGENDA,
    }
)


class Urgency(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High: people are at risk now")


class OutcomeKind(models.TextChoices):
    GUIDELINE = "guideline", _("Policy guideline")
    MEASURE = "measure", _("Action-plan measure")
    BRIEFING = "briefing", _("Briefing to decision-makers")
    DECISION = "decision", _("Decision")
    OTHER = "other", _("Other")


# Outcomes of these kinds address a challenge; others are recorded without moving it.
ADDRESSING_OUTCOMES = frozenset(
    {OutcomeKind.GUIDELINE, OutcomeKind.MEASURE, OutcomeKind.BRIEFING, OutcomeKind.DECISION}
)


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    STATUS = "status", _("Status changed")
    ANSWER = "answer", _("Official answer")
    OUTCOME = "outcome", _("Outcome")
    OWNER = "owner", _("Owner assigned")
    CATEGORY = "category", _("Categorised")
    MERGE = "merge", _("Merged")
