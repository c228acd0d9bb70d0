"""Writes to statistics returns: start, fill, submit, validate, accept, return, reopen.

Each is typed, keyword-only, audited and runs in one transaction. Figures are replaced
wholesale, and only after every entry has passed every rule: an invalid form, upload or
API call changes nothing.

Through the API an organisation's system acts with a ``token`` instead of a person. The
person who issued the token answers for what it sends: a return submitted with it names
them as its submitter, so the four-eyes rule keeps them from validating it, and the
timeline and the audit log name the token.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.models import User
from polku.actors.models import Membership, Organisation
from polku.api.models import ApiToken
from polku.api.permissions import TOKEN_MANAGERS_EVERYWHERE
from polku.audit.services import audit_write, snapshot
from polku.statistics.choices_returns import (
    EDITABLE_STATUSES,
    FigureSource,
    ReturnEventKind,
    ReturnStatus,
)
from polku.statistics.models import (
    Return,
    ReturnEvent,
    ReturnFigure,
    ReturnRevision,
    ReturnValidator,
)
from polku.statistics.permissions_returns import (
    can_accept,
    can_edit,
    can_keep_validators,
    can_revise,
    can_send_back,
    can_start,
    can_submit,
    can_validate,
)
from polku.statistics.validation import (
    CleanFigure,
    Entry,
    Jump,
    Problem,
    check_figures,
    check_jumps,
    context_for,
    entries_from_figures,
)

MIN_YEAR = 2000
STATE_FIELDS = [
    "status",
    "revision",
    "submitted_by",
    "submitted_through",
    "submitted_at",
    "validated_by",
    "validated_at",
    "accepted_by",
    "accepted_at",
    "returned_by",
    "returned_at",
    "comments",
]
SOURCE_EVENTS = {
    FigureSource.FORM: ReturnEventKind.SAVED,
    FigureSource.UPLOAD: ReturnEventKind.UPLOADED,
    FigureSource.API: ReturnEventKind.SENT_BY_API,
}


def unanswerable_token_message() -> str:
    """Why a token with nobody to answer for it cannot submit, for the API and the service."""
    return _(
        "The person who issued this API token no longer has an active account in this "
        "organisation, so nobody answers for a return it submits. A data provider of the "
        "organisation must submit the return in Polku, or issue a new token for the system "
        "to use."
    )


def answerable_person(token: ApiToken) -> User | None:
    """The token's issuer, while they can still answer for what it submits; else None.

    They must have an active account and still be an active member of the token's
    organisation, or keep every organisation's tokens (an administrator or the coordinator).
    A token outlives its issuer for sending and reading figures, but not for submitting.
    """
    issuer = token.created_by
    if issuer is None or not issuer.is_active:
        return None
    if issuer.has_role(*TOKEN_MANAGERS_EVERYWHERE):
        return issuer
    is_member = Membership.objects.filter(
        user=issuer, organisation_id=token.organisation_id, is_active=True
    ).exists()
    return issuer if is_member else None


class FiguresInvalid(ValidationError):
    """The figures break rules; ``problems`` names the row, column and message of each."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__([str(problem) for problem in problems])
        self.problems = problems


class WarningsNotConfirmed(ValidationError):
    """Large changes from the previous year that the submitter has not yet confirmed."""

    def __init__(self, jumps: list[Jump]) -> None:
        super().__init__({"confirm_warnings": [_("Confirm that the flagged figures are right.")]})
        self.jumps = jumps


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _require_token(token: ApiToken, organisation_id: int) -> None:
    """The API has checked the token's scope; it acts only for its own organisation."""
    _require(token.organisation_id == organisation_id)


def _acting(actor: User | None, token: ApiToken | None) -> User | None:
    """The person a step is recorded under: the signed-in actor, or the token's issuer."""
    if token is not None:
        if actor is not None:
            raise ValueError("A step is taken by a person or with a token, not both.")
        return token.created_by
    return actor


def _token_detail(token: ApiToken | None) -> dict[str, object]:
    """What the audit log records of the token a step was taken with."""
    if token is None:
        return {"by_token": False}
    return {
        "by_token": True,
        "token": token.name,
        "api_token_id": token.pk,
        "api_token_prefix": token.prefix,
        "answerable_person_id": token.created_by_id,
    }


def _event(
    statistics_return: Return,
    kind: str,
    *,
    actor: User | None,
    token: ApiToken | None = None,
    comment: str = "",
) -> None:
    ReturnEvent.objects.create(
        statistics_return=statistics_return,
        kind=kind,
        actor=actor,
        organisation=token.organisation if token is not None else None,
        token=token,
        revision=statistics_return.revision,
        comment=comment,
    )


def _year_ok(year: int) -> None:
    latest = timezone.localdate().year
    if not MIN_YEAR <= year <= latest:
        raise ValidationError(
            {
                "year": _("Choose a year from %(first)s to %(last)s.")
                % {"first": MIN_YEAR, "last": latest}
            }
        )


@transaction.atomic
def return_start(
    *,
    actor: User | None,
    organisation: Organisation,
    year: int,
    token: ApiToken | None = None,
) -> Return:
    """The organisation's return for the year, started as a draft if it did not exist.

    With ``token`` (and no actor) for the API: the caller has checked its writing scope.
    """
    person = _acting(actor, token)
    if token is not None:
        _require_token(token, organisation.pk)
    else:
        _require(can_start(actor, organisation) if actor else False)
    _year_ok(year)
    existing = Return.objects.filter(organisation=organisation, year=year).first()
    if existing is not None:
        return existing
    statistics_return = Return.objects.create(
        organisation=organisation, year=year, created_by=person, updated_by=person
    )
    _event(statistics_return, ReturnEventKind.CREATED, actor=person, token=token)
    audit_write(
        actor=actor,
        action="statistics.return.start",
        target=statistics_return,
        after=snapshot(statistics_return, ["organisation", "year", "status"]),
        detail=_token_detail(token),
    )
    return statistics_return


def check_entries(
    *, statistics_return: Return, entries: Iterable[Entry]
) -> tuple[list[CleanFigure], list[Problem]]:
    """The figures the entries would give, and every problem with them; writes nothing."""
    context = context_for(organisation=statistics_return.organisation, year=statistics_return.year)
    return check_figures(list(entries), context=context)


@transaction.atomic
def return_save_figures(
    *,
    actor: User | None,
    statistics_return: Return,
    entries: Iterable[Entry],
    source: str,
    token: ApiToken | None = None,
) -> Return:
    """Replaces the return's figures with the entries, all or nothing.

    ``token`` (with no actor) is for the API: the caller has checked its writing scope.
    """
    person = _acting(actor, token)
    statistics_return = Return.objects.select_for_update().get(pk=statistics_return.pk)
    if token is not None:
        _require_token(token, statistics_return.organisation_id)
        if statistics_return.status not in EDITABLE_STATUSES:
            raise ValidationError(
                _("This return has been sent and cannot be changed; reopen it first.")
            )
    else:
        _require(actor is not None and can_edit(actor, statistics_return))
    figures, problems = check_entries(statistics_return=statistics_return, entries=entries)
    if problems:
        raise FiguresInvalid(problems)
    before = statistics_return.figures.count()
    statistics_return.figures.all().delete()
    ReturnFigure.objects.bulk_create(
        ReturnFigure(
            statistics_return=statistics_return,
            indicator=figure.indicator,
            dimension=figure.dimension,
            category=figure.category,
            exploitation_form=figure.exploitation_form,
            value=figure.value,
        )
        for figure in figures
    )
    statistics_return.updated_by = person
    statistics_return.save(update_fields=["updated_by", "updated_at"])
    _event(
        statistics_return,
        SOURCE_EVENTS.get(FigureSource(source), ReturnEventKind.SAVED),
        actor=person,
        token=token,
    )
    audit_write(
        actor=actor,
        action="statistics.return.figures",
        target=statistics_return,
        detail={
            "source": source,
            "figures_before": before,
            "figures_after": len(figures),
            **_token_detail(token),
        },
    )
    return statistics_return


def submission_problems(*, statistics_return: Return) -> list[Problem]:
    """What stands in the way of submitting the stored figures (completeness included)."""
    context = context_for(organisation=statistics_return.organisation, year=statistics_return.year)
    stored = list(statistics_return.figures.select_related("indicator"))
    _figures, problems = check_figures(
        entries_from_figures(stored, context.forms), context=context, complete=True
    )
    return problems


def submission_warnings(*, statistics_return: Return) -> list[Jump]:
    """Totals far from the previous accepted year, for the submitter to confirm."""
    totals = dict(
        statistics_return.figures.filter(dimension="").values_list("indicator__code", "value")
    )
    return check_jumps(
        organisation=statistics_return.organisation, year=statistics_return.year, totals=totals
    )


@transaction.atomic
def return_submit(
    *,
    actor: User | None,
    statistics_return: Return,
    confirm_warnings: bool = False,
    token: ApiToken | None = None,
) -> Return:
    """Sends a complete, valid return to the organisation's validator.

    With ``token`` (and no actor) for the API, the person who issued the token is recorded
    as the submitter: they answer for what it sends, and may not validate it.
    """
    person = _acting(actor, token)
    statistics_return = Return.objects.select_for_update().get(pk=statistics_return.pk)
    if token is not None:
        _require_token(token, statistics_return.organisation_id)
        if statistics_return.status not in EDITABLE_STATUSES:
            raise ValidationError(_("This return has already been submitted."))
        person = answerable_person(token)
        if person is None:
            raise ValidationError({"submit": unanswerable_token_message()})
    else:
        _require(actor is not None and can_submit(actor, statistics_return))
    problems = submission_problems(statistics_return=statistics_return)
    if problems:
        raise FiguresInvalid(problems)
    jumps = submission_warnings(statistics_return=statistics_return)
    if jumps and not confirm_warnings:
        raise WarningsNotConfirmed(jumps)
    before = snapshot(statistics_return, STATE_FIELDS)
    statistics_return.status = ReturnStatus.SUBMITTED
    statistics_return.submitted_by = person
    statistics_return.submitted_through = token
    statistics_return.submitted_at = timezone.now()
    statistics_return.validated_by = None
    statistics_return.validated_at = None
    statistics_return.confirmed_warnings = [jump.message for jump in jumps]
    statistics_return.updated_by = person
    statistics_return.save()
    _event(
        statistics_return,
        ReturnEventKind.SUBMITTED,
        actor=person,
        token=token,
        comment="\n".join(statistics_return.confirmed_warnings),
    )
    audit_write(
        actor=actor,
        action="statistics.return.submit",
        target=statistics_return,
        before=before,
        after=snapshot(statistics_return, STATE_FIELDS),
        detail={"confirmed_warnings": len(jumps), **_token_detail(token)},
    )
    return statistics_return


@transaction.atomic
def return_validate(*, actor: User, statistics_return: Return, comment: str = "") -> Return:
    """The organisation's validator vouches for a submitted return."""
    statistics_return = Return.objects.select_for_update().get(pk=statistics_return.pk)
    _require(can_validate(actor, statistics_return))
    before = snapshot(statistics_return, STATE_FIELDS)
    statistics_return.status = ReturnStatus.VALIDATED
    statistics_return.validated_by = actor
    statistics_return.validated_at = timezone.now()
    statistics_return.updated_by = actor
    statistics_return.save()
    _event(statistics_return, ReturnEventKind.VALIDATED, actor=actor, comment=comment.strip())
    audit_write(
        actor=actor,
        action="statistics.return.validate",
        target=statistics_return,
        before=before,
        after=snapshot(statistics_return, STATE_FIELDS),
    )
    return statistics_return


@transaction.atomic
def return_accept(*, actor: User, statistics_return: Return, comment: str = "") -> Return:
    """The coordination accepts a validated return: its figures now count nationally."""
    statistics_return = Return.objects.select_for_update().get(pk=statistics_return.pk)
    _require(can_accept(actor, statistics_return))
    before = snapshot(statistics_return, STATE_FIELDS)
    statistics_return.status = ReturnStatus.ACCEPTED
    statistics_return.accepted_by = actor
    statistics_return.accepted_at = timezone.now()
    statistics_return.comments = ""
    statistics_return.updated_by = actor
    statistics_return.save()
    _event(statistics_return, ReturnEventKind.ACCEPTED, actor=actor, comment=comment.strip())
    audit_write(
        actor=actor,
        action="statistics.return.accept",
        target=statistics_return,
        before=before,
        after=snapshot(statistics_return, STATE_FIELDS),
    )
    return statistics_return


def _keep_revision(statistics_return: Return, *, actor: User, reason: str) -> None:
    figures = [
        {
            "indicator": figure.indicator.code,
            "dimension": figure.dimension,
            "category": figure.category,
            "value": figure.value,
        }
        for figure in statistics_return.figures.select_related("indicator").order_by(
            "indicator__order", "indicator__code", "dimension", "category"
        )
    ]
    ReturnRevision.objects.create(
        statistics_return=statistics_return,
        revision=statistics_return.revision,
        status=statistics_return.status,
        reason=reason,
        figures=figures,
        created_by=actor,
    )
    statistics_return.revision += 1


@transaction.atomic
def return_send_back(*, actor: User, statistics_return: Return, comments: str) -> Return:
    """Returns a submitted or validated return to its organisation, saying what must change."""
    statistics_return = Return.objects.select_for_update().get(pk=statistics_return.pk)
    _require(can_send_back(actor, statistics_return))
    comments = comments.strip()
    if not comments:
        raise ValidationError({"comments": _("Say what the organisation must change.")})
    before = snapshot(statistics_return, STATE_FIELDS)
    _keep_revision(statistics_return, actor=actor, reason=comments)
    statistics_return.status = ReturnStatus.RETURNED
    statistics_return.returned_by = actor
    statistics_return.returned_at = timezone.now()
    statistics_return.validated_by = None
    statistics_return.validated_at = None
    statistics_return.comments = comments
    statistics_return.updated_by = actor
    statistics_return.save()
    _event(statistics_return, ReturnEventKind.RETURNED, actor=actor, comment=comments)
    audit_write(
        actor=actor,
        action="statistics.return.send_back",
        target=statistics_return,
        before=before,
        after=snapshot(statistics_return, STATE_FIELDS),
    )
    return statistics_return


@transaction.atomic
def return_revise(*, actor: User, statistics_return: Return, reason: str) -> Return:
    """Reopens a sent return as a new draft revision, keeping the figures it had."""
    statistics_return = Return.objects.select_for_update().get(pk=statistics_return.pk)
    _require(can_revise(actor, statistics_return))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the return must be revised.")})
    before = snapshot(statistics_return, STATE_FIELDS)
    _keep_revision(statistics_return, actor=actor, reason=reason)
    statistics_return.status = ReturnStatus.DRAFT
    statistics_return.submitted_by = None
    statistics_return.submitted_through = None
    statistics_return.submitted_at = None
    statistics_return.validated_by = None
    statistics_return.validated_at = None
    statistics_return.accepted_by = None
    statistics_return.accepted_at = None
    statistics_return.confirmed_warnings = []
    statistics_return.updated_by = actor
    statistics_return.save()
    _event(statistics_return, ReturnEventKind.REVISED, actor=actor, comment=reason)
    audit_write(
        actor=actor,
        action="statistics.return.revise",
        target=statistics_return,
        before=before,
        after=snapshot(statistics_return, STATE_FIELDS),
        detail={"reason": reason},
    )
    return statistics_return


@transaction.atomic
def validator_designate(*, actor: User, organisation: Organisation, user: User) -> ReturnValidator:
    """Makes a member of the organisation its returns' validator."""
    _require(can_keep_validators(actor))
    is_member = Membership.objects.filter(
        user=user, organisation=organisation, is_active=True
    ).exists()
    if not is_member or not user.is_active:
        raise ValidationError(
            {
                "user": _("%(person)s is not an active member of %(organisation)s.")
                % {"person": user.get_full_name() or user.username, "organisation": organisation}
            }
        )
    designation, created = ReturnValidator.objects.get_or_create(
        organisation=organisation,
        user=user,
        defaults={"created_by": actor, "updated_by": actor},
    )
    if not created and not designation.is_active:
        designation.is_active = True
        designation.updated_by = actor
        designation.save(update_fields=["is_active", "updated_by", "updated_at"])
    audit_write(
        actor=actor,
        action="statistics.validator.designate",
        target=designation,
        after=snapshot(designation, ["organisation", "user", "is_active"]),
    )
    return designation


@transaction.atomic
def validator_remove(*, actor: User, designation: ReturnValidator) -> ReturnValidator:
    """Ends a designation; the returns the person validated keep their name."""
    _require(can_keep_validators(actor))
    designation.is_active = False
    designation.updated_by = actor
    designation.save(update_fields=["is_active", "updated_by", "updated_at"])
    audit_write(
        actor=actor,
        action="statistics.validator.remove",
        target=designation,
        after=snapshot(designation, ["organisation", "user", "is_active"]),
    )
    return designation
