"""System checks that keep the published statistics protected as configured."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core.checks import CheckMessage, Error, register

from polku.statistics.choices_returns import COUNTRY_CODES


def register_checks() -> None:
    register(check_national_country)


def check_national_country(
    *,
    app_configs: Sequence[AppConfig] | None = None,
    databases: Sequence[str] | None = None,
    **kwargs: Any,
) -> list[CheckMessage]:
    """``POLKU_NATIONAL_COUNTRY`` names the country whose citizens are nationals in the
    citizenship breakdown. A code that is no country (``FIN`` for ``FI``) would place no
    country among the nationals, and every country cell would be withheld without a
    word; refuse to start with one."""
    from polku.reporting.outputs import national_country

    code = national_country()
    if code in COUNTRY_CODES:
        return []
    return [
        Error(
            f"POLKU_NATIONAL_COUNTRY is {code!r}, which is not an ISO 3166-1 alpha-2 country "
            "code: no country would count as national and every country cell of the "
            "published statistics would be withheld.",
            hint="Set it to the two-letter code of the country, for example FI or SE.",
            id="polku.reporting.E001",
        )
    ]
