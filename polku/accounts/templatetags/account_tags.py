"""Template helpers for the account pages."""

import math
from datetime import datetime, timedelta

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def from_now(delta: timedelta | None) -> datetime | None:
    """The moment a waiting period that starts now ends."""
    if delta is None:
        return None
    return timezone.now() + delta


@register.filter
def whole_minutes(delta: timedelta | None) -> int:
    """A waiting period in minutes, rounded up so nobody comes back too early."""
    if delta is None:
        return 0
    return max(1, math.ceil(delta.total_seconds() / 60))
