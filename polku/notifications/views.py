"""A person's own notifications: the list, marking them read, and how they are e-mailed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from polku.accounts.models import User
from polku.core.pagination import paginate
from polku.notifications import selectors, services
from polku.notifications.forms import NotificationSettingsForm


def _reader(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:notification_list")


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """The reader's notifications, unread first."""
    user = _reader(request)
    page_obj = paginate(request, selectors.notification_list(user=user))
    return render(
        request,
        "notifications/notification_list.html",
        {"page_obj": page_obj, "unread": selectors.unread_count(user=user)},
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Marks one notification read; someone else's does not exist (404)."""
    user = _reader(request)
    notification = selectors.notification_get(user=user, pk=pk)
    if notification is None:
        raise Http404
    services.notification_mark_read(actor=user, notification=notification)
    return _back(request)


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    """Marks every unread notification of the reader read."""
    changed = services.notification_mark_all_read(actor=_reader(request))
    if changed:
        messages.success(
            request,
            ngettext(
                "%(count)d notification marked as read.",
                "%(count)d notifications marked as read.",
                changed,
            )
            % {"count": changed},
        )
    else:
        messages.info(request, _("You had no unread notifications."))
    return redirect("notifications:notification_list")


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    """The reader's own choice of how notifications reach them by e-mail."""
    user = _reader(request)
    preference = selectors.notification_preference_get(user=user)
    # An empty POST (no radio chosen) must still be validated, so not `request.POST or None`.
    form = NotificationSettingsForm(
        request.POST if request.method == "POST" else None, initial={"email": preference.email}
    )
    if request.method == "POST" and form.is_valid():
        services.notification_preference_set(
            actor=user, user=user, email=form.cleaned_data["email"]
        )
        messages.success(request, _("Your e-mail settings for notifications have been saved."))
        return redirect("notifications:notification_settings")
    return render(
        request,
        "notifications/notification_settings.html",
        {"form": form, "has_email": bool(user.email)},
    )
