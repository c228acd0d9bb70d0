"""Forms for signing in, passwords, the profile and the second factor."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import User
from polku.accounts.services import security_key_check_name

AUTOCOMPLETE_NEW_PASSWORD = {"autocomplete": "new-password"}


class SignInForm(AuthenticationForm):
    """Username and password; one message for every kind of mismatch."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "username",
                "autocapitalize": "none",
                "spellcheck": "false",
                "class": "govuk-!-width-one-half",
            }
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "class": "govuk-!-width-one-half"}
        ),
    )

    error_messages = {
        # The same words whether the username, the password or both were wrong, or the
        # account is inactive, so the page never confirms that an account exists.
        "invalid_login": _(
            "The username or password is not right. Check them and try again, "
            "or reset your password."
        ),
        "inactive": _(
            "The username or password is not right. Check them and try again, "
            "or reset your password."
        ),
    }


class ResetRequestForm(PasswordResetForm):
    """Asks for the address to send a reset link to; says nothing about whether it is known."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your e-mail address"),
            "invalid": _("Enter an e-mail address in the correct format, like name@example.org"),
        },
    )

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """Writes the e-mail in the language the person chose for Polku."""
        user = context.get("user")
        language = getattr(user, "preferred_language", "") or translation.get_language()
        with translation.override(language):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )


class NewPasswordForm(SetPasswordForm[User]):
    """A new password, typed twice, checked against the password policy."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password1"].widget.attrs.update(AUTOCOMPLETE_NEW_PASSWORD)
        self.fields["new_password1"].help_text = _(
            "At least 12 characters. A few unrelated words make a strong password that is "
            "easy to remember. Very common passwords are refused."
        )
        self.fields["new_password2"].label = _("Confirm new password")
        self.fields["new_password2"].widget.attrs.update(AUTOCOMPLETE_NEW_PASSWORD)
        self.fields["new_password2"].help_text = ""


class ChangePasswordForm(PasswordChangeForm):
    """The current password, then a new one typed twice."""

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields["old_password"].label = _("Current password")
        self.fields["old_password"].widget.attrs.update({"autocomplete": "current-password"})
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password1"].widget.attrs.update(AUTOCOMPLETE_NEW_PASSWORD)
        self.fields["new_password1"].help_text = _(
            "At least 12 characters. A few unrelated words make a strong password that is "
            "easy to remember. Very common passwords are refused."
        )
        self.fields["new_password2"].label = _("Confirm new password")
        self.fields["new_password2"].widget.attrs.update(AUTOCOMPLETE_NEW_PASSWORD)
        self.fields["new_password2"].help_text = ""

    def clean_old_password(self) -> str:
        old_password = str(self.cleaned_data["old_password"])
        if not password_is_right(self.request, self.user, old_password):
            raise forms.ValidationError(_("The current password is not right"))
        return old_password


class ProfileForm(forms.Form):
    """A person's own name, contact details and language."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={"required": _("Enter your first name")},
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        error_messages={"required": _("Enter your last name")},
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("Password reset links are sent to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your e-mail address"),
            "invalid": _("Enter an e-mail address in the correct format, like name@example.org"),
        },
    )
    job_title = forms.CharField(
        label=_("Job title"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel", "class": "govuk-input--width-20"}
        ),
    )
    preferred_language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("Use the language of the browser")), *settings.LANGUAGES],
        required=False,
    )

    @classmethod
    def initial_for(cls, user: User) -> dict[str, str]:
        return {name: getattr(user, name) for name in cls.base_fields}


class MfaCodeForm(forms.Form):
    """The six-digit code an authenticator app shows."""

    code = forms.CharField(
        label=_("Code from the app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
        error_messages={"required": _("Enter the 6-digit code from your authenticator app")},
    )

    def clean_code(self) -> str:
        code = "".join(str(self.cleaned_data["code"]).split())
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError(_("The code must be 6 digits, like 123456"))
        return code


class MfaVerifyForm(forms.Form):
    """A code from the authenticator app, or one of the backup codes."""

    code = forms.CharField(
        label=_("Code"),
        help_text=_("The 6-digit code from your authenticator app, or one of your backup codes."),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autofocus": True,
                "spellcheck": "false",
                "autocapitalize": "none",
                "class": "govuk-input--width-10",
            }
        ),
        error_messages={"required": _("Enter the code from your authenticator app")},
    )

    def __init__(
        self, *args: Any, has_authenticator: bool = True, backup_codes: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        if not has_authenticator:
            # Someone who signs in with a security key has only backup codes to type.
            code.label = _("Backup code")
            code.help_text = _("One of the backup codes you saved. Each backup code works once.")
            code.error_messages["required"] = _("Enter one of your backup codes")
        elif not backup_codes:
            code.help_text = _("The 6-digit code from your authenticator app.")


class PasswordConfirmedForm(forms.Form):
    """A change the signed-in person confirms with their password, checked through the same
    throttled path as signing in."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password")},
    )

    def __init__(self, *args: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = user

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        if not password_is_right(self.request, self.user, password):
            raise forms.ValidationError(_("The password is not right"))
        return password


class MfaResetForm(PasswordConfirmedForm):
    """Confirms a change to the second factor with the account's password."""

    ACTIONS = [
        ("reenrol", _("Set up a new authenticator app")),
        ("backup_codes", _("Get new backup codes")),
        ("remove", _("Turn off two-step verification")),
    ]

    field_order = ["action", "password"]
    action = forms.ChoiceField(
        label=_("What do you want to do?"),
        choices=ACTIONS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you want to do")},
    )

    def __init__(
        self,
        *args: Any,
        request: HttpRequest,
        user: User,
        has_authenticator: bool = True,
        has_security_keys: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, request=request, user=user, **kwargs)
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        if not has_authenticator:
            action.choices = [
                ("reenrol", _("Set up an authenticator app")),
                ("backup_codes", _("Get new backup codes")),
            ]
        elif has_security_keys:
            # Security keys stay, so removing the app does not turn two-step verification off,
            # and the backup codes stay as the keys' fallback.
            action.choices = [
                *self.ACTIONS[:2],
                ("remove", _("Remove the authenticator app (your backup codes stay)")),
            ]


class SecurityKeyNameForm(PasswordConfirmedForm):
    """Names a new security key or passkey and confirms the change with the password.

    A first key, set up on the set-up page, asks for the name only, as setting up the
    authenticator app there asks for no password: the person has just given it to sign in.
    """

    field_order = ["name", "password"]
    name = forms.CharField(
        label=_("Name of the security key"),
        help_text=_("For example, “Blue key on my keyring” or “Work laptop”."),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter a name for the security key"),
            "max_length": _("The name must be %(limit_value)d characters or fewer"),
        },
    )

    def __init__(
        self,
        *args: Any,
        request: HttpRequest,
        user: User,
        ask_password: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, request=request, user=user, **kwargs)
        if not ask_password:
            del self.fields["password"]

    def clean_name(self) -> str:
        try:
            return security_key_check_name(name=str(self.cleaned_data["name"]), user=self.user)
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["name"]) from error


class SecurityKeyRemoveForm(PasswordConfirmedForm):
    """Confirms removing a security key with the account's password."""


def password_is_right(request: HttpRequest, user: User, password: str) -> bool:
    """Checks a signed-in person's password through the same throttled path as signing in."""
    return authenticate(request=request, username=user.get_username(), password=password) == user
