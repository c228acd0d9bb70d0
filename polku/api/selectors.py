"""Reads of API tokens, always through the reader's scope."""

from django.db.models import QuerySet

from polku.api.models import ApiToken
from polku.api.permissions import api_token_scope, get_token_for_manage
from polku.core.permissions import AnyUser


def api_token_list(*, user: AnyUser, organisation_id: int | None = None) -> QuerySet[ApiToken]:
    """Tokens the user may manage, newest first, optionally of one organisation."""
    tokens = api_token_scope(user).select_related("organisation", "created_by", "revoked_by")
    if organisation_id is not None:
        tokens = tokens.filter(organisation_id=organisation_id)
    return tokens.order_by("-created_at", "-id")


def api_token_get(*, user: AnyUser, pk: int) -> ApiToken:
    """One token the user may manage (403 for its organisation's other members, else 404)."""
    return get_token_for_manage(user, pk)


def api_token_for_authentication(*, prefix: str) -> ApiToken | None:
    """The token a presented credential claims to be, with the organisation it acts for."""
    return ApiToken.objects.select_related("organisation").filter(prefix=prefix).first()
