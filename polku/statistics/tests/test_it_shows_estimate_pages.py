"""The pages: upload a table, follow the run, read the result with its caveats, compare methods,
accept it, and delete a run after confirming."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import ClientFor, Personas
from polku.statistics.choices import RunStatus
from polku.statistics.models import EstimateRun
from polku.statistics.services import read_table
from polku.statistics.tests.factories import make_run, reference_csv


def _upload(content: str, name: str = "ukdat5.csv", **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Victims identified by five agencies",
        "reference_year": "2024",
        "table": SimpleUploadedFile(name, content.encode(), content_type="text/csv"),
        "method": "stepwise",
        "interval": "wald",
        "level": "0.95",
        "pthresh": "0.02",
        "nboot": "1000",
    }
    data.update(fields)
    return data


def test_it_uploads_a_table_and_shows_the_result(
    client_for: ClientFor, django_capture_on_commit_callbacks: Any
) -> None:
    """The secretariat uploads UKdat_5 and reads the stepwise estimate in words and figures."""
    client = client_for("secretariat")
    page = client.get(reverse("statistics:estimate_create"))
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("statistics:estimate_create"), _upload(reference_csv("UKdat_5"))
        )
    run = EstimateRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == run.get_absolute_url()
    page = client.get(run.get_absolute_url())
    text = page.text
    assert "An estimated 11,313 people in all, with a 95% interval from 9,884 to 13,027." in text
    assert "2,744 people were on at least one list; about 8,569 more are estimated" in text
    assert "<li>LA and NG</li>" in text and "<li>GO and GP</li>" in text
    assert "added LA and NG (Poisson p-value" in text
    assert "The estimate exists and is identifiable." in text
    assert "The lists must be linked and de-duplicated" in text
    assert "The estimate depends on the model; compare methods" in text
    assert "Accept for the annual report" in text
    assert "Run again with another method" in text
    # The counts per list are shown; the cells of the table are not (463 are on NG alone).
    for name, total in zip(run.lists, run.list_totals, strict=True):
        assert f'<th scope="row" class="govuk-table__header">{name}</th>' in text
        assert f">{total:,}<" in text
    assert ">463<" not in text
    assert "<progress" not in text


def test_it_shows_every_problem_of_a_bad_upload_and_keeps_nothing(client_for: ClientFor) -> None:
    """Each bad line is listed in the error summary with its line and column."""
    client = client_for("secretariat")
    response = client.post(
        reverse("statistics:estimate_create"),
        _upload("A,B,count\n1,0,3\n0,1,x\n1,1,2.5\n"),
    )
    assert response.status_code == 200
    text = response.text
    assert "There is a problem" in text
    assert "Line 3, column “count”: the count must be a number." in text
    assert "Line 4, column “count”: the count must be a whole number." in text
    assert 'href="#id_table"' in text
    assert not EstimateRun.objects.exists()


def test_it_refuses_a_workbook_upload(client_for: ClientFor) -> None:
    """A spreadsheet workbook is refused with advice to save it as CSV."""
    response = client_for("dataprovider").post(
        reverse("statistics:estimate_create"),
        _upload("PK\x03\x04 workbook", name="table.xlsx"),
    )
    assert "Save the table as CSV" in response.text
    assert not EstimateRun.objects.exists()


def test_it_offers_an_example_table(client_for: ClientFor) -> None:
    """The example downloads as a CSV file that is a valid table."""
    response = client_for("rapporteur").get(reverse("statistics:estimate_template"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert read_table(response.content.decode()).n_lists == 3


def test_it_shows_progress_while_running_and_the_result_after(
    personas: Personas, client_for: ClientFor
) -> None:
    """A running bootstrap shows how far it is; htmx asks again until the run is over."""
    run = make_run(
        created_by=personas.secretariat,
        organisation=personas.justice,
        status=RunStatus.RUNNING,
        interval_method="bca",
        progress_done=256,
        progress_total=1018,
    )
    client = client_for("coordinator")
    page = client.get(run.get_absolute_url())
    assert '<progress id="estimate-progress-bar"' in page.text
    assert 'max="1018" value="256"' in page.text
    assert "256 of 1018 (25%)" in page.text
    assert 'hx-trigger="every 3s"' in page.text
    assert "Refresh this page" in page.text
    fragment = client.get(run.get_absolute_url(), headers={"HX-Request": "true"})
    assert "256 of 1018" in fragment.text
    assert "<html" not in fragment.text
    EstimateRun.objects.filter(pk=run.pk).update(status=RunStatus.FINISHED, estimate=1.0)
    done = client.get(run.get_absolute_url(), headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"


def test_it_explains_a_run_without_an_estimate(personas: Personas, client_for: ClientFor) -> None:
    """No number is shown: the reason is."""
    run = make_run(
        created_by=personas.secretariat,
        organisation=personas.justice,
        status=RunStatus.NOT_ESTIMABLE,
        check_code=1,
        model_terms=[],
    )
    text = client_for("secretariat").get(run.get_absolute_url()).text
    assert "No estimate" in text
    assert "does not exist" in text
    assert "An estimated" not in text
    assert "Accept for the annual report" not in text


def test_it_shows_a_failure_without_internals(personas: Personas, client_for: ClientFor) -> None:
    """A failed run says so in plain words."""
    run = make_run(
        created_by=personas.secretariat,
        organisation=personas.justice,
        status=RunStatus.FAILED,
        error_code="internal",
    )
    text = client_for("secretariat").get(run.get_absolute_url()).text
    assert "could not be computed because of an error in Polku" in text


def test_it_runs_again_with_another_method_and_compares(
    personas: Personas, client_for: ClientFor, django_capture_on_commit_callbacks: Any
) -> None:
    """The rerun form proposes another method; both runs then sit side by side."""
    run = make_run(created_by=personas.secretariat, organisation=personas.justice)
    client = client_for("secretariat2")
    form = client.get(reverse("statistics:estimate_rerun", args=[run.pk]))
    assert form.context["form"].initial["method"] != run.method
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("statistics:estimate_rerun", args=[run.pk]),
            {
                "title": "Same table, main effects",
                "method": "main",
                "interval": "wald",
                "level": "0.95",
                "pthresh": "0.02",
                "nboot": "1000",
            },
        )
    again = EstimateRun.objects.exclude(pk=run.pk).get()
    assert response["Location"] == again.get_absolute_url()
    assert again.status == RunStatus.FINISHED
    assert again.table_digest == run.table_digest
    compare = client.get(reverse("statistics:estimate_compare", args=[run.pk]))
    assert compare.context["page_obj"].paginator.count == 2
    assert "Same table, main effects" in compare.text
    assert "Main effects" in compare.text and "Stepwise" in compare.text


def test_it_accepts_and_withdraws_from_the_detail_page(
    personas: Personas, client_for: ClientFor
) -> None:
    """Accepting shows the run as in the annual report; withdrawing takes it out."""
    run = make_run(created_by=personas.secretariat, organisation=personas.justice)
    client = client_for("coordinator")
    response = client.post(reverse("statistics:estimate_accept", args=[run.pk]), follow=True)
    assert "The estimate is in the annual report for 2025." in response.text
    assert "Withdraw from the annual report" in response.text
    assert "Delete this estimate" not in response.text
    response = client.post(reverse("statistics:estimate_withdraw", args=[run.pk]), follow=True)
    assert "no longer in the annual report" in response.text


def test_it_asks_before_deleting(personas: Personas, client_for: ClientFor) -> None:
    """The delete link leads to a confirmation page; the run goes only on POST."""
    run = make_run(created_by=personas.secretariat, organisation=personas.justice)
    client = client_for("secretariat")
    page = client.get(reverse("statistics:estimate_delete", args=[run.pk]))
    assert "Delete this estimate?" in page.text
    assert EstimateRun.objects.filter(pk=run.pk).exists()
    response = client.post(reverse("statistics:estimate_delete", args=[run.pk]))
    assert response["Location"] == reverse("statistics:estimate_list")
    assert not EstimateRun.objects.filter(pk=run.pk).exists()


def test_it_lists_runs_with_a_status_filter_and_an_empty_state(
    personas: Personas, client_for: ClientFor
) -> None:
    """The list starts empty with a way to upload; the filter keeps one status."""
    client = client_for("secretariat")
    empty = client.get(reverse("statistics:estimate_list"))
    assert "No estimates have been run yet" in empty.text
    assert reverse("statistics:estimate_create") in empty.text
    make_run(created_by=personas.secretariat, organisation=personas.justice, title="Done")
    make_run(
        created_by=personas.secretariat,
        organisation=personas.justice,
        title="Broken",
        status=RunStatus.FAILED,
        error_code="internal",
    )
    failed = client.get(reverse("statistics:estimate_list"), {"status": "failed"})
    assert [run.title for run in failed.context["page_obj"]] == ["Broken"]
    none = client.get(reverse("statistics:estimate_list"), {"status": "running"})
    assert "No estimates have this status." in none.text


def test_it_names_the_empty_overlaps_and_the_warnings(
    personas: Personas, client_for: ClientFor
) -> None:
    """Pairs dropped as empty overlaps and the estimator's warnings are shown in words."""
    run = make_run(
        created_by=personas.secretariat,
        organisation=personas.justice,
        model_terms=[["A", "B"], ["A", "C"]],
        empty_overlaps=[["A", "C"]],
        warnings=[{"code": "bootstrap_failed", "failed": 3}, {"code": "interval_unbounded"}],
    )
    text = client_for("secretariat").get(run.get_absolute_url()).text
    assert "their cells were left out of the fit" in text
    assert "<li>A and C</li>" in text
    assert "3 bootstrap replicates had no estimate" in text
    assert "no finite limit on one side" in text


def test_it_fills_in_advanced_options_left_empty(
    client_for: ClientFor, django_capture_on_commit_callbacks: Any
) -> None:
    """An emptied threshold or replicate count takes the published default."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("secretariat").post(
            reverse("statistics:estimate_create"),
            _upload(reference_csv("UKdat_5"), pthresh="", nboot=""),
        )
    assert response.status_code == 302
    run = EstimateRun.objects.get()
    assert (run.pthresh, run.nboot) == (0.02, 1000)
    assert run.estimate is not None and round(run.estimate) == 11313
