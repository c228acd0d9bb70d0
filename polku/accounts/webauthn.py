"""The JSON steps of registering a security key and of signing in with one.

django-otp-webauthn's views do the WebAuthn ceremony (challenges kept in the session,
verification by py_webauthn); these subclasses put Polku's rules around them: a new key
needs a session that has passed the second step, a name and the password, and every
outcome goes through the account services, so it is audited like the authenticator app.

The one exception is a person's first second factor. Someone with neither an authenticator
app nor a key may set up a key on the set-up page under the same conditions as the app
(signed in with the password, a name, no password asked again); it then completes the
second step and comes with backup codes, as the app does.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django_otp_webauthn import exceptions
from django_otp_webauthn.utils import rewrite_exceptions
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from polku.accounts import selectors, services
from polku.accounts.forms import SecurityKeyNameForm
from polku.accounts.models import User
from polku.accounts.session import SESSION_NEW_BACKUP_CODES, is_verified
from polku.accounts.views import mark_verified, safe_next, with_next

# The name given on the two-step page, kept between the two registration steps.
SESSION_KEY_NAME = "polku_security_key_name"


class FormErrors(exceptions.OTPWebAuthnApiError):  # type: ignore[misc]
    """The registration form was not filled in right; the page shows each error."""

    status_code = 400
    default_code = "form_errors"

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__(detail=_("There is a problem"))
        self.errors = errors


class NotVerified(exceptions.OTPWebAuthnApiError):  # type: ignore[misc]
    status_code = 403
    default_code = "not_verified"


class Refused(exceptions.OTPWebAuthnApiError):  # type: ignore[misc]
    """A refusal worded by Polku (translated), which the page shows as it is."""

    status_code = 422
    default_code = "refused"

    def __init__(
        self, detail: str, code: str | None = None, status_code: int | None = None
    ) -> None:
        super().__init__(detail=detail, code=code)
        if status_code is not None:
            self.status_code = status_code
        self.errors = [{"message": detail}]


def _error_response(exc: Exception) -> JsonResponse | None:
    """The JSON for Polku's own refusals: the library's shape, with the messages to show."""
    if isinstance(exc, (FormErrors, Refused)):
        return JsonResponse(
            {"detail": str(exc), "code": exc.code, "errors": exc.errors},
            status=exc.status_code,
        )
    return None


class AuditsRefusals:
    """Audits the refusals that come before the service is called, which audits its own:
    no challenge begun or one already used (the state is popped once), unreadable JSON, a
    second step not taken. Each is recorded with the library's code as the reason."""

    service_called = False

    def audit_refusal(self, user: User, reason: str) -> None:
        raise NotImplementedError

    def handle_exception(self, exc: Exception) -> Any:
        user = self.request.user  # type: ignore[attr-defined]
        if (
            not self.service_called
            and isinstance(exc, exceptions.OTPWebAuthnApiError)
            and isinstance(user, User)
            and user.is_active
        ):
            self.audit_refusal(user, str(exc.code))
        return _error_response(exc) or super().handle_exception(exc)  # type: ignore[misc]


def _refused(error: ValidationError) -> Refused:
    """A service's refusal of a registration, with its reason as the code."""
    return Refused(" ".join(error.messages), code=services.security_key_failure_reason(error))


def _signed_in(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.is_active:
        raise exceptions.NotAuthenticated()
    return user


def _is_first_factor(user: User) -> bool:
    """Whether this registration sets up the person's first second factor.

    A key is added from a session that has passed the second step, or, by someone with no
    authenticator app and no key yet, as the first of them, exactly when the set-up page
    lets them set up the app. Anyone else (a second factor not used in this session) is
    refused.
    """
    if is_verified(user):
        return False
    if not selectors.has_second_factor(user=user):
        return True
    raise NotVerified(detail=_("Enter a code or use a security key first."))


# The library's own refusal, for someone with a second factor who has not used it yet.
NOT_VERIFIED_MESSAGES = {
    "user_not_verified": gettext_lazy("Enter a code or use a security key first.")
}


@method_decorator(sensitive_post_parameters(), name="dispatch")
class SecurityKeyRegisterBegin(BeginCredentialRegistrationView):  # type: ignore[misc]
    """Checks the name and the password, then hands the browser a registration challenge."""

    messages = NOT_VERIFIED_MESSAGES

    def user_is_mfa_enrolled(self, user: User) -> bool:
        # The library counts any device, leftover backup codes too; Polku counts the app and keys.
        return selectors.has_second_factor(user=user)

    def handle_exception(self, exc: Exception) -> Any:
        return _error_response(exc) or super().handle_exception(exc)

    def check_can_register(self) -> None:
        _is_first_factor(_signed_in(self.request))

    def post(self, *args: Any, **kwargs: Any) -> Any:
        user = _signed_in(self.request)
        form = SecurityKeyNameForm(
            self.request.POST,
            prefix="key",
            request=self.request,
            user=user,
            ask_password=not _is_first_factor(user),
        )
        if not form.is_valid():
            raise FormErrors(
                [
                    {"field": field, "message": str(message)}
                    for field, field_errors in form.errors.items()
                    for message in field_errors
                ]
            )
        self.request.session[SESSION_KEY_NAME] = form.cleaned_data["name"]
        return super().post(*args, **kwargs)


class SecurityKeyRegisterComplete(AuditsRefusals, CompleteCredentialRegistrationView):  # type: ignore[misc]
    """Verifies the new key's answer and keeps it under the name given."""

    messages = NOT_VERIFIED_MESSAGES

    def audit_refusal(self, user: User, reason: str) -> None:
        services.audit_security_key_add_failed(
            actor=user,
            reason=reason,
            first_factor=not selectors.has_second_factor(user=user),
        )

    def user_is_mfa_enrolled(self, user: User) -> bool:
        return selectors.has_second_factor(user=user)

    def check_can_register(self) -> None:
        _is_first_factor(_signed_in(self.request))

    def post(self, *args: Any, **kwargs: Any) -> Any:
        user = _signed_in(self.request)
        if _is_first_factor(user):
            return self.enrol_first(user)
        state = self.get_state()
        name = str(self.request.session.pop(SESSION_KEY_NAME, ""))
        self.service_called = True
        try:
            with rewrite_exceptions(logger=None):
                device = services.security_key_register(
                    actor=user,
                    helper=self.get_helper(),
                    state=state,
                    data=dict(self.request.data),
                    name=name,
                )
        except ValidationError as error:
            raise _refused(error) from error
        messages.success(self.request, _("Security key “%(name)s” added.") % {"name": device.name})
        return JsonResponse({"id": device.pk, "redirect_url": reverse("accounts:mfa_manage")})

    def enrol_first(self, user: User) -> JsonResponse:
        """Keeps the first key, completes the second step and leads on to the backup codes."""
        state = self.get_state()
        name = str(self.request.session.pop(SESSION_KEY_NAME, ""))
        self.service_called = True
        try:
            with rewrite_exceptions(logger=None):
                device, codes = services.security_key_enrol_first(
                    actor=user,
                    helper=self.get_helper(),
                    state=state,
                    data=dict(self.request.data),
                    name=name,
                )
        except PermissionDenied as error:
            raise NotVerified(detail=str(error)) from error
        except ValidationError as error:
            raise _refused(error) from error
        mark_verified(self.request, device)
        # Shown once by the next page, as the app's set-up shows them in its answer.
        self.request.session[SESSION_NEW_BACKUP_CODES] = codes
        messages.success(self.request, _("Two-step verification is on."))
        redirect_url = with_next("accounts:mfa_backup_codes", safe_next(self.request))
        return JsonResponse({"id": device.pk, "redirect_url": redirect_url})


class SecurityKeyVerifyBegin(BeginCredentialAuthenticationView):  # type: ignore[misc]
    """Hands the browser a challenge for one of the signed-in person's own keys."""

    def check_can_authenticate(self) -> None:
        # Only ever a second factor: the password has been given already.
        _signed_in(self.request)


class SecurityKeyVerifyComplete(AuditsRefusals, CompleteCredentialAuthenticationView):  # type: ignore[misc]
    """Verifies the key's answer and completes sign-in as a correct code does."""

    def audit_refusal(self, user: User, reason: str) -> None:
        services.audit_security_key_verify_failed(actor=user, reason=reason)

    def check_can_authenticate(self) -> None:
        _signed_in(self.request)

    def post(self, *args: Any, **kwargs: Any) -> Any:
        user = _signed_in(self.request)
        state = self.get_state()
        self.service_called = True
        try:
            with rewrite_exceptions(logger=None):
                device = services.mfa_verify_security_key(
                    actor=user, helper=self.get_helper(), state=state, data=dict(self.request.data)
                )
        except services.SecurityKeyThrottled as error:
            minutes = int(services.SECURITY_KEY_FAILURE_WINDOW.total_seconds() // 60)
            raise Refused(
                ngettext(
                    "Your security key was refused too many times. Wait %(minutes)d minute "
                    "and try again.",
                    "Your security key was refused too many times. Wait %(minutes)d minutes "
                    "and try again.",
                    minutes,
                )
                % {"minutes": minutes},
                code="throttled",
                status_code=429,
            ) from error
        except ValidationError as error:
            raise exceptions.CredentialDisabled(detail=" ".join(error.messages)) from error
        mark_verified(self.request, device)
        return JsonResponse({"id": device.pk, "redirect_url": self.get_success_url()})
