"""Idle session timeout and MFA enforcement."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from polku.accounts.choices import MFA_REQUIRED_ROLES

SESSION_LAST_SEEN = "polku_last_seen"


class IdleTimeoutMiddleware:
    """Signs a person out after POLKU_SESSION_IDLE_SECONDS without a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(SESSION_LAST_SEEN)
            if last_seen is not None and now - int(last_seen) > settings.POLKU_SESSION_IDLE_SECONDS:
                logout(request)
                messages.info(request, _("You were signed out after a period of inactivity."))
                return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
            request.session[SESSION_LAST_SEEN] = now
        return self.get_response(request)


class MfaRequiredMiddleware:
    """Sends people whose roles require a second factor to set one up or verify it."""

    exempt_prefixes = ("/accounts/", "/static/", "/healthz", "/i18n/", "/api/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.POLKU_MFA_REQUIRED
            and user.is_authenticated
            and not request.path.startswith(self.exempt_prefixes)
            and user.has_role(*MFA_REQUIRED_ROLES)
            and not user.is_verified()
        ):
            return redirect("accounts:mfa")
        return self.get_response(request)
