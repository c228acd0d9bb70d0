"""System checks that keep the sign-in protections switched on."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, register


def register_checks() -> None:
    register(check_otp_throttling)


def check_otp_throttling(
    *,
    app_configs: Sequence[AppConfig] | None = None,
    databases: Sequence[str] | None = None,
    **kwargs: Any,
) -> list[CheckMessage]:
    """A throttle factor of 0 would let anyone try every code; refuse to start with one."""
    errors: list[CheckMessage] = []
    for name in ("OTP_TOTP_THROTTLE_FACTOR", "OTP_STATIC_THROTTLE_FACTOR"):
        if getattr(settings, name, 1) <= 0:
            errors.append(
                Error(
                    f"{name} must be greater than 0: it throttles guessing of second-factor codes.",
                    id="polku.accounts.E001",
                )
            )
    return errors
