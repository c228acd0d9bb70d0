"""The unread count in the page header, counted at most once per request."""

from typing import Any

from django import template

from polku.notifications.selectors import unread_count

register = template.Library()

_CACHE_ATTRIBUTE = "_polku_unread_notifications"


@register.simple_tag(takes_context=True)
def unread_notifications(context: dict[str, Any]) -> int:
    """How many unread notifications the signed-in person has (0 when signed out)."""
    request = context.get("request")
    user = context.get("user")
    if request is None or user is None or not user.is_authenticated:
        return 0
    cached = getattr(request, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = unread_count(user=user)
        setattr(request, _CACHE_ATTRIBUTE, cached)
    return int(cached)
