from django.http import HttpRequest, HttpResponse
from django.urls import path


def _placeholder(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


app_name = "actors"
urlpatterns = [
    path("organisation-list/", _placeholder, name="organisation_list"),
    path("body-list/", _placeholder, name="body_list"),
    path("person-list/", _placeholder, name="person_list"),
]
