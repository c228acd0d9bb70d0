"""The data an annual report is written from, protected and labelled in every language.

``build_snapshot`` reads the national sums of accepted returns once, protects every table
that the report shows, and keeps only what may be published: the counts of published
cells, a status for each withheld one, and the labels, definitions and notes in English,
Finnish and Swedish. The stored snapshot is the version of record; the pages, the PDF
files and the open data are all written from it.

Where an indicator's national source had no accepted return for a year when the report
was generated, the indicator has no national figure that year: the snapshot keeps the
source's name under the indicator's ``awaited``, and its trend (and the funnel) a point
with no count and the status ``awaited``, never a zero.
"""

from collections.abc import Callable
from typing import Any

from django.utils import translation

from polku.reporting import selectors
from polku.reporting.outputs import protect_year
from polku.reporting.selectors import Labels, Vocabulary, in_every_language, localised
from polku.reporting.tables import (
    AWAITED,
    PRIMARY,
    PUBLISHED,
    TOTAL,
    Table,
)
from polku.statistics.choices_returns import Dimension
from polku.statistics.selectors import estimates_for_annual_report
from polku.taxonomy.choices import TypologyKind
from polku.taxonomy.models import Typology

# The years of trend shown, the report's year included.
TREND_YEARS = 10
# The breakdowns the report shows for each indicator that has them; the national tables
# page offers the finer ones (age bands, countries).
REPORT_DIMENSIONS = (
    Dimension.SEX,
    Dimension.AGE_GROUP,
    Dimension.CITIZENSHIP,
    Dimension.EXPLOITATION_FORM,
)
FUNNEL = ("suspects", "prosecuted", "convicted")
SDG_INDICATOR = "registered_victims"
PER_POPULATION = 100_000

Progress = Callable[[int, int], None]


def _labels(words: Vocabulary, tables: list[Table]) -> dict[str, Any]:
    # The total's name is there even when no table is, for the row of an awaited figure.
    dimensions: dict[str, Labels] = {TOTAL: words.dimension_name(TOTAL)}
    categories: dict[str, dict[str, Labels]] = {}
    for table in tables:
        dimensions.setdefault(table.dimension, words.dimension_name(table.dimension))
        found = categories.setdefault(table.dimension, {})
        for cell in table.cells:
            if cell.category not in found:
                found[cell.category] = words.category_name(table.dimension, cell.category)
    return {"dimensions": dimensions, "categories": categories}


def _total_cell(table: Table) -> dict[str, Any]:
    return {"count": table.total.count, "status": table.total.status}


def _breaks(
    *, code: str, trend: list[dict[str, Any]], typology_years: list[int]
) -> list[dict[str, Any]]:
    """Where a series changes meaning: fewer or more organisations reporting, or a new
    typology of forms of exploitation."""
    notes: list[dict[str, Any]] = []
    previous: int | None = None
    # A year whose figure is awaited has no organisations to compare.
    trend = [point for point in trend if point["status"] != AWAITED]
    for point in trend:
        organisations = point["organisations"]
        if previous is not None and organisations != previous:
            notes.append(
                {
                    "year": point["year"],
                    "kind": "organisations",
                    "before": previous,
                    "after": organisations,
                }
            )
        previous = organisations
    years = {point["year"] for point in trend}
    for year in typology_years:
        if year in years and year != min(years):
            notes.append({"year": year, "kind": "typology"})
    return sorted(notes, key=lambda note: (note["year"], note["kind"]))


def sdg_rates(*, year: int, tables: dict[str, Table]) -> dict[str, Any] | None:
    """SDG 16.2.2: victims per 100,000 population by sex, age group and form, computed
    from the protected counts (a withheld count gives a withheld rate)."""
    population = selectors.population(year=year)
    if population is None or not tables:
        return None
    denominators = {
        (TOTAL, TOTAL): population.total,
        (Dimension.SEX, "female"): population.females,
        (Dimension.SEX, "male"): population.males,
        (Dimension.AGE_GROUP, "child"): population.children,
        (Dimension.AGE_GROUP, "adult"): population.adults,
    }
    rows: list[dict[str, Any]] = []
    for dimension in (TOTAL, Dimension.SEX, Dimension.AGE_GROUP, Dimension.EXPLOITATION_FORM):
        table = tables.get(dimension)
        if table is None:
            continue
        for cell in table.cells if dimension else (table.total,):
            if dimension and cell.category == TOTAL:
                continue
            if dimension and cell.category in ("unknown", "not_given"):
                continue
            if dimension == Dimension.EXPLOITATION_FORM:
                denominator: int | None = population.total
            else:
                denominator = denominators.get((dimension, cell.category))
            rate = None
            if cell.status == PUBLISHED and cell.count is not None and denominator:
                rate = round(cell.count * PER_POPULATION / denominator, 2)
            rows.append(
                {
                    "dimension": dimension,
                    "category": cell.category,
                    "status": cell.status,
                    "count": cell.count,
                    "population": denominator,
                    "rate": rate,
                }
            )
    return {
        "indicator": SDG_INDICATOR,
        "population_total": population.total,
        "population_source": population.source,
        "reference_date": population.reference_date.isoformat(),
        "rows": rows,
    }


def _estimates(year: int, threshold: int) -> list[dict[str, Any]]:
    """Accepted Multiple Systems Estimation figures: estimate and interval, never the table."""
    found: dict[int, dict[str, Any]] = {}
    for language in ("en", "fi", "sv"):
        with translation.override(language):
            for estimate in estimates_for_annual_report(year=year):
                entry = found.setdefault(
                    estimate.id,
                    {
                        "title": estimate.title,
                        "estimate": round(estimate.estimate),
                        "low": round(estimate.interval_low),
                        "high": round(estimate.interval_high),
                        "level": round(estimate.level * 100),
                        "lists": len(estimate.lists),
                        # The people seen are a count like any other: none below the
                        # threshold is published.
                        "observed": (
                            estimate.n_observed if estimate.n_observed >= threshold else None
                        ),
                        "organisation": estimate.organisation,
                        "method": {},
                        "interval_method": {},
                        "caveats": {},
                    },
                )
                entry["method"][language] = estimate.method_label
                entry["interval_method"][language] = estimate.interval_method_label
                entry["caveats"][language] = list(estimate.caveats)
    return list(found.values())


def build_snapshot(
    *, year: int, threshold: int, progress: Progress | None = None
) -> dict[str, Any]:
    """Everything the report for ``year`` shows, protected, as JSON-ready data."""
    words = selectors.vocabulary()
    years = [
        candidate
        for candidate in selectors.report_years()
        if year - TREND_YEARS < candidate <= year
    ]
    if year not in years:
        years.append(year)
    figures = selectors.national_breakdowns(years=years, words=words)
    awaited = selectors.awaited_sources(years=years, indicator_codes=list(words.indicators))
    typology_years = sorted(
        {
            typology.valid_from.year
            for typology in Typology.objects.filter(kind=TypologyKind.EXPLOITATION_FORM)
        }
    )
    indicators: list[dict[str, Any]] = []
    all_tables: list[Table] = []
    codes = list(words.indicators)
    for done, code in enumerate(codes):
        indicator = words.indicators[code]
        current = figures.get((year, code))
        tables: list[Table] = []
        if current is not None:
            protected = protect_year(current, threshold=threshold)
            chosen = [TOTAL, *(d for d in REPORT_DIMENSIONS if d in protected)]
            tables = [protected[dimension] for dimension in chosen]
        all_tables.extend(tables)
        trend: list[dict[str, Any]] = []
        for trend_year in sorted(years):
            point = figures.get((trend_year, code))
            if point is None:
                if (trend_year, code) in awaited:
                    # No figure, not a zero: the year is there, with nothing to draw.
                    trend.append(
                        {"year": trend_year, "count": None, "status": AWAITED, "organisations": 0}
                    )
                continue
            total = point.breakdowns[TOTAL].total
            if trend_year == year and tables:
                cell = _total_cell(tables[0])
            else:
                published = total >= threshold
                cell = {
                    "count": total if published else None,
                    "status": PUBLISHED if published else PRIMARY,
                }
            trend.append({"year": trend_year, **cell, "organisations": point.organisations})
        if all(point["status"] == AWAITED for point in trend):
            # A trend of nothing but awaited years has nothing to show; ``awaited`` says why.
            trend = []
        indicators.append(
            {
                "code": code,
                "unit": indicator.unit,
                "unit_name": in_every_language(indicator.get_unit_display()),
                "name": words.indicator_name(code),
                "definition": words.indicator_definition(code),
                "organisations": current.organisations if current else 0,
                "summed_across_organisations": (
                    current.summed_across_organisations if current else False
                ),
                "tables": [table.to_dict() for table in tables],
                "trend": trend,
                "breaks": _breaks(code=code, trend=trend, typology_years=typology_years),
                "awaited": [
                    {
                        "year": awaited_year,
                        "organisation": localised(
                            organisation.name, organisation.name_fi, organisation.name_sv
                        ),
                    }
                    for awaited_year in sorted(years)
                    for organisation in awaited.get((awaited_year, code), [])
                ],
            }
        )
        if progress is not None:
            progress(done + 1, len(codes))
    by_code = {entry["code"]: entry for entry in indicators}
    funnel = []
    for code in FUNNEL:
        entry = by_code.get(code)
        if entry is None:
            continue
        point = next((p for p in entry["trend"] if p["year"] == year), None)
        if point is not None:
            status = point["status"]
        else:
            status = AWAITED if (year, code) in awaited else "missing"
        funnel.append(
            {
                "indicator": code,
                "count": point["count"] if point else None,
                "status": status,
            }
        )
    sdg_tables = {
        table.dimension: table for table in all_tables if table.indicator == SDG_INDICATOR
    }
    return {
        "year": year,
        "threshold": threshold,
        "years": sorted(years),
        "indicators": indicators,
        "labels": _labels(words, all_tables),
        "funnel": funnel,
        "sdg": sdg_rates(year=year, tables=sdg_tables),
        "estimates": _estimates(year, threshold),
        "coverage": selectors.year_coverage(year=year),
    }
