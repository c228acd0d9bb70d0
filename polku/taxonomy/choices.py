"""The kinds of typology Polku classifies by; each kind has numbered versions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TypologyKind(models.TextChoices):
    EXPLOITATION_FORM = "exploitation_form", _("Forms of exploitation")
    SECTOR = "sector", _("Sectors")
    AFFECTED_GROUP = "affected_group", _("Affected groups")
    REGION = "region", _("Regions")
