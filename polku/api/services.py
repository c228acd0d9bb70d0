"""Writes to API tokens: issue and revoke, each audited without the secret."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.models import User
from polku.actors.models import Organisation
from polku.api import tokens
from polku.api.models import ApiToken
from polku.api.permissions import can_manage_organisation_tokens, can_manage_token
from polku.api.scopes import get_scope
from polku.audit.services import audit_write, snapshot

NAME_MAX_LENGTH = ApiToken._meta.get_field("name").max_length or 100
# Recording every request would turn each API read into a database write.
LAST_USED_RESOLUTION = timedelta(minutes=1)
_PREFIX_ATTEMPTS = 5


def _audited_fields() -> list[str]:
    return [field.name for field in ApiToken._meta.concrete_fields if field.name != "secret_hash"]


def _token_snapshot(token: ApiToken) -> dict[str, Any]:
    """A token as the audit log sees it: everything except the secret's hash."""
    return snapshot(token, fields=_audited_fields())


def _clean_scopes(scopes: Iterable[str]) -> tuple[list[str], str | None]:
    codes = sorted({code.strip() for code in scopes if code.strip()})
    if not codes:
        return codes, _("Choose at least one scope.")
    unknown = [code for code in codes if get_scope(code) is None]
    if unknown:
        return codes, _("Unknown scopes: %(scopes)s") % {"scopes": ", ".join(unknown)}
    return codes, None


def api_token_issue(
    *,
    actor: User,
    organisation: Organisation,
    name: str,
    scopes: Iterable[str],
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Issues a token for an organisation; the plaintext is returned once and never stored."""
    if not can_manage_organisation_tokens(actor, organisation):
        raise PermissionDenied
    errors: dict[str, str] = {}
    name = name.strip()
    if not name:
        errors["name"] = _("Enter a name for the token.")
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = _("The name can be at most %(limit)d characters long.") % {
            "limit": NAME_MAX_LENGTH
        }
    codes, scope_error = _clean_scopes(scopes)
    if scope_error:
        errors["scopes"] = scope_error
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = _("The expiry must be in the future.")
    if not organisation.is_active:
        errors["organisation"] = _("Tokens cannot be issued for a retired organisation.")
    if errors:
        raise ValidationError(errors)

    secret = tokens.new_secret()
    with transaction.atomic():
        token = _create_with_unique_prefix(
            actor=actor,
            organisation=organisation,
            name=name,
            scopes=codes,
            secret_hash=tokens.hash_secret(secret),
            expires_at=expires_at,
        )
        audit_write(
            actor=actor,
            action="api.token.issue",
            target=token,
            after=_token_snapshot(token),
        )
    return token, tokens.format_token(token.prefix, secret)


def _create_with_unique_prefix(**values: Any) -> ApiToken:
    actor = values.pop("actor")
    for attempt in range(_PREFIX_ATTEMPTS):
        token = ApiToken(prefix=tokens.new_prefix(), created_by=actor, updated_by=actor, **values)
        try:
            with transaction.atomic():
                token.save(force_insert=True)
        except IntegrityError:
            if attempt == _PREFIX_ATTEMPTS - 1:
                raise
            continue
        return token
    raise AssertionError("unreachable")  # pragma: no cover


def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revokes a token at once; requests carrying it are refused from now on."""
    if not can_manage_token(actor, token):
        raise PermissionDenied
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is not None:
            raise ValidationError(_("This token has already been revoked."))
        before = _token_snapshot(locked)
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor
        locked.updated_by = actor
        locked.save(update_fields=["revoked_at", "revoked_by", "updated_by", "updated_at"])
        audit_write(
            actor=actor,
            action="api.token.revoke",
            target=locked,
            before=before,
            after=_token_snapshot(locked),
        )
    return locked


def api_token_record_use(*, token: ApiToken, moment: datetime) -> None:
    """Notes when a token was last used, at most once per LAST_USED_RESOLUTION.

    Usage bookkeeping is not a change to the token, so it is not written to the audit log.
    """
    if token.last_used_at is not None and moment - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=moment)
    token.last_used_at = moment
