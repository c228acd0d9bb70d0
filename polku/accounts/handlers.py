"""Security audit records for sign-in, sign-out, failed sign-in and lock-out.

Signals are used because every way of signing in (the sign-in page, the admin's
sign-in page, a test client) must leave the same record and start the same
second step.
"""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from polku.accounts.models import User
from polku.accounts.selectors import has_second_factor
from polku.accounts.session import (
    SESSION_LAST_SEEN,
    SESSION_LOGOUT_REASON,
    SESSION_MFA_PENDING,
    SESSION_STARTED,
)
from polku.audit.services import audit_security


@receiver(user_logged_in, dispatch_uid="polku_accounts_logged_in")
def record_login(sender: type, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    needs_second_step = has_second_factor(user=user)
    if request is not None and hasattr(request, "session"):
        # Signing in again as the same person keeps the session's data: restart its clocks.
        request.session.pop(SESSION_LAST_SEEN, None)
        request.session.pop(SESSION_STARTED, None)
        if needs_second_step:
            request.session[SESSION_MFA_PENDING] = True
        else:
            request.session.pop(SESSION_MFA_PENDING, None)
    audit_security(actor=user, action="accounts.login", detail={"second_step": needs_second_step})


@receiver(user_logged_out, dispatch_uid="polku_accounts_logged_out")
def record_logout(
    sender: type, request: HttpRequest | None, user: User | None, **kwargs: Any
) -> None:
    if user is None:
        return
    reason = "user"
    if request is not None and hasattr(request, "session"):
        reason = str(request.session.get(SESSION_LOGOUT_REASON, "user"))
    audit_security(actor=user, action="accounts.logout", detail={"reason": reason})


@receiver(user_login_failed, dispatch_uid="polku_accounts_login_failed")
def record_login_failure(
    sender: str, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    user = _known_user(credentials.get("username"))
    # A name that matches no account may be a password typed in the wrong box: never keep it.
    audit_security(
        actor=None,
        action="accounts.login_failed",
        detail={"username": user.username if user else "", "known_account": user is not None},
    )


def record_lockout(
    sender: str, request: HttpRequest | None = None, username: str | None = None, **kwargs: Any
) -> None:
    user = _known_user(username)
    audit_security(
        actor=None,
        action="accounts.lockout",
        detail={"username": user.username if user else "", "known_account": user is not None},
    )


def _known_user(username: object) -> User | None:
    if not isinstance(username, str) or not username:
        return None
    return User.objects.filter(username=username).first()


def connect() -> None:
    """Connects the handler for django-axes' own signal (the others connect on import)."""
    from axes.signals import user_locked_out

    user_locked_out.connect(record_lockout, dispatch_uid="polku_accounts_locked_out")
