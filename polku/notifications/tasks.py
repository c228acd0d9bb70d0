"""E-mails for notifications, sent by the task worker once the change has committed: one at a
time to people who want each as it happens, once a day as a digest to people who want that.
"""

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from polku.accounts.models import User
from polku.notifications.choices import EmailDelivery
from polku.notifications.models import Notification, NotificationPreference
from polku.notifications.services import language_of

logger = logging.getLogger(__name__)

# A digest names what happened in the last week; older news waits in the list in Polku
# rather than arriving days late, e.g. after someone switches from "none" to the digest.
DIGEST_WINDOW = timedelta(days=7)
# A digest lists at most this many notifications and counts the rest.
DIGEST_LIST_LIMIT = 50


def absolute(url: str) -> str:
    """A link that works from an e-mail: site paths get the site's address in front."""
    if url.startswith("/"):
        return settings.SITE_URL.rstrip("/") + url
    return url


def email_delivery_of(user: User) -> str:
    """How a person wants notifications e-mailed: their choice, else each as it happens."""
    try:
        return user.notification_preference.email
    except NotificationPreference.DoesNotExist:
        return EmailDelivery.EACH


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

    Each notification is claimed before sending, so a task that runs twice mails once. People
    who chose the daily digest or no e-mail are skipped; their notifications stay unmailed.
    """
    sent = 0
    notifications = Notification.objects.filter(
        pk__in=notification_ids, emailed_at=None
    ).select_related("recipient", "recipient__notification_preference")
    for notification in notifications:
        recipient = notification.recipient
        if not recipient.is_active or not recipient.email:
            continue
        if email_delivery_of(recipient) != EmailDelivery.EACH:
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


@dataclass(frozen=True)
class DigestRun:
    """What one run of the daily digest did."""

    digests: int
    notifications: int
    failed: int


def digest_message(recipient: User, notifications: Sequence[Notification]) -> EmailMessage:
    """One e-mail listing the notifications, newest first, in the recipient's language.

    Each entry is the notification's own title and text, exactly as its single e-mail would
    carry them, so a digest says no more about a protected matter than that e-mail would.
    """
    language = language_of(recipient)
    listed = notifications[:DIGEST_LIST_LIMIT]
    with translation.override(language):
        count = len(notifications)
        subject = ngettext(
            "Polku: %(count)d new notification", "Polku: %(count)d new notifications", count
        ) % {"count": count}
        parts = [
            ngettext(
                "You have %(count)d notification in Polku that you have not read yet:",
                "You have %(count)d notifications in Polku that you have not read yet:",
                count,
            )
            % {"count": count}
        ]
        for notification in listed:
            entry = [notification.title]
            if notification.body:
                entry.append(notification.body)
            if notification.url:
                entry.append(_("Read it in Polku: %(link)s") % {"link": absolute(notification.url)})
            parts.append("\n".join(entry))
        if count > len(listed):
            more = count - len(listed)
            parts.append(
                ngettext(
                    "And %(count)d more notification in Polku.",
                    "And %(count)d more notifications in Polku.",
                    more,
                )
                % {"count": more}
            )
        parts.append(
            _("All your notifications: %(link)s")
            % {"link": absolute(reverse("notifications:notification_list"))}
        )
        parts.append(
            _("Choose how Polku e-mails you: %(link)s")
            % {"link": absolute(reverse("notifications:notification_settings"))}
        )
    return EmailMessage(
        subject,
        "\n\n".join(parts),
        None,
        [recipient.email],
        headers={"Content-Language": language},
    )


def digests_send(*, now: datetime | None = None) -> DigestRun:
    """Sends each person who chose the daily digest one e-mail of their unmailed notifications.

    Only notifications meant for e-mail, unread, and from the last `DIGEST_WINDOW` are listed;
    the rest stay in Polku. Each person's notifications are claimed (their `emailed_at` and
    `digest_id` set where `emailed_at` is still empty) just before that person's e-mail is
    sent, so a second run, even at the same time, finds nothing of theirs left to send, and a
    run stopped part-way has marked as e-mailed at most the one digest it was sending. A
    digest that fails to send is released again, so the next run sends it. A run is one
    query to find what is due and one claim per person, whatever the number of
    notifications, plus one per refused digest.
    """
    now = now or timezone.now()
    due = list(
        Notification.objects.filter(
            emailed_at=None,
            email_wanted=True,
            read_at=None,
            created_at__gte=now - DIGEST_WINDOW,
            created_at__lte=now,
            recipient__is_active=True,
            recipient__notification_preference__email=EmailDelivery.DAILY_DIGEST,
        )
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("recipient_id", "-created_at", "-pk")
    )
    if not due:
        return DigestRun(digests=0, notifications=0, failed=0)
    digest_id = uuid.uuid4()
    by_recipient: dict[int, list[Notification]] = {}
    for notification in due:
        by_recipient.setdefault(notification.recipient_id, []).append(notification)
    digests = covered = failed = 0
    for found in by_recipient.values():
        recipient = found[0].recipient
        notifications = _claim(found, digest_id=digest_id, now=now)
        if not notifications:
            continue
        try:
            digest_message(recipient, notifications).send()
        except Exception:
            logger.exception("The notification digest to user %s could not be sent.", recipient.pk)
            # Released, so the next run sends them.
            Notification.objects.filter(recipient=recipient, digest_id=digest_id).update(
                emailed_at=None, digest_id=None
            )
            failed += 1
            continue
        digests += 1
        covered += len(notifications)
    return DigestRun(digests=digests, notifications=covered, failed=failed)


def _claim(
    notifications: list[Notification], *, digest_id: uuid.UUID, now: datetime
) -> list[Notification]:
    """Claims one person's notifications for this run's digest; returns those it got.

    A plain conditional UPDATE: whichever run updates a row first owns it. Only when another
    run or a reader got some of them first are the ones this run got read back."""
    ids = [notification.pk for notification in notifications]
    claimed = Notification.objects.filter(pk__in=ids, emailed_at=None, read_at=None).update(
        emailed_at=now, digest_id=digest_id
    )
    if claimed == len(ids):
        return notifications
    if not claimed:
        return []
    own = set(
        Notification.objects.filter(pk__in=ids, digest_id=digest_id).values_list("pk", flat=True)
    )
    return [notification for notification in notifications if notification.pk in own]


@task()
def notifications_send_digests() -> dict[str, int]:
    """Sends the daily digests; for schedulers that enqueue tasks rather than run commands."""
    run = digests_send()
    return {"digests": run.digests, "notifications": run.notifications, "failed": run.failed}
