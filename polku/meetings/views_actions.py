"""Pages for following up actions."""

from django.http import Http404, HttpRequest, HttpResponse


def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def my_actions(request: HttpRequest) -> HttpResponse:
    raise Http404


def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def action_note(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def body_actions(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def action_review(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404
