"""The output templates: the tables each international return asks for, cut from the
national breakdowns and protected in the same way wherever they appear.

All breakdowns of an indicator and year are protected together (``protect_year``), the
age bands jointly with the age groups and the countries jointly with the citizenship
groups, so a table shows the same cells withheld on the national tables page, in every
template, in every download and in the annual report.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from polku.actors.models import Organisation
from polku.reporting.selectors import (
    Vocabulary,
    YearFigures,
    awaited_sources,
    national_breakdowns,
)
from polku.reporting.tables import (
    NOT_GIVEN,
    TOTAL,
    Breakdown,
    Link,
    Table,
    protect_together,
    unprotected,
)
from polku.statistics.choices_returns import (
    AGE_BAND_CATEGORIES,
    CHILD,
    CHILD_AGE_BANDS,
    COUNTRY_CODES,
    UNKNOWN,
    Dimension,
)

SEX, AGE, CITIZENSHIP, FORM = (
    Dimension.SEX.value,
    Dimension.AGE_GROUP.value,
    Dimension.CITIZENSHIP.value,
    Dimension.EXPLOITATION_FORM.value,
)
COUNTRY = Dimension.COUNTRY.value


@dataclass(frozen=True)
class Section:
    """One indicator of a template and the breakdowns the template asks for."""

    indicator: str
    dimensions: tuple[str, ...]


@dataclass(frozen=True)
class OutputTemplate:
    code: str
    name: Promise
    description: Promise
    sections: tuple[Section, ...]
    rates: bool = False


TEMPLATES = (
    OutputTemplate(
        "eu-directive",
        _("EU Directive: annual data to the Commission"),
        _(
            "Registered victims by sex, age, citizenship and form of exploitation; suspects, "
            "prosecuted and convicted persons by sex, age and citizenship (Directive "
            "2011/36/EU as amended by Directive (EU) 2024/1712)."
        ),
        (
            Section("registered_victims", (SEX, AGE, CITIZENSHIP, FORM)),
            Section("suspects", (SEX, AGE, CITIZENSHIP)),
            Section("prosecuted", (SEX, AGE, CITIZENSHIP)),
            Section("convicted", (SEX, AGE, CITIZENSHIP)),
        ),
    ),
    OutputTemplate(
        "eurostat",
        _("Eurostat: trafficking in human beings (crim_thb)"),
        _(
            "Victims, suspects and convicted persons by sex, citizenship and form of "
            "exploitation, as in Eurostat's crim_thb tables."
        ),
        (
            Section("registered_victims", (SEX, CITIZENSHIP, FORM)),
            Section("suspects", (SEX, CITIZENSHIP, FORM)),
            Section("convicted", (SEX, CITIZENSHIP, FORM)),
        ),
    ),
    OutputTemplate(
        "greta",
        _("GRETA statistics table"),
        _(
            "The statistics GRETA asks of each Party: victims by sex, age, citizenship and "
            "form of exploitation, victims admitted to assistance, residence permits, "
            "investigations, prosecutions and convictions."
        ),
        (
            Section("registered_victims", (SEX, AGE, CITIZENSHIP, FORM)),
            Section("assistance_admitted", (SEX, AGE)),
            Section("residence_permits", (SEX, AGE)),
            Section("investigations_opened", (FORM,)),
            Section("prosecuted", (SEX,)),
            Section("convicted", (SEX,)),
        ),
    ),
    OutputTemplate(
        "sdg-16-2-2",
        _("SDG indicator 16.2.2"),
        _(
            "Number of victims of human trafficking per 100,000 population, by sex, age "
            "group and form of exploitation."
        ),
        (Section("registered_victims", (SEX, AGE, FORM)),),
        rates=True,
    ),
)
BY_CODE = {template.code: template for template in TEMPLATES}


ADULT = "adult"
NATIONAL, OTHER_EU, NON_EU = "national", "other_eu", "non_eu"
# The country whose nationals are "national" in the citizenship breakdown.
DEFAULT_COUNTRY = "FI"
# EU member states: the day each joined and, for the one that left, the day it left.
EU_MEMBERSHIP: dict[str, tuple[datetime.date, datetime.date | None]] = {
    **dict.fromkeys(("BE", "DE", "FR", "IT", "LU", "NL"), (datetime.date(1958, 1, 1), None)),
    **dict.fromkeys(("DK", "IE"), (datetime.date(1973, 1, 1), None)),
    "GB": (datetime.date(1973, 1, 1), datetime.date(2020, 1, 31)),
    "GR": (datetime.date(1981, 1, 1), None),
    **dict.fromkeys(("ES", "PT"), (datetime.date(1986, 1, 1), None)),
    **dict.fromkeys(("AT", "FI", "SE"), (datetime.date(1995, 1, 1), None)),
    **dict.fromkeys(
        ("CY", "CZ", "EE", "HU", "LT", "LV", "MT", "PL", "SI", "SK"),
        (datetime.date(2004, 5, 1), None),
    ),
    **dict.fromkeys(("BG", "RO"), (datetime.date(2007, 1, 1), None)),
    "HR": (datetime.date(2013, 7, 1), None),
}


def national_country() -> str:
    """The country whose citizens the citizenship breakdown counts as nationals
    (``POLKU_NATIONAL_COUNTRY``, an ISO 3166 code)."""
    return str(settings.POLKU_NATIONAL_COUNTRY or DEFAULT_COUNTRY)


def citizenship_groups(year: int, *, country: str) -> dict[str, frozenset[str]]:
    """The citizenship group of each country in ``year``: nationals of ``country``,
    citizens of another member state for the whole year, or of a non-EU country; a country
    that joined or left the EU during the year may have been counted as either."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    groups: dict[str, frozenset[str]] = {UNKNOWN: frozenset({UNKNOWN})}
    for code in COUNTRY_CODES:
        joined, left = EU_MEMBERSHIP.get(code, (None, None))
        if code == country:
            groups[code] = frozenset({NATIONAL})
        elif joined is None or joined > last or (left is not None and left < first):
            groups[code] = frozenset({NON_EU})
        elif joined <= first and (left is None or left > last):
            groups[code] = frozenset({OTHER_EU})
        else:
            groups[code] = frozenset({OTHER_EU, NON_EU})
    return groups


def age_groups() -> dict[str, frozenset[str]]:
    """The age group of each age band."""
    return {
        band: frozenset(
            {UNKNOWN if band == UNKNOWN else CHILD if band in CHILD_AGE_BANDS else ADULT}
        )
        for band in AGE_BAND_CATEGORIES
    }


def links(year: int) -> tuple[Link, ...]:
    """The breakdowns nested in others in ``year``: age bands in age groups, countries in
    citizenship groups."""
    return (
        Link(Dimension.AGE_GROUP.value, Dimension.AGE_BAND.value, age_groups(), UNKNOWN),
        Link(
            Dimension.CITIZENSHIP.value,
            Dimension.COUNTRY.value,
            citizenship_groups(year, country=national_country()),
            UNKNOWN,
        ),
    )


def linked_breakdowns(figures: YearFigures) -> dict[str, Breakdown]:
    """The year's breakdowns, the countries listing the national country and the unknown
    country even at zero when the citizenship breakdown is there too and every person's
    country is given.

    The country table lists only the countries counted. Were the national or the unknown
    country left out, the citizenship group that it alone can join would be seen to be
    zero from the countries listed, however well the citizenship table withheld it;
    listed, each is a zero like any other, withheld and protected (docs/adr/0014 and
    0018). Where some people's country is not given, that category joins every group and
    no group can be seen to be empty, so nothing is added."""
    breakdowns = dict(figures.breakdowns)
    countries = breakdowns.get(COUNTRY)
    if countries is None or CITIZENSHIP not in breakdowns or NOT_GIVEN in countries.categories:
        return breakdowns
    needed = [code for code in (national_country(), UNKNOWN) if code not in countries.categories]
    if not needed:
        return breakdowns
    counted = [
        (category, count)
        for category, count in zip(countries.categories, countries.counts, strict=True)
        if category != NOT_GIVEN
    ]
    counted += [(code, 0) for code in needed]
    counted.sort(key=lambda pair: (pair[0] == UNKNOWN, pair[0]))
    breakdowns[COUNTRY] = Breakdown.build(
        year=countries.year,
        indicator=countries.indicator,
        dimension=countries.dimension,
        total=countries.total,
        counts=counted,
    )
    return breakdowns


def protect_year(figures: YearFigures, *, threshold: int) -> dict[str, Table]:
    """Every breakdown of one indicator and year, protected together, by dimension, the
    nested breakdowns jointly with those they break down further."""
    breakdowns = linked_breakdowns(figures)
    dimensions = list(breakdowns)
    tables = protect_together(
        [breakdowns[dimension] for dimension in dimensions],
        threshold=threshold,
        links=links(figures.year),
    )
    return dict(zip(dimensions, tables, strict=True))


def unprotected_year(figures: YearFigures, *, threshold: int) -> dict[str, Table]:
    return {
        dimension: unprotected(breakdown, threshold=threshold)
        for dimension, breakdown in linked_breakdowns(figures).items()
    }


@dataclass
class SectionTables:
    """A template's section as built: its tables, the breakdowns not collected, and the
    national sources whose accepted return its national figure awaits (then it has none)."""

    section: Section
    tables: list[Table]
    not_collected: list[str]
    has_figures: bool
    awaited: list[Organisation] = field(default_factory=list)


def build(
    template: OutputTemplate, *, year: int, threshold: int, words: Vocabulary
) -> list[SectionTables]:
    """The template's tables for the year, protected."""
    codes = [section.indicator for section in template.sections]
    figures = national_breakdowns(years=[year], words=words, indicator_codes=codes)
    awaited = awaited_sources(years=[year], indicator_codes=codes)
    built = []
    for section in template.sections:
        waiting = awaited.get((year, section.indicator), [])
        found = figures.get((year, section.indicator))
        if found is None:
            built.append(SectionTables(section, [], [], False, waiting))
            continue
        protected = protect_year(found, threshold=threshold)
        chosen = [TOTAL, *(d for d in section.dimensions if d in protected)]
        missing = [d for d in section.dimensions if d not in protected]
        built.append(SectionTables(section, [protected[d] for d in chosen], missing, True, waiting))
    return built
