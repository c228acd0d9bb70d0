"""A body's work at a glance: its members, meetings, open actions and latest decisions."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from polku.core.http import signed_in_user
from polku.core.permissions import insider_required
from polku.meetings import selectors_bodies as selectors
from polku.meetings.permissions import can_manage_body_meetings
from polku.meetings.selectors_actions import body_follow_up


@insider_required
@require_GET
def body_work(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    body = selectors.body_get(user=user, pk=pk)
    open_actions = body_follow_up(user=user, body=body)
    return render(
        request,
        "meetings/body_work.html",
        {
            "body": body,
            "seat_groups": selectors.body_seats(body=body),
            "upcoming": selectors.body_upcoming_meetings(user=user, body=body),
            "past": selectors.body_past_meetings(user=user, body=body),
            "open_actions": list(open_actions[: selectors.PAGE_PART_ROWS]),
            "open_action_count": open_actions.count(),
            "decisions": selectors.body_recent_decisions(user=user, body=body),
            "can_manage": can_manage_body_meetings(user, body),
            "today": timezone.localdate(),
        },
    )
