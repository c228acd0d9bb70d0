"""A secretariat member uploads the UK's five-list table, runs the stepwise estimate, reads the
result and the table behind it, compares it with main effects, and accepts it for the annual
report; a running bootstrap is followed until its result shows."""

import re

import pytest
from playwright.sync_api import expect

from conftest import Personas
from polku.statistics.choices import RunStatus
from polku.statistics.models import EstimateRun
from polku.statistics.selectors import estimates_for_annual_report
from polku.statistics.tests.factories import DATA, make_run
from tests.browser.fixtures import CheckedPage, sign_in

pytestmark = pytest.mark.browser


def test_it_estimates_a_hidden_population_and_accepts_it_for_the_report(
    checked_page: CheckedPage, personas: Personas
) -> None:
    """Every page passes axe-core; the accepted estimate reaches the annual report's selector."""
    page = checked_page
    sign_in(page, personas.secretariat)

    page.visit("/statistics/estimates/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Estimates")
    expect(page.locator("main")).to_contain_text("No estimates have been run yet")
    page.get_by_role("link", name="Upload a table").first.click()
    page.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload a capture-history table")

    # Submitting with no file shows the error summary, which must pass axe-core too.
    page.get_by_label("Title").fill("Victims identified by five agencies")
    page.get_by_role("button", name="Run the estimate").click()
    page.check()
    expect(page.locator(".govuk-error-summary")).to_be_visible()

    page.get_by_label("Title").fill("Victims identified by five agencies")
    page.get_by_label("Reference year").fill("2024")
    page.get_by_label("Capture-history table").set_input_files(str(DATA / "UKdat_5.csv"))
    page.get_by_label("Stepwise (Chan, Silverman and Vincent)").check()
    page.get_by_label("Wald (log-normal), given the selected model").check()
    page.get_by_text("Advanced options").click()
    expect(page.get_by_label("Stepwise threshold")).to_have_value("0.02")
    page.get_by_role("button", name="Run the estimate").click()
    page.check()

    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_have_text("Victims identified by five agencies")
    expect(main).to_contain_text(
        "An estimated 11,313 people in all, with a 95% interval from 9,884 to 13,027."
    )
    expect(main).to_contain_text("The estimate exists and is identifiable.")
    expect(main).to_contain_text("The lists must be linked and de-duplicated")
    stepwise = EstimateRun.objects.get()

    page.get_by_role("link", name="See the capture-history table").click()
    page.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Capture-history table")
    expect(page.locator("tbody tr")).to_have_count(18)
    page.get_by_role("link", name="Victims identified by five agencies").click()
    page.check()

    page.get_by_role("link", name="Run again with another method").click()
    page.check()
    page.get_by_label("Main effects only (lists independent)").check()
    page.get_by_role("button", name="Run the estimate").click()
    page.check()
    expect(main).to_contain_text("An estimated 13,444 people in all")

    page.get_by_role("link", name=re.compile(r"Compare runs on this table \(2 runs\)")).click()
    page.check()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("11,313")
    expect(rows.nth(1)).to_contain_text("13,444")
    rows.nth(0).get_by_role("link", name="Victims identified by five agencies").click()
    page.check()

    page.get_by_role("button", name="Accept for the annual report").click()
    page.check()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The estimate is in the annual report for 2024."
    )
    expect(main).to_contain_text("Accepted for the annual report 2024")

    page.visit("/statistics/estimates/")
    expect(page.locator("tbody tr")).to_have_count(2)
    [reported] = estimates_for_annual_report(year=2024)
    assert reported.id == stepwise.pk
    assert round(reported.estimate) == 11313
    assert len(page.checked) >= 12


def test_it_follows_a_running_bootstrap_until_the_result(
    checked_page: CheckedPage, personas: Personas
) -> None:
    """The progress page passes axe-core and shows the result by itself once the run is over."""
    run = make_run(
        created_by=personas.coordinator,
        organisation=personas.interior,
        status=RunStatus.RUNNING,
        interval_method="bca",
        progress_done=512,
        progress_total=1018,
        estimate=None,
        interval_low=None,
        interval_high=None,
    )
    page = checked_page
    sign_in(page, personas.secretariat)
    page.visit(run.get_absolute_url())
    progress = page.get_by_role("progressbar", name="Bootstrap and jackknife tables estimated")
    expect(progress).to_have_attribute("value", "512")
    expect(page.locator("main")).to_contain_text("512 of 1018 (50%)")
    EstimateRun.objects.filter(pk=run.pk).update(progress_done=1000)
    expect(page.locator("main")).to_contain_text("1000 of 1018 (98%)", timeout=8_000)
    EstimateRun.objects.filter(pk=run.pk).update(
        status=RunStatus.FINISHED,
        progress_done=1018,
        estimate=11312.99,
        interval_low=9366.0,
        interval_high=15539.9,
    )
    expect(page.locator("main")).to_contain_text(
        "An estimated 11,313 people in all, with a 95% interval from 9,366 to 15,540.",
        timeout=8_000,
    )
    expect(progress).to_have_count(0)
    page.check()
