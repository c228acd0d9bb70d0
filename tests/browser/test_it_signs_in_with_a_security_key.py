"""In Chromium with a virtual authenticator: add a security key on the two-step page, then
sign in with the password and the key; and set up a key as the first second factor on the
set-up page, as someone whose role requires two-step verification.

The live server answers at http://localhost:<port>. WebAuthn needs a relying party ID that
is a domain (an IP address is refused), and "localhost" counts as a secure context, so the
relying party is "localhost" and the allowed origin is the live server's own.

Every page visited passes axe-core (WCAG 2.1 AA) and logs no console error, so a Content
Security Policy violation by the security-key script fails the test.
"""

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import Browser, expect

from conftest import Personas
from polku.accounts.tests.conftest import code_for, enrol
from polku.accounts.tests.security_keys import SoftKey
from tests.browser.fixtures import PASSWORD, CheckedPage, sign_in, sign_out

pytestmark = pytest.mark.browser


def add_virtual_authenticator(page: CheckedPage, live_server: Any, settings: Any) -> None:
    """Gives the browser a passkey-capable authenticator, and Polku the live server's origin."""
    assert urlsplit(live_server.url).hostname == "localhost"
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    cdp = page.context.new_cdp_session(page.page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )


def test_it_signs_in_with_a_security_key(
    checked_page: CheckedPage, live_server: Any, personas: Personas, settings: Any
) -> None:
    """A practitioner adds a key, signs out, and signs back in with the password and the key."""
    page = checked_page
    add_virtual_authenticator(page, live_server, settings)
    practitioner = personas.practitioner
    app = enrol(practitioner)

    sign_in(page, practitioner)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    page.get_by_label("Code", exact=True).fill(code_for(app))
    page.get_by_role("button", name="Continue").click()
    page.check()

    page.visit("/accounts/profile/two-step/")
    expect(page.get_by_role("heading", name="Security keys and passkeys")).to_be_visible()
    expect(page.get_by_text("You have not added a security key.")).to_be_visible()
    expect(page.get_by_text("Adding a security key needs JavaScript.")).to_be_hidden()
    key_form = page.locator("#security-key-form")
    add = key_form.get_by_role("button", name="Add security key")
    expect(add).to_be_visible()

    # Without a name and the password, the GOV.UK error summary lists both and takes focus.
    add.click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Enter a name for the security key")).to_be_visible()
    expect(summary.get_by_role("link", name="Enter your password")).to_be_visible()
    expect(key_form.locator(".govuk-error-message")).to_have_count(2)
    assert page.title().startswith("Error:")
    # The browser itself logged the refused request; that is the only error allowed.
    assert page.console_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    page.console_errors.clear()
    page.check()

    key_form.get_by_label("Name of the security key").fill("Laptop passkey")
    key_form.get_by_label("Your password").fill(PASSWORD)
    add.click()
    expect(page.get_by_text("Security key “Laptop passkey” added.")).to_be_visible()
    page.check()
    row = page.get_by_role("row", name=re.compile("Laptop passkey"))
    expect(row).to_contain_text("Not used yet")
    expect(row.get_by_role("link", name="Remove Laptop passkey")).to_be_visible()
    assert WebAuthnCredential.objects.filter(user=practitioner, name="Laptop passkey").exists()

    # The same authenticator cannot be added twice: the browser refuses, the page says why.
    key_form = page.locator("#security-key-form")
    key_form.get_by_label("Name of the security key").fill("Same passkey again")
    key_form.get_by_label("Your password").fill(PASSWORD)
    key_form.get_by_role("button", name="Add security key").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("This security key is already added to your account.")
    expect(summary).to_be_focused()
    page.check()
    page.keep_screenshot("security-keys")
    assert WebAuthnCredential.objects.filter(user=practitioner).count() == 1

    sign_out(page)
    sign_in(page, practitioner)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    expect(page.get_by_text("Using a security key needs JavaScript.")).to_be_hidden()
    use_key = page.get_by_role("button", name="Use your security key")
    expect(use_key).to_be_visible()
    page.keep_screenshot("security-key-sign-in")
    use_key.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/")
    page.check()
    expect(page.get_by_role("button", name="Sign out").first).to_be_visible()
    page.visit("/accounts/profile/two-step/")
    expect(page.get_by_role("row", name=re.compile("Laptop passkey"))).not_to_contain_text(
        "Not used yet"
    )


def test_it_sets_up_a_security_key_as_the_first_second_factor(
    checked_page: CheckedPage, live_server: Any, personas: Personas, settings: Any
) -> None:
    """A coordinator, whose role requires two-step verification and who has none, is sent to
    the set-up page, chooses a security key, names it, saves the backup codes, goes on, and
    signs in with the key next time."""
    settings.POLKU_MFA_REQUIRED = True
    page = checked_page
    add_virtual_authenticator(page, live_server, settings)
    coordinator = personas.coordinator

    sign_in(page, coordinator)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-step verification")
    expect(page.get_by_text("Your role in Polku requires two-step verification.")).to_be_visible()
    page.check()
    page.visit("/actors/people/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-step verification")

    # The choice links to the key's section; the key asks for a name and no password.
    page.get_by_role("link", name=re.compile("a security key")).click()
    expect(page.get_by_role("heading", name="Or use a security key or passkey")).to_be_visible()
    expect(page.get_by_text("Setting up a security key needs JavaScript.")).to_be_hidden()
    key_form = page.locator("#security-key-form")
    expect(key_form.get_by_label("Your password")).to_have_count(0)
    set_up = key_form.get_by_role("button", name="Set up security key")
    expect(set_up).to_be_visible()
    page.check()
    page.keep_screenshot("security-key-set-up")

    # Without a name, the GOV.UK error summary says so and takes the focus.
    set_up.focus()
    page.keyboard.press("Enter")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Enter a name for the security key")).to_be_visible()
    expect(key_form.locator(".govuk-error-message")).to_have_count(1)
    assert page.title().startswith("Error:")
    assert page.console_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    page.console_errors.clear()
    page.check()

    summary.get_by_role("link", name="Enter a name for the security key").click()
    expect(key_form.get_by_label("Name of the security key")).to_be_focused()
    page.keyboard.type("Laptop passkey")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Save your backup codes")
    expect(page.get_by_text("Two-step verification is on.")).to_be_visible()
    expect(page.get_by_text("If you lose your security key or cannot use it")).to_be_visible()
    expect(page.locator("#backup-codes li")).to_have_count(10)
    page.check()
    page.keep_screenshot("security-key-first")
    assert WebAuthnCredential.objects.filter(user=coordinator, name="Laptop passkey").exists()

    # Past the second step, the page asked for before opens.
    page.get_by_role("link", name="I have saved my backup codes").click()
    page.wait_for_url(live_server.url + "/actors/people/")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Set up two-step verification")
    page.check()
    page.visit("/accounts/profile/two-step/")
    expect(page.get_by_role("row", name=re.compile("Laptop passkey"))).to_be_visible()

    sign_out(page)
    sign_in(page, coordinator)
    expect(page.get_by_role("heading", level=1)).to_have_text("Use your security key")
    page.get_by_role("button", name="Use your security key").click()
    page.wait_for_url(live_server.url + "/")
    page.check()


def test_it_still_takes_a_code_without_javascript(
    browser: Browser, live_server: Any, personas: Personas
) -> None:
    """With JavaScript off, the page says a key needs it, hides the key button, and a code works."""
    practitioner = personas.practitioner
    practitioner.set_password(PASSWORD)
    practitioner.save()
    app = enrol(practitioner)
    SoftKey().add_to(practitioner, "Laptop passkey")
    # axe-core needs JavaScript; the same page is checked with it on in the test above.
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Username").fill(practitioner.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.locator("main").get_by_role("button", name="Sign in").click()
        expect(page.get_by_text("Using a security key needs JavaScript.")).to_be_visible()
        expect(page.get_by_role("button", name="Use your security key")).to_be_hidden()
        page.get_by_label("Code", exact=True).fill(code_for(app))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(live_server.url + "/")
        expect(page.locator(".polku-header__account-link").first).to_be_visible()
    finally:
        context.close()


def test_it_goes_to_the_sign_in_page_when_the_session_has_ended(
    checked_page: CheckedPage, live_server: Any, personas: Personas, settings: Any
) -> None:
    """Signed out for being idle while the second-step page was open, the key button leads to
    the sign-in page, which says why, instead of a vague failure."""
    page = checked_page
    add_virtual_authenticator(page, live_server, settings)
    practitioner = personas.practitioner
    SoftKey().add_to(practitioner, "Laptop passkey")
    sign_in(page, practitioner)
    expect(page.get_by_role("heading", level=1)).to_have_text("Use your security key")
    page.check()
    settings.POLKU_SESSION_IDLE_SECONDS = 1
    page.page.wait_for_timeout(2_100)
    page.get_by_role("button", name="Use your security key").click()
    page.wait_for_url(re.compile(re.escape(live_server.url + "/accounts/login/")))
    expect(page.get_by_text("You were signed out because Polku was not used")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
