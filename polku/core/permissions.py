"""Permission primitives shared by every app: default-deny scopes and object getters."""

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from polku.accounts.models import User

AnyUser = User | AnonymousUser


def is_insider(user: AnyUser) -> bool:
    """Signed in, active, and holding at least one role through a membership."""
    return isinstance(user, User) and user.is_active and bool(user.roles)


def get_in_scope[M: Model](scope: QuerySet[M], **lookup: Any) -> M:
    """Fetches an object from a user's scope; anything outside it does not exist (404)."""
    found = scope.filter(**lookup).first()
    if found is None:
        raise Http404
    return found


def require(allowed: bool) -> None:
    """Refuses (403) an action on an object the user can already see."""
    if not allowed:
        raise PermissionDenied


def insider_required[**P, R](
    view: Callable[Concatenate[HttpRequest, P], R],
) -> Callable[Concatenate[HttpRequest, P], R | HttpResponse]:
    """Anonymous visitors are sent to sign in; people without any role are refused.

    An outsider asking for a named object gets 404, so they never learn it exists; on pages
    that name no object (lists, forms to create) they get 403.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> R | HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_insider(request.user):
            if kwargs:
                raise Http404
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped  # type: ignore[return-value]
