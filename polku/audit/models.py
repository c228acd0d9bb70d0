"""The append-only, hash-chained audit log."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One write or one read of protected data; each event seals the one before it."""

    class Kind(models.TextChoices):
        WRITE = "write", _("Change")
        ACCESS = "access", _("Read of protected data")
        SECURITY = "security", _("Security event")

    occurred_at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    actor_label = models.CharField(_("who (as recorded)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    action = models.CharField(_("what"), max_length=100, db_index=True)
    target_type = models.CharField(_("object type"), max_length=100, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_label = models.CharField(_("object"), max_length=300, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    user_agent = models.CharField(_("client"), max_length=300, blank=True)
    request_id = models.CharField(_("request"), max_length=64, blank=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        constraints = [
            # Two events sealing the same predecessor would fork the chain.
            models.UniqueConstraint(fields=["previous_hash"], name="audit_event_one_successor"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.target_label}"

    def get_absolute_url(self) -> str:
        return reverse("audit:event_detail", kwargs={"pk": self.pk})
