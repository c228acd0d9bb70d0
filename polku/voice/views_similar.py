"""Challenges like the text being written on the raise page (htmx), or on a page of their own."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from polku.accounts.models import User
from polku.core.permissions import insider_required
from polku.voice.models import Endorsement
from polku.voice.permissions import can_participate
from polku.voice.services.common import DESCRIPTION_MAX, TITLE_MAX
from polku.voice.similarity import similar_challenges


@insider_required
@never_cache
@require_http_methods(["GET", "POST"])
def similar(request: HttpRequest) -> HttpResponse:
    """The five most similar challenges the reader may see, to endorse instead of repeating.

    htmx posts the title and description as they are typed and gets the results fragment;
    without JavaScript the same address is a page with its own form. The text travels in
    the body, never in the address: an address ends up in access logs, and the text may be
    that of a challenge about to be raised protected.
    """
    user = request.user
    assert isinstance(user, User)
    title = request.POST.get("title", "")[:TITLE_MAX]
    description = request.POST.get("description", "")[:DESCRIPTION_MAX]
    results = similar_challenges(user=user, title=title, description=description)
    participant = can_participate(user)
    endorsed: set[object] = set()
    if results and participant:
        endorsed = set(
            Endorsement.objects.filter(
                user=user, challenge__in=[item.challenge.pk for item in results]
            ).values_list("challenge", flat=True)
        )
    context = {
        "results": results,
        "searched": bool(title.strip() or description.strip()),
        "can_participate": participant,
        "endorsed": endorsed,
        "title": title,
        "description": description,
    }
    if request.headers.get("HX-Request") == "true":
        response = render(request, "voice/similar.html#results", context)
    else:
        response = render(request, "voice/similar.html", context)
    response["Vary"] = "HX-Request"
    return response
