"""Reads of indicators and returns.

Pages read through ``return_list`` and ``return_get``, which start from the default-deny
``return_scope``. Reporting reads only aggregates of accepted returns (``national_figures``,
from each indicator's national source where one is designated, and
``figures_by_organisation``), never an individual unaccepted return; disclosure control
of what is published is reporting's job.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy

from polku.accounts.models import User
from polku.actors.models import Organisation
from polku.audit.services import audit_access
from polku.core.permissions import AnyUser, is_insider
from polku.statistics.choices_returns import Dimension, ReturnStatus
from polku.statistics.models import (
    Indicator,
    Population,
    ReportingAssignment,
    Return,
    ReturnEvent,
    ReturnFigure,
    ReturnRevision,
    ReturnValidator,
)
from polku.statistics.permissions_returns import (
    is_coordination,
    provider_organisations,
    return_scope,
    validator_organisations,
)
from polku.statistics.validation import category_label as _category_label
from polku.taxonomy.choices import TypologyKind
from polku.taxonomy.models import Category
from polku.taxonomy.selectors import category_choices


class Queue:
    """The lists of returns a person works through."""

    FILL = "fill"
    VALIDATE = "validate"
    ACCEPT = "accept"
    ALL = "all"


# ---------------------------------------------------------------------------------------
# Indicators and reference data
# ---------------------------------------------------------------------------------------


def indicator_list(*, include_inactive: bool = False) -> QuerySet[Indicator]:
    """Indicators in their order, with who reports them."""
    indicators = Indicator.objects.all()
    if not include_inactive:
        indicators = indicators.filter(is_active=True)
    return indicators.prefetch_related(
        Prefetch(
            "assignments",
            queryset=ReportingAssignment.objects.select_related("organisation").order_by(
                "organisation__name", "from_year"
            ),
        )
    ).order_by("order", "code")


def next_indicator_order() -> int:
    """An order that puts a new indicator after every other."""
    highest = Indicator.objects.aggregate(highest=Max("order"))["highest"]
    return (highest or 0) + 1


def assignment_list(*, indicator: Indicator) -> QuerySet[ReportingAssignment]:
    """Who reports an indicator, the latest years first, for the indicator's page."""
    return (
        ReportingAssignment.objects.filter(indicator=indicator)
        .select_related("organisation")
        .order_by("-from_year", "organisation__name", "pk")
    )


def assignments_overlapping(
    *, indicator: Indicator, from_year: int, to_year: int | None, exclude_pk: int | None = None
) -> QuerySet[ReportingAssignment]:
    """The indicator's assignments sharing a year with ``from_year``..``to_year`` (open-ended
    where ``to_year`` is None), earliest first."""
    overlapping = ReportingAssignment.objects.filter(
        Q(to_year__isnull=True) | Q(to_year__gte=from_year), indicator=indicator
    )
    if to_year is not None:
        overlapping = overlapping.filter(from_year__lte=to_year)
    if exclude_pk is not None:
        overlapping = overlapping.exclude(pk=exclude_pk)
    return overlapping.select_related("organisation").order_by("from_year", "pk")


def national_source_in_the_way(*, assignment: ReportingAssignment) -> ReportingAssignment | None:
    """Another organisation's national-source assignment in any of ``assignment``'s years:
    while it lasts, ``assignment`` cannot be made the national source too."""
    return (
        assignments_overlapping(
            indicator=assignment.indicator,
            from_year=assignment.from_year,
            to_year=assignment.to_year,
            exclude_pk=assignment.pk,
        )
        .filter(is_national_source=True)
        .first()
    )


def indicators_for_reporting() -> list[Indicator]:
    """The active indicators, in order, for reporting's tables."""
    return list(Indicator.objects.filter(is_active=True).order_by("order", "code"))


def current_forms() -> dict[str, Category]:
    """The current forms of exploitation by code, in display order."""
    return {
        category.code: category
        for category in category_choices(kind=TypologyKind.EXPLOITATION_FORM).select_related(
            "typology"
        )
    }


def category_label(dimension: str, code: str) -> str:
    """The label of a category in the active language (countries by their code)."""
    return _category_label(dimension, code, current_forms())


def population_for(*, year: int) -> Population | None:
    return Population.objects.filter(year=year).first()


def population_list() -> QuerySet[Population]:
    return Population.objects.order_by("year")


def population_years() -> set[int]:
    """The years whose population is recorded."""
    return set(Population.objects.values_list("year", flat=True))


# ---------------------------------------------------------------------------------------
# Returns as people see them
# ---------------------------------------------------------------------------------------


def return_list(
    *,
    user: AnyUser,
    queue: str = Queue.ALL,
    year: int | None = None,
    status: str | None = None,
    organisation_id: int | None = None,
) -> QuerySet[Return]:
    """The returns a person sees, narrowed to one of their queues and the filters given."""
    returns = return_scope(user)
    if isinstance(user, User):
        if queue == Queue.FILL:
            returns = returns.filter(organisation_id__in=provider_organisations(user))
        elif queue == Queue.VALIDATE:
            returns = returns.filter(
                organisation_id__in=validator_organisations(user),
                status=ReturnStatus.SUBMITTED,
            ).exclude(submitted_by=user)
        elif queue == Queue.ACCEPT:
            returns = (
                returns.filter(status=ReturnStatus.VALIDATED)
                if is_coordination(user)
                else returns.none()
            )
    if year is not None:
        returns = returns.filter(year=year)
    if status:
        returns = returns.filter(status=status)
    if organisation_id is not None:
        returns = returns.filter(organisation_id=organisation_id)
    return returns.select_related("organisation", "submitted_by").order_by(
        "-year", "organisation__name", "pk"
    )


def return_years(*, user: AnyUser) -> list[int]:
    """The years a person has returns in, newest first, for the filter."""
    return list(return_scope(user).order_by("-year").values_list("year", flat=True).distinct())


def return_get(*, user: AnyUser, pk: int) -> Return | None:
    """One return in the person's scope, with its figures, timeline and revisions."""
    return (
        return_scope(user)
        .filter(pk=pk)
        .select_related(
            "organisation", "submitted_by", "validated_by", "accepted_by", "returned_by"
        )
        .prefetch_related(
            Prefetch(
                "figures",
                queryset=ReturnFigure.objects.select_related("indicator").order_by(
                    "indicator__order", "indicator__code", "dimension", "category"
                ),
            ),
            Prefetch(
                "events",
                queryset=ReturnEvent.objects.select_related("actor", "organisation").order_by(
                    "created_at", "pk"
                ),
            ),
            Prefetch(
                "revisions",
                queryset=ReturnRevision.objects.select_related("created_by").order_by("-revision"),
            ),
        )
        .first()
    )


def return_read(
    *, user: User | None, statistics_return: Return, what: str, token_name: str = ""
) -> None:
    """Records that a person (or an API token, with no person) read a return's figures."""
    detail: dict[str, object] = {"year": statistics_return.year, "status": statistics_return.status}
    if token_name:
        detail["token"] = token_name
    audit_access(
        actor=user,
        action=f"statistics.return.{what}",
        target=statistics_return,
        detail=detail,
    )


def organisations_to_fill(*, user: User) -> QuerySet[Organisation]:
    """The organisations a person fills returns for."""
    return Organisation.objects.filter(pk__in=provider_organisations(user)).order_by("name")


def validator_list() -> QuerySet[ReturnValidator]:
    return (
        ReturnValidator.objects.filter(is_active=True)
        .select_related("organisation", "user")
        .order_by("organisation__name", "user__last_name", "user__username")
    )


def validators_of(*, organisation: Organisation) -> list[User]:
    return [
        designation.user
        for designation in ReturnValidator.objects.filter(
            organisation=organisation, is_active=True
        ).select_related("user")
    ]


# ---------------------------------------------------------------------------------------
# Sums of accepted returns, for reporting
# ---------------------------------------------------------------------------------------


#: What a page or report says beside a figure whose ``summed_across_organisations`` is set.
SUMMED_ACROSS_ORGANISATIONS_NOTE = gettext_lazy(
    "Summed across organisations; may count a person more than once."
)


@dataclass(frozen=True)
class NationalFigure:
    """One national cell of accepted returns.

    Where the indicator has a national source in the year, ``value`` is the national
    source's figure alone (the sum of its sources' figures, if several are designated) and
    ``summed_across_organisations`` is false. Where none is designated, ``value`` is the sum
    over every organisation and ``summed_across_organisations`` is true: the same person
    may be counted by more than one of them (``SUMMED_ACROSS_ORGANISATIONS_NOTE``).
    ``organisations`` is how many organisations' figures ``value`` adds up.
    """

    year: int
    indicator_code: str
    dimension: str
    category: str
    value: int
    organisations: int
    summed_across_organisations: bool = False


@dataclass(frozen=True)
class OrganisationFigure:
    """One registering organisation's accepted figure for one cell."""

    year: int
    organisation_id: int
    organisation_name: str
    indicator_code: str
    dimension: str
    category: str
    value: int


@dataclass(frozen=True)
class YearCoverage:
    """Whether an organisation that reports in a year has its return accepted."""

    organisation: Organisation
    indicator_codes: tuple[str, ...]
    status: str | None
    accepted: bool


def _current_codes_by_form() -> dict[int, str]:
    """Each exploitation category's current code: its own, or the current category that
    continues it through ``replaces``. Categories no current one continues (or that several
    do) keep their own code, so nothing is lost or counted twice."""
    categories = list(
        Category.objects.filter(typology__kind=TypologyKind.EXPLOITATION_FORM).values_list(
            "pk", "code", "typology__is_current"
        )
    )
    edges = Category.replaces.through.objects.filter(
        from_category__typology__kind=TypologyKind.EXPLOITATION_FORM
    ).values_list("from_category_id", "to_category_id")
    earlier: dict[int, set[int]] = defaultdict(set)
    for newer, older in edges:
        earlier[newer].add(older)
    successors: dict[int, set[str]] = defaultdict(set)
    codes = {pk: code for pk, code, _current in categories}
    for pk, code, is_current in categories:
        if not is_current:
            continue
        seen = {pk}
        frontier = [pk]
        while frontier:
            following = [older for node in frontier for older in earlier[node] if older not in seen]
            seen.update(following)
            frontier = following
        for older in seen:
            successors[older].add(code)
    return {
        pk: next(iter(successors[pk])) if len(successors[pk]) == 1 else codes[pk] for pk in codes
    }


def _accepted_cells(
    years: Iterable[int], indicator_codes: Iterable[str] | None
) -> list[tuple[int, int, str, str, str, str, int]]:
    figures = ReturnFigure.objects.filter(
        statistics_return__status=ReturnStatus.ACCEPTED,
        statistics_return__year__in=list(years),
    )
    if indicator_codes is not None:
        figures = figures.filter(indicator__code__in=list(indicator_codes))
    rows = (
        figures.values(
            "statistics_return__year",
            "statistics_return__organisation_id",
            "statistics_return__organisation__name",
            "indicator__code",
            "dimension",
            "category",
            "exploitation_form_id",
        )
        .annotate(total=Sum("value"))
        .order_by()
    )
    mapping = _current_codes_by_form()
    cells: dict[tuple[int, int, str, str, str, str], int] = defaultdict(int)
    for row in rows:
        category = row["category"]
        if row["dimension"] == Dimension.EXPLOITATION_FORM and row["exploitation_form_id"]:
            category = mapping.get(row["exploitation_form_id"], category)
        key = (
            row["statistics_return__year"],
            row["statistics_return__organisation_id"],
            row["statistics_return__organisation__name"],
            row["indicator__code"],
            row["dimension"],
            category,
        )
        cells[key] += row["total"]
    return [(*key, value) for key, value in cells.items()]


def national_sources(
    *, years: Iterable[int], indicator_codes: Iterable[str] | None = None
) -> dict[tuple[int, str], frozenset[int]]:
    """The organisations designated as national source of an indicator in a year, keyed by
    year and indicator code. An indicator and year not in it has no national source. The
    services in ``services/indicators.py`` keep it to one organisation a year."""
    wanted = set(years)
    assignments = ReportingAssignment.objects.filter(is_national_source=True)
    if indicator_codes is not None:
        assignments = assignments.filter(indicator__code__in=list(indicator_codes))
    sources: dict[tuple[int, str], set[int]] = defaultdict(set)
    for organisation_id, code, from_year, to_year in assignments.values_list(
        "organisation_id", "indicator__code", "from_year", "to_year"
    ).order_by():
        for year in wanted:
            if from_year <= year and (to_year is None or year <= to_year):
                sources[(year, code)].add(organisation_id)
    return {key: frozenset(organisations) for key, organisations in sources.items()}


@dataclass(frozen=True)
class AwaitedSource:
    """A national source whose return for a year is not accepted (``status`` is None where
    it has not started one): the indicator has no national figure that year until it is,
    and no other organisation's count stands in for it."""

    year: int
    indicator_code: str
    organisation: Organisation
    status: str | None


def awaited_national_sources(
    *, years: Iterable[int], indicator_codes: Iterable[str] | None = None
) -> list[AwaitedSource]:
    """The national sources designated in the years whose return for the year is not yet
    accepted, by year, indicator order and organisation name."""
    wanted = sorted(set(years))
    if not wanted:
        return []
    assignments = ReportingAssignment.objects.filter(
        is_national_source=True, from_year__lte=wanted[-1]
    ).exclude(to_year__lt=wanted[0])
    if indicator_codes is not None:
        assignments = assignments.filter(indicator__code__in=list(indicator_codes))
    designated = [
        (year, assignment)
        for assignment in assignments.select_related("organisation", "indicator")
        for year in wanted
        if assignment.covers(year)
    ]
    if not designated:
        return []
    statuses = {
        (organisation_id, year): status
        for organisation_id, year, status in Return.objects.filter(
            year__in=wanted,
            organisation_id__in={assignment.organisation_id for _year, assignment in designated},
        ).values_list("organisation_id", "year", "status")
    }
    awaited = [
        AwaitedSource(
            year,
            assignment.indicator.code,
            assignment.organisation,
            statuses.get((assignment.organisation_id, year)),
        )
        for year, assignment in designated
        if statuses.get((assignment.organisation_id, year)) != ReturnStatus.ACCEPTED
    ]
    order = {
        assignment.indicator.code: (assignment.indicator.order, assignment.indicator.code)
        for _year, assignment in designated
    }
    return sorted(
        awaited,
        key=lambda source: (
            source.year,
            order[source.indicator_code],
            source.organisation.name,
        ),
    )


def awaited_return_statuses(
    *, user: AnyUser, sources: Iterable[AwaitedSource]
) -> dict[tuple[int, int], str | None]:
    """What a person may know of each awaited national source's return, keyed by
    organisation id and year: the status of a return within their ``return_scope``, or
    None where they may see all the organisation's returns and it has none. A source
    missing from the answer is one whose return the person may not know about (a draft is
    the organisation's own until it is sent). At most three queries."""
    wanted = list(sources)
    if not wanted:
        return {}
    years = {source.year for source in wanted}
    organisation_ids = {source.organisation.pk for source in wanted}
    known: dict[tuple[int, int], str | None] = {
        (organisation_id, year): status
        for organisation_id, year, status in return_scope(user)
        .filter(year__in=years, organisation_id__in=organisation_ids)
        .values_list("organisation_id", "year", "status")
    }
    insider = user if isinstance(user, User) and is_insider(user) else None
    if insider is not None:
        # The organisation's own people would see a return it had started.
        own = set(
            provider_organisations(insider)
            .filter(organisation_id__in=organisation_ids)
            .values_list("organisation_id", flat=True)
        ) | set(
            validator_organisations(insider)
            .filter(organisation_id__in=organisation_ids)
            .values_list("organisation_id", flat=True)
        )
        for source in wanted:
            key = (source.organisation.pk, source.year)
            if source.organisation.pk in own and key not in known:
                known[key] = None
    return known


def years_with_accepted_figures(
    *, indicator: Indicator, from_year: int, to_year: int | None
) -> list[int]:
    """The years from ``from_year`` to ``to_year`` (or on, where None) in which an accepted
    return gives a figure of the indicator: the years whose national figure a change to
    the indicator's national source changes."""
    figures = ReturnFigure.objects.filter(
        indicator=indicator,
        statistics_return__status=ReturnStatus.ACCEPTED,
        statistics_return__year__gte=from_year,
    )
    if to_year is not None:
        figures = figures.filter(statistics_return__year__lte=to_year)
    return sorted(set(figures.values_list("statistics_return__year", flat=True)))


def national_figures(
    *, years: Iterable[int], indicator_codes: Iterable[str] | None = None
) -> list[NationalFigure]:
    """Accepted national figures per year, indicator, dimension and category.

    Where an indicator has a national source in a year, only the national source's accepted
    figures count, so a person other organisations also registered is counted once; while
    its return is not accepted the indicator has no national figure that year. Where none
    is designated, every organisation's accepted figures are summed and the rows are marked
    ``summed_across_organisations``. Totals have ``dimension == category == ""``. Forms of
    exploitation are counted under the current typology's codes.
    """
    wanted = list(years)
    codes = list(indicator_codes) if indicator_codes is not None else None
    sources = national_sources(years=wanted, indicator_codes=codes)
    sums: dict[tuple[int, str, str, str], int] = defaultdict(int)
    contributors: dict[tuple[int, str, str, str], set[int]] = defaultdict(set)
    for year, organisation_id, _name, code, dimension, category, value in _accepted_cells(
        wanted, codes
    ):
        designated = sources.get((year, code))
        if designated is not None and organisation_id not in designated:
            continue
        key = (year, code, dimension, category)
        sums[key] += value
        contributors[key].add(organisation_id)
    order = dict(Indicator.objects.values_list("code", "order"))
    figures = []
    for key in sorted(sums, key=lambda cell: (cell[0], order.get(cell[1], 0), *cell[1:])):
        year, code, dimension, category = key
        figures.append(
            NationalFigure(
                year,
                code,
                dimension,
                category,
                sums[key],
                len(contributors[key]),
                summed_across_organisations=(year, code) not in sources,
            )
        )
    return figures


def figures_by_organisation(
    *, years: Iterable[int], indicator_codes: Iterable[str] | None = None
) -> list[OrganisationFigure]:
    """Accepted figures per registering organisation (forms mapped to current codes)."""
    cells = _accepted_cells(years, indicator_codes)
    order = dict(Indicator.objects.values_list("code", "order"))
    cells.sort(
        key=lambda cell: (cell[0], cell[2], order.get(cell[3], 0), cell[3], cell[4], cell[5])
    )
    return [
        OrganisationFigure(year, organisation_id, name, code, dimension, category, value)
        for year, organisation_id, name, code, dimension, category, value in cells
    ]


def accepted_years() -> list[int]:
    """Years with at least one accepted return, oldest first."""
    return list(
        Return.objects.filter(status=ReturnStatus.ACCEPTED)
        .order_by("year")
        .values_list("year", flat=True)
        .distinct()
    )


def year_coverage(*, year: int) -> list[YearCoverage]:
    """Each organisation assigned indicators in a year, and whether its return is accepted."""
    assignments = (
        ReportingAssignment.objects.filter(from_year__lte=year, indicator__is_active=True)
        .exclude(to_year__lt=year)
        .select_related("organisation", "indicator")
        .order_by("organisation__name", "indicator__order")
    )
    by_organisation: dict[int, tuple[Organisation, list[str]]] = {}
    for assignment in assignments:
        entry = by_organisation.setdefault(
            assignment.organisation_id, (assignment.organisation, [])
        )
        entry[1].append(assignment.indicator.code)
    statuses = dict(
        Return.objects.filter(year=year, organisation_id__in=list(by_organisation)).values_list(
            "organisation_id", "status"
        )
    )
    return [
        YearCoverage(
            organisation=organisation,
            indicator_codes=tuple(codes),
            status=statuses.get(pk),
            accepted=statuses.get(pk) == ReturnStatus.ACCEPTED,
        )
        for pk, (organisation, codes) in by_organisation.items()
    ]
