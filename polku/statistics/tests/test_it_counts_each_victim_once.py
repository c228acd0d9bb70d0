"""A national figure comes from the indicator's national source, so a victim registered by
several organisations is counted once; without a national source the sum is marked."""

import pytest
from django.core.exceptions import PermissionDenied

from conftest import Personas
from polku.actors import demo as actors_demo
from polku.actors.models import Organisation
from polku.audit.models import AuditEvent
from polku.statistics import demo_returns
from polku.statistics.choices_returns import ReturnStatus
from polku.statistics.models import Indicator, ReportingAssignment
from polku.statistics.selectors_returns import (
    SUMMED_ACROSS_ORGANISATIONS_NOTE,
    NationalFigure,
    figures_by_organisation,
    national_figures,
)
from polku.statistics.services.indicators import assignment_add, assignment_set_national_source
from polku.statistics.tests.test_it_collects_returns import (
    Reporting,
    make_return,
    set_up_reporting,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporting(personas: Personas) -> Reporting:
    """The data provider's organisation (the police, say) and the assistance system both
    report registered victims and suspects."""
    return set_up_reporting(personas)


def _designate(reporting: Reporting, organisation: Organisation, code: str) -> None:
    assignment = ReportingAssignment.objects.get(organisation=organisation, indicator__code=code)
    assignment_set_national_source(
        actor=reporting.coordinator, assignment=assignment, is_national_source=True
    )


def _cells(
    figures: list[NationalFigure], code: str, year: int = 2024
) -> dict[tuple[str, str], tuple[int, int, bool]]:
    return {
        (f.dimension, f.category): (f.value, f.organisations, f.summed_across_organisations)
        for f in figures
        if f.indicator_code == code and f.year == year
    }


def test_it_takes_the_national_figure_from_the_national_source_alone(
    reporting: Reporting,
) -> None:
    """With the assistance system as national source of registered victims, the national
    figure is its 7, not 10 + 7; each organisation's own figure is still there."""
    assistance_system = reporting.other
    make_return(reporting, status=ReturnStatus.ACCEPTED, victims=10)
    make_return(reporting, status=ReturnStatus.ACCEPTED, victims=7, other=True)
    _designate(reporting, assistance_system, "registered_victims")

    victims = _cells(national_figures(years=[2024]), "registered_victims")
    assert victims[("", "")] == (7, 1, False)
    assert victims[("sex", "female")] == (7, 1, False)
    assert victims[("exploitation_form", "forced_labour")] == (7, 1, False)
    assert all(not flagged for _value, _count, flagged in victims.values())

    per_organisation = {
        f.organisation_name: f.value
        for f in figures_by_organisation(years=[2024], indicator_codes=["registered_victims"])
        if not f.dimension
    }
    assert per_organisation == {reporting.organisation.name: 10, assistance_system.name: 7}


def test_it_sums_and_marks_the_figures_of_an_indicator_without_a_national_source(
    reporting: Reporting,
) -> None:
    """Suspects have no national source: both organisations' figures are added and every row
    says so, while registered victims from their national source are not marked."""
    make_return(reporting, status=ReturnStatus.ACCEPTED, victims=10)
    make_return(reporting, status=ReturnStatus.ACCEPTED, victims=7, other=True)
    _designate(reporting, reporting.other, "registered_victims")

    figures = national_figures(years=[2024], indicator_codes=["suspects", "registered_victims"])
    suspects = _cells(figures, "suspects")
    assert suspects[("", "")] == (8, 2, True)
    assert suspects[("sex", "male")] == (8, 2, True)
    assert all(flagged for _value, _count, flagged in suspects.values())
    assert _cells(figures, "registered_victims")[("", "")] == (7, 1, False)
    assert "more than once" in str(SUMMED_ACROSS_ORGANISATIONS_NOTE)


def test_it_sums_and_marks_every_figure_when_no_source_is_designated(
    reporting: Reporting,
) -> None:
    """Without any designation the national figure is the sum, as before, marked."""
    make_return(reporting, status=ReturnStatus.ACCEPTED, victims=10)
    make_return(reporting, status=ReturnStatus.ACCEPTED, victims=7, other=True)
    victims = _cells(national_figures(years=[2024]), "registered_victims")
    assert victims[("", "")] == (17, 2, True)
    assert victims[("age_group", "adult")] == (17, 2, True)


def test_it_gives_no_national_figure_until_the_national_source_is_accepted(
    reporting: Reporting,
) -> None:
    """Another organisation's accepted figure does not stand in for the national source's."""
    make_return(reporting, status=ReturnStatus.ACCEPTED, victims=10)
    make_return(reporting, status=ReturnStatus.VALIDATED, victims=7, other=True)
    _designate(reporting, reporting.other, "registered_victims")
    figures = national_figures(years=[2024])
    assert _cells(figures, "registered_victims") == {}
    assert _cells(figures, "suspects")[("", "")] == (4, 1, True)


def test_it_follows_the_national_source_only_in_its_years(reporting: Reporting) -> None:
    """The assistance system becomes the national source from 2024: 2023 is still summed
    and marked, 2024 is its figure alone."""
    assistance_system = reporting.other
    ReportingAssignment.objects.filter(
        organisation=assistance_system, indicator__code="registered_victims"
    ).update(to_year=2023)
    assignment_add(
        actor=reporting.coordinator,
        organisation=assistance_system,
        indicator=Indicator.objects.get(code="registered_victims"),
        from_year=2024,
        is_national_source=True,
    )
    for year in (2023, 2024):
        make_return(reporting, status=ReturnStatus.ACCEPTED, victims=10, year=year)
        make_return(reporting, status=ReturnStatus.ACCEPTED, victims=7, other=True, year=year)
    figures = national_figures(years=[2023, 2024], indicator_codes=["registered_victims"])
    assert _cells(figures, "registered_victims", 2023)[("", "")] == (17, 2, True)
    assert _cells(figures, "registered_victims", 2024)[("", "")] == (7, 1, False)


def test_it_lets_only_the_coordination_designate_and_audits_it(
    reporting: Reporting, personas: Personas
) -> None:
    """A data provider cannot designate; the coordinator's designation and its withdrawal
    are audited with before and after."""
    assignment = ReportingAssignment.objects.get(
        organisation=reporting.other, indicator__code="registered_victims"
    )
    with pytest.raises(PermissionDenied):
        assignment_set_national_source(
            actor=personas.dataprovider, assignment=assignment, is_national_source=True
        )
    assignment.refresh_from_db()
    assert not assignment.is_national_source
    assert not AuditEvent.objects.filter(action="statistics.assignment.national_source").exists()

    assignment_set_national_source(
        actor=reporting.coordinator, assignment=assignment, is_national_source=True
    )
    assignment.refresh_from_db()
    assert assignment.is_national_source
    assert assignment.updated_by == reporting.coordinator
    event = AuditEvent.objects.get(action="statistics.assignment.national_source")
    assert event.actor == reporting.coordinator
    assert event.before is not None and event.after is not None
    assert (event.before["is_national_source"], event.after["is_national_source"]) == (
        False,
        True,
    )

    assignment_set_national_source(
        actor=reporting.coordinator, assignment=assignment, is_national_source=True
    )
    assert AuditEvent.objects.filter(action="statistics.assignment.national_source").count() == 1
    assignment_set_national_source(
        actor=reporting.coordinator, assignment=assignment, is_national_source=False
    )
    assignment.refresh_from_db()
    assert not assignment.is_national_source
    assert AuditEvent.objects.filter(action="statistics.assignment.national_source").count() == 2


def test_it_designates_a_national_source_for_every_indicator_the_demo_loads() -> None:
    """Every indicator the demo reports has a national source, none of its accepted years'
    figures is a marked sum, and the national registered victims are the assistance
    system's alone although the police and the border guard register victims too."""
    actors_demo.load()
    demo_returns.load()
    loaded = {series.indicator for reporter in demo_returns.REPORTERS for series in reporter.series}
    designated = set(
        ReportingAssignment.objects.filter(is_national_source=True).values_list(
            "indicator__code", flat=True
        )
    )
    assert loaded <= designated
    assert len(loaded) == 8

    figures = national_figures(years=range(2021, 2025))
    assert figures
    assert not [figure for figure in figures if figure.summed_across_organisations]
    assert {figure.indicator_code for figure in figures} == loaded

    by_organisation = {
        f.organisation_name: f.value
        for f in figures_by_organisation(years=[2024], indicator_codes=["registered_victims"])
        if not f.dimension
    }
    assistance = by_organisation.pop("Assistance System for Victims of Human Trafficking")
    assert set(by_organisation) == {"National Police Board", "Finnish Border and Coast Guard"}
    victims = _cells(figures, "registered_victims")
    assert victims[("", "")] == (assistance, 1, False)
    assert victims[("", "")][0] != assistance + sum(by_organisation.values())
    suspects = _cells(figures, "suspects")
    assert suspects[("", "")] == (109, 1, False)
