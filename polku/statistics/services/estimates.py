"""Starting, repeating, accepting, withdrawing and deleting estimate runs."""

import logging
import secrets
from dataclasses import dataclass, replace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.models import User
from polku.actors.models import Membership, Organisation
from polku.audit.services import audit_access, audit_write, snapshot
from polku.mse.estimate import BIC_MAX_LISTS
from polku.mse.selection import default_maxorder
from polku.statistics.choices import IntervalMethod, Method, RunStatus
from polku.statistics.models import EstimateRun
from polku.statistics.permissions import (
    COORDINATION_ROLES,
    ESTIMATING_ROLES,
    can_accept,
    can_delete,
    can_rerun,
    can_run_estimates,
)
from polku.statistics.services.tables import read_table, stored_table

logger = logging.getLogger(__name__)

MIN_REFERENCE_YEAR = 1990
MIN_NBOOT = 100
MAX_NBOOT = 10_000
MAX_SEED = 2**63 - 1
# Snapshots in the audit log leave the table out: the log is kept for good.
NOT_AUDITED = ("table_csv",)


@dataclass(frozen=True)
class EstimateOptions:
    """How to estimate: ``polku.mse.estimate_population``'s options as the form gives them."""

    method: str = Method.STEPWISE
    interval: str = IntervalMethod.WALD
    pthresh: float = 0.02
    maxorder: int | None = None
    nboot: int = 1000
    seed: int | None = None
    level: float = 0.95


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def validate_options(options: EstimateOptions, *, n_lists: int | None) -> dict[str, list[str]]:
    """Problems with the options, by field; ``n_lists`` None when the table is not known."""
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if options.method not in Method.values:
        refuse("method", _("Choose a method."))
    if options.interval not in IntervalMethod.values:
        refuse("interval", _("Choose an interval."))
    if not 0 < options.pthresh <= 1:
        refuse("pthresh", _("The threshold must be above 0 and at most 1."))
    if not 0 < options.level < 1:
        refuse("level", _("Choose a confidence level."))
    if options.interval == IntervalMethod.BCA and not MIN_NBOOT <= options.nboot <= MAX_NBOOT:
        refuse(
            "nboot",
            _("The bootstrap needs between %(low)s and %(high)s replicates.")
            % {"low": MIN_NBOOT, "high": MAX_NBOOT},
        )
    if options.seed is not None and not 0 <= options.seed <= MAX_SEED:
        refuse("seed", _("The seed must be a whole number of at least 0."))
    if n_lists is not None:
        if options.maxorder is not None and not 1 <= options.maxorder <= n_lists - 1:
            refuse(
                "maxorder",
                _("With %(lists)s lists the highest order must be between 1 and %(top)s.")
                % {"lists": n_lists, "top": n_lists - 1},
            )
        order = options.maxorder or default_maxorder(n_lists)
        if options.method == Method.BIC and order > 1 and n_lists > BIC_MAX_LISTS:
            refuse(
                "method",
                _(
                    "The search over all models is limited to %(max)s lists; this table has "
                    "%(lists)s. Use the stepwise method."
                )
                % {"max": BIC_MAX_LISTS, "lists": n_lists},
            )
    return errors


def _effective(options: EstimateOptions) -> EstimateOptions:
    """The options as run: a bootstrap without a seed gets one, recorded so it can be
    repeated; the other intervals use no random numbers, so they record no seed."""
    if options.interval != IntervalMethod.BCA:
        return replace(options, seed=None)
    if options.seed is None:
        return replace(options, seed=secrets.randbits(32))
    return options


def _home(actor: User) -> tuple[Organisation, bool]:
    """Where a new run belongs: the coordination if the actor is in it, else their
    organisation (the first, by name, where they hold an estimating role)."""
    memberships = (
        Membership.objects.filter(
            user=actor, role__in=ESTIMATING_ROLES, is_active=True, organisation__is_active=True
        )
        .select_related("organisation")
        .order_by("organisation__name")
    )
    chosen = None
    for membership in memberships:
        if membership.role in COORDINATION_ROLES:
            return membership.organisation, True
        chosen = chosen or membership.organisation
    if chosen is None:
        raise PermissionDenied
    return chosen, False


NOT_QUEUED_FIELDS = ["status", "error_code", "finished_at"]


def _enqueue(run_id: int) -> None:
    from polku.statistics.tasks import estimate_run_task

    try:
        estimate_run_task.enqueue(run_id=run_id)
    except Exception:
        logger.exception("Estimate run %s could not be queued", run_id)
        _fail_not_queued(run_id)


def _fail_not_queued(run_id: int) -> None:
    """Marks a run the task queue refused as failed, audited with no actor (the system)."""
    with transaction.atomic():
        run = (
            EstimateRun.objects.select_for_update()
            .defer("table_csv")
            .filter(pk=run_id, status=RunStatus.QUEUED)
            .first()
        )
        if run is None:
            return
        before = snapshot(run, NOT_QUEUED_FIELDS)
        run.status = RunStatus.FAILED
        run.error_code = "not_queued"
        run.finished_at = timezone.now()
        run.save(update_fields=[*NOT_QUEUED_FIELDS, "updated_at"])
        audit_write(
            actor=None,
            action="statistics.estimate_run.not_queued",
            target=run,
            before=before,
            after=snapshot(run, NOT_QUEUED_FIELDS),
            detail={"reason": "the task queue refused the run"},
        )


def _apply_options(run: EstimateRun, options: EstimateOptions) -> None:
    run.method = options.method
    run.interval_method = options.interval
    run.pthresh = options.pthresh
    run.maxorder = options.maxorder
    run.nboot = options.nboot
    run.seed = options.seed
    run.level = options.level
    run.progress_total = options.nboot if options.interval == IntervalMethod.BCA else 1


def estimate_run_start(
    *,
    actor: User,
    title: str,
    reference_year: int,
    table_text: str,
    options: EstimateOptions,
) -> EstimateRun:
    """Validates an uploaded table and queues its estimate; a bad upload changes nothing."""
    _require(can_run_estimates(actor))
    errors: dict[str, list[str]] = {}
    title = title.strip()
    if not title:
        errors["title"] = [_("Give the estimate a title.")]
    elif len(title) > 200:
        errors["title"] = [_("The title can be at most 200 characters long.")]
    latest_year = timezone.localdate().year + 1
    if not MIN_REFERENCE_YEAR <= reference_year <= latest_year:
        errors["reference_year"] = [
            _("The reference year must be between %(first)s and %(last)s.")
            % {"first": MIN_REFERENCE_YEAR, "last": latest_year}
        ]
    n_lists = None
    table = None
    try:
        histories = read_table(table_text)
    except ValidationError as error:
        errors.update(error.message_dict)
    else:
        n_lists = histories.n_lists
        table = stored_table(histories)
    for field, messages in validate_options(options, n_lists=n_lists).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    assert table is not None
    organisation, for_coordination = _home(actor)
    with transaction.atomic():
        run = EstimateRun(
            title=title,
            reference_year=reference_year,
            organisation=organisation,
            for_coordination=for_coordination,
            lists=table.lists,
            list_totals=table.list_totals,
            n_histories=table.n_histories,
            n_observed=table.n_observed,
            table_csv=table.csv_text,
            table_digest=table.digest,
            created_by=actor,
            updated_by=actor,
        )
        _apply_options(run, _effective(options))
        run.save(force_insert=True)
        audit_write(
            actor=actor,
            action="statistics.estimate_run.start",
            target=run,
            after=snapshot(run, exclude=NOT_AUDITED),
        )
        run_id = run.pk
        transaction.on_commit(lambda: _enqueue(run_id))
    return run


def estimate_run_rerun(
    *, actor: User, run: EstimateRun, options: EstimateOptions, title: str = ""
) -> EstimateRun:
    """Queues the same table again with other options; the copy stays where the table was."""
    _require(can_rerun(actor, run))
    errors = validate_options(options, n_lists=len(run.lists))
    title = title.strip() or run.title
    if len(title) > 200:
        errors.setdefault("title", []).append(_("The title can be at most 200 characters long."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Read here, so that the read and its audit event stand or fall together.
        table_csv = EstimateRun.objects.values_list("table_csv", flat=True).get(pk=run.pk)
        again = EstimateRun(
            title=title,
            reference_year=run.reference_year,
            organisation_id=run.organisation_id,
            for_coordination=run.for_coordination,
            rerun_of=run,
            lists=run.lists,
            list_totals=run.list_totals,
            n_histories=run.n_histories,
            n_observed=run.n_observed,
            table_csv=table_csv,
            table_digest=run.table_digest,
            created_by=actor,
            updated_by=actor,
        )
        _apply_options(again, _effective(options))
        again.save(force_insert=True)
        audit_access(
            actor=actor,
            action="statistics.estimate_run.table_read",
            target=run,
            detail={"via": "rerun", "copied_to": again.pk},
        )
        audit_write(
            actor=actor,
            action="statistics.estimate_run.rerun",
            target=again,
            after=snapshot(again, exclude=NOT_AUDITED),
            detail={"rerun_of": run.pk},
        )
        run_id = again.pk
        transaction.on_commit(lambda: _enqueue(run_id))
    return again


def _locked(run: EstimateRun) -> EstimateRun:
    return EstimateRun.objects.select_for_update().get(pk=run.pk)


REPORT_FIELDS = ["for_annual_report", "accepted_by", "accepted_at"]


def estimate_run_accept(*, actor: User, run: EstimateRun) -> list[EstimateRun]:
    """Puts a finished estimate with its interval into the annual report of its year.

    Another run on the same table already accepted for the same year is withdrawn, so the
    report shows one figure per table. Returns the runs withdrawn.
    """
    _require(can_accept(actor, run))
    with transaction.atomic():
        fresh = _locked(run)
        if not fresh.can_be_reported:
            raise ValidationError(
                _(
                    "Only a finished estimate with an interval can go into the annual report. "
                    "Run it again with an interval."
                )
            )
        replaced = list(
            EstimateRun.objects.select_for_update()
            .filter(
                for_annual_report=True,
                table_digest=fresh.table_digest,
                reference_year=fresh.reference_year,
                for_coordination=True,
            )
            .exclude(pk=fresh.pk)
        )
        now = timezone.now()
        for other in replaced:
            before = snapshot(other, REPORT_FIELDS)
            other.for_annual_report = False
            other.accepted_by = None
            other.accepted_at = None
            other.updated_by = actor
            other.save(update_fields=[*REPORT_FIELDS, "updated_by", "updated_at"])
            audit_write(
                actor=actor,
                action="statistics.estimate_run.withdraw",
                target=other,
                before=before,
                after=snapshot(other, REPORT_FIELDS),
                detail={"replaced_by": fresh.pk},
            )
        if fresh.for_annual_report:
            return replaced
        before = snapshot(fresh, REPORT_FIELDS)
        fresh.for_annual_report = True
        fresh.accepted_by = actor
        fresh.accepted_at = now
        fresh.updated_by = actor
        fresh.save(update_fields=[*REPORT_FIELDS, "updated_by", "updated_at"])
        audit_write(
            actor=actor,
            action="statistics.estimate_run.accept",
            target=fresh,
            before=before,
            after=snapshot(fresh, REPORT_FIELDS),
        )
    run.for_annual_report, run.accepted_by, run.accepted_at = True, actor, now
    return replaced


def estimate_run_withdraw(*, actor: User, run: EstimateRun) -> None:
    """Takes an estimate out of the annual report."""
    _require(can_accept(actor, run))
    with transaction.atomic():
        fresh = _locked(run)
        if not fresh.for_annual_report:
            return
        before = snapshot(fresh, REPORT_FIELDS)
        fresh.for_annual_report = False
        fresh.accepted_by = None
        fresh.accepted_at = None
        fresh.updated_by = actor
        fresh.save(update_fields=[*REPORT_FIELDS, "updated_by", "updated_at"])
        audit_write(
            actor=actor,
            action="statistics.estimate_run.withdraw",
            target=fresh,
            before=before,
            after=snapshot(fresh, REPORT_FIELDS),
        )
    run.for_annual_report, run.accepted_by, run.accepted_at = False, None, None


def estimate_run_delete(*, actor: User, run: EstimateRun) -> None:
    """Deletes a run and its copy of the table; one in the annual report is withdrawn first."""
    _require(can_delete(actor, run))
    with transaction.atomic():
        fresh = _locked(run)
        if fresh.for_annual_report:
            raise ValidationError(
                _("This estimate is in the annual report. Withdraw it before deleting it.")
            )
        audit_write(
            actor=actor,
            action="statistics.estimate_run.delete",
            target=fresh,
            before=snapshot(fresh, exclude=NOT_AUDITED),
        )
        fresh.delete()
