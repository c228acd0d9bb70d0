"""Where an indicator's national source has no accepted return for a year, the national
tables, the reporting templates, their downloads and the annual report show no figure for
it and say whose accepted return they wait for; no other organisation's count stands in
(that would count a person twice), and no chart draws the missing figure as a zero."""

import csv
import io
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook  # type: ignore[import-untyped]
from pypdf import PdfReader

from conftest import ClientFor, Personas
from polku.actors.models import Organisation
from polku.actors.tests.factories import make_organisation
from polku.reporting import documents, exports, outputs, selectors
from polku.reporting.models import AnnualReport
from polku.reporting.tests.factories import make_population, make_return, standard_year, victims
from polku.statistics.choices_returns import ReturnStatus
from polku.statistics.models import Indicator, Return
from polku.statistics.services.indicators import assignment_add

pytestmark = pytest.mark.django_db

# The real PDF writer, kept before the report fixtures put a stand-in in its place.
WRITE_PDF = documents.render_pdf

VICTIMS = "/reports/tables/?year=2024&indicator=registered_victims&dimension="
AWAITING = (
    "Awaiting the accepted return of Assistance system, the national source for this indicator; "
    "no national figure is shown until it is accepted."
)


@pytest.fixture
def awaited(personas: Personas) -> Organisation:
    """The assistance system is the national source of registered victims; its 2024 return
    is only validated, while the police's is accepted."""
    standard_year(2024)
    assistance = Organisation.objects.get(name="Assistance system")
    Return.objects.filter(organisation=assistance, year=2024).update(
        status=ReturnStatus.VALIDATED, accepted_at=None
    )
    assignment_add(
        actor=personas.coordinator,
        organisation=assistance,
        indicator=Indicator.objects.get(code="registered_victims"),
        from_year=2020,
        is_national_source=True,
    )
    return assistance


def test_it_says_whose_accepted_return_the_national_figure_awaits(
    awaited: Organisation, client_for: ClientFor
) -> None:
    page = client_for("rapporteur").get(VICTIMS).content.decode()
    assert AWAITING in page
    assert "No accepted figures for this indicator" not in page
    # The police's accepted 40 is not shown as the national figure.
    assert "govuk-table__cell--numeric" not in page
    suspects = client_for("rapporteur").get(
        "/reports/tables/?year=2024&indicator=suspects&dimension="
    )
    assert "Awaiting" not in suspects.content.decode()


def test_it_shows_the_figure_once_the_source_is_accepted(
    awaited: Organisation, client_for: ClientFor
) -> None:
    Return.objects.filter(organisation=awaited, year=2024).update(
        status=ReturnStatus.ACCEPTED, accepted_at="2025-03-01T00:00:00Z"
    )
    page = client_for("secretariat").get(VICTIMS).content.decode()
    assert "Awaiting" not in page
    assert "govuk-table__cell--numeric" in page


def _count(client_for: ClientFor, url: str) -> int:
    client = client_for("coordinator")
    client.get(url)  # Warm the session and language caches.
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_it_finds_the_awaited_source_in_a_fixed_number_of_queries(
    awaited: Organisation, client_for: ClientFor, personas: Personas
) -> None:
    """19 more organisations reporting the indicator, each with a return, add no query."""
    one = _count(client_for, VICTIMS)
    victims_indicator = Indicator.objects.get(code="registered_victims")
    for index in range(19):
        organisation = make_organisation(name=f"Authority {index}")
        assignment_add(
            actor=personas.coordinator,
            organisation=organisation,
            indicator=victims_indicator,
            from_year=2020,
        )
        make_return(
            organisation=organisation,
            year=2024,
            status=ReturnStatus.SUBMITTED,
            figures={
                "registered_victims": victims(12, female=6, male=6, child=0, national=6, sexual=6)
            },
        )
    assert _count(client_for, VICTIMS) == one


# ---------------------------------------------------------------------------------------
# Output templates and their downloads
# ---------------------------------------------------------------------------------------


def _section(html: str, name: str) -> str:
    """The part of an output page from the heading ``name`` to the next heading."""
    start = html.index(f'<h2 class="govuk-heading-m">{name}</h2>')
    end = html.find('<h2 class="govuk-heading-m">', start + 1)
    return html[start : end if end != -1 else len(html)]


def test_it_builds_the_templates_sections_with_the_awaited_source(
    awaited: Organisation,
) -> None:
    """The section of an indicator whose national source is awaited has no tables and
    names the source; the others are built as before."""
    built = {
        section.section.indicator: section
        for section in outputs.build(
            outputs.BY_CODE["greta"], year=2024, threshold=10, words=selectors.vocabulary()
        )
    }
    victims_section = built["registered_victims"]
    assert (victims_section.tables, victims_section.has_figures) == ([], False)
    assert victims_section.awaited == [awaited]
    assert built["prosecuted"].has_figures and built["prosecuted"].awaited == []
    # In 2023 it has not even started a return: the figure is awaited all the same.
    assert selectors.awaited_sources(years=[2023, 2024], indicator_codes=None) == {
        (2023, "registered_victims"): [awaited],
        (2024, "registered_victims"): [awaited],
    }
    assert selectors.awaited_sources(years=[2024], indicator_codes=["suspects"]) == {}


def test_it_says_in_the_template_whose_return_the_figure_awaits(
    awaited: Organisation, client_for: ClientFor
) -> None:
    html = client_for("secretariat").get("/reports/templates/eu-directive/?year=2024")
    page = html.content.decode()
    victims_section = _section(page, "Registered victims")
    assert AWAITING in victims_section
    assert "No accepted figures for this year." not in victims_section
    # The police's accepted 40 victims do not stand in for the national figure.
    assert "govuk-table" not in victims_section
    assert AWAITING not in _section(page, "Suspects")
    assert "govuk-table__cell--numeric" in _section(page, "Suspects")


def test_it_gives_no_rates_and_asks_for_no_population_while_victims_are_awaited(
    awaited: Organisation, client_for: ClientFor
) -> None:
    make_population(2024)
    page = client_for("rapporteur").get("/reports/templates/sdg-16-2-2/?year=2024")
    html = page.content.decode()
    assert AWAITING in html
    assert "Per 100,000" not in html
    assert "Rates need the population" not in html


def test_it_escapes_the_sources_name(awaited: Organisation, client_for: ClientFor) -> None:
    Organisation.objects.filter(pk=awaited.pk).update(name="Assistance <b>system</b>")
    page = client_for("secretariat").get("/reports/templates/greta/?year=2024").content.decode()
    assert "Awaiting the accepted return of Assistance &lt;b&gt;system&lt;/b&gt;" in page
    assert "<b>system" not in page


def test_it_notes_the_awaited_figure_in_every_download(
    awaited: Organisation, client_for: ClientFor
) -> None:
    """A row for the indicator's total with no value, status "awaited" and the note; the
    workbook and JSON also give the note under the title, naming the indicator."""
    client = client_for("rapporteur")
    url = "/reports/templates/eu-directive/download.{}?year=2024"
    rows = list(
        csv.DictReader(io.StringIO(client.get(url.format("csv")).content.decode("utf-8-sig")))
    )
    victims_rows = [row for row in rows if row["indicator"] == "registered_victims"]
    assert victims_rows == [
        {
            "year": "2024",
            "indicator": "registered_victims",
            "indicator_name": "Registered victims",
            "dimension": "",
            "dimension_name": "",
            "category": "total",
            "category_name": "Total",
            "value": "",
            "shown": "",
            "status": "awaited",
            "note": AWAITING,
        }
    ]
    assert all(row["note"] == "" for row in rows if row["indicator"] != "registered_victims")
    # The rows keep the template's order: the awaited section comes first.
    assert rows[0]["indicator"] == "registered_victims"

    document = json.loads(client.get(url.format("json")).content)
    assert document["notes"] == [f"Registered victims, 2024: {AWAITING}"]
    awaited_row = next(r for r in document["rows"] if r["indicator"] == "registered_victims")
    assert (awaited_row["value"], awaited_row["status"]) == (None, "awaited")
    assert all(r["note"] is None for r in document["rows"] if r is not awaited_row)

    workbook = load_workbook(io.BytesIO(client.get(url.format("xlsx")).content))
    lines = list(workbook.active.iter_rows(values_only=True))
    assert lines[1][0] == f"Registered victims, 2024: {AWAITING}"
    assert lines[2][-1] == "note"
    assert lines[3][9:] == ("awaited", AWAITING)


def test_it_notes_nothing_once_the_source_is_accepted(
    awaited: Organisation, client_for: ClientFor
) -> None:
    Return.objects.filter(organisation=awaited, year=2024).update(
        status=ReturnStatus.ACCEPTED, accepted_at="2025-03-01T00:00:00Z"
    )
    client = client_for("rapporteur")
    assert "Awaiting" not in client.get("/reports/templates/greta/?year=2024").content.decode()
    document = json.loads(client.get("/reports/templates/greta/download.json?year=2024").content)
    assert "notes" not in document
    assert {row["status"] for row in document["rows"]} <= {"published", "primary", "secondary"}


# ---------------------------------------------------------------------------------------
# The annual report
# ---------------------------------------------------------------------------------------


def _sourced(personas: Personas, organisation: Organisation, code: str, from_year: int) -> None:
    assignment_add(
        actor=personas.coordinator,
        organisation=organisation,
        indicator=Indicator.objects.get(code=code),
        from_year=from_year,
        is_national_source=True,
    )


@pytest.fixture
def awaiting_report(generate: Callable[..., AnnualReport], personas: Personas) -> AnnualReport:
    """The 2024 report, generated while the assistance system, national source of registered
    victims, has its 2023 and 2024 returns only validated, and while the prosecution
    service, national source of prosecuted persons from 2024, has not started its return."""
    assistance = Organisation.objects.get(name="Assistance system")
    Organisation.objects.filter(pk=assistance.pk).update(
        name_fi="Auttamisjärjestelmä", name_sv="Hjälpsystemet"
    )
    Return.objects.filter(organisation=assistance, year__in=[2023, 2024]).update(
        status=ReturnStatus.VALIDATED, accepted_at=None
    )
    _sourced(personas, assistance, "registered_victims", 2020)
    _sourced(personas, make_organisation(name="Prosecution Service"), "prosecuted", 2024)
    return generate()


def _entry(report: AnnualReport, code: str) -> dict[str, Any]:
    return next(entry for entry in report.data["indicators"] if entry["code"] == code)


def _html_section(html: str, anchor: str) -> str:
    start = html.index(f'id="{anchor}"')
    end = html.find('<h2 class="govuk-heading-l"', start)
    return html[start : end if end != -1 else len(html)]


def _bars(html: str, chart_id: str) -> int:
    """How many bars the chart draws (a zero draws one too, of no height)."""
    svg = html[html.index(f'id="{chart_id}"') :]
    svg = svg[: svg.index("</svg>")]
    marks = svg[svg.index('class="mark-rect role-mark') :]
    return marks[: marks.index("</g>")].count("<path")


def test_it_keeps_the_awaited_source_in_the_snapshot(awaiting_report: AnnualReport) -> None:
    """The snapshot names the source in every language for each year it was awaited, and
    its trend has those years with no count, not a zero, and no break in the series."""
    victims_entry = _entry(awaiting_report, "registered_victims")
    names = {"en": "Assistance system", "fi": "Auttamisjärjestelmä", "sv": "Hjälpsystemet"}
    assert victims_entry["awaited"] == [
        {"year": 2023, "organisation": names},
        {"year": 2024, "organisation": names},
    ]
    assert victims_entry["tables"] == []
    assert victims_entry["trend"] == [
        {"year": 2022, "count": 120, "status": "published", "organisations": 1},
        {"year": 2023, "count": None, "status": "awaited", "organisations": 0},
        {"year": 2024, "count": None, "status": "awaited", "organisations": 0},
    ]
    assert victims_entry["breaks"] == []
    assert awaiting_report.data["funnel"] == [
        {"indicator": "suspects", "count": 30, "status": "published"},
        {"indicator": "prosecuted", "count": None, "status": "awaited"},
        {"indicator": "convicted", "count": None, "status": "primary"},
    ]
    assert awaiting_report.data["sdg"] is None
    assert _entry(awaiting_report, "suspects")["awaited"] == []


def test_it_says_in_the_report_whose_return_each_figure_awaited(
    awaiting_report: AnnualReport,
) -> None:
    html = awaiting_report.documents.get(language="en").html
    victims_section = _html_section(html, "indicator-registered_victims")
    for year in (2023, 2024):
        assert f"{year}: {AWAITING}" in victims_section
    assert "No accepted figures for 2024." not in victims_section
    assert "From the returns of 0 organisations" not in victims_section
    assert "No accepted return counts it this year." in victims_section
    prosecuted_section = _html_section(html, "indicator-prosecuted")
    assert "2024: Awaiting the accepted return of Prosecution Service" in prosecuted_section
    funnel = _html_section(html, "funnel")
    assert "Prosecuted persons: Awaiting the accepted return of Prosecution Service" in funnel
    sdg = _html_section(html, "sdg")
    assert f"Registered victims: {AWAITING}" in sdg
    assert AWAITING not in _html_section(html, "indicator-suspects")
    # Each language names the source as it is called in it.
    assert "Auttamisjärjestelmä" in awaiting_report.documents.get(language="fi").html
    assert "Hjälpsystemet" in awaiting_report.documents.get(language="sv").html


def test_it_draws_an_awaited_year_as_no_bar_not_as_zero(awaiting_report: AnnualReport) -> None:
    """The trend and the funnel keep the awaited year or stage, labelled "awaited", with no
    bar; the table beside each chart says "awaited"."""
    html = awaiting_report.documents.get(language="en").html
    assert _bars(html, "chart-registered_victims-trend") == 1  # 2022 alone
    assert _bars(html, "chart-prosecuted-trend") == 2  # 2022 and 2023
    assert _bars(html, "chart-funnel") == 1  # suspects; convicted persons are withheld
    trend = html[html.index('id="chart-registered_victims-trend"') :]
    trend = trend[: trend.index("</table>")]
    assert trend.count(">awaited</text>") == 2
    assert re.search(r">2023</th>\s*<td[^>]*>awaited</td>", trend)
    assert re.search(r">Prosecuted persons</th>\s*<td[^>]*>awaited</td>", html)


def test_it_keeps_the_report_as_generated(
    awaiting_report: AnnualReport, personas: Personas, client_for: ClientFor
) -> None:
    """Once the source's return is accepted and the organisation renamed, the report
    generated before still says what it awaited; a new version has the figure."""
    assistance = Organisation.objects.get(name="Assistance system")
    Return.objects.filter(organisation=assistance).update(
        status=ReturnStatus.ACCEPTED, accepted_at="2025-03-01T00:00:00Z"
    )
    Organisation.objects.filter(pk=assistance.pk).update(name="Victim Assistance")
    page = client_for("coordinator").get(awaiting_report.get_absolute_url()).content.decode()
    assert f"2024: {AWAITING}" in page
    with translation.override("en"):
        rendered = documents.render_body(
            AnnualReport.objects.get(pk=awaiting_report.pk).data, language="en"
        )
    assert f"2024: {AWAITING}" in rendered
    assert "Victim Assistance" not in rendered


def test_it_notes_the_awaited_figures_in_the_reports_open_data(
    awaiting_report: AnnualReport, client_for: ClientFor
) -> None:
    client = client_for("coordinator")
    response = client.get(f"/reports/{awaiting_report.pk}/data/en.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    awaited_rows = [row for row in rows if row["status"] == "awaited"]
    assert [(r["indicator"], r["category"], r["value"], r["note"]) for r in awaited_rows] == [
        ("registered_victims", "total", "", AWAITING),
        (
            "prosecuted",
            "total",
            "",
            AWAITING.replace("Assistance system", "Prosecution Service"),
        ),
    ]
    document = json.loads(client.get(f"/reports/{awaiting_report.pk}/data/sv.json").content)
    assert len(document["notes"]) == 2
    assert "Hjälpsystemet" in document["notes"][0]
    assert [r["indicator"] for r in document["rows"] if r["status"] == "awaited"] == [
        "registered_victims",
        "prosecuted",
    ]


def test_it_writes_the_note_into_the_pdf(awaiting_report: AnnualReport) -> None:
    data = awaiting_report.data
    body = documents.render_body(data, language="en")
    pdf = WRITE_PDF(snapshot=data, body=body, language="en")
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split()
    )
    assert "Awaiting the accepted return of Assistance system, the national source" in text
    assert "Awaiting the accepted return of Prosecution Service" in text


def test_it_reads_a_report_generated_before_sources_were_awaited(
    generated_report: AnnualReport,
) -> None:
    """A snapshot without ``awaited`` renders as before, with no note."""
    data = generated_report.data
    for entry in data["indicators"]:
        del entry["awaited"]
    assert "Awaiting" not in documents.render_body(data, language="en")
    rows, notes = exports.snapshot_rows(data, language="en")
    assert notes == [] and all(row["status"] != "awaited" for row in rows)
