"""The statistics journey from one organisation's return to the public page, in one go.

A data provider uploads their return with an error, fixes it and submits it; the
organisation's validator validates it and the secretariat accepts it; the coordinator
generates the annual report from it, follows its progress and publishes it; the national
rapporteur adds their commentary; and an anonymous visitor reads the public statistics
with the small figures withheld. Nothing is written behind the pages' backs between the
steps: only the starting point (people, the assignment to report, the validator and the
population) is set up beforehand, and the test plays the task worker.
"""

import datetime
import importlib
import re
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import Locator, expect

from conftest import Personas
from polku.accounts.choices import Role
from polku.accounts.models import User
from polku.actors.models import Membership, Organisation
from polku.actors.tests.factories import make_membership, make_user
from polku.reporting import documents
from polku.reporting.choices import ReportStatus
from polku.reporting.models import AnnualReport
from polku.reporting.tasks import report_generate_task
from polku.statistics.choices_returns import ReturnStatus
from polku.statistics.models import (
    Indicator,
    Population,
    ReportingAssignment,
    Return,
    ReturnValidator,
)
from tests.browser.fixtures import CheckedPage, TaskQueue, sign_in, sign_out

pytestmark = pytest.mark.browser


# The return the Statistics Office sends: 64 registered victims, of whom 3 children, and
# 25 suspects. Every breakdown adds up to its total.
RETURN_CSV = """indicator,dimension,category,value
registered_victims,,,64
registered_victims,sex,female,41
registered_victims,sex,male,23
registered_victims,age_group,child,3
registered_victims,age_group,adult,61
registered_victims,citizenship,national,12
registered_victims,citizenship,non_eu,52
registered_victims,exploitation_form,sexual_exploitation,30
registered_victims,exploitation_form,forced_labour,34
suspects,,,25
suspects,sex,male,25
suspects,age_group,adult,25
suspects,citizenship,national,14
suspects,citizenship,non_eu,11
"""
FIGURES = 14
# The same file as a spreadsheet may write it, with the children (row 5) as "3.0".
FAULTY_CSV = RETURN_CSV.replace("age_group,child,3\n", "age_group,child,3.0\n")

# A count shown on the public page: withheld ("<10", "x"), a number of at least 10, or
# not available for an indicator nobody reported.
SHOWN_COUNT = re.compile(r"^(<10|x|not available|[1-9]\d*(,\d{3})*)$")


def _reference_data() -> None:
    # A transactional test empties the tables afterwards, migration data included; put the
    # shipped typologies and indicators back the way their migrations write them.
    for name in (
        "polku.taxonomy.migrations.0002_first_versions",
        "polku.statistics.migrations.0003_standard_indicators",
    ):
        importlib.import_module(name).create(apps, None)


def _set_up_reporting(personas: Personas, year: int) -> tuple[Organisation, User]:
    """The data provider's organisation reports victims and suspects as the national
    source, with a designated validator; the year's population is known."""
    organisation = Membership.objects.get(user=personas.dataprovider).organisation
    validator = make_user(username="validator")
    make_membership(user=validator, organisation=organisation, role=Role.DATA_PROVIDER)
    ReturnValidator.objects.create(organisation=organisation, user=validator)
    for code in ("registered_victims", "suspects"):
        ReportingAssignment.objects.create(
            organisation=organisation,
            indicator=Indicator.objects.get(code=code),
            from_year=2000,
            is_national_source=True,
        )
    Population.objects.create(
        year=year,
        reference_date=datetime.date(year, 12, 31),
        total=5_600_000,
        males=2_760_000,
        females=2_840_000,
        children=1_050_000,
        adults=4_550_000,
        source="Statistics Finland",
    )
    return organisation, validator


def _upload(page: CheckedPage, content: str) -> None:
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "return.csv", "mimeType": "text/csv", "buffer": content.encode()}]
    )
    page.get_by_role("button", name="Upload").click()
    page.check()


def _row(table: Locator, label: str) -> Locator:
    """The cells of the table's row headed ``label``."""
    return (
        table.locator("tbody tr")
        .filter(has=table.page.get_by_role("rowheader", name=label, exact=True))
        .locator("td")
    )


def test_it_takes_a_return_from_a_faulty_upload_to_the_public_page(
    checked_page: CheckedPage,
    personas: Personas,
    task_queue: TaskQueue,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every page passes axe-core; the public sees "<10" for the 3 children uploaded."""
    year = timezone.localdate().year - 1
    _reference_data()
    organisation, validator = _set_up_reporting(personas, year)
    page = checked_page
    main = page.locator("main")
    banner = page.locator(".govuk-notification-banner")

    # The data provider starts the return and uploads a file with an error.
    sign_in(page, personas.dataprovider)
    page.visit("/statistics/returns/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Returns")
    expect(main).to_contain_text("Your organisation has no returns yet.")
    main.get_by_role("link", name="Start a return").first.click()
    page.check()
    page.get_by_label("Year").select_option(str(year))
    page.get_by_role("button", name="Start").click()
    page.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Statistics Office {year}")
    expect(main).to_contain_text("No figures have been given yet.")
    statistics_return = Return.objects.get(organisation=organisation, year=year)

    page.get_by_role("link", name="Upload a CSV file").click()
    page.check()
    _upload(page, FAULTY_CSV)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Row 5, column value: Enter a whole number, not “3.0”."
    )
    expect(main).to_contain_text(
        "The file has a problem. Nothing was saved; fix it and upload it again."
    )
    to_fix = page.get_by_role("table", name="What to fix").locator("tbody tr")
    expect(to_fix).to_have_count(1)
    expect(to_fix.locator("td")).to_have_text(["5", "value", "Enter a whole number, not “3.0”."])
    # Nothing of the file was saved: the return still has no figures.
    assert not statistics_return.figures.exists()
    main.get_by_role("link", name="Cancel").click()
    page.check()
    expect(main).to_contain_text("No figures have been given yet.")

    # The corrected file is saved, and the return is submitted.
    page.get_by_role("link", name="Upload a CSV file").click()
    page.check()
    _upload(page, RETURN_CSV)
    expect(banner).to_contain_text(f"The file is uploaded: {FIGURES} figures are saved.")
    figures = page.get_by_role("table", name="Figures", exact=True)
    expect(figures).to_contain_text("Registered victims")
    expect(_row(figures, "Child (under 18)").first).to_have_text("3")
    expect(_row(figures, "Adult (18 or over)")).to_have_text(["61", "25"])
    assert statistics_return.figures.count() == FIGURES
    main.get_by_role("link", name="Submit", exact=True).click()
    page.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Submit the return")
    # The organisation's first return has no earlier year to differ from: nothing to confirm.
    expect(
        page.get_by_label("I have checked the flagged figures and they are right")
    ).to_have_count(0)
    main.get_by_role("button", name="Submit").click()
    page.check()
    expect(banner).to_contain_text("The return is submitted to your organisation's validator.")
    sign_out(page)

    # The organisation's validator validates it.
    sign_in(page, validator)
    page.visit("/statistics/returns/")
    page.get_by_role("link", name="To validate").click()
    page.check()
    page.get_by_role("link", name=f"Statistics Office {year}").click()
    page.check()
    main.get_by_role("link", name="Validate", exact=True).click()
    page.check()
    page.get_by_label("Comment").fill("Checked against the case register.")
    main.get_by_role("button", name="Validate").click()
    page.check()
    expect(banner).to_contain_text("validated")
    sign_out(page)

    # The secretariat accepts it.
    sign_in(page, personas.secretariat)
    page.visit("/statistics/returns/")
    expect(page.get_by_role("link", name="To accept")).to_have_attribute("aria-current", "page")
    page.get_by_role("link", name=f"Statistics Office {year}").click()
    page.check()
    expect(main).to_contain_text("Checked against the case register.")
    main.get_by_role("link", name="Accept", exact=True).click()
    page.check()
    main.get_by_role("button", name="Accept").click()
    page.check()
    expect(main.locator(".govuk-summary-list")).to_contain_text("Accepted")
    statistics_return.refresh_from_db()
    assert statistics_return.status == ReturnStatus.ACCEPTED
    assert statistics_return.validated_by == validator
    assert statistics_return.accepted_by == personas.secretariat
    sign_out(page)

    # The coordinator generates the year's report and follows it being written.
    sign_in(page, personas.coordinator)
    page.visit("/reports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Annual reports")
    expect(main).to_contain_text("No annual report has been generated yet.")
    page.get_by_role("link", name="Generate a report").click()
    page.check()
    page.get_by_label("Year").select_option(str(year))
    page.get_by_role("button", name="Generate the report").click()
    page.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Annual report {year}")
    progress = page.get_by_role("progressbar", name="Report generated")
    expect(progress).to_have_attribute("value", "0")
    expect(main.get_by_role("heading", name="Waiting for its turn")).to_be_visible()
    report = AnnualReport.objects.get()
    [queued] = task_queue.waiting
    assert queued.task.func is report_generate_task.func
    assert queued.kwargs == {"report_id": report.pk}

    # The worker's turn. Halfway, with the tables and charts done and the PDF files to
    # write, the page has followed it by itself. (The worker logs and swallows whatever
    # goes wrong in it, so what the page showed is noted here and asserted afterwards.)
    render_pdf = documents.render_pdf
    halfway: list[str] = []

    def render_pdf_once_seen(*args: Any, **kwargs: Any) -> bytes:
        if not halfway:
            try:
                expect(
                    main.get_by_role("heading", name="Writing the pages and PDF files")
                ).to_be_visible(timeout=15_000)
                expect(progress).not_to_have_attribute("value", "0")
                expect(main).to_contain_text(re.compile(r"\b[1-9]\d?% done"))
            except AssertionError as error:
                halfway.append(f"not followed: {error}")
            else:
                halfway.append("followed")
        return render_pdf(*args, **kwargs)

    monkeypatch.setattr(documents, "render_pdf", render_pdf_once_seen)
    status = task_queue.run_next()
    assert halfway == ["followed"]
    assert status == ReportStatus.READY
    expect(main).to_contain_text("About these figures", timeout=15_000)
    expect(progress).to_have_count(0)
    page.check()
    expect(main.locator("svg[role=img]").first).to_be_visible()

    page.get_by_role("link", name="Publish the report").click()
    page.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"Publish the annual report {year}"
    )
    page.get_by_role("button", name="Publish the report").click()
    page.check()
    expect(banner).to_contain_text("The report is published.")
    sign_out(page)

    # The national rapporteur comments on it.
    sign_in(page, personas.rapporteur)
    page.visit(report.get_absolute_url())
    page.get_by_role("link", name="Write your commentary").click()
    page.check()
    page.get_by_label("Commentary in English").fill("Too few cases reach a conviction.")
    page.get_by_role("button", name="Publish the commentary").click()
    page.check()
    expect(banner).to_contain_text("Your commentary is published beside the report.")
    sign_out(page)

    # Anyone reads the statistics, the small figures withheld.
    page.visit("/reports/public/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Statistics on trafficking in human beings"
    )
    expect(main).to_contain_text(f"Annual report {year}")
    expect(main).to_contain_text("Too few cases reach a conviction.")
    ages = page.get_by_role("table", name=f"Registered victims by age group, {year}")
    expect(_row(ages, "Child (under 18)")).to_have_text("<10")
    # The adults are withheld too, or the children would be the total less the adults.
    expect(_row(ages, "Adult (18 or over)")).to_have_text("x")
    expect(_row(ages, "Total")).to_have_text("64")
    sexes = page.get_by_role("table", name=f"Registered victims by sex, {year}")
    expect(_row(sexes, "Female")).to_have_text("41")
    expect(main.get_by_role("img", name=f"Registered victims by age group, {year}")).to_be_visible()
    rates = page.get_by_role("table", name=f"Victims per 100,000 population, {year}")
    expect(_row(rates, "All victims")).to_have_text(["64", "5,600,000", "1.14"])
    expect(_row(rates, "Age group: Child (under 18)")).to_have_text(["<10", "1,050,000", "<10"])
    # No count anywhere on the page is below the threshold.
    counts = (
        main.locator(".polku-report__table td").all_inner_texts()
        + rates.locator("tbody tr td:nth-of-type(1)").all_inner_texts()
    )
    assert counts
    assert [count for count in counts if not SHOWN_COUNT.match(count.strip())] == []

    # Nor in the open data the visitor downloads from the page.
    link = page.get_by_role("link", name="JSON in English")
    response = page.request.get(page.base_url + str(link.get_attribute("href")))
    assert response.ok
    rows = response.json()["rows"]
    assert [row for row in rows if row["value"] is not None and row["value"] < 10] == []
    children = next(
        row
        for row in rows
        if (row["indicator"], row["dimension"], row["category"])
        == ("registered_victims", "age_group", "child")
    )
    assert (children["value"], children["shown"]) == (None, "<10")
    assert len(page.checked) >= 44
