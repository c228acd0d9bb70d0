"""Pages to schedule and run meetings: the list, the meeting page, changes, cancelling,
holding, attendance and invitees' answers."""

from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from polku.actors.permissions import body_scope
from polku.core.http import show_service_error, signed_in_user
from polku.core.pagination import paginate
from polku.core.permissions import insider_required, require
from polku.meetings import selectors_meetings as selectors
from polku.meetings.choices import MeetingStatus
from polku.meetings.forms_meetings import (
    MEETING_FIELD_NAMES,
    AttendanceForm,
    MeetingFilterForm,
    MeetingForm,
    ReasonForm,
    RespondForm,
)
from polku.meetings.models import AgendaItem, Meeting
from polku.meetings.permissions import can_manage_meeting, can_propose_item, is_participant
from polku.meetings.services import invitations as invitation_services
from polku.meetings.services import meetings as meeting_services


def _refusal(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@insider_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    bodies = body_scope(user).order_by("name")
    form = MeetingFilterForm(request.GET or None, bodies=bodies)
    filters = form.cleaned_data if form.is_valid() else {}
    when: selectors.When = "past" if request.GET.get("when") == "past" else "upcoming"
    meetings = selectors.meeting_list(
        user=user, when=when, body=filters.get("body"), search=filters.get("q", "")
    )
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "form": form,
            "when": when,
            "page_obj": paginate(request, meetings),
            "filtered": bool(filters.get("q") or filters.get("body")),
            "can_schedule": selectors.can_schedule_meetings(user),
        },
    )


@insider_required
@never_cache
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    bodies = selectors.managed_body_scope(user).order_by("name")
    require(bodies.exists())
    initial: dict[str, Any] = {}
    preselected = request.GET.get("body", "")
    if preselected.isdigit() and bodies.filter(pk=int(preselected)).exists():
        initial["body"] = int(preselected)
    form = MeetingForm(request.POST or None, initial=initial, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_services.meeting_schedule(
                actor=user, body=form.cleaned_data["body"], data=form.to_input()
            )
        except ValidationError as error:
            show_service_error(form, error, field_names=MEETING_FIELD_NAMES)
        else:
            invited = meeting.invitations.count()
            messages.success(
                request,
                ngettext(
                    "Meeting scheduled. %(count)d person was invited by e-mail.",
                    "Meeting scheduled. %(count)d people were invited by e-mail.",
                    invited,
                )
                % {"count": invited},
            )
            return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": None})


def _agenda_rows(meeting: Meeting, accepted: list[AgendaItem]) -> list[dict[str, Any]]:
    """Each accepted item with its place and planned start, while the times add up."""
    rows = []
    start: datetime | None = meeting.starts_at
    for number, item in enumerate(accepted, start=1):
        rows.append(
            {
                "item": item,
                "number": number,
                "starts_at": start,
                "first": number == 1,
                "last": number == len(accepted),
            }
        )
        if start is not None and item.duration_minutes:
            start = start + timedelta(minutes=item.duration_minutes)
        else:
            start = None
    return rows


def _subject_link(item: AgendaItem) -> dict[str, str] | None:
    """What else an item is about, named by kind and number, linked where the kind has a page.

    The target is not read: its own page decides who may see it.
    """
    if item.subject_type_id is None or not item.subject_id:
        return None
    assert item.subject_type is not None
    model = item.subject_type.model_class()
    if model is None:
        return None
    url = ""
    try:
        url = model(pk=item.subject_id).get_absolute_url()  # type: ignore[attr-defined]
    except Exception:  # A kind without a page is shown unlinked.
        url = ""
    return {
        "label": f"{str(model._meta.verbose_name).capitalize()} {item.subject_id}",
        "url": url,
    }


def _detail(request: HttpRequest, meeting: Meeting, **forms: BaseForm) -> HttpResponse:
    user = signed_in_user(request)
    # Each check is asked once: the page's query count must not depend on who reads it.
    invitation = selectors.own_invitation(user=user, meeting=meeting)
    manage = can_manage_meeting(user, meeting)
    participant = invitation is not None or is_participant(user, meeting)
    # Proposing and bringing papers follow the same rule (selectors.can_upload_document).
    proposer = manage or can_propose_item(user, meeting)
    agenda = selectors.meeting_agenda(user=user, meeting=meeting, participant=participant)
    now = timezone.now()
    scheduled = meeting.status == MeetingStatus.SCHEDULED
    subjects = {
        item.pk: _subject_link(item)
        for item in (*agenda.accepted, *agenda.proposed, *agenda.declined)
        if item.subject_type_id
    }
    context: dict[str, Any] = {
        "meeting": meeting,
        "manage": manage,
        "participant": participant,
        "agenda": agenda,
        "agenda_rows": _agenda_rows(meeting, agenda.accepted),
        "subjects": subjects,
        "invitation": invitation,
        "invitations": selectors.meeting_invitations(meeting=meeting) if participant else [],
        "withdrawn": selectors.withdrawn_invitations(meeting=meeting) if manage else [],
        "can_withdraw": manage and scheduled and meeting.ends_at > now,
        "documents": selectors.meeting_documents(meeting=meeting) if participant else [],
        "scheduled": scheduled,
        "started": meeting.starts_at <= now,
        "over": meeting.ends_at <= now,
        "can_respond": invitation is not None and scheduled and meeting.ends_at > now,
        "can_propose": scheduled and proposer,
        "can_upload": meeting.status != MeetingStatus.CANCELLED and proposer,
        "respond_form": forms.get("respond_form") or RespondForm(),
    }
    return render(request, "meetings/meeting_detail.html", context)


@insider_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=signed_in_user(request), pk=pk)
    return _detail(request, meeting)


@insider_required
@never_cache
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting = selectors.meeting_get(user=user, pk=pk)
    require(can_manage_meeting(user, meeting))
    if meeting.status != MeetingStatus.SCHEDULED:
        messages.error(request, _("Only a scheduled meeting can be changed."))
        return redirect(meeting)
    form = MeetingForm(request.POST or None, initial=MeetingForm.initial_from(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            updated = meeting_services.meeting_update(
                actor=user, meeting=meeting, data=form.to_input()
            )
        except ValidationError as error:
            show_service_error(form, error, field_names=MEETING_FIELD_NAMES)
        else:
            if updated.sequence != meeting.sequence:
                messages.success(request, _("Meeting changed. The invitees were sent an update."))
            else:
                messages.success(request, _("Meeting saved."))
            return redirect(updated)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


@insider_required
@require_http_methods(["GET", "POST"])
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting = selectors.meeting_get(user=user, pk=pk)
    require(can_manage_meeting(user, meeting))
    form = ReasonForm(
        request.POST or None,
        label=_("Why is the meeting cancelled?"),
        help_text=_("The invitees read this in the cancellation e-mail."),
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.meeting_cancel(
                actor=user, meeting=meeting, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Meeting cancelled. The invitees were told by e-mail."))
            return redirect(meeting)
    return render(request, "meetings/meeting_cancel.html", {"meeting": meeting, "form": form})


@insider_required
@require_POST
def meeting_held(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting = selectors.meeting_get(user=user, pk=pk)
    require(can_manage_meeting(user, meeting))
    try:
        meeting_services.meeting_mark_held(actor=user, meeting=meeting)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("The meeting is marked as held. Record who attended."))
        return redirect("meetings:meeting_attendance", pk=meeting.pk)
    return redirect(meeting)


@insider_required
@require_http_methods(["GET", "POST"])
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting = selectors.meeting_get(user=user, pk=pk)
    require(can_manage_meeting(user, meeting))
    invitations = selectors.meeting_invitations(meeting=meeting)
    form = AttendanceForm(request.POST or None, invitations=invitations)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.meeting_record_attendance(
                actor=user, meeting=meeting, attendance=form.attendance()
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Attendance saved."))
            return redirect(meeting)
    return render(
        request,
        "meetings/meeting_attendance.html",
        {"meeting": meeting, "form": form, "invitations": invitations},
    )


@insider_required
@require_POST
def meeting_respond(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting = selectors.meeting_get(user=user, pk=pk)
    require(selectors.can_respond(user, meeting))
    form = RespondForm(request.POST)
    if form.is_valid():
        try:
            invitation = invitation_services.invitation_respond(
                actor=user, meeting=meeting, response=form.cleaned_data["response"]
            )
        except ValidationError as error:
            _refusal(request, error)
        else:
            messages.success(
                request,
                _("Your answer is saved: %(answer)s.")
                % {"answer": invitation.get_response_display()},
            )
        return redirect(meeting)
    return _detail(request, meeting, respond_form=form)
