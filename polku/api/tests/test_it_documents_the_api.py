"""The OpenAPI schema and the interactive docs, served from Polku itself within its CSP."""

import json
import re
from html.parser import HTMLParser

from django.contrib.staticfiles import finders
from django.test import Client

from conftest import ClientFor


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.script_bodies: list[tuple[dict[str, str], str]] = []
        self._in_script: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.tags.append((tag, values))
        if tag == "script":
            self._in_script = values
            self.script_bodies.append((values, ""))

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            attrs, text = self.script_bodies[-1]
            self.script_bodies[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None


def test_the_schema_lists_the_organisation_endpoints(db: None) -> None:
    """openapi.json loads and documents both endpoints, their parameters and their errors."""
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Polku API"
    listing = schema["paths"]["/api/v1/organisations"]["get"]
    detail = schema["paths"]["/api/v1/organisations/{organisation_id}"]["get"]
    assert {parameter["name"] for parameter in listing["parameters"]} == {
        "limit",
        "offset",
        "kind",
        "q",
    }
    assert "organisations:read" in listing["description"]
    for operation in (listing, detail):
        assert {"200", "401", "403", "404", "422"} <= set(operation["responses"])
        assert {"ApiTokenAuth": []} in operation["security"]
        assert {"ApiSessionAuth": []} in operation["security"]
    schemes = schema["components"]["securitySchemes"]
    assert schemes["ApiTokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["ApiSessionAuth"]["in"] == "cookie"
    error = schema["components"]["schemas"]["Error"]
    assert {"code", "message", "errors"} <= set(error["properties"])


def test_the_docs_page_loads_nothing_from_other_origins(client_for: ClientFor) -> None:
    """Swagger UI comes from Polku's static files; no URL on the page names another host."""
    response = client_for("coordinator").get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}", html, re.IGNORECASE)
    parser = _Tags()
    parser.feed(html)
    references = [
        attrs[name] for _, attrs in parser.tags for name in ("src", "href") if name in attrs
    ]
    assert references, "the page should load Swagger UI's script and style"
    for reference in references:
        assert reference.startswith("/static/"), reference
        found = finders.find(reference.removeprefix("/static/"))
        assert found, f"{reference} is not among the static files"


def test_the_docs_page_needs_no_inline_script(client_for: ClientFor) -> None:
    """Under the site's CSP every executable script is a file from 'self'; settings are data."""
    response = client_for("coordinator").get("/api/v1/docs")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    parser = _Tags()
    parser.feed(response.content.decode())
    scripts = parser.script_bodies
    assert [attrs["src"] for attrs, _ in scripts if "src" in attrs] == [
        "/static/ninja/swagger-ui-bundle.js",
        "/static/ninja/swagger-ui-init.js",
    ]
    inline = [(attrs, text) for attrs, text in scripts if "src" not in attrs]
    assert len(inline) == 1
    attrs, text = inline[0]
    assert attrs == {"id": "swagger-settings", "type": "application/json"}
    settings = json.loads(text)
    assert settings["url"] == "/api/v1/openapi.json"
    assert settings["validatorUrl"] is None


def test_the_docs_are_public_but_the_data_is_not(db: None) -> None:
    """Anyone may read how the API works; calling it still needs credentials."""
    assert Client().get("/api/v1/docs").status_code == 200
    assert Client().get("/api/v1/openapi.json").status_code == 200
    assert Client().get("/api/v1/organisations").status_code == 401
