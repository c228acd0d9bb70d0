"""Generating an annual report: a new version each time, progress, protected data only,
a page and a tagged PDF in every language, and open data."""

import csv
import io
import json
from typing import Any, cast

import pytest
from pypdf import PdfReader

from conftest import ClientFor, Personas
from polku.actors.models import Organisation
from polku.audit.models import AuditEvent
from polku.reporting import services
from polku.reporting.choices import ReportStatus, ReportStep
from polku.reporting.models import AnnualReport, ReportDocument
from polku.reporting.tests.factories import make_population, standard_year
from polku.statistics.models import Indicator
from polku.statistics.services.indicators import assignment_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(personas: Personas, django_capture_on_commit_callbacks: Any) -> AnnualReport:
    for year in (2022, 2023, 2024):
        standard_year(year)
    make_population(2024)
    with django_capture_on_commit_callbacks(execute=True):
        started = services.report_generate_start(actor=personas.coordinator, year=2024)
    started.refresh_from_db()
    return started


def test_it_generates_a_ready_report_in_every_language(report: AnnualReport) -> None:
    """The task writes the snapshot, a page and a PDF per language, and marks it ready."""
    assert report.status == ReportStatus.READY
    assert report.step == ReportStep.DONE
    assert report.progress_done == report.progress_total > 0
    assert report.version == 1
    assert sorted(report.documents.values_list("language", flat=True)) == ["en", "fi", "sv"]
    assert report.data["years"] == [2022, 2023, 2024]


def test_it_keeps_small_figures_out_of_the_stored_report(report: AnnualReport) -> None:
    """Children (3 nationally) and unknown sex (4) never reach the snapshot or the page."""
    victims = next(e for e in report.data["indicators"] if e["code"] == "registered_victims")
    tables = {table["dimension"]: table for table in victims["tables"]}
    child = next(c for c in tables["age_group"]["cells"] if c["category"] == "child")
    assert child == {"category": "child", "count": None, "status": "primary"}
    unknown = next(c for c in tables["sex"]["cells"] if c["category"] == "unknown")
    assert unknown["count"] is None
    # With one small cell in a breakdown, another is withheld so it cannot be subtracted.
    assert sum(1 for c in tables["age_group"]["cells"] if c["count"] is None) >= 2
    assert json.dumps(report.data).count('"count": 3,') == 0
    html = ReportDocument.objects.get(report=report, language="en").html
    assert "&lt;10" in html
    assert 'role="img"' in html and "<title id=" in html
    assert "style=" not in html


def test_it_writes_a_tagged_pdf_in_the_site_font(report: AnnualReport) -> None:
    pdf = bytes(ReportDocument.objects.get(report=report, language="fi").pdf)
    reader = PdfReader(io.BytesIO(pdf))
    root: Any = reader.trailer["/Root"]
    assert root["/Lang"] == "fi"
    assert "/StructTreeRoot" in root
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in cast(Any, page["/Resources"])["/Font"].values()
    }
    assert fonts and all("Source-Sans-3" in font for font in fonts), fonts
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "<10" in text
    assert "2024" in text


def test_it_adds_a_version_for_each_generation(
    report: AnnualReport, personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        again = services.report_generate_start(actor=personas.secretariat, year=2024)
    again.refresh_from_db()
    assert (again.version, again.status) == (2, ReportStatus.READY)
    assert AuditEvent.objects.filter(action="reporting.report.generated").count() == 2


def test_it_serves_open_data_without_small_figures(
    report: AnnualReport, client_for: ClientFor
) -> None:
    client = client_for("coordinator")
    response = client.get(f"/reports/{report.pk}/data/sv.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    child = next(
        r for r in rows if r["indicator"] == "registered_victims" and r["category"] == "child"
    )
    assert (child["value"], child["shown"], child["status"]) == ("", "<10", "primary")
    assert all(r["status"] in ("published", "primary", "secondary") for r in rows)
    data = json.loads(client.get(f"/reports/{report.pk}/data/en.json").content)
    assert data["protected"] is True
    assert all(r["value"] is None or r["value"] >= 10 for r in data["rows"])


def test_it_counts_a_victim_once_where_a_national_source_is_designated(
    report: AnnualReport, personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """Without a source the police's and the assistance system's counts are summed and the
    report says so; with the assistance system as source, its count alone is the figure."""

    def registered(of: AnnualReport) -> dict[str, Any]:
        return next(e for e in of.data["indicators"] if e["code"] == "registered_victims")

    def total(entry: dict[str, Any]) -> int:
        table = next(t for t in entry["tables"] if not t["dimension"])
        return int(next(c["count"] for c in table["cells"] if not c["category"]))

    def section(of: AnnualReport) -> str:
        html = of.documents.get(language="en").html
        start = html.index('id="indicator-registered_victims"')
        return html[start : html.index('id="indicator-', start + 1)]

    note = "may count a person more than once"
    summed = registered(report)
    assert summed["summed_across_organisations"] is True and total(summed) == 160
    assert note in section(report)

    assignment_add(
        actor=personas.coordinator,
        organisation=Organisation.objects.get(name="Assistance system"),
        indicator=Indicator.objects.get(code="registered_victims"),
        from_year=2020,
        is_national_source=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        again = services.report_generate_start(actor=personas.coordinator, year=2024)
    again.refresh_from_db()
    sourced = registered(again)
    assert sourced["summed_across_organisations"] is False and total(sourced) == 120
    assert note not in section(again)
    # The police alone count suspects, with no source designated: still flagged.
    assert note in again.documents.get(language="en").html
