"""Polku's settings: one file, every value from the environment (see .env.example)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("POLKU_DEBUG", False)
SECRET_KEY = env("POLKU_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError(
            "POLKU_SECRET_KEY must be set when POLKU_DEBUG is off (set POLKU_DEBUG=1 to develop)."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production-0123456789"  # noqa: S105

ALLOWED_HOSTS = env_list("POLKU_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("POLKU_CSRF_TRUSTED_ORIGINS")
SITE_URL = env("POLKU_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "axes",
    "django_tasks_db",
    "ninja",
    "polku.core",
    "polku.audit",
    "polku.accounts",
    "polku.actors",
    "polku.api",
    "polku.taxonomy",
    "polku.voice",
    "polku.notifications",
    "polku.statistics",
    "polku.meetings",
    "polku.guidelines",
    "polku.reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # First, so that audit events written by any later middleware know the client address.
    "polku.audit.middleware.AuditContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "polku.accounts.middleware.IdleTimeoutMiddleware",
    "polku.accounts.middleware.MfaRequiredMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "polku.core.context_processors.navigation",
            ],
        },
    },
]

# SQLite is the embedded default; DATABASE_URL selects PostgreSQL in production.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("POLKU_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# Multi-factor authentication: required for roles that hold others' data when enforced.
POLKU_MFA_REQUIRED = env_bool("POLKU_MFA_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = "Polku"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True


def _webauthn_site() -> tuple[str, str]:
    """The relying party ID and origin that SITE_URL implies for security keys.

    An IP address cannot be a relying party ID, so a loopback address (the development
    default) stands for "localhost", the name browsers treat as a secure context. The origin
    is what browsers send: lower case, and without the scheme's default port.
    """
    from urllib.parse import urlsplit

    parts = urlsplit(SITE_URL)
    scheme = parts.scheme.lower() or "http"
    host = (parts.hostname or "localhost").lower()
    if host in {"127.0.0.1", "::1"}:
        host = "localhost"
    default_port = {"http": 80, "https": 443}.get(scheme)
    port = f":{parts.port}" if parts.port and parts.port != default_port else ""
    return host, f"{scheme}://{host}{port}"


def _origin(value: str) -> str:
    """An origin as browsers send it: no path, no trailing slash, lower case."""
    return value.strip().rstrip("/").lower()


# Security keys and passkeys (WebAuthn) as a second factor, never instead of the password.
_WEBAUTHN_RP_ID, _WEBAUTHN_ORIGIN = _webauthn_site()
OTP_WEBAUTHN_RP_ID = env("POLKU_WEBAUTHN_RP_ID") or _WEBAUTHN_RP_ID
OTP_WEBAUTHN_RP_NAME = env("POLKU_WEBAUTHN_RP_NAME") or "Polku"
OTP_WEBAUTHN_ALLOWED_ORIGINS = [
    _origin(origin) for origin in env_list("POLKU_WEBAUTHN_ORIGINS") or [_WEBAUTHN_ORIGIN]
]
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_TIMEOUT_SECONDS = 5 * 60
if not env_list("POLKU_WEBAUTHN_ORIGINS") and not _WEBAUTHN_ORIGIN.startswith(
    ("https://", "http://localhost")
):
    # A site served over plain HTTP (not localhost) is no secure context: browsers offer no
    # security keys there, and the pages say so. The library's check that the origin is
    # secure would otherwise stop every command on such a site; an origin set explicitly in
    # POLKU_WEBAUTHN_ORIGINS is still checked.
    SILENCED_SYSTEM_CHECKS = ["otp_webauthn.E031"]

# Login throttling.
AXES_FAILURE_LIMIT = env_int("POLKU_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("POLKU_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Sessions end after a period without activity.
POLKU_SESSION_IDLE_SECONDS = env_int("POLKU_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_COOKIE_AGE = env_int("POLKU_SESSION_MAX_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fi", _("Finnish")), ("sv", _("Swedish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGE_COOKIE_NAME = "polku_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env("POLKU_TIME_ZONE", "Europe/Helsinki")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded files (meeting papers). Never served directly: views check permission first.
MEDIA_ROOT = Path(env("POLKU_MEDIA_ROOT", str(BASE_DIR / "media")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Email: printed to the console unless an SMTP server is named.
if env("POLKU_EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("POLKU_EMAIL_HOST"),
                "port": env_int("POLKU_EMAIL_PORT", 587),
                "username": env("POLKU_EMAIL_HOST_USER"),
                "password": env("POLKU_EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("POLKU_EMAIL_USE_TLS", True),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env("POLKU_DEFAULT_FROM_EMAIL", "Polku <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks run in the database-backed worker (`manage.py db_worker`).
TASKS = {
    "default": {
        "BACKEND": env("POLKU_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Content Security Policy with per-request nonces; nothing is loaded from other origins.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Reverse proxies in front of Polku that append to X-Forwarded-For (0 trusts none of it).
POLKU_TRUSTED_PROXY_HOPS = env_int("POLKU_TRUSTED_PROXY_HOPS", 0)
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("POLKU_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("POLKU_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("POLKU_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# Demo data (`manage.py demo_load`) is refused on a production site unless explicitly allowed.
POLKU_DEMO = env_bool("POLKU_DEMO", False)
POLKU_DEMO_ALLOW_WITHOUT_DEBUG = env_bool("POLKU_DEMO_ALLOW_WITHOUT_DEBUG", False)

POLKU_PAGE_SIZE = env_int("POLKU_PAGE_SIZE", 25)

# Working days (Finnish public holidays excluded) within which a challenge is acknowledged
# and answered.
POLKU_VOICE_ACK_DAYS = env_int("POLKU_VOICE_ACK_DAYS", 5)
POLKU_VOICE_ANSWER_DAYS = env_int("POLKU_VOICE_ANSWER_DAYS", 30)
# Published statistics: cells below this count are suppressed, with enough others that none
# can be worked back (docs/adr/0014-disclosure-control.md).
POLKU_DISCLOSURE_THRESHOLD = env_int("POLKU_DISCLOSURE_THRESHOLD", 10)
# The country whose citizens the citizenship breakdown counts as nationals (ISO 3166 code):
# the countries breakdown is protected together with it (docs/adr/0018-linked-breakdowns.md).
POLKU_NATIONAL_COUNTRY = env("POLKU_NATIONAL_COUNTRY", "FI").upper()
# Processes for an estimate's bootstrap (0: one per core).
POLKU_MSE_WORKERS = env_int("POLKU_MSE_WORKERS", 0)
# Largest meeting paper accepted, in bytes.
POLKU_MEETING_DOCUMENT_MAX_BYTES = env_int("POLKU_MEETING_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("POLKU_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
