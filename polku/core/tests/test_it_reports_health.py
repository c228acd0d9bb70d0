"""/healthz tells a load balancer whether this process can serve: database and task queue."""

from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.tasks import task
from django.test import Client
from django_tasks_db.models import DBTaskResult

from polku.core import views

SECRET_DETAIL = "password authentication failed for user polku on db.internal"


@task
def _wait_in_the_queue() -> None:
    """A task that only ever waits, so the queue has something to count."""


def _failing_connection() -> mock.MagicMock:
    """A stand-in for the database connection whose cursor fails like an unreachable server."""
    failing = mock.MagicMock(vendor=connection.vendor)
    cursor = failing.cursor.return_value.__enter__.return_value
    cursor.execute.side_effect = OperationalError(SECRET_DETAIL)
    return failing


def test_it_answers_200_when_everything_works(db: None) -> None:
    """The database answers and the task backend is reported; nothing is cached."""
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body["ok"] is True
    assert body["database"] == {"ok": True, "vendor": connection.vendor}
    assert body["tasks"] == {"ok": True, "backend": "ImmediateBackend"}


def test_it_counts_the_database_task_queue(db: None, settings: object) -> None:
    """With the database task backend it reports how many tasks wait and how many failed."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # type: ignore[attr-defined]
    _wait_in_the_queue.enqueue()
    _wait_in_the_queue.enqueue()
    assert DBTaskResult.objects.count() == 2
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["tasks"] == {"ok": True, "backend": "database", "ready": 2, "failed": 0}


def test_it_answers_503_when_the_database_query_fails(db: None) -> None:
    """A failing database makes the check fail without revealing the driver's message."""
    with mock.patch.object(views, "connection", _failing_connection()):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": {"ok": False}, "ok": False}
    assert SECRET_DETAIL not in response.content.decode()


def test_it_answers_503_when_the_task_queue_cannot_be_read(db: None, settings: object) -> None:
    """The database answers but the task table does not: the process is not healthy."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # type: ignore[attr-defined]
    with mock.patch.object(
        DBTaskResult.objects, "ready", side_effect=OperationalError(SECRET_DETAIL)
    ):
        response = Client().get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["ok"] is False
    assert body["database"]["ok"] is True
    assert body["tasks"] == {"ok": False, "backend": "database"}
    assert SECRET_DETAIL not in response.content.decode()


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_only_answers_get(db: None, method: str) -> None:
    """The health check changes nothing, so only GET is allowed."""
    response = getattr(Client(), method)("/healthz")
    assert response.status_code == 405
