"""In a real browser: the docs run under the CSP, offline, and a coordinator can try the API;
a data provider issues a token, sees it once and revokes it."""

import re
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Request, expect

from conftest import Personas
from polku.accounts.models import User
from polku.api.models import ApiToken
from tests.browser.fixtures import CheckedPage

pytestmark = pytest.mark.browser


def _sign_in(page: CheckedPage, live_server: Any, user: User) -> None:
    """Reuses a server-side sign-in, so the test is about the API pages, not the login form."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_the_docs_run_under_the_csp_without_other_origins(
    checked_page: CheckedPage,
    live_server: Any,
    personas: Personas,
) -> None:
    """Swagger UI renders, raises no CSP violation, and calls the API with the session."""
    page = checked_page
    foreign: list[str] = []
    failed: list[str] = []

    def note(request: Request) -> None:
        if not request.url.startswith((live_server.url, "data:", "blob:")):
            foreign.append(request.url)

    page.on("request", note)
    page.on(
        "response",
        lambda response: failed.append(response.url) if response.status >= 400 else None,
    )
    _sign_in(page, live_server, personas.coordinator)
    page.goto(live_server.url + "/api/v1/docs")
    operation = page.locator("#operations-Organisations-polku_actors_api_list_organisations")
    expect(operation).to_be_visible()
    operation.locator(".opblock-summary-control").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    status = operation.locator(".live-responses-table tbody .response-col_status").first
    expect(status).to_contain_text("200")
    expect(operation.locator(".live-responses-table")).to_contain_text("Ministry of Justice")
    assert not failed, failed
    assert not page.console_errors, page.console_errors
    assert not foreign, foreign


def test_a_data_provider_issues_sees_once_and_revokes_a_token(
    checked_page: CheckedPage,
    live_server: Any,
    personas: Personas,
) -> None:
    """Every page of the token journey passes axe-core; the token works until revoked."""
    page = checked_page
    _sign_in(page, live_server, personas.dataprovider)
    page.visit("/api-tokens/")
    page.get_by_role("link", name="Create a token").first.click()
    page.check()
    page.get_by_label("Name").fill("Statistics returns")
    page.get_by_label("Read the organisation directory").check()
    page.get_by_role("button", name="Create token").click()
    page.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your new API token")
    plaintext = page.get_by_label("Token").input_value()
    assert plaintext.startswith("polku_")

    answer = Client().get("/api/v1/organisations", headers={"Authorization": f"Bearer {plaintext}"})
    assert answer.status_code == 200

    page.get_by_role("link", name=re.compile("back to API tokens")).click()
    page.check()
    expect(page.get_by_role("cell", name="Statistics returns", exact=True)).to_be_visible()
    assert plaintext not in page.content()
    page.get_by_role("link", name=re.compile("Revoke")).click()
    page.check()
    page.get_by_role("button", name="Revoke token").click()
    page.check()
    expect(page.get_by_text("Revoked", exact=True)).to_be_visible()
    assert ApiToken.objects.get().revoked_by == personas.dataprovider

    refused = Client().get(
        "/api/v1/organisations", headers={"Authorization": f"Bearer {plaintext}"}
    )
    assert refused.status_code == 401
