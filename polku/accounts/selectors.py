"""Reads about a person's own account: memberships and second-factor status."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from polku.accounts.choices import MFA_REQUIRED_ROLES
from polku.accounts.models import User
from polku.actors.models import Membership


@dataclass(frozen=True)
class MfaStatus:
    """Whether a person uses a second factor, and whether their roles demand one."""

    has_authenticator: bool
    backup_codes_left: int
    required: bool
    security_keys: int = 0

    @property
    def is_on(self) -> bool:
        """Whether signing in asks for a second factor."""
        return self.has_authenticator or self.security_keys > 0


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


def security_keys(*, user: User) -> QuerySet[WebAuthnCredential]:
    """The person's own security keys and passkeys, oldest first; nobody else's."""
    keys: QuerySet[WebAuthnCredential] = WebAuthnCredential.objects.filter(
        user=user, confirmed=True
    ).order_by("created_at", "pk")
    return keys


def security_key_for(*, user: User, pk: int) -> WebAuthnCredential:
    """One of the person's own security keys; 404 for any other."""
    key: WebAuthnCredential = get_object_or_404(security_keys(user=user), pk=pk)
    return key


def has_security_key(*, user: User) -> bool:
    """Whether the person has registered a security key or passkey."""
    return bool(security_keys(user=user).exists())


def has_second_factor(*, user: User) -> bool:
    """Whether signing in asks the person for an authenticator code or a security key."""
    return has_authenticator(user=user) or has_security_key(user=user)


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
        security_keys=security_keys(user=user).count(),
    )


def has_two_step(person: User) -> bool:
    """Whether the person has an authenticator app, backup codes or security keys to reset."""
    return (
        confirmed_authenticator(user=person) is not None
        or StaticToken.objects.filter(device__user=person).exists()
        or WebAuthnCredential.objects.filter(user=person).exists()
    )
