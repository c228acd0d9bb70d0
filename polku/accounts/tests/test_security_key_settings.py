"""The relying party for security keys, as derived from the site's address."""

import pytest

from config import settings as polku_settings


@pytest.mark.parametrize(
    ("site_url", "rp_id", "origin"),
    [
        ("https://polku.example.org", "polku.example.org", "https://polku.example.org"),
        ("https://polku.example.org:8443/", "polku.example.org", "https://polku.example.org:8443"),
        ("http://localhost:8000", "localhost", "http://localhost:8000"),
        ("http://127.0.0.1:8000", "localhost", "http://localhost:8000"),
        ("http://[::1]:8000", "localhost", "http://localhost:8000"),
    ],
)
def test_it_derives_the_relying_party_from_the_site_url(
    monkeypatch: pytest.MonkeyPatch, site_url: str, rp_id: str, origin: str
) -> None:
    """The host is the relying party ID (a loopback IP, never valid, becomes localhost)."""
    monkeypatch.setattr(polku_settings, "SITE_URL", site_url)
    assert polku_settings._webauthn_site() == (rp_id, origin)


def test_it_never_signs_in_with_a_key_alone() -> None:
    """Passwordless sign-in stays off: a key is only ever the second factor."""
    assert polku_settings.OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN is False
