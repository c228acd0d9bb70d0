"""In-app notifications, whether their e-mail went out, how each person wants them e-mailed,
and the reminders already sent."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polku.notifications.choices import EmailDelivery


class Notification(models.Model):
    """Something a person should know about, shown in Polku and, usually, e-mailed."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=100)
    # Written in the recipient's language when the notification was made.
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    target_type = models.ForeignKey(
        ContentType,
        verbose_name=_("about (type)"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    target_id = models.CharField(_("about (id)"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    # False for in-app-only notifications (`notify(email=False)`): no e-mail or digest names them.
    email_wanted = models.BooleanField(_("to be e-mailed"), default=False)
    # The daily digest that claimed and mailed this notification; empty for single e-mails.
    digest_id = models.UUIDField(_("digest"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_idx"),
            models.Index(fields=["target_type", "target_id"], name="notification_target_idx"),
            models.Index(
                fields=["created_at"],
                condition=Q(emailed_at__isnull=True, email_wanted=True, read_at__isnull=True),
                name="notification_unmailed_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """How one person wants notifications e-mailed; made the first time they choose."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preference",
    )
    email = models.CharField(
        _("e-mail"),
        max_length=20,
        choices=EmailDelivery.choices,
        default=EmailDelivery.EACH,
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.email}"


class SentReminder(models.Model):
    """A reminder of one kind sent about one object on one day; at most one such row exists."""

    target_type = models.ForeignKey(
        ContentType, verbose_name=_("about (type)"), on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.CharField(_("about (id)"), max_length=64)
    kind = models.CharField(_("kind"), max_length=100)
    day = models.DateField(_("day"))
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(
                fields=["target_type", "target_id", "kind", "day"], name="sentreminder_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.target_id}"
