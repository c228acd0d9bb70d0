"""Who may call the API: a usable token with the right scope, or a signed-in insider."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import ClientFor, Personas
from polku.accounts.session import SESSION_MFA_PENDING
from polku.api.models import ApiToken
from polku.api.tests.factories import bearer, make_token

URL = "/api/v1/organisations"


def _get(
    headers: dict[str, str] | None = None, client: Client | None = None
) -> tuple[int, dict[str, object], str]:
    response = (client or Client()).get(URL, headers=headers or {})
    assert response["Content-Type"].startswith("application/json")
    return response.status_code, response.json(), response.get("WWW-Authenticate", "")


def test_the_endpoint_is_mounted_where_the_docs_say(personas: Personas) -> None:
    """The organisation list lives at /api/v1/organisations."""
    assert reverse("api-v1:list_organisations") == URL


def test_a_valid_token_with_the_scope_is_accepted(personas: Personas) -> None:
    """A token carrying organisations:read reads the directory."""
    _, plaintext = make_token(organisation=personas.police)
    status, body, _ = _get(bearer(plaintext))
    assert status == 200
    assert body["count"] == 8


def test_no_credentials_get_401_with_a_bearer_challenge(personas: Personas) -> None:
    """Without a token or session the answer is 401, naming the scheme to use."""
    status, body, challenge = _get()
    assert status == 401
    assert body["code"] == "not_authenticated"
    assert "Bearer" in str(body["message"])
    assert challenge.startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer not-a-token",
        "Bearer polku_abc",
        "Bearer polku_ABCDEFGH_" + "a" * 40,
        "Bearer polku_abcdefgh_" + "a" * 40,
        "Basic dXNlcjpwYXNz",
        "Token polku_abcdefgh_" + "a" * 40,
    ],
)
def test_malformed_or_unknown_tokens_get_401(personas: Personas, header: str) -> None:
    """Anything that is not a known token is refused the same way."""
    status, body, _ = _get({"Authorization": header})
    assert status == 401
    assert body["code"] == "not_authenticated"


def test_the_right_prefix_with_a_wrong_secret_gets_401(personas: Personas) -> None:
    """Knowing a token's public prefix is not enough."""
    token, plaintext = make_token(organisation=personas.police)
    forged = plaintext[:-1] + ("A" if plaintext[-1] != "A" else "B")
    status, body, _ = _get(bearer(forged))
    assert status == 401
    assert body["message"] == "The API token is not valid."
    token.refresh_from_db()
    assert token.last_used_at is None


def test_a_revoked_token_gets_401(personas: Personas) -> None:
    """Revocation takes effect at once."""
    _, plaintext = make_token(organisation=personas.police, revoked=True)
    status, body, _ = _get(bearer(plaintext))
    assert status == 401
    assert "revoked" in str(body["message"])


def test_an_expired_token_gets_401(personas: Personas) -> None:
    """A token stops working at its expiry."""
    _, plaintext = make_token(
        organisation=personas.police, expires_at=timezone.now() - timedelta(seconds=1)
    )
    status, body, _ = _get(bearer(plaintext))
    assert status == 401
    assert "expired" in str(body["message"])


def test_a_token_that_has_not_expired_yet_works(personas: Personas) -> None:
    """An expiry in the future does not stop the token."""
    _, plaintext = make_token(
        organisation=personas.police, expires_at=timezone.now() + timedelta(days=1)
    )
    assert _get(bearer(plaintext))[0] == 200


def test_a_token_of_a_retired_organisation_gets_401(personas: Personas) -> None:
    """When an organisation is retired, its tokens stop working."""
    _, plaintext = make_token(organisation=personas.police)
    personas.police.is_active = False
    personas.police.save()
    status, body, _ = _get(bearer(plaintext))
    assert status == 401
    assert "retired" in str(body["message"])


def test_a_token_without_the_scope_gets_403(personas: Personas) -> None:
    """A valid token with other scopes is authenticated but not allowed: 403, naming the scope."""
    token, plaintext = make_token(organisation=personas.police, scopes=["statistics:write"])
    status, body, challenge = _get(bearer(plaintext))
    assert status == 403
    assert body["code"] == "insufficient_scope"
    assert "organisations:read" in str(body["message"])
    assert 'scope="organisations:read"' in challenge
    token.refresh_from_db()
    assert token.last_used_at is None


def test_a_bad_token_is_refused_even_with_a_session(
    personas: Personas, client_for: ClientFor
) -> None:
    """A presented token decides: a bad one is not rescued by the caller's session."""
    status, _, _ = _get({"Authorization": "Bearer nonsense"}, client_for("coordinator"))
    assert status == 401


def test_use_is_recorded_at_most_once_a_minute(personas: Personas) -> None:
    """last_used_at is written on first use, then not again within a minute."""
    token, plaintext = make_token(organisation=personas.police)
    assert _get(bearer(plaintext))[0] == 200
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None
    with CaptureQueriesContext(connection) as queries:
        assert _get(bearer(plaintext))[0] == 200
    assert not any(query["sql"].lstrip().upper().startswith("UPDATE") for query in queries)
    token.refresh_from_db()
    assert token.last_used_at == first_use

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first_use - timedelta(minutes=2))
    assert _get(bearer(plaintext))[0] == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert token.last_used_at > first_use - timedelta(minutes=2)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("secretariat", 200),
        ("practitioner", 200),
        ("ngo", 200),
        ("decisionmaker", 200),
        ("dataprovider", 200),
        ("rapporteur", 200),
        ("admin", 200),
        ("outsider", 403),
        ("anonymous", 401),
    ],
)
def test_a_signed_in_insider_may_use_their_session(
    client_for: ClientFor, persona: str, status: int
) -> None:
    """Sessions work for anyone holding a role, so the interactive docs work for them."""
    assert _get(client=client_for(persona))[0] == status


def test_a_session_needs_the_second_factor_when_mfa_is_required(
    client_for: ClientFor, settings: object
) -> None:
    """The API is exempt from the MFA redirect, so an unverified session is refused here."""
    settings.POLKU_MFA_REQUIRED = True  # type: ignore[attr-defined]
    status, body, _ = _get(client=client_for("coordinator"))
    assert status == 401
    assert "second factor" in str(body["message"])
    # A practitioner's role does not require a second factor.
    assert _get(client=client_for("practitioner"))[0] == 200


def test_a_session_still_owing_its_code_is_refused_whatever_the_setting(
    personas: Personas, settings: object
) -> None:
    """A practitioner who set up an authenticator and entered only the password gets 401,
    also with POLKU_MFA_REQUIRED off; after the code the same session is let in."""
    settings.POLKU_MFA_REQUIRED = False  # type: ignore[attr-defined]
    device = TOTPDevice.objects.create(user=personas.practitioner, name="phone", confirmed=True)
    client = Client()
    client.force_login(personas.practitioner)
    session = client.session
    session[SESSION_MFA_PENDING] = True
    session.save()
    status, body, _ = _get(client=client)
    assert status == 401
    assert "second factor" in str(body["message"])

    request = RequestFactory().get("/")
    request.session = client.session
    request.user = personas.practitioner
    otp_login(request, device)
    request.session.pop(SESSION_MFA_PENDING, None)
    request.session.save()
    assert _get(client=client)[0] == 200
