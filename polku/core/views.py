"""The home page, the sections' landing pages, the health check and the error pages."""

from typing import Any

from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from polku.accounts.choices import Role
from polku.core.navigation import SECTIONS, destination_cards
from polku.core.permissions import insider_required


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """What Polku is for visitors; for a signed-in person, cards for what their roles allow."""
    context: dict[str, Any] = {}
    user = request.user
    if user.is_authenticated:
        context["cards"] = destination_cards(user)
        context["role_labels"] = sorted(str(Role(role).label) for role in user.roles)
    return render(request, "core/home.html", context)


@require_GET
@insider_required
def section(request: HttpRequest, key: str) -> HttpResponse:
    """A section's landing page: a card for each of its pages the person may open."""
    cards = destination_cards(request.user, key)
    if not cards:
        raise Http404
    title = next(s.label for s in SECTIONS if s.key == key)
    return render(request, "core/section.html", {"title": title, "cards": cards})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Reports whether the database answers and how the task queue is doing."""
    status: dict[str, Any] = {}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        status["database"] = {"ok": True, "vendor": connection.vendor}
    except Exception:
        healthy = False
        status["database"] = {"ok": False}
    if status["database"]["ok"]:
        status["tasks"] = _task_queue_status()
        healthy = healthy and status["tasks"]["ok"]
    status["ok"] = healthy
    return JsonResponse(status, status=200 if healthy else 503)


def _task_queue_status() -> dict[str, Any]:
    from django.conf import settings

    backend = str(settings.TASKS["default"]["BACKEND"])
    if backend != "django_tasks_db.DatabaseBackend":
        return {"ok": True, "backend": backend.rsplit(".", 1)[-1]}
    from django_tasks_db.models import DBTaskResult

    try:
        ready = DBTaskResult.objects.ready().count()
        failed = DBTaskResult.objects.failed().count()
    except Exception:
        return {"ok": False, "backend": "database"}
    return {"ok": True, "backend": "database", "ready": ready, "failed": failed}


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the request, so no context processor (session, database) can fail again.
    return HttpResponse(loader.get_template("500.html").render(), status=500)
