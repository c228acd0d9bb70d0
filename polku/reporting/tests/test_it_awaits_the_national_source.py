"""Where an indicator's national source has no accepted return for a year, the national
tables show no figure for it and say whose accepted return they wait for; no other
organisation's count stands in (that would count a person twice)."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook  # type: ignore[import-untyped]

from conftest import ClientFor, Personas
from polku.actors.models import Organisation
from polku.actors.tests.factories import make_organisation
from polku.reporting import outputs, selectors
from polku.reporting.tests.factories import make_population, make_return, standard_year, victims
from polku.statistics.choices_returns import ReturnStatus
from polku.statistics.models import Indicator, Return
from polku.statistics.services.indicators import assignment_add

pytestmark = pytest.mark.django_db

VICTIMS = "/reports/tables/?year=2024&indicator=registered_victims&dimension="
AWAITING = (
    "Awaiting Assistance system's accepted return, the national source for this indicator; "
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
    assert "Awaiting Assistance &lt;b&gt;system&lt;/b&gt;'s accepted return" in page
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
