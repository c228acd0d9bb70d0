"""Who may read national tables, generate and publish reports, and write commentary.
Everything starts from nothing.

- The coordinator and the secretariat (the coordination) read national tables as summed
  (unprotected, internal, every read audited) and protected; they generate annual
  reports and see every version. The coordinator publishes.
- The national rapporteur reads every accepted aggregate, protected as everything outside
  the secretariat is, sees every generated report, and writes and publishes its own
  commentary beside a report. Nobody else writes it, the coordinator included.
- Other insiders see published reports only, and no national tables (403).
- Anonymous visitors see published reports and the public statistics page; anything else
  sends them to sign in.
"""

from django.db.models import Q, QuerySet

from polku.accounts.choices import Role
from polku.accounts.models import User
from polku.core.permissions import AnyUser, is_insider
from polku.reporting.choices import ReportStatus
from polku.reporting.models import AnnualReport, RapporteurCommentary

COORDINATION_ROLES = (Role.COORDINATOR, Role.SECRETARIAT)
TABLE_ROLES = (Role.COORDINATOR, Role.SECRETARIAT, Role.RAPPORTEUR)


def _insider(user: AnyUser) -> User | None:
    return user if isinstance(user, User) and is_insider(user) else None


def is_coordination(user: AnyUser) -> bool:
    insider = _insider(user)
    return insider is not None and insider.has_role(*COORDINATION_ROLES)


def is_rapporteur(user: AnyUser) -> bool:
    insider = _insider(user)
    return insider is not None and insider.has_role(Role.RAPPORTEUR)


def can_read_national_tables(user: AnyUser) -> bool:
    """The coordination and the rapporteur read the national tables (protected)."""
    insider = _insider(user)
    return insider is not None and insider.has_role(*TABLE_ROLES)


def can_read_unprotected(user: AnyUser) -> bool:
    """Only the coordination sees figures before disclosure control."""
    return is_coordination(user)


def can_generate(user: AnyUser) -> bool:
    return is_coordination(user)


def can_publish(user: AnyUser, report: AnnualReport) -> bool:
    """The coordinator signs off the report; only a ready version can be published."""
    insider = _insider(user)
    return (
        insider is not None
        and insider.has_role(Role.COORDINATOR)
        and report.status == ReportStatus.READY
    )


def can_write_commentary(user: AnyUser, report: AnnualReport) -> bool:
    """The rapporteur comments on a generated report, before or after it is published."""
    return is_rapporteur(user) and report.has_documents


def report_scope(user: AnyUser) -> QuerySet[AnnualReport]:
    """Every version for the coordination and the rapporteur; published ones for others."""
    if can_read_national_tables(user):
        return AnnualReport.objects.all()
    return AnnualReport.objects.filter(status=ReportStatus.PUBLISHED)


def commentary_scope(user: AnyUser) -> QuerySet[RapporteurCommentary]:
    """Published commentary on published reports for everyone; the rapporteur's office
    also sees its drafts, and the coordination published commentary on reports not yet
    published."""
    visible = Q(published_at__isnull=False, report__status=ReportStatus.PUBLISHED)
    if is_rapporteur(user):
        visible = Q()
    elif is_coordination(user):
        visible = Q(published_at__isnull=False)
    return RapporteurCommentary.objects.filter(visible)
