"""Helpers for the account tests: authenticator devices and the codes they show."""

from typing import Any

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from polku.accounts.models import User

PASSWORD = "correct-horse-battery-staple"


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the authenticator app shows now (or a later step's, for a second code)."""
    value = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0,
        digits=device.digits,
        drift=device.drift + steps_ahead,
    )
    return f"{value:0{device.digits}d}"


def wrong_code_for(device: TOTPDevice) -> str:
    """A six-digit code that no step around now produces."""
    valid = {code_for(device, steps_ahead=offset) for offset in range(-2, 3)}
    return next(code for code in (f"{n:06d}" for n in range(1000000)) if code not in valid)


def enrol(user: User, backup_codes: tuple[str, ...] = ()) -> TOTPDevice:
    """Gives the person a confirmed authenticator app, and optionally backup codes."""
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    if backup_codes:
        static = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
        for code in backup_codes:
            StaticToken.objects.create(device=static, token=code)
    return device


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra: str) -> Any:
    """Posts the sign-in form the way a browser does."""
    data = {"username": username, "password": password, **extra}
    return client.post(reverse("accounts:login"), data)
