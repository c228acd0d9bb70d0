"""How API callers prove who they are: an organisation's bearer token, or a browser session."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from polku.accounts.middleware import second_factor_outstanding
from polku.accounts.models import User
from polku.api import tokens
from polku.api.errors import ApiError, MissingScope, NotAuthenticated
from polku.api.models import ApiToken
from polku.api.scopes import get_scope
from polku.api.selectors import api_token_for_authentication
from polku.api.services import api_token_record_use
from polku.core.permissions import is_insider

# Compared against when no token has the presented prefix, so both paths take as long.
_UNUSED_HASH = tokens.hash_secret("0" * tokens.SECRET_LENGTH)


def authenticate_token(value: str) -> ApiToken:
    """The usable token a presented credential belongs to; refuses anything else with 401."""
    parsed = tokens.parse_token(value)
    if parsed is None:
        raise NotAuthenticated(_("The API token is not valid."))
    token = api_token_for_authentication(prefix=parsed.prefix)
    matches = tokens.secret_matches(parsed.secret, token.secret_hash if token else _UNUSED_HASH)
    if token is None or not matches:
        raise NotAuthenticated(_("The API token is not valid."))
    # Only a caller holding the full secret learns why a real token is refused.
    status = token.status_at(timezone.now())
    if status == ApiToken.Status.REVOKED:
        raise NotAuthenticated(_("The API token has been revoked."))
    if status == ApiToken.Status.EXPIRED:
        raise NotAuthenticated(_("The API token has expired."))
    if not token.organisation.is_active:
        raise NotAuthenticated(_("The API token belongs to a retired organisation."))
    return token


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer polku_<prefix>_<secret>` carrying the endpoint's scope."""

    def __init__(self, scope: str) -> None:
        self.scope = scope
        super().__init__()

    def __call__(self, request: HttpRequest) -> ApiToken | None:
        # Parsed here rather than by HttpBearer, which logs the whole header in DEBUG.
        header = request.headers.get(self.header, "")
        scheme, _separator, credential = header.partition(" ")
        if not header or scheme.lower() != self.openapi_scheme:
            return None
        return self.authenticate(request, credential.strip())

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        api_token = authenticate_token(token)
        if not api_token.has_scope(self.scope):
            raise MissingScope(self.scope)
        api_token_record_use(token=api_token, moment=timezone.now())
        return api_token


class ApiSessionAuth(SessionAuth):
    """A signed-in person's browser session, so the interactive docs work for them."""

    def __init__(self, scope: str) -> None:
        self.scope = scope
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Any:
        # Anonymous requests fall through to a 401 instead of failing the CSRF check first.
        if not request.user.is_authenticated:
            return None
        try:
            return super().__call__(request)
        except HttpError as error:
            if isinstance(error, ApiError):
                raise
            raise ApiError(
                403,
                _("The CSRF check failed: reload the page and try again."),
                code="csrf_failed",
            ) from error

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        if not isinstance(user, User) or not user.is_active:
            return None
        # The API is exempt from the second-step redirect, so the same rule is applied here.
        if second_factor_outstanding(request, user):
            raise NotAuthenticated(
                _("Verify your sign-in with your second factor before using the API.")
            )
        scope = get_scope(self.scope)
        if scope is None or not is_insider(user):
            raise MissingScope(self.scope, _("Your account has no role that allows this."))
        if scope.session_roles is not None and not user.has_role(*scope.session_roles):
            raise MissingScope(self.scope, _("Your account has no role that allows this."))
        return user


def api_auth(scope: str) -> list[Any]:
    """The authentication an endpoint needing `scope` accepts: a token first, then a session."""
    return [ApiTokenAuth(scope), ApiSessionAuth(scope)]
