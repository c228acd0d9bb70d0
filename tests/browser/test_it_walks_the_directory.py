"""A coordinator signs in, switches language, browses the directory and signs out."""

import re

import pytest
from playwright.sync_api import expect

from conftest import Personas
from tests.browser.fixtures import CheckedPage, sign_in, submit_sign_in

pytestmark = pytest.mark.browser


def open_from_the_directory(page: CheckedPage, name: str) -> None:
    """The menu's Directory leads to a landing page with a card for each list."""
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Directory").click()
    page.check()
    page.locator(".polku-card").get_by_role("link", name=name).click()
    page.check()


def test_it_walks_the_directory_in_three_languages(
    checked_page: CheckedPage, personas: Personas
) -> None:
    """Every page visited passes axe-core; the interface follows the chosen language."""
    page = checked_page
    page.visit("/")
    sign_in(page, personas.coordinator)
    expect(page.get_by_role("link", name="Organisations").first).to_be_visible()

    open_from_the_directory(page, "Organisations")
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisations")
    page.get_by_label("Search").fill("Justice")
    page.get_by_role("button", name="Apply filters").click()
    page.check()
    expect(page.get_by_role("link", name="Ministry of Justice")).to_be_visible()
    page.get_by_role("link", name="Ministry of Justice").click()
    page.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ministry of Justice")

    open_from_the_directory(page, "Bodies")
    page.get_by_role("link", name="Anti-trafficking secretariat").click()
    page.check()
    expect(page.get_by_role("cell", name="Chair")).to_be_visible()

    open_from_the_directory(page, "People")

    page.get_by_role("button", name="Suomi").click()
    page.check()
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Henkilöt")

    page.get_by_role("button", name="Svenska").click()
    page.check()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Personer")

    page.get_by_role("button", name="English").click()
    page.check()
    page.get_by_role("button", name=re.compile("Sign out", re.IGNORECASE)).click()
    page.check()
    expect(
        page.get_by_role("link", name=re.compile("Sign in", re.IGNORECASE)).first
    ).to_be_visible()
    assert len(page.checked) >= 10


def test_it_refuses_a_wrong_password_accessibly(
    checked_page: CheckedPage, personas: Personas
) -> None:
    """A failed sign-in shows an error summary and still passes axe-core."""
    page = checked_page
    submit_sign_in(page, "coordinator", "not-the-password")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert "/accounts/login/" in page.url
