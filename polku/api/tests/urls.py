"""Polku's URL map plus a small API whose endpoints fail on purpose, to test the error format."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.http import HttpRequest
from django.urls import path
from ninja import Field, Status

from config.urls import urlpatterns as polku_urlpatterns
from polku.api.base import PolkuAPI
from polku.api.schemas import InputSchema

test_api = PolkuAPI(title="Test API", version="test", urls_namespace="api-test")


class Colour(InputSchema):
    name: str = Field(min_length=1)


class ThingIn(InputSchema):
    name: str = Field(min_length=1)
    count: int = Field(ge=0)
    colour: Colour | None = None


@test_api.post("/things", response={201: ThingIn})
def create_thing(request: HttpRequest, payload: ThingIn) -> Status[ThingIn]:
    return Status(201, payload)


@test_api.get("/crash")
def crash(request: HttpRequest) -> None:
    raise RuntimeError("internal detail: password=hunter2")


@test_api.get("/database")
def database(request: HttpRequest) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT secret_column FROM no_such_table_for_polku")


@test_api.get("/refused")
def refused(request: HttpRequest) -> None:
    raise ValidationError({"name": ["This name is taken."]})


@test_api.get("/forbidden")
def forbidden(request: HttpRequest) -> None:
    raise PermissionDenied("internal reason")


urlpatterns = [*polku_urlpatterns, path("test-api/", test_api.urls)]
