"""Pages to invite people to a meeting, and to withdraw an invitation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from polku.core.http import show_service_error, signed_in_user
from polku.core.permissions import insider_required, require
from polku.meetings import selectors_meetings as selectors
from polku.meetings.forms_meetings import InviteForm
from polku.meetings.permissions import can_manage_meeting
from polku.meetings.services import invitations as invitation_services


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
            invitation = invitation_services.meeting_invite(
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
@require_http_methods(["GET", "POST"])
def invitation_withdraw(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    """Asks first, then withdraws an invitation (whoever may invite)."""
    user = signed_in_user(request)
    meeting = selectors.meeting_get(user=user, pk=pk)
    require(can_manage_meeting(user, meeting))
    invitation = selectors.invitation_get(meeting=meeting, pk=invitation_pk)
    # Only someone who was e-mailed the meeting is e-mailed its cancellation.
    mailed = (
        invitation.sent_sequence >= 0 and invitation.user.is_active and bool(invitation.user.email)
    )
    if request.method == "POST":
        try:
            invitation_services.invitation_withdraw(actor=user, invitation=invitation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            told = (
                _(
                    "The invitation of %(person)s was withdrawn. They are told in Polku and by e-mail."
                )
                if mailed
                else _("The invitation of %(person)s was withdrawn. They are told in Polku.")
            )
            messages.success(request, told % {"person": invitation.user})
        # To the top of the page, where the message is shown.
        return redirect(meeting)
    return render(
        request,
        "meetings/invitation_withdraw.html",
        {"meeting": meeting, "invitation": invitation, "mailed": mailed},
    )
