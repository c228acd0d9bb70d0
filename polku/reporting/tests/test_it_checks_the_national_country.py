"""The system check that the national country of the citizenship breakdown is a country."""

import pytest
from django.core import checks
from django.test import override_settings

from polku.reporting.checks import check_national_country


def test_it_accepts_a_country_code() -> None:
    with override_settings(POLKU_NATIONAL_COUNTRY="SE"):
        assert check_national_country() == []
    with override_settings(POLKU_NATIONAL_COUNTRY="FI"):
        assert check_national_country() == []


@pytest.mark.parametrize("code", ["FIN", "XX", "UNKNOWN", "Finland"])
def test_it_refuses_a_code_that_is_no_country(code: str) -> None:
    """A three-letter code, an unassigned one or "unknown" would leave no country among
    the nationals and withhold every country cell."""
    with override_settings(POLKU_NATIONAL_COUNTRY=code):
        errors = check_national_country()
    assert [error.id for error in errors] == ["polku.reporting.E001"]
    assert errors[0].level == checks.ERROR
    assert repr(code) in errors[0].msg


def test_it_runs_with_the_system_checks() -> None:
    """Registered when the app is ready, so that ``manage.py check`` and every start of
    the server run it."""
    registered = [
        (check.__module__, getattr(check, "__name__", ""))
        for check in checks.registry.registry.get_checks()
    ]
    assert ("polku.reporting.checks", "check_national_country") in registered
