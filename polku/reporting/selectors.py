"""Reads for reporting: national breakdowns of accepted returns, labels in every language,
and the reports each person may see.

National figures come only from ``polku.statistics.selectors_returns`` (sums of accepted
returns). Reports and commentaries start from the default-deny scopes in
``polku.reporting.permissions``.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import User
from polku.actors.models import Organisation
from polku.audit.services import audit_access
from polku.core.permissions import AnyUser, get_in_scope
from polku.reporting.choices import REPORT_LANGUAGES, ReportStatus
from polku.reporting.models import AnnualReport, RapporteurCommentary, ReportDocument
from polku.reporting.permissions import commentary_scope, report_scope
from polku.reporting.tables import NOT_GIVEN, TOTAL, Breakdown
from polku.statistics import selectors_returns
from polku.statistics.choices_returns import DIMENSION_ORDER, FIXED_CATEGORIES, UNKNOWN, Dimension
from polku.statistics.models import Indicator, Population
from polku.statistics.wording import awaited_source_sentence
from polku.taxonomy.models import Category

Labels = dict[str, str]


def threshold() -> int:
    """The disclosure threshold in force (``POLKU_DISCLOSURE_THRESHOLD``)."""
    return int(getattr(settings, "POLKU_DISCLOSURE_THRESHOLD", 10) or 10)


def in_every_language(text: object) -> Labels:
    """A translatable text (lazy or gettext'd at each call) in each report language."""
    labels: Labels = {}
    for language in REPORT_LANGUAGES:
        with translation.override(language):
            labels[language] = str(text)
    return labels


def localised(english: str, finnish: str, swedish: str) -> Labels:
    return {"en": english, "fi": finnish or english, "sv": swedish or english}


def pick(labels: Labels | str, language: str | None = None) -> str:
    """A label in the language (the active one by default), else in English."""
    if isinstance(labels, str):
        return labels
    language = (language or translation.get_language() or "en")[:2]
    return labels.get(language) or labels.get("en") or next(iter(labels.values()), "")


@dataclass(frozen=True)
class Vocabulary:
    """Names of indicators, dimensions and categories in every language, read once."""

    indicators: dict[str, Indicator]
    forms: dict[str, Category]

    def indicator_name(self, code: str) -> Labels:
        indicator = self.indicators.get(code)
        if indicator is None:
            return dict.fromkeys(REPORT_LANGUAGES, code)
        return localised(indicator.name, indicator.name_fi, indicator.name_sv)

    def indicator_definition(self, code: str) -> Labels:
        indicator = self.indicators.get(code)
        if indicator is None:
            return dict.fromkeys(REPORT_LANGUAGES, "")
        return localised(indicator.definition, indicator.definition_fi, indicator.definition_sv)

    def dimension_name(self, dimension: str) -> Labels:
        if not dimension:
            return in_every_language(_TOTAL_LABEL)
        if dimension in Dimension.values:
            return in_every_language(Dimension(dimension).label)
        return dict.fromkeys(REPORT_LANGUAGES, dimension)

    def category_name(self, dimension: str, code: str) -> Labels:
        if code == TOTAL:
            return in_every_language(_TOTAL_LABEL)
        if code == NOT_GIVEN:
            return in_every_language(_NOT_GIVEN_LABEL)
        if dimension == Dimension.EXPLOITATION_FORM and code in self.forms:
            form = self.forms[code]
            return localised(form.label, form.label_fi, form.label_sv)
        if dimension == Dimension.COUNTRY:
            if code == UNKNOWN:
                return in_every_language(_COUNTRY_UNKNOWN_LABEL)
            return dict.fromkeys(REPORT_LANGUAGES, code)
        fixed = FIXED_CATEGORIES.get(dimension, {})
        if code in fixed:
            return in_every_language(fixed[code])
        return dict.fromkeys(REPORT_LANGUAGES, code)

    def categories_of(self, dimension: str) -> list[str]:
        """Every category a breakdown shows even when its count is zero, in order."""
        if dimension == Dimension.EXPLOITATION_FORM:
            return list(self.forms)
        if dimension == Dimension.COUNTRY:
            return []
        return list(FIXED_CATEGORIES.get(dimension, {}))


_TOTAL_LABEL = _("Total")
_NOT_GIVEN_LABEL = _("Not broken down by every organisation")
_COUNTRY_UNKNOWN_LABEL = _("Country not known")


def vocabulary() -> Vocabulary:
    """Indicators (active ones, in order) and the current forms of exploitation."""
    indicators = {
        indicator.code: indicator for indicator in selectors_returns.indicators_for_reporting()
    }
    return Vocabulary(indicators=indicators, forms=selectors_returns.current_forms())


def report_years() -> list[int]:
    """Years with accepted returns, oldest first."""
    return selectors_returns.accepted_years()


def population(*, year: int) -> Population | None:
    return selectors_returns.population_for(year=year)


@dataclass(frozen=True)
class YearFigures:
    """The national breakdowns of one indicator and year, by dimension (``""`` = total),
    and how many organisations' accepted returns the total sums."""

    year: int
    indicator: str
    breakdowns: dict[str, Breakdown]
    organisations: int
    # No national source is designated: the total sums every organisation's count, so a
    # person may be counted more than once.
    summed_across_organisations: bool = False


def national_breakdowns(
    *,
    years: Iterable[int],
    words: Vocabulary,
    indicator_codes: Iterable[str] | None = None,
) -> dict[tuple[int, str], YearFigures]:
    """Every indicator's breakdowns for each year with accepted returns, keyed by year and
    indicator. Fixed categories and the current forms are listed even at zero; countries
    only where counted."""
    codes = list(indicator_codes) if indicator_codes is not None else list(words.indicators)
    figures = selectors_returns.national_figures(years=list(years), indicator_codes=codes)
    totals: dict[tuple[int, str], tuple[int, int]] = {}
    summed: set[tuple[int, str]] = set()
    cells: dict[tuple[int, str], dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for figure in figures:
        key = (figure.year, figure.indicator_code)
        if not figure.dimension:
            totals[key] = (figure.value, figure.organisations)
            if figure.summed_across_organisations:
                summed.add(key)
        else:
            cells[key][figure.dimension][figure.category] = figure.value
    found: dict[tuple[int, str], YearFigures] = {}
    for key in sorted(set(totals) | set(cells)):
        year, code = key
        total, organisations = totals.get(key, (0, 0))
        indicator = words.indicators.get(code)
        dimensions = indicator.ordered_dimensions if indicator is not None else []
        given = cells.get(key, {})
        extra = [dimension for dimension in given if dimension not in dimensions]
        breakdowns = {
            TOTAL: Breakdown.build(
                year=year, indicator=code, dimension=TOTAL, total=total, counts=[]
            )
        }
        for dimension in [*dimensions, *sorted(extra, key=_dimension_order)]:
            counted = given.get(dimension, {})
            if not counted:
                # An optional breakdown no organisation gave: nothing to show.
                continue
            listed = words.categories_of(dimension)
            ordered = listed + sorted(
                (category for category in counted if category not in listed),
                key=lambda category: (category == UNKNOWN, category),
            )
            breakdowns[dimension] = Breakdown.build(
                year=year,
                indicator=code,
                dimension=dimension,
                total=total,
                counts=[(category, counted.get(category, 0)) for category in ordered],
            )
        found[key] = YearFigures(year, code, breakdowns, organisations, key in summed)
    return found


def awaiting_note(organisation: str) -> str:
    """The note that a national figure awaits its source, as plain text in the active
    language, for a download."""
    return awaited_source_sentence(organisation)


def awaiting_note_html(organisation: str) -> SafeString:
    """The note for a page, in the active language: the words as translated, the
    organisation's name escaped (as ``{% blocktranslate %}`` would)."""
    return mark_safe(  # noqa: S308 - the translated words, and the name escaped
        awaited_source_sentence(str(conditional_escape(organisation)))
    )


def awaited_sources(
    *, years: Iterable[int], indicator_codes: Iterable[str] | None = None
) -> dict[tuple[int, str], list[Organisation]]:
    """The national sources whose accepted return each indicator's national figure awaits,
    keyed by year and indicator code: until it is accepted, the indicator has no national
    figure that year, and no other organisation's count stands in for it (that would
    count a person twice). Two queries, however many years and indicators."""
    awaited: dict[tuple[int, str], list[Organisation]] = defaultdict(list)
    for source in selectors_returns.awaited_national_sources(
        years=years, indicator_codes=indicator_codes
    ):
        awaited[(source.year, source.indicator_code)].append(source.organisation)
    return dict(awaited)


def _dimension_order(dimension: str) -> int:
    order = [str(value) for value in DIMENSION_ORDER]
    return order.index(dimension) if dimension in order else len(order)


def year_coverage(*, year: int) -> dict[str, object]:
    """How many organisations report in the year, and whose returns are not yet accepted."""
    coverage = selectors_returns.year_coverage(year=year)
    missing = [
        localised(entry.organisation.name, entry.organisation.name_fi, entry.organisation.name_sv)
        for entry in coverage
        if not entry.accepted
    ]
    return {
        "reporting": len(coverage),
        "accepted": len(coverage) - len(missing),
        "missing": missing,
    }


def unprotected_read(*, user: User, what: str, detail: dict[str, object]) -> None:
    """Records that someone in the secretariat read national figures before protection."""
    audit_access(actor=user, action=f"reporting.unprotected.{what}", detail=detail)


# ---------------------------------------------------------------------------------------
# Reports
# ---------------------------------------------------------------------------------------


def report_list(*, user: AnyUser) -> QuerySet[AnnualReport]:
    """The reports the person may see, newest year and version first."""
    return (
        report_scope(user)
        .defer("data")
        .select_related("requested_by", "published_by")
        .order_by("-year", "-version")
    )


def report_get(*, user: AnyUser, pk: int) -> AnnualReport:
    """One report in the person's scope, its data included; 404 otherwise."""
    return get_in_scope(report_scope(user).select_related("requested_by", "published_by"), pk=pk)


def report_progress(*, user: AnyUser, pk: int) -> AnnualReport:
    """One report's status and progress, without its data."""
    return get_in_scope(report_scope(user).defer("data"), pk=pk)


def latest_published(*, year: int | None = None) -> AnnualReport | None:
    """The newest published report (of the year, if given)."""
    reports = AnnualReport.objects.filter(status=ReportStatus.PUBLISHED)
    if year is not None:
        reports = reports.filter(year=year)
    return reports.order_by("-year", "-version").first()


def published_years() -> list[int]:
    return list(
        AnnualReport.objects.filter(status=ReportStatus.PUBLISHED)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def newer_published(*, report: AnnualReport) -> AnnualReport | None:
    """A later published version of the same year, if there is one."""
    return (
        AnnualReport.objects.filter(
            status=ReportStatus.PUBLISHED, year=report.year, version__gt=report.version
        )
        .defer("data")
        .order_by("-version")
        .first()
    )


def document_html(*, report: AnnualReport, language: str) -> str:
    """The report's page body in the language (English if that one is missing)."""
    documents = dict(
        ReportDocument.objects.filter(report=report, language__in={language, "en"}).values_list(
            "language", "html"
        )
    )
    return documents.get(language) or documents.get("en", "")


def document_pdf(*, report: AnnualReport, language: str) -> bytes | None:
    found = (
        ReportDocument.objects.filter(report=report, language=language)
        .values_list("pdf", flat=True)
        .first()
    )
    return bytes(found) if found is not None else None


def commentary_for(*, user: AnyUser, report: AnnualReport) -> RapporteurCommentary | None:
    """The rapporteur's commentary on the report, if the person may read it."""
    return (
        commentary_scope(user)
        .filter(report=report)
        .select_related("organisation", "author")
        .first()
    )
