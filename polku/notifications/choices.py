"""How a person wants their notifications to reach them by e-mail."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailDelivery(models.TextChoices):
    EACH = "each", _("Each one as it happens")
    DAILY_DIGEST = "daily_digest", _("One daily digest")
    NONE = "none", _("None by e-mail (in Polku only)")
