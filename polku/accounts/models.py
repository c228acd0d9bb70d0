"""People who sign in to Polku."""

from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from polku.accounts.choices import Role


class User(AbstractUser):
    """A person known to Polku; their roles come from their organisation memberships."""

    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, blank=True
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_absolute_url(self) -> str:
        return reverse("actors:person_detail", kwargs={"pk": self.pk})

    @cached_property
    def roles(self) -> frozenset[str]:
        """The roles this person holds through active memberships of active organisations."""
        from polku.actors.models import Membership

        held = set(
            Membership.objects.filter(
                user_id=self.pk, is_active=True, organisation__is_active=True
            ).values_list("role", flat=True)
        )
        if self.is_superuser:
            held.add(Role.ADMINISTRATOR)
        return frozenset(held)

    def has_role(self, *roles: str) -> bool:
        return self.is_active and not self.roles.isdisjoint(roles)
