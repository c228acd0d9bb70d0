"""Pages to upload a capture-history table, follow an estimate, read and compare results,
accept one for the annual report, and delete runs."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from polku.core.http import show_service_error, signed_in_user
from polku.core.pagination import paginate
from polku.core.permissions import insider_required, require
from polku.statistics import selectors, services
from polku.statistics.forms import EstimateFilterForm, EstimateRerunForm, EstimateUploadForm
from polku.statistics.models import EstimateRun
from polku.statistics.permissions import (
    can_accept,
    can_delete,
    can_read_table,
    can_rerun,
    can_run_estimates,
)
from polku.statistics.wording import (
    CAVEATS,
    check_meaning,
    error_text,
    overlap_label,
    step_kind,
    warning_text,
)


@insider_required
def estimate_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require(can_run_estimates(user))
    form = EstimateFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    runs = selectors.estimate_list(user=user, status=status)
    return render(
        request,
        "statistics/estimate_list.html",
        {"form": form, "page_obj": paginate(request, runs), "filtered": bool(status)},
    )


@insider_required
@never_cache
@require_http_methods(["GET", "POST"])
def estimate_create(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require(can_run_estimates(user))
    form = EstimateUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.estimate_run_start(
                actor=user,
                title=form.cleaned_data["title"],
                reference_year=form.cleaned_data["reference_year"],
                table_text=form.cleaned_data["table"],
                options=form.to_options(),
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("The estimate has started."))
            return redirect(run)
    return render(request, "statistics/estimate_form.html", {"form": form})


@insider_required
def estimate_template(request: HttpRequest) -> HttpResponse:
    """An example capture-history table (made-up numbers) to start from."""
    require(can_run_estimates(signed_in_user(request)))
    response = HttpResponse(services.EXAMPLE_TABLE, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="capture-histories-example.csv"'
    return response


def _steps(run: EstimateRun) -> list[dict[str, Any]]:
    steps = (run.diagnostics.get("selection") or {}).get("steps") or []
    return [
        {
            "term": overlap_label(step.get("term", [])),
            "kind": step_kind(step.get("kind", "")),
            "statistic": step.get("statistic"),
        }
        for step in steps
    ]


@insider_required
def estimate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    run = selectors.estimate_get(user=user, pk=pk)
    if request.headers.get("HX-Request") == "true":
        # The progress display asks again every few seconds; once the run is over the
        # whole page is loaded to show the result.
        if run.is_active:
            response = render(request, "statistics/estimate_detail.html#progress", {"run": run})
        else:
            response = HttpResponse()
            response["HX-Refresh"] = "true"
        response["Vary"] = "HX-Request"
        return response
    context: dict[str, Any] = {
        "run": run,
        "lists": list(zip(run.lists, run.list_totals, strict=False)),
        "caveats": CAVEATS,
        "check_meaning": check_meaning(run.check_code),
        "warnings": [warning_text(warning) for warning in run.warnings],
        "error": error_text(run.error_code) if run.error_code else "",
        "steps": _steps(run),
        "overlaps": [overlap_label(term) for term in run.model_terms],
        "empty_overlaps": [overlap_label(pair) for pair in run.empty_overlaps],
        "diagnostics": run.diagnostics,
        "compared": selectors.same_table_runs(user=user, run=run).count(),
        "can_accept": can_accept(user, run),
        "can_delete": can_delete(user, run),
        "can_rerun": can_rerun(user, run),
        "can_read_table": can_read_table(user, run),
    }
    response = render(request, "statistics/estimate_detail.html", context)
    response["Vary"] = "HX-Request"
    return response


@insider_required
@never_cache
def estimate_table(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    run = selectors.estimate_get(user=user, pk=pk)
    require(can_read_table(user, run))
    table = selectors.estimate_table(user=user, run=run, purpose="view")
    return render(request, "statistics/estimate_table.html", {"run": run, "table": table})


@insider_required
@never_cache
def estimate_table_csv(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    run = selectors.estimate_get(user=user, pk=pk)
    require(can_read_table(user, run))
    table = selectors.estimate_table(user=user, run=run, purpose="download")
    response = HttpResponse(table.csv_text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="estimate-{run.pk}-table.csv"'
    return response


@insider_required
@never_cache
@require_http_methods(["GET", "POST"])
def estimate_rerun(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    run = selectors.estimate_get(user=user, pk=pk)
    require(can_rerun(user, run))
    form = EstimateRerunForm(request.POST or None, initial=EstimateRerunForm.initial_from(run))
    if request.method == "POST" and form.is_valid():
        try:
            again = services.estimate_run_rerun(
                actor=user, run=run, options=form.to_options(), title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("The estimate has started again with the new options."))
            return redirect(again)
    return render(request, "statistics/estimate_rerun.html", {"form": form, "run": run})


@insider_required
def estimate_compare(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    run = selectors.estimate_get(user=user, pk=pk)
    runs = selectors.same_table_runs(user=user, run=run)
    return render(
        request,
        "statistics/estimate_compare.html",
        {"run": run, "page_obj": paginate(request, runs), "can_rerun": can_rerun(user, run)},
    )


@insider_required
@require_POST
def estimate_accept(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    run = selectors.estimate_get(user=user, pk=pk)
    require(can_accept(user, run))
    try:
        replaced = services.estimate_run_accept(actor=user, run=run)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if replaced:
            messages.success(
                request,
                _(
                    "The estimate is in the annual report for %(year)s, in place of the one "
                    "accepted before from the same table."
                )
                % {"year": run.reference_year},
            )
        else:
            messages.success(
                request,
                _("The estimate is in the annual report for %(year)s.")
                % {"year": run.reference_year},
            )
    return redirect(run)


@insider_required
@require_POST
def estimate_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    run = selectors.estimate_get(user=user, pk=pk)
    require(can_accept(user, run))
    services.estimate_run_withdraw(actor=user, run=run)
    messages.success(request, _("The estimate is no longer in the annual report."))
    return redirect(run)


@insider_required
@require_http_methods(["GET", "POST"])
def estimate_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    run = selectors.estimate_get(user=user, pk=pk)
    require(can_delete(user, run))
    if request.method == "POST":
        try:
            services.estimate_run_delete(actor=user, run=run)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(run)
        messages.success(request, _("The estimate and its copy of the table were deleted."))
        return redirect("statistics:estimate_list")
    return render(
        request,
        "statistics/confirm.html",
        {
            "title": _("Delete this estimate?"),
            "message": _(
                "“%(title)s” and its copy of the capture-history table will be deleted for good. "
                "Other runs on the same table keep their own copies."
            )
            % {"title": run.title},
            "button": _("Delete estimate"),
            "cancel_url": run.get_absolute_url(),
        },
    )
