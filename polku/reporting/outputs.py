"""The output templates: the tables each international return asks for, cut from the
national breakdowns and protected in the same way wherever they appear.

All breakdowns of an indicator and year are protected together (``protect_year``), so a
table shows the same cells withheld on the national tables page, in every template and in
the annual report.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from polku.reporting.selectors import Vocabulary, YearFigures, national_breakdowns
from polku.reporting.tables import TOTAL, Table, protect_together, unprotected
from polku.statistics.choices_returns import Dimension

SEX, AGE, CITIZENSHIP, FORM = (
    Dimension.SEX.value,
    Dimension.AGE_GROUP.value,
    Dimension.CITIZENSHIP.value,
    Dimension.EXPLOITATION_FORM.value,
)


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


def protect_year(figures: YearFigures, *, threshold: int) -> dict[str, Table]:
    """Every breakdown of one indicator and year, protected together, by dimension."""
    dimensions = list(figures.breakdowns)
    tables = protect_together(
        [figures.breakdowns[dimension] for dimension in dimensions], threshold=threshold
    )
    return dict(zip(dimensions, tables, strict=True))


def unprotected_year(figures: YearFigures, *, threshold: int) -> dict[str, Table]:
    return {
        dimension: unprotected(breakdown, threshold=threshold)
        for dimension, breakdown in figures.breakdowns.items()
    }


@dataclass
class SectionTables:
    """A template's section as built: its tables, and the breakdowns not collected."""

    section: Section
    tables: list[Table]
    not_collected: list[str]
    has_figures: bool


def build(
    template: OutputTemplate, *, year: int, threshold: int, words: Vocabulary
) -> list[SectionTables]:
    """The template's tables for the year, protected."""
    codes = [section.indicator for section in template.sections]
    figures = national_breakdowns(years=[year], words=words, indicator_codes=codes)
    built = []
    for section in template.sections:
        found = figures.get((year, section.indicator))
        if found is None:
            built.append(SectionTables(section, [], [], False))
            continue
        protected = protect_year(found, threshold=threshold)
        chosen = [TOTAL, *(d for d in section.dimensions if d in protected)]
        missing = [d for d in section.dimensions if d not in protected]
        built.append(SectionTables(section, [protected[d] for d in chosen], missing, True))
    return built
