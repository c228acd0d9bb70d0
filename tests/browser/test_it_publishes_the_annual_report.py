"""The end of the statistics journey: with the year's returns accepted, the coordinator
generates the annual report and follows its progress, publishes it, the national
rapporteur adds its commentary, and an anonymous visitor reads the public statistics with
the small figures withheld."""

import importlib
import re
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.test import override_settings
from playwright.sync_api import expect

from conftest import Personas
from polku.accounts.models import User
from polku.reporting.choices import ReportStatus
from polku.reporting.models import AnnualReport
from polku.reporting.services import report_generate_execute
from polku.reporting.tests.factories import make_population, standard_year
from tests.browser.fixtures import CheckedPage

pytestmark = pytest.mark.browser

PASSWORD = "a-long-demo-password"


def _reference_data() -> None:
    # A transactional test empties the tables afterwards, migration data included; put the
    # shipped typologies and indicators back the way their migrations write them.
    for name in (
        "polku.taxonomy.migrations.0002_first_versions",
        "polku.statistics.migrations.0003_standard_indicators",
    ):
        importlib.import_module(name).create(apps, None)


def _sign_in(page: CheckedPage, user: User) -> None:
    user.set_password(PASSWORD)
    user.save()
    page.visit("/accounts/login/")
    page.get_by_label(re.compile("User ?name", re.IGNORECASE)).fill(user.username)
    page.get_by_label(re.compile("Password", re.IGNORECASE)).fill(PASSWORD)
    page.locator("main").get_by_role("button", name=re.compile("Sign in", re.IGNORECASE)).click()
    page.check()


def _sign_out(page: CheckedPage) -> None:
    page.get_by_role("button", name=re.compile("Sign out", re.IGNORECASE)).first.click()
    page.check()


@pytest.fixture
def queued_tasks() -> Iterator[None]:
    """Tasks wait in the queue, so the test plays the worker and the page shows progress."""
    with override_settings(
        TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    ):
        yield


def test_it_generates_publishes_and_shows_the_annual_report(
    checked_page: CheckedPage, personas: Personas, queued_tasks: None
) -> None:
    """Every page passes axe-core; the public sees "<10" for the three children."""
    _reference_data()
    for year in (2023, 2024):
        standard_year(year)
    make_population(2024)
    page = checked_page
    main = page.locator("main")

    _sign_in(page, personas.coordinator)
    page.visit("/reports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Annual reports")
    expect(main).to_contain_text("No annual report has been generated yet.")
    page.get_by_role("link", name="Generate a report").click()
    page.check()
    page.get_by_label("Year").select_option("2024")
    page.get_by_role("button", name="Generate the report").click()
    page.check()

    expect(page.get_by_role("heading", level=1)).to_have_text("Annual report 2024")
    progress = page.get_by_role("progressbar", name="Report generated")
    expect(progress).to_have_attribute("value", "0")
    expect(main).to_contain_text("Waiting for its turn")
    report = AnnualReport.objects.get()
    # The worker's turn: the page follows the progress and shows the report by itself.
    assert report_generate_execute(report_id=report.pk) == ReportStatus.READY
    expect(main).to_contain_text("About these figures", timeout=15_000)
    expect(progress).to_have_count(0)
    page.check()
    expect(main.locator("svg[role=img]").first).to_be_visible()

    page.get_by_role("link", name="Publish the report").click()
    page.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Publish the annual report 2024")
    page.get_by_role("button", name="Publish the report").click()
    page.check()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The report is published.")
    _sign_out(page)

    _sign_in(page, personas.rapporteur)
    page.visit(report.get_absolute_url())
    page.get_by_role("link", name="Write your commentary").click()
    page.check()
    page.get_by_label("Commentary in English").fill("Too few cases reach a conviction.")
    page.get_by_role("button", name="Publish the commentary").click()
    page.check()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Your commentary is published beside the report."
    )
    _sign_out(page)

    page.visit("/reports/public/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Statistics on trafficking in human beings"
    )
    expect(main).to_contain_text("Too few cases reach a conviction.")
    children = main.locator("#chart-registered_victims-age_group tbody tr").filter(
        has_text="Child (under 18)"
    )
    expect(children.locator("td")).to_have_text("<10")
    expect(main.get_by_role("img", name="Registered victims by age group, 2024")).to_be_visible()
    assert len(page.checked) >= 12
