"""A practitioner raises a protected challenge, the coordinator answers it, another
practitioner endorses it, and the submitter reads the answer with the follow-up code."""

import importlib
import re

import pytest
from django.apps import apps
from playwright.sync_api import expect

from conftest import Personas
from tests.browser.fixtures import CheckedPage, sign_in, sign_out

pytestmark = pytest.mark.browser

TITLE = "Berry pickers' recruitment debts are never paid off"
ANSWER = "The labour inspectorate will check recruitment fees before the next season."


def _typologies() -> None:
    # A transactional test empties the tables afterwards, migration data included; put the
    # shipped typologies back the way their migration writes them.
    migration = importlib.import_module("polku.taxonomy.migrations.0002_first_versions")
    migration.create(apps, None)


def test_it_raises_a_protected_challenge_and_answers_it(
    checked_page: CheckedPage, personas: Personas
) -> None:
    """Every page of the journey passes axe-core, and the code alone brings the answer back."""
    _typologies()
    page = checked_page

    sign_in(page, personas.practitioner)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Challenges").click()
    page.check()
    page.get_by_role("link", name="Raise a challenge").first.click()
    page.check()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Describe the challenge").fill(
        "Pickers arrive owing thousands of euros to recruiters. One of them asked us to call "
        "him on 040 123 4567."
    )
    page.get_by_role("group", name="Sectors concerned").get_by_label("Labour inspection").check()
    page.get_by_role("group", name="Forms of exploitation").get_by_label("Forced labour").check()
    page.get_by_label("Raise it protected").check()
    page.get_by_label("Kind of organisation to reveal").select_option("authority")
    page.get_by_role("button", name="Submit").click()
    page.check()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Remove the phone number “040 123 4567”.")

    page.get_by_label("Describe the challenge").fill(
        "Pickers arrive owing thousands of euros to recruiters, and the debt grows every week "
        "with fees for housing and transport."
    )
    page.get_by_role("button", name="Submit").click()
    page.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Challenge submitted protected")
    code = page.locator("#followup-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){5}", code)
    assert code not in page.url
    sign_out(page)

    sign_in(page, personas.ngo)
    page.visit("/voice/")
    page.get_by_role("link", name=TITLE).click()
    page.check()
    page.get_by_text("We meet this too").click()
    page.get_by_label("Comment", exact=True).fill("We see the same in Kainuu every summer.")
    page.get_by_role("button", name="Endorse").click()
    page.check()
    expect(page.get_by_text("You endorse this challenge.")).to_be_visible()
    sign_out(page)

    sign_in(page, personas.coordinator)
    page.visit("/voice/")
    page.get_by_role("link", name=TITLE).click()
    page.check()
    expect(page.get_by_text("Protected: the submitter is not known.")).to_be_visible()
    page.get_by_label("New status").select_option("acknowledged")
    page.get_by_role("button", name="Change status").click()
    page.check()
    expect(page.get_by_text("Status changed to “Acknowledged”.").first).to_be_visible()
    page.get_by_label("Official answer").fill(ANSWER)
    page.get_by_role("button", name="Give the answer").click()
    page.check()
    expect(page.get_by_text("Answer given.")).to_be_visible()
    sign_out(page)

    page.visit("/voice/follow-up/")
    page.get_by_label("Follow-up code").fill(code.lower())
    page.get_by_role("button", name="Open").click()
    page.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text(ANSWER)).to_be_visible()
    assert code not in page.url and code.lower() not in page.url
    page.get_by_label("Reply to the secretariat").fill("Thank you. The fees are the key.")
    page.get_by_role("button", name="Send reply").click()
    page.check()
    expect(page.get_by_text("Your reply was added without your name.")).to_be_visible()
    assert len(page.checked) >= 15
