"""Pages for a person's calendar feed: its settings, and the feed itself."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from polku.core.http import signed_in_user
from polku.core.permissions import insider_required
from polku.meetings import ics
from polku.meetings import selectors_meetings as selectors
from polku.meetings.services import calendar as calendar_services
from polku.notifications.services import language_of


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, max-age=0"
    response["Pragma"] = "no-cache"
    return response


def _refusal(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


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
