"""Pages of the authorities' returns and of the indicators they report."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from polku.accounts.models import User
from polku.core.http import show_service_error, signed_in_user
from polku.core.pagination import paginate
from polku.core.permissions import get_in_scope, insider_required, require
from polku.statistics import selectors_returns as selectors
from polku.statistics.choices_returns import (
    Dimension,
    FigureSource,
)
from polku.statistics.csv_returns import read_upload, template_csv
from polku.statistics.forms_returns import (
    CommentForm,
    FiguresForm,
    ReturnFilterForm,
    ReturnStartForm,
    ReviseForm,
    SendBackForm,
    SubmitForm,
    UploadForm,
    ValidatorForm,
    figure_values,
    table_layout,
)
from polku.statistics.models import Indicator, Return, ReturnEvent, ReturnValidator
from polku.statistics.permissions_returns import (
    can_accept,
    can_edit,
    can_keep_validators,
    can_list_returns,
    can_revise,
    can_send_back,
    can_submit,
    can_validate,
    is_coordination,
    is_provider,
    is_validator,
)
from polku.statistics.selectors_returns import Queue
from polku.statistics.services.returns import (
    FiguresInvalid,
    WarningsNotConfirmed,
    return_accept,
    return_revise,
    return_save_figures,
    return_send_back,
    return_start,
    return_submit,
    return_validate,
    submission_problems,
    submission_warnings,
    validator_designate,
    validator_remove,
)
from polku.statistics.validation import (
    Problem,
    assigned_indicators,
    category_label,
    entries_from_figures,
)


def _posted(request: HttpRequest) -> Any:
    """The posted data, even when empty, so a form whose fields are all optional is bound."""
    return request.POST if request.method == "POST" else None


def _queues(user: User) -> list[tuple[str, str]]:
    queues = []
    if is_provider(user):
        queues.append((Queue.FILL, _("To fill")))
    if is_validator(user):
        queues.append((Queue.VALIDATE, _("To validate")))
    if is_coordination(user):
        queues.append((Queue.ACCEPT, _("To accept")))
    queues.append((Queue.ALL, _("All I can see")))
    return queues


@insider_required
def return_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require(can_list_returns(user))
    queues = _queues(user)
    queue = request.GET.get("queue") or queues[0][0]
    if queue not in dict(queues):
        queue = Queue.ALL
    form = ReturnFilterForm(request.GET or None, years=selectors.return_years(user=user))
    year = status = None
    if form.is_valid():
        year = form.cleaned_data["year"]
        status = form.cleaned_data["status"] or None
    returns = selectors.return_list(user=user, queue=queue, year=year, status=status)
    return render(
        request,
        "statistics/return_list.html",
        {
            "form": form,
            "queue": queue,
            "queues": queues,
            "page_obj": paginate(request, returns),
            "filtered": bool(year or status),
            "can_start": is_provider(user),
            "can_keep_validators": can_keep_validators(user),
        },
    )


@insider_required
@never_cache
@require_http_methods(["GET", "POST"])
def return_start_view(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    organisations = selectors.organisations_to_fill(user=user)
    require(organisations.exists())
    form = ReturnStartForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            statistics_return = return_start(
                actor=user,
                organisation=form.cleaned_data["organisation"],
                year=form.cleaned_data["year"],
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            return redirect(statistics_return)
    return render(request, "statistics/return_start.html", {"form": form})


def _get(request: HttpRequest, pk: int) -> tuple[User, Return]:
    user = signed_in_user(request)
    statistics_return = selectors.return_get(user=user, pk=pk)
    if statistics_return is None:
        raise Http404
    return user, statistics_return


def _indicators_of(statistics_return: Return) -> list[Indicator]:
    """The assigned indicators, then any others the return holds figures of."""
    indicators = assigned_indicators(
        organisation=statistics_return.organisation, year=statistics_return.year
    )
    codes = {indicator.code for indicator in indicators}
    for figure in statistics_return.figures.all():
        if figure.indicator.code not in codes:
            indicators.append(figure.indicator)
            codes.add(figure.indicator.code)
    return indicators


def _events(statistics_return: Return) -> list[ReturnEvent]:
    """The timeline, with the API tokens its steps were taken with fetched in one query."""
    events = list(statistics_return.events.all())
    prefetch_related_objects(events, "token")
    return events


@insider_required
def return_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, statistics_return = _get(request, pk)
    selectors.return_read(user=user, statistics_return=statistics_return, what="read")
    forms = selectors.current_forms()
    indicators = _indicators_of(statistics_return)
    figures = list(statistics_return.figures.all())
    countries = [
        (figure, category_label(Dimension.COUNTRY, figure.category, forms))
        for figure in figures
        if figure.dimension == Dimension.COUNTRY
    ]
    editable = can_edit(user, statistics_return)
    context: dict[str, Any] = {
        "statistics_return": statistics_return,
        "sections": table_layout(indicators, forms, values=figure_values(statistics_return)),
        "indicators": indicators,
        "countries": countries,
        "has_figures": bool(figures),
        "events": _events(statistics_return),
        "revisions": list(statistics_return.revisions.all()),
        "validators": selectors.validators_of(organisation=statistics_return.organisation),
        "can_edit": editable,
        "can_submit": can_submit(user, statistics_return),
        "can_validate": can_validate(user, statistics_return),
        "can_accept": can_accept(user, statistics_return),
        "can_send_back": can_send_back(user, statistics_return),
        "can_revise": can_revise(user, statistics_return),
        "problems": submission_problems(statistics_return=statistics_return) if editable else [],
        "warnings": submission_warnings(statistics_return=statistics_return) if editable else [],
    }
    return render(request, "statistics/return_detail.html", context)


@insider_required
@never_cache
@require_http_methods(["GET", "POST"])
def return_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user, statistics_return = _get(request, pk)
    require(can_edit(user, statistics_return))
    forms = selectors.current_forms()
    indicators = _indicators_of(statistics_return)
    form = FiguresForm(
        _posted(request),
        indicators=indicators,
        forms_of_exploitation=forms,
        initial_values=figure_values(statistics_return),
    )
    if request.method == "POST" and form.is_valid():
        kept = [
            figure
            for figure in statistics_return.figures.all()
            if figure.dimension == Dimension.COUNTRY
        ]
        try:
            return_save_figures(
                actor=user,
                statistics_return=statistics_return,
                entries=[*form.entries(), *entries_from_figures(kept, forms)],
                source=FigureSource.FORM,
            )
        except FiguresInvalid as error:
            form.show_problems(error.problems)
        else:
            messages.success(request, _("The figures are saved."))
            return redirect(statistics_return)
    # The form shows the saved figures, as the return's page does.
    selectors.return_read(user=user, statistics_return=statistics_return, what="edit_form")
    return render(
        request,
        "statistics/return_form.html",
        {"statistics_return": statistics_return, "form": form, "indicators": indicators},
    )


@insider_required
@never_cache
@require_http_methods(["GET", "POST"])
def return_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user, statistics_return = _get(request, pk)
    require(can_edit(user, statistics_return))
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[Problem] = []
    if request.method == "POST" and form.is_valid():
        entries, problems = read_upload(form.cleaned_data["file"].read())
        if not problems:
            try:
                return_save_figures(
                    actor=user,
                    statistics_return=statistics_return,
                    entries=entries,
                    source=FigureSource.UPLOAD,
                )
            except FiguresInvalid as error:
                problems = error.problems
            else:
                messages.success(
                    request,
                    ngettext(
                        "The file is uploaded: %(count)s figure is saved.",
                        "The file is uploaded: %(count)s figures are saved.",
                        len(entries),
                    )
                    % {"count": len(entries)},
                )
                return redirect(statistics_return)
        form.add_error(
            "file",
            _("The file has %(count)s problems. Nothing was saved; fix them and upload it again.")
            % {"count": len(problems)}
            if len(problems) != 1
            else _("The file has a problem. Nothing was saved; fix it and upload it again."),
        )
    # The page shows no saved figures, but opening a return to replace them is recorded
    # as opening the form is.
    selectors.return_read(user=user, statistics_return=statistics_return, what="upload_form")
    return render(
        request,
        "statistics/return_upload.html",
        {"statistics_return": statistics_return, "form": form, "problems": problems},
    )


@insider_required
def return_template(request: HttpRequest, pk: int) -> HttpResponse:
    """The return's cells as CSV to fill in, with the figures saved so far."""
    user, statistics_return = _get(request, pk)
    selectors.return_read(user=user, statistics_return=statistics_return, what="download")
    text = template_csv(
        organisation=statistics_return.organisation,
        year=statistics_return.year,
        forms=selectors.current_forms(),
        statistics_return=statistics_return,
    )
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    filename = f"return-{statistics_return.organisation_id}-{statistics_return.year}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@insider_required
@never_cache
@require_http_methods(["GET", "POST"])
def return_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    user, statistics_return = _get(request, pk)
    require(can_submit(user, statistics_return))
    form = SubmitForm(_posted(request))
    problems = submission_problems(statistics_return=statistics_return)
    warnings = submission_warnings(statistics_return=statistics_return)
    if request.method == "POST" and form.is_valid() and not problems:
        try:
            return_submit(
                actor=user,
                statistics_return=statistics_return,
                confirm_warnings=form.cleaned_data["confirm_warnings"],
            )
        except WarningsNotConfirmed as error:
            show_service_error(form, error)
        except FiguresInvalid as error:
            problems = error.problems
        else:
            messages.success(
                request, _("The return is submitted to your organisation's validator.")
            )
            return redirect(statistics_return)
    return render(
        request,
        "statistics/return_submit.html",
        {
            "statistics_return": statistics_return,
            "form": form,
            "problems": problems,
            "warnings": warnings,
        },
    )


def _step(
    request: HttpRequest,
    pk: int,
    *,
    allowed: Any,
    action: Any,
    form_class: type[CommentForm] | type[SendBackForm] | type[ReviseForm],
    title: str,
    message: str,
    button: str,
    done: str,
    warning: bool = False,
) -> HttpResponse:
    user, statistics_return = _get(request, pk)
    require(allowed(user, statistics_return))
    form = form_class(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            action(user, statistics_return, form.cleaned_data)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, done)
            return redirect(statistics_return)
    return render(
        request,
        "statistics/return_step.html",
        {
            "statistics_return": statistics_return,
            "form": form,
            "title": title,
            "message": message,
            "button": button,
            "warning": warning,
        },
    )


@insider_required
@never_cache
@require_http_methods(["GET", "POST"])
def return_validate_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        allowed=can_validate,
        action=lambda user, statistics_return, data: return_validate(
            actor=user, statistics_return=statistics_return, comment=data["comment"]
        ),
        form_class=CommentForm,
        title=_("Validate the return"),
        message=_(
            "You confirm for your organisation that the figures are complete and correct. "
            "The return then goes to the secretariat for acceptance."
        ),
        button=_("Validate"),
        done=_("The return is validated and sent to the secretariat."),
    )


@insider_required
@never_cache
@require_http_methods(["GET", "POST"])
def return_accept_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        allowed=can_accept,
        action=lambda user, statistics_return, data: return_accept(
            actor=user, statistics_return=statistics_return, comment=data["comment"]
        ),
        form_class=CommentForm,
        title=_("Accept the return"),
        message=_(
            "The figures then count in the national statistics and may be published after "
            "disclosure control."
        ),
        button=_("Accept"),
        done=_("The return is accepted."),
    )


@insider_required
@never_cache
@require_http_methods(["GET", "POST"])
def return_send_back_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        allowed=can_send_back,
        action=lambda user, statistics_return, data: return_send_back(
            actor=user, statistics_return=statistics_return, comments=data["comments"]
        ),
        form_class=SendBackForm,
        title=_("Return with comments"),
        message=_(
            "The organisation can change the figures and submit them again. The figures as "
            "they stand now are kept with your comments."
        ),
        button=_("Return with comments"),
        done=_("The return is sent back to the organisation."),
        warning=True,
    )


@insider_required
@never_cache
@require_http_methods(["GET", "POST"])
def return_revise_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        allowed=can_revise,
        action=lambda user, statistics_return, data: return_revise(
            actor=user, statistics_return=statistics_return, reason=data["reason"]
        ),
        form_class=ReviseForm,
        title=_("Revise the return"),
        message=_(
            "The return becomes a draft again, to be submitted, validated and accepted anew. "
            "Until then its figures do not count in the national statistics."
        ),
        button=_("Reopen for revision"),
        done=_("The return is open for revision."),
        warning=True,
    )


@insider_required
@never_cache
@require_http_methods(["GET", "POST"])
def return_validators(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require(can_keep_validators(user))
    form = ValidatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            validator_designate(
                actor=user,
                organisation=form.cleaned_data["organisation"],
                user=form.cleaned_data["user"],
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("The validator is designated."))
            return redirect("statistics:return_validators")
    return render(
        request,
        "statistics/return_validators.html",
        {"form": form, "validators": selectors.validator_list()},
    )


@insider_required
@require_POST
def return_validator_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    require(can_keep_validators(user))
    designation = get_in_scope(ReturnValidator.objects.filter(is_active=True), pk=pk)
    validator_remove(actor=user, designation=designation)
    messages.success(request, _("The designation has ended."))
    return redirect(reverse("statistics:return_validators"))
