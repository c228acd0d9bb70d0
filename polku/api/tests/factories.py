"""Tokens for tests, made directly so a test can set any state (expired, revoked, any scope)."""

from collections.abc import Sequence
from datetime import datetime

from django.utils import timezone

from polku.accounts.models import User
from polku.actors.models import Organisation
from polku.api import tokens
from polku.api.models import ApiToken


def make_token(
    *,
    organisation: Organisation,
    scopes: Sequence[str] = ("organisations:read",),
    name: str = "Case system export",
    expires_at: datetime | None = None,
    revoked: bool = False,
    created_by: User | None = None,
    last_used_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """A saved token and the plaintext a client would send."""
    prefix, secret = tokens.new_prefix(), tokens.new_secret()
    token = ApiToken.objects.create(
        organisation=organisation,
        name=name,
        scopes=list(scopes),
        prefix=prefix,
        secret_hash=tokens.hash_secret(secret),
        expires_at=expires_at,
        revoked_at=timezone.now() if revoked else None,
        created_by=created_by,
        last_used_at=last_used_at,
    )
    return token, tokens.format_token(prefix, secret)


def bearer(plaintext: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {plaintext}"}
