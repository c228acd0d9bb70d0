from django.http import HttpRequest, HttpResponse
from django.urls import path

from polku.accounts import views


def _placeholder(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


app_name = "accounts"
urlpatterns = [
    path("language/", views.set_language, name="set_language"),
    path("login/", _placeholder, name="login"),
    path("logout/", _placeholder, name="logout"),
    path("profile/", _placeholder, name="profile"),
    path("mfa/", _placeholder, name="mfa"),
]
