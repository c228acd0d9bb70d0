"""Polku's URL map plus views that exercise the page frame's error pages and messages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template import RequestContext, Template
from django.urls import path

from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as polku_urlpatterns

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


def _forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def _broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("broken on purpose")


def _with_messages(request: HttpRequest) -> HttpResponse:
    messages.success(request, "Organisation saved.")
    messages.error(request, "The meeting could not be moved.")
    messages.info(request, "Minutes are due on Friday.")
    page = Template('{% extends "base.html" %}{% block title %}Messages{% endblock %}')
    return HttpResponse(page.render(RequestContext(request)))


urlpatterns = [
    *polku_urlpatterns,
    path("test/forbidden/", _forbidden),
    path("test/broken/", _broken),
    path("test/messages/", _with_messages),
]
