"""Every API failure is JSON with a code and a message; nothing internal reaches the client."""

import logging

import pytest
from django.test import Client

from conftest import ClientFor, Personas
from polku.api.tests.factories import bearer, make_token

pytestmark = pytest.mark.urls("polku.api.tests.urls")


def _post_thing(body: object) -> tuple[int, dict[str, object]]:
    response = Client().post("/test-api/things", body, content_type="application/json")
    assert response["Content-Type"].startswith("application/json")
    return response.status_code, response.json()


def test_a_valid_body_is_accepted(db: None) -> None:
    """The strict schema still accepts exactly what it declares."""
    status, body = _post_thing({"name": "Box", "count": 2, "colour": {"name": "red"}})
    assert status == 201
    assert body == {"name": "Box", "count": 2, "colour": {"name": "red"}}


def test_validation_errors_list_each_field_and_what_is_wrong(db: None) -> None:
    """Each bad or missing field appears once, named as the client sent it."""
    status, body = _post_thing({"name": "", "count": -1})
    assert status == 422
    assert body["code"] == "validation_error"
    assert body["message"]
    assert body["errors"] == [
        {
            "location": "body",
            "field": "name",
            "message": "String should have at least 1 character",
            "type": "string_too_short",
        },
        {
            "location": "body",
            "field": "count",
            "message": "Input should be greater than or equal to 0",
            "type": "greater_than_equal",
        },
    ]


def test_a_missing_field_is_named(db: None) -> None:
    """A required field that is absent is reported as missing."""
    status, body = _post_thing({"name": "Box"})
    assert status == 422
    assert body["errors"] == [
        {"location": "body", "field": "count", "message": "Field required", "type": "missing"}
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Box", "count": 1, "weight": 3}, "weight"),
        ({"name": "Box", "count": 1, "colour": {"name": "red", "shade": "dark"}}, "colour.shade"),
    ],
)
def test_unknown_body_fields_are_refused(db: None, body: dict[str, object], field: str) -> None:
    """A field the schema does not declare is an error, at any depth, not silently dropped."""
    status, answer = _post_thing(body)
    assert status == 422
    assert answer["errors"] == [
        {"location": "body", "field": field, "message": "Unknown field.", "type": "extra_forbidden"}
    ]


def test_unknown_query_parameters_are_refused(personas: Personas) -> None:
    """A misspelt filter is an error rather than an unfiltered answer."""
    _, plaintext = make_token(organisation=personas.police)
    response = Client().get(
        "/api/v1/organisations", {"kind": "ngo", "colour": "red"}, headers=bearer(plaintext)
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "location": "query",
            "field": "colour",
            "message": "Unknown field.",
            "type": "extra_forbidden",
        }
    ]


def test_a_body_that_is_not_json_gets_400(db: None) -> None:
    """An unreadable body is a JSON 400, not an HTML page."""
    response = Client().post("/test-api/things", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


@pytest.mark.parametrize("debug", [False, True])
def test_a_crash_is_logged_and_answered_without_details(
    db: None, settings: object, caplog: pytest.LogCaptureFixture, debug: bool
) -> None:
    """Even with DEBUG on, the client sees a generic JSON 500; the traceback goes to the log."""
    settings.DEBUG = debug  # type: ignore[attr-defined]
    with caplog.at_level(logging.ERROR, logger="polku.api"):
        response = Client().get("/test-api/crash")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "server_error"
    assert set(body) == {"code", "message", "request_id"}
    content = response.content.decode()
    assert "hunter2" not in content
    assert "Traceback" not in content
    assert "RuntimeError" not in content
    record = next(record for record in caplog.records if record.name == "polku.api")
    assert record.exc_info is not None
    assert "hunter2" in str(record.exc_info[1])
    assert body["request_id"] in record.getMessage()


def test_a_database_error_does_not_reveal_sql(db: None, settings: object) -> None:
    """A failing query answers 500 without the statement, table or driver message."""
    settings.DEBUG = True  # type: ignore[attr-defined]
    response = Client().get("/test-api/database")
    assert response.status_code == 500
    content = response.content.decode()
    assert "SELECT" not in content
    assert "no_such_table" not in content
    assert "secret_column" not in content
    assert response.json()["code"] == "server_error"


def test_a_service_refusal_is_a_422_per_field(db: None) -> None:
    """A ValidationError from a service keeps its field names."""
    response = Client().get("/test-api/refused")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"location": "body", "field": "name", "message": "This name is taken.", "type": "invalid"}
    ]


def test_permission_denied_is_a_json_403_without_the_reason(db: None) -> None:
    """The internal reason given to PermissionDenied is not shown."""
    response = Client().get("/test-api/forbidden")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert "internal reason" not in response.content.decode()


@pytest.mark.parametrize("path", ["/api/v1/nowhere", "/api/v1/organisations/1/members/2"])
def test_an_unknown_api_path_is_a_json_404(db: None, path: str) -> None:
    """Paths under /api/v1/ that match no endpoint still answer JSON."""
    response = Client().get(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_wrong_method_is_a_json_405(personas: Personas) -> None:
    """The list is read-only: other methods get 405 naming the allowed ones."""
    _, plaintext = make_token(organisation=personas.police)
    response = Client().delete("/api/v1/organisations", headers=bearer(plaintext))
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json()["code"] == "method_not_allowed"


def test_the_api_root_points_to_the_schema_and_docs(db: None) -> None:
    """/api/v1/ answers with where to find the schema and the documentation."""
    response = Client().get("/api/v1/")
    assert response.status_code == 200
    assert response.json() == {
        "title": "Polku API",
        "version": "1",
        "openapi": "/api/v1/openapi.json",
        "docs": "/api/v1/docs",
    }


@pytest.mark.parametrize(
    "query",
    ["offset=99999999999999999999", "q=a%00b", "limit=0", "offset=-1"],
)
def test_out_of_range_query_values_are_field_errors(
    personas: Personas, client_for: ClientFor, query: str
) -> None:
    """Huge offsets and NUL characters are refused as validation errors, never a 500."""
    response = client_for("coordinator").get(f"/api/v1/organisations?{query}")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
