"""The rules every return's figures must meet, whether typed, uploaded or sent by the API.

Input arrives as ``Entry`` rows of text. ``check_figures`` turns them into clean figures
and a list of ``Problem``s, each naming the row, the column and what is wrong; callers
change nothing while there is any problem. ``check_jumps`` lists the large changes from
the previous accepted year, which the submitter confirms before submitting.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from polku.actors.models import Organisation
from polku.statistics.choices_returns import (
    CHILD,
    CHILD_AGE_BANDS,
    COUNTRY_CODES,
    DIMENSION_ORDER,
    FIXED_CATEGORIES,
    OPTIONAL_DIMENSIONS,
    UNKNOWN,
    Dimension,
    ReturnStatus,
)
from polku.statistics.models import Indicator, ReportingAssignment, Return, ReturnFigure
from polku.taxonomy.choices import TypologyKind
from polku.taxonomy.models import Category
from polku.taxonomy.selectors import category_choices

# The largest count accepted in one figure; anything above is a typing error.
MAX_VALUE = 1_000_000
# A total that changes by more than this share and more than this many from the previous
# accepted year is flagged for the submitter to confirm.
JUMP_SHARE = 0.5
JUMP_MINIMUM = 10

FIELDS = ("indicator", "dimension", "category", "value")
_WHOLE_NUMBER = re.compile(r"^[+-]?\d+$")


@dataclass(frozen=True)
class Entry:
    """One figure as given, with where it was given: ``row`` and a column per field."""

    indicator: str
    dimension: str
    category: str
    value: str
    row: str
    columns: Mapping[str, str] | None = None

    def column(self, name: str) -> str:
        return (self.columns or {}).get(name, name)

    @property
    def key(self) -> tuple[str, str, str]:
        """The cell the entry is meant for, as typed (for pointing problems at form fields)."""
        return (self.indicator.strip(), self.dimension.strip().lower(), self.category.strip())


@dataclass(frozen=True)
class Problem:
    """What is wrong, and where: the row and the column of the input."""

    row: str
    column: str
    message: str
    key: tuple[str, str, str] | None = None

    def __str__(self) -> str:
        return _("Row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass(frozen=True)
class CleanFigure:
    indicator: Indicator
    dimension: str
    category: str
    exploitation_form: Category | None
    value: int
    entry: Entry

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.indicator.code, self.dimension, self.category)


@dataclass
class Context:
    """What the rules need to know about the return the figures are for."""

    organisation: Organisation
    year: int
    indicators: dict[str, Indicator]
    assigned: dict[str, Indicator]
    forms: dict[str, Category]
    problems: list[Problem] = field(default_factory=list)


def context_for(*, organisation: Organisation, year: int) -> Context:
    """The indicators, assignments and forms of exploitation the figures are checked against."""
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    assigned = assigned_indicators(organisation=organisation, year=year)
    forms = {
        category.code: category
        for category in category_choices(kind=TypologyKind.EXPLOITATION_FORM).select_related(
            "typology"
        )
    }
    return Context(
        organisation=organisation,
        year=year,
        indicators=indicators,
        assigned={indicator.code: indicator for indicator in assigned},
        forms=forms,
    )


def assigned_indicators(*, organisation: Organisation, year: int) -> list[Indicator]:
    """The active indicators the organisation reports for the year, in their order."""
    assignments = (
        ReportingAssignment.objects.filter(
            organisation=organisation, from_year__lte=year, indicator__is_active=True
        )
        .exclude(to_year__lt=year)
        .select_related("indicator")
    )
    found = {assignment.indicator.code: assignment.indicator for assignment in assignments}
    return sorted(found.values(), key=lambda indicator: (indicator.order, indicator.code))


def category_codes(dimension: str, forms: Mapping[str, Category]) -> list[str]:
    """The codes a breakdown by ``dimension`` accepts (countries: ``unknown`` only here)."""
    if dimension == Dimension.EXPLOITATION_FORM:
        return list(forms)
    if dimension == Dimension.COUNTRY:
        return [UNKNOWN]
    return list(FIXED_CATEGORIES.get(dimension, {}))


def category_label(dimension: str, code: str, forms: Mapping[str, Category]) -> str:
    """The label of a category in the active language (a country is shown by its code)."""
    if dimension == Dimension.EXPLOITATION_FORM and code in forms:
        return forms[code].display_label
    if dimension == Dimension.COUNTRY:
        return _("Country not known") if code == UNKNOWN else code
    labels = FIXED_CATEGORIES.get(dimension, {})
    return str(labels.get(code, code))


def cell_row_label(dimension: str, category: str, forms: Mapping[str, Category]) -> str:
    """How the form names the row of a cell: "Total", or the dimension and the category."""
    if not dimension:
        return _("Total")
    return _("%(dimension)s: %(category)s") % {
        "dimension": dimension_label(dimension),
        "category": category_label(dimension, category, forms),
    }


def dimension_label(dimension: str) -> str:
    return str(Dimension(dimension).label) if dimension in Dimension.values else dimension


def _normalise_category(dimension: str, text: str) -> str:
    return (
        text.upper() if dimension == Dimension.COUNTRY and text.lower() != UNKNOWN else text.lower()
    )


def _parse_value(entry: Entry) -> tuple[int | None, str | None]:
    text = entry.value.strip()
    if not text:
        return None, _("Enter a number.")
    if not _WHOLE_NUMBER.match(text):
        return None, _("Enter a whole number, not “%(value)s”.") % {"value": text}
    number = int(text)
    if number < 0:
        return None, _("Enter 0 or more, not “%(value)s”.") % {"value": text}
    if number > MAX_VALUE:
        return None, _("%(value)s is more than %(max)s: check the number.") % {
            "value": text,
            "max": MAX_VALUE,
        }
    return number, None


def _parse(entry: Entry, context: Context) -> tuple[CleanFigure | None, list[Problem]]:
    problems: list[Problem] = []

    def refuse(column: str, message: str) -> None:
        problems.append(
            Problem(row=entry.row, column=entry.column(column), message=message, key=entry.key)
        )

    code = entry.indicator.strip()
    indicator = context.indicators.get(code)
    if not code:
        refuse("indicator", _("Enter the indicator's code."))
    elif indicator is None:
        refuse(
            "indicator",
            _("There is no indicator “%(code)s”. Use one of: %(codes)s.")
            % {"code": code, "codes": ", ".join(context.assigned) or "—"},
        )
    elif code not in context.assigned:
        refuse(
            "indicator",
            _("“%(indicator)s” is not among the indicators %(organisation)s reports for %(year)s.")
            % {
                "indicator": indicator.display_name,
                "organisation": context.organisation.display_name,
                "year": context.year,
            },
        )
        indicator = None

    dimension = entry.dimension.strip().lower()
    dimension_ok = True
    if dimension and dimension not in Dimension.values:
        dimension_ok = False
        refuse(
            "dimension",
            _(
                "There is no dimension “%(value)s”. Use one of: %(choices)s, or leave it empty "
                "for the total."
            )
            % {"value": entry.dimension.strip(), "choices": ", ".join(DIMENSION_ORDER)},
        )
    elif dimension and indicator is not None and dimension not in indicator.dimensions:
        dimension_ok = False
        refuse(
            "dimension",
            _(
                "“%(indicator)s” is not broken down by %(dimension)s. Use one of: %(choices)s, "
                "or leave it empty for the total."
            )
            % {
                "indicator": indicator.display_name,
                "dimension": dimension_label(dimension).lower(),
                "choices": ", ".join(indicator.ordered_dimensions) or "—",
            },
        )

    category = _normalise_category(dimension, entry.category.strip())
    form: Category | None = None
    if not dimension and category:
        refuse("category", _("Leave the category empty for a total."))
    elif dimension and not category:
        refuse("category", _("Enter the category."))
    elif dimension and dimension_ok:
        if dimension == Dimension.COUNTRY:
            if category != UNKNOWN and category not in COUNTRY_CODES:
                refuse(
                    "category",
                    _(
                        "“%(value)s” is not a country code. Use a two-letter ISO 3166 code such "
                        "as FI, or unknown."
                    )
                    % {"value": entry.category.strip()},
                )
        elif category not in category_codes(dimension, context.forms):
            refuse(
                "category",
                _("There is no category “%(value)s” of %(dimension)s. Use one of: %(choices)s.")
                % {
                    "value": entry.category.strip(),
                    "dimension": dimension_label(dimension).lower(),
                    "choices": ", ".join(category_codes(dimension, context.forms)),
                },
            )
        elif dimension == Dimension.EXPLOITATION_FORM:
            form = context.forms[category]

    value, value_problem = _parse_value(entry)
    if value_problem:
        refuse("value", value_problem)

    if problems or indicator is None or value is None:
        return None, problems
    return CleanFigure(indicator, dimension, category, form, value, entry), []


def check_figures(
    entries: Iterable[Entry], *, context: Context, complete: bool = False
) -> tuple[list[CleanFigure], list[Problem]]:
    """Clean figures and every problem with them; ``complete`` adds the rules of submission."""
    problems: list[Problem] = []
    figures: list[CleanFigure] = []
    seen: dict[tuple[str, str, str], Entry] = {}
    spoiled: set[str] = set()
    for entry in entries:
        figure, found = _parse(entry, context)
        if found:
            problems.extend(found)
            spoiled.add(entry.indicator.strip())
            continue
        assert figure is not None
        earlier = seen.get(figure.key)
        if earlier is not None:
            problems.append(
                Problem(
                    row=entry.row,
                    column=entry.column("category" if figure.dimension else "indicator"),
                    message=_("This figure is given twice: also in row %(row)s.")
                    % {"row": earlier.row},
                    key=entry.key,
                )
            )
            spoiled.add(figure.indicator.code)
            continue
        seen[figure.key] = entry
        figures.append(figure)

    by_indicator: dict[str, list[CleanFigure]] = defaultdict(list)
    for figure in figures:
        by_indicator[figure.indicator.code].append(figure)
    for code, own in by_indicator.items():
        if code not in spoiled:
            problems.extend(_check_sums(own))
    if complete:
        problems.extend(_check_complete(by_indicator, context))
    return figures, problems


def _check_sums(figures: list[CleanFigure]) -> list[Problem]:
    problems: list[Problem] = []
    indicator = figures[0].indicator
    total = next((figure for figure in figures if not figure.dimension), None)
    breakdowns: dict[str, list[CleanFigure]] = defaultdict(list)
    for figure in figures:
        if figure.dimension:
            breakdowns[figure.dimension].append(figure)
    if total is None:
        if breakdowns:
            first = next(iter(breakdowns.values()))[0]
            problems.append(
                Problem(
                    row=first.entry.row,
                    column=first.entry.column("value"),
                    message=_(
                        "Give the total of “%(indicator)s” as well: its breakdowns are "
                        "checked against it."
                    )
                    % {"indicator": indicator.display_name},
                    key=first.entry.key,
                )
            )
        return problems
    for dimension in DIMENSION_ORDER:
        cells = breakdowns.get(dimension)
        if not cells:
            continue
        children = [
            cell
            for cell in cells
            if (dimension == Dimension.AGE_GROUP and cell.category == CHILD)
            or (dimension == Dimension.AGE_BAND and cell.category in CHILD_AGE_BANDS)
        ]
        child_count = sum(cell.value for cell in children)
        if children and child_count > total.value:
            problems.append(
                Problem(
                    row=children[0].entry.row,
                    column=children[0].entry.column("value"),
                    message=_(
                        "The children (%(children)s) are more than the total of "
                        "“%(indicator)s” (%(total)s)."
                    )
                    % {
                        "children": child_count,
                        "indicator": indicator.display_name,
                        "total": total.value,
                    },
                    key=children[0].entry.key,
                )
            )
            continue
        added = sum(cell.value for cell in cells)
        if added != total.value:
            problems.append(
                Problem(
                    row=total.entry.row,
                    column=total.entry.column("value"),
                    message=_(
                        "The figures by %(dimension)s add up to %(sum)s, but the total of "
                        "“%(indicator)s” is %(total)s."
                    )
                    % {
                        "dimension": dimension_label(dimension).lower(),
                        "sum": added,
                        "indicator": indicator.display_name,
                        "total": total.value,
                    },
                    key=total.entry.key,
                )
            )
    return problems


def _check_complete(
    by_indicator: Mapping[str, list[CleanFigure]], context: Context
) -> list[Problem]:
    problems: list[Problem] = []
    total_row = _("Total")
    for code, indicator in context.assigned.items():
        own = by_indicator.get(code, [])
        total = next((figure for figure in own if not figure.dimension), None)
        column = indicator.display_name
        if total is None:
            problems.append(
                Problem(
                    row=total_row,
                    column=column,
                    message=_("Enter the total of “%(indicator)s”.")
                    % {"indicator": indicator.display_name},
                    key=(code, "", ""),
                )
            )
            continue
        if total.value == 0:
            continue
        given = {figure.dimension for figure in own}
        for dimension in indicator.ordered_dimensions:
            if dimension in OPTIONAL_DIMENSIONS or dimension in given:
                continue
            codes = category_codes(dimension, context.forms)
            fallback = UNKNOWN if UNKNOWN in codes else (codes[-1] if codes else "")
            problems.append(
                Problem(
                    row=dimension_label(dimension),
                    column=column,
                    message=_(
                        "Give “%(indicator)s” by %(dimension)s; put what is not known under "
                        "“%(unknown)s”."
                    )
                    % {
                        "indicator": indicator.display_name,
                        "dimension": dimension_label(dimension).lower(),
                        "unknown": category_label(dimension, fallback, context.forms),
                    },
                    key=(code, dimension, codes[0] if codes else ""),
                )
            )
    return problems


@dataclass(frozen=True)
class Jump:
    """A total that changed much from the previous accepted year."""

    indicator: Indicator
    previous_year: int
    previous: int
    current: int

    @property
    def message(self) -> str:
        return _(
            "“%(indicator)s” is %(current)s, against %(previous)s in %(year)s. Check that the "
            "figure is right."
        ) % {
            "indicator": self.indicator.display_name,
            "current": self.current,
            "previous": self.previous,
            "year": self.previous_year,
        }


def is_jump(previous: int, current: int) -> bool:
    """More than 50 % and more than 10 away from the previous year's figure."""
    difference = abs(current - previous)
    if difference <= JUMP_MINIMUM:
        return False
    return previous == 0 or difference / previous > JUMP_SHARE


def check_jumps(*, organisation: Organisation, year: int, totals: Mapping[str, int]) -> list[Jump]:
    """Totals that moved far from the organisation's latest accepted earlier year."""
    previous_return = (
        Return.objects.filter(
            organisation=organisation, year__lt=year, status=ReturnStatus.ACCEPTED
        )
        .order_by("-year")
        .first()
    )
    if previous_return is None:
        return []
    previous = {
        figure.indicator.code: (figure.indicator, figure.value)
        for figure in ReturnFigure.objects.filter(
            statistics_return=previous_return, dimension=""
        ).select_related("indicator")
    }
    jumps: list[Jump] = []
    for code, current in totals.items():
        if code not in previous:
            continue
        indicator, earlier = previous[code]
        if is_jump(earlier, current):
            jumps.append(Jump(indicator, previous_return.year, earlier, current))
    return jumps


def entries_from_figures(
    figures: Iterable[ReturnFigure], forms: Mapping[str, Category]
) -> list[Entry]:
    """Stored figures as entries, named as the form names its cells, to check them again."""
    entries = []
    for figure in figures:
        row = cell_row_label(figure.dimension, figure.category, forms)
        column = figure.indicator.display_name
        entries.append(
            Entry(
                indicator=figure.indicator.code,
                dimension=figure.dimension,
                category=figure.category,
                value=str(figure.value),
                row=row,
                columns=dict.fromkeys(FIELDS, column),
            )
        )
    return entries
