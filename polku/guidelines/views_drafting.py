"""Drafting pages: writing a guideline and moving it along its lifecycle (drafters only)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from polku.accounts.models import User
from polku.core.http import show_service_error, signed_in_user
from polku.core.permissions import insider_required, require
from polku.guidelines import selectors, services
from polku.guidelines.choices import GuidelineStatus
from polku.guidelines.forms import (
    ApproveForm,
    DetailsForm,
    GuidelineCreateForm,
    SupersedeForm,
    TextForm,
    WithdrawForm,
)
from polku.guidelines.models import Guideline
from polku.guidelines.permissions import can_draft, can_edit, can_edit_details

LANGUAGES = {"en", "fi", "sv"}


def _drafted(request: HttpRequest, slug: str, *, to: str = "") -> tuple[User, Guideline]:
    """The guideline for a drafter; with `to`, only while the lifecycle allows that move."""
    user = signed_in_user(request)
    guideline = selectors.guideline_get(user=user, slug=slug)
    require(can_draft(user))
    if to:
        require(guideline.can_transition_to(to))
    return user, guideline


@insider_required
@require_http_methods(["GET", "POST"])
def guideline_create(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require(can_draft(user))
    form = GuidelineCreateForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            guideline = services.guideline_create(
                actor=user,
                data=form.to_input(),
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Draft guideline saved as version 1."))
            return redirect(guideline)
    return render(request, "guidelines/guideline_form.html", {"form": form, "guideline": None})


@insider_required
@require_http_methods(["GET", "POST"])
def guideline_edit(request: HttpRequest, slug: str) -> HttpResponse:
    user, guideline = _drafted(request, slug)
    require(can_edit_details(user, guideline))
    form = DetailsForm(
        request.POST or None,
        initial=DetailsForm.initial_from(guideline),
        user=user,
        guideline=guideline,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.guideline_update(actor=user, guideline=guideline, data=form.to_input())
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Details saved."))
            return redirect(guideline)
    return render(request, "guidelines/guideline_form.html", {"form": form, "guideline": guideline})


@insider_required
@require_http_methods(["GET", "POST"])
def guideline_text(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    """Writes a language's text as a new version (a new language is added the same way)."""
    user, guideline = _drafted(request, slug)
    if language not in LANGUAGES:
        raise Http404
    require(can_edit(user, guideline))
    current = selectors.version_texts(version_id=guideline.current_version_id).get(language)
    initial = {"title": current.title, "body": current.body} if current else None
    form = TextForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.guideline_save_text(
                actor=user,
                guideline=guideline,
                language=language,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(
                request, _("Saved as version %(number)s.") % {"number": version.number}
            )
            return redirect(f"{guideline.get_absolute_url()}?language={language}")
    return render(
        request,
        "guidelines/text_form.html",
        {"form": form, "guideline": guideline, "language": language, "is_new": current is None},
    )


def _confirm(
    request: HttpRequest,
    guideline: Guideline,
    *,
    act: Callable[[], object],
    title: str,
    message: str,
    button: str,
    done: str,
    warning: bool = False,
) -> HttpResponse:
    if request.method == "POST":
        try:
            act()
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
        return redirect(guideline)
    return render(
        request,
        "guidelines/confirm.html",
        {
            "title": title,
            "message": message,
            "button": button,
            "warning": warning,
            "cancel_url": guideline.get_absolute_url(),
            "guideline": guideline,
        },
    )


@insider_required
@require_http_methods(["GET", "POST"])
def guideline_revise(request: HttpRequest, slug: str) -> HttpResponse:
    user, guideline = _drafted(request, slug, to=GuidelineStatus.REVISED)
    return _confirm(
        request,
        guideline,
        act=lambda: services.guideline_revise(actor=user, guideline=guideline),
        title=_("Start revising “%(title)s”?") % {"title": guideline.title},
        message=_(
            "The text can be changed again. After a consultation, every comment must have "
            "been answered; after approval, the approval is cleared."
        ),
        button=_("Start revising"),
        done=_("The guideline is being revised."),
    )


@insider_required
@require_http_methods(["GET", "POST"])
def guideline_publish(request: HttpRequest, slug: str) -> HttpResponse:
    user, guideline = _drafted(request, slug, to=GuidelineStatus.PUBLISHED)
    challenge_count = guideline.challenge_links.count()
    return _confirm(
        request,
        guideline,
        act=lambda: services.guideline_publish(actor=user, guideline=guideline),
        title=_("Publish “%(title)s”?") % {"title": guideline.title},
        message=ngettext(
            "Everyone will be able to read it at its address, print it and download it as a "
            "PDF. %(count)s linked challenge will be told it was addressed, and the "
            "subscribers will be told.",
            "Everyone will be able to read it at its address, print it and download it as a "
            "PDF. %(count)s linked challenges will be told they were addressed, and the "
            "subscribers will be told.",
            challenge_count,
        )
        % {"count": challenge_count},
        button=_("Publish"),
        done=_("The guideline is published."),
    )


@insider_required
@require_http_methods(["GET", "POST"])
def guideline_approve(request: HttpRequest, slug: str) -> HttpResponse:
    user, guideline = _drafted(request, slug, to=GuidelineStatus.APPROVED)
    form = ApproveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.guideline_approve(actor=user, guideline=guideline, **form.cleaned_data)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("The approval is recorded."))
            return redirect(guideline)
    return _form_page(
        request, guideline, form, title=_("Record the approval"), button=_("Record approval")
    )


@insider_required
@require_http_methods(["GET", "POST"])
def guideline_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    user, guideline = _drafted(request, slug, to=GuidelineStatus.WITHDRAWN)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.guideline_withdraw(
                actor=user, guideline=guideline, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("The guideline is withdrawn."))
            return redirect(guideline)
    return _form_page(
        request,
        guideline,
        form,
        title=_("Withdraw the guideline"),
        button=_("Withdraw"),
        warning=True,
    )


@insider_required
@require_http_methods(["GET", "POST"])
def guideline_supersede(request: HttpRequest, slug: str) -> HttpResponse:
    user, guideline = _drafted(request, slug, to=GuidelineStatus.SUPERSEDED)
    form = SupersedeForm(request.POST or None, guideline=guideline)
    if request.method == "POST" and form.is_valid():
        try:
            services.guideline_supersede(
                actor=user, guideline=guideline, by=form.cleaned_data["by"]
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("The guideline is marked as superseded."))
            return redirect(guideline)
    return _form_page(
        request, guideline, form, title=_("Mark as superseded"), button=_("Mark as superseded")
    )


def _form_page(
    request: HttpRequest,
    guideline: Guideline,
    form: Any,
    *,
    title: str,
    button: str,
    warning: bool = False,
) -> HttpResponse:
    return render(
        request,
        "guidelines/action_form.html",
        {
            "guideline": guideline,
            "form": form,
            "title": title,
            "button": button,
            "warning": warning,
            "is_final": guideline.status in {GuidelineStatus.SUPERSEDED, GuidelineStatus.WITHDRAWN},
        },
    )
