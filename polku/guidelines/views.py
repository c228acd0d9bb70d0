"""Reading guidelines: the library, a guideline's stable page, its versions, print page and PDF."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polku.accounts.models import User
from polku.core.http import signed_in_user
from polku.core.pagination import paginate
from polku.core.permissions import AnyUser, insider_required, is_insider, require
from polku.guidelines import selectors, services
from polku.guidelines.choices import TRANSITIONS
from polku.guidelines.forms import LibraryFilterForm
from polku.guidelines.markdown import to_html
from polku.guidelines.models import Guideline, GuidelineText
from polku.guidelines.pdf import document_context, guideline_pdf
from polku.guidelines.permissions import (
    can_comment,
    can_draft,
    can_edit,
    can_edit_details,
    can_see_round,
    can_subscribe,
    comment_scope,
    reading_version_id,
    reads_all_versions,
    sees_working_text,
)
from polku.taxonomy.choices import TypologyKind


def reader(request: HttpRequest) -> AnyUser:
    """The request's user, signed in or not."""
    user = request.user
    assert isinstance(user, (User, AnonymousUser))
    return user


def library(request: HttpRequest) -> HttpResponse:
    """Every published guideline, for everyone, searchable and filterable."""
    form = LibraryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    guidelines = selectors.guideline_library(
        user=reader(request),
        search=filters.get("q", ""),
        audience=filters.get("audience", ""),
        sector=filters.get("sector"),
        exploitation_form=filters.get("form"),
    )
    return render(
        request,
        "guidelines/library.html",
        {
            "form": form,
            "page_obj": paginate(request, guidelines),
            "filtered": bool(filters and any(filters.values())),
            "can_draft": can_draft(reader(request)),
            "is_insider": is_insider(reader(request)),
        },
    )


@insider_required
def workspace(request: HttpRequest) -> HttpResponse:
    """Guidelines in the making: all for the drafters, the rounds one is invited to for others."""
    user = signed_in_user(request)
    return render(
        request,
        "guidelines/workspace.html",
        {
            "page_obj": paginate(request, selectors.guideline_workspace(user=user)),
            "can_draft": can_draft(user),
        },
    )


def _grouped_categories(guideline: Guideline) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {kind: [] for kind in TypologyKind.values}
    for category in guideline.categories.all():
        groups.setdefault(category.typology.kind, []).append(category.display_label)
    return groups


def guideline_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The guideline's stable address: the published text, or the working text for its makers."""
    user = reader(request)
    guideline = selectors.guideline_get(user=user, slug=slug)
    working = sees_working_text(user, guideline)
    texts = selectors.version_texts(version_id=reading_version_id(user, guideline))
    if not texts:
        raise Http404
    language = selectors.choose_language(texts, request.GET.get("language", ""), guideline.language)
    text = texts[language]
    consultation = (
        selectors.reading_consultation(user=user, guideline=guideline) if working else None
    )
    sees_round = consultation is not None and can_see_round(user, consultation)
    commenting = consultation is not None and can_comment(user, consultation)
    counts: dict[str, int] = {}
    if consultation is not None and sees_round:
        for paragraph_id in (
            comment_scope(user, consultation)
            .filter(language=language)
            .values_list("paragraph_id", flat=True)
        ):
            counts[paragraph_id] = counts.get(paragraph_id, 0) + 1
    paragraphs = [
        {"id": item["id"], "number": index + 1, "html": to_html(item["text"]), "comments": counts.get(item["id"], 0)}
        for index, item in enumerate(text.paragraphs)
    ]  # fmt: skip
    drafter = can_draft(user)
    context: dict[str, Any] = {
        "guideline": guideline,
        "text": text,
        "texts": texts,
        "language": language,
        "paragraphs": paragraphs,
        "working": working,
        # An invitee reading the version of their round while the guideline is not public.
        "consulted_version": working and not reads_all_versions(user) and not guideline.is_public,
        "categories": _grouped_categories(guideline),
        "consultation": consultation if sees_round else None,
        "can_comment": commenting,
        "whole_comments": counts.get("", 0),
        "can_draft": drafter,
        "can_edit": can_edit(user, guideline),
        "can_edit_details": can_edit_details(user, guideline),
        "moves": TRANSITIONS[guideline.status] if drafter else frozenset(),
        "can_subscribe": can_subscribe(user),
        "subscribed": selectors.user_subscribed(user=user, guideline=guideline),
        "reports": selectors.published_reports(guideline=guideline) if guideline.is_public else [],
        "history": selectors.guideline_history(guideline=guideline) if drafter else [],
        "challenges": guideline.challenges.all() if working else [],
    }
    return render(request, "guidelines/guideline_detail.html", context)


def _published_text(
    request: HttpRequest, slug: str, language: str
) -> tuple[Guideline, GuidelineText]:
    guideline = selectors.guideline_get(user=reader(request), slug=slug)
    if not guideline.is_public:
        raise Http404
    texts = selectors.version_texts(version_id=guideline.published_version_id)
    if language not in texts:
        raise Http404
    return guideline, texts[language]


def guideline_print(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    """The published text on a plain page made for printing."""
    guideline, text = _published_text(request, slug, language)
    return render(
        request, "guidelines/guideline_print.html", document_context(guideline=guideline, text=text)
    )


def guideline_pdf_view(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    """The published text as a tagged PDF in one of its languages."""
    guideline, text = _published_text(request, slug, language)
    response = HttpResponse(
        guideline_pdf(guideline=guideline, text=text), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{guideline.slug}-{language}.pdf"'
    return response


def _working(request: HttpRequest, slug: str) -> Guideline:
    user = signed_in_user(request)
    guideline = selectors.guideline_get(user=user, slug=slug)
    require(sees_working_text(user, guideline))
    return guideline


@insider_required
def guideline_versions(request: HttpRequest, slug: str) -> HttpResponse:
    """Every version kept, with a form to compare any two."""
    user = signed_in_user(request)
    guideline = _working(request, slug)
    versions = list(selectors.guideline_versions(user=user, guideline=guideline))
    # Each version is compared with the one before it that the reader may also read.
    rows = [
        {"version": version, "previous": versions[index + 1] if index + 1 < len(versions) else None}
        for index, version in enumerate(versions)
    ]  # fmt: skip
    return render(
        request,
        "guidelines/versions.html",
        {
            "guideline": guideline,
            "guideline_title": selectors.reading_text_title(user=user, guideline=guideline),
            "versions": versions,
            "rows": rows,
            "reads_all_versions": reads_all_versions(user),
            "text_languages": selectors.versions_languages(versions=versions),
        },
    )


def _number(value: str | None, default: int) -> int:
    try:
        return int(value or default)
    except ValueError:
        return default


@insider_required
def guideline_diff(request: HttpRequest, slug: str) -> HttpResponse:
    """Two versions side by side, paragraph by paragraph, changed words marked.

    A reader who may read a single version has nothing to compare it with, and is told so.
    """
    user = signed_in_user(request)
    guideline = _working(request, slug)
    versions = list(selectors.guideline_versions(user=user, guideline=guideline))
    numbers = [version.number for version in versions]
    new = _number(request.GET.get("to"), numbers[0] if numbers else 1)
    earlier = [number for number in numbers if number < new]
    old = _number(request.GET.get("from"), earlier[0] if earlier else new)
    language = request.GET.get("language") or guideline.language
    comparison = None
    if old != new:
        comparison = selectors.version_comparison(
            user=user, guideline=guideline, old_number=old, new_number=new, language=language
        )
    elif new not in numbers:
        raise Http404
    return render(
        request,
        "guidelines/diff.html",
        {
            "guideline": guideline,
            "guideline_title": selectors.reading_text_title(user=user, guideline=guideline),
            "comparison": comparison,
            "old": old,
            "new": new,
            "language": language,
            "versions": versions,
        },
    )


@insider_required
@require_POST
def guideline_subscribe(request: HttpRequest, slug: str) -> HttpResponse:
    user = signed_in_user(request)
    guideline = selectors.guideline_get(user=user, slug=slug)
    if not can_subscribe(user):
        raise PermissionDenied
    if request.POST.get("subscribe") == "0":
        services.guideline_unsubscribe(actor=user, guideline=guideline)
        messages.success(request, _("You will no longer be told when this guideline changes."))
    else:
        services.guideline_subscribe(actor=user, guideline=guideline)
        messages.success(request, _("You will be told when this guideline changes."))
    return redirect(guideline)
