"""Writes to indicators' reference data: the indicators, who reports what, and the
population.

An indicator has at most one national source in any year: its count is the national
figure, and ``selectors_returns.national_figures`` takes it alone, without adding other
organisations' counts. The services below refuse a second source whose years overlap.
"""

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from polku.accounts.choices import Role
from polku.accounts.models import User
from polku.actors.models import Organisation
from polku.audit.services import audit_write, snapshot
from polku.statistics.choices_returns import DIMENSION_ORDER, Dimension, Unit
from polku.statistics.models import (
    Indicator,
    Population,
    ReportingAssignment,
    ReturnFigure,
)
from polku.statistics.selectors_returns import assignments_overlapping
from polku.statistics.wording import national_source_taken_sentence, years_phrase

KEEPER_ROLES = (Role.COORDINATOR, Role.SECRETARIAT, Role.ADMINISTRATOR)
ASSIGNMENT_FIELDS = ["organisation", "indicator", "from_year", "to_year", "is_national_source"]
POPULATION_FIELDS = [
    "year",
    "reference_date",
    "total",
    "males",
    "females",
    "children",
    "adults",
    "source",
]
# Below the columns' range (PositiveIntegerField), and above any country's population.
POPULATION_MAX = 2_000_000_000
FIRST_POPULATION_YEAR = 1950
POPULATION_SOURCE_MAX_LENGTH = 300  # Population.source's max_length
# The year column's range (PositiveSmallIntegerField).
LAST_POPULATION_YEAR = 32767
INDICATOR_FIELDS = [
    "code",
    "name",
    "name_fi",
    "name_sv",
    "definition",
    "definition_fi",
    "definition_sv",
    "unit",
    "dimensions",
    "order",
    "is_active",
]
# Everything but the code, which returns, uploads and the API name the indicator by.
EDITABLE_INDICATOR_FIELDS = [field for field in INDICATOR_FIELDS if field != "code"]
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
# Addresses under indicators/ that an indicator's code would otherwise take.
RESERVED_CODES = frozenset({"new"})


def _require_keeper(actor: User | None, *, system: bool) -> None:
    """Reference data is kept by the coordination. Polku itself (the demo loader) acts as
    nobody, and says so with ``system=True``: a missing person is never let through."""
    if actor is None and system:
        return
    if actor is None or not actor.has_role(*KEEPER_ROLES):
        raise PermissionDenied


# ---------------------------------------------------------------------------------------
# Indicators
# ---------------------------------------------------------------------------------------


def _text(data: Mapping[str, Any], field: str) -> str:
    return str(data.get(field) or "").strip()


def _dimensions(value: Iterable[str]) -> list[str]:
    """The dimension codes given, each known and once, in the order breakdowns are shown."""
    given = list(value)
    unknown = [code for code in given if code not in Dimension.values]
    if unknown:
        raise ValidationError(
            {"dimensions": _("“%(code)s” is not a breakdown Polku knows.") % {"code": unknown[0]}}
        )
    return [str(dimension) for dimension in DIMENSION_ORDER if dimension in given]


def _indicator_values(data: Mapping[str, Any], fields: list[str]) -> dict[str, Any]:
    """The values of ``fields`` from ``data``, cleaned, with the errors of each field."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in fields:
        if field not in data:
            continue
        if field == "dimensions":
            values[field] = _dimensions(data.get(field) or [])
        elif field == "order":
            try:
                values[field] = int(data.get(field) or 0)
            except (TypeError, ValueError):
                errors[field] = _("Enter the order as a whole number.")
        elif field == "is_active":
            values[field] = bool(data.get(field))
        elif field == "unit":
            values[field] = str(data.get(field) or "")
            if values[field] not in Unit.values:
                errors[field] = _("Choose the unit the indicator is counted in.")
        else:
            values[field] = _text(data, field)
    if "name" in values and not values["name"]:
        errors["name"] = _("Enter the indicator's name in English.")
    if "definition" in values and not values["definition"]:
        errors["definition"] = _("Enter the indicator's definition in English.")
    if "order" in values and values["order"] < 0:
        errors["order"] = _("Enter an order of 0 or more.")
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def indicator_create(
    *, actor: User | None, data: Mapping[str, Any], system: bool = False
) -> Indicator:
    """Defines a new indicator, collected from the year its first assignment starts."""
    _require_keeper(actor, system=system)
    code = _text(data, "code")
    if not code:
        raise ValidationError({"code": _("Enter a code for the indicator.")})
    if not CODE_PATTERN.match(code) or len(code) > 60:
        raise ValidationError(
            {
                "code": _(
                    "Use up to 60 lower-case letters, digits and underscores, starting with a "
                    "letter, for example registered_victims."
                )
            }
        )
    if code in RESERVED_CODES:
        raise ValidationError(
            {
                "code": _("The code %(code)s is kept for a page's address; choose another.")
                % {"code": code}
            }
        )
    if Indicator.objects.filter(code=code).exists():
        raise ValidationError(
            {"code": _("An indicator with the code %(code)s already exists.") % {"code": code}}
        )
    values = _indicator_values(
        {"unit": Unit.PERSONS, "is_active": True, **data}, EDITABLE_INDICATOR_FIELDS
    )
    indicator = Indicator(code=code, created_by=actor, updated_by=actor, **values)
    indicator.full_clean()
    indicator.save()
    audit_write(
        actor=actor,
        action="statistics.indicator.create",
        target=indicator,
        after=snapshot(indicator, INDICATOR_FIELDS),
    )
    return indicator


def _refuse_breaking_changes(indicator: Indicator, values: Mapping[str, Any]) -> None:
    """Returns already hold figures of the indicator as it is: a breakdown they give cannot
    be taken away, nor the unit they were counted in changed."""
    errors: dict[str, str] = {}
    removed = set(indicator.dimensions) - set(values.get("dimensions", indicator.dimensions))
    if removed:
        held = dict(
            ReturnFigure.objects.filter(indicator=indicator, dimension__in=removed)
            .values("dimension")
            .annotate(returns=Count("statistics_return", distinct=True))
            .values_list("dimension", "returns")
        )
        if held:
            count = max(held.values())
            labels = ", ".join(
                str(Dimension(dimension).label)
                for dimension in DIMENSION_ORDER
                if dimension in held
            )
            errors["dimensions"] = ngettext(
                "A return already gives this indicator by %(breakdowns)s, so that breakdown "
                "cannot be removed: its figures would no longer fit the indicator. To collect "
                "the indicator without it, retire this indicator and define a new one.",
                "%(count)s returns already give this indicator by %(breakdowns)s, so that "
                "breakdown cannot be removed: their figures would no longer fit the "
                "indicator. To collect the indicator without it, retire this indicator and "
                "define a new one.",
                count,
            ) % {"count": count, "breakdowns": labels}
    if (
        values.get("unit", indicator.unit) != indicator.unit
        and ReturnFigure.objects.filter(indicator=indicator).exists()
    ):
        errors["unit"] = _(
            "Returns already count this indicator in %(unit)s, so its unit cannot change. "
            "To count something else, retire this indicator and define a new one."
        ) % {"unit": indicator.get_unit_display()}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def indicator_update(
    *, actor: User | None, indicator: Indicator, data: Mapping[str, Any], system: bool = False
) -> Indicator:
    """Changes an indicator's names, definitions, unit, breakdowns, order or whether it is
    collected. Retiring it (``is_active`` false) is how an indicator ends: its figures stay."""
    _require_keeper(actor, system=system)
    if "code" in data and _text(data, "code") != indicator.code:
        raise ValidationError(
            {"code": _("An indicator's code cannot change; returns and the API name it.")}
        )
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    values = _indicator_values(data, EDITABLE_INDICATOR_FIELDS)
    _refuse_breaking_changes(indicator, values)
    before = snapshot(indicator, INDICATOR_FIELDS)
    changed = [field for field, value in values.items() if getattr(indicator, field) != value]
    if not changed:
        return indicator
    for field in changed:
        setattr(indicator, field, values[field])
    indicator.full_clean()
    indicator.updated_by = actor
    indicator.save(update_fields=[*changed, "updated_by", "updated_at"])
    after = snapshot(indicator, INDICATOR_FIELDS)
    audit_write(
        actor=actor,
        action="statistics.indicator.update",
        target=indicator,
        before={field: before[field] for field in changed},
        after={field: after[field] for field in changed},
    )
    return indicator


# ---------------------------------------------------------------------------------------
# Who reports what
# ---------------------------------------------------------------------------------------


def _check_assignment(
    *,
    organisation_id: int,
    indicator: Indicator,
    from_year: int,
    to_year: int | None,
    is_national_source: bool,
    exclude_pk: int | None = None,
) -> None:
    """Refuses an assignment whose years overlap another of the same organisation and
    indicator, or, for a national source, another national source of the indicator."""
    if to_year is not None and to_year < from_year:
        raise ValidationError(
            {
                "to_year": _("The last year cannot be before the first year, %(year)s.")
                % {"year": from_year}
            }
        )
    # Assignments of one indicator change one at a time, so two keepers cannot each add a
    # national source that the other's check did not see.
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
    others = assignments_overlapping(
        indicator=indicator, from_year=from_year, to_year=to_year, exclude_pk=exclude_pk
    )
    for other in others:
        if other.organisation_id == organisation_id:
            raise ValidationError(
                {
                    "from_year": _(
                        "%(organisation)s already reports this indicator %(years)s. End that "
                        "assignment before this one starts, or start this one after it ends."
                    )
                    % {
                        "organisation": other.organisation.display_name,
                        "years": years_phrase(other.from_year, other.to_year),
                    }
                }
            )
        if is_national_source and other.is_national_source:
            raise ValidationError({"is_national_source": national_source_taken_sentence(other)})


@transaction.atomic
def assignment_add(
    *,
    actor: User | None,
    organisation: Organisation,
    indicator: Indicator,
    from_year: int,
    to_year: int | None = None,
    is_national_source: bool = False,
    system: bool = False,
) -> ReportingAssignment:
    """Says that an organisation reports an indicator from a year (to a year), and whether
    its count is the indicator's national figure in those years."""
    _require_keeper(actor, system=system)
    same = ReportingAssignment.objects.filter(
        organisation=organisation,
        indicator=indicator,
        from_year=from_year,
        to_year=to_year,
        is_national_source=is_national_source,
    ).first()
    if same is not None:
        # Adding what is already there changes nothing, so loading the demo twice adds none.
        return same
    if not organisation.is_active:
        raise ValidationError(
            {
                "organisation": _("%(organisation)s is no longer active.")
                % {"organisation": organisation.display_name}
            }
        )
    _check_assignment(
        organisation_id=organisation.pk,
        indicator=indicator,
        from_year=from_year,
        to_year=to_year,
        is_national_source=is_national_source,
    )
    assignment = ReportingAssignment.objects.create(
        organisation=organisation,
        indicator=indicator,
        from_year=from_year,
        to_year=to_year,
        is_national_source=is_national_source,
        created_by=actor,
        updated_by=actor,
    )
    audit_write(
        actor=actor,
        action="statistics.assignment.add",
        target=assignment,
        after=snapshot(assignment, ASSIGNMENT_FIELDS),
    )
    return assignment


@transaction.atomic
def assignment_end(
    *, actor: User | None, assignment: ReportingAssignment, to_year: int, system: bool = False
) -> ReportingAssignment:
    """Sets the last year an organisation reports an indicator (and, for a national source,
    the last year its count is the national figure)."""
    _require_keeper(actor, system=system)
    assignment = (
        ReportingAssignment.objects.select_for_update()
        .select_related("indicator")
        .get(pk=assignment.pk)
    )
    if assignment.to_year == to_year:
        return assignment
    _check_assignment(
        organisation_id=assignment.organisation_id,
        indicator=assignment.indicator,
        from_year=assignment.from_year,
        to_year=to_year,
        is_national_source=assignment.is_national_source,
        exclude_pk=assignment.pk,
    )
    before = snapshot(assignment, ASSIGNMENT_FIELDS)
    assignment.to_year = to_year
    assignment.updated_by = actor
    assignment.save(update_fields=["to_year", "updated_by", "updated_at"])
    audit_write(
        actor=actor,
        action="statistics.assignment.end",
        target=assignment,
        before=before,
        after=snapshot(assignment, ASSIGNMENT_FIELDS),
    )
    return assignment


@transaction.atomic
def assignment_set_national_source(
    *,
    actor: User | None,
    assignment: ReportingAssignment,
    is_national_source: bool,
    system: bool = False,
) -> ReportingAssignment:
    """Makes an organisation's count of an indicator the national figure in the years of the
    assignment (or stops it being so). Where an indicator has a national source in a year,
    the national figure is that source's count alone, so a person registered by several
    organisations is counted once. Refused where another organisation is already the
    national source of the indicator in any of those years."""
    _require_keeper(actor, system=system)
    assignment = (
        ReportingAssignment.objects.select_for_update()
        .select_related("indicator")
        .get(pk=assignment.pk)
    )
    if assignment.is_national_source == is_national_source:
        return assignment
    if is_national_source:
        _check_assignment(
            organisation_id=assignment.organisation_id,
            indicator=assignment.indicator,
            from_year=assignment.from_year,
            to_year=assignment.to_year,
            is_national_source=True,
            exclude_pk=assignment.pk,
        )
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


@dataclass(frozen=True)
class PopulationFigures:
    """A year's population as a keeper gives it: the total, and the parts that are known."""

    total: int
    reference_date: datetime.date | None = None
    males: int | None = None
    females: int | None = None
    children: int | None = None
    adults: int | None = None
    source: str = ""


def _population_values(year: int, figures: PopulationFigures) -> dict[str, Any]:
    """A year's population figures as stored, or the errors of each field."""
    total, males, females = figures.total, figures.males, figures.females
    children, adults = figures.children, figures.adults
    errors: dict[str, str] = {}
    too_large = _("Enter a figure of %(limit_value)s or less.") % {"limit_value": POPULATION_MAX}
    if total <= 0:
        errors["total"] = _("Enter a population above 0.")
    elif total > POPULATION_MAX:
        errors["total"] = too_large
    parts = {
        "males": (males, _("Males cannot be more than the total.")),
        "females": (females, _("Females cannot be more than the total.")),
        "children": (children, _("Children cannot be more than the total.")),
        "adults": (adults, _("Adults cannot be more than the total.")),
    }
    for field, (part, message) in parts.items():
        if part is None:
            continue
        if part < 0:
            errors[field] = _("Enter a figure of 0 or more.")
        elif part > POPULATION_MAX:
            errors[field] = too_large
        elif part > total:
            errors[field] = message
    if (
        males is not None
        and females is not None
        and not {"males", "females"} & set(errors)
        and males + females != total
    ):
        errors["females"] = _("Males and females must add up to the total.")
    if (
        children is not None
        and adults is not None
        and not {"children", "adults"} & set(errors)
        and children + adults != total
    ):
        errors["adults"] = _("Children and adults must add up to the total.")
    source = figures.source.strip()
    if len(source) > POPULATION_SOURCE_MAX_LENGTH:
        errors["source"] = _("Enter the source in 300 characters or fewer.")
    if errors:
        raise ValidationError(errors)
    return {
        "reference_date": figures.reference_date or datetime.date(year, 12, 31),
        "total": total,
        "males": males,
        "females": females,
        "children": children,
        "adults": adults,
        "source": source,
    }


@transaction.atomic
def population_record(
    *,
    actor: User | None,
    year: int,
    figures: PopulationFigures,
    system: bool = False,
) -> Population:
    """Records the population of a year not yet recorded; parts that are given must add up
    to the total. A recorded year is changed with ``population_correct``."""
    _require_keeper(actor, system=system)
    if not FIRST_POPULATION_YEAR <= year <= LAST_POPULATION_YEAR:
        raise ValidationError(
            {
                "year": _("Enter a year from %(first)s to %(last)s.")
                % {"first": FIRST_POPULATION_YEAR, "last": LAST_POPULATION_YEAR}
            }
        )
    values = _population_values(year, figures)
    already = ValidationError(
        {
            "year": _(
                "The population of %(year)s is already recorded; correct it from the list instead."
            )
            % {"year": year}
        }
    )
    if Population.objects.filter(year=year).exists():
        raise already
    try:
        # Two keepers recording the same year at once: the unique year refuses the second.
        with transaction.atomic():
            population = Population.objects.create(year=year, **values)
    except IntegrityError:
        raise already from None
    audit_write(
        actor=actor,
        action="statistics.population.record",
        target=population,
        after=snapshot(population, POPULATION_FIELDS),
    )
    return population


@transaction.atomic
def population_correct(
    *,
    actor: User | None,
    population: Population,
    figures: PopulationFigures,
    system: bool = False,
) -> Population:
    """Corrects a recorded year's population; the audit names what changed, from what."""
    _require_keeper(actor, system=system)
    population = Population.objects.select_for_update().get(pk=population.pk)
    values = _population_values(population.year, figures)
    changed = [field for field, value in values.items() if getattr(population, field) != value]
    if not changed:
        return population
    before = snapshot(population, POPULATION_FIELDS)
    for field in changed:
        setattr(population, field, values[field])
    population.save(update_fields=changed)
    after = snapshot(population, POPULATION_FIELDS)
    audit_write(
        actor=actor,
        action="statistics.population.correct",
        target=population,
        before={field: before[field] for field in ["year", *changed]},
        after={field: after[field] for field in ["year", *changed]},
    )
    return population
