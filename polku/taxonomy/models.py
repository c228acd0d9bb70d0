"""Versioned typologies (forms of exploitation, sectors, groups, regions) kept as data."""

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from polku.taxonomy.choices import TypologyKind


class Typology(models.Model):
    """One version of a classification; exactly one version of each kind is current."""

    kind = models.CharField(_("kind"), max_length=50, choices=TypologyKind.choices)
    version = models.PositiveSmallIntegerField(_("version"))
    name = models.CharField(_("name in English"), max_length=200)
    name_fi = models.CharField(_("name in Finnish"), max_length=200, blank=True)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"))
    is_current = models.BooleanField(_("current"), default=False)

    class Meta:
        verbose_name = _("typology")
        verbose_name_plural = _("typologies")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="taxonomy_typology_version"),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(is_current=True), name="taxonomy_typology_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} (v{self.version})"

    @property
    def display_name(self) -> str:
        """The name in the active language, falling back to English."""
        return _localised(self.name, self.name_fi, self.name_sv)


class Category(models.Model):
    """One value of a typology version, with the values of the previous version it continues."""

    typology = models.ForeignKey(
        Typology, verbose_name=_("typology"), on_delete=models.PROTECT, related_name="categories"
    )
    code = models.SlugField(_("code"), max_length=50)
    label = models.CharField(_("label in English"), max_length=200)
    label_fi = models.CharField(_("label in Finnish"), max_length=200, blank=True)
    label_sv = models.CharField(_("label in Swedish"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    replaces = models.ManyToManyField(
        "self",
        verbose_name=_("replaces"),
        symmetrical=False,
        blank=True,
        related_name="replaced_by",
        help_text=_("Categories of earlier versions whose counts continue in this one."),
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["typology", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["typology", "code"], name="taxonomy_category_code"),
        ]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        """The label in the active language, falling back to English."""
        return _localised(self.label, self.label_fi, self.label_sv)


def _localised(english: str, finnish: str, swedish: str) -> str:
    language = (get_language() or "en")[:2]
    if language == "fi" and finnish:
        return finnish
    if language == "sv" and swedish:
        return swedish
    return english
