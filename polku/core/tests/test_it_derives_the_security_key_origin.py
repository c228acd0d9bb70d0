"""Security keys' relying party and origin follow the site's address as browsers send it,
and a site on plain HTTP, where browsers offer no keys, still starts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config import settings as polku_settings

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("site_url", "expected"),
    [
        ("https://polku.example.org:443/", ("polku.example.org", "https://polku.example.org")),
        ("http://polku.example.org:80", ("polku.example.org", "http://polku.example.org")),
        ("HTTPS://Polku.Example.ORG/", ("polku.example.org", "https://polku.example.org")),
        ("https://polku.example.org:8443", ("polku.example.org", "https://polku.example.org:8443")),
    ],
)
def test_it_leaves_out_the_default_port_and_case(
    monkeypatch: pytest.MonkeyPatch, site_url: str, expected: tuple[str, str]
) -> None:
    """Browsers send ``https://host`` for port 443, and the check compares exactly."""
    monkeypatch.setattr(polku_settings, "SITE_URL", site_url)
    assert polku_settings._webauthn_site() == expected


def _check(**environment: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("POLKU_WEBAUTHN_", "DJANGO_SETTINGS"))
    }
    env |= {"POLKU_DEBUG": "1", **environment}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_site_on_plain_http_still_starts() -> None:
    """No secure context, so no keys, but every command still runs."""
    result = _check(POLKU_SITE_URL="http://polku.internal:8000")
    assert result.returncode == 0, result.stderr
    assert "otp_webauthn.E031" not in result.stderr


def test_an_insecure_origin_set_on_purpose_is_still_refused() -> None:
    result = _check(
        POLKU_SITE_URL="http://polku.internal:8000",
        POLKU_WEBAUTHN_ORIGINS="http://polku.internal:8000",
    )
    assert result.returncode != 0
    assert "otp_webauthn.E031" in result.stderr


def test_an_empty_setting_counts_as_unset() -> None:
    result = _check(
        POLKU_SITE_URL="https://polku.example.org",
        POLKU_WEBAUTHN_RP_ID="",
        POLKU_WEBAUTHN_ORIGINS="",
    )
    assert result.returncode == 0, result.stderr
