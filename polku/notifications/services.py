"""Writing notifications, marking them read, choosing how they are e-mailed, and recording
reminders.

`notify` writes the in-app notifications inside the caller's transaction, so they exist
exactly when the change they describe does, and leaves the e-mails to a task enqueued after
commit, so a rolled-back change sends nothing and a slow mail server delays no page. Whether
that task mails a person at once, leaves them to the daily digest or not at all is their
`NotificationPreference`, read by the task when it runs.
"""

from collections.abc import Callable, Iterable
from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from polku.accounts.models import User
from polku.audit.services import audit_write, snapshot
from polku.notifications.choices import EmailDelivery
from polku.notifications.models import Notification, NotificationPreference, SentReminder

# A text given to `notify`: a string, a lazy translation, or a function called once per
# recipient while their language is active (for translated text with placeholders).
Text = str | Promise | Callable[[], str]

TITLE_MAX = 300


def _render(text: Text) -> str:
    if callable(text):
        return str(text())
    return str(text)


def language_of(user: User) -> str:
    """The language a person reads Polku in: their preference, else the site's default."""
    return user.preferred_language or settings.LANGUAGE_CODE


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title: Text,
    body: Text = "",
    url: str = "",
    target: models.Model | None = None,
    email: bool = True,
    exclude: User | None = None,
) -> list[Notification]:
    """Tells each recipient once, in their language: in the app now, by e-mail after commit.

    Inactive people and `exclude` (usually whoever made the change) are left out.
    """
    now = timezone.now()
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    target_id = str(target.pk) if target is not None else ""
    seen: set[int] = set()
    unsaved: list[Notification] = []
    for user in recipients:
        if user.pk in seen or not user.is_active or (exclude is not None and user.pk == exclude.pk):
            continue
        seen.add(user.pk)
        with translation.override(language_of(user)):
            rendered_title = _render(title)[:TITLE_MAX]
            rendered_body = _render(body)
        unsaved.append(
            Notification(
                recipient=user,
                kind=kind,
                title=rendered_title,
                body=rendered_body,
                url=url,
                target_type=target_type,
                target_id=target_id,
                created_at=now,
                email_wanted=email,
            )
        )
    created = Notification.objects.bulk_create(unsaved)
    if email:
        to_mail = [
            notification.pk
            for notification in created
            if notification.pk is not None and notification.recipient.email
        ]
        if to_mail:
            transaction.on_commit(lambda: _enqueue_email(to_mail))
    return created


def _enqueue_email(notification_ids: list[int]) -> None:
    from polku.notifications.tasks import notifications_email

    notifications_email.enqueue(notification_ids=notification_ids)


def notification_mark_read(*, actor: User, notification: Notification) -> Notification:
    """Marks one of the actor's notifications as read (reading someone else's is refused)."""
    if notification.recipient_id != actor.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at=None).update(
            read_at=notification.read_at
        )
    return notification


def notification_mark_all_read(*, actor: User) -> int:
    """Marks all the actor's unread notifications as read; returns how many changed."""
    return Notification.objects.filter(recipient=actor, read_at=None).update(read_at=timezone.now())


def notification_preference_set(
    *, actor: User, user: User, email: EmailDelivery | str
) -> NotificationPreference:
    """Sets how a person's own notifications reach them by e-mail (nobody sets another's)."""
    if actor.pk != user.pk:
        raise PermissionDenied
    if email not in EmailDelivery.values:
        raise ValidationError(
            {
                "email": _(
                    "Choose one of the options: each one as it happens, one daily digest, or "
                    "none by e-mail"
                )
            }
        )
    with transaction.atomic():
        preference, created = NotificationPreference.objects.select_for_update().get_or_create(
            user=user, defaults={"email": str(email)}
        )
        preference.user = user
        before = None
        if not created:
            if preference.email == email:
                return preference
            before = snapshot(preference, fields=["email"])
            preference.email = str(email)
            preference.save(update_fields=["email", "updated_at"])
        audit_write(
            actor=actor,
            action="notifications.preference.update",
            target=preference,
            before=before,
            after=snapshot(preference, fields=["email"]),
        )
    return preference


def reminder_record(
    *, target: models.Model, kind: str, day: date, recipient_count: int = 0
) -> bool:
    """Records that a reminder goes out today; False if one of this kind already went today.

    The unique row is the guarantee: two runs on the same day, even at once, send one.
    """
    try:
        with transaction.atomic():
            SentReminder.objects.create(
                target_type=ContentType.objects.get_for_model(target),
                target_id=str(target.pk),
                kind=kind,
                day=day,
                recipient_count=recipient_count,
            )
    except IntegrityError:
        return False
    return True
