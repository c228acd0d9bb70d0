"""Pages of national tables, output templates, annual reports and public statistics.

Everything shown or downloaded outside the coordination is protected; the coordination
may also see a table before protection, marked as internal, and every such read is
audited.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from polku.accounts.models import User
from polku.actors.models import Organisation
from polku.core.http import show_service_error, signed_in_user
from polku.core.pagination import paginate
from polku.core.permissions import AnyUser, insider_required, require
from polku.reporting import exports, outputs, selectors, services
from polku.reporting.choices import REPORT_LANGUAGES
from polku.reporting.documents import cell_text, sdg_shown
from polku.reporting.exports import table_rows
from polku.reporting.forms import (
    INTERNAL,
    CommentaryForm,
    GenerateForm,
    NationalTableForm,
    YearForm,
)
from polku.reporting.models import AnnualReport
from polku.reporting.permissions import (
    can_generate,
    can_publish,
    can_read_national_tables,
    can_read_unprotected,
    can_write_commentary,
)
from polku.reporting.selectors import pick
from polku.reporting.snapshot import sdg_rates
from polku.reporting.tables import TOTAL, Table


def _user(request: HttpRequest) -> AnyUser:
    """The request's user, signed in or not."""
    user = request.user
    assert isinstance(user, User | AnonymousUser)
    return user


def _table_view(table: Table, words: selectors.Vocabulary) -> dict[str, Any]:
    """A table's rows for a page: label, what is shown, and whether it is the total."""
    rows = []
    for cell in table.cells:
        label = (
            pick(words.category_name(table.dimension, cell.category))
            if cell.category
            else _("Total")
        )
        rows.append(
            {
                "label": label,
                "text": cell_text(cell, threshold=table.threshold),
                "status": cell.status,
                "is_total": cell.category == TOTAL,
            }
        )
    return {
        "dimension": table.dimension,
        "dimension_name": pick(words.dimension_name(table.dimension))
        if table.dimension
        else _("Total"),
        "rows": rows,
        "protected": table.protected,
        "suppressed": table.suppressed,
    }


def _awaited_notes(organisations: list[Organisation]) -> list[SafeString]:
    """What a page says for each national source whose accepted return is awaited."""
    return [
        selectors.awaiting_note_html(organisation.display_name) for organisation in organisations
    ]


# ---------------------------------------------------------------------------------------
# National tables
# ---------------------------------------------------------------------------------------


def _national_table(request: HttpRequest) -> dict[str, Any]:
    user = signed_in_user(request)
    require(can_read_national_tables(user))
    years = selectors.report_years()
    words = selectors.vocabulary()
    internal_allowed = can_read_unprotected(user)
    form = NationalTableForm(
        request.GET or None, years=years, words=words, internal_allowed=internal_allowed
    )
    context: dict[str, Any] = {"form": form, "years": years, "table": None, "query": ""}
    if not years or not words.indicators:
        return context
    if not form.is_bound:
        form = NationalTableForm(
            {"year": years[-1], "indicator": next(iter(words.indicators)), "dimension": ""},
            years=years,
            words=words,
            internal_allowed=internal_allowed,
        )
        context["form"] = form
    if not form.is_valid():
        return context
    year, code = form.cleaned_data["year"], form.cleaned_data["indicator"]
    dimension = form.cleaned_data.get("dimension") or ""
    internal = internal_allowed and form.cleaned_data.get("version") == INTERNAL
    threshold = selectors.threshold()
    found = selectors.national_breakdowns(years=[year], words=words, indicator_codes=[code])
    figures = found.get((year, code))
    context.update(
        {
            "year": year,
            "indicator": words.indicators[code],
            "internal": internal,
            "threshold": threshold,
            "query": request.GET.urlencode() if request.GET else form_query(form),
            "awaited": _awaited_notes(
                selectors.awaited_sources(years=[year], indicator_codes=[code]).get(
                    (year, code), []
                )
            ),
        }
    )
    if figures is None:
        return context
    tables = (
        outputs.unprotected_year(figures, threshold=threshold)
        if internal
        else outputs.protect_year(figures, threshold=threshold)
    )
    table = tables.get(dimension)
    if table is None:
        form.add_error(
            "dimension", _("No organisation gave this breakdown of the indicator for the year.")
        )
        return context
    context.update({"table": table, "words": words})
    if internal:
        selectors.unprotected_read(
            user=user,
            what="national_table",
            detail={"year": year, "indicator": code, "dimension": dimension},
        )
    return context


def form_query(form: NationalTableForm) -> str:
    from urllib.parse import urlencode

    return urlencode({key: value for key, value in form.data.items() if value is not None})


@insider_required
@never_cache
def national_tables(request: HttpRequest) -> HttpResponse:
    context = _national_table(request)
    table = context.get("table")
    if table is not None:
        context["shown"] = _table_view(table, context["words"])
    return render(request, "reporting/national_tables.html", context)


@insider_required
@never_cache
def national_table_download(request: HttpRequest, file_format: str) -> HttpResponse:
    if file_format not in exports.FORMATS:
        raise Http404
    context = _national_table(request)
    table: Table | None = context.get("table")
    if table is None:
        return redirect(reverse("reporting:national_tables") + "?" + request.GET.urlencode())
    language = translation.get_language() or "en"
    rows = table_rows([table], context["words"], language=language)
    name = f"{table.indicator}-{table.year}-{table.dimension or 'total'}"
    return exports.download(
        rows,
        file_format=file_format,
        filename=name,
        title=f"{context['indicator'].display_name} {table.year}",
        protected=table.protected,
        threshold=table.threshold,
    )


# ---------------------------------------------------------------------------------------
# Output templates
# ---------------------------------------------------------------------------------------


@insider_required
def output_list(request: HttpRequest) -> HttpResponse:
    require(can_read_national_tables(signed_in_user(request)))
    return render(request, "reporting/output_list.html", {"templates": outputs.TEMPLATES})


def _output(request: HttpRequest, code: str) -> dict[str, Any]:
    require(can_read_national_tables(signed_in_user(request)))
    template = outputs.BY_CODE.get(code)
    if template is None:
        raise Http404
    years = selectors.report_years()
    form = YearForm(request.GET or None, years=years)
    context: dict[str, Any] = {"template": template, "form": form, "years": years}
    if not years:
        return context
    year = form.cleaned_data["year"] if form.is_valid() else years[-1]
    words = selectors.vocabulary()
    threshold = selectors.threshold()
    sections = outputs.build(template, year=year, threshold=threshold, words=words)
    context.update({"year": year, "sections": sections, "words": words, "threshold": threshold})
    return context


@insider_required
def output_detail(request: HttpRequest, code: str) -> HttpResponse:
    context = _output(request, code)
    words: selectors.Vocabulary | None = context.get("words")
    shown_sections = []
    if words is None:
        return render(request, "reporting/output_detail.html", context)
    for built in context.get("sections", []):
        shown_sections.append(
            {
                "name": pick(words.indicator_name(built.section.indicator)),
                "indicator": built.section.indicator,
                "has_figures": built.has_figures,
                "tables": [_table_view(table, words) for table in built.tables],
                "not_collected": [pick(words.dimension_name(d)) for d in built.not_collected],
                "awaited": _awaited_notes(built.awaited),
            }
        )
    context["shown_sections"] = shown_sections
    # Rates need the victims' national figure: without it the section says why there is
    # none, and the rates ask for no population.
    if context["template"].rates and context.get("sections") and context["sections"][0].tables:
        built = context["sections"][0]
        rates = sdg_rates(
            year=context["year"], tables={table.dimension: table for table in built.tables}
        )
        context["rates_need_population"] = rates is None
        if rates is not None:
            labels = {
                "dimensions": {
                    d: words.dimension_name(d) for d in ("sex", "age_group", "exploitation_form")
                },
                "categories": {
                    table.dimension: {
                        cell.category: words.category_name(table.dimension, cell.category)
                        for cell in table.cells
                    }
                    for table in built.tables
                },
            }
            context["sdg"] = sdg_shown(
                {"sdg": rates, "threshold": context["threshold"], "labels": labels}
            )
    return render(request, "reporting/output_detail.html", context)


@insider_required
def output_download(request: HttpRequest, code: str, file_format: str) -> HttpResponse:
    if file_format not in exports.FORMATS:
        raise Http404
    context = _output(request, code)
    if "sections" not in context:
        return redirect("reporting:output_detail", code=code)
    language = translation.get_language() or "en"
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    for built in context["sections"]:
        rows.extend(table_rows(built.tables, context["words"], language=language))
        if built.awaited:
            awaited = exports.awaited_figure(
                year=context["year"],
                indicator=built.section.indicator,
                organisations=[organisation.display_name for organisation in built.awaited],
            )
            rows.extend(exports.awaited_rows([awaited], context["words"], language=language))
            notes.extend(exports.awaited_notes([awaited], context["words"], language=language))
    return exports.download(
        rows,
        file_format=file_format,
        filename=f"{code}-{context['year']}",
        title=f"{context['template'].name} {context['year']}",
        protected=True,
        threshold=context["threshold"],
        notes=notes,
    )


# ---------------------------------------------------------------------------------------
# Annual reports
# ---------------------------------------------------------------------------------------


def report_list(request: HttpRequest) -> HttpResponse:
    """The coordination and the rapporteur see every version; others the published ones."""
    user = _user(request)
    reports = selectors.report_list(user=user)
    return render(
        request,
        "reporting/report_list.html",
        {"page_obj": paginate(request, reports), "can_generate": can_generate(user)},
    )


@insider_required
@never_cache
@require_http_methods(["GET", "POST"])
def report_generate(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require(can_generate(user))
    years = selectors.report_years()
    form = GenerateForm(request.POST or None, years=years)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_generate_start(actor=user, year=form.cleaned_data["year"])
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("The report is being generated."))
            return redirect(report)
    return render(request, "reporting/report_generate.html", {"form": form, "years": years})


def _downloads(report: AnnualReport) -> list[dict[str, str]]:
    names = dict(settings.LANGUAGES)
    return [
        {
            "language": language,
            "name": str(names.get(language, language)),
            "pdf": reverse("reporting:report_pdf", kwargs={"pk": report.pk, "language": language}),
            "csv": reverse(
                "reporting:report_data",
                kwargs={"pk": report.pk, "language": language, "file_format": "csv"},
            ),
            "json": reverse(
                "reporting:report_data",
                kwargs={"pk": report.pk, "language": language, "file_format": "json"},
            ),
        }
        for language in REPORT_LANGUAGES
    ]


def _commentary_context(request: HttpRequest, report: AnnualReport) -> dict[str, Any]:
    commentary = selectors.commentary_for(user=_user(request), report=report)
    text, text_language = ("", "")
    if commentary is not None:
        text, text_language = commentary.text_in(translation.get_language() or "en")
    return {"commentary": commentary, "commentary_text": text, "commentary_language": text_language}


@never_cache
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    if request.headers.get("HX-Request") == "true":
        report = selectors.report_progress(user=user, pk=pk)
        if report.is_generating:
            response = render(request, "reporting/report_detail.html#progress", {"report": report})
        else:
            response = HttpResponse()
            response["HX-Refresh"] = "true"
        response["Vary"] = "HX-Request"
        return response
    report = selectors.report_progress(user=user, pk=pk)
    language = translation.get_language() or "en"
    context: dict[str, Any] = {
        "report": report,
        "can_publish": can_publish(user, report),
        "can_comment": can_write_commentary(user, report),
        "newer": selectors.newer_published(report=report) if report.is_published else None,
    }
    if report.has_documents:
        context["body"] = mark_safe(  # noqa: S308 - written by documents.render_body
            selectors.document_html(report=report, language=language)
        )
        context["downloads"] = _downloads(report)
        context.update(_commentary_context(request, report))
    response = render(request, "reporting/report_detail.html", context)
    response["Vary"] = "HX-Request"
    return response


@insider_required
@never_cache
@require_http_methods(["GET", "POST"])
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    report = selectors.report_progress(user=user, pk=pk)
    require(can_publish(user, report))
    if request.method == "POST":
        try:
            services.report_publish(actor=user, report=report)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The report is published."))
        return redirect(report)
    return render(
        request,
        "reporting/confirm.html",
        {
            "title": _("Publish the annual report %(year)s, version %(version)s?")
            % {"year": report.year, "version": report.version},
            "message": _(
                "Everyone, without signing in, will see the report, its PDF files and its "
                "open data. A published version cannot be withdrawn; a corrected one can be "
                "generated and published after it."
            ),
            "button": _("Publish the report"),
            "cancel_url": report.get_absolute_url(),
        },
    )


@insider_required
@never_cache
@require_http_methods(["GET", "POST"])
def commentary_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    report = selectors.report_progress(user=user, pk=pk)
    require(can_write_commentary(user, report))
    existing = selectors.commentary_for(user=user, report=report)
    initial = (
        {"text": existing.text, "text_fi": existing.text_fi, "text_sv": existing.text_sv}
        if existing
        else None
    )
    form = CommentaryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        publish = "publish" in request.POST
        try:
            services.commentary_save(
                actor=user, report=report, publish=publish, **form.cleaned_data
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(
                request,
                _("Your commentary is published beside the report.")
                if publish or (existing and existing.is_published)
                else _("Your commentary is saved as a draft."),
            )
            return redirect(report)
    return render(
        request,
        "reporting/commentary_form.html",
        {"form": form, "report": report, "commentary": existing},
    )


def _document_report(request: HttpRequest, pk: int, language: str) -> AnnualReport:
    if language not in REPORT_LANGUAGES:
        raise Http404
    report = selectors.report_get(user=_user(request), pk=pk)
    if not report.has_documents:
        raise Http404
    return report


def report_pdf(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    report = _document_report(request, pk, language)
    pdf = selectors.document_pdf(report=report, language=language)
    if pdf is None:
        raise Http404
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="annual-report-{report.year}-v{report.version}-{language}.pdf"'
    )
    return response


def report_data(request: HttpRequest, pk: int, language: str, file_format: str) -> HttpResponse:
    """The report's tables as open data, labels in the language."""
    if file_format not in ("csv", "json"):
        raise Http404
    report = _document_report(request, pk, language)
    rows, notes = exports.snapshot_rows(report.data, language=language)
    return exports.download(
        rows,
        file_format=file_format,
        filename=f"annual-report-{report.year}-v{report.version}-{language}",
        title=f"{report.year} v{report.version}",
        protected=True,
        threshold=report.threshold,
        notes=notes,
    )


def public_statistics(request: HttpRequest) -> HttpResponse:
    """The latest published report's tables and charts, for everyone."""
    years = selectors.published_years()
    form = YearForm(request.GET or None, years=years)
    year = form.cleaned_data["year"] if form.is_valid() else None
    report = selectors.latest_published(year=year)
    language = translation.get_language() or "en"
    context: dict[str, Any] = {
        "report": report,
        "form": form,
        "years": years,
        "threshold": selectors.threshold(),
    }
    if report is not None:
        context["body"] = mark_safe(  # noqa: S308 - written by documents.render_body
            selectors.document_html(report=report, language=language)
        )
        context["downloads"] = _downloads(report)
        context.update(_commentary_context(request, report))
    return render(request, "reporting/public.html", context)
