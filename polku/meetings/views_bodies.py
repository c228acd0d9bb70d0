"""A body's work page."""

from django.http import Http404, HttpRequest, HttpResponse


def body_work(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404
