"""Permission primitives shared by every app: default-deny scopes and object getters."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from polku.accounts.models import User

AnyUser = User | AnonymousUser


def is_insider(user: AnyUser) -> bool:
    """Signed in, active, and holding at least one role through a membership."""
    return isinstance(user, User) and user.is_active and bool(user.roles)


def get_in_scope[M: Model](scope: QuerySet[M], **lookup: Any) -> M:
    """Fetches an object from a user's scope; anything outside it does not exist (404)."""
    try:
        return scope.get(**lookup)
    except scope.model.DoesNotExist as error:
        raise Http404 from error


def require(allowed: bool) -> None:
    """Refuses (403) an action on an object the user can already see."""
    if not allowed:
        raise PermissionDenied
