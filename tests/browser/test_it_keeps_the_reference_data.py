"""The secretariat keeps the statistics reference data in the browser: defines an indicator,
says who reports it and makes one organisation its national source after reading what that
does, retires an indicator after confirming, and records the population, with a mistake
first. Every page passes axe-core."""

import importlib
import re

import pytest
from django.apps import apps
from playwright.sync_api import expect

from conftest import Personas
from polku.actors.tests.factories import make_organisation
from polku.statistics.models import Indicator, Population, ReportingAssignment
from tests.browser.fixtures import CheckedPage, sign_in

pytestmark = pytest.mark.browser


def _reference_data() -> None:
    # A transactional test empties the tables afterwards, migration data included; put the
    # shipped typologies and indicators back the way their migrations write them.
    for name in (
        "polku.taxonomy.migrations.0002_first_versions",
        "polku.statistics.migrations.0003_standard_indicators",
    ):
        importlib.import_module(name).create(apps, None)


def test_it_keeps_indicators_reporters_and_the_population(
    checked_page: CheckedPage, personas: Personas
) -> None:
    _reference_data()
    assistance = make_organisation(name="Assistance System")
    police = make_organisation(name="Police")
    page = checked_page
    sign_in(page, personas.secretariat)

    # Statistics → Indicators → Define an indicator, with a mistake first.
    page.get_by_role("navigation").get_by_role("link", name="Statistics").click()
    page.check()
    page.locator("main").get_by_role("link", name="Indicators").click()
    page.check()
    page.get_by_role("link", name="Define an indicator").click()
    page.check()
    page.get_by_label("Code").fill("Forced marriages")
    page.get_by_label("Name in English").fill("Forced marriages")
    page.get_by_label("Definition in English").fill("Persons married against their will.")
    page.get_by_label("Sex", exact=True).check()
    page.get_by_role("button", name="Define the indicator").click()
    page.check()
    expect(page.locator(".govuk-error-summary")).to_contain_text("lower-case letters")
    page.get_by_label("Code").fill("forced_marriages")
    page.get_by_role("button", name="Define the indicator").click()
    page.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forced marriages")
    assert Indicator.objects.get(code="forced_marriages").dimensions == ["sex"]

    # Two organisations report it; the assistance system becomes its national source.
    for organisation in (assistance, police):
        page.get_by_role("link", name="Add an organisation that reports it").click()
        page.check()
        page.get_by_label("Organisation").select_option(label=organisation.name)
        page.get_by_label("First year").fill("2024")
        page.get_by_role("button", name="Add").click()
        page.check()
    page.get_by_role("link", name="Make national source for Assistance System").click()
    page.check()
    expect(page.locator("main")).to_contain_text("accepted count alone")
    page.get_by_role("button", name="Make it the national source").click()
    page.check()
    assert ReportingAssignment.objects.get(organisation=assistance).is_national_source
    # The page for the police says at once why it cannot be, offers no button, and leads to
    # the ways out.
    page.get_by_role("link", name="Make national source for Police").click()
    page.check()
    expect(page.locator("#national-source-taken")).to_contain_text(
        "Assistance System is already the national source of this indicator from 2024."
    )
    expect(page.get_by_role("button", name="Make it the national source")).to_have_count(0)
    page.get_by_role("link", name="Stop Assistance System being the national source").click()
    page.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Stop Assistance System being the national source"
    )
    assert not ReportingAssignment.objects.get(organisation=police).is_national_source
    assert ReportingAssignment.objects.get(organisation=assistance).is_national_source

    # Retiring asks first.
    page.goto(page.base_url + "/statistics/indicators/forced_marriages/")
    page.get_by_role("link", name="Edit the indicator").click()
    page.check()
    page.get_by_label("Collected").uncheck()
    page.get_by_role("button", name="Save").click()
    page.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retire the indicator")
    assert Indicator.objects.get(code="forced_marriages").is_active
    page.get_by_role("button", name="Retire the indicator").click()
    page.check()
    assert not Indicator.objects.get(code="forced_marriages").is_active

    # The population, with parts that do not add up first.
    page.visit("/statistics/population/")
    page.get_by_role("link", name="Record a year's population").click()
    page.check()
    page.get_by_label("Year").fill("2024")
    page.get_by_label("Total population").fill("5600000")
    page.get_by_label(re.compile("^Females")).fill("2800000")
    page.get_by_label(re.compile("^Males")).fill("2700000")
    page.get_by_role("button", name="Record").click()
    page.check()
    expect(page.locator("#id_females-error")).to_contain_text(
        "Males and females must add up to the total."
    )
    page.get_by_label(re.compile("^Males")).fill("2800000")
    page.get_by_role("button", name="Record").click()
    page.check()
    assert Population.objects.get(year=2024).males == 2_800_000
