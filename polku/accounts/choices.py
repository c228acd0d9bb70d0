"""Roles a person can hold through a membership of an organisation."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("National coordinator")
    SECRETARIAT = "secretariat", _("Secretariat member")
    PRACTITIONER = "practitioner", _("Practitioner")
    DECISION_MAKER = "decision_maker", _("Decision-maker")
    DATA_PROVIDER = "data_provider", _("Data provider")
    RAPPORTEUR = "rapporteur", _("National rapporteur")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles that handle other people's data must use a second factor when enforcement is on.
MFA_REQUIRED_ROLES = frozenset(
    {Role.COORDINATOR, Role.SECRETARIAT, Role.DATA_PROVIDER, Role.ADMINISTRATOR}
)
# Roles that run the coordination and may see and manage the whole directory.
COORDINATION_ROLES = frozenset({Role.COORDINATOR, Role.SECRETARIAT, Role.ADMINISTRATOR})
