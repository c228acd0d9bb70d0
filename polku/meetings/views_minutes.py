"""Pages for minutes and decisions."""

from django.http import Http404, HttpRequest, HttpResponse


def minutes_detail(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def minutes_circulate(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def minutes_comment(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def minutes_publish(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def minutes_versions(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def minutes_diff(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def decision_list(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404
