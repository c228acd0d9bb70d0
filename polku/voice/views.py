"""Pages to raise, find, join and triage challenges, and the follow-up page."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from polku.audit.middleware import client_address
from polku.core.http import show_service_error, signed_in_user
from polku.core.pagination import paginate
from polku.core.permissions import insider_required, require
from polku.taxonomy.choices import TypologyKind
from polku.voice import selectors, services
from polku.voice.forms import (
    AnswerForm,
    ChallengeFilterForm,
    ChallengeForm,
    CommentForm,
    EndorseForm,
    FollowUpForm,
    FollowUpReplyForm,
    HideCommentForm,
    OwnerForm,
    TransitionForm,
)
from polku.voice.models import Challenge
from polku.voice.permissions import can_edit_draft, can_participate, can_raise, can_triage


def _grouped_categories(challenge: Challenge) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {kind: [] for kind in TypologyKind.values}
    for category in challenge.categories.all():
        groups.setdefault(category.typology.kind, []).append(category.display_label)
    return groups


@insider_required
def challenge_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = ChallengeFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    challenges = selectors.challenge_list(
        user=user,
        search=filters.get("q", ""),
        status=filters.get("status", ""),
        sector=filters.get("sector"),
        exploitation_form=filters.get("form"),
        region=filters.get("region"),
    )
    return render(
        request,
        "voice/challenge_list.html",
        {
            "form": form,
            "page_obj": paginate(request, challenges),
            "can_raise": can_raise(user),
            "filtered": bool(filters and any(filters.values())),
        },
    )


@insider_required
def challenge_mine(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    return render(
        request,
        "voice/challenge_mine.html",
        {
            "page_obj": paginate(request, selectors.challenge_mine(user=user)),
            "can_raise": can_raise(user),
        },
    )


def _raise(request: HttpRequest, *, draft: Challenge | None) -> HttpResponse:
    """Handles the raise form for a new challenge or one of the author's drafts."""
    user = signed_in_user(request)
    initial = ChallengeForm.initial_from(draft) if draft is not None else None
    form = ChallengeForm(
        request.POST or None, initial=initial, user=user, allow_protected=draft is None
    )
    context: dict[str, Any] = {"form": form, "draft": draft}
    if request.method != "POST" or not form.is_valid():
        return render(request, "voice/challenge_form.html", context)
    action = request.POST.get("action", "submit")
    data = form.to_input()
    try:
        if form.cleaned_data.get("protected"):
            if action == "draft":
                raise ValidationError(
                    {
                        "protected": _(
                            "A protected challenge cannot be saved as a draft: a draft is "
                            "kept under your name. Submit it when it is ready."
                        )
                    }
                )
            challenge, code = services.challenge_submit_protected(
                actor=user,
                data=data,
                reveal_organisation_kind=form.cleaned_data["reveal_organisation_kind"],
                reveal_region=form.cleaned_data["reveal_region"],
            )
            return _code_page(request, challenge, code)
        if action == "draft":
            saved = services.challenge_save_draft(actor=user, data=data, challenge=draft)
            messages.success(request, _("Draft saved. Only you can see it."))
            return redirect("voice:challenge_edit", pk=saved.pk)
        submitted = services.challenge_submit(actor=user, data=data, challenge=draft)
    except services.PersonalDataFound as error:
        show_service_error(form, error)
        context["findings"] = error.findings
    except ValidationError as error:
        show_service_error(form, error)
    else:
        messages.success(
            request,
            _("Challenge %(reference)s submitted. The secretariat will acknowledge it.")
            % {"reference": submitted.reference},
        )
        return redirect(submitted)
    return render(request, "voice/challenge_form.html", context)


def _code_page(request: HttpRequest, challenge: Challenge, code: str) -> HttpResponse:
    # The code exists only in this response: never in a URL, session, message or cache.
    response = render(
        request,
        "voice/followup_code.html",
        {"reference": challenge.reference, "code": code},
    )
    response["Cache-Control"] = "no-store, max-age=0"
    response["Pragma"] = "no-cache"
    return response


@insider_required
@never_cache
@require_http_methods(["GET", "POST"])
def challenge_create(request: HttpRequest) -> HttpResponse:
    require(can_raise(signed_in_user(request)))
    return _raise(request, draft=None)


@insider_required
@require_http_methods(["GET", "POST"])
def challenge_edit(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = signed_in_user(request)
    challenge = selectors.challenge_get(user=user, pk=pk)
    require(can_edit_draft(user, challenge))
    return _raise(request, draft=challenge)


@insider_required
@require_http_methods(["GET", "POST"])
def challenge_delete(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = signed_in_user(request)
    challenge = selectors.challenge_get(user=user, pk=pk)
    require(can_edit_draft(user, challenge))
    if request.method == "POST":
        services.challenge_delete_draft(actor=user, challenge=challenge)
        messages.success(request, _("Draft deleted."))
        return redirect("voice:challenge_mine")
    return render(
        request,
        "voice/confirm.html",
        {
            "title": _("Delete this draft?"),
            "message": _("“%(title)s” will be deleted for good.") % {"title": challenge.title},
            "button": _("Delete draft"),
            "cancel_url": challenge.get_absolute_url(),
        },
    )


def _detail(request: HttpRequest, challenge: Challenge, **forms: BaseForm) -> HttpResponse:
    user = signed_in_user(request)
    triage = can_triage(user)
    context: dict[str, Any] = {
        "challenge": challenge,
        "categories": _grouped_categories(challenge),
        "revealed": selectors.revealed_profile(user=user, challenge=challenge),
        "breadth": selectors.endorsement_breadth(challenge=challenge),
        "endorsements": selectors.challenge_endorsements(challenge=challenge),
        "comments": selectors.challenge_comments(challenge=challenge),
        "timeline": selectors.challenge_timeline(challenge=challenge, user=user),
        "outcomes": selectors.challenge_outcomes(challenge=challenge),
        "own_endorsement": selectors.user_endorsement(user=user, challenge=challenge),
        "follows": selectors.user_follows(user=user, challenge=challenge),
        "can_participate": can_participate(user) and not challenge.is_draft,
        "can_edit": can_edit_draft(user, challenge),
        "can_triage": triage and not challenge.is_draft,
        "endorse_form": forms.get("endorse_form") or EndorseForm(),
        "comment_form": forms.get("comment_form") or CommentForm(),
    }
    if context["can_triage"]:
        context["transition_form"] = forms.get("transition_form") or TransitionForm(
            challenge=challenge
        )
        context["answer_form"] = forms.get("answer_form") or AnswerForm()
        context["owner_form"] = forms.get("owner_form") or OwnerForm(
            initial={"owner": challenge.owner_id}
        )
    return render(request, "voice/challenge_detail.html", context)


@insider_required
def challenge_detail(request: HttpRequest, pk: UUID) -> HttpResponse:
    challenge = selectors.challenge_get(user=signed_in_user(request), pk=pk)
    return _detail(request, challenge)


@insider_required
@require_POST
def challenge_endorse(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = signed_in_user(request)
    challenge = selectors.challenge_get(user=user, pk=pk)
    require(can_participate(user))
    form = EndorseForm(request.POST)
    if form.is_valid():
        try:
            services.challenge_endorse(
                actor=user,
                challenge=challenge,
                comment=form.cleaned_data["comment"],
                sector=form.cleaned_data["sector"],
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("You endorse this challenge."))
            return redirect(challenge)
    return _detail(request, challenge, endorse_form=form)


@insider_required
@require_POST
def challenge_withdraw(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = signed_in_user(request)
    challenge = selectors.challenge_get(user=user, pk=pk)
    require(can_participate(user))
    try:
        services.challenge_withdraw_endorsement(actor=user, challenge=challenge)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your endorsement was withdrawn."))
    return redirect(challenge)


@insider_required
@require_POST
def challenge_follow(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = signed_in_user(request)
    challenge = selectors.challenge_get(user=user, pk=pk)
    try:
        if request.POST.get("follow") == "0":
            services.challenge_unfollow(actor=user, challenge=challenge)
            messages.success(request, _("You no longer follow this challenge."))
        else:
            services.challenge_follow(actor=user, challenge=challenge)
            messages.success(request, _("You will get an e-mail about every change."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(challenge)


@insider_required
@require_POST
def comment_add(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = signed_in_user(request)
    challenge = selectors.challenge_get(user=user, pk=pk)
    require(can_participate(user))
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(actor=user, challenge=challenge, body=form.cleaned_data["body"])
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Comment added."))
            return redirect(challenge)
    return _detail(request, challenge, comment_form=form)


@insider_required
@require_http_methods(["GET", "POST"])
def comment_hide(request: HttpRequest, pk: UUID, comment_pk: UUID) -> HttpResponse:
    user = signed_in_user(request)
    challenge = selectors.challenge_get(user=user, pk=pk)
    require(can_triage(user))
    comment = get_object_or_404(challenge.comments.select_related("author"), pk=comment_pk)
    form = HideCommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_hide(actor=user, comment=comment, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Comment hidden."))
            return redirect(challenge)
    return render(
        request,
        "voice/comment_hide.html",
        {"challenge": challenge, "comment": comment, "form": form},
    )


@insider_required
@require_POST
def challenge_transition(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = signed_in_user(request)
    challenge = selectors.challenge_get(user=user, pk=pk)
    require(can_triage(user))
    form = TransitionForm(request.POST, challenge=challenge)
    if form.is_valid():
        try:
            updated = services.challenge_transition(
                actor=user,
                challenge=challenge,
                to_status=form.cleaned_data["to_status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(
                request,
                _("Status changed to “%(status)s”.") % {"status": updated.get_status_display()},
            )
            return redirect(challenge)
    return _detail(request, challenge, transition_form=form)


@insider_required
@require_POST
def challenge_answer(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = signed_in_user(request)
    challenge = selectors.challenge_get(user=user, pk=pk)
    require(can_triage(user))
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.challenge_answer(
                actor=user,
                challenge=challenge,
                text=form.cleaned_data["text"],
                final=form.cleaned_data["final"],
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Answer given."))
            return redirect(challenge)
    return _detail(request, challenge, answer_form=form)


@insider_required
@require_POST
def challenge_assign(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = signed_in_user(request)
    challenge = selectors.challenge_get(user=user, pk=pk)
    require(can_triage(user))
    form = OwnerForm(request.POST)
    if form.is_valid():
        try:
            services.challenge_assign_owner(
                actor=user, challenge=challenge, owner=form.cleaned_data["owner"]
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Owner saved."))
            return redirect(challenge)
    return _detail(request, challenge, owner_form=form)


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, max-age=0"
    response["Pragma"] = "no-cache"
    return response


def _surviving_context(challenge: Challenge) -> dict[str, Any]:
    """Where a merged challenge went on, so its submitter can follow it with the same code."""
    surviving = challenge
    for _step in range(10):  # A merge chain is short; the bound only guards against a loop.
        if surviving.merged_into_id is None:
            break
        surviving = Challenge.objects.get(pk=surviving.merged_into_id)
    if surviving.pk == challenge.pk:
        return {}
    return {
        "surviving": surviving,
        "surviving_timeline": selectors.challenge_submitter_timeline(challenge=surviving),
        "surviving_outcomes": selectors.challenge_outcomes(challenge=surviving),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def followup(request: HttpRequest) -> HttpResponse:
    """Reads a protected challenge's timeline and answers with its code, and replies.

    The code travels only in POST bodies. Signed-in people are asked to sign out first: a
    session's last request time could otherwise be matched with the use of the code.
    """
    if request.user.is_authenticated:
        return _no_store(render(request, "voice/followup.html", {"signed_in": True}))
    form = FollowUpForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return _no_store(render(request, "voice/followup.html", {"form": form}))
    address = client_address(request)
    code = form.cleaned_data["code"]
    try:
        challenge = services.followup_open(code=code, client_address=address)
    except services.FollowUpLocked:
        form.add_error(
            "code",
            _("Too many wrong codes were tried from here. Wait 15 minutes and try again."),
        )
        return _no_store(render(request, "voice/followup.html", {"form": form}, status=429))
    if challenge is None:
        form.add_error("code", _("That code does not open a challenge. Check it and try again."))
        return _no_store(render(request, "voice/followup.html", {"form": form}))
    reply_form = FollowUpReplyForm(initial={"code": code})
    replied = False
    if request.POST.get("action") == "reply":
        reply_form = FollowUpReplyForm(request.POST)
        if reply_form.is_valid():
            try:
                services.followup_reply(
                    code=code, body=reply_form.cleaned_data["body"], client_address=address
                )
            except ValidationError as error:
                show_service_error(reply_form, error)
            else:
                replied = True
                reply_form = FollowUpReplyForm(initial={"code": code})
    return _no_store(
        render(
            request,
            "voice/followup.html",
            {
                "challenge": challenge,
                "categories": _grouped_categories(challenge),
                "timeline": selectors.challenge_submitter_timeline(challenge=challenge),
                "outcomes": selectors.challenge_outcomes(challenge=challenge),
                "comments": selectors.challenge_comments(challenge=challenge),
                "reply_form": reply_form,
                "replied": replied,
                **_surviving_context(challenge),
            },
        )
    )
