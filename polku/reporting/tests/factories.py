"""Accepted returns with figures, written straight into the tables for reporting's tests.

The returns' own approval chain is tested in polku/statistics; here only accepted (and a
few unaccepted) returns with known figures are needed.
"""

import datetime
from typing import Any

from django.utils import timezone

from polku.actors.choices import OrganisationKind
from polku.actors.models import Organisation
from polku.actors.tests.factories import make_organisation
from polku.reporting.choices import ReportStatus
from polku.reporting.models import AnnualReport
from polku.statistics.choices_returns import Dimension, ReturnStatus
from polku.statistics.models import Indicator, Population, Return, ReturnFigure
from polku.taxonomy.models import Category

Figures = dict[str, Any]


def make_return(
    *,
    organisation: Organisation,
    year: int,
    figures: dict[str, Figures],
    status: str = ReturnStatus.ACCEPTED,
) -> Return:
    """A return with figures per indicator: ``{"total": n, "sex": {"female": a, ...}}``."""
    statistics_return = Return.objects.create(
        organisation=organisation,
        year=year,
        status=status,
        accepted_at=timezone.now() if status == ReturnStatus.ACCEPTED else None,
    )
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    forms = {
        category.code: category
        for category in Category.objects.filter(
            typology__kind="exploitation_form", typology__is_current=True
        )
    }
    rows = []
    for code, given in figures.items():
        indicator = indicators[code]
        rows.append(
            ReturnFigure(
                statistics_return=statistics_return,
                indicator=indicator,
                dimension="",
                category="",
                value=given["total"],
            )
        )
        for dimension, cells in given.items():
            if dimension == "total":
                continue
            for category, value in cells.items():
                rows.append(
                    ReturnFigure(
                        statistics_return=statistics_return,
                        indicator=indicator,
                        dimension=dimension,
                        category=category,
                        value=value,
                        exploitation_form=forms.get(category)
                        if dimension == Dimension.EXPLOITATION_FORM
                        else None,
                    )
                )
    ReturnFigure.objects.bulk_create(rows)
    return statistics_return


def victims(
    total: int, *, female: int, male: int, child: int, national: int, sexual: int
) -> Figures:
    """Registered victims with every required breakdown; the rest of each goes to the
    other categories."""
    return {
        "total": total,
        "sex": {"female": female, "male": male, "unknown": total - female - male},
        "age_group": {"child": child, "adult": total - child},
        "citizenship": {"national": national, "non_eu": total - national},
        "exploitation_form": {"sexual_exploitation": sexual, "forced_labour": total - sexual},
    }


def persons(total: int, *, male: int, national: int) -> Figures:
    return {
        "total": total,
        "sex": {"male": male, "female": total - male},
        "age_group": {"adult": total},
        "citizenship": {"national": national, "non_eu": total - national},
    }


def make_population(year: int, total: int = 5_600_000) -> Population:
    return Population.objects.create(
        year=year,
        reference_date=datetime.date(year, 12, 31),
        total=total,
        males=total // 2,
        females=total - total // 2,
        source="Statistics Finland",
    )


def standard_year(year: int, *, scale: int = 1) -> list[Return]:
    """Two organisations' accepted returns for a year: the police (suspects and other
    criminal-justice figures, some victims) and the assistance system (most victims).

    Registered victims nationally: 160·scale in all, of whom 3 children (below the
    threshold whatever the scale) and 4 of unknown sex.
    """
    police, _created = Organisation.objects.get_or_create(
        name="National Police Board", defaults={"kind": OrganisationKind.AUTHORITY}
    )
    assistance, _created = Organisation.objects.get_or_create(
        name="Assistance system", defaults={"kind": OrganisationKind.AUTHORITY}
    )
    return [
        make_return(
            organisation=police,
            year=year,
            figures={
                "registered_victims": victims(
                    40 * scale,
                    female=20 * scale,
                    male=20 * scale - 2,
                    child=1,
                    national=15 * scale,
                    sexual=22 * scale,
                ),
                "suspects": persons(30 * scale, male=25 * scale, national=12 * scale),
                "prosecuted": persons(14 * scale, male=12 * scale, national=5 * scale),
                "convicted": persons(6, male=5, national=2),
                "investigations_opened": {
                    "total": 25 * scale,
                    "exploitation_form": {
                        "sexual_exploitation": 12 * scale,
                        "forced_labour": 13 * scale,
                    },
                },
            },
        ),
        make_return(
            organisation=assistance,
            year=year,
            figures={
                "registered_victims": victims(
                    120 * scale,
                    female=70 * scale,
                    male=50 * scale - 2,
                    child=2,
                    national=20 * scale,
                    sexual=40 * scale,
                ),
            },
        ),
    ]


def make_report(
    *, requested_by: Any, year: int = 2024, status: str = ReportStatus.READY, **fields: Any
) -> AnnualReport:
    """A report row without generating it (for permission and list tests)."""
    defaults: dict[str, Any] = {
        "version": AnnualReport.objects.filter(year=year).count() + 1,
        "threshold": 10,
        "data": {},
    }
    if status == ReportStatus.PUBLISHED:
        defaults["published_at"] = timezone.now()
        defaults["published_by"] = requested_by
    defaults.update(fields)
    return AnnualReport.objects.create(
        year=year, status=status, requested_by=requested_by, **defaults
    )


__all__ = ["make_organisation", "make_population", "make_report", "make_return", "standard_year"]
