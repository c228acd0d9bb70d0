"""E-mails for notifications, sent by the task worker once the change has committed."""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from polku.notifications.models import Notification
from polku.notifications.services import language_of


def absolute(url: str) -> str:
    """A link that works from an e-mail: site paths get the site's address in front."""
    if url.startswith("/"):
        return settings.SITE_URL.rstrip("/") + url
    return url


def email_text(notification: Notification) -> str:
    """The e-mail body: the notification's text, its link and where to find all of them."""
    parts = [notification.body] if notification.body else []
    if notification.url:
        parts.append(_("Read it in Polku: %(link)s") % {"link": absolute(notification.url)})
    parts.append(
        _("All your notifications: %(link)s")
        % {"link": absolute(reverse("notifications:notification_list"))}
    )
    return "\n\n".join(parts)


@task()
def notifications_email(*, notification_ids: list[int]) -> int:
    """E-mails the notifications not yet e-mailed; returns how many were sent.

    Each notification is claimed before sending, so a task that runs twice mails once.
    """
    sent = 0
    notifications = Notification.objects.filter(
        pk__in=notification_ids, emailed_at=None
    ).select_related("recipient")
    for notification in notifications:
        recipient = notification.recipient
        if not recipient.is_active or not recipient.email:
            continue
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at=None).update(
            emailed_at=timezone.now()
        )
        if not claimed:
            continue
        with translation.override(language_of(recipient)):
            body = email_text(notification)
        try:
            send_mail(notification.title, body, None, [recipient.email])
        except Exception:
            # Left unmailed, so enqueueing the ids again sends what is left.
            Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
            raise
        sent += 1
    return sent
