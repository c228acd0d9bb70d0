"""The secretariat's triage tools: notifications about challenges, merging duplicates,
taking challenges on, and reminders of the response clocks.

Notifications go through `polku.notifications` (see docs/adr/0009-notifications.md):
`challenge_notify` is what every Voice service calls, through `notify_after_commit`.
"""

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.tasks import task
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from polku.accounts.choices import Role
from polku.accounts.models import User
from polku.actors.models import Membership
from polku.audit.services import audit_write
from polku.notifications.models import SentReminder
from polku.notifications.services import notify, reminder_record
from polku.voice.choices import OPEN_STATUSES, ChallengeStatus, EventKind
from polku.voice.models import Challenge, Endorsement, Follower, StatusEvent
from polku.voice.permissions import TRIAGE_ROLES, can_triage
from polku.voice.services.challenges import challenge_assign_owner
from polku.voice.services.common import (
    actor_label,
    check_personal_data,
    require_permission,
)
from polku.voice.similarity import similarity_remove
from polku.voice.working_days import add_working_days, is_working_day, working_days_between

MERGE_NOTE_MAX = 2_000
# A reminder goes out when a clock runs out within this many working days.
DUE_SOON_WORKING_DAYS = 2
# An overdue reminder is repeated at most this often while the challenge stays overdue.
OVERDUE_REPEAT_DAYS = 7


# --- Notifications ---------------------------------------------------------------------


def _titles() -> dict[str, str]:
    return {
        "new": _("New challenge %(reference)s: %(title)s"),
        EventKind.STATUS: _("%(reference)s is now “%(status)s”"),
        EventKind.ANSWER: _("%(reference)s has an official answer"),
        EventKind.OUTCOME: _("%(reference)s: an outcome was recorded"),
        EventKind.OWNER: _("You are now the owner of %(reference)s"),
        "comment": _("%(reference)s: a new comment"),
        "endorsement": _("%(reference)s: a new endorsement"),
    }


def triage_people() -> QuerySet[User]:
    """The coordinator and the secretariat: active people holding a triage role."""
    return User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(
            role__in=TRIAGE_ROLES, is_active=True, organisation__is_active=True
        ).values("user"),
    )


def concerned_people(challenge: Challenge, what: str = "") -> QuerySet[User]:
    """Who hears about a change to a challenge.

    The submitter (never of a protected challenge: nobody is on file), the owner, endorsers
    and followers; the triage roles hear about a new challenge, and only the new owner about
    an assignment.
    """
    if what == "new":
        return triage_people().order_by("pk")
    if what == EventKind.OWNER:
        owner = [challenge.owner_id] if challenge.owner_id is not None else []
        return User.objects.filter(pk__in=owner, is_active=True)
    concerned = (
        Q(challenge_endorsements__challenge=challenge)
        | Q(followed_challenges__challenge=challenge)
        | Q(pk=challenge.owner_id)
    )
    if not challenge.is_protected and challenge.submitted_by_id is not None:
        concerned |= Q(pk=challenge.submitted_by_id)
    return User.objects.filter(concerned, is_active=True).distinct().order_by("pk")


def challenge_notify(*, challenge: Challenge, what: str, actor: User | None) -> None:
    """Tells the people concerned about a change, in the app now and by e-mail after commit.

    Call inside the service's transaction; the actor is not told about their own change.
    """
    reference = challenge.reference or ""

    def title() -> str:
        template = _titles().get(what, _("%(reference)s was updated"))
        return template % {
            "reference": reference,
            "title": challenge.title,
            "status": challenge.get_status_display(),
        }

    def body() -> str:
        changed = _("%(reference)s “%(title)s” has changed.") % {
            "reference": reference,
            "title": challenge.title,
        }
        reason = _("You receive this because you raised, own, endorse or follow the challenge.")
        return f"{changed}\n\n{reason}"

    notify(
        recipients=concerned_people(challenge, what),
        kind=f"voice.{what}",
        title=title,
        body=body,
        url=challenge.get_absolute_url(),
        target=challenge,
        exclude=actor,
    )


# --- Merging duplicates ----------------------------------------------------------------


def challenge_merge_check(*, duplicate: Challenge, into: Challenge) -> None:
    """Refuses a merge the lifecycle does not allow, with the reason; changes nothing."""
    if duplicate.pk == into.pk:
        raise ValidationError({"into": _("A challenge cannot be merged into itself.")})
    if duplicate.status == ChallengeStatus.MERGED:
        raise ValidationError(
            _("%(reference)s has already been merged.") % {"reference": duplicate.reference}
        )
    if duplicate.status not in OPEN_STATUSES:
        raise ValidationError(
            _(
                "Only an open challenge can be merged: %(reference)s is “%(status)s”. "
                "Reopen it first."
            )
            % {"reference": duplicate.reference, "status": duplicate.get_status_display()}
        )
    if into.status == ChallengeStatus.MERGED:
        raise ValidationError(
            {
                "into": _(
                    "%(reference)s was itself merged into another challenge; merge into that "
                    "one instead."
                )
                % {"reference": into.reference}
            }
        )
    if into.status not in OPEN_STATUSES:
        raise ValidationError(
            {
                "into": _(
                    "%(reference)s is closed (“%(status)s”): choose an open challenge, or "
                    "reopen it first."
                )
                % {"reference": into.reference or "—", "status": into.get_status_display()}
            }
        )


def _move_participation(duplicate: Challenge, into: Challenge) -> tuple[int, int]:
    """Moves endorsements and followers; a person already on the survivor keeps one."""
    endorsing = set(into.endorsements.values_list("user_id", flat=True))
    if into.submitted_by_id is not None:
        # Nobody endorses their own challenge.
        endorsing.add(into.submitted_by_id)
    Endorsement.objects.filter(challenge=duplicate, user_id__in=endorsing).delete()
    endorsements = Endorsement.objects.filter(challenge=duplicate).update(challenge=into)
    following = set(into.followers.values_list("user_id", flat=True))
    Follower.objects.filter(challenge=duplicate, user_id__in=following).delete()
    followers = Follower.objects.filter(challenge=duplicate).update(challenge=into)
    submitter = duplicate.submitted_by_id
    if (
        not duplicate.is_protected
        and submitter is not None
        and submitter != into.submitted_by_id
        and submitter not in following
        and not Follower.objects.filter(challenge=into, user_id=submitter).exists()
    ):
        # Whoever raised the duplicate keeps hearing about the problem where it continues.
        Follower.objects.create(challenge=into, user_id=submitter, created_at=timezone.now())
        followers += 1
    return endorsements, followers


def challenge_merge(
    *, actor: User, duplicate: Challenge, into: Challenge, note: str = ""
) -> Challenge:
    """Merges a duplicate into the challenge that continues; returns the surviving one.

    Endorsements and followers move to the survivor (once per person), the duplicate becomes
    "merged" with a timeline entry on both, and everyone concerned with either is told.
    Nothing about who raised either challenge is copied across, so a merge reveals nothing
    whichever of them is protected.
    """
    require_permission(can_triage(actor))
    note = note.strip()
    if len(note) > MERGE_NOTE_MAX:
        raise ValidationError({"note": _("Keep the note to 2,000 characters.")})
    check_personal_data(note=note)
    with transaction.atomic():
        locked = {
            challenge.pk: challenge
            for challenge in Challenge.objects.select_for_update()
            .filter(pk__in=[duplicate.pk, into.pk])
            .order_by("pk")
        }
        fresh_duplicate, fresh_into = locked[duplicate.pk], locked[into.pk]
        challenge_merge_check(duplicate=fresh_duplicate, into=fresh_into)
        # Everyone concerned with either challenge, counted before anyone moves.
        told = list(concerned_people(fresh_duplicate)) + list(concerned_people(fresh_into))
        endorsements, followers = _move_participation(fresh_duplicate, fresh_into)
        now = timezone.now()
        from_status = fresh_duplicate.status
        fresh_duplicate.status = ChallengeStatus.MERGED
        fresh_duplicate.merged_into = fresh_into
        fresh_duplicate.closed_at = now
        fresh_duplicate.updated_at = now
        fresh_duplicate.save(update_fields=["status", "merged_into", "closed_at", "updated_at"])
        similarity_remove(fresh_duplicate)
        fresh_into.updated_at = now
        fresh_into.save(update_fields=["updated_at"])
        label = actor_label(actor)
        merged_note = _("Merged into %(reference)s.") % {"reference": fresh_into.reference}
        survivor_note = _("%(reference)s, about the same problem, was merged into this one.") % {
            "reference": fresh_duplicate.reference
        }
        StatusEvent.objects.bulk_create(
            [
                StatusEvent(
                    challenge=fresh_duplicate,
                    kind=EventKind.MERGE,
                    from_status=from_status,
                    to_status=ChallengeStatus.MERGED,
                    actor=actor,
                    actor_label=label,
                    note="\n\n".join(filter(None, [merged_note, note])),
                    created_at=now,
                ),
                StatusEvent(
                    challenge=fresh_into,
                    kind=EventKind.MERGE,
                    actor=actor,
                    actor_label=label,
                    note="\n\n".join(filter(None, [survivor_note, note])),
                    created_at=now,
                ),
            ]
        )
        moved = {"endorsements": endorsements, "followers": followers}
        audit_write(
            actor=actor,
            action="voice.challenge.merge",
            target=fresh_duplicate,
            before={"status": from_status, "merged_into": None},
            after={"status": ChallengeStatus.MERGED, "merged_into": str(fresh_into.pk)},
            detail=moved,
        )
        audit_write(
            actor=actor,
            action="voice.challenge.merge_into",
            target=fresh_into,
            detail={"duplicate": str(fresh_duplicate.pk), **moved},
        )
        _notify_merge(actor=actor, duplicate=fresh_duplicate, into=fresh_into, people=told)
    return fresh_into


def _notify_merge(
    *, actor: User, duplicate: Challenge, into: Challenge, people: Iterable[User]
) -> None:
    values = {
        "duplicate": duplicate.reference,
        "duplicate_title": duplicate.title,
        "reference": into.reference,
        "title": into.title,
    }

    def title() -> str:
        return _("%(duplicate)s was merged into %(reference)s") % values

    def body() -> str:
        return (
            _(
                "“%(duplicate_title)s” (%(duplicate)s) describes the same problem as "
                "“%(title)s” (%(reference)s), so the two continue as one: %(reference)s. "
                "Endorsements and followers have moved there."
            )
            % values
        )

    notify(
        recipients=people,
        kind="voice.merge",
        title=title,
        body=body,
        url=into.get_absolute_url(),
        target=into,
        exclude=actor,
    )


# --- Taking challenges on --------------------------------------------------------------


def challenges_assign_to_self(*, actor: User, challenges: Iterable[Challenge]) -> int:
    """Makes the actor the owner of each challenge; returns how many changed hands.

    All or nothing: one refusal (a draft, a vanished row) leaves every challenge as it was.
    """
    require_permission(can_triage(actor))
    changed = 0
    with transaction.atomic():
        for challenge in challenges:
            if challenge.owner_id == actor.pk:
                continue
            challenge_assign_owner(actor=actor, challenge=challenge, owner=actor)
            changed += 1
    return changed


# --- Reminders of the response clocks --------------------------------------------------


class ReminderKind:
    ACKNOWLEDGE_SOON = "voice.acknowledge_due_soon"
    ACKNOWLEDGE_OVERDUE = "voice.acknowledge_overdue"
    ANSWER_SOON = "voice.answer_due_soon"
    ANSWER_OVERDUE = "voice.answer_overdue"

    ALL = (ACKNOWLEDGE_SOON, ACKNOWLEDGE_OVERDUE, ANSWER_SOON, ANSWER_OVERDUE)
    OVERDUE = frozenset({ACKNOWLEDGE_OVERDUE, ANSWER_OVERDUE})


def _reminder_titles() -> dict[str, str]:
    return {
        ReminderKind.ACKNOWLEDGE_SOON: _("Acknowledge %(reference)s by %(due)s"),
        ReminderKind.ACKNOWLEDGE_OVERDUE: _(
            "The acknowledgement of %(reference)s is overdue (due %(due)s)"
        ),
        ReminderKind.ANSWER_SOON: _("Answer %(reference)s by %(due)s"),
        ReminderKind.ANSWER_OVERDUE: _("The answer to %(reference)s is overdue (due %(due)s)"),
    }


def _clocks(challenge: Challenge) -> list[tuple[str, str, date]]:
    """The running clocks of a challenge: (soon kind, overdue kind, due date)."""
    clocks = []
    if challenge.status == ChallengeStatus.RECEIVED and challenge.acknowledge_due_on:
        clocks.append(
            (
                ReminderKind.ACKNOWLEDGE_SOON,
                ReminderKind.ACKNOWLEDGE_OVERDUE,
                challenge.acknowledge_due_on,
            )
        )
    if challenge.answered_at is None and challenge.answer_due_on:
        clocks.append(
            (ReminderKind.ANSWER_SOON, ReminderKind.ANSWER_OVERDUE, challenge.answer_due_on)
        )
    return clocks


def reminders_due(*, today: date) -> list[tuple[Challenge, str, date]]:
    """The reminders that should go out today: (challenge, kind, due date).

    "Due soon" goes once per clock, when it runs out within two working days; "overdue" on
    the first working day after, then at most weekly. Nothing goes on a day off.
    """
    if not is_working_day(today):
        return []
    horizon = add_working_days(today, DUE_SOON_WORKING_DAYS)
    challenges = list(
        Challenge.objects.filter(status__in=OPEN_STATUSES)
        .filter(
            Q(status=ChallengeStatus.RECEIVED, acknowledge_due_on__lte=horizon)
            | Q(answered_at__isnull=True, answer_due_on__lte=horizon)
        )
        .select_related("owner")
        .order_by("acknowledge_due_on", "answer_due_on", "pk")
    )
    last_sent: dict[tuple[str, str], date] = {}
    for target_id, kind, day in (
        SentReminder.objects.filter(
            target_type__app_label="voice",
            target_type__model="challenge",
            target_id__in=[str(challenge.pk) for challenge in challenges],
            kind__in=ReminderKind.ALL,
        )
        .order_by("day")
        .values_list("target_id", "kind", "day")
    ):
        last_sent[(target_id, kind)] = day
    due: list[tuple[Challenge, str, date]] = []
    for challenge in challenges:
        for soon, overdue, due_on in _clocks(challenge):
            if due_on < today:
                last = last_sent.get((str(challenge.pk), overdue))
                if last is None or (today - last) >= timedelta(days=OVERDUE_REPEAT_DAYS):
                    due.append((challenge, overdue, due_on))
            elif (
                working_days_between(today, due_on) <= DUE_SOON_WORKING_DAYS
                and (str(challenge.pk), soon) not in last_sent
            ):
                due.append((challenge, soon, due_on))
    return due


def _coordinators() -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            pk__in=Membership.objects.filter(
                role=Role.COORDINATOR, is_active=True, organisation__is_active=True
            ).values("user"),
        ).order_by("pk")
    )


def _reminder_text(kind: str, challenge: Challenge, due_on: date) -> Callable[[], str]:
    def title() -> str:
        return _reminder_titles()[kind] % {
            "reference": challenge.reference,
            "due": formats.date_format(due_on, "SHORT_DATE_FORMAT"),
        }

    return title


def reminders_send(*, today: date) -> int:
    """Reminds the owner (or, with no owner, every coordinator) of clocks running out.

    Idempotent: each challenge gets at most one reminder of a kind a day, recorded in
    `SentReminder`, so running it twice on one day sends nothing more. Returns how many
    reminders went out.
    """
    coordinators: list[User] | None = None
    sent = 0
    for challenge, kind, due_on in reminders_due(today=today):
        if challenge.owner is not None and challenge.owner.is_active:
            recipients = [challenge.owner]
        else:
            if coordinators is None:
                coordinators = _coordinators()
            recipients = coordinators
        if not recipients:
            continue
        with transaction.atomic():
            if not reminder_record(
                target=challenge, kind=kind, day=today, recipient_count=len(recipients)
            ):
                continue
            notify(
                recipients=recipients,
                kind=kind,
                title=_reminder_text(kind, challenge, due_on),
                body=_challenge_line(challenge),
                url=challenge.get_absolute_url(),
                target=challenge,
            )
        sent += 1
    return sent


def _challenge_line(challenge: Challenge) -> Callable[[], str]:
    def body() -> str:
        return _("%(reference)s “%(title)s” is “%(status)s”.") % {
            "reference": challenge.reference,
            "title": challenge.title,
            "status": challenge.get_status_display(),
        }

    return body


@task()
def reminders_send_task() -> int:
    """Sends today's reminders; for schedulers that enqueue tasks rather than run commands."""
    return reminders_send(today=timezone.localdate())
