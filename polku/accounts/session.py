"""Keys Polku keeps in a person's session, and the language cookie it sets at sign-in."""

from django.conf import settings
from django.http import HttpResponse

SESSION_LAST_SEEN = "polku_last_seen"
SESSION_STARTED = "polku_session_started"
# Set at sign-in for people with an authenticator app or a security key, until they use it.
SESSION_MFA_PENDING = "polku_mfa_pending"
# Backup codes issued with a first security key, until the page that shows them once.
SESSION_NEW_BACKUP_CODES = "polku_new_backup_codes"
# Set on the fresh, anonymous session after an automatic sign-out ("idle" or "expired"),
# so the sign-in page can say why.
SESSION_SIGNED_OUT_REASON = "polku_signed_out_reason"
# Read by the sign-out audit record before the session is flushed.
SESSION_LOGOUT_REASON = "polku_logout_reason"


def set_language_cookie(response: HttpResponse, language: str) -> None:
    """Sets the cookie LocaleMiddleware reads, with the same options as Django's set_language."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]
    )


def is_verified(user: object) -> bool:
    """Whether this session has passed the second sign-in step (set by django-otp's middleware)."""
    return getattr(user, "otp_device", None) is not None
