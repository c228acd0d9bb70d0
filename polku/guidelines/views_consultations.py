"""Consultation pages: opening a round, commenting on paragraphs, statements, answers, report."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from polku.accounts.models import User
from polku.actors.models import Membership
from polku.core.http import show_service_error, signed_in_user
from polku.core.permissions import insider_required, require
from polku.guidelines import selectors, services
from polku.guidelines.choices import GuidelineStatus
from polku.guidelines.forms import (
    AnswerForm,
    CommentForm,
    ConsultationForm,
    InviteForm,
    StatementForm,
)
from polku.guidelines.markdown import to_html
from polku.guidelines.models import Consultation, Guideline, GuidelineText
from polku.guidelines.permissions import (
    can_answer,
    can_comment,
    can_draft,
    can_manage_consultation,
    can_see_report,
    can_see_round,
    is_invited,
    reads_everything,
)
from polku.guidelines.views import reader


def _round(request: HttpRequest, slug: str, pk: int) -> tuple[User, Guideline, Consultation]:
    """A round the signed-in user may open: drafters' and invitees' (404 for anyone else)."""
    user = signed_in_user(request)
    guideline = selectors.guideline_get(user=user, slug=slug)
    consultation = selectors.consultation_get(user=user, guideline=guideline, pk=pk)
    if not can_see_round(user, consultation):
        raise Http404
    return user, guideline, consultation


@insider_required
@require_http_methods(["GET", "POST"])
def consultation_open(request: HttpRequest, slug: str) -> HttpResponse:
    user = signed_in_user(request)
    guideline = selectors.guideline_get(user=user, slug=slug)
    require(can_draft(user) and guideline.can_transition_to(GuidelineStatus.CONSULTATION))
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.consultation_open(
                actor=user,
                guideline=guideline,
                deadline=form.cleaned_data["deadline"],
                organisations=list(form.cleaned_data["organisations"]),
                people=form.cleaned_data["people"],
                introduction=form.cleaned_data["introduction"],
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("The consultation is open and the invitees are told."))
            return redirect(consultation)
    return render(
        request,
        "guidelines/consultation_form.html",
        {"form": form, "guideline": guideline, "consultation": None},
    )


@insider_required
@require_http_methods(["GET", "POST"])
def consultation_invite(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user, guideline, consultation = _round(request, slug, pk)
    require(can_manage_consultation(user, consultation))
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_invite(
                actor=user,
                consultation=consultation,
                organisations=list(form.cleaned_data["organisations"]),
                people=form.cleaned_data["people"],
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("The new invitees are told."))
            return redirect(consultation)
    return render(
        request,
        "guidelines/consultation_form.html",
        {"form": form, "guideline": guideline, "consultation": consultation},
    )


def _texts(consultation: Consultation) -> dict[str, GuidelineText]:
    """The texts of the version put to the round, the only one its invitees read."""
    texts = selectors.version_texts(version_id=consultation.version_id)
    if not texts:
        raise Http404
    return texts


def _language(consultation: Consultation, wanted: str, fallback: str) -> tuple[str, Any]:
    texts = _texts(consultation)
    language = selectors.choose_language(texts, wanted, fallback)
    return language, texts[language]


@insider_required
def consultation_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The consulted text with the comments the reader may see under each paragraph."""
    user, guideline, consultation = _round(request, slug, pk)
    texts = _texts(consultation)
    language = selectors.choose_language(texts, request.GET.get("language", ""), guideline.language)
    text = texts[language]
    comments = list(selectors.consultation_comments(user=user, consultation=consultation))
    placed = selectors.place_comments(text=text, comments=comments)
    paragraphs = [
        {
            "id": item["id"],
            "number": index + 1,
            "html": to_html(item["text"]),
            "comments": placed.by_paragraph.get(item["id"], []),
        }
        for index, item in enumerate(text.paragraphs)
    ]
    drafter = can_draft(user)
    gatherable = _gatherable_organisation(user, consultation)
    return render(
        request,
        "guidelines/consultation_detail.html",
        {
            "guideline": guideline,
            "consultation": consultation,
            "guideline_title": selectors.reading_text_title(
                user=user, guideline=guideline, version_id=consultation.version_id
            ),
            "language": language,
            "text_languages": list(texts),
            "text": text,
            "paragraphs": paragraphs,
            "on_whole": placed.on_whole,
            "comment_total": len(comments),
            "answered": sum(1 for comment in comments if comment.response),
            "invitations": selectors.consultation_invitations(consultation=consultation),
            "statements": consultation.statements.select_related("organisation"),
            "can_comment": can_comment(user, consultation),
            "can_manage": can_manage_consultation(user, consultation),
            "can_answer": can_answer(user, consultation),
            "is_drafter": drafter,
            "gatherable": gatherable,
        },
    )


def _gatherable_organisation(user: User, consultation: Consultation) -> Any:
    """The invitee's organisation with comments not yet gathered into a statement, if any."""
    if not consultation.is_open:
        return None
    organisations = Membership.objects.filter(
        user=user, is_active=True, organisation__is_active=True
    ).values("organisation_id")
    comment = (
        consultation.comments.filter(organisation_id__in=organisations, statement__isnull=True)
        .exclude(organisation__in=consultation.statements.values("organisation"))
        .select_related("organisation")
        .order_by("organisation__name")
        .first()
    )
    return comment.organisation if comment is not None else None


@insider_required
@require_http_methods(["GET", "POST"])
def comment_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Comment on one paragraph (?paragraph=id) or on the whole guideline; works without script."""
    user, guideline, consultation = _round(request, slug, pk)
    require(can_comment(user, consultation))
    source = request.POST if request.method == "POST" else request.GET
    language, text = _language(consultation, source.get("language", ""), guideline.language)
    paragraph_id = source.get("paragraph", "")
    paragraph = None
    if paragraph_id:
        found = text.paragraph(paragraph_id)
        if found is None:
            raise Http404
        number = [item["id"] for item in text.paragraphs].index(paragraph_id) + 1
        paragraph = {
            "id": paragraph_id,
            "number": number,
            "html": to_html(found["text"]),
            "text": found["text"],
        }
    form = CommentForm(request.POST or None, on_paragraph=paragraph is not None)
    if request.method == "POST" and form.is_valid():
        try:
            comment = services.comment_add(
                actor=user,
                consultation=consultation,
                body=form.cleaned_data["body"],
                language=language,
                paragraph_id=paragraph_id,
                proposed_text=form.cleaned_data.get("proposed_text", ""),
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(
                request, _("Your comment is saved. The drafters will answer it after the deadline.")
            )
            anchor = f"#{comment.paragraph_id}" if comment.paragraph_id else "#whole"
            return redirect(f"{consultation.get_absolute_url()}?language={language}{anchor}")
    return render(
        request,
        "guidelines/comment_form.html",
        {
            "form": form,
            "guideline": guideline,
            "guideline_title": selectors.reading_text_title(
                user=user, guideline=guideline, version_id=consultation.version_id
            ),
            "consultation": consultation,
            "paragraph": paragraph,
            "language": language,
            "text": text,
        },
    )


@insider_required
@require_http_methods(["GET", "POST"])
def statement_submit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Gathers the organisation's comments into its official statement."""
    user, guideline, consultation = _round(request, slug, pk)
    require(can_comment(user, consultation))
    organisation = _gatherable_organisation(user, consultation)
    if organisation is None:
        messages.error(request, _("Your organisation has no comments left to gather."))
        return redirect(consultation)
    comments = selectors.statement_comments(
        user=user, consultation=consultation, organisation_id=organisation.pk
    )
    form = StatementForm(
        request.POST or None, comments=comments, initial={"comments": list(comments)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.statement_submit(
                actor=user,
                consultation=consultation,
                organisation=organisation,
                text=form.cleaned_data["text"],
                comments=list(form.cleaned_data["comments"]),
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(
                request,
                _("The official statement of %(organisation)s is submitted.")
                % {"organisation": organisation},
            )
            return redirect(consultation)
    return render(
        request,
        "guidelines/statement_form.html",
        {
            "form": form,
            "guideline": guideline,
            "guideline_title": selectors.reading_text_title(
                user=user, guideline=guideline, version_id=consultation.version_id
            ),
            "consultation": consultation,
            "organisation": organisation,
        },
    )


@insider_required
@require_http_methods(["GET", "POST"])
def consultation_close(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user, guideline, consultation = _round(request, slug, pk)
    require(can_manage_consultation(user, consultation))
    if request.method == "POST":
        services.consultation_close(actor=user, consultation=consultation)
        messages.success(request, _("The consultation is closed. Answer the comments next."))
        return redirect(consultation)
    return render(
        request,
        "guidelines/confirm.html",
        {
            "title": _("Close the consultation now?"),
            "message": _("Nobody can comment after this, even before the deadline of %(deadline)s.")
            % {"deadline": consultation.deadline.strftime("%d.%m.%Y")},
            "button": _("Close the consultation"),
            "warning": True,
            "cancel_url": consultation.get_absolute_url(),
            "guideline": guideline,
        },
    )


def _answers_page(
    request: HttpRequest,
    guideline: Guideline,
    consultation: Consultation,
    *,
    user: User,
    bound: tuple[int, Form] | None = None,
) -> HttpResponse:
    comments = list(selectors.consultation_comments(user=user, consultation=consultation))
    rows = []
    for comment in comments:
        if bound is not None and bound[0] == comment.pk:
            form = bound[1]
        else:
            form = AnswerForm(
                initial={"response": comment.response, "reason": comment.response_reason},
                prefix=f"c{comment.pk}",
            )
        rows.append({"comment": comment, "form": form})
    return render(
        request,
        "guidelines/answers.html",
        {
            "guideline": guideline,
            "consultation": consultation,
            "rows": rows,
            "answered": sum(1 for comment in comments if comment.response),
            "total": len(comments),
            "can_answer": can_answer(user, consultation),
            "form": bound[1] if bound else None,
        },
    )


@insider_required
def consultation_answers(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Every comment of the round, each with its answer form, once the round has ended."""
    user, guideline, consultation = _round(request, slug, pk)
    require(can_draft(user) and consultation.has_ended)
    return _answers_page(request, guideline, consultation, user=user)


@insider_required
@require_POST
def comment_answer(request: HttpRequest, slug: str, pk: int, comment_pk: int) -> HttpResponse:
    user, guideline, consultation = _round(request, slug, pk)
    require(can_answer(user, consultation))
    comment = consultation.comments.filter(pk=comment_pk).first()
    if comment is None:
        raise Http404
    form = AnswerForm(request.POST, prefix=f"c{comment.pk}")
    if form.is_valid():
        try:
            services.comment_answer(
                actor=user,
                comment=comment,
                response=form.cleaned_data["response"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Answer saved."))
            return redirect(
                f"{request.path.rsplit('/comments/', 1)[0]}/answers/#comment-{comment.pk}"
            )
    return _answers_page(request, guideline, consultation, user=user, bound=(comment.pk, form))


def consultation_report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """All comments with their answers, by paragraph: public once published with the guideline."""
    user = reader(request)
    guideline = selectors.guideline_get(user=user, slug=slug)
    consultation = selectors.consultation_get(user=user, guideline=guideline, pk=pk)
    if not can_see_report(user, consultation):
        if isinstance(user, User) and can_see_round(user, consultation):
            raise PermissionDenied
        raise Http404
    report = selectors.consultation_report(consultation=consultation)
    sections = [
        {
            "language": section.language,
            "comment_count": section.comment_count,
            "on_whole": section.on_whole,
            "paragraphs": [
                {"number": item.number, "id": item.paragraph_id, "html": to_html(item.text), "comments": item.comments}
                for item in section.paragraphs
            ],
        }
        for section in report.sections
    ]  # fmt: skip
    return render(
        request,
        "guidelines/report.html",
        {
            "guideline": guideline,
            "guideline_title": selectors.reading_text_title(
                user=user, guideline=guideline, version_id=consultation.version_id
            ),
            "consultation": consultation,
            "report": report,
            "sections": sections,
            "show_names": reads_everything(user) or is_invited(user, consultation),
            "can_publish": can_draft(user)
            and consultation.report_published_at is None
            and consultation.has_ended
            and report.unanswered == 0,
        },
    )


@insider_required
@require_POST
def report_publish(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user, guideline, consultation = _round(request, slug, pk)
    require(can_draft(user))
    try:
        services.report_publish(actor=user, consultation=consultation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The report is published; it is public while the guideline is.")
        )
    return redirect("guidelines:consultation_report", slug=guideline.slug, pk=consultation.pk)
