"""A data provider uploads a return with an error, fixes it and submits it; the organisation's
validator validates it and the secretariat accepts it."""

import importlib
import re

import pytest
from django.apps import apps
from playwright.sync_api import expect

from conftest import Personas
from polku.accounts.models import User
from polku.statistics.choices_returns import ReturnStatus
from polku.statistics.models import Return
from polku.statistics.tests.test_it_collects_returns import GOOD_CSV, set_up_reporting
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


def _upload(page: CheckedPage, content: str) -> None:
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "return.csv", "mimeType": "text/csv", "buffer": content.encode()}]
    )
    page.get_by_role("button", name="Upload").click()
    page.check()


def test_it_collects_a_return_from_upload_to_acceptance(
    checked_page: CheckedPage, personas: Personas
) -> None:
    """Every page passes axe-core; the error names its row and column and saves nothing."""
    _reference_data()
    reporting = set_up_reporting(personas)
    page = checked_page

    _sign_in(page, personas.dataprovider)
    page.visit("/statistics/returns/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Returns")
    expect(page.locator("main")).to_contain_text("Your organisation has no returns yet.")
    page.locator("main").get_by_role("link", name="Start a return").first.click()
    page.check()
    page.get_by_label("Year").select_option("2025")
    page.get_by_role("button", name="Start").click()
    page.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statistics Office 2025")

    page.get_by_role("link", name="Upload a CSV file").click()
    page.check()
    _upload(page, GOOD_CSV.replace("suspects,sex,male,4", "suspects,sex,male,4.5"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Row 11, column value: Enter a whole number, not “4.5”.")
    expect(page.locator("main table")).to_contain_text("Enter a whole number")
    statistics_return = Return.objects.get(organisation=reporting.organisation, year=2025)
    assert not statistics_return.figures.exists()

    _upload(page, GOOD_CSV)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("12 figures are saved")
    expect(page.locator("main")).to_contain_text("Registered victims")
    page.locator("main").get_by_role("link", name="Submit", exact=True).click()
    page.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Submit the return")
    page.locator("main").get_by_role("button", name="Submit").click()
    page.check()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("submitted")
    _sign_out(page)

    _sign_in(page, reporting.validator)
    page.visit("/statistics/returns/")
    page.get_by_role("link", name="To validate").click()
    page.check()
    page.get_by_role("link", name="Statistics Office 2025").click()
    page.check()
    page.locator("main").get_by_role("link", name="Validate", exact=True).click()
    page.check()
    page.get_by_label("Comment").fill("Checked against the case register.")
    page.locator("main").get_by_role("button", name="Validate").click()
    page.check()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("validated")
    _sign_out(page)

    _sign_in(page, personas.secretariat)
    page.visit("/statistics/returns/")
    expect(page.get_by_role("link", name="To accept")).to_have_attribute("aria-current", "page")
    page.get_by_role("link", name="Statistics Office 2025").click()
    page.check()
    expect(page.locator("main")).to_contain_text("Checked against the case register.")
    page.locator("main").get_by_role("link", name="Accept", exact=True).click()
    page.check()
    page.locator("main").get_by_role("button", name="Accept").click()
    page.check()
    expect(page.locator("main .govuk-summary-list")).to_contain_text("Accepted")
    statistics_return.refresh_from_db()
    assert statistics_return.status == ReturnStatus.ACCEPTED
    assert statistics_return.accepted_by == personas.secretariat
