"""Writes to indicators' reference data: who reports what, and the population."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from polku.accounts.choices import Role
from polku.accounts.models import User
from polku.actors.models import Organisation
from polku.audit.services import audit_write, snapshot
from polku.statistics.models import Indicator, Population, ReportingAssignment

KEEPER_ROLES = (Role.COORDINATOR, Role.SECRETARIAT, Role.ADMINISTRATOR)
ASSIGNMENT_FIELDS = ["organisation", "indicator", "from_year", "to_year", "is_national_source"]
POPULATION_FIELDS = ["year", "reference_date", "total", "males", "females", "children", "adults"]


def _require_keeper(actor: User | None) -> None:
    """Reference data is kept by the coordination; the demo loader acts as nobody."""
    if actor is not None and not actor.has_role(*KEEPER_ROLES):
        raise PermissionDenied


@transaction.atomic
def assignment_add(
    *,
    actor: User | None,
    organisation: Organisation,
    indicator: Indicator,
    from_year: int,
    to_year: int | None = None,
    is_national_source: bool = False,
) -> ReportingAssignment:
    """Says that an organisation reports an indicator from a year (to a year), and whether
    its count is the indicator's national figure in those years."""
    _require_keeper(actor)
    if to_year is not None and to_year < from_year:
        raise ValidationError({"to_year": _("The last year cannot be before the first.")})
    assignment, created = ReportingAssignment.objects.get_or_create(
        organisation=organisation,
        indicator=indicator,
        from_year=from_year,
        defaults={
            "to_year": to_year,
            "is_national_source": is_national_source,
            "created_by": actor,
            "updated_by": actor,
        },
    )
    if created:
        audit_write(
            actor=actor,
            action="statistics.assignment.add",
            target=assignment,
            after=snapshot(assignment, ASSIGNMENT_FIELDS),
        )
    return assignment


@transaction.atomic
def assignment_set_national_source(
    *, actor: User | None, assignment: ReportingAssignment, is_national_source: bool
) -> ReportingAssignment:
    """Makes an organisation's count of an indicator the national figure in the years of the
    assignment (or stops it being so). Where an indicator has a national source in a year,
    the national figure is that source's count alone, so a person registered by several
    organisations is counted once."""
    _require_keeper(actor)
    assignment = ReportingAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.is_national_source == is_national_source:
        return assignment
    before = snapshot(assignment, ASSIGNMENT_FIELDS)
    assignment.is_national_source = is_national_source
    assignment.updated_by = actor
    assignment.save(update_fields=["is_national_source", "updated_by", "updated_at"])
    audit_write(
        actor=actor,
        action="statistics.assignment.national_source",
        target=assignment,
        before=before,
        after=snapshot(assignment, ASSIGNMENT_FIELDS),
    )
    return assignment


@transaction.atomic
def population_record(
    *,
    actor: User | None,
    year: int,
    total: int,
    reference_date: datetime.date | None = None,
    males: int | None = None,
    females: int | None = None,
    children: int | None = None,
    adults: int | None = None,
    source: str = "",
) -> Population:
    """Records a year's population; parts that are given must add up to the total."""
    _require_keeper(actor)
    errors: dict[str, str] = {}
    if total <= 0:
        errors["total"] = _("Enter a population above 0.")
    if males is not None and females is not None and males + females != total:
        errors["females"] = _("Males and females must add up to the total.")
    if children is not None and adults is not None and children + adults != total:
        errors["adults"] = _("Children and adults must add up to the total.")
    if errors:
        raise ValidationError(errors)
    existing = Population.objects.filter(year=year).first()
    before = snapshot(existing, POPULATION_FIELDS) if existing else None
    population, _created = Population.objects.update_or_create(
        year=year,
        defaults={
            "reference_date": reference_date or datetime.date(year, 12, 31),
            "total": total,
            "males": males,
            "females": females,
            "children": children,
            "adults": adults,
            "source": source,
        },
    )
    audit_write(
        actor=actor,
        action="statistics.population.record",
        target=population,
        before=before,
        after=snapshot(population, POPULATION_FIELDS),
    )
    return population
