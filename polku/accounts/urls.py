from django.urls import path

from polku.accounts import views, webauthn

app_name = "accounts"
urlpatterns = [
    path("language/", views.set_language, name="set_language"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("profile/edit/", views.profile_edit, name="profile_edit"),
    path("profile/two-step/", views.mfa_manage, name="mfa_manage"),
    path(
        "profile/two-step/security-keys/<int:pk>/remove/",
        views.security_key_remove,
        name="security_key_remove",
    ),
    path(
        "profile/two-step/security-keys/begin/",
        webauthn.SecurityKeyRegisterBegin.as_view(),
        name="security_key_add_begin",
    ),
    path(
        "profile/two-step/security-keys/complete/",
        webauthn.SecurityKeyRegisterComplete.as_view(),
        name="security_key_add",
    ),
    path("mfa/", views.mfa, name="mfa"),
    path("mfa/backup-codes/", views.mfa_backup_codes, name="mfa_backup_codes"),
    path(
        "mfa/security-key/begin/",
        webauthn.SecurityKeyVerifyBegin.as_view(),
        name="security_key_verify_begin",
    ),
    path(
        "mfa/security-key/complete/",
        webauthn.SecurityKeyVerifyComplete.as_view(),
        name="security_key_verify",
    ),
    path("password-change/", views.ChangePasswordView.as_view(), name="password_change"),
    path(
        "password-change/done/",
        views.ChangePasswordDoneView.as_view(),
        name="password_change_done",
    ),
    path("password-reset/", views.ResetRequestView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.ResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/done/",
        views.ResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.ResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
]
