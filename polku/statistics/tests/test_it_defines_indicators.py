"""Indicators are data with definitions; national sums follow typologies across versions."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from conftest import ClientFor, Personas
from polku.statistics.choices_returns import ReturnStatus
from polku.statistics.models import Indicator, ReturnFigure
from polku.statistics.selectors_returns import (
    accepted_years,
    category_label,
    figures_by_organisation,
    national_figures,
    year_coverage,
)
from polku.statistics.tests.test_it_collects_returns import (
    Reporting,
    make_return,
    set_up_reporting,
)
from polku.taxonomy.models import Category, Typology

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporting(personas: Personas) -> Reporting:
    return set_up_reporting(personas)


def test_it_defines_the_standard_indicators_in_three_languages() -> None:
    """The eight indicators of the EU and Eurostat collection exist with their breakdowns."""
    codes = list(Indicator.objects.values_list("code", flat=True))
    assert codes == [
        "registered_victims",
        "presumed_victims_referred",
        "assistance_admitted",
        "suspects",
        "prosecuted",
        "convicted",
        "investigations_opened",
        "residence_permits",
    ]
    victims = Indicator.objects.get(code="registered_victims")
    assert "not been formally identified" in victims.definition
    assert victims.name_fi and victims.definition_sv
    assert victims.ordered_dimensions == [
        "sex",
        "age_group",
        "age_band",
        "citizenship",
        "country",
        "exploitation_form",
    ]
    assert Indicator.objects.get(code="investigations_opened").unit == "cases"


def test_it_shows_definitions_in_the_active_language(client_for: ClientFor) -> None:
    client = client_for("practitioner")
    page = client.get(reverse("statistics:indicator_detail", kwargs={"code": "suspects"}))
    assert "Persons suspected of trafficking in human beings" in page.content.decode()
    assert "Female" in page.content.decode()
    suspects = Indicator.objects.get(code="suspects")
    with translation.override("fi"):
        assert suspects.display_name == "Epäillyt"
        assert suspects.display_definition.startswith("Henkilöt, joita epäiltiin")
    with translation.override("sv"):
        assert suspects.display_name == "Misstänkta"


def test_it_lists_who_reports_what(reporting: Reporting, client_for: ClientFor) -> None:
    page = client_for("ngo").get(reverse("statistics:indicator_list")).content.decode()
    assert "Registered victims" in page
    assert "Border Agency (2000\u2013)" in page


def test_it_sums_accepted_figures_nationally_and_by_organisation(reporting: Reporting) -> None:
    """Two organisations' accepted figures add up; each is also given on its own."""
    make_return(reporting, status=ReturnStatus.ACCEPTED, victims=10)
    make_return(reporting, status=ReturnStatus.ACCEPTED, victims=7, other=True)
    make_return(reporting, status=ReturnStatus.ACCEPTED, victims=3, year=2023)
    figures = national_figures(years=range(2023, 2025), indicator_codes=["registered_victims"])
    cells = {(f.year, f.dimension, f.category): (f.value, f.organisations) for f in figures}
    assert cells[(2024, "", "")] == (17, 2)
    assert cells[(2024, "sex", "female")] == (17, 2)
    assert cells[(2023, "", "")] == (3, 1)
    assert [figure.year for figure in figures] == sorted(figure.year for figure in figures)
    per_organisation = {
        (f.organisation_name, f.year): f.value
        for f in figures_by_organisation(years=[2024], indicator_codes=["registered_victims"])
        if not f.dimension
    }
    assert per_organisation == {("Statistics Office", 2024): 10, ("Border Agency", 2024): 7}
    assert accepted_years() == [2023, 2024]


def test_it_maps_old_forms_of_exploitation_to_the_current_typology(reporting: Reporting) -> None:
    """A figure given under version 1 is counted under the version 2 category continuing it."""
    make_return(reporting, status=ReturnStatus.ACCEPTED, victims=10)
    old = Typology.objects.get(kind="exploitation_form", is_current=True)
    old.is_current = False
    old.save()
    new = Typology.objects.create(
        kind="exploitation_form",
        version=2,
        name="Forms of exploitation",
        valid_from=datetime.date(2026, 1, 1),
        is_current=True,
    )
    labour = Category.objects.create(typology=new, code="labour_exploitation", label="Labour")
    labour.replaces.add(Category.objects.get(typology=old, code="forced_labour"))
    stored = ReturnFigure.objects.get(dimension="exploitation_form")
    assert stored.exploitation_form is not None
    assert stored.exploitation_form.typology == old
    figures = national_figures(years=[2024], indicator_codes=["registered_victims"])
    forms = {f.category: f.value for f in figures if f.dimension == "exploitation_form"}
    assert forms == {"labour_exploitation": 10}
    assert category_label("exploitation_form", "labour_exploitation") == "Labour"


def test_it_tells_whose_returns_are_accepted_in_a_year(reporting: Reporting) -> None:
    make_return(reporting, status=ReturnStatus.ACCEPTED)
    make_return(reporting, status=ReturnStatus.SUBMITTED, other=True)
    coverage = {item.organisation.name: item for item in year_coverage(year=2024)}
    assert coverage["Statistics Office"].accepted
    assert coverage["Border Agency"].status == ReturnStatus.SUBMITTED
    assert not coverage["Border Agency"].accepted
    assert coverage["Border Agency"].indicator_codes == ("registered_victims", "suspects")
