"""Pages to schedule and run meetings, keep their agendas and papers, and the calendar feed."""

from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from polku.actors.permissions import body_scope
from polku.audit.services import audit_access
from polku.core.http import show_service_error, signed_in_user
from polku.core.pagination import paginate
from polku.core.permissions import insider_required, require
from polku.meetings import ics
from polku.meetings import selectors_meetings as selectors
from polku.meetings.choices import MeetingStatus
from polku.meetings.forms_meetings import (
    MEETING_FIELD_NAMES,
    AgendaItemForm,
    AttendanceForm,
    DocumentForm,
    InviteForm,
    MeetingFilterForm,
    MeetingForm,
    ReasonForm,
    RespondForm,
)
from polku.meetings.models import AgendaItem, Meeting
from polku.meetings.permissions import (
    can_manage_meeting,
    can_propose_item,
    is_participant,
)
from polku.meetings.services import agenda as agenda_services
from polku.meetings.services import calendar as calendar_services
from polku.meetings.services import meetings as meeting_services
from polku.meetings.services.agenda import AgendaResult
from polku.notifications.services import language_of


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, max-age=0"
    response["Pragma"] = "no-cache"
    return response


def _refusal(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# --- Meetings --------------------------------------------------------------------------


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
            invitation = meeting_services.invitation_respond(
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


@insider_required
@require_http_methods(["GET", "POST"])
def meeting_invite(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting = selectors.meeting_get(user=user, pk=pk)
    require(can_manage_meeting(user, meeting))
    form = InviteForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        membership = form.cleaned_data["membership"]
        try:
            invitation = meeting_services.meeting_invite(
                actor=user,
                meeting=meeting,
                user=membership.user,
                organisation=membership.organisation,
            )
        except ValidationError as error:
            show_service_error(form, error, field_names={"person": "membership"})
        else:
            messages.success(
                request,
                _("%(person)s is invited as %(kind)s and was sent the invitation.")
                % {"person": invitation.user, "kind": invitation.get_kind_display().lower()},
            )
            return redirect(meeting)
    return render(request, "meetings/meeting_invite.html", {"meeting": meeting, "form": form})


@insider_required
@require_POST
def meeting_send_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting = selectors.meeting_get(user=user, pk=pk)
    require(can_manage_meeting(user, meeting))
    try:
        agenda_services.agenda_send(actor=user, meeting=meeting)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("The agenda was sent to the invitees."))
    return redirect(meeting)


# --- Documents -------------------------------------------------------------------------


@insider_required
@never_cache
@require_http_methods(["GET", "POST"])
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting = selectors.meeting_get(user=user, pk=pk)
    require(selectors.can_upload_document(user, meeting))
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = meeting_services.document_upload(
                actor=user,
                meeting=meeting,
                file=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("“%(title)s” was added.") % {"title": document.title})
            return redirect(meeting)
    return render(request, "meetings/document_upload.html", {"meeting": meeting, "form": form})


@insider_required
@require_GET
def document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    user = signed_in_user(request)
    meeting = selectors.meeting_get(user=user, pk=pk)
    require(is_participant(user, meeting))
    document = selectors.document_get(user=user, meeting=meeting, pk=document_pk)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    audit_access(
        actor=user,
        action="meetings.document.download",
        target=document,
        detail={"meeting": meeting.pk},
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=meeting_services.document_filename(document),
        content_type=meeting_services.document_content_type(document.file.name or ""),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@insider_required
@require_http_methods(["GET", "POST"])
def document_remove(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    """Asks first, then removes a paper (its adder or a manager)."""
    user = signed_in_user(request)
    meeting = selectors.meeting_get(user=user, pk=pk)
    require(is_participant(user, meeting))
    document = selectors.document_get(user=user, meeting=meeting, pk=document_pk)
    require(meeting_services.can_remove_document(user, document))
    if request.method == "POST":
        meeting_services.document_remove(actor=user, document=document)
        messages.success(request, _("“%(title)s” was removed.") % {"title": document.title})
        return redirect(f"{meeting.get_absolute_url()}#documents")
    return render(
        request, "meetings/document_remove.html", {"meeting": meeting, "document": document}
    )


# --- Agenda ----------------------------------------------------------------------------


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


# --- Calendar feed ---------------------------------------------------------------------


@insider_required
@never_cache
@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """Create, show once, regenerate or revoke the person's calendar feed address."""
    user = signed_in_user(request)
    feed = selectors.calendar_feed_of(user=user)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    confirm = request.GET.get("confirm", "")
    if request.method == "GET" and feed is not None and confirm in ("regenerate", "revoke"):
        return render(request, "meetings/calendar_confirm.html", {"action": confirm})
    if action in ("create", "regenerate"):
        if action == "create" and feed is not None:
            messages.error(request, _("You already have a calendar feed; regenerate it instead."))
            return redirect("meetings:calendar_settings")
        feed, token = calendar_services.calendar_feed_issue(actor=user)
        feed_url = ics.absolute(selectors.calendar_feed_path(token))
        return _no_store(
            render(
                request,
                "meetings/calendar_created.html",
                {
                    "feed": feed,
                    "feed_url": feed_url,
                    "webcal_url": "webcal://" + feed_url.split("://", 1)[-1],
                    "regenerated": action == "regenerate",
                },
            )
        )
    if action == "revoke":
        try:
            calendar_services.calendar_feed_revoke(actor=user)
        except ValidationError as error:
            _refusal(request, error)
        else:
            messages.success(
                request, _("Your calendar feed was revoked. Its address no longer works.")
            )
        return redirect("meetings:calendar_settings")
    return render(request, "meetings/calendar_settings.html", {"feed": feed})


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The person's meetings and deadlines; no sign-in, the secret address is the key."""
    feed = calendar_services.calendar_feed_for_token(token)
    if feed is None:
        raise Http404
    user = feed.user
    with translation.override(language_of(user)):
        body = ics.feed_ics(
            name=_("Polku: %(person)s") % {"person": user},
            meetings=selectors.feed_meetings(user=user),
            deadlines=selectors.feed_deadlines(user=user),
        )
    response = HttpResponse(body, content_type=ics.CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="polku.ics"'
    response["Cache-Control"] = "private, max-age=0"
    response["X-Robots-Tag"] = "noindex"
    return response
