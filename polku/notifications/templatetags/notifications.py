"""The unread count in the page header, counted at most once per request, and how a
person chose to be e-mailed, for their profile."""

from typing import Any

from django import template

from polku.accounts.models import User
from polku.notifications.selectors import notification_preference_get, unread_count

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


@register.simple_tag
def email_delivery_label(user: User) -> str:
    """The person's choice of how notifications are e-mailed to them, in words."""
    return str(notification_preference_get(user=user).get_email_display())
