"""Reads of a person's own notifications; nobody reads anyone else's."""

from django.db.models import Case, IntegerField, QuerySet, Value, When

from polku.accounts.models import User
from polku.core.permissions import AnyUser
from polku.notifications.models import Notification, NotificationPreference


def notification_list(*, user: AnyUser) -> QuerySet[Notification]:
    """The user's notifications, unread first, newest first within each."""
    if not isinstance(user, User):
        return Notification.objects.none()
    unread_first = Case(
        When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        Notification.objects.filter(recipient=user)
        .annotate(unread_first=unread_first)
        .order_by("unread_first", "-created_at", "-pk")
    )


def notification_get(*, user: AnyUser, pk: int) -> Notification | None:
    if not isinstance(user, User):
        return None
    return Notification.objects.filter(recipient=user, pk=pk).first()


def unread_count(*, user: AnyUser) -> int:
    """How many of the user's notifications are unread, in one indexed count."""
    if not isinstance(user, User):
        return 0
    return Notification.objects.filter(recipient=user, read_at=None).count()


def notification_preference_get(*, user: User) -> NotificationPreference:
    """The person's own e-mail preference; the default (unsaved) until they first choose."""
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference if preference is not None else NotificationPreference(user=user)
