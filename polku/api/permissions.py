"""Who may issue, see and revoke API tokens. Everything starts from nothing."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from polku.accounts.choices import Role
from polku.accounts.models import User
from polku.actors.models import Organisation
from polku.api.models import ApiToken
from polku.core.permissions import AnyUser, is_insider

# These roles keep the tokens of every organisation.
TOKEN_MANAGERS_EVERYWHERE = frozenset({Role.ADMINISTRATOR, Role.COORDINATOR})
# These roles keep the tokens of the organisations they are active members of in that role.
TOKEN_MANAGERS_OWN = frozenset({Role.SECRETARIAT, Role.DATA_PROVIDER})


def _manages_everywhere(user: AnyUser) -> bool:
    return isinstance(user, User) and user.has_role(*TOKEN_MANAGERS_EVERYWHERE)


def can_manage_tokens(user: AnyUser) -> bool:
    """Whether the user may manage the tokens of at least one organisation."""
    return is_insider(user) and (
        _manages_everywhere(user) or (isinstance(user, User) and user.has_role(*TOKEN_MANAGERS_OWN))
    )


def manageable_organisations(user: AnyUser) -> QuerySet[Organisation]:
    """Active organisations the user may issue tokens for."""
    if not can_manage_tokens(user):
        return Organisation.objects.none()
    active = Organisation.objects.filter(is_active=True)
    if _manages_everywhere(user):
        return active
    assert isinstance(user, User)
    return active.filter(
        pk__in=Organisation.objects.filter(
            memberships__user=user,
            memberships__is_active=True,
            memberships__role__in=TOKEN_MANAGERS_OWN,
        ).values("pk")
    )


def can_manage_organisation_tokens(user: AnyUser, organisation: Organisation) -> bool:
    if not organisation.is_active:
        return _manages_everywhere(user) and is_insider(user)
    return manageable_organisations(user).filter(pk=organisation.pk).exists()


def api_token_scope(user: AnyUser) -> QuerySet[ApiToken]:
    """Tokens the user may see and revoke: all of them, or those of their own organisations."""
    if not can_manage_tokens(user):
        return ApiToken.objects.none()
    if _manages_everywhere(user):
        return ApiToken.objects.all()
    return ApiToken.objects.filter(organisation__in=manageable_organisations(user).values("pk"))


def can_manage_token(user: AnyUser, token: ApiToken) -> bool:
    return api_token_scope(user).filter(pk=token.pk).exists()


def get_token_for_manage(user: AnyUser, pk: int) -> ApiToken:
    """A token the user may manage; members of its organisation without the right get 403.

    Anyone else gets 404, so the existence of another organisation's token is not revealed.
    """
    token = (
        api_token_scope(user)
        .select_related("organisation", "created_by", "revoked_by")
        .filter(pk=pk)
        .first()
    )
    if token is not None:
        return token
    if (
        isinstance(user, User)
        and ApiToken.objects.filter(
            pk=pk,
            organisation__memberships__user=user,
            organisation__memberships__is_active=True,
        ).exists()
    ):
        raise PermissionDenied
    raise Http404
