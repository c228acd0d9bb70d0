"""In Chromium with a virtual authenticator: add a security key on the two-step page, then
sign in with the password and the key.

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


def test_it_signs_in_with_a_security_key(
    checked_page: CheckedPage, live_server: Any, personas: Personas, settings: Any
) -> None:
    """A practitioner adds a key, signs out, and signs back in with the password and the key."""
    assert urlsplit(live_server.url).hostname == "localhost"
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    page = checked_page
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
