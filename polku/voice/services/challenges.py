"""Raising challenges and moving them through their lifecycle."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.models import User
from polku.audit.services import audit_write, snapshot
from polku.taxonomy.models import Category
from polku.voice import followup
from polku.voice.choices import (
    CLOSED_STATUSES,
    NOTE_REQUIRED,
    ChallengeStatus,
    EventKind,
)
from polku.voice.models import Challenge, PendingAuditEntry, StatusEvent
from polku.voice.permissions import can_edit_draft, can_raise, can_triage
from polku.voice.services.common import (
    TEXT_FIELDS,
    ChallengeInput,
    actor_label,
    apply_input,
    check_personal_data,
    new_reference,
    new_sort_key,
    notify_after_commit,
    organisation_of,
    require_permission,
    set_categories,
    start_clocks,
    start_of_day,
    validate_input,
)
from polku.voice.similarity import similarity_index


def _locked(challenge: Challenge) -> Challenge:
    return Challenge.objects.select_for_update().get(pk=challenge.pk)


def _own_draft(actor: User, challenge: Challenge | None) -> Challenge:
    if challenge is None:
        return Challenge(status=ChallengeStatus.DRAFT, submitted_by=actor)
    fresh = _locked(challenge)
    if fresh.status != ChallengeStatus.DRAFT:
        raise ValidationError(_("This challenge has already been submitted."))
    require_permission(can_edit_draft(actor, fresh))
    return fresh


def challenge_save_draft(
    *, actor: User, data: ChallengeInput, challenge: Challenge | None = None
) -> Challenge:
    """Saves a draft under the author's name, to finish and submit later."""
    require_permission(can_raise(actor))
    validate_input(data, complete=False)
    with transaction.atomic():
        draft = _own_draft(actor, challenge)
        created = draft._state.adding
        changed = apply_input(draft, data)
        draft.updated_at = timezone.now()
        draft.save()
        set_categories(draft, data.categories)
        audit_write(
            actor=actor,
            action="voice.challenge.draft_save",
            target=draft,
            detail={"created": created, "changed": changed},
        )
    return draft


def challenge_delete_draft(*, actor: User, challenge: Challenge) -> None:
    """Deletes one of the author's own drafts."""
    with transaction.atomic():
        draft = _own_draft(actor, challenge)
        audit_write(actor=actor, action="voice.challenge.draft_delete", target=draft)
        draft.delete()


def challenge_submit(
    *, actor: User, data: ChallengeInput, challenge: Challenge | None = None
) -> Challenge:
    """Submits a challenge under the author's name, once its text holds no personal data."""
    require_permission(can_raise(actor))
    validate_input(data, complete=True)
    check_personal_data(title=data.title, description=data.description)
    with transaction.atomic():
        submitted = _own_draft(actor, challenge)
        apply_input(submitted, data)
        now = timezone.now()
        today = timezone.localdate(now)
        submitted.status = ChallengeStatus.RECEIVED
        submitted.submitted_by = actor
        submitted.organisation = organisation_of(actor)
        submitted.reference = new_reference(today.year)
        submitted.sort_key = new_sort_key()
        start_clocks(submitted, today)
        submitted.updated_at = now
        submitted.save()
        set_categories(submitted, data.categories)
        similarity_index(submitted)
        StatusEvent.objects.create(
            challenge=submitted,
            kind=EventKind.SUBMITTED,
            to_status=ChallengeStatus.RECEIVED,
            actor=actor,
            actor_label=actor_label(actor),
            created_at=now,
        )
        audit_write(
            actor=actor,
            action="voice.challenge.submit",
            target=submitted,
            after=snapshot(submitted, exclude=TEXT_FIELDS),
        )
        notify_after_commit(submitted, "new", actor=actor)
    return submitted


def challenge_submit_protected(
    *,
    actor: User,
    data: ChallengeInput,
    reveal_organisation_kind: str = "",
    reveal_region: Category | None = None,
) -> tuple[Challenge, str]:
    """Submits a challenge that no one can trace to its author; returns it and its one-time code.

    The actor is checked for the right to raise challenges and for the organisation kind
    they reveal, and then forgotten: nothing written here names them, carries their
    request, or records a time finer than the day (see docs/adr/0007-protected-voice.md).
    """
    require_permission(can_raise(actor))
    validate_input(data, complete=True)
    if reveal_region is not None:
        validate_input(ChallengeInput(title="-", region=reveal_region), complete=False)
    if reveal_organisation_kind:
        own_kinds = set(
            actor.memberships.filter(is_active=True, organisation__is_active=True).values_list(
                "organisation__kind", flat=True
            )
        )
        if reveal_organisation_kind not in own_kinds:
            raise ValidationError(
                {"reveal_organisation_kind": _("Choose the kind of your own organisation.")}
            )
    check_personal_data(title=data.title, description=data.description)
    code = followup.new_code()
    canonical = followup.normalise(code)
    assert canonical is not None
    today = timezone.localdate()
    with transaction.atomic():
        challenge = Challenge(
            status=ChallengeStatus.RECEIVED,
            is_protected=True,
            revealed_organisation_kind=reveal_organisation_kind,
            revealed_region=reveal_region,
            reference=new_reference(today.year),
            sort_key=new_sort_key(),
            followup_key_prefix=followup.prefix_of(canonical),
            followup_secret_hash=followup.hash_code(canonical),
        )
        apply_input(challenge, data)
        start_clocks(challenge, today)
        challenge.save(force_insert=True)
        set_categories(challenge, data.categories)
        similarity_index(challenge)
        StatusEvent.objects.create(
            challenge=challenge,
            kind=EventKind.SUBMITTED,
            to_status=ChallengeStatus.RECEIVED,
            created_at=start_of_day(today),
            coarse_time=True,
        )
        PendingAuditEntry.objects.create(
            day=today,
            action="voice.challenge.submit_protected",
            target_type=challenge._meta.label_lower,
            target_id=str(challenge.pk),
            detail={
                "reference": challenge.reference,
                "revealed_organisation_kind": reveal_organisation_kind,
                "revealed_region": reveal_region.code if reveal_region else "",
            },
        )
    return challenge, code


def _apply_status(
    challenge: Challenge,
    *,
    actor: User | None,
    to_status: str,
    note: str,
    kind: str = EventKind.STATUS,
) -> StatusEvent:
    now = timezone.now()
    from_status = challenge.status
    challenge.status = to_status
    if challenge.acknowledged_at is None and from_status == ChallengeStatus.RECEIVED:
        challenge.acknowledged_at = now
    if to_status == ChallengeStatus.ANSWERED and challenge.answered_at is None:
        challenge.answered_at = now
    challenge.closed_at = now if to_status in CLOSED_STATUSES else None
    challenge.updated_at = now
    challenge.save()
    return StatusEvent.objects.create(
        challenge=challenge,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        actor_label=actor_label(actor) if actor is not None else "",
        note=note,
        created_at=now,
    )


def _refuse_transition(challenge: Challenge, to_status: str, note: str) -> None:
    if to_status not in ChallengeStatus.values or not challenge.can_transition_to(to_status):
        current = ChallengeStatus(challenge.status).label
        target = (
            ChallengeStatus(to_status).label if to_status in ChallengeStatus.values else to_status
        )
        raise ValidationError(
            _("A challenge that is “%(current)s” cannot be moved to “%(target)s”.")
            % {"current": current, "target": target}
        )
    if note.strip():
        return
    if to_status == ChallengeStatus.DECLINED:
        raise ValidationError({"note": _("Give the reason for declining the challenge.")})
    if to_status in NOTE_REQUIRED:
        raise ValidationError({"note": _("Write the answer the submitter will read.")})
    if challenge.status in CLOSED_STATUSES:
        raise ValidationError({"note": _("Say why the challenge is taken up again.")})


def challenge_transition(
    *, actor: User, challenge: Challenge, to_status: str, note: str = ""
) -> Challenge:
    """Moves a challenge along its lifecycle; an illegal move is refused and changes nothing."""
    require_permission(can_triage(actor))
    with transaction.atomic():
        fresh = _locked(challenge)
        _refuse_transition(fresh, to_status, note)
        before = snapshot(fresh, ["status"])
        kind = EventKind.ANSWER if to_status == ChallengeStatus.ANSWERED else EventKind.STATUS
        _apply_status(fresh, actor=actor, to_status=to_status, note=note.strip(), kind=kind)
        audit_write(
            actor=actor,
            action="voice.challenge.transition",
            target=fresh,
            before=before,
            after=snapshot(fresh, ["status"]),
        )
        notify_after_commit(fresh, kind, actor=actor)
    return fresh


def challenge_answer(
    *, actor: User, challenge: Challenge, text: str, final: bool = True
) -> Challenge:
    """Gives the official answer. A final answer closes the challenge as answered; an interim
    one keeps it open (and acknowledges it if it was only received)."""
    require_permission(can_triage(actor))
    if not text.strip():
        raise ValidationError({"text": _("Write the answer the submitter will read.")})
    with transaction.atomic():
        fresh = _locked(challenge)
        before = snapshot(fresh, ["status"])
        if final and fresh.status != ChallengeStatus.ANSWERED:
            _refuse_transition(fresh, ChallengeStatus.ANSWERED, text)
            _apply_status(
                fresh,
                actor=actor,
                to_status=ChallengeStatus.ANSWERED,
                note=text.strip(),
                kind=EventKind.ANSWER,
            )
        elif fresh.status in (ChallengeStatus.DRAFT, ChallengeStatus.MERGED):
            raise ValidationError(_("Only a submitted challenge can be answered."))
        elif fresh.status == ChallengeStatus.RECEIVED:
            _apply_status(
                fresh,
                actor=actor,
                to_status=ChallengeStatus.ACKNOWLEDGED,
                note=text.strip(),
                kind=EventKind.ANSWER,
            )
        else:
            fresh.updated_at = timezone.now()
            fresh.save(update_fields=["updated_at"])
            StatusEvent.objects.create(
                challenge=fresh,
                kind=EventKind.ANSWER,
                actor=actor,
                actor_label=actor_label(actor),
                note=text.strip(),
                created_at=fresh.updated_at,
            )
        audit_write(
            actor=actor,
            action="voice.challenge.answer",
            target=fresh,
            before=before,
            after=snapshot(fresh, ["status"]),
            detail={"final": final},
        )
        notify_after_commit(fresh, EventKind.ANSWER, actor=actor)
    return fresh


def challenge_assign_owner(*, actor: User, challenge: Challenge, owner: User | None) -> Challenge:
    """Makes a member of the secretariat (or the coordinator) responsible for a challenge."""
    require_permission(can_triage(actor))
    if owner is not None and not can_triage(owner):
        raise ValidationError(
            {"owner": _("The owner must be the coordinator or a member of the secretariat.")}
        )
    with transaction.atomic():
        fresh = _locked(challenge)
        if fresh.status == ChallengeStatus.DRAFT:
            raise ValidationError(_("This challenge is still a draft."))
        if fresh.owner_id == (owner.pk if owner else None):
            return fresh
        before = snapshot(fresh, ["owner"])
        fresh.owner = owner
        fresh.updated_at = timezone.now()
        fresh.save(update_fields=["owner", "updated_at"])
        StatusEvent.objects.create(
            challenge=fresh,
            kind=EventKind.OWNER,
            actor=actor,
            actor_label=actor_label(actor),
            note=str(owner) if owner else "",
            created_at=fresh.updated_at,
            visible_to_submitter=False,
        )
        audit_write(
            actor=actor,
            action="voice.challenge.assign_owner",
            target=fresh,
            before=before,
            after=snapshot(fresh, ["owner"]),
        )
        if owner is not None and owner != actor:
            notify_after_commit(fresh, EventKind.OWNER, actor=actor)
    return fresh


def challenge_categorise(*, actor: User, challenge: Challenge, label: str) -> Challenge:
    """Files a challenge under a triage category of the secretariat's own choosing."""
    require_permission(can_triage(actor))
    label = label.strip()
    if len(label) > 100:
        raise ValidationError({"label": _("Keep the category to 100 characters.")})
    with transaction.atomic():
        fresh = _locked(challenge)
        if fresh.triage_label == label:
            return fresh
        before = snapshot(fresh, ["triage_label"])
        fresh.triage_label = label
        fresh.updated_at = timezone.now()
        fresh.save(update_fields=["triage_label", "updated_at"])
        StatusEvent.objects.create(
            challenge=fresh,
            kind=EventKind.CATEGORY,
            actor=actor,
            actor_label=actor_label(actor),
            note=label,
            created_at=fresh.updated_at,
            visible_to_submitter=False,
        )
        audit_write(
            actor=actor,
            action="voice.challenge.categorise",
            target=fresh,
            before=before,
            after=snapshot(fresh, ["triage_label"]),
        )
    return fresh
