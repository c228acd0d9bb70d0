"""The system check that keeps second-factor throttling on."""

from typing import Any

import pytest

from polku.accounts.checks import check_otp_throttling


def test_it_accepts_the_default_throttling() -> None:
    """With django-otp's defaults there is nothing to report."""
    assert check_otp_throttling() == []


@pytest.mark.parametrize("name", ["OTP_TOTP_THROTTLE_FACTOR", "OTP_STATIC_THROTTLE_FACTOR"])
def test_it_refuses_throttling_turned_off(settings: Any, name: str) -> None:
    """A factor of 0 is reported as an error naming the setting."""
    setattr(settings, name, 0)
    errors = check_otp_throttling()
    assert [error.id for error in errors] == ["polku.accounts.E001"]
    assert name in errors[0].msg
