"""Writes to people's accounts: preferences, profile, password and second factor."""

import logging
import re
import unicodedata
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn import exceptions as webauthn_exceptions
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential
from webauthn.helpers import exceptions as pywebauthn_exceptions

from polku.accounts.choices import MFA_REQUIRED_ROLES
from polku.accounts.models import User
from polku.actors.permissions import can_manage_directory
from polku.audit.models import AuditEvent
from polku.audit.services import audit_security, audit_write, snapshot

logger = logging.getLogger(__name__)

PROFILE_FIELDS = ("first_name", "last_name", "email", "job_title", "phone", "preferred_language")
BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
TOTP_CODE = re.compile(r"\d{6}")
SECURITY_KEY_NAME_LENGTH = 64
# Wrong security-key answers allowed in the window before the second step with a key pauses.
SECURITY_KEY_FAILURE_LIMIT = 10
SECURITY_KEY_FAILURE_WINDOW = timedelta(minutes=15)


def _check_actor_is(actor: User, user: User) -> None:
    if actor.pk != user.pk:
        raise ValidationError(_("Only the account holder can change these settings."))


def user_set_language(*, actor: User, user: User, language: str) -> User:
    """Stores a person's preferred interface language."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Choose a language from the list."))
    if user.preferred_language == language:
        return user
    with transaction.atomic():
        before = {"preferred_language": user.preferred_language}
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
        audit_write(
            actor=actor,
            action="accounts.user.set_language",
            target=user,
            before=before,
            after={"preferred_language": language},
        )
    return user


def user_update_profile(
    *,
    actor: User,
    user: User,
    first_name: str,
    last_name: str,
    email: str,
    job_title: str,
    phone: str,
    preferred_language: str,
) -> User:
    """Changes a person's own name, contact details and language."""
    _check_actor_is(actor, user)
    values = {
        "first_name": first_name.strip(),
        "last_name": last_name.strip(),
        "email": email.strip(),
        "job_title": job_title.strip(),
        "phone": phone.strip(),
        "preferred_language": preferred_language,
    }
    if (
        values["email"]
        and User.objects.filter(email__iexact=values["email"]).exclude(pk=user.pk).exists()
    ):
        # Password reset finds accounts by address, so two accounts may not share one.
        raise ValidationError({"email": _("Another account already uses this e-mail address.")})
    before = snapshot(user, fields=list(PROFILE_FIELDS))
    changed = [field for field, value in values.items() if getattr(user, field) != value]
    if not changed:
        return user
    for field in changed:
        setattr(user, field, values[field])
    user.full_clean(exclude=["password", "username"])
    with transaction.atomic():
        user.save(update_fields=changed)
        after = snapshot(user, fields=list(PROFILE_FIELDS))
        audit_write(
            actor=actor,
            action="accounts.user.update_profile",
            target=user,
            before={field: before[field] for field in changed},
            after={field: after[field] for field in changed},
        )
    return user


def user_change_password(*, actor: User, password: str) -> User:
    """Sets a signed-in person's new password, already checked against the password policy."""
    with transaction.atomic():
        actor.set_password(password)
        actor.save(update_fields=["password"])
        audit_security(actor=actor, action="accounts.password_change", detail={})
    return actor


def user_reset_password(*, user: User, password: str) -> User:
    """Sets a new password through a reset link, already checked against the password policy."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_security(actor=user, action="accounts.password_reset", detail={})
    return user


def user_request_password_reset(*, users: list[User]) -> None:
    """Records that reset links were sent; the address asked for is not stored."""
    with transaction.atomic():
        for user in users:
            audit_security(
                actor=None,
                action="accounts.password_reset_request",
                detail={"user_id": user.pk, "username": user.username},
            )


def mfa_enrolment_start(*, user: User) -> TOTPDevice:
    """Returns the person's unconfirmed authenticator, creating one if there is none yet."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is not None:
        return device
    # The page that shows the new key creates it: a write, so it is recorded like any other.
    with transaction.atomic():
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
        audit_security(actor=user, action="accounts.mfa.enrolment_start")
    return device


def mfa_enrolment_confirm(*, actor: User, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirms an authenticator with a code from it and issues ten new backup codes.

    Returns the backup codes, or None when the code is wrong. A wrong code is committed
    on its own so that the device's throttling counts it.
    """
    if device.user_id != actor.pk:
        raise ValidationError(_("Only the account holder can set up their authenticator app."))
    if device.confirmed:
        raise ValidationError(_("This authenticator app is already set up."))
    _check_not_throttled(device)
    if verify_token(actor, device.persistent_id, normalise_code(code)) is None:
        audit_security(actor=actor, action="accounts.mfa_enrol_failed", detail={})
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.confirmed = True
        codes = _replace_backup_codes(user=actor)
        audit_security(
            actor=actor,
            action="accounts.mfa_enrol",
            detail={"method": "totp", "backup_codes": len(codes)},
        )
    return codes


def mfa_verify(*, actor: User, code: str) -> TOTPDevice | StaticDevice | None:
    """Checks a code from the authenticator app, or a backup code, for the second sign-in step.

    Returns the device that accepted the code, or None. A used backup code is spent.
    """
    code = normalise_code(code)
    device: TOTPDevice | StaticDevice | None
    if TOTP_CODE.fullmatch(code):
        method = "totp"
        device = TOTPDevice.objects.filter(user=actor, confirmed=True).first()
    else:
        method = "backup_code"
        device = StaticDevice.objects.filter(user=actor, confirmed=True).first()
    if device is None:
        audit_security(actor=actor, action="accounts.mfa_verify_failed", detail={"method": method})
        return None
    _check_not_throttled(device)
    verified = verify_token(actor, device.persistent_id, code)
    if verified is None:
        audit_security(actor=actor, action="accounts.mfa_verify_failed", detail={"method": method})
        return None
    detail: dict[str, str | int] = {"method": method}
    if isinstance(verified, StaticDevice):
        detail["backup_codes_left"] = verified.token_set.count()
    audit_security(actor=actor, action="accounts.mfa_verify", detail=detail)
    return verified


def mfa_backup_codes_replace(*, actor: User) -> list[str]:
    """Replaces every backup code with a fresh set of ten."""
    with transaction.atomic():
        codes = _replace_backup_codes(user=actor)
        audit_security(
            actor=actor, action="accounts.mfa_backup_codes", detail={"backup_codes": len(codes)}
        )
    return codes


def mfa_remove(*, actor: User) -> None:
    """Removes the person's authenticator app, and the backup codes unless keys remain.

    With security keys left, two-step verification stays on and the backup codes stay as
    the keys' fallback: a person who loses their only key can still sign in with one. With
    no key left, two-step verification is off and the backup codes go with the app.
    """
    with transaction.atomic():
        had_authenticator = TOTPDevice.objects.filter(user=actor, confirmed=True).exists()
        keys_remain = WebAuthnCredential.objects.filter(user=actor, confirmed=True).exists()
        TOTPDevice.objects.filter(user=actor).delete()
        if not keys_remain:
            StaticDevice.objects.filter(user=actor).delete()
        audit_security(
            actor=actor,
            action="accounts.mfa_remove",
            detail={"had_authenticator": had_authenticator, "backup_codes_kept": keys_remain},
        )


def security_key_check_name(
    *, name: str, user: User | None = None, exclude: int | None = None
) -> str:
    """The name a person gives a security key, tidied; a clear error if it cannot be used.

    Invisible formatting characters (such as the ones that reverse the direction of text)
    are refused, so that a name always reads as it is stored; so is a name the person
    already gives another of their keys, so that each key can be told apart.
    """
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Enter a name for the security key")})
    if len(name) > SECURITY_KEY_NAME_LENGTH:
        raise ValidationError(
            {
                "name": _("The name must be %(limit)d characters or fewer")
                % {"limit": SECURITY_KEY_NAME_LENGTH}
            }
        )
    if any(unicodedata.category(character) in {"Cf", "Cc"} for character in name):
        raise ValidationError(
            {
                "name": _(
                    "The name must not contain invisible or text-direction characters. "
                    "Type the name again without copying it from elsewhere."
                )
            }
        )
    if user is not None:
        taken = [
            other
            for other in WebAuthnCredential.objects.filter(user=user, confirmed=True)
            .exclude(pk=exclude)
            .values_list("name", flat=True)
            if other.casefold() == name.casefold()
        ]
        if taken:
            raise ValidationError(
                {
                    "name": _(
                        "You already have a security key called “%(name)s”. Choose another name."
                    )
                    % {"name": taken[0]}
                }
            )
    return name


def security_key_failure_reason(error: BaseException) -> str:
    """A short code for why a security key was refused, for the audit log (never a secret)."""
    if isinstance(error, IntegrityError):
        return "already_registered"
    if isinstance(error, webauthn_exceptions.OTPWebAuthnApiError):
        return str(error.code)
    if isinstance(error, pywebauthn_exceptions.InvalidAuthenticationResponse) and (
        "sign count" in str(error)
    ):
        # The key reports fewer uses than already seen: it may have been copied.
        return "counter_regressed"
    if isinstance(error, pywebauthn_exceptions.WebAuthnException):
        return re.sub(r"(?<!^)(?=[A-Z])", "_", type(error).__name__).lower()
    if isinstance(error, PermissionDenied):
        return "already_enrolled"
    if isinstance(error, ValidationError):
        codes = [
            code
            for item in (error.error_list if hasattr(error, "error_list") else [])
            if (code := getattr(item, "code", None))
        ]
        return str(codes[0]) if codes else "invalid"
    if isinstance(error, SecurityKeyThrottled):
        return "throttled"
    return "error"


def _audit_security_key_failure(
    *, actor: User, action: str, error: BaseException, detail: dict[str, Any] | None = None
) -> None:
    reason = security_key_failure_reason(error)
    if isinstance(error, pywebauthn_exceptions.WebAuthnException):
        # What py_webauthn found wrong, for whoever looks into it; no challenge or key data.
        logger.warning(
            "Security key refused for user %s: %s (%s)",
            actor.pk,
            reason,
            type(error).__name__,
        )
    audit_security(
        actor=actor,
        action=action,
        detail={"method": "security_key", **(detail or {}), "reason": reason},
    )


def audit_security_key_add_failed(*, actor: User, reason: str, first_factor: bool = False) -> None:
    """Records a key registration refused before its answer was checked (no challenge begun,
    unreadable JSON, the second step not taken)."""
    detail: dict[str, Any] = {"method": "security_key", "reason": reason}
    if first_factor:
        detail["first_factor"] = True
    audit_security(actor=actor, action="accounts.mfa_security_key_add_failed", detail=detail)


def audit_security_key_verify_failed(*, actor: User, reason: str) -> None:
    """Records a second step with a key refused before its answer was checked (a challenge
    already used or never begun, unreadable JSON)."""
    audit_security(
        actor=actor,
        action="accounts.mfa_verify_failed",
        detail={"method": "security_key", "reason": reason},
    )


def security_key_register(
    *, actor: User, helper: WebAuthnHelper, state: dict[str, Any], data: dict[str, Any], name: str
) -> WebAuthnCredential:
    """Checks the browser's answer to a registration challenge and keeps the new key.

    The helper verifies the signed answer against the challenge kept in the session; any
    failure raises and nothing is kept. The key is saved under the name the person gave.
    """
    try:
        name = security_key_check_name(name=name, user=actor)
        with transaction.atomic():
            device = _keep_security_key(
                actor=actor, helper=helper, state=state, data=data, name=name
            )
            audit_security(
                actor=actor,
                action="accounts.mfa_security_key_add",
                detail={"method": "security_key", "key": device.pk, "name": name},
            )
    except Exception as error:
        # Committed on its own, outside the rolled-back transaction, as a failed set-up is.
        _audit_security_key_failure(
            actor=actor, action="accounts.mfa_security_key_add_failed", error=error
        )
        raise
    return device


def security_key_enrol_first(
    *, actor: User, helper: WebAuthnHelper, state: dict[str, Any], data: dict[str, Any], name: str
) -> tuple[WebAuthnCredential, list[str]]:
    """Sets up a security key as the person's first second factor, with ten backup codes.

    The counterpart of :func:`mfa_enrolment_confirm` for a key: refused when the person
    already has an authenticator app or a key (adding another needs the second step), and,
    like the app, it comes with backup codes for when the key is lost. Returns the key and
    the codes.
    """
    try:
        name = security_key_check_name(name=name)
        with transaction.atomic():
            # Locks the person's row so that two set-ups at once cannot both count as first.
            User.objects.select_for_update().filter(pk=actor.pk).first()
            if (
                TOTPDevice.objects.filter(user=actor, confirmed=True).exists()
                or WebAuthnCredential.objects.filter(user=actor, confirmed=True).exists()
            ):
                raise PermissionDenied(
                    _(
                        "You already use two-step verification. Enter a code or use a security key first."
                    )
                )
            device = _keep_security_key(
                actor=actor, helper=helper, state=state, data=data, name=name
            )
            # The authenticator app set-up that was started instead is dropped with its secret.
            TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
            codes = _replace_backup_codes(user=actor)
            audit_security(
                actor=actor,
                action="accounts.mfa_security_key_add",
                detail={
                    "method": "security_key",
                    "key": device.pk,
                    "name": name,
                    "first_factor": True,
                    "backup_codes": len(codes),
                },
            )
    except Exception as error:
        _audit_security_key_failure(
            actor=actor,
            action="accounts.mfa_security_key_add_failed",
            error=error,
            detail={"first_factor": True},
        )
        raise
    return device, codes


def _keep_security_key(
    *, actor: User, helper: WebAuthnHelper, state: dict[str, Any], data: dict[str, Any], name: str
) -> WebAuthnCredential:
    try:
        # A savepoint: a key already registered (to anyone) breaks the unique constraint on
        # its credential ID, and the transaction around must stay usable to say so.
        with transaction.atomic():
            device: WebAuthnCredential = helper.register_complete(
                user=actor, state=state, data=data
            )
    except IntegrityError as error:
        raise SecurityKeyAlreadyRegistered(_("This security key is already registered.")) from error
    device.name = name
    device.save(update_fields=["name"])
    return device


class SecurityKeyAlreadyRegistered(ValidationError):
    """The key's credential is registered already, to this person or someone else."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="already_registered")


class SecurityKeyThrottled(Exception):
    """Too many refused security-key answers lately: the key is not checked for a while."""


def security_key_remove(*, actor: User, device: WebAuthnCredential) -> None:
    """Removes one of the person's own security keys, and the backup codes with the last key
    of someone without an authenticator app.

    Refused when it is the last second factor of someone whose role requires one: they
    would otherwise be locked out of everything until they set up another.
    """
    if device.user_id != actor.pk:
        raise ValidationError(_("Only the account holder can remove their security keys."))
    with transaction.atomic():
        others = WebAuthnCredential.objects.filter(user=actor, confirmed=True).exclude(pk=device.pk)
        has_app = TOTPDevice.objects.filter(user=actor, confirmed=True).exists()
        if (
            settings.POLKU_MFA_REQUIRED
            and actor.has_role(*MFA_REQUIRED_ROLES)
            and not has_app
            and not others.exists()
        ):
            raise ValidationError(
                _(
                    "You cannot remove your only security key: your role requires two-step "
                    "verification. Add another security key or set up an authenticator app "
                    "first."
                )
            )
        name = device.name
        key = device.pk
        device.delete()
        detail: dict[str, str | int] = {"method": "security_key", "key": key, "name": name}
        if not has_app and not others.exists():
            # Two-step verification is off now, as when the app is turned off: the backup
            # codes go too, so a later set-up starts afresh.
            removed, _per_model = StaticDevice.objects.filter(user=actor).delete()
            if removed:
                detail["backup_codes_removed"] = True
        audit_security(actor=actor, action="accounts.mfa_security_key_remove", detail=detail)


def mfa_verify_security_key(
    *, actor: User, helper: WebAuthnHelper, state: dict[str, Any], data: dict[str, Any]
) -> WebAuthnCredential:
    """Checks a security key's answer to the second sign-in step's challenge.

    Returns the key that signed it; raises (after auditing the failure, with its reason)
    when the answer does not verify, names another person's key, names a key that is not
    confirmed, or comes after too many refused answers (:class:`SecurityKeyThrottled`).
    A key whose use count goes backwards is refused as possibly copied
    (reason "counter_regressed").
    """
    try:
        security_key_check_not_throttled(actor=actor)
        device: WebAuthnCredential = helper.authenticate_complete(
            user=actor, state=state, data=data
        )
        if not device.confirmed:
            raise ValidationError(
                _("This security key has been turned off."), code="credential_disabled"
            )
    except Exception as error:
        _audit_security_key_failure(actor=actor, action="accounts.mfa_verify_failed", error=error)
        raise
    audit_security(
        actor=actor,
        action="accounts.mfa_verify",
        detail={"method": "security_key", "key": device.pk},
    )
    return device


def security_key_check_not_throttled(*, actor: User) -> None:
    """Raises :class:`SecurityKeyThrottled` after too many refused key answers lately.

    WebAuthn credentials have no django-otp throttling fields, so the refusals recorded in
    the audit log are counted: those since the last successful second step, within the window.
    """
    since = timezone.now() - SECURITY_KEY_FAILURE_WINDOW
    last_success = (
        AuditEvent.objects.filter(actor=actor, action="accounts.mfa_verify", occurred_at__gte=since)
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )
    failures = AuditEvent.objects.filter(
        actor=actor,
        action="accounts.mfa_verify_failed",
        detail__method="security_key",
        occurred_at__gte=last_success or since,
    ).exclude(detail__reason="throttled")
    if failures.count() >= SECURITY_KEY_FAILURE_LIMIT:
        raise SecurityKeyThrottled()


def mfa_reset(*, actor: User, user: User, reason: str) -> bool:
    """Removes someone else's authenticator and backup codes, e.g. after a lost phone.

    Only the directory managers (coordinator, administrator) may do this; the reason is required
    and recorded in the security log, and the person is told by e-mail. Returns whether the
    person had an authenticator. Removing one's own goes through :func:`mfa_remove`.
    """
    if not can_manage_directory(actor):
        raise PermissionDenied
    if actor.pk == user.pk:
        raise ValidationError(_("Remove your own authenticator from your profile instead."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the authenticator is being reset.")})
    with transaction.atomic():
        had_authenticator: bool = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        had_backup_codes: bool = StaticDevice.objects.filter(user=user).exists()
        security_keys = WebAuthnCredential.objects.filter(user=user).count()
        if not had_authenticator and not had_backup_codes and not security_keys:
            raise ValidationError(_("This person has no two-step sign-in to reset."))
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        WebAuthnCredential.objects.filter(user=user).delete()
        audit_security(
            actor=actor,
            action="accounts.mfa_reset",
            target=user,
            detail={
                "had_authenticator": had_authenticator,
                "security_keys": security_keys,
                "reason": reason,
            },
        )
        if user.email:
            transaction.on_commit(lambda: _tell_about_reset(user))
    return had_authenticator


def _tell_about_reset(user: User) -> None:
    from django.core.mail import send_mail
    from django.utils import translation

    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        send_mail(
            subject=_("Polku: your two-step sign-in was reset"),
            message=_(
                "An administrator removed the authenticator app, the backup codes and any "
                "security keys or passkeys from your Polku account at your request. None of "
                "them can be used to sign in to Polku any more. The next time you sign in, set "
                "up two-step sign-in again.\n\nIf you did not ask for this, tell your "
                "organisation's administrator at once."
            ),
            from_email=None,
            recipient_list=[user.email],
        )


def normalise_code(code: str) -> str:
    """Codes are accepted with spaces or hyphens and in either case."""
    return "".join(code.split()).replace("-", "").lower()


class MfaThrottled(Exception):
    """Too many wrong codes: the device refuses codes until `until`."""

    def __init__(self, until: datetime) -> None:
        super().__init__(until)
        self.until = until


def _check_not_throttled(device: TOTPDevice | StaticDevice) -> None:
    allowed, data = device.verify_is_allowed()
    if not allowed:
        raise MfaThrottled(data["locked_until"])


def _replace_backup_codes(*, user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes: list[str] = []
    while len(codes) < BACKUP_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes
