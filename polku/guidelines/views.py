"""Pages of the guidelines app."""

from django.http import Http404, HttpRequest, HttpResponse


def guideline_detail(request: HttpRequest, slug: str) -> HttpResponse:
    raise Http404


def consultation_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    raise Http404
