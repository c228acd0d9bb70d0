"""Organisations, the people in them and their roles, and the bodies they sit on."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from polku.accounts.choices import Role
from polku.actors.choices import BodyKind, BodyRole, BodyVisibility, OrganisationKind
from polku.core.models import TrackedModel


def name_in_active_language(name: str, *, fi: str, sv: str) -> str:
    """The Finnish or Swedish name when that language is active and the name is known."""
    language = (get_language() or "en")[:2]
    if language == "fi" and fi:
        return fi
    if language == "sv" and sv:
        return sv
    return name


class Organisation(TrackedModel):
    """A ministry, authority, NGO or other organisation taking part in the coordination."""

    name = models.CharField(_("name in English"), max_length=200, unique=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=200, blank=True)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    short_name = models.CharField(_("abbreviation"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    region = models.CharField(_("region"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("actors:organisation_detail", kwargs={"pk": self.pk})

    @property
    def display_name(self) -> str:
        """The name in the active language, falling back to English."""
        return name_in_active_language(self.name, fi=self.name_fi, sv=self.name_sv)


class Membership(TrackedModel):
    """A person's place in an organisation and the role it gives them in Polku."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    title = models.CharField(_("title in the organisation"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    confirmed_at = models.DateTimeField(_("last confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="actors_membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"


class Body(TrackedModel):
    """A standing group that meets: the secretariat, a working group or a round table."""

    name = models.CharField(_("name in English"), max_length=200, unique=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=200, blank=True)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=BodyKind.choices)
    visibility = models.CharField(
        _("visible to"),
        max_length=20,
        choices=BodyVisibility.choices,
        default=BodyVisibility.ALL_USERS,
    )
    mandate = models.TextField(_("mandate"), blank=True)
    convened_by = models.ForeignKey(
        Organisation,
        verbose_name=_("convened by"),
        on_delete=models.PROTECT,
        related_name="convened_bodies",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("actors:body_detail", kwargs={"pk": self.pk})

    @property
    def display_name(self) -> str:
        """The name in the active language, falling back to English."""
        return name_in_active_language(self.name, fi=self.name_fi, sv=self.name_sv)


class BodyMember(TrackedModel):
    """A person's seat on a body, and the organisation they represent there."""

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="body_seats",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("represents"),
        on_delete=models.PROTECT,
        related_name="body_seats",
    )
    role = models.CharField(_("role"), max_length=20, choices=BodyRole.choices)

    class Meta:
        verbose_name = _("body member")
        verbose_name_plural = _("body members")
        ordering = ["body", "role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["body", "user"], name="actors_bodymember_one_seat"),
            models.UniqueConstraint(
                fields=["body", "role"],
                condition=Q(role__in=["chair", "secretary"]),
                name="actors_bodymember_one_chair_one_secretary",
            ),
            models.UniqueConstraint(
                fields=["body", "organisation", "role"],
                condition=Q(role__in=["focal_point", "deputy_focal_point"]),
                name="actors_bodymember_one_focal_point_each",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.body} ({self.get_role_display()})"
