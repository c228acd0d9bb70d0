"""What an agenda item is about: a challenge, which moves on and off agendas with it, or
another record in Polku it links to.

Challenges (docs/adr/0008-app-dependencies.md): putting an item about a challenge on the
agenda moves the challenge to "on an agenda" through Voice's ``challenge_transition``, with
a note naming the body and the date, so its submitter and followers see who will discuss it
and when. The item goes on the agenda whatever the challenge's state — a body may discuss
what it wants — but the challenge moves only when Voice's rules allow it:

- the actor must be allowed to triage (the coordinator or the secretariat); a working
  group's own chair puts the item on the agenda and the challenge keeps its status;
- the lifecycle must allow the move: a challenge only received (not yet acknowledged), one
  already on an agenda, or a closed one (answered, addressed, declined) keeps its status.

The manager is told why the challenge stayed, and the audit event records it. A merged
challenge cannot be linked at all: the item must name the challenge it was merged into.
When an item is taken off the agenda, or its meeting is cancelled, a challenge that this
meeting alone had put on an agenda goes back to "under consideration".
"""

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.models import User
from polku.core.scopes import scope_for
from polku.meetings.choices import AgendaItemStatus, MeetingStatus
from polku.meetings.models import AgendaItem, Meeting
from polku.meetings.permissions import action_scope, decision_scope
from polku.voice.choices import ChallengeStatus
from polku.voice.models import Challenge
from polku.voice.permissions import can_triage
from polku.voice.services.challenges import challenge_transition

# What else an item may be about, by model label; those not installed are left out. Links
# to a challenge use the item's own ``challenge`` field instead.
SUBJECT_MODELS = (
    "meetings.actionitem",
    "meetings.decision",
    "guidelines.guideline",
    "briefings.briefing",
    "obligations.measure",
    "obligations.recommendation",
)


def subject_types() -> list[ContentType]:
    """The kinds of things, other than challenges, an item may be about."""
    found = []
    for label in SUBJECT_MODELS:
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        found.append(ContentType.objects.get_for_model(model))
    return found


def subject_visible(actor: User, content_type: ContentType, subject_id: str) -> bool:
    """Whether the actor may see the record an item would link to."""
    model = content_type.model_class()
    if model is None:
        return False
    # Every record is checked against its own app's scope, lent through polku.core.scopes,
    # so linking never reveals that a record the actor may not see exists; a model without
    # a scope is never linked.
    scopes: dict[str, Callable[[User], QuerySet[Any]]] = {
        "meetings.actionitem": action_scope,
        "meetings.decision": decision_scope,
    }
    label = model._meta.label_lower
    scope = scopes.get(label) or scope_for(label)
    if scope is None:
        return False
    try:
        return scope(actor).filter(pk=subject_id).exists()
    except (ValueError, TypeError, ValidationError):
        return False


def meeting_date(meeting: Meeting) -> str:
    """The meeting's day, as notes on challenges name it."""
    return timezone.localtime(meeting.starts_at).strftime("%d.%m.%Y")


def put_challenge_on_agenda(*, actor: User, item: AgendaItem) -> str:
    """Moves the item's challenge to "on an agenda"; returns why it stayed, or ""."""
    if item.challenge_id is None:
        return ""
    challenge = Challenge.objects.get(pk=item.challenge_id)
    status = ChallengeStatus(challenge.status).label
    if not can_triage(actor):
        return _(
            "Only the coordinator or the secretariat moves challenges, so %(reference)s stays "
            "“%(status)s”."
        ) % {"reference": challenge.reference, "status": status}
    if challenge.status == ChallengeStatus.ON_AGENDA:
        return _("%(reference)s is already on an agenda; its status stays as it is.") % {
            "reference": challenge.reference
        }
    if not challenge.can_transition_to(ChallengeStatus.ON_AGENDA):
        return _(
            "%(reference)s is “%(status)s” and cannot be put on an agenda; its status stays "
            "as it is."
        ) % {"reference": challenge.reference, "status": status}
    meeting = item.meeting
    note = _("To be discussed by %(body)s at its meeting on %(date)s.") % {
        "body": meeting.body.name,
        "date": meeting_date(meeting),
    }
    try:
        challenge_transition(
            actor=actor, challenge=challenge, to_status=ChallengeStatus.ON_AGENDA, note=note
        )
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def release_challenge(*, actor: User, item: AgendaItem, note: str) -> bool:
    """Moves a challenge this item alone put on an agenda back to consideration."""
    if item.challenge_id is None or not can_triage(actor):
        return False
    still_on_an_agenda = (
        AgendaItem.objects.filter(
            challenge_id=item.challenge_id,
            status=AgendaItemStatus.ACCEPTED,
            meeting__status=MeetingStatus.SCHEDULED,
        )
        .exclude(pk=item.pk)
        .exists()
    )
    challenge = Challenge.objects.get(pk=item.challenge_id)
    if still_on_an_agenda or challenge.status != ChallengeStatus.ON_AGENDA:
        return False
    try:
        challenge_transition(
            actor=actor,
            challenge=challenge,
            to_status=ChallengeStatus.UNDER_CONSIDERATION,
            note=note,
        )
    except ValidationError:
        return False
    return True


def release_challenges_of_meeting(*, actor: User, meeting: Meeting) -> int:
    """Called when a meeting is cancelled: its challenges go back to consideration."""
    note = _("The meeting of %(body)s on %(date)s was cancelled.") % {
        "body": meeting.body.name,
        "date": meeting_date(meeting),
    }
    items = meeting.items.filter(status=AgendaItemStatus.ACCEPTED, challenge__isnull=False)
    return sum(release_challenge(actor=actor, item=item, note=note) for item in items)
