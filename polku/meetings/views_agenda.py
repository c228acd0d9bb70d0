"""Pages to keep a meeting's agenda: items added, proposed, accepted, declined, changed
and moved, and sending the agenda to the invitees."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from polku.core.http import show_service_error, signed_in_user
from polku.core.permissions import insider_required, require
from polku.meetings import selectors_meetings as selectors
from polku.meetings.forms_meetings import AgendaItemForm, ReasonForm
from polku.meetings.models import AgendaItem, Meeting
from polku.meetings.permissions import can_manage_meeting, can_propose_item
from polku.meetings.services import agenda as agenda_services
from polku.meetings.services.agenda import AgendaResult
from polku.meetings.services.agenda_sending import agenda_send


def _refusal(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@insider_required
@require_POST
def meeting_send_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting = selectors.meeting_get(user=user, pk=pk)
    require(can_manage_meeting(user, meeting))
    try:
        agenda_send(actor=user, meeting=meeting)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("The agenda was sent to the invitees."))
    return redirect(meeting)


def _item(request: HttpRequest, pk: int, item_pk: int) -> tuple[Meeting, AgendaItem]:
    user = signed_in_user(request)
    meeting = selectors.meeting_get(user=user, pk=pk)
    return meeting, selectors.item_get(user=user, meeting=meeting, pk=item_pk)


def _challenge_message(request: HttpRequest, result: AgendaResult) -> None:
    item = result.item
    if result.challenge_left:
        messages.warning(request, result.challenge_left)
    elif item.challenge_id is not None:
        messages.info(
            request,
            _("The challenge is now on the agenda; its submitter and followers were told."),
        )


def _item_form_page(
    request: HttpRequest,
    meeting: Meeting,
    *,
    mode: str,
    item: AgendaItem | None = None,
) -> HttpResponse:
    user = signed_in_user(request)
    initial = AgendaItemForm.initial_from(item) if item is not None else None
    form = AgendaItemForm(request.POST or None, initial=initial, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            if mode == "create":
                result = agenda_services.agenda_item_add(
                    actor=user, meeting=meeting, data=form.to_input()
                )
                messages.success(request, _("The item is on the agenda."))
                _challenge_message(request, result)
            elif mode == "propose":
                agenda_services.agenda_item_propose(
                    actor=user, meeting=meeting, data=form.to_input()
                )
                messages.success(
                    request, _("Your proposal was sent to the chair, who accepts or declines it.")
                )
            else:
                assert item is not None
                agenda_services.agenda_item_edit(actor=user, item=item, data=form.to_input())
                messages.success(request, _("Item saved."))
        except ValidationError as error:
            show_service_error(form, error)
        else:
            return redirect(meeting)
    return render(
        request,
        "meetings/agenda_item_form.html",
        {"meeting": meeting, "form": form, "mode": mode, "item": item},
    )


@insider_required
@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting = selectors.meeting_get(user=user, pk=pk)
    require(can_manage_meeting(user, meeting))
    return _item_form_page(request, meeting, mode="create")


@insider_required
@require_http_methods(["GET", "POST"])
def item_propose(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting = selectors.meeting_get(user=user, pk=pk)
    require(can_propose_item(user, meeting))
    return _item_form_page(request, meeting, mode="propose")


@insider_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting, item = _item(request, pk, item_pk)
    require(selectors.can_edit_item(signed_in_user(request), item))
    return _item_form_page(request, meeting, mode="edit", item=item)


@insider_required
@require_POST
def item_accept(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting, item = _item(request, pk, item_pk)
    require(can_manage_meeting(user, meeting))
    try:
        result = agenda_services.agenda_item_accept(actor=user, item=item)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("“%(title)s” is on the agenda.") % {"title": item.title})
        _challenge_message(request, result)
    return redirect(meeting)


@insider_required
@require_http_methods(["GET", "POST"])
def item_decline(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting, item = _item(request, pk, item_pk)
    require(can_manage_meeting(user, meeting))
    form = ReasonForm(
        request.POST or None,
        label=_("Why is the item declined?"),
        help_text=_("The person who proposed it reads this, and so do the participants."),
    )
    if request.method == "POST" and form.is_valid():
        try:
            agenda_services.agenda_item_decline(
                actor=user, item=item, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("“%(title)s” was declined.") % {"title": item.title})
            return redirect(meeting)
    return render(
        request,
        "meetings/agenda_item_decline.html",
        {"meeting": meeting, "item": item, "form": form},
    )


@insider_required
@require_POST
def item_move(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting, item = _item(request, pk, item_pk)
    require(can_manage_meeting(user, meeting))
    try:
        agenda_services.agenda_item_move(
            actor=user, item=item, direction=request.POST.get("direction", "")
        )
    except ValidationError as error:
        _refusal(request, error)
    return redirect(f"{meeting.get_absolute_url()}#item-{item.pk}")
