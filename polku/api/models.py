"""API tokens: per-organisation, scoped credentials whose secret is stored only as a hash."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from polku.api.scopes import scope_label
from polku.core.models import TrackedModel


class ApiToken(TrackedModel):
    """A credential an organisation's systems use to call the API with the given scopes."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    organisation = models.ForeignKey(
        "actors.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    scopes = models.JSONField(_("scopes"), default=list)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    secret_hash = models.CharField(_("secret hash"), max_length=64)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    def status_at(self, moment: datetime) -> "ApiToken.Status":
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.expires_at is not None and self.expires_at <= moment:
            return self.Status.EXPIRED
        return self.Status.ACTIVE

    @property
    def status(self) -> "ApiToken.Status":
        return self.status_at(timezone.now())

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def last_valid_day(self) -> date | None:
        """The last local day on which the token works, for tokens that expire."""
        if self.expires_at is None:
            return None
        return timezone.localtime(self.expires_at - timedelta(microseconds=1)).date()

    def has_scope(self, code: str) -> bool:
        return code in self.scopes

    @property
    def scope_labels(self) -> list[str | Promise]:
        return [scope_label(code) for code in self.scopes]
