"""Kinds of organisations and bodies, and the roles people hold in bodies."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    AUTHORITY = "authority", _("Authority")
    NGO = "ngo", _("Non-governmental organisation")
    MUNICIPALITY = "municipality", _("Municipality or wellbeing services county")
    INTERNATIONAL = "international", _("International body")
    RESEARCH = "research", _("Research institute")
    POLITICAL = "political", _("Political body")
    RAPPORTEUR = "rapporteur", _("Independent rapporteur")


class BodyKind(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    WORKING_GROUP = "working_group", _("Working group")
    ROUND_TABLE = "round_table", _("Round table")


class BodyVisibility(models.TextChoices):
    ALL_USERS = "all_users", _("Everyone signed in")
    MEMBERS = "members", _("Members and the coordination only")


class BodyRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")
    FOCAL_POINT = "focal_point", _("Focal point")
    DEPUTY_FOCAL_POINT = "deputy_focal_point", _("Deputy focal point")
    GUEST = "guest", _("Permanent guest")
