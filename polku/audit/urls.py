from django.http import HttpRequest, HttpResponse
from django.urls import path


def _placeholder(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


app_name = "audit"
urlpatterns = [
    path("event-list/", _placeholder, name="event_list"),
]
