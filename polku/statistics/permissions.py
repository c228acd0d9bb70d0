"""Who may run, see, accept and delete estimates. Everything starts from nothing.

- The coordinator, the secretariat, data providers and the national rapporteur run
  estimates.
- A run made by the coordinator or the secretariat belongs to the coordination: everyone
  holding either role sees it. Any other run stays within the organisation it was made in:
  members holding one of the estimating roles there see it. The rapporteur is independent,
  so its runs are its own.
- Whoever sees a run may read its capture-history table (each read is audited), run it
  again with other options (the copy stays in the same scope), and delete it unless it is
  in the annual report.
- The coordinator and the secretariat accept a coordination run for the annual report and
  withdraw it.
- Everyone else sees nothing: other insiders are refused the list (403) and never learn a
  run exists (404); anonymous visitors are sent to sign in.
"""

from typing import Any

from django.db.models import Q, QuerySet

from polku.accounts.choices import Role
from polku.accounts.models import User
from polku.actors.models import Membership
from polku.core.permissions import AnyUser, is_insider
from polku.statistics.models import EstimateRun

COORDINATION_ROLES = (Role.COORDINATOR, Role.SECRETARIAT)
ESTIMATING_ROLES = (Role.COORDINATOR, Role.SECRETARIAT, Role.DATA_PROVIDER, Role.RAPPORTEUR)


def can_run_estimates(user: AnyUser) -> bool:
    """The coordination, data providers and the rapporteur upload tables and run estimates."""
    return isinstance(user, User) and user.has_role(*ESTIMATING_ROLES)


def is_coordination(user: AnyUser) -> bool:
    return isinstance(user, User) and user.has_role(*COORDINATION_ROLES)


def estimating_organisations(user: User) -> QuerySet[Membership, Any]:
    """Ids of the organisations where the user holds an estimating role (for ``__in``)."""
    return Membership.objects.filter(
        user_id=user.pk, role__in=ESTIMATING_ROLES, is_active=True, organisation__is_active=True
    ).values("organisation_id")


def estimate_scope(user: AnyUser) -> QuerySet[EstimateRun]:
    """The coordination's runs for the coordination; each organisation's runs for its own."""
    if not is_insider(user) or not can_run_estimates(user):
        return EstimateRun.objects.none()
    assert isinstance(user, User)
    visible = Q(for_coordination=False, organisation_id__in=estimating_organisations(user))
    if is_coordination(user):
        visible |= Q(for_coordination=True)
    return EstimateRun.objects.filter(visible)


def can_read_table(user: AnyUser, run: EstimateRun) -> bool:
    """Whoever sees a run (a caller holds it from ``estimate_scope``) may read its table."""
    return can_run_estimates(user)


def can_rerun(user: AnyUser, run: EstimateRun) -> bool:
    return can_run_estimates(user)


def can_accept(user: AnyUser, run: EstimateRun) -> bool:
    """The coordinator and the secretariat decide what goes into the annual report."""
    return is_coordination(user) and run.for_coordination


def can_delete(user: AnyUser, run: EstimateRun) -> bool:
    """A run in the annual report stays until it is withdrawn."""
    return can_run_estimates(user) and not run.for_annual_report
