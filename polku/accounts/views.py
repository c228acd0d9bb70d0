"""Sign-in, sign-out, password reset and change, the second factor, and the profile."""

import base64
import math
from typing import Any

import qrcode
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathFillImage

from polku.accounts import selectors, services
from polku.accounts.choices import Role
from polku.accounts.forms import (
    ChangePasswordForm,
    MfaCodeForm,
    MfaResetForm,
    MfaVerifyForm,
    NewPasswordForm,
    ProfileForm,
    ResetRequestForm,
    SecurityKeyNameForm,
    SecurityKeyRemoveForm,
    SignInForm,
)
from polku.accounts.models import User
from polku.accounts.session import (
    SESSION_MFA_PENDING,
    SESSION_NEW_BACKUP_CODES,
    SESSION_SIGNED_OUT_REASON,
    is_verified,
    set_language_cookie,
)


def _current_user(request: HttpRequest) -> User:
    # Only called behind login_required, where the user is always a signed-in User.
    user = request.user
    assert isinstance(user, User)
    return user


def safe_next(request: HttpRequest) -> str:
    """The `next` address asked for, if it stays on this site; otherwise empty."""
    candidate = request.POST.get("next", request.GET.get("next", ""))
    if url_has_allowed_host_and_scheme(
        url=candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def with_next(url_name: str, next_url: str) -> str:
    if not next_url:
        return reverse(url_name)
    return str(redirect_to_login(next_url, login_url=url_name).url)


class SignInView(auth_views.LoginView):
    """Username and password, throttled by django-axes, then the second step if set up."""

    template_name = "accounts/login.html"
    authentication_form = SignInForm

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # A script's request that was sent here (it asked for JSON) leaves the reason for the
        # page the script then opens.
        reason = (
            request.session.pop(SESSION_SIGNED_OUT_REASON, "")
            if request.accepts("text/html")
            else ""
        )
        if reason == "idle":
            minutes = max(1, settings.POLKU_SESSION_IDLE_SECONDS // 60)
            messages.info(
                request,
                ngettext(
                    "You were signed out because Polku was not used for %(minutes)d minute. "
                    "Sign in again to continue.",
                    "You were signed out because Polku was not used for %(minutes)d minutes. "
                    "Sign in again to continue.",
                    minutes,
                )
                % {"minutes": minutes},
            )
        elif reason == "expired":
            hours = max(1, settings.SESSION_COOKIE_AGE // 3600)
            messages.info(
                request,
                ngettext(
                    "You were signed out because a session lasts at most %(hours)d hour. "
                    "Sign in again to continue.",
                    "You were signed out because a session lasts at most %(hours)d hours. "
                    "Sign in again to continue.",
                    hours,
                )
                % {"hours": hours},
            )
        return super().get(request, *args, **kwargs)

    def form_valid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        user = form.get_user()
        next_url = self.get_redirect_url()
        auth_login(self.request, user)
        if self.request.session.get(SESSION_MFA_PENDING):
            target = with_next("accounts:mfa", next_url)
        else:
            target = next_url or resolve_url(settings.LOGIN_REDIRECT_URL)
        response = HttpResponseRedirect(target)
        if user.preferred_language:
            translation.activate(user.preferred_language)
            set_language_cookie(response, user.preferred_language)
        return response


class SignOutView(auth_views.LogoutView):
    """Asks for confirmation on GET; signs out only on POST."""

    http_method_names = ["get", "post", "options"]
    template_name = "accounts/logout.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect(settings.LOGIN_URL)
        return render(request, self.template_name)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        was_signed_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_signed_in:
            messages.success(request, _("You have signed out."))
        return response


class ResetRequestView(auth_views.PasswordResetView):
    """Sends a reset link; the page that follows is the same whether the address is known."""

    form_class = ResetRequestForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: ResetRequestForm) -> HttpResponse:  # type: ignore[override]
        self.extra_email_context = {"site_url": settings.SITE_URL.rstrip("/")}
        services.user_request_password_reset(users=list(form.get_users(form.cleaned_data["email"])))
        return super().form_valid(form)


class ResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    """Checks the link from the e-mail and asks for a new password."""

    form_class = NewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: NewPasswordForm) -> HttpResponse:  # type: ignore[override]
        # dispatch() shows this form only for a valid link, which names a user.
        assert self.user is not None
        services.user_reset_password(user=self.user, password=form.cleaned_data["new_password1"])
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class ChangePasswordView(auth_views.PasswordChangeView):
    """A signed-in person changes their password; their other sessions end."""

    form_class = ChangePasswordForm
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["request"] = self.request
        return kwargs

    def form_valid(self, form: ChangePasswordForm) -> HttpResponse:  # type: ignore[override]
        user = services.user_change_password(
            actor=_current_user(self.request), password=form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(self.request, user)
        return HttpResponseRedirect(self.get_success_url())


class ChangePasswordDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switches the interface language, and remembers it for a signed-in person."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if isinstance(user, User) and language in dict(settings.LANGUAGES):
        services.user_set_language(actor=user, user=user, language=language)
    return response


@login_required
@require_http_methods(["GET"])
def profile(request: HttpRequest) -> HttpResponse:
    """The person's own details, memberships, roles and second-factor status."""
    user = _current_user(request)
    memberships = list(selectors.own_memberships(user=user))
    return render(
        request,
        "accounts/profile.html",
        {
            "person": user,
            "memberships": memberships,
            "role_labels": [Role(role).label for role in sorted(user.roles)],
            "mfa": selectors.mfa_status(user=user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    """Edits the person's own name, contact details and language."""
    user = _current_user(request)
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(user))
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_profile(actor=user, user=user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your details have been saved."))
            response = redirect("accounts:profile")
            if user.preferred_language:
                set_language_cookie(response, user.preferred_language)
            return response
    return render(request, "accounts/profile_edit.html", {"form": form})


def _add_errors(form: BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def mfa(request: HttpRequest) -> HttpResponse:
    """The second step: set up an authenticator app or a security key, or enter a code or use
    a security key."""
    user = _current_user(request)
    next_url = safe_next(request)
    if not selectors.has_second_factor(user=user):
        return _mfa_enrol(request, user, next_url, offer_security_key=True)
    if not is_verified(user):
        return _mfa_verify(request, user, next_url)
    if selectors.confirmed_authenticator(user=user) is None:
        # Signed in with a security key and asking to add an authenticator app.
        return _mfa_enrol(request, user, next_url)
    return redirect(next_url or "accounts:profile")


def _mfa_enrol(
    request: HttpRequest, user: User, next_url: str, *, offer_security_key: bool = False
) -> HttpResponse:
    device = services.mfa_enrolment_start(user=user)
    form = MfaCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.mfa_enrolment_confirm(
                actor=user, device=device, code=form.cleaned_data["code"]
            )
        except services.MfaThrottled as throttled:
            form.add_error("code", _throttled_message(throttled))
        else:
            if codes is None:
                form.add_error(
                    "code",
                    _(
                        "The code is not right. Enter the newest code the app shows, and check "
                        "that the time on your phone is set automatically."
                    ),
                )
            else:
                mark_verified(request, device)
                messages.success(request, _("Two-step verification is on."))
                return _backup_codes_page(request, codes, next_url)
    return render(
        request,
        "accounts/mfa_enrol.html",
        {
            "form": form,
            "next": next_url,
            "qr_code": _qr_code_data_uri(device.config_url),
            "secret": _grouped_secret(device),
            "required": selectors.mfa_required_for(user=user),
            # A first second factor may be a security key; later keys are added on the
            # two-step page, after the second step.
            "key_form": (
                SecurityKeyNameForm(prefix="key", request=request, user=user, ask_password=False)
                if offer_security_key
                else None
            ),
            "security_key": _security_key_config("first") if offer_security_key else None,
        },
    )


def _mfa_verify(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    status = selectors.mfa_status(user=user)
    # Only the ways in the person has are offered: no backup codes, no word of them.
    form = MfaVerifyForm(
        request.POST or None,
        has_authenticator=status.has_authenticator,
        backup_codes=status.backup_codes_left > 0,
    )
    if request.method == "POST" and form.is_valid():
        try:
            device = services.mfa_verify(actor=user, code=form.cleaned_data["code"])
        except services.MfaThrottled as throttled:
            form.add_error("code", _throttled_message(throttled))
        else:
            if device is None:
                form.add_error("code", _("The code is not right. Check it and try again."))
            else:
                mark_verified(request, device)
                left = selectors.mfa_status(user=user).backup_codes_left
                if not isinstance(device, TOTPDevice):
                    messages.warning(
                        request,
                        ngettext(
                            "You used a backup code. You have %(count)d backup code left.",
                            "You used a backup code. You have %(count)d backup codes left.",
                            left,
                        )
                        % {"count": left},
                    )
                return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    has_key = status.security_keys > 0
    has_backup_codes = status.backup_codes_left > 0
    return render(
        request,
        "accounts/mfa_verify.html",
        {
            "form": form,
            "next": next_url,
            "has_authenticator": status.has_authenticator,
            "has_backup_codes": has_backup_codes,
            # A code form for the app's codes or the backup codes, when there is either.
            "code_form": status.has_authenticator or has_backup_codes,
            "security_key": (
                _security_key_config(
                    "verify", with_code=status.has_authenticator or has_backup_codes
                )
                if has_key
                else None
            ),
        },
    )


def _security_key_config(mode: str, *, with_code: bool = True) -> dict[str, Any]:
    """What the security-key script needs, read from a JSON <script> so the CSP stays strict.

    `with_code` says whether the sign-in page also has a code form to fall back on.
    """
    unsupported = _("This browser cannot use security keys. Use another browser, or enter a code.")
    if mode == "verify":
        begin, complete = "accounts:security_key_verify_begin", "accounts:security_key_verify"
        failed = _("Your security key could not be checked. Try again, or enter a code instead.")
        if not with_code:
            unsupported = _("This browser cannot use security keys. Use another browser.")
            failed = _("Your security key could not be checked. Try again.")
    elif mode == "first":
        begin, complete = "accounts:security_key_add_begin", "accounts:security_key_add"
        failed = _(
            "The security key could not be set up. Try again, or set up an authenticator app "
            "instead."
        )
        unsupported = _(
            "This browser cannot use security keys. Use another browser, or set up an "
            "authenticator app instead."
        )
    else:
        begin, complete = "accounts:security_key_add_begin", "accounts:security_key_add"
        failed = _("The security key could not be added. Try again.")
    return {
        # The script only tells registering ("add") from signing in ("verify").
        "mode": "add" if mode == "first" else mode,
        "beginUrl": reverse(begin),
        "completeUrl": reverse(complete),
        "messages": {
            "title": _("There is a problem"),
            "errorPrefix": _("Error:"),
            "waiting": _("Follow your browser's instructions to use your security key."),
            "notAllowed": _(
                "The security key was not used, or the browser stopped the request. Try again."
            ),
            "alreadyAdded": _("This security key is already added to your account."),
            "unsupported": unsupported,
            "refused": _(
                "The browser refused to use a security key with this address. Tell your Polku "
                "administrator."
            ),
            "failed": failed,
        },
    }


def mark_verified(request: HttpRequest, device: Any) -> None:
    """Completes the second step with the device used (app, backup code or security key)."""
    # A new session key at the raised level of trust, as at sign-in.
    request.session.cycle_key()
    otp_login(request, device)
    request.session.pop(SESSION_MFA_PENDING, None)


def keep_verified(request: HttpRequest, user: User) -> None:
    """Keeps the session past the second step after the person removed the very device it
    passed with (the app, a backup code or a key), if they still have a second factor.

    django-otp's middleware drops the verification of a session whose device no longer
    exists, which would send someone who has just confirmed the change with their password
    back to the second step. A second factor they still have stands in for the removed one;
    with none left, the session is no longer verified, as before.
    """
    device = getattr(user, "otp_device", None)
    if device is None or type(device).objects.filter(pk=device.pk, confirmed=True).exists():
        return
    remaining = selectors.confirmed_authenticator(user=user) or (
        selectors.security_keys(user=user).first()
    )
    if remaining is None:
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
        user.otp_device = None  # type: ignore[attr-defined]  # set by OTPMiddleware
        return
    otp_login(request, remaining)


def _throttled_message(throttled: services.MfaThrottled) -> str:
    seconds = max(1, math.ceil((throttled.until - timezone.now()).total_seconds()))
    return ngettext(
        "Too many wrong codes. Wait %(seconds)d second and try again.",
        "Too many wrong codes. Wait %(seconds)d seconds and try again.",
        seconds,
    ) % {"seconds": seconds}


def _backup_codes_page(
    request: HttpRequest, codes: list[str], next_url: str, *, with_security_key: bool = False
) -> HttpResponse:
    return render(
        request,
        "accounts/mfa_backup_codes.html",
        {
            "codes": codes,
            "continue_url": next_url or reverse("accounts:profile"),
            "with_security_key": with_security_key,
        },
    )


@login_required
@never_cache
@require_http_methods(["GET"])
def mfa_backup_codes(request: HttpRequest) -> HttpResponse:
    """Shows, once, the backup codes issued with a first security key."""
    codes = request.session.pop(SESSION_NEW_BACKUP_CODES, None)
    next_url = safe_next(request)
    if not codes:
        # Shown once only: the codes are not kept anywhere they could be read again.
        return redirect(next_url or "accounts:profile")
    return _backup_codes_page(
        request, [str(code) for code in codes], next_url, with_security_key=True
    )


def _qr_code_data_uri(url: str) -> str:
    """The set-up link as a QR code: an SVG without style attributes, as a data: URI."""
    image = qrcode.make(url, image_factory=SvgPathFillImage, box_size=10, border=4)
    svg = image.to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def _grouped_secret(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


@login_required
@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def mfa_manage(request: HttpRequest) -> HttpResponse:
    """The second factors: the authenticator app and backup codes, and security keys."""
    user = _current_user(request)
    if not selectors.has_second_factor(user=user):
        return redirect("accounts:mfa")
    if not is_verified(user):
        return redirect(with_next("accounts:mfa", request.get_full_path()))
    has_app = selectors.has_authenticator(user=user)
    keys = list(selectors.security_keys(user=user))
    form = MfaResetForm(
        request.POST or None,
        request=request,
        user=user,
        has_authenticator=has_app,
        has_security_keys=bool(keys),
    )
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        if action == "backup_codes":
            codes = services.mfa_backup_codes_replace(actor=user)
            keep_verified(request, user)
            messages.success(request, _("Your old backup codes no longer work."))
            return _backup_codes_page(request, codes, "", with_security_key=not has_app)
        if action == "reenrol" and not has_app:
            # Nothing to remove: the backup codes stay until the new app replaces them.
            return redirect("accounts:mfa")
        services.mfa_remove(actor=user)
        keep_verified(request, user)
        if action == "reenrol":
            return redirect("accounts:mfa")
        if keys:
            messages.success(
                request,
                _(
                    "The authenticator app is removed. Your security keys and backup codes "
                    "still work."
                ),
            )
        else:
            messages.success(request, _("Two-step verification is off."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/mfa_manage.html",
        {
            "form": form,
            "required": selectors.mfa_required_for(user=user),
            "has_authenticator": has_app,
            "security_keys": keys,
            "key_form": SecurityKeyNameForm(prefix="key", request=request, user=user),
            "security_key": _security_key_config("add"),
        },
    )


@login_required
@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def security_key_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks to confirm, with the password, before removing one of the person's security keys."""
    user = _current_user(request)
    if not is_verified(user):
        return redirect(with_next("accounts:mfa", request.get_full_path()))
    key = selectors.security_key_for(user=user, pk=pk)
    form = SecurityKeyRemoveForm(request.POST or None, request=request, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.security_key_remove(actor=user, device=key)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            keep_verified(request, user)
            messages.success(request, _("Security key “%(name)s” removed.") % {"name": key.name})
            return redirect("accounts:mfa_manage")
    last = (
        not selectors.has_authenticator(user=user)
        and not selectors.security_keys(user=user).exclude(pk=key.pk).exists()
    )
    return render(
        request,
        "accounts/security_key_remove.html",
        {
            "form": form,
            "key": key,
            # Removing the last key of someone without an app turns two-step verification off.
            "turns_off": last,
            "required": last and selectors.mfa_required_for(user=user),
            "has_backup_codes": selectors.mfa_status(user=user).backup_codes_left > 0,
        },
    )
