"""Reads about a person's own account: memberships and second-factor status."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from polku.accounts.choices import MFA_REQUIRED_ROLES
from polku.accounts.models import User
from polku.actors.models import Membership


@dataclass(frozen=True)
class MfaStatus:
    """Whether a person uses a second factor, and whether their roles demand one."""

    has_authenticator: bool
    backup_codes_left: int
    required: bool


def own_memberships(*, user: User) -> QuerySet[Membership]:
    """The person's active memberships, each with its organisation."""
    return (
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .order_by("organisation__name", "role")
    )


def confirmed_authenticator(*, user: User) -> TOTPDevice | None:
    """The authenticator app the person has set up, if any."""
    device: TOTPDevice | None = (
        TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()
    )
    return device


def has_authenticator(*, user: User) -> bool:
    """Whether the person has set up an authenticator app."""
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def mfa_required_for(*, user: User) -> bool:
    """Whether the person's roles oblige them to use a second factor."""
    return bool(settings.POLKU_MFA_REQUIRED) and user.has_role(*MFA_REQUIRED_ROLES)


def mfa_status(*, user: User) -> MfaStatus:
    """The person's second-factor status for their profile page."""
    return MfaStatus(
        has_authenticator=has_authenticator(user=user),
        backup_codes_left=StaticToken.objects.filter(
            device__user=user, device__confirmed=True
        ).count(),
        required=mfa_required_for(user=user),
    )


def has_two_step(person: User) -> bool:
    """Whether the person has an authenticator app or backup codes to reset."""
    return (
        confirmed_authenticator(user=person) is not None
        or StaticToken.objects.filter(device__user=person).exists()
    )
