"""The JSON steps of registering a security key and of signing in with one.

django-otp-webauthn's views do the WebAuthn ceremony (challenges kept in the session,
verification by py_webauthn); these subclasses put Polku's rules around them: a new key
needs a session that has passed the second step, a name and the password, and every
outcome goes through the account services, so it is audited like the authenticator app.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp_webauthn import exceptions
from django_otp_webauthn.utils import rewrite_exceptions
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from polku.accounts import services
from polku.accounts.forms import SecurityKeyNameForm
from polku.accounts.models import User
from polku.accounts.session import is_verified
from polku.accounts.views import mark_verified

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


def _signed_in(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.is_active:
        raise exceptions.NotAuthenticated()
    return user


class SecurityKeyRegisterBegin(BeginCredentialRegistrationView):  # type: ignore[misc]
    """Checks the name and the password, then hands the browser a registration challenge."""

    def handle_exception(self, exc: Exception) -> Any:
        if isinstance(exc, FormErrors):
            return JsonResponse(
                {"detail": str(exc), "code": exc.code, "errors": exc.errors},
                status=exc.status_code,
            )
        return super().handle_exception(exc)

    def check_can_register(self) -> None:
        user = _signed_in(self.request)
        # Stricter than the library, which lets someone with no second factor add a key
        # unverified: a key is added only from a session that has passed the second step.
        if not is_verified(user):
            raise NotVerified(detail=_("Enter a code or use a security key first."))

    def post(self, *args: Any, **kwargs: Any) -> Any:
        user = _signed_in(self.request)
        form = SecurityKeyNameForm(self.request.POST, prefix="key", request=self.request, user=user)
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


class SecurityKeyRegisterComplete(CompleteCredentialRegistrationView):  # type: ignore[misc]
    """Verifies the new key's answer and keeps it under the name given."""

    def check_can_register(self) -> None:
        if not is_verified(_signed_in(self.request)):
            raise NotVerified(detail=_("Enter a code or use a security key first."))

    def post(self, *args: Any, **kwargs: Any) -> Any:
        user = _signed_in(self.request)
        state = self.get_state()
        name = str(self.request.session.pop(SESSION_KEY_NAME, ""))
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
            raise exceptions.UnprocessableEntity(detail=" ".join(error.messages)) from error
        messages.success(self.request, _("Security key “%(name)s” added.") % {"name": device.name})
        return JsonResponse({"id": device.pk, "redirect_url": reverse("accounts:mfa_manage")})


class SecurityKeyVerifyBegin(BeginCredentialAuthenticationView):  # type: ignore[misc]
    """Hands the browser a challenge for one of the signed-in person's own keys."""

    def check_can_authenticate(self) -> None:
        # Only ever a second factor: the password has been given already.
        _signed_in(self.request)


class SecurityKeyVerifyComplete(CompleteCredentialAuthenticationView):  # type: ignore[misc]
    """Verifies the key's answer and completes sign-in as a correct code does."""

    def check_can_authenticate(self) -> None:
        _signed_in(self.request)

    def post(self, *args: Any, **kwargs: Any) -> Any:
        user = _signed_in(self.request)
        state = self.get_state()
        try:
            with rewrite_exceptions(logger=None):
                device = services.mfa_verify_security_key(
                    actor=user, helper=self.get_helper(), state=state, data=dict(self.request.data)
                )
        except ValidationError as error:
            raise exceptions.CredentialDisabled(detail=" ".join(error.messages)) from error
        mark_verified(self.request, device)
        return JsonResponse({"id": device.pk, "redirect_url": self.get_success_url()})
