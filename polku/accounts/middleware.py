"""Idle session timeout and the second sign-in step."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from polku.accounts.choices import MFA_REQUIRED_ROLES
from polku.accounts.models import User
from polku.accounts.session import (
    SESSION_LAST_SEEN,
    SESSION_LOGOUT_REASON,
    SESSION_MFA_PENDING,
    SESSION_SIGNED_OUT_REASON,
    SESSION_STARTED,
    is_verified,
)


def _htmx_aware(request: HttpRequest, response: HttpResponseRedirect) -> HttpResponse:
    # An htmx request would swap the whole target page into a fragment; make it navigate.
    if request.headers.get("HX-Request") == "true":
        navigate = HttpResponse(status=204)
        navigate["HX-Redirect"] = response.url
        return navigate
    return response


class IdleTimeoutMiddleware:
    """Signs a person out after POLKU_SESSION_IDLE_SECONDS without a request, and after
    POLKU_SESSION_MAX_SECONDS in all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            last_seen = session.get(SESSION_LAST_SEEN)
            started = session.setdefault(SESSION_STARTED, now)
            reason = ""
            if last_seen is not None and now - int(last_seen) > settings.POLKU_SESSION_IDLE_SECONDS:
                reason = "idle"
            elif now - int(started) > settings.SESSION_COOKIE_AGE:
                # The cookie's own expiry moves on with every request, so it cannot cap a session.
                reason = "expired"
            if reason:
                return self.sign_out(request, reason)
            session[SESSION_LAST_SEEN] = now
        return self.get_response(request)

    @staticmethod
    def sign_out(request: HttpRequest, reason: str) -> HttpResponse:
        request.session[SESSION_LOGOUT_REASON] = reason
        logout(request)
        # The message travels in the new anonymous session: the messages framework is not
        # yet installed on the request at this point of the middleware chain.
        request.session[SESSION_SIGNED_OUT_REASON] = reason
        next_url = request.get_full_path() if request.method == "GET" else request.path
        return _htmx_aware(request, redirect_to_login(next_url))


def second_factor_outstanding(request: HttpRequest, user: User) -> bool:
    """A second step is still owed: the person has an authenticator app or a security key,
    or their role needs one."""
    return not is_verified(user) and bool(
        request.session.get(SESSION_MFA_PENDING)
        or (settings.POLKU_MFA_REQUIRED and user.has_role(*MFA_REQUIRED_ROLES))
    )


class MfaRequiredMiddleware:
    """Sends people to the second sign-in step until they have entered a code.

    That applies to everyone who has set up an authenticator app or a security key, and, when
    POLKU_MFA_REQUIRED is on, to everyone whose roles require a second factor.
    """

    exempt_prefixes = ("/static/", "/healthz", "/i18n/", "/api/")
    exempt_url_names = (
        "accounts:login",
        "accounts:logout",
        "accounts:mfa",
        "accounts:security_key_verify_begin",
        "accounts:security_key_verify",
        # Open for a first security key on the set-up page; the views refuse anyone who
        # has a second factor and has not passed the second step.
        "accounts:security_key_add_begin",
        "accounts:security_key_add",
        "accounts:set_language",
    )
    exempt_prefix_url_names = ("accounts:password_reset",)

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            isinstance(user, User)
            and not self.is_exempt(request.path)
            and second_factor_outstanding(request, user)
        ):
            target = reverse("accounts:mfa")
            if request.method == "GET":
                target = redirect_to_login(request.get_full_path(), login_url=target).url
            return _htmx_aware(request, HttpResponseRedirect(target))
        return self.get_response(request)

    def is_exempt(self, path: str) -> bool:
        if path.startswith(self.exempt_prefixes):
            return True
        if path in {reverse(name) for name in self.exempt_url_names}:
            return True
        return path.startswith(tuple(reverse(name) for name in self.exempt_prefix_url_names))
