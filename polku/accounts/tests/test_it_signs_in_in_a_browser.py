"""In Chromium: sign in, set up two-step verification, use a backup code, meet the lock-out.

Every page visited passes axe-core (WCAG 2.1 AA) and logs no console error, so a
Content Security Policy violation (an inline style in the QR code, say) fails the test.
"""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from conftest import Personas
from polku.accounts.tests.conftest import PASSWORD, code_for
from tests.browser.fixtures import CheckedPage

pytestmark = pytest.mark.browser


def sign_in(page: CheckedPage, username: str, password: str) -> None:
    page.visit("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.check()


def test_it_sets_up_and_uses_two_step_verification(
    checked_page: CheckedPage, personas: Personas
) -> None:
    """A practitioner turns on two-step verification, saves backup codes and signs in with one."""
    page = checked_page
    sign_in(page, "practitioner", PASSWORD)
    page.visit("/accounts/profile/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    page.get_by_role("link", name=re.compile("Turn on")).click()
    page.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-step verification")
    qr = page.get_by_role("img", name=re.compile("QR code"))
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.naturalWidth") > 0
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    device = TOTPDevice.objects.get(user=personas.practitioner)
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    page.get_by_label("Code from the app").fill(code_for(device))
    page.get_by_role("button", name="Turn on two-step verification").click()
    page.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Save your backup codes")
    codes = page.locator("#backup-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I have saved my backup codes").click()
    page.check()
    expect(page.get_by_text("10 backup codes left.")).to_be_visible()

    page.get_by_role("button", name="Sign out").first.click()
    page.check()
    sign_in(page, "practitioner", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    page.get_by_label("Code", exact=True).fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    page.check()
    expect(page.get_by_text("You have 9 backup codes left.")).to_be_visible()


def test_it_shows_the_lock_out_page(checked_page: CheckedPage, personas: Personas) -> None:
    """Five wrong passwords lead to the lock-out page, which says when to try again."""
    page = checked_page
    for _attempt in range(4):
        sign_in(page, "practitioner", "not-the-password")
        expect(page.locator(".govuk-error-summary")).to_be_visible()
    page.visit("/accounts/login/")
    page.get_by_label("Username").fill("practitioner")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    # The browser reports the page's 429 status as a console error, which may arrive a moment
    # after the page has loaded; nothing else may appear.
    for _wait in range(50):
        if page.console_errors:
            break
        page.wait_for_timeout(100)
    assert page.console_errors == [
        "Failed to load resource: the server responded with a status of 429 (Too Many Requests)"
    ]
    page.console_errors.clear()
    page.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in is paused")
    expect(
        page.get_by_text(re.compile(r"You can try again in 15 minutes, after \d\d:\d\d"))
    ).to_be_visible()


def test_it_signs_out_from_the_confirmation_page(
    checked_page: CheckedPage, personas: Personas
) -> None:
    """Opening the sign-out address asks first; the button signs out."""
    page = checked_page
    sign_in(page, "practitioner", PASSWORD)
    page.visit("/accounts/logout/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Do you want to sign out?")
    page.get_by_role("main").get_by_role("button", name="Sign out").click()
    page.check()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
