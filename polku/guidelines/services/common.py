"""What the guideline services share: input, refusals, history and notices to subscribers."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.models import User
from polku.actors.models import Organisation
from polku.guidelines.choices import TRANSITIONS, EventKind, GuidelineStatus
from polku.guidelines.models import Guideline, GuidelineEvent
from polku.notifications.services import notify
from polku.taxonomy.models import Category
from polku.voice.models import Challenge

TITLE_MAX = 200
SCOPE_MAX = 2_000
BODY_MAX = 200_000
COMMENT_MAX = 5_000
NOTE_MAX = 300


@dataclass(frozen=True)
class GuidelineInput:
    """What the drafters say about a guideline besides its text."""

    organisation: Organisation
    scope: str = ""
    language: str = "en"
    audiences: Sequence[str] = field(default_factory=tuple)
    sectors: Sequence[Category] = field(default_factory=tuple)
    exploitation_forms: Sequence[Category] = field(default_factory=tuple)
    challenges: Sequence[Challenge] = field(default_factory=tuple)
    replaces: Guideline | None = None

    @property
    def categories(self) -> list[Category]:
        return [*self.sectors, *self.exploitation_forms]


def require_permission(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def locked(guideline: Guideline) -> Guideline:
    """The guideline re-read under a row lock, so two moves cannot cross."""
    return Guideline.objects.select_for_update().get(pk=guideline.pk)


def status_label(status: str) -> str:
    return str(GuidelineStatus(status).label)


def move(
    guideline: Guideline,
    to_status: str,
    *,
    actor: User,
    note: str = "",
    kind: str = EventKind.STATUS,
) -> str:
    """Moves the guideline along its lifecycle, or refuses with a message naming both states."""
    if to_status not in TRANSITIONS or not guideline.can_transition_to(to_status):
        allowed = sorted(status_label(status) for status in TRANSITIONS.get(guideline.status, ()))
        message = _("A guideline that is “%(current)s” cannot become “%(wanted)s”.") % {
            "current": status_label(guideline.status),
            "wanted": status_label(to_status) if to_status in TRANSITIONS else to_status,
        }
        if allowed:
            message += " " + _("From here it can become: %(allowed)s.") % {
                "allowed": ", ".join(f"“{label}”" for label in allowed)
            }
        else:
            message += " " + _("It is final and changes no more.")
        raise ValidationError(message, code="illegal_transition")
    from_status = guideline.status
    guideline.status = to_status
    record_event(guideline, kind, actor=actor, from_status=from_status, note=note)
    return from_status


def record_event(
    guideline: Guideline,
    kind: str,
    *,
    actor: User | None,
    from_status: str = "",
    note: str = "",
) -> GuidelineEvent:
    return GuidelineEvent.objects.create(
        guideline=guideline,
        kind=kind,
        from_status=from_status,
        to_status=guideline.status if from_status else "",
        actor=actor,
        note=note,
        created_at=timezone.now(),
    )


def tell_subscribers(
    guideline: Guideline,
    *,
    title: Callable[[], str],
    actor: User | None,
    also: Iterable[User] = (),
) -> None:
    """Tells the guideline's subscribers (and `also`) who read its current text, in their language.

    An invitee of an earlier round who does not read the current draft is not told of it: the
    message would carry its title and news of a text they are not to read.
    """
    from polku.guidelines.permissions import reads_current_text

    people = [subscription.user for subscription in guideline.subscriptions.select_related("user")]
    people += list(also)
    readers = [person for person in people if reads_current_text(person, guideline)]
    if readers:
        notify(
            recipients=readers,
            kind="guideline",
            title=title,
            url=guideline.get_absolute_url(),
            target=guideline,
            exclude=actor,
        )


def clean_text(value: str, *, field_name: str, limit: int, required_message: str = "") -> str:
    value = value.strip()
    if required_message and not value:
        raise ValidationError({field_name: required_message})
    if len(value) > limit:
        raise ValidationError(
            {field_name: _("Keep this to %(limit)s characters.") % {"limit": f"{limit:,}"}}
        )
    return value
