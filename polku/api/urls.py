from django.http import HttpRequest, HttpResponse
from django.urls import path


def _placeholder(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


app_name = "api"
urlpatterns = [
    path("token-list/", _placeholder, name="token_list"),
]
