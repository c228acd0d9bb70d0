"""The page frame in a real browser: axe-core, keyboard use, no JavaScript, small screens."""

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from conftest import Personas
from tests.browser.fixtures import PASSWORD, CheckedPage, sign_in

pytestmark = pytest.mark.browser


def sign_in_as_coordinator(page: CheckedPage, personas: Personas) -> None:
    personas.coordinator.first_name = "Aino"
    sign_in(page, personas.coordinator)


def test_it_passes_axe_on_the_home_and_error_pages(checked_page: CheckedPage) -> None:
    """The anonymous home page and the 404 page have no WCAG 2.1 AA violations or script errors."""
    page = checked_page
    page.visit("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("body")).to_have_class(re.compile("govuk-frontend-supported"))
    page.visit_error("/no-such-page/", 404)
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")


@pytest.mark.urls("polku.core.tests.urls")
def test_it_passes_axe_on_the_403_and_500_pages(checked_page: CheckedPage) -> None:
    """The 403 and 500 pages have no WCAG 2.1 AA violations."""
    page = checked_page
    page.visit_error("/test/forbidden/", 403)
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot see this page")
    page.visit_error("/test/broken/", 500)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sorry, there is a problem with the service"
    )


def test_it_passes_axe_on_the_signed_in_dashboard(
    checked_page: CheckedPage, personas: Personas
) -> None:
    """The coordinator's dashboard lists a card per page the menu leads to, and passes axe-core."""
    page = checked_page
    sign_in_as_coordinator(page, personas)
    page.visit("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Aino")
    cards = page.locator(".polku-card")
    expect(cards.filter(has_text="Organisations")).to_have_count(1)
    cards.filter(has_text="Audit log").click()
    expect(page.page).to_have_url(re.compile("/audit/"))
    menu = page.get_by_role("navigation", name="Menu")
    menu.get_by_role("link", name="Directory").click()
    page.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Directory")
    expect(page.locator(".polku-card")).to_have_count(3)


def test_it_moves_focus_to_the_content_with_the_skip_link(checked_page: CheckedPage) -> None:
    """The first Tab reaches the skip link, and following it moves focus to <main>."""
    page = checked_page
    page.visit("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main#main-content")).to_be_focused()


def test_it_switches_language_with_the_keyboard(checked_page: CheckedPage) -> None:
    """Tabbing reaches the language buttons, and Enter switches the page to that language."""
    page = checked_page
    page.visit("/")
    target = page.get_by_role("button", name="Suomi")
    for _ in range(20):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            break
    expect(target).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    page.check()
    expect(page.get_by_role("button", name="English")).to_be_visible()


def test_it_switches_language_and_signs_out_without_javascript(
    browser: Browser, live_server: Any, transactional_db: None, personas: Personas
) -> None:
    """With JavaScript off, the language switcher and the sign-out button still work."""
    personas.coordinator.set_password(PASSWORD)
    personas.coordinator.save()
    # axe-core needs JavaScript, so these pages are checked with it on in the other tests.
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label(re.compile("User ?name", re.IGNORECASE)).fill("coordinator")
        page.get_by_label(re.compile("Password", re.IGNORECASE)).fill(PASSWORD)
        page.locator("main").get_by_role("button", name=re.compile("Sign in", re.I)).click()
        expect(page.locator(".polku-header__account-link").first).to_be_visible()
        page.get_by_role("button", name="Svenska").click()
        expect(page.locator("html")).to_have_attribute("lang", "sv")
        page.locator("header form button").first.click()
        expect(page.locator(".polku-header__account-link")).to_have_attribute(
            "href", "/accounts/login/"
        )
        expect(page.locator("html")).to_have_attribute("lang", "sv")
    finally:
        context.close()


def test_it_collapses_the_menu_on_a_small_screen(
    checked_page: CheckedPage, personas: Personas
) -> None:
    """On a phone-sized screen the navigation hides behind a Menu button that opens it."""
    page = checked_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_as_coordinator(page, personas)
    page.visit("/")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    directory = page.locator("#polku-navigation").get_by_role("link", name="Directory")
    expect(directory).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(directory).to_be_visible()
    page.check()
