"""Pages for following up actions: recording one, its page and progress, the owner's list
and a body's follow-up list with its review at a meeting."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from polku.accounts.models import User
from polku.actors.models import Body
from polku.actors.permissions import body_scope
from polku.core.http import show_service_error, signed_in_user
from polku.core.pagination import paginate
from polku.core.permissions import insider_required, require
from polku.meetings import selectors_actions as selectors
from polku.meetings.forms_actions import ActionForm, ActionNoteForm, ReviewForm
from polku.meetings.models import ActionItem, AgendaItem
from polku.meetings.permissions import (
    can_manage_body_meetings,
    can_manage_meeting,
    can_update_action,
)
from polku.meetings.selectors_bodies import body_get
from polku.meetings.selectors_minutes import agenda_item_get
from polku.meetings.services import actions as service


def _action_form(request: HttpRequest, user: User, item: AgendaItem, **kwargs: Any) -> ActionForm:
    return ActionForm(
        request.POST or None,
        people=selectors.people_to_own(user=user),
        organisations=selectors.organisations_to_own(user=user),
        decisions=selectors.item_decision_choices(item_id=item.pk),
        **kwargs,
    )


@insider_required
@require_http_methods(["GET", "POST"])
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Records an action from an agenda item, or from a decision on it (`?decision=<id>`)."""
    user = signed_in_user(request)
    item = agenda_item_get(user=user, pk=pk)
    require(can_manage_meeting(user, item.meeting))
    initial: dict[str, Any] = {}
    if request.GET.get("decision", "").isdigit():
        initial["decision"] = int(request.GET["decision"])
    form = _action_form(request, user, item, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            action = service.action_create(actor=user, item=item, data=form.to_input())
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Action recorded. Its owner and deputy were told."))
            return redirect(action)
    return render(
        request, "meetings/action_form.html", {"form": form, "item": item, "action": None}
    )


def _detail(request: HttpRequest, action: ActionItem, **forms: BaseForm) -> HttpResponse:
    user = signed_in_user(request)
    manage = can_manage_body_meetings(user, action.body)
    context: dict[str, Any] = {
        "action": action,
        "notes": list(selectors.action_notes(action=action)),
        "can_edit": manage and action.item_id is not None,
        # An owner from outside a closed body reaches the action, not the body's pages.
        "body_visible": body_scope(user).filter(pk=action.body_id).exists(),
        "today": timezone.localdate(),
    }
    if can_update_action(user, action):
        context["note_form"] = forms.get("note_form") or ActionNoteForm(
            action=action, may_cancel=manage
        )
    return render(request, "meetings/action_detail.html", context)


@insider_required
@require_GET
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get(user=signed_in_user(request), pk=pk)
    return _detail(request, action)


@insider_required
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    action = selectors.action_get(user=user, pk=pk)
    require(can_manage_body_meetings(user, action.body) and action.item is not None)
    item = action.item
    assert item is not None
    form = _action_form(request, user, item, initial=ActionForm.initial_from(action))
    if request.method == "POST" and form.is_valid():
        try:
            service.action_update(actor=user, action=action, data=form.to_input())
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Action saved."))
            return redirect(action)
    return render(
        request, "meetings/action_form.html", {"form": form, "item": item, "action": action}
    )


@insider_required
@require_POST
def action_note(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    action = selectors.action_get(user=user, pk=pk)
    require(can_update_action(user, action))
    form = ActionNoteForm(
        request.POST, action=action, may_cancel=can_manage_body_meetings(user, action.body)
    )
    if form.is_valid():
        try:
            service.action_add_note(
                actor=user,
                action=action,
                text=form.cleaned_data["text"],
                status=form.cleaned_data["status"],
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Progress recorded."))
            return redirect(action)
    return _detail(request, action, note_form=form)


@insider_required
@require_GET
def my_actions(request: HttpRequest) -> HttpResponse:
    """What the reader owns or deputises for: open first, overdue marked."""
    user = signed_in_user(request)
    return render(
        request,
        "meetings/action_mine.html",
        {
            "page_obj": paginate(request, selectors.my_actions(user=user)),
            "today": timezone.localdate(),
        },
    )


def _follow_up(request: HttpRequest, body: Body, form: ReviewForm | None = None) -> HttpResponse:
    user = signed_in_user(request)
    actions = selectors.body_follow_up(user=user, body=body)
    context: dict[str, Any] = {
        "body": body,
        "page_obj": paginate(request, actions),
        "today": timezone.localdate(),
    }
    if can_manage_body_meetings(user, body):
        meetings = selectors.review_meetings(body=body)
        context["review_form"] = form or ReviewForm(meetings=meetings, actions=actions)
        context["chosen"] = set(request.POST.getlist("actions")) if form is not None else set()
    return render(request, "meetings/action_follow_up.html", context)


@insider_required
@require_GET
def body_actions(request: HttpRequest, pk: int) -> HttpResponse:
    """A body's open actions, earliest due first, for review at its next meeting."""
    body = body_get(user=signed_in_user(request), pk=pk)
    return _follow_up(request, body)


@insider_required
@require_POST
def action_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Marks the chosen open actions as reviewed at a meeting of the body."""
    user = signed_in_user(request)
    body = body_get(user=user, pk=pk)
    require(can_manage_body_meetings(user, body))
    form = ReviewForm(
        request.POST,
        meetings=selectors.review_meetings(body=body),
        actions=selectors.body_follow_up(user=user, body=body),
    )
    if form.is_valid():
        try:
            changed = service.actions_mark_reviewed(
                actor=user,
                body=body,
                meeting=form.cleaned_data["meeting"],
                actions=form.cleaned_data["actions"],
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s action marked as reviewed at “%(meeting)s”.",
                    "%(count)s actions marked as reviewed at “%(meeting)s”.",
                    changed,
                )
                % {"count": changed, "meeting": form.cleaned_data["meeting"].title},
            )
            return redirect("meetings:body_actions", pk=body.pk)
    return _follow_up(request, body, form)
