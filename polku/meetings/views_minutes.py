"""Pages for a meeting's minutes (reading, writing, the workflow, versions and their
comparison) and for decisions (recording one on an agenda item, and a body's log)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from polku.accounts.models import User
from polku.audit.services import audit_access
from polku.core.http import show_service_error, signed_in_user
from polku.core.pagination import paginate
from polku.core.permissions import AnyUser, get_in_scope, insider_required, require
from polku.meetings import selectors_minutes as selectors
from polku.meetings.choices import ActionStatus, MinutesStatus
from polku.meetings.diff import compare
from polku.meetings.forms_minutes import (
    ApproveAtMeetingForm,
    CirculateForm,
    CommentForm,
    DecisionFilterForm,
    DecisionForm,
    DiffForm,
    MinutesForm,
    PublishForm,
)
from polku.meetings.models import ActionItem, Meeting, Minutes
from polku.meetings.permissions import (
    can_approve_minutes,
    can_comment_on_minutes,
    can_compare_minutes_versions,
    can_manage_meeting,
    is_participant,
    meeting_scope,
)
from polku.meetings.selectors_bodies import body_get
from polku.meetings.services import minutes as service
from polku.meetings.services.decisions import decision_record


def _reader(request: HttpRequest) -> AnyUser:
    user = request.user
    return user if isinstance(user, User) else AnonymousUser()


def _actions_by_state(user: AnyUser, meeting: Meeting) -> list[tuple[str, list[ActionItem]]]:
    actions = list(selectors.meeting_actions(user=user, meeting=meeting))
    groups: list[tuple[str, list[ActionItem]]] = []
    for status in ActionStatus:
        rows = [action for action in actions if action.status == status]
        if rows:
            groups.append((str(status.label), rows))
    return groups


def _detail(
    request: HttpRequest, meeting: Meeting, minutes: Minutes | None, **forms: BaseForm
) -> HttpResponse:
    user = _reader(request)
    manage = can_manage_meeting(user, meeting)
    invitations = selectors.meeting_attendance(meeting=meeting)
    context: dict[str, Any] = {
        "meeting": meeting,
        "minutes": minutes,
        "current": selectors.minutes_version(minutes=minutes) if minutes is not None else None,
        "can_manage": manage,
        # Under the Chatham House rule nobody is listed by name, only counted.
        "invitations": [] if meeting.chatham_house else invitations,
        "attendance_counts": selectors.attendance_counts(invitations),
        "decisions": list(selectors.meeting_decisions(user=user, meeting=meeting)),
        "action_groups": _actions_by_state(user, meeting),
        # Owners of a Chatham House meeting's actions would show who attended: only the
        # meeting's participants see them.
        "show_owners": not meeting.chatham_house or is_participant(user, meeting),
        "items": list(selectors.accepted_items(meeting=meeting)) if manage else [],
    }
    if minutes is not None:
        participant_view = can_compare_minutes_versions(user, minutes)
        context["can_compare"] = participant_view and minutes.version > 1
        context["comments"] = (
            list(selectors.minutes_comments(minutes=minutes)) if participant_view else []
        )
        context["show_comments"] = participant_view
        deadline_open = (
            minutes.comment_deadline is None or minutes.comment_deadline >= timezone.localdate()
        )
        if can_comment_on_minutes(user, minutes) and deadline_open:
            context["comment_form"] = forms.get("comment_form") or CommentForm()
        if manage:
            context["can_edit"] = minutes.status in service.EDITABLE
            if service.can_transition(minutes, MinutesStatus.CIRCULATED):
                context["circulate_form"] = forms.get("circulate_form") or CirculateForm()
            if service.can_transition(minutes, MinutesStatus.PUBLISHED):
                context["publish_form"] = forms.get("publish_form") or PublishForm(
                    initial={"audience": minutes.audience}
                )
        if service.can_transition(minutes, MinutesStatus.APPROVED):
            context["can_approve"] = can_approve_minutes(user, meeting)
            if manage:
                meetings = selectors.approval_meetings(meeting=meeting)
                form = forms.get("approve_form") or ApproveAtMeetingForm(meetings=meetings)
                if form.is_bound or meetings.exists():
                    context["approve_form"] = form
        if minutes.status != MinutesStatus.PUBLISHED and isinstance(user, User):
            audit_access(
                actor=user,
                action="meetings.minutes.view",
                target=minutes,
                detail={"status": minutes.status, "version": minutes.version},
            )
    return render(request, "meetings/minutes_detail.html", context)


@require_GET
def minutes_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes as they stand. Minutes published to the public open without signing in."""
    try:
        meeting, minutes = selectors.minutes_get(user=_reader(request), pk=pk)
    except Http404:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise
    return _detail(request, meeting, minutes)


def _managed_meeting(request: HttpRequest, pk: int) -> tuple[Meeting, Minutes | None]:
    user = signed_in_user(request)
    meeting = get_in_scope(meeting_scope(user).select_related("body"), pk=pk)
    require(can_manage_meeting(user, meeting))
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is not None:
        minutes.meeting = meeting
    return meeting, minutes


@insider_required
@require_http_methods(["GET", "POST"])
def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Writes a new version; a save from an outdated version is refused and the text kept."""
    user = signed_in_user(request)
    meeting, minutes = _managed_meeting(request, pk)
    if minutes is not None and minutes.status not in service.EDITABLE:
        messages.error(
            request,
            _("The minutes are “%(status)s” and can no longer be changed.")
            % {"status": minutes.get_status_display()},
        )
        return redirect("meetings:minutes_detail", pk=meeting.pk)
    current = selectors.minutes_version(minutes=minutes) if minutes is not None else None
    initial = {
        "text": current.text if current is not None else "",
        "version": minutes.version if minutes is not None else 0,
    }
    form = MinutesForm(request.POST or None, initial=initial, chatham_house=meeting.chatham_house)
    context: dict[str, Any] = {"meeting": meeting, "minutes": minutes, "form": form}
    if request.method == "POST" and form.is_valid():
        submitted = form.cleaned_data["text"]
        try:
            saved = service.minutes_save(
                actor=user,
                meeting=meeting,
                text=submitted,
                base_version=form.cleaned_data["version"],
                note=form.cleaned_data["note"],
            )
        except service.MinutesConflict as conflict:
            show_service_error(form, conflict)
            # The next save starts from the version the writer has now been shown.
            form.use_version(conflict.latest.number)
            context["conflict"] = conflict.latest
            context["comparison"] = compare(conflict.latest.text, submitted)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(
                request, _("Version %(number)s of the minutes saved.") % {"number": saved.version}
            )
            return redirect("meetings:minutes_detail", pk=meeting.pk)
    return render(request, "meetings/minutes_form.html", context)


def _existing_minutes(request: HttpRequest, pk: int) -> tuple[Meeting, Minutes]:
    meeting, minutes = selectors.minutes_get(user=signed_in_user(request), pk=pk)
    if minutes is None:
        raise Http404
    return meeting, minutes


@insider_required
@require_POST
def minutes_circulate(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting, minutes = _existing_minutes(request, pk)
    require(can_manage_meeting(user, meeting))
    form = CirculateForm(request.POST)
    if form.is_valid():
        try:
            service.minutes_circulate(
                actor=user, minutes=minutes, comment_deadline=form.cleaned_data["comment_deadline"]
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("The minutes were sent to the invitees for comments."))
            return redirect("meetings:minutes_detail", pk=meeting.pk)
    return _detail(request, meeting, minutes, circulate_form=form)


@insider_required
@require_POST
def minutes_comment(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting, minutes = _existing_minutes(request, pk)
    require(can_comment_on_minutes(user, minutes))
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            service.minutes_comment(actor=user, minutes=minutes, text=form.cleaned_data["text"])
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Your comment was added."))
            return redirect("meetings:minutes_detail", pk=meeting.pk)
    return _detail(request, meeting, minutes, comment_form=form)


@insider_required
@require_POST
def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair approves (no meeting named), or a manager records approval at a meeting."""
    user = signed_in_user(request)
    meeting, minutes = _existing_minutes(request, pk)
    if "at_meeting" not in request.POST:
        require(can_approve_minutes(user, meeting))
        try:
            service.minutes_approve(actor=user, minutes=minutes)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The minutes are approved."))
        return redirect("meetings:minutes_detail", pk=meeting.pk)
    require(can_manage_meeting(user, meeting))
    form = ApproveAtMeetingForm(request.POST, meetings=selectors.approval_meetings(meeting=meeting))
    if form.is_valid():
        try:
            service.minutes_approve(
                actor=user, minutes=minutes, at_meeting=form.cleaned_data["at_meeting"]
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("The approval of the minutes is recorded."))
            return redirect("meetings:minutes_detail", pk=meeting.pk)
    return _detail(request, meeting, minutes, approve_form=form)


@insider_required
@require_POST
def minutes_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting, minutes = _existing_minutes(request, pk)
    require(can_manage_meeting(user, meeting))
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            service.minutes_publish(
                actor=user, minutes=minutes, audience=form.cleaned_data["audience"]
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("The minutes are published."))
            return redirect("meetings:minutes_detail", pk=meeting.pk)
    return _detail(request, meeting, minutes, publish_form=form)


def _compared_minutes(request: HttpRequest, pk: int) -> tuple[Meeting, Minutes]:
    user = signed_in_user(request)
    meeting, minutes = _existing_minutes(request, pk)
    require(can_compare_minutes_versions(user, minutes))
    return meeting, minutes


@insider_required
@require_GET
def minutes_versions(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, minutes = _compared_minutes(request, pk)
    versions = list(selectors.minutes_versions(minutes=minutes))
    numbers = [version.number for version in reversed(versions)]
    form = DiffForm(
        initial={"a": max(minutes.version - 1, 1), "b": minutes.version, "layout": "side"},
        numbers=numbers,
    )
    return render(
        request,
        "meetings/minutes_versions.html",
        {"meeting": meeting, "minutes": minutes, "versions": versions, "diff_form": form},
    )


@insider_required
@require_GET
def minutes_diff(request: HttpRequest, pk: int) -> HttpResponse:
    """Two versions compared, side by side or in one column (`?a=1&b=3&layout=unified`)."""
    meeting, minutes = _compared_minutes(request, pk)
    numbers = list(range(1, minutes.version + 1))
    data = request.GET.copy()
    data.setdefault("a", str(max(minutes.version - 1, 1)))
    data.setdefault("b", str(minutes.version))
    form = DiffForm(data, numbers=numbers)
    context: dict[str, Any] = {"meeting": meeting, "minutes": minutes, "diff_form": form}
    if form.is_valid():
        old = selectors.minutes_version(minutes=minutes, number=form.cleaned_data["a"])
        new = selectors.minutes_version(minutes=minutes, number=form.cleaned_data["b"])
        if old is None or new is None:
            raise Http404
        context.update(
            old=old,
            new=new,
            layout=form.cleaned_data["layout"] or "side",
            comparison=compare(old.text, new.text),
        )
    return render(request, "meetings/minutes_diff.html", context)


# --- Decisions -------------------------------------------------------------------------


@insider_required
@require_http_methods(["GET", "POST"])
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Records a decision on an agenda item; one about a challenge closes its loop."""
    user = signed_in_user(request)
    item = selectors.agenda_item_get(user=user, pk=pk)
    meeting = item.meeting
    require(can_manage_meeting(user, meeting))
    form = DecisionForm(
        request.POST or None, initial={"decided_on": timezone.localdate(meeting.starts_at)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            decision_record(
                actor=user,
                item=item,
                text=form.cleaned_data["text"],
                decided_on=form.cleaned_data["decided_on"],
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            if item.challenge is not None:
                messages.success(
                    request,
                    _("Decision recorded. The people following %(reference)s were told of it.")
                    % {"reference": item.challenge.reference},
                )
            else:
                messages.success(request, _("Decision recorded."))
            return redirect("meetings:minutes_detail", pk=meeting.pk)
    return render(
        request,
        "meetings/decision_form.html",
        {
            "item": item,
            "meeting": meeting,
            "form": form,
            "decisions": list(selectors.item_decisions(item=item)),
        },
    )


@insider_required
@require_GET
def decision_list(request: HttpRequest, pk: int) -> HttpResponse:
    """A body's decisions log: search by words and dates, newest first, a page at a time."""
    user = signed_in_user(request)
    body = body_get(user=user, pk=pk)
    form = DecisionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    decisions = selectors.decision_list(
        user=user,
        body=body,
        search=filters.get("q", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    return render(
        request,
        "meetings/decision_list.html",
        {
            "body": body,
            "filter_form": form,
            "page_obj": paginate(request, decisions),
            "filtered": bool(filters and any(filters.values())),
        },
    )
