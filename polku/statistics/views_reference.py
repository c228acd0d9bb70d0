"""Pages of the statistics reference data: indicators, who reports them, the population.

Every insider reads them; the coordination's keepers (``can_keep_reference_data``) change
them, each change through an audited service in ``services/indicators.py``.
"""

import dataclasses
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from polku.accounts.models import User
from polku.core.http import show_service_error, signed_in_user
from polku.core.pagination import paginate
from polku.core.permissions import get_in_scope, insider_required, require
from polku.statistics import selectors_returns as selectors
from polku.statistics.choices_returns import AGE_BAND_CATEGORIES, Dimension, ReturnStatus, Unit
from polku.statistics.forms_reference import (
    AssignmentEndForm,
    AssignmentForm,
    IndicatorForm,
    NationalSourceForm,
    PopulationForm,
)
from polku.statistics.models import Indicator, ReportingAssignment
from polku.statistics.permissions_reference import can_keep_reference_data
from polku.statistics.permissions_returns import can_read_indicators
from polku.statistics.services.indicators import (
    EDITABLE_INDICATOR_FIELDS,
    PopulationFigures,
    assignment_add,
    assignment_end,
    assignment_set_national_source,
    indicator_create,
    indicator_update,
    population_correct,
    population_record,
)
from polku.statistics.validation import category_codes, category_label
from polku.statistics.wording import (
    awaited_source_sentence,
    national_figure_change_sentence,
    national_source_taken_sentence,
    years_label,
)

# The latest years of population the indicator list shows; the population page has them all.
RECENT_POPULATION_YEARS = 5


def _reader(request: HttpRequest) -> User:
    user = signed_in_user(request)
    require(can_read_indicators(user))
    return user


def _keeper(request: HttpRequest) -> User:
    user = signed_in_user(request)
    require(can_keep_reference_data(user))
    return user


def _indicator(code: str) -> Indicator:
    return get_in_scope(Indicator.objects.all(), code=code)


def _assignment(indicator: Indicator, pk: int) -> ReportingAssignment:
    return get_in_scope(
        selectors.assignment_list(indicator=indicator).select_related("indicator"), pk=pk
    )


# ---------------------------------------------------------------------------------------
# Indicators
# ---------------------------------------------------------------------------------------


@insider_required
def indicator_list(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    keeper = can_keep_reference_data(user)
    # Keepers also see retired indicators, to bring one back into use.
    indicators = selectors.indicator_list(include_inactive=keeper)
    recent = list(selectors.population_list().order_by("-year")[:RECENT_POPULATION_YEARS])
    return render(
        request,
        "statistics/indicator_list.html",
        {
            "page_obj": paginate(request, indicators),
            "populations": list(reversed(recent)),
            "can_keep": keeper,
        },
    )


def _codes_for_display(dimension: str, forms: dict[str, Any]) -> list[str]:
    if dimension == Dimension.AGE_BAND:
        return list(AGE_BAND_CATEGORIES)
    if dimension == Dimension.COUNTRY:
        return []
    return category_codes(dimension, forms)


def _return_status_sentence(
    statuses: dict[tuple[int, int], str | None], source: selectors.AwaitedSource
) -> str:
    """What the reader may be told of the awaited source's return: nothing, unless it is
    within their scope of returns."""
    key = (source.organisation.pk, source.year)
    if key not in statuses:
        return ""
    status = statuses[key]
    if status is None:
        return _("It has not started its return.")
    return _("Its return is %(status)s.") % {"status": str(ReturnStatus(status).label).lower()}


@insider_required
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = _reader(request)
    indicator = _indicator(code)
    forms = selectors.current_forms()
    dimensions = [
        (
            Dimension(dimension).label,
            [
                category_label(dimension, category, forms)
                for category in _codes_for_display(dimension, forms)
            ],
        )
        for dimension in indicator.ordered_dimensions
    ]
    awaited = list(
        reversed(
            selectors.awaited_national_sources(
                years=selectors.accepted_years(), indicator_codes=[indicator.code]
            )
        )
    )
    # A return's status is said only to those who may see the return (return_scope): the
    # coordination learns nothing of a draft, other insiders nothing of any return.
    statuses = selectors.awaited_return_statuses(user=user, sources=awaited)
    notes = [
        (
            source.year,
            awaited_source_sentence(source.organisation.display_name),
            _return_status_sentence(statuses, source),
        )
        for source in awaited
    ]
    return render(
        request,
        "statistics/indicator_detail.html",
        {
            "indicator": indicator,
            "dimensions": dimensions,
            "assignments": paginate(request, selectors.assignment_list(indicator=indicator)),
            "awaited": notes,
            "can_keep": can_keep_reference_data(user),
        },
    )


@insider_required
@never_cache
@require_http_methods(["GET", "POST"])
def indicator_create_view(request: HttpRequest) -> HttpResponse:
    user = _keeper(request)
    form = IndicatorForm(
        request.POST or None,
        creating=True,
        initial={
            "unit": Unit.PERSONS,
            "order": selectors.next_indicator_order(),
            "is_active": True,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            indicator = indicator_create(actor=user, data=form.data_for_service())
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "The indicator is defined. Add the organisations that report it, so that "
                    "their returns ask for it."
                ),
            )
            return redirect(indicator)
    return render(request, "statistics/reference_indicator_form.html", {"form": form})


@insider_required
@never_cache
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, code: str) -> HttpResponse:
    indicator = _indicator(code)
    user = _keeper(request)
    form = IndicatorForm(
        request.POST or None,
        creating=False,
        initial={field: getattr(indicator, field) for field in EDITABLE_INDICATOR_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        retiring = indicator.is_active and not form.cleaned_data["is_active"]
        if retiring and not form.cleaned_data["confirmed"]:
            return render(
                request,
                "statistics/reference_indicator_retire.html",
                {
                    "indicator": indicator,
                    "form": form,
                    "reporting": selectors.assignment_list(indicator=indicator)
                    .exclude(to_year__lt=timezone.localdate().year)
                    .count(),
                },
            )
        try:
            indicator_update(actor=user, indicator=indicator, data=form.data_for_service())
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(
                request,
                _("The indicator is retired.") if retiring else _("The indicator is saved."),
            )
            return redirect(indicator)
    return render(
        request,
        "statistics/reference_indicator_form.html",
        {"form": form, "indicator": indicator},
    )


# ---------------------------------------------------------------------------------------
# Who reports an indicator
# ---------------------------------------------------------------------------------------


@insider_required
@never_cache
@require_http_methods(["GET", "POST"])
def assignment_add_view(request: HttpRequest, code: str) -> HttpResponse:
    indicator = _indicator(code)
    user = _keeper(request)
    form = AssignmentForm(request.POST or None, initial={"from_year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            assignment_add(
                actor=user,
                organisation=form.cleaned_data["organisation"],
                indicator=indicator,
                from_year=form.cleaned_data["from_year"],
                to_year=form.cleaned_data["to_year"],
                is_national_source=form.cleaned_data["is_national_source"],
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(organisation)s reports the indicator %(years)s.")
                % {
                    "organisation": form.cleaned_data["organisation"].display_name,
                    "years": years_label(
                        form.cleaned_data["from_year"], form.cleaned_data["to_year"]
                    ),
                },
            )
            return redirect(indicator)
    return render(
        request,
        "statistics/reference_assignment_form.html",
        {"form": form, "indicator": indicator},
    )


@insider_required
@never_cache
@require_http_methods(["GET", "POST"])
def assignment_end_view(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    indicator = _indicator(code)
    assignment = _assignment(indicator, pk)
    user = _keeper(request)
    suggested = assignment.to_year or max(assignment.from_year, timezone.localdate().year - 1)
    form = AssignmentEndForm(
        request.POST or None, from_year=assignment.from_year, initial={"to_year": suggested}
    )
    change = ""
    if request.method == "POST" and form.is_valid():
        change = _end_change_sentence(indicator, assignment, form.cleaned_data["to_year"])
    if (
        request.method == "POST"
        and form.is_valid()
        and (form.cleaned_data["confirmed"] or not change)
    ):
        try:
            assignment_end(actor=user, assignment=assignment, to_year=form.cleaned_data["to_year"])
        except ValidationError as error:
            # The refusal is shown on the form, not on the confirmation.
            change = ""
            show_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(organisation)s reports the indicator until %(year)s.")
                % {
                    "organisation": assignment.organisation.display_name,
                    "year": form.cleaned_data["to_year"],
                },
            )
            return redirect(indicator)
    return render(
        request,
        "statistics/reference_assignment_end.html",
        {
            "form": form,
            "indicator": indicator,
            "assignment": assignment,
            "years": assignment.years_label,
            "change": change,
        },
    )


def _end_change_sentence(
    indicator: Indicator, assignment: ReportingAssignment, to_year: int
) -> str:
    """What moving a national source's last year does to national figures already accepted:
    the years it stops (or starts) covering change. Empty for any other assignment."""
    if not assignment.is_national_source or to_year == assignment.to_year:
        return ""
    ends = [year for year in (to_year, assignment.to_year) if year is not None]
    last = None if None in (to_year, assignment.to_year) else max(ends)
    affected = selectors.years_with_accepted_figures(
        indicator=indicator, from_year=min(ends) + 1, to_year=last
    )
    return national_figure_change_sentence(indicator.display_name, affected)


@insider_required
@never_cache
@require_http_methods(["GET", "POST"])
def assignment_national_source(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Confirms making an organisation the national source of an indicator, or stopping it."""
    indicator = _indicator(code)
    assignment = _assignment(indicator, pk)
    user = _keeper(request)
    form = NationalSourceForm(
        request.POST or None, initial={"make": "0" if assignment.is_national_source else "1"}
    )
    make = not assignment.is_national_source
    # Said before the button is pressed: the service refuses it anyway.
    in_the_way = selectors.national_source_in_the_way(assignment=assignment) if make else None
    if request.method == "POST" and form.is_valid():
        make = form.cleaned_data["make"]
        try:
            assignment_set_national_source(
                actor=user, assignment=assignment, is_national_source=make
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            done = (
                _("%(organisation)s is the national source of the indicator %(years)s.")
                if make
                else _("%(organisation)s is no longer the national source of the indicator.")
            )
            messages.success(
                request,
                done
                % {
                    "organisation": assignment.organisation.display_name,
                    "years": assignment.years_label,
                },
            )
            return redirect(indicator)
    return render(
        request,
        "statistics/reference_national_source.html",
        {
            "form": form,
            "indicator": indicator,
            "assignment": assignment,
            "make": make,
            "in_the_way": in_the_way,
            "in_the_way_sentence": national_source_taken_sentence(in_the_way) if in_the_way else "",
            "years": assignment.years_label,
            "change": national_figure_change_sentence(
                indicator.display_name,
                selectors.years_with_accepted_figures(
                    indicator=indicator,
                    from_year=assignment.from_year,
                    to_year=assignment.to_year,
                ),
            ),
        },
    )


# ---------------------------------------------------------------------------------------
# Population
# ---------------------------------------------------------------------------------------


@insider_required
def population_list(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    return render(
        request,
        "statistics/reference_population_list.html",
        {
            "page_obj": paginate(request, selectors.population_list().order_by("-year")),
            "can_keep": can_keep_reference_data(user),
        },
    )


def _figures(form: PopulationForm) -> PopulationFigures:
    data = form.cleaned_data
    return PopulationFigures(
        **{field.name: data[field.name] for field in dataclasses.fields(PopulationFigures)}
    )


@insider_required
@never_cache
@require_http_methods(["GET", "POST"])
def population_record_view(request: HttpRequest) -> HttpResponse:
    user = _keeper(request)
    taken = selectors.population_years()
    # Last year's figures are usually the ones still to record.
    latest = timezone.localdate().year - 1
    form = PopulationForm(
        request.POST or None,
        taken=taken,
        initial={"year": latest} if latest not in taken else {},
    )
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        try:
            population_record(actor=user, year=year, figures=_figures(form))
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("The population of %(year)s is recorded.") % {"year": year})
            return redirect("statistics:population_list")
    return render(request, "statistics/reference_population_form.html", {"form": form})


@insider_required
@never_cache
@require_http_methods(["GET", "POST"])
def population_correct_view(request: HttpRequest, year: int) -> HttpResponse:
    population = get_in_scope(selectors.population_list(), year=year)
    user = _keeper(request)
    form = PopulationForm(
        request.POST or None,
        year=year,
        initial={
            field.name: getattr(population, field.name)
            for field in dataclasses.fields(PopulationFigures)
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            population_correct(actor=user, population=population, figures=_figures(form))
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(
                request, _("The population of %(year)s is corrected.") % {"year": year}
            )
            return redirect(reverse("statistics:population_list"))
    return render(
        request,
        "statistics/reference_population_form.html",
        {"form": form, "population": population},
    )
