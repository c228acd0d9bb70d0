from django.urls import path

from polku.accounts import views

app_name = "accounts"
urlpatterns = [
    path("language/", views.set_language, name="set_language"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("profile/edit/", views.profile_edit, name="profile_edit"),
    path("profile/two-step/", views.mfa_manage, name="mfa_manage"),
    path("mfa/", views.mfa, name="mfa"),
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
