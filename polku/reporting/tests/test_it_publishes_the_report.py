"""Publishing: the coordinator confirms, the public then sees the protected report; the
rapporteur's commentary is its own, and the coordination cannot change it."""

import re
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied

from conftest import ClientFor, Personas
from polku.audit.models import AuditEvent
from polku.reporting import services
from polku.reporting.choices import ReportStatus, ReportStep
from polku.reporting.models import AnnualReport, RapporteurCommentary
from polku.reporting.tests.conftest import STAND_IN_PDF
from polku.reporting.tests.factories import make_report

pytestmark = pytest.mark.django_db


def _child_row(html: str) -> str:
    found = re.search(
        r'<th scope="row" class="govuk-table__header">Child \(under 18\)</th>\s*'
        r'<td class="govuk-table__cell govuk-table__cell--numeric">([^<]*)</td>',
        html,
    )
    assert found
    return found.group(1)


def test_it_publishes_after_confirmation_and_shows_the_public_only_protected_figures(
    generated_report: AnnualReport, client_for: ClientFor
) -> None:
    anonymous = client_for("anonymous")
    assert (
        "No statistics have been published yet"
        in anonymous.get("/reports/public/").content.decode()
    )
    assert anonymous.get(generated_report.get_absolute_url()).status_code == 404

    coordinator = client_for("coordinator")
    confirm = coordinator.get(f"/reports/{generated_report.pk}/publish/")
    assert "Publish the report" in confirm.content.decode()
    generated_report.refresh_from_db()
    assert generated_report.status == ReportStatus.READY
    response = coordinator.post(f"/reports/{generated_report.pk}/publish/")
    assert response.status_code == 302
    generated_report.refresh_from_db()
    assert generated_report.status == ReportStatus.PUBLISHED
    assert AuditEvent.objects.filter(action="reporting.report.publish").count() == 1

    public = anonymous.get("/reports/public/").content.decode()
    assert _child_row(public) == "&lt;10"
    assert 'role="img"' in public
    assert anonymous.get(generated_report.get_absolute_url()).status_code == 200
    pdf = anonymous.get(f"/reports/{generated_report.pk}/pdf/sv/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content == STAND_IN_PDF
    assert anonymous.get(f"/reports/{generated_report.pk}/data/fi.json").status_code == 200


def test_it_refuses_to_publish_twice_or_for_the_secretariat(
    published_report: AnnualReport, personas: Personas, generate: Callable[..., AnnualReport]
) -> None:
    with pytest.raises(PermissionDenied):
        services.report_publish(actor=personas.coordinator, report=published_report)
    newer = generate()
    with pytest.raises(PermissionDenied):
        services.report_publish(actor=personas.secretariat, report=newer)
    assert AnnualReport.objects.get(pk=newer.pk).status == ReportStatus.READY


def test_it_shows_the_latest_published_version_and_points_older_ones_to_it(
    published_report: AnnualReport,
    personas: Personas,
    generate: Callable[..., AnnualReport],
    client_for: ClientFor,
) -> None:
    newer = services.report_publish(actor=personas.coordinator, report=generate())
    assert newer.version == 2
    anonymous = client_for("anonymous")
    assert "Version 2, published" in anonymous.get("/reports/public/").content.decode()
    old = anonymous.get(published_report.get_absolute_url()).content.decode()
    assert "A newer version of this report has been published" in old


def test_it_publishes_the_rapporteurs_commentary_beside_the_report(
    published_report: AnnualReport, client_for: ClientFor
) -> None:
    rapporteur = client_for("rapporteur")
    url = f"/reports/{published_report.pk}/commentary/"
    rapporteur.post(url, {"text": "", "text_fi": "Luonnos.", "text_sv": "", "save": "1"})
    commentary = RapporteurCommentary.objects.get()
    assert commentary.published_at is None
    assert "Luonnos." not in client_for("anonymous").get("/reports/public/").content.decode()
    assert (
        "Luonnos."
        not in client_for("coordinator").get(published_report.get_absolute_url()).content.decode()
    )

    rapporteur.post(
        url, {"text": "Too few convictions.", "text_fi": "", "text_sv": "", "publish": "1"}
    )
    commentary.refresh_from_db()
    assert commentary.published_at is not None
    public = client_for("anonymous").get("/reports/public/").content.decode()
    assert 'id="commentary-heading"' in public
    assert "Too few convictions." in public
    assert AuditEvent.objects.filter(action="reporting.commentary.publish").count() == 1


def test_it_shows_a_commentary_in_the_language_it_was_written_in(
    published_report: AnnualReport, personas: Personas, client_for: ClientFor
) -> None:
    services.commentary_save(
        actor=personas.rapporteur,
        report=published_report,
        text="",
        text_fi="Tuomioita on liian vähän.",
        text_sv="",
        publish=True,
    )
    public = client_for("anonymous").get("/reports/public/").content.decode()
    assert '<div lang="fi"><p>Tuomioita on liian vähän.</p></div>' in public


@pytest.mark.parametrize("persona", ["coordinator", "secretariat", "admin"])
def test_it_keeps_the_coordination_from_editing_the_commentary(
    published_report: AnnualReport, personas: Personas, client_for: ClientFor, persona: str
) -> None:
    commentary = services.commentary_save(
        actor=personas.rapporteur,
        report=published_report,
        text="Independent words.",
        text_fi="",
        text_sv="",
        publish=True,
    )
    client = client_for(persona)
    url = f"/reports/{published_report.pk}/commentary/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"text": "Changed.", "publish": "1"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.commentary_save(
            actor=personas.by_name(persona),  # type: ignore[arg-type]
            report=published_report,
            text="Changed.",
            text_fi="",
            text_sv="",
            publish=True,
        )
    commentary.refresh_from_db()
    assert commentary.text == "Independent words."


def test_it_refuses_to_publish_an_empty_commentary(
    published_report: AnnualReport, client_for: ClientFor
) -> None:
    response = client_for("rapporteur").post(
        f"/reports/{published_report.pk}/commentary/",
        {"text": " ", "text_fi": "", "text_sv": "", "publish": "1"},
    )
    assert response.status_code == 200
    assert "Write the commentary in at least one language." in response.content.decode()
    assert not RapporteurCommentary.objects.exists()


def test_it_shows_progress_while_generating_and_reloads_when_done(
    personas: Personas, client_for: ClientFor
) -> None:
    report = make_report(
        requested_by=personas.coordinator,
        status=ReportStatus.GENERATING,
        step=ReportStep.CHARTS,
        progress_done=30,
        progress_total=120,
    )
    client = client_for("secretariat")
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 3s"' in page
    assert '<progress id="report-progress-bar"' in page and 'value="30"' in page
    assert "Drawing the charts" in page and "25% done" in page
    fragment = client.get(report.get_absolute_url(), headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode() and "25% done" in fragment.content.decode()
    AnnualReport.objects.filter(pk=report.pk).update(status=ReportStatus.READY)
    done = client.get(report.get_absolute_url(), headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"


def test_it_marks_a_failed_generation(
    returns: None,
    personas: Personas,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: object,
    client_for: ClientFor,
) -> None:
    from polku.reporting import documents

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("no fonts")

    monkeypatch.setattr(documents, "render_body", broken)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        report = services.report_generate_start(actor=personas.coordinator, year=2024)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert not report.documents.exists()
    page = client_for("coordinator").get(report.get_absolute_url()).content.decode()
    assert "could not be generated" in page


def test_it_refuses_a_year_without_accepted_returns(
    returns: None, personas: Personas, client_for: ClientFor
) -> None:
    response = client_for("coordinator").post("/reports/generate/", {"year": "2019"})
    assert response.status_code == 200
    assert not AnnualReport.objects.exists()
