"""National tables and output templates: protected for everyone, unprotected (marked and
audited) for the coordination only, downloadable as CSV, XLSX and JSON."""

import csv
import io
import json
import re

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from conftest import ClientFor
from polku.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

CHILDREN = "/reports/tables/?year=2024&indicator=registered_victims&dimension=age_group"


def _row(html: str, label: str) -> str:
    """The number shown in the table row whose header is ``label``."""
    found = re.search(
        rf'<th scope="row" class="govuk-table__header">{re.escape(label)}</th>\s*'
        r'<td class="govuk-table__cell govuk-table__cell--numeric">([^<]*)</td>',
        html,
    )
    assert found, label
    return found.group(1).strip()


def test_it_withholds_small_cells_and_what_would_reveal_them(
    returns: None, client_for: ClientFor
) -> None:
    """3 children among 160 victims: "<10", and the adults withheld too ("x")."""
    html = client_for("rapporteur").get(CHILDREN).content.decode()
    assert _row(html, "Child (under 18)") == "&lt;10"
    assert _row(html, "Adult (18 or over)") == "x"
    assert _row(html, "Total") == "160"
    assert not AuditEvent.objects.filter(action__startswith="reporting.unprotected").exists()


def test_it_shows_the_coordination_the_unprotected_table_and_records_it(
    returns: None, client_for: ClientFor
) -> None:
    html = client_for("secretariat").get(CHILDREN + "&version=internal").content.decode()
    assert "Internal: not protected" in html
    assert _row(html, "Child (under 18)") == "3"
    assert _row(html, "Adult (18 or over)") == "157"
    event = AuditEvent.objects.get(action="reporting.unprotected.national_table")
    assert event.actor is not None and event.actor.username == "secretariat"
    assert event.detail == {
        "year": 2024,
        "indicator": "registered_victims",
        "dimension": "age_group",
    }


def test_it_never_shows_the_rapporteur_the_unprotected_table(
    returns: None, client_for: ClientFor
) -> None:
    html = client_for("rapporteur").get(CHILDREN + "&version=internal").content.decode()
    assert "Internal: not protected" not in html
    assert _row(html, "Child (under 18)") == "&lt;10"
    csv_text = client_for("rapporteur").get(
        "/reports/tables/download.csv?year=2024&indicator=registered_victims"
        "&dimension=age_group&version=internal"
    )
    assert "INTERNAL" not in csv_text["Content-Disposition"]
    assert ",3," not in csv_text.content.decode("utf-8-sig")


def test_it_downloads_the_protected_table_in_three_formats(
    returns: None, client_for: ClientFor
) -> None:
    client = client_for("coordinator")
    query = "year=2024&indicator=registered_victims&dimension=age_group"
    response = client.get(f"/reports/tables/download.csv?{query}")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["category"], r["value"], r["shown"], r["status"]) for r in rows] == [
        ("child", "", "<10", "primary"),
        ("adult", "", "x", "secondary"),
        ("unknown", "", "<10", "primary"),
        ("total", "160", "160", "published"),
    ]
    workbook = load_workbook(
        io.BytesIO(client.get(f"/reports/tables/download.xlsx?{query}").content)
    )
    values = list(workbook.active.iter_rows(values_only=True))
    assert ("registered_victims" in values[-1]) and values[-1][7] == 160
    assert all(row[7] is None for row in values[2:-1])
    document = json.loads(client.get(f"/reports/tables/download.json?{query}").content)
    assert document["protected"] is True and "warning" not in document


def test_it_marks_the_internal_download_and_records_it(
    returns: None, client_for: ClientFor
) -> None:
    response = client_for("coordinator").get(
        "/reports/tables/download.json?year=2024&indicator=registered_victims"
        "&dimension=age_group&version=internal"
    )
    assert "INTERNAL-unprotected-" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert document["protected"] is False and "must not leave" in document["warning"]
    assert {row["status"] for row in document["rows"]} == {"unprotected"}
    assert document["rows"][0]["value"] == 3
    assert AuditEvent.objects.filter(action="reporting.unprotected.national_table").count() == 1


def test_it_fills_the_output_templates_with_protected_tables(
    returns: None, client_for: ClientFor
) -> None:
    client = client_for("rapporteur")
    eurostat = client.get("/reports/templates/eurostat/?year=2024").content.decode()
    assert "Not collected for this indicator:" in eurostat  # no forms for suspects
    greta = client.get("/reports/templates/greta/download.csv?year=2024")
    rows = list(csv.DictReader(io.StringIO(greta.content.decode("utf-8-sig"))))
    assert {row["indicator"] for row in rows} >= {"registered_victims", "prosecuted", "convicted"}
    # Six convicted persons: every cell of theirs is below the threshold.
    assert all(row["value"] == "" for row in rows if row["indicator"] == "convicted")
    sdg = client.get("/reports/templates/sdg-16-2-2/?year=2024").content.decode()
    assert "Victims per 100,000 population" in sdg
    # 160 victims in a population of 5,600,000.
    assert _row(sdg, "All victims") == "160"
    assert "2.86" in sdg
